//! Chapter 10 — One interface for every connection: Go's `Dial(network, address)`,
//! `Listen(network, address)` and the `Conn` they return, in Rust.
//!
//! Read: book chapter 10 (`mdbook serve book`, or book/src/ch10_conn.md).
//! Check: `cargo run -- check conn`   Run: `cargo run -- run conn -- listen tcp 127.0.0.1:7000`,
//! then `cargo run -- run conn -- dial tcp 127.0.0.1:7000 hello` in another terminal.
//!
//! Fill in the functions marked TODO: `parse_network`, `resolve`, `Read` and `Write` for
//! `Conn`, `dial`, `Listener::accept`, `listen` and `echo`. The types and `run` are written.

use std::fs;
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::PathBuf;
use std::thread;
use std::time::Duration;

use clap::{Parser, Subcommand};
use netlings::program::Result;

/// How long `dial` waits for one TCP handshake before trying the next address.
pub const DIAL_TIMEOUT: Duration = Duration::from_secs(5);

/// Dial or listen on any of Go's networks: tcp, tcp4, tcp6, udp, udp4, udp6, unix.
#[derive(Parser, Debug)]
#[command(name = "conn")]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Connect, send each message, and print what comes back (Go's net.Dial)
    Dial {
        /// tcp, tcp4, tcp6, udp, udp4, udp6 or unix
        network: String,
        /// host:port, or a socket path for unix
        address: String,
        /// Messages to send, one at a time
        messages: Vec<String>,
    },
    /// Accept connections and echo what each one sends (Go's net.Listen)
    Listen {
        /// tcp, tcp4, tcp6 or unix
        network: String,
        /// host:port (":port" means every interface), or a socket path for unix
        address: String,
    },
}

/// Go's network names, for the calls that take a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Network {
    Tcp,
    Tcp4,
    Tcp6,
    Udp,
    Udp4,
    Udp6,
    Unix,
}

/// Which IP versions a network may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Any,
    V4,
    V6,
}

impl Network {
    /// Which IP versions this network may use (`Any` for unix, where the question is moot).
    pub fn family(self) -> Family {
        match self {
            Network::Tcp4 | Network::Udp4 => Family::V4,
            Network::Tcp6 | Network::Udp6 => Family::V6,
            Network::Tcp | Network::Udp | Network::Unix => Family::Any,
        }
    }
}

/// Go's error for a network name it does not know: `dial foo: unknown network foo`.
pub fn unknown_network(op: &str, network: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("{op} {network}: unknown network {network}"),
    )
}

/// Go's `OpError` text: the operation, the network and the address before the cause, as in
/// `dial tcp 127.0.0.1:1: Connection refused (os error 111)`. The kind is kept.
pub fn op_error(op: &str, network: &str, address: &str, err: io::Error) -> io::Error {
    io::Error::new(err.kind(), format!("{op} {network} {address}: {err}"))
}

/// An error with a kind and a message, for the cases std has no error for.
pub fn error(kind: io::ErrorKind, message: &str) -> io::Error {
    io::Error::new(kind, message.to_string())
}

/// Go's network names, exactly as Go spells them (lower case, so `"TCP"` is unknown):
/// tcp, tcp4, tcp6, udp, udp4, udp6, unix. `None` for anything else.
pub fn parse_network(name: &str) -> Option<Network> {
    // TODO: one match arm per name.
    todo!("parse_network({name:?})")
}

/// The socket addresses `address` (`host:port`) stands for that `family` allows, in the
/// resolver's order (`std::net::ToSocketAddrs::to_socket_addrs`, then keep only `V4` or `V6` addresses if asked).
/// - No `:` at all: an `InvalidInput` error with the message `missing port in address`.
/// - An empty host (`:80`): the loopback address of the family (`[::1]` for `V6`, else
///   `127.0.0.1`).
/// - Nothing left after filtering: `InvalidInput`, `no suitable address found`.
pub fn resolve(family: Family, address: &str) -> io::Result<Vec<SocketAddr>> {
    // TODO
    todo!("resolve({family:?}, {address:?})")
}

/// One connection, whatever the network: what Go's `Dial` and `Accept` return.
///
/// Go returns the interface `net.Conn`; here the set of networks is closed and known, so an
/// enum says it: no allocation, no trait object, and `match` shows every case.
#[derive(Debug)]
pub enum Conn {
    Tcp(TcpStream),
    /// A connected UDP socket: each read is one datagram, each write sends one.
    Udp(UdpSocket),
    Unix(UnixStream),
}

impl Read for Conn {
    /// Reads from whichever socket this is. `UdpSocket` has no `Read`: use `recv`.
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // TODO: match self
        todo!("Conn::read({self:?}, {} bytes)", buf.len())
    }
}

impl Write for Conn {
    /// Writes to whichever socket this is. `UdpSocket` has no `Write`: use `send`.
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // TODO: match self
        todo!("Conn::write({self:?}, {buf:?})")
    }

    /// Sockets keep no bytes in user space, so there is nothing to flush.
    fn flush(&mut self) -> io::Result<()> {
        // TODO
        todo!("Conn::flush({self:?})")
    }
}

impl Conn {
    /// Go's `SetReadDeadline`, as a per-read timeout (`None`: wait forever).
    pub fn set_read_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        match self {
            Conn::Tcp(s) => s.set_read_timeout(timeout),
            Conn::Udp(s) => s.set_read_timeout(timeout),
            Conn::Unix(s) => s.set_read_timeout(timeout),
        }
    }

    /// Go's `RemoteAddr().String()`: `host:port`, or the socket path for unix.
    pub fn remote_addr(&self) -> io::Result<String> {
        match self {
            Conn::Tcp(s) => Ok(s.peer_addr()?.to_string()),
            Conn::Udp(s) => Ok(s.peer_addr()?.to_string()),
            Conn::Unix(s) => Ok(unix_path(&s.peer_addr()?)),
        }
    }
}

/// The path of a Unix socket address, or `@` for an unnamed one (a client that never bound).
fn unix_path(addr: &std::os::unix::net::SocketAddr) -> String {
    addr.as_pathname()
        .map_or_else(|| "@".to_string(), |p| p.display().to_string())
}

/// The first of `addrs` that `connect` reaches, or the last error.
pub fn first_reachable<T>(
    addrs: Vec<SocketAddr>,
    connect: impl Fn(SocketAddr) -> io::Result<T>,
) -> io::Result<T> {
    let mut last = error(io::ErrorKind::InvalidInput, "no address to dial");
    for addr in addrs {
        match connect(addr) {
            Ok(conn) => return Ok(conn),
            Err(e) => last = e,
        }
    }
    Err(last)
}

/// A UDP socket connected to `peer`, bound to the wildcard address of its family.
pub fn connected_udp(peer: SocketAddr) -> io::Result<UdpSocket> {
    let any: SocketAddr = match peer {
        SocketAddr::V4(_) => (Ipv4Addr::UNSPECIFIED, 0).into(),
        SocketAddr::V6(_) => (Ipv6Addr::UNSPECIFIED, 0).into(),
    };
    let socket = UdpSocket::bind(any)?;
    // Nothing is sent: `connect` on UDP only records the peer and filters what `recv` sees.
    socket.connect(peer)?;
    Ok(socket)
}

/// Go's `Dial(network, address)`: a connection over any of the networks, as one type.
///
/// - Unknown network: the error from [`unknown_network`] (`dial foo: unknown network foo`).
/// - unix: `UnixStream::connect(address)`.
/// - tcp*: [`resolve`] with the network's family, then `TcpStream::connect_timeout` with
///   [`DIAL_TIMEOUT`] on each address until one answers ([`first_reachable`] does the loop).
/// - udp*: the same with [`connected_udp`].
/// - Wrap every other error with [`op_error`]`("dial", network, address, e)`.
pub fn dial(network: &str, address: &str) -> io::Result<Conn> {
    // TODO
    todo!("dial({network:?}, {address:?})")
}

/// What Go's `Listen` returns: something that accepts connections.
#[derive(Debug)]
pub enum Listener {
    Tcp(TcpListener),
    /// The path is kept so that dropping the listener removes the socket file, as Go's
    /// `Close` does; otherwise the next `bind` to that path fails with AddrInUse.
    Unix(UnixListener, PathBuf),
}

impl Listener {
    /// Go's `Accept`: waits for the next connection.
    /// Go's `Accept`: waits for the next connection and wraps it in a [`Conn`].
    pub fn accept(&self) -> io::Result<Conn> {
        // TODO: match self
        todo!("Listener::accept({self:?})")
    }

    /// Go's `Addr().String()`: what to pass to `dial` to reach this listener.
    pub fn addr(&self) -> io::Result<String> {
        match self {
            Listener::Tcp(l) => Ok(l.local_addr()?.to_string()),
            Listener::Unix(_, path) => Ok(path.display().to_string()),
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        if let Listener::Unix(_, path) = self {
            let _ = fs::remove_file(path);
        }
    }
}

/// Go's `Listen(network, address)` for the networks that have connections to accept.
///
/// - Unknown network: [`unknown_network`]`("listen", network)`.
/// - unix: `UnixListener::bind(address)`, kept as `Listener::Unix(listener, path)`.
/// - tcp*: an empty host (`:7000`) means every interface (`0.0.0.0`, or `[::]` for tcp6);
///   then [`resolve`] with the network's family and `TcpListener::bind`.
/// - udp*: an `InvalidInput` error: `a datagram network has no connections to accept: use
///   listen_packet (chapter 11)`.
/// - Wrap every error but the unknown network with [`op_error`]`("listen", network, address, e)`.
pub fn listen(network: &str, address: &str) -> io::Result<Listener> {
    // TODO
    todo!("listen({network:?}, {address:?})")
}

/// Copies everything `stream` sends back to it until the peer closes its side (a read of 0
/// bytes). Written once for any `Read + Write`: a TCP stream, a Unix stream, a `Conn`.
/// Returns the number of bytes echoed. Retry a read that fails with `Interrupted`; send
/// every byte (`write_all`).
pub fn echo<S: Read + Write>(mut stream: S) -> io::Result<u64> {
    // TODO: read into a buffer, write back what you read, stop at 0.
    let _ = &mut stream;
    todo!("echo()")
}

/// Accepts connections forever, one thread each, and runs `handler` on each.
pub fn serve(
    listener: &Listener,
    log: &mut dyn Write,
    handler: fn(Conn) -> io::Result<u64>,
) -> io::Result<()> {
    loop {
        match listener.accept() {
            Ok(conn) => {
                thread::spawn(move || handler(conn));
            }
            // One failed accept (a client that reset, no file descriptors left) is not the end.
            Err(e) => writeln!(log, "accept: {e}")?,
        }
    }
}

/// How long the `dial` subcommand waits for each echo.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(5);

/// Sends `message` and reads back as many bytes, or until the peer stops answering. Errors
/// name the operation and the peer, as Go's do: `read udp 127.0.0.1:7000: Connection refused`.
fn exchange(conn: &mut Conn, network: &str, address: &str, message: &str) -> io::Result<String> {
    conn.write_all(message.as_bytes())
        .map_err(|e| op_error("write", network, address, e))?;
    let mut answer = vec![0; message.len().max(1)];
    let mut got = 0;
    while got < message.len() {
        match conn.read(&mut answer[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            // An expired read timeout is WouldBlock on Unix: say what it means.
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                let why = format!("no answer within {ANSWER_TIMEOUT:?}");
                return Err(op_error(
                    "read",
                    network,
                    address,
                    error(io::ErrorKind::TimedOut, &why),
                ));
            }
            Err(e) => return Err(op_error("read", network, address, e)),
        }
    }
    answer.truncate(got);
    Ok(String::from_utf8_lossy(&answer).into_owned())
}

/// Adds what to do to the error of a Unix listener whose path is taken: usually the socket
/// file of an earlier listener that was killed before it could remove it.
fn explain_listen(network: &str, address: &str, e: io::Error) -> io::Error {
    if network != "unix" || e.kind() != io::ErrorKind::AddrInUse {
        return e;
    }
    let hint =
        format!("{e} (a file is already at that path; if no server runs there, `rm {address}`)");
    io::Error::new(e.kind(), hint)
}

/// Runs the subcommand.
pub fn run(args: Args, out: &mut dyn Write) -> Result {
    match args.command {
        Command::Dial {
            network,
            address,
            messages,
        } => {
            let mut conn = dial(&network, &address)?;
            conn.set_read_timeout(Some(ANSWER_TIMEOUT))?;
            writeln!(out, "connected to {network} {}", conn.remote_addr()?)?;
            for message in &messages {
                writeln!(out, "{}", exchange(&mut conn, &network, &address, message)?)?;
            }
        }
        Command::Listen { network, address } => {
            let listener =
                listen(&network, &address).map_err(|e| explain_listen(&network, &address, e))?;
            writeln!(out, "listening on {network} {}", listener.addr()?)?;
            out.flush()?;
            serve(&listener, out, echo)?;
        }
    }
    Ok(())
}

fn main() -> std::process::ExitCode {
    netlings::program::main(run)
}
