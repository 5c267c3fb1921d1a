//! Step 14.2 · `query-tcp` — asking a DNS server over TCP within one deadline, and asking again
//! over TCP when the UDP answer comes truncated.
//!
//! Read: chapter 14, "Step 2" (book/src/ch14_dns_tcp.md).   Check: `cargo run -- check query-tcp`
//!
//! Given: `query_stream` (step 1) and chapter 3's `query` over UDP, from `netlings::given`;
//! `TcpOptions` and `Transport` (`netlings::support::dns_tcp`); `DeadlineStream`, a stream whose
//! every call ends by one instant (`netlings::support::framing`); `random_id`, `LookupError`
//! (`netlings::support::dns`) and `is_timeout` (`netlings::support::io`).

// Your code will use these imports and parameters; until it does, they are unused.
#![allow(unused_imports, unused_variables)]

use std::io;
use std::net::{SocketAddr, TcpStream};
use std::time::Instant;

use netlings::given::dns_tcp::tcp_exchange::query_stream;
use netlings::given::lookup::dns_query::query;
use netlings::support::dns::{LookupError, QueryOptions, RecordType, Response, random_id};
use netlings::support::dns_tcp::{TcpOptions, Transport};
use netlings::support::framing::DeadlineStream;
use netlings::support::io::is_timeout;

// ANCHOR: contract
/// Asks `server` over TCP: connects, sends the question with a fresh id (`random_id`), reads
/// the answer (`query_stream`, at most `options.max_len` bytes), all of it within
/// `options.timeout` from the call, however the time is spent.
///
/// Errors: those of `query_stream`; `Refused(server)` when nothing listens at `server`;
/// `Timeout { server, attempts: 1, timeout: options.timeout }` when connecting or the exchange
/// is not over by the
/// deadline.
pub fn query_tcp(
    server: SocketAddr,
    name: &str,
    record_type: RecordType,
    options: TcpOptions,
) -> Result<Response, LookupError> {
    // TODO: one end instant before connecting; `TcpStream::connect_timeout`, then
    // `query_stream` on a `DeadlineStream`; then put the socket's errors in a lookup's words.
    todo!("query_tcp({server}, {name:?}, {record_type}, {options:?})")
}

/// Asks `server` over UDP (chapter 3's `query`, with `udp`) and, when the answer comes with
/// the TC bit, asks again over TCP (`query_tcp`, with `tcp`). Returns the response and the
/// transport that carried it.
///
/// Errors: those of `query` except `Truncated`, which makes it ask over TCP; those of
/// `query_tcp`. A UDP question that times out or is refused is not asked again over TCP.
pub fn query_with_fallback(
    server: SocketAddr,
    name: &str,
    record_type: RecordType,
    udp: QueryOptions,
    tcp: TcpOptions,
) -> Result<(Response, Transport), LookupError> {
    // TODO: which error of `query` means "ask again over TCP"?
    todo!("query_with_fallback({server}, {name:?}, {record_type}, {udp:?}, {tcp:?})")
}
// ANCHOR_END: contract
