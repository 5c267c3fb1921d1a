//! Step 11.3 · `packet` — the chapter's program: a datagram echo server and its client, over
//! UDP or Unix datagrams, written once.
//!
//! Read: chapter 11, "Step 3" (book/src/ch11_packet.md).   Check: `cargo run -- check packet`
//! Run: `cargo run -- run packet -- echo-server udp 127.0.0.1:7001`, then
//! `cargo run -- run packet -- send udp 127.0.0.1:7001 hello` in another terminal.
//!
//! `PacketConn`, `serve_echo` and `request` are given (from `netlings::given::packet`), the
//! client's own address and the datagram limits too (`netlings::support::{unixgram, udp}`);
//! `run` is written and uses the function you write here.

// Your code will use these imports and parameters; until it does, they are unused.
#![allow(unused_imports, unused_variables)]

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

// ANCHOR: contract
/// Sends each message from `client` to `server` with [`request`] and writes each answer to
/// `out` on a line of its own (`String::from_utf8_lossy`), waiting at most `timeout` for
/// each: UDP never resends, so a lost datagram must not block forever. `out` is also
/// `request`'s log: what it ignored goes there, before the answer.
///
/// A wait that timed out ([`is_timeout`]) becomes an error of kind `TimedOut` that reads
/// `no answer from {server:?} within {timeout:?}`, such as `no answer from 127.0.0.1:7001
/// within 100ms`. Other errors are returned as they are.
pub fn send_all<P: PacketConn>(
    client: &P,
    server: &P::Addr,
    messages: &[String],
    timeout: Duration,
    out: &mut dyn Write,
) -> Result {
    // TODO: request each message in turn (request sets the read timeouts).
    todo!("send_all({server:?}, {messages:?}, {timeout:?})")
}
// ANCHOR_END: contract

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
