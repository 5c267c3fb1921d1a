//! Step 3.5 · `dns-query` — asking a DNS server over UDP, with a timeout and retries.
//!
//! Read: chapter 3, "Step 5" (book/src/ch03_lookup.md).   Check: `cargo run -- check dns-query`
//!
//! Steps 2 to 4 are given (`encode_query`, `read_name`, `parse_response` from
//! `netlings::given`). From the library: the views, `random_id`, `same_name`, `QueryOptions`
//! and `LookupError` (`netlings::support::dns`), and `is_timeout` (`netlings::support::io`).

// Your code will use these imports; until it does, they are unused.
#![allow(unused_imports)]

use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::time::Instant;

use netlings::given::lookup::encode_query::encode_query;
use netlings::given::lookup::parse_response::parse_response;
use netlings::given::lookup::read_name::read_name;
use netlings::support::dns::{
    HEADER_LEN, Header, LookupError, MAX_MESSAGE, QueryOptions, QuestionFields, RecordType,
    Response, random_id, same_name,
};
use netlings::support::io::is_timeout;

// ANCHOR: contract
/// Whether `message` is the answer to the query `id` for `name` and `record_type`: its header
/// reads, its id is `id`, its QR bit is set, it has exactly one question, and that question is
/// `name` (compared with `same_name`, which reads both as presentation format: the echo of a
/// name with a space comes back as `a\032b`) and `record_type`. Anything unreadable is not an
/// answer.
pub fn is_answer(message: &[u8], id: u16, name: &str, record_type: RecordType) -> bool {
    // TODO: `Header::new_checked`, then `read_name` at HEADER_LEN and `QuestionFields` after
    // it. Any error means "not our answer": `false`, never a panic.
    todo!(
        "is_answer({} bytes, {id:#06x}, {name:?}, {record_type})",
        message.len()
    )
}

/// Sends the question to `server` and returns its response, retrying when no answer comes in
/// time: at most `options.attempts` questions, each waiting `options.timeout`, each with a fresh
/// id. Datagrams that are not the answer to the question (`is_answer` says no, or they come
/// from another address) are ignored, as Go's resolver does, so a forged or stray packet cannot
/// end the wait.
///
/// Errors: `Wire` when the name cannot be put in a query or the answer's records are malformed;
/// `Timeout` after the last attempt; `Refused` when nothing listens at `server`; `Truncated`
/// when the answer has the TC bit.
pub fn query(
    server: SocketAddr,
    name: &str,
    record_type: RecordType,
    options: QueryOptions,
) -> Result<Response, LookupError> {
    // TODO: bind a UDP socket of the server's family, `connect` it to the server, then for each
    // attempt: a fresh id (`random_id()`), send the query, and read (into a buffer of
    // MAX_MESSAGE bytes: any datagram fits) until the answer to *this* query arrives or the
    // attempt's deadline passes: each read waits only for the time left. Report the TC bit.
    todo!("query({server}, {name:?}, {record_type}, {options:?})")
}
// ANCHOR_END: contract
