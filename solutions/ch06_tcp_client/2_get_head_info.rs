//! Step 6.2 · `get-head-info` — Newmarch's GetHeadInfo conversation and a daytime client:
//! write everything, read until EOF.

use std::io::{self, Read, Write};

/// The request GetHeadInfo sends: a request line and the empty line that ends the head.
pub const HEAD_REQUEST: &[u8] = b"HEAD / HTTP/1.0\r\n\r\n";

/// GetHeadInfo's conversation: sends [`HEAD_REQUEST`] and returns everything the server sends
/// back until it closes the connection.
pub fn get_head_info<S: Read + Write>(conn: &mut S) -> io::Result<String> {
    // `write` may take only part of the buffer; `write_all` loops until every byte is sent.
    conn.write_all(HEAD_REQUEST)?;
    conn.flush()?;
    // TCP carries bytes, not messages: the reply can arrive in any number of pieces. HTTP/1.0
    // ends it by closing the connection, which `read` reports as 0 bytes (EOF); `read_to_end`
    // is Go's `io.ReadAll`: read until EOF.
    let mut reply = Vec::new();
    conn.read_to_end(&mut reply)?;
    Ok(String::from_utf8_lossy(&reply).into_owned())
}

/// A daytime client (RFC 867): the server talks first, sends the time as text and closes.
pub fn daytime<S: Read>(conn: &mut S) -> io::Result<String> {
    let mut text = Vec::new();
    conn.read_to_end(&mut text)?;
    Ok(String::from_utf8_lossy(&text).into_owned())
}
