//! Step 8.3 · `keepalive` — Go's `DialTimeout`, and `SetKeepAlive` with the period, interval
//! and count of Go 1.23's `KeepAliveConfig`.

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

/// Go's `DialTimeout("tcp", addr, timeout)`: connects, or fails with `TimedOut` after `timeout`.
pub fn dial_timeout(addr: SocketAddr, timeout: Duration) -> io::Result<TcpStream> {
    // A plain `connect` waits as long as the kernel keeps retrying the SYN (over two minutes
    // on Linux) when the server's accept queue is full or a firewall drops packets.
    TcpStream::connect_timeout(&addr, timeout)
}

/// Go's `SetKeepAlive(true)` plus the period, interval and count of Go 1.23's
/// `KeepAliveConfig`: std has no keepalive at all, socket2 has all of it.
pub fn set_keepalive(conn: &TcpStream, settings: &Keepalive) -> io::Result<()> {
    let params = TcpKeepalive::new()
        .with_time(settings.time)
        .with_interval(settings.interval)
        .with_retries(settings.retries);
    // SockRef borrows the socket of a std type to reach options std does not wrap; setting
    // the parameters turns SO_KEEPALIVE on too.
    SockRef::from(conn).set_tcp_keepalive(&params)
}

/// The keepalive settings the kernel holds for `conn` (getsockopt), or `None` when keepalive
/// is off.
pub fn keepalive(conn: &TcpStream) -> io::Result<Option<Keepalive>> {
    let socket = SockRef::from(conn);
    if !socket.keepalive()? {
        return Ok(None);
    }
    // Read back rather than trust what we set: the kernel may round or clamp.
    Ok(Some(Keepalive {
        time: socket.tcp_keepalive_time()?,
        interval: socket.tcp_keepalive_interval()?,
        retries: socket.tcp_keepalive_retries()?,
    }))
}
