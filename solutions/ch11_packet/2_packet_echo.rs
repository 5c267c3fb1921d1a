//! Step 11.2 · `packet-echo` — an echo server and a request, written once for any packet
//! connection.

use std::io::{self, Write};

use netlings::given::packet::packet_conn::PacketConn;

/// The echo server's buffer: a longer datagram is cut to this size.
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

/// Sends `payload` to `to` and returns the next datagram that arrives, and who sent it. The
/// caller sets a read timeout first, or a lost datagram waits forever.
pub fn request<P: PacketConn>(
    conn: &P,
    to: &P::Addr,
    payload: &[u8],
) -> io::Result<(Vec<u8>, P::Addr)> {
    conn.send_to(payload, to)?;
    let mut buf = vec![0; BUF_SIZE];
    // Whoever answers: the sender comes with the datagram, and it need not be `to`.
    let (n, from) = conn.recv_from(&mut buf)?;
    buf.truncate(n);
    Ok((buf, from))
}
