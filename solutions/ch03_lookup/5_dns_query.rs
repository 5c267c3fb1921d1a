//! Step 3.5 · `dns-query` — asking a DNS server over UDP, with a timeout and retries.

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

/// Whether `message` is the answer to the query `id` for `name` and `record_type`: its header
/// reads, its id is `id`, its QR bit is set, it has exactly one question, and that question is
/// `name` (compared with `same_name`, which reads both as presentation format: the echo of a
/// name with a space comes back as `a\032b`) and `record_type`. Anything unreadable is not an
/// answer.
pub fn is_answer(message: &[u8], id: u16, name: &str, record_type: RecordType) -> bool {
    let Ok(header) = Header::new_checked(message) else {
        return false;
    };
    if header.id() != id || !header.is_response() || header.question_count() != 1 {
        return false;
    }
    let Ok((asked, next)) = read_name(message, HEADER_LEN) else {
        return false;
    };
    let Ok(fields) = QuestionFields::new_checked(&message[next..]) else {
        return false;
    };
    same_name(&asked, name) && fields.qtype() == record_type.code()
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
    let local: SocketAddr = match server {
        SocketAddr::V4(_) => (Ipv4Addr::UNSPECIFIED, 0).into(),
        SocketAddr::V6(_) => (Ipv6Addr::UNSPECIFIED, 0).into(),
    };
    let socket = UdpSocket::bind(local)?;
    // A connected UDP socket only receives datagrams from `server`, and reports an ICMP
    // "port unreachable" as ConnectionRefused instead of a silent timeout.
    socket.connect(server)?;
    for _ in 0..options.attempts {
        let id = random_id();
        socket.send(&encode_query(id, name, record_type)?)?;
        let deadline = Instant::now() + options.timeout;
        if let Some(response) = wait_for_answer(&socket, id, name, record_type, deadline)? {
            return Ok(response);
        }
    }
    Err(LookupError::Timeout {
        server,
        attempts: options.attempts,
        timeout: options.timeout,
    })
}

/// Reads datagrams until the answer to query `id` arrives (`Some`) or `deadline` passes
/// (`None`).
fn wait_for_answer(
    socket: &UdpSocket,
    id: u16,
    name: &str,
    record_type: RecordType,
    deadline: Instant,
) -> Result<Option<Response>, LookupError> {
    let server = socket.peer_addr()?;
    // Room for any datagram: a server should send at most 512 bytes, but one that sends more
    // must not have its answer cut here without a word (see MAX_MESSAGE).
    let mut buf = vec![0u8; MAX_MESSAGE];
    loop {
        // One deadline for the attempt: each read gets only what is left of it, so a stream
        // of junk datagrams cannot stretch the wait.
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Ok(None);
        }
        socket.set_read_timeout(Some(left))?;
        let n = match socket.recv(&mut buf) {
            Ok(n) => n,
            Err(e) if is_timeout(&e) => return Ok(None),
            Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => {
                return Err(LookupError::Refused(server));
            }
            Err(e) => return Err(e.into()),
        };
        let message = &buf[..n];
        if !is_answer(message, id, name, record_type) {
            continue;
        }
        if Header::new_checked(message)?.is_truncated() {
            return Err(LookupError::Truncated(server));
        }
        return Ok(Some(parse_response(message)?));
    }
}
