//! Step 11.1 · `packet-conn` — Go's `PacketConn` as a Rust trait, for UDP and Unix datagrams.
//!
//! Read: chapter 11, "Step 1" (book/src/ch11_packet.md).   Check: `cargo run -- check packet-conn`
//!
//! The trait and its implementation for `UdpSocket` are written: implement it for
//! `UnixDatagram` the same way.

use std::fmt::Debug;
use std::io;
use std::net::{SocketAddr, UdpSocket};
use std::os::unix::net::{self, UnixDatagram};
use std::time::Duration;

// ANCHOR: trait
/// Go's `PacketConn`: a socket that sends and receives whole datagrams, each with the address
/// of the other end.
///
/// Go's version uses the `net.Addr` interface for every kind of address; here each socket
/// type names its own address type, so a UDP address can never be handed to a Unix socket.
pub trait PacketConn {
    /// Who sent a datagram, or where to send one.
    type Addr: Clone + Debug + Send;

    /// Go's `ReadFrom`: one datagram into `buf` (cut to `buf.len()`), and its sender.
    fn recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, Self::Addr)>;

    /// Go's `WriteTo`: `buf` as one datagram to `addr`.
    fn send_to(&self, buf: &[u8], addr: &Self::Addr) -> io::Result<usize>;

    /// Go's `LocalAddr`.
    fn local_addr(&self) -> io::Result<Self::Addr>;

    /// Go's `SetReadDeadline`, as a per-read timeout (`None`: wait forever).
    fn set_read_timeout(&self, timeout: Option<Duration>) -> io::Result<()>;

    /// Whether `a` and `b` are the same address: how a client tells its server's answer from
    /// a stranger's datagram, since anyone can send to an unconnected socket. (Not Go's: Go
    /// compares `Addr.String()`s.)
    fn same_addr(a: &Self::Addr, b: &Self::Addr) -> bool;
}
// ANCHOR_END: trait

// ANCHOR: impl_udp
/// UDP: the address is an IP address and a port.
impl PacketConn for UdpSocket {
    type Addr = SocketAddr;

    // The inherent methods have the same names. `self.recv_from(buf)` would pick them too
    // (inherent methods win over trait methods); `UdpSocket::` makes that visible. Only
    // `PacketConn::recv_from(self, buf)` would call this very method, forever.
    fn recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        UdpSocket::recv_from(self, buf)
    }

    fn send_to(&self, buf: &[u8], addr: &SocketAddr) -> io::Result<usize> {
        UdpSocket::send_to(self, buf, addr)
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        UdpSocket::local_addr(self)
    }

    fn set_read_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        UdpSocket::set_read_timeout(self, timeout)
    }

    fn same_addr(a: &SocketAddr, b: &SocketAddr) -> bool {
        a == b
    }
}
// ANCHOR_END: impl_udp

// ANCHOR: impl_unix
/// Unix datagrams: the address is a path (or unnamed). `UnixDatagram::send_to` takes a path;
/// the method that takes the `SocketAddr` that `recv_from` returned is `send_to_addr`.
impl PacketConn for UnixDatagram {
    /// A socket path, or "unnamed" for a socket that never bound one.
    type Addr = net::SocketAddr;

    fn recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, net::SocketAddr)> {
        // TODO: the UnixDatagram method of the same name, called by its path.
        todo!("UnixDatagram as PacketConn: recv_from({} bytes)", buf.len())
    }

    fn send_to(&self, buf: &[u8], addr: &net::SocketAddr) -> io::Result<usize> {
        // TODO: not UnixDatagram::send_to, which takes a path.
        todo!("UnixDatagram as PacketConn: send_to({buf:?}, {addr:?})")
    }

    fn local_addr(&self) -> io::Result<net::SocketAddr> {
        // TODO
        todo!("UnixDatagram as PacketConn: local_addr()")
    }

    // Written for you, as the pattern to follow: the socket's own method, called by its path.
    fn set_read_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        UnixDatagram::set_read_timeout(self, timeout)
    }

    // Written for you: std's Unix address has no `==`, so compare what names it.
    fn same_addr(a: &net::SocketAddr, b: &net::SocketAddr) -> bool {
        // Two paths, equal as the binder wrote them. An unnamed address is nobody: no answer
        // can come from it.
        a.as_pathname().is_some() && a.as_pathname() == b.as_pathname()
    }
}
// ANCHOR_END: impl_unix
