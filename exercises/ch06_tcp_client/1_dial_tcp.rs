//! Step 6.1 · `dial-tcp` — Go's `ResolveTCPAddr("tcp4", ..)` and `DialTCP`, with timeouts.
//!
//! Read: chapter 6, "Step 1" (book/src/ch06_tcp_client.md).   Check: `cargo run -- check dial-tcp`

// Your code will use these imports and parameters; until it does, they are unused.
#![allow(unused_imports, unused_variables)]

use std::io;
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

// ANCHOR: contract
/// Go's `ResolveTCPAddr("tcp4", service)`: the first IPv4 address `service` (host:port) names.
///
/// - `"127.0.0.1:80"` and `"localhost:8080"` resolve; `"[::1]:80"` has no IPv4 address, which
///   is an error of kind `io::ErrorKind::NotFound`.
/// - No port (`"127.0.0.1"`), a service name (`"127.0.0.1:http"`) or a port above 65535 is
///   the resolver's error (`InvalidInput`): pass it on.
pub fn resolve_tcp_addr(service: &str) -> io::Result<SocketAddr> {
    // TODO: `to_socket_addrs` gives every address; keep the first IPv4 one.
    todo!("resolve_tcp_addr({service:?})")
}

/// Go's `DialTCP`: connects to `addr`, giving up after `timeout`. The connection's reads and
/// writes give up after `timeout` too, so a server that accepts and says nothing cannot block
/// the client forever.
///
/// A refused connection is `ConnectionRefused` (at once, on loopback); a server that never
/// answers is `TimedOut` after `timeout`.
pub fn dial_tcp(addr: SocketAddr, timeout: Duration) -> io::Result<TcpStream> {
    // TODO: connect with a timeout, then set the read and write timeouts.
    todo!("dial_tcp({addr}, {timeout:?})")
}
// ANCHOR_END: contract
