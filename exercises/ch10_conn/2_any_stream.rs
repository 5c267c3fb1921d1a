//! Step 10.2 · `any-stream` — one type for three sockets, and one handler for any stream.
//!
//! Read: chapter 10, "Step 2" (book/src/ch10_conn.md).   Check: `cargo run -- check any-stream`
//!
//! `Conn` and its two methods are written; make it `Read` and `Write`, then write `echo`.

// Your `echo` will read from and write to its `mut stream`; until it does, the parameter is
// unused and needs no `mut`.
#![allow(unused_variables, unused_mut)]

use std::io::{self, Read, Write};
use std::net::{TcpStream, UdpSocket};
use std::os::unix::net::UnixStream;
use std::time::Duration;

use netlings::support::network::unix_path;

// ANCHOR: conn
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
// ANCHOR_END: conn

// ANCHOR: read_write
impl Read for Conn {
    /// Reads from whichever socket this is. `UdpSocket` has no `read`: its `recv` is the one.
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // TODO: match self, one arm per variant.
        todo!("Conn::read({self:?}, {} bytes)", buf.len())
    }
}

impl Write for Conn {
    /// Writes to whichever socket this is. `UdpSocket` has no `write`: its `send` is the one.
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // TODO: the same, the other way.
        todo!("Conn::write({self:?}, {buf:?})")
    }

    /// Sockets keep no bytes in user space: `write` hands them to the kernel. Nothing to flush.
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
// ANCHOR_END: read_write

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

// ANCHOR: echo
/// Copies everything `stream` sends back to it until the peer closes its side (a read of 0
/// bytes). Written once for any `Read + Write`: a TCP stream, a Unix stream, a `Conn`.
/// Returns the number of bytes echoed.
///
/// - A read that fails with `Interrupted` (a signal arrived first) is retried.
/// - Every byte read is sent back, however little each `write` takes.
pub fn echo<S: Read + Write>(mut stream: S) -> io::Result<u64> {
    // TODO: read into a buffer, write back what you read, stop at 0.
    todo!("echo()")
}
// ANCHOR_END: echo
