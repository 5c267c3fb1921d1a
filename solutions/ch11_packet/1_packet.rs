//! Chapter 11 — Packet connections: Go's `ListenPacket` and `PacketConn` as a Rust trait,
//! implemented for UDP and Unix datagram sockets, and an echo server written once over it.
//!
//! Run it: `netlings run packet --solution -- echo-server udp 127.0.0.1:7001` in one terminal
//! and `netlings run packet --solution -- send udp 127.0.0.1:7001 hello` in another.

use std::fmt::Debug;
use std::io::{self, Write};
use std::net::{SocketAddr, ToSocketAddrs, UdpSocket};
use std::os::unix::net::{self, UnixDatagram};
use std::time::Duration;

use clap::{Parser, Subcommand};
use netlings::program::Result;
use netlings::support::tempdir::TempDir;

/// The echo server's buffer: a longer datagram is cut to this size.
pub const BUF_SIZE: usize = 2048;

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

// ANCHOR: trait
/// Go's `PacketConn`: a socket that sends and receives whole datagrams, each with the address
/// of the other end.
///
/// Go's version uses the `net.Addr` interface for every kind of address; here each socket
/// type names its own address type, so a UDP address can never be handed to a Unix socket.
pub trait PacketConn {
    /// Who sent a datagram, or where to send one.
    type Addr: Clone + Debug + Send;

    /// Go's `ReadFrom`: one datagram into `buf` (cut to `buf.len()`), and its sender.
    fn recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, Self::Addr)>;

    /// Go's `WriteTo`: `buf` as one datagram to `addr`.
    fn send_to(&self, buf: &[u8], addr: &Self::Addr) -> io::Result<usize>;

    /// Go's `LocalAddr`.
    fn local_addr(&self) -> io::Result<Self::Addr>;

    /// Go's `SetReadDeadline`, as a per-read timeout (`None`: wait forever).
    fn set_read_timeout(&self, timeout: Option<Duration>) -> io::Result<()>;
}
// ANCHOR_END: trait

// ANCHOR: impl_udp
impl PacketConn for UdpSocket {
    type Addr = SocketAddr;

    // The inherent methods have the same names. `self.recv_from(buf)` would pick them too
    // (inherent methods win over trait methods); `UdpSocket::` makes that visible.
    fn recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        UdpSocket::recv_from(self, buf)
    }

    fn send_to(&self, buf: &[u8], addr: &SocketAddr) -> io::Result<usize> {
        UdpSocket::send_to(self, buf, addr)
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        UdpSocket::local_addr(self)
    }

    fn set_read_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        UdpSocket::set_read_timeout(self, timeout)
    }
}
// ANCHOR_END: impl_udp

// ANCHOR: impl_unix
impl PacketConn for UnixDatagram {
    /// A socket path, or "unnamed" for a socket that never bound one.
    type Addr = net::SocketAddr;

    fn recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, net::SocketAddr)> {
        UnixDatagram::recv_from(self, buf)
    }

    fn send_to(&self, buf: &[u8], addr: &net::SocketAddr) -> io::Result<usize> {
        // `send_to` takes a path; `send_to_addr` takes the address `recv_from` returned.
        self.send_to_addr(buf, addr)
    }

    fn local_addr(&self) -> io::Result<net::SocketAddr> {
        UnixDatagram::local_addr(self)
    }

    fn set_read_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        UnixDatagram::set_read_timeout(self, timeout)
    }
}
// ANCHOR_END: impl_unix

// ANCHOR: echo_once
/// Sends one datagram back to its sender, over any packet connection. Returns its length and
/// the sender.
pub fn echo_once<P: PacketConn>(conn: &P) -> io::Result<(usize, P::Addr)> {
    let mut buf = [0; BUF_SIZE];
    let (n, from) = conn.recv_from(&mut buf)?;
    conn.send_to(&buf[..n], &from)?;
    Ok((n, from))
}
// ANCHOR_END: echo_once

// ANCHOR: serve_echo
/// Echoes datagrams forever. A datagram that cannot be answered (its sender is gone, or a
/// Unix client never bound a path to be answered at) is logged and the server goes on.
/// Returns only if writing to `log` fails.
pub fn serve_echo<P: PacketConn>(conn: &P, log: &mut dyn Write) -> io::Result<()> {
    loop {
        if let Err(e) = echo_once(conn) {
            writeln!(log, "echo: {e} (still serving)")?;
        }
    }
}
// ANCHOR_END: serve_echo

// ANCHOR: request
/// Sends `payload` to `to` and returns the next datagram that arrives, and who sent it. The
/// caller sets a read timeout first, or a lost datagram waits forever.
pub fn request<P: PacketConn>(
    conn: &P,
    to: &P::Addr,
    payload: &[u8],
) -> io::Result<(Vec<u8>, P::Addr)> {
    conn.send_to(payload, to)?;
    let mut buf = vec![0; BUF_SIZE];
    let (n, from) = conn.recv_from(&mut buf)?;
    buf.truncate(n);
    Ok((buf, from))
}
// ANCHOR_END: request

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

/// Go's `ListenPacket` for udp, udp4 and udp6: a UDP socket bound to `address`.
pub fn listen_udp(network: &str, address: &str) -> io::Result<UdpSocket> {
    UdpSocket::bind(resolve_udp(network, address)?)
}

/// The error Go gives for a network `ListenPacket` does not know.
fn unknown_network(op: &str, network: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("{op} {network}: unknown network {network}"),
    )
}

/// Sends each message from `client` to `server` and prints each answer, waiting at most
/// `timeout` for each: UDP never resends, so a lost datagram must not block forever.
fn send_all<P: PacketConn>(
    client: &P,
    server: &P::Addr,
    messages: &[String],
    timeout: Duration,
    out: &mut dyn Write,
) -> Result {
    client.set_read_timeout(Some(timeout))?;
    for message in messages {
        let (answer, _) = request(client, server, message.as_bytes()).map_err(|e| {
            // An expired read timeout is WouldBlock on Unix: say what it means.
            if matches!(
                e.kind(),
                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
            ) {
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

/// Binds a Unix datagram server, saying what to do when a file is already at the path:
/// usually the socket of an earlier server that was killed before it could remove it.
fn bind_unixgram(path: &str) -> io::Result<UnixDatagram> {
    UnixDatagram::bind(path).map_err(|e| {
        let hint = match e.kind() {
            io::ErrorKind::AddrInUse => {
                format!(" (a file is already at that path; if no server runs there, `rm {path}`)")
            }
            _ => String::new(),
        };
        io::Error::new(e.kind(), format!("listen unixgram {path}: {e}{hint}"))
    })
}

/// Runs the subcommand. The network picks the socket type; everything after that is written
/// once, generic over `PacketConn`.
pub fn run(args: Args, out: &mut dyn Write) -> Result {
    match args.command {
        Command::EchoServer { network, address } => match network.as_str() {
            "udp" | "udp4" | "udp6" => {
                let socket = listen_udp(&network, &address)?;
                writeln!(
                    out,
                    "echo server listening on {network} {}",
                    socket.local_addr()?
                )?;
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
                    let client = UdpSocket::bind(any)?;
                    send_all(&client, &server, &messages, timeout, out)?;
                }
                "unixgram" => {
                    // A Unix datagram client must bind a path of its own, or the server has no
                    // address to answer to.
                    let dir = TempDir::new("packet-client")?;
                    let client = UnixDatagram::bind(dir.join("client.sock"))?;
                    send_all(
                        &client,
                        &net::SocketAddr::from_pathname(&address)?,
                        &messages,
                        timeout,
                        out,
                    )?;
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
