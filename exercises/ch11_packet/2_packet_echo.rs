//! Step 11.2 · `packet-echo` — an echo server and a request, written once for any packet
//! connection.
//!
//! Read: chapter 11, "Step 2" (book/src/ch11_packet.md).   Check: `cargo run -- check packet-echo`
//!
//! `PacketConn` and its two implementations are given (from `netlings::given::packet`), so
//! this step works even if you skipped step 1.

// Your code will use these imports and parameters; until it does, they are unused.
#![allow(unused_imports, unused_variables)]

use std::io::{self, Write};

use netlings::given::packet::packet_conn::PacketConn;

/// The echo server's buffer: a longer datagram is cut to this size.
pub const BUF_SIZE: usize = 2048;

// ANCHOR: contract
/// Sends one datagram back to its sender, over any packet connection: receive into a buffer
/// of [`BUF_SIZE`] bytes, send exactly the bytes that arrived (an empty datagram too) back to
/// where they came from. Returns the length and the sender.
pub fn echo_once<P: PacketConn>(conn: &P) -> io::Result<(usize, P::Addr)> {
    // TODO: recv_from, then send_to.
    todo!("echo_once()")
}

/// Echoes datagrams forever with [`echo_once`]. A datagram that cannot be answered (its
/// sender is gone, or a Unix client never bound a path to be answered at) is not the end of
/// the server: write `echo: <error> (still serving)` to `log` and go on. Return only if
/// writing to `log` fails.
pub fn serve_echo<P: PacketConn>(conn: &P, log: &mut dyn Write) -> io::Result<()> {
    // TODO: loop
    todo!("serve_echo()")
}

/// Sends `payload` to `to` and returns the next datagram that arrives (received into a
/// buffer of [`BUF_SIZE`] bytes, cut to its length), and who sent it: the sender that came
/// with the datagram, which need not be `to`. The caller has set a read timeout.
pub fn request<P: PacketConn>(
    conn: &P,
    to: &P::Addr,
    payload: &[u8],
) -> io::Result<(Vec<u8>, P::Addr)> {
    // TODO: send_to, then one recv_from.
    todo!("request({to:?}, {payload:?})")
}
// ANCHOR_END: contract
