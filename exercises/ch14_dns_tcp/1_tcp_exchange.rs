//! Step 14.1 · `tcp-exchange` — one question and its answer over a stream, each message with
//! its length in two bytes in front (RFC 1035 §4.2.2, RFC 7766).
//!
//! Read: chapter 14, "Step 1" (book/src/ch14_dns_tcp.md).   Check: `cargo run -- check tcp-exchange`
//!
//! Given: chapter 13's codec (`read_frame`, `write_frame` with `Prefix::U16`) and chapter 3's
//! DNS pieces (`encode_query`, `is_answer`, `parse_response`), from `netlings::given`.
//! `LookupError` (`netlings::support::dns`) has two variants for TCP, `Frame` and
//! `NotTheAnswer`, and `?` turns a codec's `FrameError` into a `LookupError`.

// Your code will use these imports and parameters; until it does, they are unused.
#![allow(unused_imports, unused_variables)]

use std::io::{self, Read, Write};

use netlings::given::framing::frames::{read_frame, write_frame};
use netlings::given::lookup::dns_query::is_answer;
use netlings::given::lookup::encode_query::encode_query;
use netlings::given::lookup::parse_response::parse_response;
use netlings::support::dns::{LookupError, RecordType, Response};
use netlings::support::framing::Prefix;

// ANCHOR: contract
/// Sends `query` as one DNS message over `stream` (its length in two bytes, big-endian, then
/// its bytes, in one write, flushed) and reads the one message that comes back, of at most
/// `limit` bytes, reading no byte past it.
///
/// Errors: `Frame(FrameTooLong { .. })` when the server announces more than `limit` bytes
/// (refused before anything is allocated or read for it); `Frame(Truncated)` when the stream
/// ends inside the length or the message; `Io` with kind `UnexpectedEof` when it ends before
/// the answer begins (the server closed instead of answering); `Io` when the stream fails.
pub fn exchange<S: Read + Write>(
    stream: &mut S,
    query: &[u8],
    limit: usize,
) -> Result<Vec<u8>, LookupError> {
    // TODO: a frame out, a frame back; no frame at all is an error here, not a clean end.
    todo!("exchange({} bytes, limit {limit})", query.len())
}

/// Asks for `name` and `record_type` over `stream` with the query id `id` (chapter 3's
/// `encode_query`), with `exchange`, and returns the decoded answer.
///
/// Errors: `Wire` when the name cannot be put in a query (nothing is written then) or the
/// answer's records are malformed; those of `exchange`; `NotTheAnswer` when the message is not
/// the answer to this question (`is_answer` says no): a connection carries one answer for one
/// question, so there is nothing else to wait for.
pub fn query_stream<S: Read + Write>(
    stream: &mut S,
    id: u16,
    name: &str,
    record_type: RecordType,
    limit: usize,
) -> Result<Response, LookupError> {
    // TODO: encode, exchange, check, parse.
    todo!("query_stream({id:#06x}, {name:?}, {record_type}, limit {limit})")
}
// ANCHOR_END: contract
