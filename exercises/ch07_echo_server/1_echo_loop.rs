//! Step 7.1 · `echo-loop` — the notes' `handleClient`, done right: echo until EOF, then close.
//!
//! Read: chapter 7, "Step 1" (book/src/ch07_echo_server.md).   Check: `cargo run -- check echo-loop`

// Your code will use these imports and parameters; until it does, they are unused.
#![allow(unused_imports, unused_variables)]

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};

/// How much one `read` may take. Newmarch uses 512 bytes; bigger buffers mean fewer system
/// calls per megabyte (see `cargo bench --bench echo`).
pub const BUF_SIZE: usize = 16 * 1024;

// ANCHOR: contract
/// Sends back every byte read from `conn` until the peer's EOF, and returns how many bytes were
/// echoed.
///
/// - A read of 0 bytes is EOF: return the total. (Every later read would return 0 again.)
/// - A read interrupted by a signal (`io::ErrorKind::Interrupted`) is tried again.
/// - Any other error ends the echo: return it.
/// - A `write` may take only part of what it is given: everything read must go back.
pub fn echo<S: Read + Write>(conn: &mut S) -> io::Result<u64> {
    // TODO: read into a `[0u8; BUF_SIZE]` buffer and write back what arrived, until EOF.
    todo!("echo(conn)")
}

/// Go's `handleClient(conn)`: echoes, then shuts the connection down (both ways) so the
/// client sees EOF too, even while someone else (the server's list of open connections) still
/// holds the socket. Returns what `echo` returned, or the error of the shutdown.
pub fn handle_client(conn: &TcpStream) -> io::Result<u64> {
    // TODO: `echo` on the stream, then `shutdown`.
    todo!("handle_client({:?})", conn.peer_addr())
}
// ANCHOR_END: contract
