//! Step 11.3 · `packet` — the chapter's program: a datagram echo server and its client, over
//! UDP or Unix datagrams, written once.
//!
//! Run it: `cargo run -- run packet --solution -- echo-server udp 127.0.0.1:7001` in one
//! terminal and `cargo run -- run packet --solution -- send udp 127.0.0.1:7001 hello` in another.

use std::io::{self, Write};
use std::net::{SocketAddr, ToSocketAddrs, UdpSocket};
use std::os::unix::net::{self, UnixDatagram};
use std::time::Duration;

use clap::{Parser, Subcommand};
use netlings::given::packet::packet_conn::PacketConn;
use netlings::given::packet::packet_echo::{request, serve_echo};
use netlings::program::Result;
use netlings::support::io::is_timeout;
use netlings::support::network::{explain_socket_file, op_error, unknown_network};
use netlings::support::udp::{check_datagram_sizes, max_payload};
use netlings::support::unixgram::{bind_client, max_datagram_len};

/// A datagram echo server and client over udp, udp4, udp6 or unixgram.
#[derive(Parser, Debug)]
#[command(name = "packet")]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Send every datagram back to its sender (Go's ListenPacket + ReadFrom/WriteTo)
    EchoServer {
        /// udp, udp4, udp6 or unixgram
        network: String,
        /// host:port, or a socket path for unixgram
        address: String,
    },
    /// Send each message as one datagram and print each answer
    Send {
        /// udp, udp4, udp6 or unixgram
        network: String,
        /// The server: host:port, or its socket path for unixgram
        address: String,
        /// The messages, one datagram each
        #[arg(required = true)]
        messages: Vec<String>,
        /// How long to wait for each answer, in milliseconds
        #[arg(long, default_value_t = 5000, value_parser = clap::value_parser!(u64).range(1..=60_000))]
        timeout_ms: u64,
    },
}

/// Sends each message from `client` to `server` and prints each answer, waiting at most
/// `timeout` for each: UDP never resends, so a lost datagram must not block forever.
/// Datagrams from anyone but `server` are noted in `out` and skipped (by `request`).
pub fn send_all<P: PacketConn>(
    client: &P,
    server: &P::Addr,
    messages: &[String],
    timeout: Duration,
    out: &mut dyn Write,
) -> Result {
    for message in messages {
        let answer = request(client, server, message.as_bytes(), timeout, out).map_err(|e| {
            // An expired read timeout is WouldBlock on Unix: say what it means.
            if is_timeout(&e) {
                let why = format!("no answer from {server:?} within {timeout:?}");
                io::Error::new(io::ErrorKind::TimedOut, why)
            } else {
                e
            }
        })?;
        writeln!(out, "{}", String::from_utf8_lossy(&answer))?;
    }
    Ok(())
}

/// The first address `address` stands for that `network` (udp, udp4, udp6) allows.
pub fn resolve_udp(network: &str, address: &str) -> io::Result<SocketAddr> {
    let wanted = |a: &SocketAddr| match network {
        "udp4" => a.is_ipv4(),
        "udp6" => a.is_ipv6(),
        _ => true,
    };
    address
        .to_socket_addrs()?
        .find(wanted)
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no suitable address found"))
}

/// Go's `ListenPacket("unixgram", path)`, saying what to do when a file is already there.
fn bind_unixgram(path: &str) -> io::Result<UnixDatagram> {
    UnixDatagram::bind(path)
        .map_err(|e| op_error("listen", "unixgram", path, explain_socket_file(e, path)))
}

/// Runs the subcommand. The network picks the socket type; everything after that is written
/// once, generic over `PacketConn`.
pub fn run(args: Args, out: &mut dyn Write) -> Result {
    match args.command {
        Command::EchoServer { network, address } => match network.as_str() {
            "udp" | "udp4" | "udp6" => {
                let socket = UdpSocket::bind(resolve_udp(&network, &address)?)?;
                let local = socket.local_addr()?;
                writeln!(out, "echo server listening on {network} {local}")?;
                out.flush()?;
                serve_echo(&socket, out)?;
            }
            "unixgram" => {
                let socket = bind_unixgram(&address)?;
                writeln!(out, "echo server listening on unixgram {address}")?;
                out.flush()?;
                serve_echo(&socket, out)?;
            }
            _ => return Err(unknown_network("listen", &network).into()),
        },
        Command::Send {
            network,
            address,
            messages,
            timeout_ms,
        } => {
            let timeout = Duration::from_millis(timeout_ms);
            match network.as_str() {
                "udp" | "udp4" | "udp6" => {
                    let server = resolve_udp(&network, &address)?;
                    let any = if server.is_ipv4() {
                        "0.0.0.0:0"
                    } else {
                        "[::]:0"
                    };
                    check_datagram_sizes(&messages, max_payload(server), server)?;
                    let client = UdpSocket::bind(any)?;
                    send_all(&client, &server, &messages, timeout, out)?;
                }
                "unixgram" => {
                    // The client needs an address of its own to be answered at; `_keep` keeps
                    // it as long as the socket (see bind_client: nothing outlives the client).
                    let (client, _keep) = bind_client()?;
                    check_datagram_sizes(&messages, max_datagram_len(&client)?, &address)?;
                    let server = net::SocketAddr::from_pathname(&address)?;
                    send_all(&client, &server, &messages, timeout, out)?;
                }
                _ => return Err(unknown_network("dial", &network).into()),
            }
        }
    }
    Ok(())
}

fn main() -> std::process::ExitCode {
    netlings::program::main(run)
}
