//! Step 8.1 · `deadlines` — Go's `SetReadDeadline` and `SetWriteDeadline`, built from std's
//! per-call timeouts.
//!
//! Read: chapter 8, "Step 1" (book/src/ch08_timeouts.md).   Check: `cargo run -- check deadlines`
//!
//! Both functions need "the time left until the deadline, or `TimedOut` if there is none": you
//! may write a private helper for it. `is_timeout` says whether an error is an expired timeout.

// Your code will use these imports and parameters; until it does, they are unused.
#![allow(unused_imports, unused_variables)]

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use netlings::support::io::is_timeout;

// ANCHOR: contract
/// Go's `SetReadDeadline(deadline)` followed by `Read`: a read that fails with `TimedOut` once
/// `deadline` has passed, however the time was spent.
///
/// - Data already waiting is returned at once, as `read` returns it; `Ok(0)` is the peer's EOF.
/// - A deadline already past fails at once with `TimedOut` (std refuses a zero timeout).
/// - An expired socket timeout (`WouldBlock` on Unix, `TimedOut` on Windows) becomes
///   `TimedOut`; a read cut short by a signal (`Interrupted`) is tried again.
pub fn read_by(conn: &mut TcpStream, buf: &mut [u8], deadline: Instant) -> io::Result<usize> {
    // TODO: set the read timeout to the time left before the read, then read.
    todo!(
        "read_by(conn, buf, deadline in {:?})",
        deadline.saturating_duration_since(Instant::now())
    )
}

/// Go's `SetWriteDeadline(deadline)` followed by `Write`: sends all of `data`, or fails with
/// `TimedOut` once `deadline` has passed. A peer that stops reading fills our send buffer and
/// blocks `write`; this bounds how long it can hold us.
///
/// - One deadline for all of `data`, however many `write` calls it takes (so not
///   `write_all`: it gives each of its calls the full timeout again).
/// - A `write` that times out after sending a part returns that part: carry on with the rest.
/// - Errors as in [`read_by`]: `TimedOut` for an expired timeout, `Interrupted` retried.
pub fn write_by(conn: &mut TcpStream, data: &[u8], deadline: Instant) -> io::Result<()> {
    // TODO: a loop of `write`s, each with the time left as its write timeout.
    todo!(
        "write_by(conn, {} bytes, deadline in {:?})",
        data.len(),
        deadline.saturating_duration_since(Instant::now())
    )
}
// ANCHOR_END: contract
