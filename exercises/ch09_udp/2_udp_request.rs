//! Step 9.2 · `udp-request` — Go's `DialUDP` with `Write`/`Read`, or `WriteToUDP`/`ReadFromUDP`:
//! a client that asks, waits a bounded time, and asks again.
//!
//! Read: chapter 9, "Step 2" (book/src/ch09_udp.md).   Check: `cargo run -- check udp-request`
//!
//! `client_socket` (from `netlings::support::udp`) binds the client's end; `is_timeout` says
//! whether an error is an expired read timeout. You may add a private helper for one attempt.

// Your code will use these imports and parameters; until it does, they are unused.
#![allow(unused_imports, unused_variables)]

use std::io;
use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use netlings::support::io::is_timeout;
use netlings::support::udp::client_socket;

/// The clients' receive buffer: the largest payload any UDP datagram carries (65 527 bytes,
/// over IPv6; 65 507 over IPv4), so no answer is ever cut to fit.
pub const CLIENT_BUF: usize = 65_527;

/// A client's patience: each attempt sends the request once and waits `timeout` for an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    /// How long one attempt waits for the answer.
    pub timeout: Duration,
    /// How many attempts before giving up.
    pub attempts: u32,
}

/// How a client talks to its server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `connect` once, then `send`/`recv`: Go's `DialUDP` plus `Write`/`Read`.
    Connected,
    /// `send_to`/`recv_from` with the address on every call: Go's `WriteToUDP`/`ReadFromUDP`.
    Unconnected,
}

// ANCHOR: contract
/// Sends `payload` to `server` and returns the answer.
///
/// - Make the socket with `client_socket(server)`; give it a read timeout of `retry.timeout`
///   so a lost datagram cannot block you forever.
/// - `Mode::Connected`: `connect(server)` once, then `send`/`recv`.
///   `Mode::Unconnected`: `send_to(payload, server)`/`recv_from`, ignoring datagrams that do
///   not come from `server`. Strangers must not make the attempt longer: it ends
///   `retry.timeout` after the send, so give each `recv_from` only the time left.
/// - Up to `retry.attempts` attempts: send, then wait for one answer. A timeout (see
///   `is_timeout`) means "try again"; any other error (ConnectionRefused) is returned at once.
/// - Out of attempts: an error of kind `TimedOut` whose message is
///   `no answer from {server} after {attempts} attempts of {timeout:?}`.
/// - Receive into a buffer of [`CLIENT_BUF`] bytes and return exactly what arrived.
pub fn request(
    server: SocketAddr,
    mode: Mode,
    payload: &[u8],
    retry: Retry,
) -> io::Result<Vec<u8>> {
    // TODO: set up the socket once; then a loop of attempts.
    todo!("request({server}, {mode:?}, {payload:?}, {retry:?})")
}
// ANCHOR_END: contract
