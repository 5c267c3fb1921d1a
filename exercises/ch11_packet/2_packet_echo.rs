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
use std::time::{Duration, Instant};

use netlings::given::packet::packet_conn::PacketConn;

/// The echo server's and the client's buffer: a longer datagram is cut to this size.
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

/// Sends `payload` to `to` and returns the answer: the first datagram that comes back *from
/// `to`* within `timeout` in all.
///
/// - Anyone can send to an unconnected socket: a datagram from another sender
///   ([`PacketConn::same_addr`] says no) is not the answer. Write `ignored a datagram from
///   {from:?}: not from {to:?}` to `log` and keep waiting.
/// - `timeout` bounds the whole wait, however many strangers write: fix a deadline once, and
///   before each read set the read timeout to the time left. Past the deadline, return an
///   error of kind `TimedOut` (an expired read timeout, `WouldBlock`, may be returned as it is).
/// - Receive into a buffer of `BUF_SIZE + 1` bytes: an answer that fills it was longer than
///   [`BUF_SIZE`] and the kernel cut it. Return its first `BUF_SIZE` bytes and write `the
///   answer from {to:?} was cut to {BUF_SIZE} bytes` to `log`.
pub fn request<P: PacketConn>(
    conn: &P,
    to: &P::Addr,
    payload: &[u8],
    timeout: Duration,
    log: &mut dyn Write,
) -> io::Result<Vec<u8>> {
    // TODO: send_to, then recv_from until a datagram from `to` arrives or the deadline passes.
    todo!("request({to:?}, {payload:?}, {timeout:?})")
}
// ANCHOR_END: contract
