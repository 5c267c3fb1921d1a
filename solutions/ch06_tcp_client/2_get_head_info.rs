//! Step 6.2 · `get-head-info` — Newmarch's GetHeadInfo conversation and a daytime client:
//! write everything, read until EOF, and never more than a limit.

use std::io::{self, Read, Write};

use netlings::support::exchange::Received;

/// The request GetHeadInfo sends: a request line and the empty line that ends the head.
pub const HEAD_REQUEST: &[u8] = b"HEAD / HTTP/1.0\r\n\r\n";

/// How much of a reply the program reads unless told otherwise (`--max-bytes`): 1 MiB.
pub const MAX_REPLY: u64 = 1024 * 1024;

/// Reads what `conn` sends until EOF, but at most `limit` bytes, and returns what arrived with
/// the error that ended the reading early, if one did.
pub fn read_reply<S: Read>(conn: &mut S, limit: u64) -> Received {
    // "Until EOF" lets the server decide how much memory we use: a server that never stops
    // sending would take it all. Read one byte past the limit, to tell a reply of exactly
    // `limit` bytes from a longer one, and not a byte further.
    let mut bytes = Vec::new();
    let read = conn.by_ref().take(limit + 1).read_to_end(&mut bytes);
    let error = match read {
        // `read_to_end` keeps what it read before the error: a reset halfway leaves its
        // first half.
        Err(e) => Some(e),
        Ok(_) if bytes.len() as u64 > limit => {
            bytes.truncate(limit as usize);
            Some(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("the reply is longer than {limit} bytes"),
            ))
        }
        Ok(_) => None,
    };
    Received { bytes, error }
}

/// GetHeadInfo's conversation: sends [`HEAD_REQUEST`] and returns what the server sends back
/// until it closes the connection, at most `limit` bytes.
pub fn get_head_info<S: Read + Write>(conn: &mut S, limit: u64) -> Received {
    // `write` may take only part of the buffer; `write_all` loops until every byte is sent.
    if let Err(e) = conn.write_all(HEAD_REQUEST).and_then(|()| conn.flush()) {
        return Received {
            bytes: Vec::new(),
            error: Some(e),
        };
    }
    // TCP carries bytes, not messages: the reply can arrive in any number of pieces. HTTP/1.0
    // ends it by closing the connection, which `read` reports as 0 bytes (EOF).
    read_reply(conn, limit)
}

/// A daytime client (RFC 867): the server talks first, sends the time as text and closes.
pub fn daytime<S: Read>(conn: &mut S, limit: u64) -> Received {
    read_reply(conn, limit)
}
