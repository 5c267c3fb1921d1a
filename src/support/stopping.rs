//! What a blocking TCP server needs to stop cleanly (chapter 7): the connections it has open,
//! so it can end them, and the address it can connect to, to wake its own `accept`.
//!
//! std's blocking `accept` and `read` have no "cancel": a thread blocked in one returns only
//! when something happens on the socket. So a server that wants to stop makes something happen:
//! it connects to itself (see [`loopback_if_unspecified`]) and shuts down every connection it
//! still has open (see [`OpenConns`]).

use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// The address to connect to, from this host, to reach a listener bound to `listening`.
///
/// A listener on a wildcard address (`0.0.0.0` or `::`, "every interface") has no address one
/// can connect *to*: Linux happens to treat a connect to `0.0.0.0` as local, Windows refuses it.
/// Every such listener is reachable on the loopback address of its family, so that is what this
/// returns; any other address is returned as it is.
///
/// ```
/// use netlings::support::stopping::loopback_if_unspecified;
///
/// let any = "0.0.0.0:7007".parse().unwrap();
/// assert_eq!(loopback_if_unspecified(any), "127.0.0.1:7007".parse().unwrap());
/// let any6 = "[::]:7007".parse().unwrap();
/// assert_eq!(loopback_if_unspecified(any6), "[::1]:7007".parse().unwrap());
/// let here = "192.0.2.1:7007".parse().unwrap();
/// assert_eq!(loopback_if_unspecified(here), here);
/// ```
pub fn loopback_if_unspecified(listening: SocketAddr) -> SocketAddr {
    let mut addr = listening;
    if addr.ip().is_unspecified() {
        addr.set_ip(match addr.ip() {
            IpAddr::V4(_) => Ipv4Addr::LOCALHOST.into(),
            IpAddr::V6(_) => Ipv6Addr::LOCALHOST.into(),
        });
    }
    addr
}

/// The connections a server has open, so that it can end them all when it stops.
///
/// The server keeps a second handle to each connection (`TcpStream::try_clone`, a duplicated
/// file descriptor) while the connection's own thread owns the first. [`close_all`] calls
/// `shutdown(Shutdown::Both)` on every handle: unlike dropping one handle, which closes nothing
/// while another one exists, `shutdown` acts on the connection itself, so the thread blocked in
/// `read` on the other handle gets 0 (EOF) and ends.
///
/// Shared by reference between the accept loop and the connections' threads (scoped threads,
/// or an `Arc`): every method takes `&self`.
///
/// [`close_all`]: OpenConns::close_all
#[derive(Debug, Default)]
pub struct OpenConns {
    next_id: AtomicU64,
    conns: Mutex<HashMap<u64, TcpStream>>,
}

impl OpenConns {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// Remembers a second handle to `conn` and returns the id to [`remove`](Self::remove) it
    /// by. Fails if the handle cannot be made (the process is out of file descriptors).
    pub fn add(&self, conn: &TcpStream) -> io::Result<u64> {
        let handle = conn.try_clone()?;
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        self.lock().insert(id, handle);
        Ok(id)
    }

    /// Forgets connection `id` and closes the registry's handle to it: call it when the
    /// connection's thread is done with it.
    pub fn remove(&self, id: u64) {
        self.lock().remove(&id);
    }

    /// How many connections are open.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no connection is open.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Shuts every open connection down, both ways: each blocked `read` on it returns 0 and
    /// each later `write` fails, so their threads end. The peers see the connection close.
    pub fn close_all(&self) {
        for conn in self.lock().values() {
            // A connection the peer already closed may refuse (`NotConnected`): it is over
            // either way.
            let _ = conn.shutdown(Shutdown::Both);
        }
    }

    /// The map, even if a thread panicked while holding it: a registry of handles is never
    /// left half-updated, so its contents are still right.
    fn lock(&self) -> MutexGuard<'_, HashMap<u64, TcpStream>> {
        self.conns.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::net::TcpListener;
    use std::time::Duration;

    use super::*;

    /// A connected pair on loopback: (client, server side), reads giving up after 5 s.
    fn pair() -> (TcpStream, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        for s in [&client, &server] {
            s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        }
        (client, server)
    }

    #[test]
    fn only_wildcard_addresses_become_loopback() {
        let cases = [
            ("0.0.0.0:1", "127.0.0.1:1"),
            ("[::]:2", "[::1]:2"),
            ("127.0.0.1:3", "127.0.0.1:3"),
            ("10.1.2.3:4", "10.1.2.3:4"),
            ("[2001:db8::1]:5", "[2001:db8::1]:5"),
            ("[fe80::1%2]:6", "[fe80::1%2]:6"),
        ];
        for (listening, expected) in cases {
            let listening: SocketAddr = listening.parse().unwrap();
            let expected: SocketAddr = expected.parse().unwrap();
            assert_eq!(loopback_if_unspecified(listening), expected, "{listening}");
        }
    }

    #[test]
    fn close_all_ends_a_blocked_read_on_the_other_handle() {
        let open = OpenConns::new();
        let (client, server) = pair();
        open.add(&server).unwrap();
        assert_eq!(open.len(), 1);
        let reader = std::thread::spawn(move || (&server).read(&mut [0; 16]).map_err(|e| e.kind()));
        open.close_all();
        assert_eq!(reader.join().unwrap(), Ok(0), "the blocked read sees EOF");
        let mut rest = Vec::new();
        assert_eq!(
            (&client).read_to_end(&mut rest).unwrap(),
            0,
            "the peer sees the close"
        );
    }

    #[test]
    fn a_removed_connection_is_left_alone() {
        let open = OpenConns::new();
        let (client, server) = pair();
        let (_other_client, other_server) = pair();
        let id = open.add(&server).unwrap();
        let other = open.add(&other_server).unwrap();
        assert_ne!(id, other);
        open.remove(id);
        assert_eq!(open.len(), 1);
        open.close_all();
        (&server).write_all(b"still open").unwrap();
        let mut got = [0; 10];
        (&client).read_exact(&mut got).unwrap();
        assert_eq!(&got, b"still open");
        open.remove(other);
        assert!(open.is_empty());
    }
}
