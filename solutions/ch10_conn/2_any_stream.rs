//! Step 10.2 · `any-stream` — one type for three sockets, and one handler for any stream.

use std::io::{self, Read, Write};
use std::net::{TcpStream, UdpSocket};
use std::os::unix::net::UnixStream;
use std::time::Duration;

use netlings::support::network::unix_path;

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

    /// Sockets keep no bytes in user space: `write` hands them to the kernel. Nothing to flush.
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

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

/// Copies everything `stream` sends back to it until the peer closes its side (a read of 0
/// bytes). Written once for any `Read + Write`: a TCP stream, a Unix stream, a `Conn`.
/// Returns the number of bytes echoed.
pub fn echo<S: Read + Write>(mut stream: S) -> io::Result<u64> {
    // `io::copy(&mut stream, &mut stream)` would borrow `stream` mutably twice: copy by hand.
    let mut buf = [0; 4096];
    let mut total = 0;
    loop {
        let n = match stream.read(&mut buf) {
            Ok(0) => return Ok(total),
            Ok(n) => n,
            // A signal arrived before any byte did: nothing happened, read again.
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        // `write` may take only part of the buffer; `write_all` loops until all is sent.
        stream.write_all(&buf[..n])?;
        total += n as u64;
    }
}
