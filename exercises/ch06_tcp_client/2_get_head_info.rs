//! Step 6.2 · `get-head-info` — Newmarch's GetHeadInfo conversation and a daytime client:
//! write everything, read until EOF, and never more than a limit.
//!
//! Read: chapter 6, "Step 2" (book/src/ch06_tcp_client.md).   Check: `cargo run -- check get-head-info`
//!
//! The functions take any stream, not only a `TcpStream`: the tests also hand them a fake one
//! that moves three or four bytes per call. `Received` comes from the library
//! (`netlings::support::exchange`).

// Your code will use these imports and parameters; until it does, they are unused.
#![allow(unused_imports, unused_variables)]

use std::io::{self, Read, Write};

use netlings::support::exchange::Received;

/// The request GetHeadInfo sends: a request line and the empty line that ends the head.
pub const HEAD_REQUEST: &[u8] = b"HEAD / HTTP/1.0\r\n\r\n";

/// How much of a reply the program reads unless told otherwise (`--max-bytes`): 1 MiB.
pub const MAX_REPLY: u64 = 1024 * 1024;

// ANCHOR: contract
/// Reads what `conn` sends until EOF, but at most `limit` bytes, and returns what arrived
/// (`Received::bytes`) with the error that ended the reading early (`Received::error`):
///
/// - EOF within the limit: every byte, and no error. The reply arrives in pieces: one `read`
///   is not one message.
/// - More than `limit` bytes: the first `limit`, and an error of kind `InvalidData` that says
///   `the reply is longer than <limit> bytes`. Read no more than one byte past the limit: a
///   server that never stops sending must not decide how much memory the client takes.
/// - A read that fails (a reset, a timeout): the bytes that came before it, and its error.
///   `Interrupted` is not a failure: try again.
pub fn read_reply<S: Read>(conn: &mut S, limit: u64) -> Received {
    // TODO: read until EOF, and one byte past `limit` at most; keep the bytes on an error.
    todo!("read_reply(conn, {limit})")
}

/// GetHeadInfo's conversation: sends all of [`HEAD_REQUEST`], then returns what the server
/// sends back until it closes the connection, as `read_reply` does. If the request cannot be
/// sent, nothing is read: no bytes, and the error of the send.
pub fn get_head_info<S: Read + Write>(conn: &mut S, limit: u64) -> Received {
    // TODO: send every byte of the request, then `read_reply`.
    todo!("get_head_info(conn, {limit})")
}

/// A daytime client (RFC 867): the server talks first, sends the time as text and closes.
/// Returns what arrived, as `read_reply` does.
pub fn daytime<S: Read>(conn: &mut S, limit: u64) -> Received {
    // TODO: the server talks first.
    todo!("daytime(conn, {limit})")
}
// ANCHOR_END: contract
