//! Step 10.3 · `dial-listen` — Go's `Dial` and `Listen`: a network name picks the socket.

use std::fs;
use std::io;
use std::net::{TcpListener, TcpStream};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::PathBuf;
use std::time::Duration;

use netlings::given::conn::any_stream::Conn;
use netlings::given::conn::networks::{parse_network, resolve};
use netlings::support::network::{
    Family, Network, connected_udp, first_reachable, op_error, unix_socket_path, unknown_network,
};

/// How long `dial` waits for one TCP handshake before trying the next address.
pub const DIAL_TIMEOUT: Duration = Duration::from_secs(5);

/// Go's `Dial(network, address)`: a connection over any of the networks, as one type.
///
/// A host name may stand for several addresses (IPv6 and IPv4): each is tried in turn.
/// Errors read like Go's: `dial tcp 127.0.0.1:1: Connection refused (os error 111)`.
pub fn dial(network: &str, address: &str) -> io::Result<Conn> {
    let net = parse_network(network).ok_or_else(|| unknown_network("dial", network))?;
    // Each arm is an `io::Result<Conn>`, so the error is wrapped once, below.
    let conn = match net {
        // An empty path would be a bare "Invalid argument" from the kernel: say what it is.
        Network::Unix => unix_socket_path(address)
            .and_then(UnixStream::connect)
            .map(Conn::Unix),
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

/// What Go's `Listen` returns: something that accepts connections.
#[derive(Debug)]
pub enum Listener {
    Tcp(TcpListener),
    /// The path is kept so that dropping the listener removes the socket file, as Go's
    /// `Close` does; otherwise the next `bind` to that path fails with `AddrInUse`.
    Unix(UnixListener, PathBuf),
}

impl Listener {
    /// Go's `Accept`: waits for the next connection and wraps it in a [`Conn`].
    pub fn accept(&self) -> io::Result<Conn> {
        // The peer's address comes with it; `Conn::remote_addr` can ask again if needed.
        match self {
            Listener::Tcp(l) => l.accept().map(|(s, _)| Conn::Tcp(s)),
            Listener::Unix(l, _) => l.accept().map(|(s, _)| Conn::Unix(s)),
        }
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
/// An empty host (`:7000`) means every interface, as in Go.
pub fn listen(network: &str, address: &str) -> io::Result<Listener> {
    let net = parse_network(network).ok_or_else(|| unknown_network("listen", network))?;
    let listener = match net {
        // An empty path would bind a random abstract name no client can find (Linux autobind).
        Network::Unix => unix_socket_path(address).and_then(|path| {
            UnixListener::bind(path).map(|l| Listener::Unix(l, path.to_path_buf()))
        }),
        Network::Tcp | Network::Tcp4 | Network::Tcp6 => {
            // A server's empty host is every interface, not `resolve`'s loopback.
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
        Network::Udp | Network::Udp4 | Network::Udp6 => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "a datagram network has no connections to accept: use listen_packet (chapter 11)",
        )),
    };
    listener.map_err(|e| op_error("listen", network, address, e))
}
