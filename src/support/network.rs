//! Go's network names, the errors Go's `net` package words with them, and the small helpers
//! `Dial` and `Listen` are built from (chapters 10 and 11).
//!
//! Go's `Dial`, `Listen` and `ListenPacket` take the network as a string (`"tcp4"`, `"unix"`)
//! and, when something fails, say which operation on which network and address failed. This
//! module holds that vocabulary, so the chapters' steps can be about choosing a socket, not
//! about spelling error messages.
//!
//! ```
//! use std::io;
//! use netlings::support::network::{Family, Network, op_error, unknown_network};
//!
//! assert_eq!(Network::Tcp6.family(), Family::V6);
//! assert_eq!(
//!     unknown_network("dial", "foo").to_string(),
//!     "dial foo: unknown network foo"
//! );
//! let refused = io::Error::from(io::ErrorKind::ConnectionRefused);
//! let err = op_error("dial", "tcp", "127.0.0.1:1", refused);
//! assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused);
//! assert!(err.to_string().starts_with("dial tcp 127.0.0.1:1: "));
//! ```

use std::fs;
use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::os::unix::fs::FileTypeExt;
use std::os::unix::net as unix;
use std::path::Path;

/// Go's network names for the calls that take a connection (`Dial`, `Listen`): what chapter
/// 10's `parse_network` turns a name into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Network {
    /// `tcp`: TCP over IPv4 or IPv6, whichever the address is.
    Tcp,
    /// `tcp4`: TCP over IPv4 only.
    Tcp4,
    /// `tcp6`: TCP over IPv6 only.
    Tcp6,
    /// `udp`: UDP over IPv4 or IPv6.
    Udp,
    /// `udp4`: UDP over IPv4 only.
    Udp4,
    /// `udp6`: UDP over IPv6 only.
    Udp6,
    /// `unix`: a Unix stream socket; the address is a file path.
    Unix,
}

/// Which IP versions a network may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// IPv4 or IPv6.
    Any,
    /// IPv4 only.
    V4,
    /// IPv6 only.
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

/// Go's `UnknownNetworkError` as an `InvalidInput` error: `dial foo: unknown network foo`.
/// `op` is the operation (`dial`, `listen`).
pub fn unknown_network(op: &str, network: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("{op} {network}: unknown network {network}"),
    )
}

/// Go's `OpError` text: the operation, the network and the address before the cause, as in
/// `dial tcp 127.0.0.1:1: Connection refused (os error 111)`. The kind of `err` is kept, so
/// code can still match on `ConnectionRefused`. An empty address is left out, as Go leaves out
/// a missing one: `dial unix: ...`.
pub fn op_error(op: &str, network: &str, address: &str, err: io::Error) -> io::Error {
    let text = if address.is_empty() {
        format!("{op} {network}: {err}")
    } else {
        format!("{op} {network} {address}: {err}")
    };
    io::Error::new(err.kind(), text)
}

/// `address` as the path of a Unix socket, or an `InvalidInput` error if it is empty.
///
/// An empty path is no path: Linux's `bind` would give the socket a random name in its abstract
/// namespace ("autobind"), which no client can find, and `connect` fails with a bare "Invalid
/// argument".
pub fn unix_socket_path(address: &str) -> io::Result<&Path> {
    if address.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the address of a unix socket is a file path, and it is empty",
        ));
    }
    Ok(Path::new(address))
}

/// `err`, from binding the Unix socket path `path`, with what to do when the path is taken
/// (`AddrInUse`). A socket file there is usually left by an earlier server that was killed
/// before it could remove it, and removing it is the fix; any other file there (`/etc/passwd`)
/// is not ours to remove, so the message says what it is and to choose another path. Other
/// errors are returned as they are.
pub fn explain_socket_file(err: io::Error, path: &str) -> io::Error {
    if err.kind() != io::ErrorKind::AddrInUse {
        return err;
    }
    // `symlink_metadata`: a symbolic link is what is at the path, whatever it points to.
    let hint = match fs::symlink_metadata(path).map(|m| m.file_type()) {
        Ok(kind) if kind.is_socket() => {
            format!("a file is already at that path; if no server runs there, `rm {path}`")
        }
        Ok(kind) => {
            let what = if kind.is_dir() {
                "a directory"
            } else if kind.is_symlink() {
                "a symbolic link"
            } else if kind.is_file() {
                "a regular file"
            } else {
                "a file that is not a socket"
            };
            format!("{what} is at that path, not a socket: choose another path")
        }
        // Gone since bind failed, or not ours to look at: say no more than we know.
        Err(_) => "something is at that path: choose another path".to_string(),
    };
    io::Error::new(err.kind(), format!("{err} ({hint})"))
}

/// How Go prints a Unix socket address: its path, or `@` for an unnamed one (a client that
/// never bound a path).
pub fn unix_path(addr: &unix::SocketAddr) -> String {
    addr.as_pathname()
        .map_or_else(|| "@".to_string(), |p| p.display().to_string())
}

/// The first of `addrs` that `connect` reaches, or the error of the last attempt (an
/// `InvalidInput` error if there was no address to try).
///
/// A host name may stand for several addresses (`localhost` is `::1` and `127.0.0.1`) and a
/// server may listen on only one of them: Go's `Dial` tries each in turn, and so does this.
pub fn first_reachable<T>(
    addrs: Vec<SocketAddr>,
    connect: impl Fn(SocketAddr) -> io::Result<T>,
) -> io::Result<T> {
    let mut last = io::Error::new(io::ErrorKind::InvalidInput, "no address to dial");
    for addr in addrs {
        match connect(addr) {
            Ok(conn) => return Ok(conn),
            Err(e) => last = e,
        }
    }
    Err(last)
}

/// A UDP socket connected to `peer`, bound to the wildcard address of its family: what Go's
/// `Dial("udp", ...)` returns. Nothing is sent: `connect` on UDP only records the peer, and
/// from then on `send` goes to it and `recv` hears only from it.
pub fn connected_udp(peer: SocketAddr) -> io::Result<UdpSocket> {
    let any: SocketAddr = match peer {
        SocketAddr::V4(_) => (Ipv4Addr::UNSPECIFIED, 0).into(),
        SocketAddr::V6(_) => (Ipv6Addr::UNSPECIFIED, 0).into(),
    };
    let socket = UdpSocket::bind(any)?;
    socket.connect(peer)?;
    Ok(socket)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::support::tempdir::TempDir;

    #[test]
    fn each_network_has_its_family() {
        let families = [
            (Network::Tcp, Family::Any),
            (Network::Tcp4, Family::V4),
            (Network::Tcp6, Family::V6),
            (Network::Udp, Family::Any),
            (Network::Udp4, Family::V4),
            (Network::Udp6, Family::V6),
            (Network::Unix, Family::Any),
        ];
        for (network, family) in families {
            assert_eq!(network.family(), family, "{network:?}");
        }
    }

    #[test]
    fn errors_read_like_gos_and_keep_their_kind() {
        let err = unknown_network("listen", "TCP");
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        assert_eq!(err.to_string(), "listen TCP: unknown network TCP");

        let cause = io::Error::new(io::ErrorKind::ConnectionRefused, "refused");
        let err = op_error("read", "udp", "127.0.0.1:7", cause);
        assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused);
        assert_eq!(err.to_string(), "read udp 127.0.0.1:7: refused");
    }

    #[test]
    fn only_a_taken_path_gets_the_hint_and_only_a_socket_file_is_to_be_removed() {
        let dir = TempDir::new("support-net").unwrap();
        let socket = dir.join("stale.sock");
        drop(unix::UnixListener::bind(&socket).unwrap());
        let socket = socket.to_string_lossy().into_owned();
        let taken = || io::Error::new(io::ErrorKind::AddrInUse, "in use");
        let err = explain_socket_file(taken(), &socket);
        assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
        assert_eq!(
            err.to_string(),
            format!(
                "in use (a file is already at that path; if no server runs there, `rm {socket}`)"
            )
        );
        let file = dir.join("plain");
        fs::write(&file, "not a socket").unwrap();
        let cases = [
            (file.to_string_lossy().into_owned(), "a regular file"),
            (dir.path().to_string_lossy().into_owned(), "a directory"),
        ];
        for (path, what) in cases {
            assert_eq!(
                explain_socket_file(taken(), &path).to_string(),
                format!("in use ({what} is at that path, not a socket: choose another path)")
            );
        }
        let other = io::Error::new(io::ErrorKind::PermissionDenied, "denied");
        assert_eq!(explain_socket_file(other, "/x").to_string(), "denied");
    }

    #[test]
    fn an_empty_unix_path_is_refused_and_an_empty_address_left_out() {
        let err = unix_socket_path("").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        let err = op_error("listen", "unix", "", err);
        assert_eq!(
            err.to_string(),
            "listen unix: the address of a unix socket is a file path, and it is empty"
        );
        assert_eq!(
            unix_socket_path("/tmp/a.sock").unwrap(),
            Path::new("/tmp/a.sock")
        );
    }

    #[test]
    fn unix_addresses_print_as_their_path_or_at() {
        let dir = TempDir::new("support-net").unwrap();
        let path = dir.join("a.sock");
        let named = unix::UnixDatagram::bind(&path).unwrap();
        let addr = named.local_addr().unwrap();
        assert_eq!(unix_path(&addr), path.display().to_string());
        let unnamed = unix::UnixDatagram::unbound().unwrap();
        assert_eq!(unix_path(&unnamed.local_addr().unwrap()), "@");
    }

    #[test]
    fn first_reachable_returns_the_first_success_or_the_last_error() {
        let a: SocketAddr = "127.0.0.1:1".parse().unwrap();
        let b: SocketAddr = "127.0.0.1:2".parse().unwrap();
        let c: SocketAddr = "127.0.0.1:3".parse().unwrap();
        let only_b = |addr: SocketAddr| {
            if addr == b {
                Ok(addr.port())
            } else {
                Err(io::Error::other(format!("no {}", addr.port())))
            }
        };
        assert_eq!(first_reachable(vec![a, b, c], only_b).unwrap(), 2);
        let err = first_reachable(vec![a, c], only_b).unwrap_err();
        assert_eq!(err.to_string(), "no 3");
        let err = first_reachable(Vec::new(), only_b).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    }

    #[test]
    fn connected_udp_talks_to_its_peer_only() {
        let peer = UdpSocket::bind("127.0.0.1:0").unwrap();
        peer.set_read_timeout(Some(std::time::Duration::from_secs(5)))
            .unwrap();
        let socket = connected_udp(peer.local_addr().unwrap()).unwrap();
        assert_eq!(socket.peer_addr().unwrap(), peer.local_addr().unwrap());
        socket.send(b"hi").unwrap();
        let mut buf = [0; 8];
        let (n, _) = peer.recv_from(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"hi");
    }
}
