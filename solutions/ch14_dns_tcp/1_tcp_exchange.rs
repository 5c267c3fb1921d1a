//! Step 14.1 · `tcp-exchange` — one question and its answer over a stream, each message with
//! its length in two bytes in front (RFC 1035 §4.2.2, RFC 7766).

use std::io::{self, Read, Write};

use netlings::given::framing::frames::{read_frame, write_frame};
use netlings::given::lookup::dns_query::is_answer;
use netlings::given::lookup::encode_query::encode_query;
use netlings::given::lookup::parse_response::parse_response;
use netlings::support::dns::{LookupError, RecordType, Response};
use netlings::support::framing::Prefix;

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
    // Chapter 13's frame with a two-byte prefix is exactly a DNS message over TCP; write_frame
    // hands prefix and message to one write_all, so Nagle cannot hold the message back.
    write_frame(stream, Prefix::U16, query)?;
    // A buffered stream would keep the question while we wait for its answer.
    stream.flush()?;
    // The limit is checked before the buffer is made: two bytes can ask for 64 KiB.
    let answer = read_frame(stream, Prefix::U16, limit)?;
    // Between two messages an end is clean, but we are owed an answer: here it is an error.
    answer.ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "the server closed the connection instead of answering",
        )
        .into()
    })
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
    let query = encode_query(id, name, record_type)?;
    let answer = exchange(stream, &query, limit)?;
    // The same checks as over UDP. There a stray datagram is skipped and the wait goes on;
    // here the stream has no other message for us, so the exchange ends.
    if !is_answer(&answer, id, name, record_type) {
        return Err(LookupError::NotTheAnswer);
    }
    Ok(parse_response(&answer)?)
}
