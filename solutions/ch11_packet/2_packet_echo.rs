//! Step 11.2 · `packet-echo` — an echo server and a request, written once for any packet
//! connection.

use std::io::{self, Write};
use std::time::{Duration, Instant};

use netlings::given::packet::packet_conn::PacketConn;

/// The echo server's and the client's buffer: a longer datagram is cut to this size.
pub const BUF_SIZE: usize = 2048;

/// Sends one datagram back to its sender, over any packet connection. Returns its length and
/// the sender.
pub fn echo_once<P: PacketConn>(conn: &P) -> io::Result<(usize, P::Addr)> {
    let mut buf = [0; BUF_SIZE];
    let (n, from) = conn.recv_from(&mut buf)?;
    // Exactly the bytes that arrived, even none: an empty datagram is a message too.
    conn.send_to(&buf[..n], &from)?;
    Ok((n, from))
}

/// Echoes datagrams forever. A datagram that cannot be answered (its sender is gone, or a
/// Unix client never bound a path to be answered at) is logged and the server goes on.
/// Returns only if writing to `log` fails.
pub fn serve_echo<P: PacketConn>(conn: &P, log: &mut dyn Write) -> io::Result<()> {
    // One socket serves every client, so one bad datagram must not end the server.
    loop {
        if let Err(e) = echo_once(conn) {
            writeln!(log, "echo: {e} (still serving)")?;
        }
    }
}

/// Sends `payload` to `to` and returns the answer: the first datagram that comes back from
/// `to` within `timeout`. Datagrams from anyone else are noted in `log` and skipped; an answer
/// longer than [`BUF_SIZE`] is cut to it, and `log` says so.
pub fn request<P: PacketConn>(
    conn: &P,
    to: &P::Addr,
    payload: &[u8],
    timeout: Duration,
    log: &mut dyn Write,
) -> io::Result<Vec<u8>> {
    conn.send_to(payload, to)?;
    // One deadline for the whole wait: a read timeout starts again with every read, so a
    // stranger writing every few milliseconds would keep a per-read timeout from ever expiring.
    let deadline = Instant::now() + timeout;
    // One byte more than we keep: a datagram that fills the buffer was longer than BUF_SIZE,
    // and the kernel has cut it without a word.
    let mut buf = vec![0; BUF_SIZE + 1];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        conn.set_read_timeout(Some(left))?;
        let (n, from) = conn.recv_from(&mut buf)?;
        // Anyone can send to an unconnected socket: only a datagram from `to` is the answer.
        if !P::same_addr(&from, to) {
            writeln!(log, "ignored a datagram from {from:?}: not from {to:?}")?;
            continue;
        }
        if n > BUF_SIZE {
            writeln!(log, "the answer from {to:?} was cut to {BUF_SIZE} bytes")?;
        }
        buf.truncate(n.min(BUF_SIZE));
        return Ok(buf);
    }
}
