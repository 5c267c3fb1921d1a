//! Step 6.2 · `get-head-info` — Newmarch's GetHeadInfo conversation and a daytime client:
//! write everything, read until EOF.
//!
//! Read: chapter 6, "Step 2" (book/src/ch06_tcp_client.md).   Check: `cargo run -- check get-head-info`
//!
//! Both functions take any stream, not only a `TcpStream`: the tests also hand them a fake one
//! that moves three or four bytes per call.

// Your code will use these imports and parameters; until it does, they are unused.
#![allow(unused_imports, unused_variables)]

use std::io::{self, Read, Write};

/// The request GetHeadInfo sends: a request line and the empty line that ends the head.
pub const HEAD_REQUEST: &[u8] = b"HEAD / HTTP/1.0\r\n\r\n";

// ANCHOR: contract
/// GetHeadInfo's conversation: sends [`HEAD_REQUEST`] and returns everything the server sends
/// back until it closes the connection. The reply arrives in pieces: one `read` is not one
/// message. Invalid UTF-8 becomes U+FFFD (`String::from_utf8_lossy`).
pub fn get_head_info<S: Read + Write>(conn: &mut S) -> io::Result<String> {
    // TODO: send every byte of the request, then read until the server closes (EOF).
    todo!("get_head_info(conn)")
}

/// A daytime client (RFC 867): the server talks first, sends the time as text and closes.
/// Returns all of it, as `get_head_info` does.
pub fn daytime<S: Read>(conn: &mut S) -> io::Result<String> {
    // TODO: read until EOF.
    todo!("daytime(conn)")
}
// ANCHOR_END: contract
