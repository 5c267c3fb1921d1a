//! Step 6.1 · `dial-tcp` — Go's `ResolveTCPAddr("tcp4", ..)` and `DialTCP`, with timeouts.

use std::io;
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

/// Go's `ResolveTCPAddr("tcp4", service)`: the first IPv4 address `service` (host:port) names.
pub fn resolve_tcp_addr(service: &str) -> io::Result<SocketAddr> {
    // `to_socket_addrs` parses literals and asks the system resolver for names (getaddrinfo).
    // A name can have several addresses of both families; "tcp4" keeps the first IPv4 one.
    service
        .to_socket_addrs()?
        .find(SocketAddr::is_ipv4)
        .ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::NotFound,
                format!("no IPv4 address for {service}"),
            )
        })
}

/// Go's `DialTCP`: connects to `addr`, giving up after `timeout`. The connection's reads and
/// writes give up after `timeout` too.
pub fn dial_tcp(addr: SocketAddr, timeout: Duration) -> io::Result<TcpStream> {
    // Without a timeout, `connect` to a host that drops packets waits for the kernel's SYN
    // retries: more than two minutes on Linux.
    let conn = TcpStream::connect_timeout(&addr, timeout)?;
    // A server that accepts and then says nothing would otherwise block `read` forever.
    conn.set_read_timeout(Some(timeout))?;
    conn.set_write_timeout(Some(timeout))?;
    Ok(conn)
}
