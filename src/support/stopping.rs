//! What a blocking TCP server needs to stop cleanly (chapter 7): the connections it has open,
//! so it can end them, and the address it can connect to, to wake its own `accept`.
//!
//! std's blocking `accept` and `read` have no "cancel": a thread blocked in one returns only
//! when something happens on the socket. So a server that wants to stop makes something happen:
//! it connects to itself (see [`loopback_if_unspecified`]) and shuts down every connection it
//! still has open (see [`OpenConns`]).

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpStream};
use std::ops::Deref;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

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
/// A connection is shared, not duplicated. [`add`] takes the stream and returns an
/// [`OpenConn`], the handle the connection's thread serves it through, and keeps a second `Arc`
/// to the same stream for itself: one file descriptor per connection. (A second handle made
/// with `TcpStream::try_clone` duplicates the descriptor, and halves the clients a process can
/// serve under its descriptor limit.)
///
/// [`close_all`] calls `shutdown(Shutdown::Both)` on every open connection. `shutdown` acts on
/// the connection itself, not on one handle, so the thread blocked in `read` gets 0 (EOF) and
/// ends. Dropping an [`OpenConn`] (when its thread ends, even by a panic) removes the connection
/// from the registry, and the last `Arc` to go closes the socket: a connection can never be
/// left open by a thread that forgot to say it was done.
///
/// Shared by reference between the accept loop and the connections' threads (scoped threads,
/// or an `Arc`): every method takes `&self`.
///
/// [`add`]: OpenConns::add
/// [`close_all`]: OpenConns::close_all
#[derive(Debug, Default)]
pub struct OpenConns {
    next_id: AtomicU64,
    conns: Mutex<HashMap<u64, Arc<TcpStream>>>,
}

impl OpenConns {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers `conn` until the returned handle is dropped. The handle derefs to the
    /// `TcpStream` (`&TcpStream` reads and writes); give it to the connection's thread.
    pub fn add(&self, conn: TcpStream) -> OpenConn<'_> {
        let conn = Arc::new(conn);
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        self.lock().insert(id, Arc::clone(&conn));
        OpenConn {
            registry: self,
            id,
            conn,
        }
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

    /// Forgets connection `id`, dropping the registry's `Arc` to it.
    fn remove(&self, id: u64) {
        self.lock().remove(&id);
    }

    /// The map, even if a thread panicked while holding it: a registry of handles is never
    /// left half-updated, so its contents are still right.
    fn lock(&self) -> MutexGuard<'_, HashMap<u64, Arc<TcpStream>>> {
        self.conns.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A connection registered in an [`OpenConns`], as [`OpenConns::add`] returns it. It derefs to
/// the `TcpStream`. Dropping it removes the connection from the registry; once nobody else
/// holds it (a `close_all` running at that moment), the socket is closed.
#[derive(Debug)]
pub struct OpenConn<'a> {
    registry: &'a OpenConns,
    id: u64,
    conn: Arc<TcpStream>,
}

impl OpenConn<'_> {
    /// The number the registry knows this connection by: 0 for the first one added, then 1, ...
    pub fn id(&self) -> u64 {
        self.id
    }
}

impl Deref for OpenConn<'_> {
    type Target = TcpStream;

    fn deref(&self) -> &TcpStream {
        &self.conn
    }
}

impl Drop for OpenConn<'_> {
    fn drop(&mut self) {
        self.registry.remove(self.id);
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
    fn close_all_ends_a_blocked_read_on_the_connection() {
        let open = OpenConns::new();
        let (client, server) = pair();
        let conn = open.add(server);
        assert_eq!(open.len(), 1);
        std::thread::scope(|scope| {
            let reader = scope.spawn(|| (&*conn).read(&mut [0; 16]).map_err(|e| e.kind()));
            open.close_all();
            assert_eq!(reader.join().unwrap(), Ok(0), "the blocked read sees EOF");
        });
        let mut rest = Vec::new();
        assert_eq!(
            (&client).read_to_end(&mut rest).unwrap(),
            0,
            "the peer sees the close"
        );
    }

    #[test]
    fn dropping_a_connection_forgets_it_and_closes_it() {
        let open = OpenConns::new();
        let (client, server) = pair();
        let (other_client, other_server) = pair();
        let conn = open.add(server);
        let other = open.add(other_server);
        assert_ne!(conn.id(), other.id());
        assert!(!open.is_empty());
        drop(conn);
        assert_eq!(open.len(), 1);
        // The registry kept no handle of its own: the socket is closed, and the peer sees EOF.
        let mut rest = Vec::new();
        assert_eq!((&client).read_to_end(&mut rest).unwrap(), 0);
        // The other connection is still open.
        (&*other).write_all(b"still open").unwrap();
        let mut got = [0; 10];
        (&other_client).read_exact(&mut got).unwrap();
        assert_eq!(&got, b"still open");
        drop(other);
        assert!(open.is_empty());
    }
}
