//! Chapter 10 — One interface for every connection: Go's `Dial(network, address)`,
//! `Listen(network, address)` and the `Conn` they return, in Rust.
//!
//! Run it: `netlings run conn --solution -- listen tcp 127.0.0.1:7000` in one terminal and
//! `netlings run conn --solution -- dial tcp 127.0.0.1:7000 hello` in another.

use std::fs;
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream, ToSocketAddrs, UdpSocket};
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

// ANCHOR: parse_network
/// Go's network names, exactly as Go spells them (lower case): `None` for anything else.
pub fn parse_network(name: &str) -> Option<Network> {
    Some(match name {
        "tcp" => Network::Tcp,
        "tcp4" => Network::Tcp4,
        "tcp6" => Network::Tcp6,
        "udp" => Network::Udp,
        "udp4" => Network::Udp4,
        "udp6" => Network::Udp6,
        "unix" => Network::Unix,
        _ => return None,
    })
}
// ANCHOR_END: parse_network

// ANCHOR: resolve
/// The socket addresses `address` (`host:port`) stands for that `family` allows, in the
/// resolver's order. An empty host (`:80`) means the loopback address of the family.
pub fn resolve(family: Family, address: &str) -> io::Result<Vec<SocketAddr>> {
    if !address.contains(':') {
        return Err(error(
            io::ErrorKind::InvalidInput,
            "missing port in address",
        ));
    }
    let address = match (address.strip_prefix(':'), family) {
        (Some(port), Family::V6) => format!("[::1]:{port}"),
        (Some(port), _) => format!("127.0.0.1:{port}"),
        (None, _) => address.to_string(),
    };
    let addrs: Vec<SocketAddr> = address
        .to_socket_addrs()?
        .filter(|a| match family {
            Family::Any => true,
            Family::V4 => a.is_ipv4(),
            Family::V6 => a.is_ipv6(),
        })
        .collect();
    if addrs.is_empty() {
        // "tcp4" with an IPv6 address: there is nothing this network can reach.
        return Err(error(
            io::ErrorKind::InvalidInput,
            "no suitable address found",
        ));
    }
    Ok(addrs)
}
// ANCHOR_END: resolve

// ANCHOR: conn
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
// ANCHOR_END: conn

// ANCHOR: read_write
impl Read for Conn {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Conn::Tcp(s) => s.read(buf),
            // UdpSocket has no Read impl: `recv` on a connected socket is the same idea,
            // except that a datagram longer than `buf` loses its tail.
            Conn::Udp(s) => s.recv(buf),
            Conn::Unix(s) => s.read(buf),
        }
    }
}

impl Write for Conn {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Conn::Tcp(s) => s.write(buf),
            Conn::Udp(s) => s.send(buf),
            Conn::Unix(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        // Sockets have no user-space buffer to flush: `write` hands bytes to the kernel.
        Ok(())
    }
}
// ANCHOR_END: read_write

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

// ANCHOR: dial
/// Go's `Dial(network, address)`: a connection over any of the networks, as one type.
///
/// A host name may stand for several addresses (IPv6 and IPv4): each is tried in turn.
/// Errors read like Go's: `dial tcp 127.0.0.1:1: Connection refused (os error 111)`.
pub fn dial(network: &str, address: &str) -> io::Result<Conn> {
    let net = parse_network(network).ok_or_else(|| unknown_network("dial", network))?;
    let conn = match net {
        Network::Unix => UnixStream::connect(address).map(Conn::Unix),
        Network::Tcp | Network::Tcp4 | Network::Tcp6 => resolve(net.family(), address)
            .and_then(|addrs| {
                first_reachable(addrs, |a| TcpStream::connect_timeout(&a, DIAL_TIMEOUT))
            })
            .map(Conn::Tcp),
        Network::Udp | Network::Udp4 | Network::Udp6 => resolve(net.family(), address)
            .and_then(|addrs| first_reachable(addrs, connected_udp))
            .map(Conn::Udp),
    };
    conn.map_err(|e| op_error("dial", network, address, e))
}
// ANCHOR_END: dial

// ANCHOR: listener
/// What Go's `Listen` returns: something that accepts connections.
#[derive(Debug)]
pub enum Listener {
    Tcp(TcpListener),
    /// The path is kept so that dropping the listener removes the socket file, as Go's
    /// `Close` does; otherwise the next `bind` to that path fails with AddrInUse.
    Unix(UnixListener, PathBuf),
}
// ANCHOR_END: listener

impl Listener {
    // ANCHOR: accept
    /// Go's `Accept`: waits for the next connection.
    pub fn accept(&self) -> io::Result<Conn> {
        match self {
            Listener::Tcp(l) => l.accept().map(|(s, _)| Conn::Tcp(s)),
            Listener::Unix(l, _) => l.accept().map(|(s, _)| Conn::Unix(s)),
        }
    }
    // ANCHOR_END: accept

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

// ANCHOR: listen
/// Go's `Listen(network, address)` for the networks that have connections to accept.
/// An empty host (`:7000`) means every interface, as in Go.
pub fn listen(network: &str, address: &str) -> io::Result<Listener> {
    let net = parse_network(network).ok_or_else(|| unknown_network("listen", network))?;
    let listener = match net {
        Network::Unix => {
            UnixListener::bind(address).map(|l| Listener::Unix(l, PathBuf::from(address)))
        }
        Network::Tcp | Network::Tcp4 | Network::Tcp6 => {
            let address = match (address.strip_prefix(':'), net.family()) {
                (Some(port), Family::V6) => format!("[::]:{port}"),
                (Some(port), _) => format!("0.0.0.0:{port}"),
                (None, _) => address.to_string(),
            };
            resolve(net.family(), &address)
                .and_then(|addrs| TcpListener::bind(&addrs[..]))
                .map(Listener::Tcp)
        }
        // UDP has no connections, so nothing to accept: that is ListenPacket (chapter 11).
        Network::Udp | Network::Udp4 | Network::Udp6 => Err(error(
            io::ErrorKind::InvalidInput,
            "a datagram network has no connections to accept: use listen_packet (chapter 11)",
        )),
    };
    listener.map_err(|e| op_error("listen", network, address, e))
}
// ANCHOR_END: listen

// ANCHOR: echo
/// Copies everything `stream` sends back to it until the peer closes its side (a read of 0
/// bytes). Written once for any `Read + Write`: a TCP stream, a Unix stream, a `Conn`.
/// Returns the number of bytes echoed.
pub fn echo<S: Read + Write>(mut stream: S) -> io::Result<u64> {
    let mut buf = [0; 4096];
    let mut total = 0;
    loop {
        let n = match stream.read(&mut buf) {
            Ok(0) => return Ok(total),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        // `write` may take only part of the buffer; `write_all` loops until all is sent.
        stream.write_all(&buf[..n])?;
        total += n as u64;
    }
}
// ANCHOR_END: echo

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
