//! Step 9.1 · `udp-server` — Go's `ListenUDP`, `ReadFromUDP` and `WriteToUDP`: Newmarch's UDP
//! daytime server, a UDP echo server, and the loop that keeps them serving.
//!
//! Read: chapter 9, "Step 1" (book/src/ch09_udp.md).   Check: `cargo run -- check udp-server`
//!
//! The tests hand you a socket already bound, with a datagram waiting.

// Your code will use these imports and parameters (and change the `mut` one); until it does,
// they are unused.
#![allow(unused_imports, unused_variables, unused_mut)]

use std::io::{self, Write};
use std::net::{SocketAddr, UdpSocket};

use netlings::support::clock::{Clock, go_time_string};

/// The servers' receive buffer, Newmarch's 512 bytes: a longer datagram is cut to this size.
pub const SERVER_BUF: usize = 512;

// ANCHOR: contract
/// Answers one datagram with the time: the body of Newmarch's server loop. Returns who asked.
///
/// Receive one datagram into a buffer of [`SERVER_BUF`] bytes (its content does not matter),
/// read `clock` (for every request: never once at start-up), and send
/// `go_time_string(clock.now())` back to the address the datagram came from.
pub fn daytime_once(socket: &UdpSocket, clock: &dyn Clock) -> io::Result<SocketAddr> {
    // TODO: recv_from, then send_to the sender.
    todo!("daytime_once({socket:?})")
}

/// Sends one datagram back to its sender. Returns its length and the sender.
///
/// Receive into a buffer of [`SERVER_BUF`] bytes (Newmarch's 512) and send back exactly the
/// bytes that arrived. An empty datagram is a message too: echo it.
pub fn echo_once(socket: &UdpSocket) -> io::Result<(usize, SocketAddr)> {
    // TODO: recv_from, then send_to what arrived.
    todo!("echo_once({socket:?})")
}

/// Runs `handle` for one datagram after another, forever. An error concerns one datagram, never
/// the server: write `udp server: <error> (still serving)` to `log` and go on. Return only if
/// writing to `log` fails.
pub fn serve<T>(
    socket: &UdpSocket,
    log: &mut dyn Write,
    mut handle: impl FnMut(&UdpSocket) -> io::Result<T>,
) -> io::Result<()> {
    // TODO: a loop that calls `handle(socket)` and logs its errors.
    todo!("serve({socket:?})")
}
// ANCHOR_END: contract
