//! Step 10.3 · `dial-listen` — Go's `Dial` and `Listen`: a network name picks the socket.
//!
//! Read: chapter 10, "Step 3" (book/src/ch10_conn.md).   Check: `cargo run -- check dial-listen`
//!
//! Steps 1 and 2 are given (from `netlings::given::conn`), so this step works even if you
//! skipped them. The error texts and two dialing helpers come from the library
//! (`netlings::support::network`).

// Your code will use these imports; until it does, they are unused.
#![allow(unused_imports)]

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

// ANCHOR: dial
/// Go's `Dial(network, address)`: a connection over any of the networks, as one type.
///
/// - Unknown network: [`unknown_network`]`("dial", network)` (`dial foo: unknown network foo`).
/// - unix: `UnixStream::connect` on [`unix_socket_path`]`(address)`, which refuses an empty
///   path with an `InvalidInput` error that says so (the kernel would say `Invalid argument`).
/// - tcp, tcp4, tcp6: [`resolve`] with the network's family, then
///   `TcpStream::connect_timeout` with [`DIAL_TIMEOUT`] on each address until one answers
///   ([`first_reachable`] does the loop).
/// - udp, udp4, udp6: the same with [`connected_udp`].
/// - Every other error is wrapped with [`op_error`]`("dial", network, address, e)`.
pub fn dial(network: &str, address: &str) -> io::Result<Conn> {
    // TODO: parse the name, then one match arm per kind of socket.
    todo!("dial({network:?}, {address:?})")
}
// ANCHOR_END: dial

// ANCHOR: listener
/// What Go's `Listen` returns: something that accepts connections.
#[derive(Debug)]
pub enum Listener {
    Tcp(TcpListener),
    /// The path is kept so that dropping the listener removes the socket file, as Go's
    /// `Close` does; otherwise the next `bind` to that path fails with `AddrInUse`.
    Unix(UnixListener, PathBuf),
}
// ANCHOR_END: listener

impl Listener {
    // ANCHOR: accept
    /// Go's `Accept`: waits for the next connection and wraps it in a [`Conn`].
    pub fn accept(&self) -> io::Result<Conn> {
        // TODO: match self
        todo!("Listener::accept({self:?})")
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
///
/// - Unknown network: [`unknown_network`]`("listen", network)`.
/// - unix: `UnixListener::bind` on [`unix_socket_path`]`(address)` (an empty path would bind
///   a random name no client can find), kept as `Listener::Unix(listener, path)`.
/// - tcp, tcp4, tcp6: an empty host (`:7000`) means every interface (`0.0.0.0`, or `[::]`
///   for tcp6); then [`resolve`] with the network's family and `TcpListener::bind`.
/// - udp, udp4, udp6: an `InvalidInput` error, `a datagram network has no connections to
///   accept: use listen_packet (chapter 11)`.
/// - Every error but the unknown network is wrapped with
///   [`op_error`]`("listen", network, address, e)`.
pub fn listen(network: &str, address: &str) -> io::Result<Listener> {
    // TODO: the same shape as dial.
    todo!("listen({network:?}, {address:?})")
}
// ANCHOR_END: listen
