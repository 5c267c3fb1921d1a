//! Step 14.2 · `query-tcp` — asking a DNS server over TCP within one deadline, and asking again
//! over TCP when the UDP answer comes truncated.

use std::io;
use std::net::{SocketAddr, TcpStream};
use std::time::Instant;

use netlings::given::dns_tcp::tcp_exchange::query_stream;
use netlings::given::lookup::dns_query::query;
use netlings::support::dns::{LookupError, QueryOptions, RecordType, Response, random_id};
use netlings::support::dns_tcp::{TcpOptions, Transport};
use netlings::support::framing::DeadlineStream;
use netlings::support::io::is_timeout;

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
    // One deadline for the whole exchange, connecting included: a server that drips its answer
    // a byte at a time holds us no longer than a silent one.
    let end = Instant::now() + options.timeout;
    let answered = TcpStream::connect_timeout(&server, options.timeout)
        .map_err(LookupError::from)
        .and_then(|conn| {
            let mut stream = DeadlineStream::new(&conn, end);
            query_stream(&mut stream, random_id(), name, record_type, options.max_len)
        });
    // The socket's words, put in the words of a lookup, as chapter 3 does over UDP.
    answered.map_err(|e| match e {
        LookupError::Io(e) if is_timeout(&e) => LookupError::Timeout {
            server,
            attempts: 1,
            timeout: options.timeout,
        },
        LookupError::Io(e) if e.kind() == io::ErrorKind::ConnectionRefused => {
            LookupError::Refused(server)
        }
        e => e,
    })
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
    match query(server, name, record_type, udp) {
        // The answer did not fit in a datagram: the same question where it fits. Only TC sends
        // us to TCP; a server that does not answer over UDP is not asked again over TCP, as
        // Go's resolver and glibc's do.
        Err(LookupError::Truncated(_)) => {
            let response = query_tcp(server, name, record_type, tcp)?;
            Ok((response, Transport::Tcp))
        }
        answered => Ok((answered?, Transport::Udp)),
    }
}
