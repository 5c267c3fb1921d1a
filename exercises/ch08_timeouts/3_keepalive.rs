//! Step 8.3 · `keepalive` — Go's `DialTimeout`, and `SetKeepAlive` with the period, interval
//! and count of Go 1.23's `KeepAliveConfig`.
//!
//! Read: chapter 8, "Step 3" (book/src/ch08_timeouts.md).   Check: `cargo run -- check keepalive`
//!
//! std connects with a timeout but has no keepalive at all; the `socket2` crate reaches the
//! socket options of a std socket through `SockRef::from(&stream)`.

// Your code will use these imports and parameters; until it does, they are unused.
#![allow(unused_imports, unused_variables)]

use std::io;
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use socket2::{SockRef, TcpKeepalive};

/// TCP keepalive settings: after `time` without traffic the kernel sends a probe, then one every
/// `interval`; after `retries` unanswered probes it resets the connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keepalive {
    /// Idle time before the first probe (`TCP_KEEPIDLE`, whole seconds on Linux).
    pub time: Duration,
    /// Time between unanswered probes (`TCP_KEEPINTVL`, whole seconds on Linux).
    pub interval: Duration,
    /// Unanswered probes before the connection is reset (`TCP_KEEPCNT`).
    pub retries: u32,
}

// ANCHOR: contract
/// Go's `DialTimeout("tcp", addr, timeout)`: connects, or fails with `TimedOut` after `timeout`
/// (a server whose accept queue is full never answers the SYN).
pub fn dial_timeout(addr: SocketAddr, timeout: Duration) -> io::Result<TcpStream> {
    // TODO: one call in std.
    todo!("dial_timeout({addr}, {timeout:?})")
}

/// Go's `SetKeepAlive(true)` plus the period, interval and count of Go 1.23's
/// `KeepAliveConfig`: turns keepalive on for `conn` with all three `settings`.
pub fn set_keepalive(conn: &TcpStream, settings: &Keepalive) -> io::Result<()> {
    // TODO: build a `socket2::TcpKeepalive` and set it through `SockRef::from(conn)`.
    todo!("set_keepalive(conn, {settings:?})")
}

/// The keepalive settings the kernel holds for `conn` (getsockopt), or `None` when keepalive
/// is off, as it is on a new connection.
pub fn keepalive(conn: &TcpStream) -> io::Result<Option<Keepalive>> {
    // TODO: `SockRef` has `keepalive()` and `tcp_keepalive_{time,interval,retries}()`.
    todo!("keepalive(conn)")
}
// ANCHOR_END: contract
