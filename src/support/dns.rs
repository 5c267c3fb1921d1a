//! Host lookups and DNS messages (chapter 3).
//!
//! Two kinds of code live here, both given to the chapter's steps:
//!
//! - **What a lookup returns and fails with**: [`ZonedIp`] (Go's `IPAddr`), [`RecordType`],
//!   [`LookupError`], and the options of a query ([`QueryOptions`]).
//! - **DNS messages (RFC 1035 §4) as typed views over bytes**, in the style of
//!   [smoltcp](https://github.com/smoltcp-rs/smoltcp): each field's byte range is named once,
//!   in the private `field` module; a view ([`Header`], [`QuestionFields`], [`RecordFields`])
//!   wraps a buffer and checks its length **once**, in `new_checked`, so a short message is a
//!   [`WireError::Truncated`] instead of a panic and every accessor after that can index freely.
//!   The decoded forms ([`Response`], [`Record`], [`RecordData`], [`Question`]) are what the
//!   steps' parser produces.
//!
//! ```
//! use netlings::support::dns::{Header, WireError, flags};
//!
//! // The header of a query: id 0x1234, RD set, one question.
//! let bytes = [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];
//! let header = Header::new_checked(&bytes[..]).unwrap();
//! assert_eq!(header.id(), 0x1234);
//! assert_eq!(header.flags() & flags::RD, flags::RD);
//! assert!(!header.is_response());
//! assert_eq!(header.question_count(), 1);
//!
//! // Eleven bytes are not a header.
//! assert_eq!(Header::new_checked(&bytes[..11]).err(), Some(WireError::Truncated));
//! ```

use std::fmt;
use std::hash::{BuildHasher, RandomState};
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::ops::Range;
use std::time::{Duration, Instant};

use crate::support::framing::FrameError;

// ---------------------------------------------------------------------------------------------
// What a lookup returns and fails with
// ---------------------------------------------------------------------------------------------

/// Go's `IPAddr`: an IP address and, for an IPv6 scoped address, the zone (an interface name
/// such as `eth0`, or its number) written after `%`.
///
/// ```
/// use netlings::support::dns::ZonedIp;
///
/// let scoped = ZonedIp { ip: "fe80::1".parse().unwrap(), zone: Some("eth0".into()) };
/// assert_eq!(scoped.to_string(), "fe80::1%eth0");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZonedIp {
    /// The address.
    pub ip: IpAddr,
    /// The zone, if the text had one: `fe80::1%eth0` has zone `eth0`.
    pub zone: Option<String>,
}

impl fmt::Display for ZonedIp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.zone {
            Some(zone) => write!(f, "{}%{zone}", self.ip),
            None => write!(f, "{}", self.ip),
        }
    }
}

/// Record type A: an IPv4 address.
pub const TYPE_A: u16 = 1;
/// Record type CNAME: an alias, another name for the same host.
pub const TYPE_CNAME: u16 = 5;
/// Record type AAAA: an IPv6 address.
pub const TYPE_AAAA: u16 = 28;
/// The class of internet records, IN: the only one in use.
pub const CLASS_IN: u16 = 1;

/// The two kinds of address record a lookup asks for (the `lookup` program's `--type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RecordType {
    /// An IPv4 address (type 1).
    #[value(name = "A")]
    A,
    /// An IPv6 address (type 28).
    #[value(name = "AAAA")]
    Aaaa,
}

impl RecordType {
    /// The number that stands for this type in a DNS message: [`TYPE_A`] or [`TYPE_AAAA`].
    pub fn code(self) -> u16 {
        match self {
            RecordType::A => TYPE_A,
            RecordType::Aaaa => TYPE_AAAA,
        }
    }
}

impl fmt::Display for RecordType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RecordType::A => "A",
            RecordType::Aaaa => "AAAA",
        })
    }
}

/// Everything a lookup can end with instead of addresses: from the system resolver (the first
/// four), from the DNS client (the others).
#[derive(Debug)]
pub enum LookupError {
    /// The network is not `ip`, `ip4` or `ip6`.
    UnknownNetwork(String),
    /// The host has addresses, but none of the family the network asks for.
    NoSuitableAddress {
        /// The host that was looked up.
        host: String,
        /// The network that filtered its addresses out.
        network: String,
    },
    /// A `%zone` on something that is not an IPv6 address.
    BadZone(String),
    /// The system resolver failed; `reason` is its message.
    Resolver {
        /// The host that was looked up.
        host: String,
        /// What the resolver said.
        reason: String,
    },
    /// The name cannot be put in a query, or the answer's bytes are malformed.
    Wire(WireError),
    /// The server did not answer (in time) after every attempt.
    Timeout {
        /// The server that was asked.
        server: SocketAddr,
        /// How many questions were sent.
        attempts: u32,
        /// How long each one waited.
        timeout: Duration,
    },
    /// Nothing listens at the server's address (the kernel got an ICMP port unreachable).
    Refused(SocketAddr),
    /// The answer did not fit in a UDP datagram: the server set the TC bit.
    Truncated(SocketAddr),
    /// The name does not exist (rcode 3, NXDOMAIN).
    NoSuchHost(String),
    /// The name exists but has no records of this type.
    NoAddresses {
        /// The name asked for.
        name: String,
        /// The record type asked for.
        record_type: RecordType,
    },
    /// The server answered with an error code other than NXDOMAIN (2 is SERVFAIL).
    ServerFailure(u8),
    /// The aliases (CNAME records) go round in a circle or are too many to follow.
    AliasLoop(String),
    /// A socket operation failed.
    Io(io::Error),
    /// Over TCP (chapter 14): the server's stream broke the framing: it ended inside the
    /// answer (`FrameError::Truncated`), or announced an answer longer than the client accepts
    /// (`FrameError::FrameTooLong`).
    Frame(FrameError),
    /// Over TCP (chapter 14): the message the server sent is not the answer to the question
    /// (another id, no QR bit, another question). A connection carries one answer for one
    /// question: there is no other message to wait for.
    NotTheAnswer,
}

impl fmt::Display for LookupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownNetwork(net) => write!(f, "unknown network {net:?}: use ip, ip4 or ip6"),
            Self::NoSuitableAddress { host, network } => {
                write!(
                    f,
                    "address {host}: no suitable address found for network {network}"
                )
            }
            Self::BadZone(host) => {
                write!(f, "address {host}: only an IPv6 address can have a %zone")
            }
            Self::Resolver { host, reason } => write!(f, "lookup {host}: {reason}"),
            Self::Wire(e) => write!(f, "{e}"),
            Self::Timeout {
                server,
                attempts,
                timeout,
            } => {
                write!(
                    f,
                    "no answer from {server} after {attempts} attempt(s) of {timeout:?}"
                )
            }
            Self::Refused(server) => {
                write!(f, "no DNS server listens at {server} (connection refused)")
            }
            Self::Truncated(server) => {
                write!(
                    f,
                    "the answer from {server} was truncated (TC bit): it needs DNS over TCP"
                )
            }
            Self::NoSuchHost(name) => write!(f, "lookup {name}: no such host (NXDOMAIN)"),
            Self::NoAddresses { name, record_type } => {
                write!(
                    f,
                    "lookup {name}: the name exists but has no {record_type} records"
                )
            }
            Self::ServerFailure(rcode) => write!(f, "the server failed to answer (rcode {rcode})"),
            Self::AliasLoop(name) => write!(f, "lookup {name}: the aliases (CNAME) never end"),
            Self::Io(e) => write!(f, "socket error: {e}"),
            Self::Frame(e) => write!(f, "DNS over TCP: {e}"),
            Self::NotTheAnswer => write!(
                f,
                "the server's message is not the answer to the question (another id or question)"
            ),
        }
    }
}

impl std::error::Error for LookupError {}

impl From<WireError> for LookupError {
    fn from(e: WireError) -> Self {
        Self::Wire(e)
    }
}

impl From<io::Error> for LookupError {
    fn from(e: io::Error) -> Self {
        Self::Io(e)
    }
}

/// `?` on a codec's result (chapter 14): the stream's own errors stay `Io`, the codec's
/// become `Frame`.
impl From<FrameError> for LookupError {
    fn from(e: FrameError) -> Self {
        match e {
            FrameError::Io(e) => Self::Io(e),
            e => Self::Frame(e),
        }
    }
}

/// How long a DNS client waits for an answer and how many times it asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryOptions {
    /// How long each attempt waits for an answer.
    pub timeout: Duration,
    /// How many questions to send at most (1 means no retry).
    pub attempts: u32,
}

impl Default for QueryOptions {
    /// 2 s and 2 attempts. When resolv.conf(5) sets no `timeout` or `attempts` option, glibc
    /// and Go use 5 s and 2 attempts; ours wait less, for a program run by hand.
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(2),
            attempts: 2,
        }
    }
}

/// A fresh, unpredictable query id. Whoever can guess the id of a query can forge its answer,
/// so every query gets a new one. std keys its hasher (SipHash) with random keys, drawn once
/// per thread and changed for each `RandomState`, so the ids look random from outside the
/// process; a production resolver would use a cryptographic generator.
pub fn random_id() -> u16 {
    RandomState::new().hash_one(Instant::now()) as u16
}

/// How many bytes a DNS client reads from one UDP datagram: 65 535, so that any datagram fits.
/// A server promises at most 512 bytes to a client that offers no more (RFC 1035 §4.2.1;
/// EDNS0 offers more) and cuts a longer answer itself, setting the TC bit. A server that
/// breaks the promise must not have its answer cut here, where the cut would go unnoticed and
/// read as a malformed message.
pub const MAX_MESSAGE: usize = 65_535;

/// The labels of `name`, a name written as text in the *presentation format* of RFC 1035
/// §5.1: what `dig` reads and prints, and what the course's `read_name` writes. Labels are
/// separated by dots; one trailing dot is optional; `.` or `` alone is the root (no labels).
/// Inside a label, `\DDD` (three decimal digits, at most 255) is the byte DDD and `\X` is the
/// character X itself, so `\.` is a dot inside a label and `\\` a backslash; any other
/// character stands for its UTF-8 bytes.
///
/// Errors: `EmptyLabel` (`a..b`, `.a`); `BadEscape` for a `\` that ends the name or a `\DDD`
/// that is not three digits of at most 255. Lengths are not checked: that is the encoder's job.
///
/// ```
/// use netlings::support::dns::name_labels;
///
/// assert_eq!(name_labels("www.example.test.").unwrap(), [&b"www"[..], b"example", b"test"]);
/// assert_eq!(name_labels("a\\.b.test").unwrap(), [&b"a.b"[..], b"test"]);
/// assert_eq!(name_labels("a\\032b").unwrap(), [&b"a b"[..]]);
/// assert_eq!(name_labels("é").unwrap(), [&[0xC3, 0xA9][..]]);
/// assert_eq!(name_labels(".").unwrap(), Vec::<Vec<u8>>::new());
/// ```
pub fn name_labels(name: &str) -> Result<Vec<Vec<u8>>, WireError> {
    let mut labels = Vec::new();
    if name == "." {
        return Ok(labels);
    }
    let mut label = Vec::new();
    let mut chars = name.chars();
    while let Some(c) = chars.next() {
        match c {
            '.' if label.is_empty() => return Err(WireError::EmptyLabel),
            '.' => labels.push(std::mem::take(&mut label)),
            '\\' => match chars.next().ok_or(WireError::BadEscape)? {
                d @ '0'..='9' => {
                    let digits: String = [Some(d), chars.next(), chars.next()]
                        .into_iter()
                        .collect::<Option<_>>()
                        .ok_or(WireError::BadEscape)?;
                    let byte = digits.parse::<u8>().map_err(|_| WireError::BadEscape)?;
                    label.push(byte);
                }
                other => label.extend_from_slice(other.encode_utf8(&mut [0; 4]).as_bytes()),
            },
            other => label.extend_from_slice(other.encode_utf8(&mut [0; 4]).as_bytes()),
        }
    }
    if !label.is_empty() {
        labels.push(label);
    }
    Ok(labels)
}

/// Whether two DNS names, in presentation format (see [`name_labels`]), are the same name:
/// the same labels, byte for byte, except that ASCII letters compare without case (RFC 4343;
/// DNS knows no other case, so `É` is not `é`), with or without the trailing dot. So
/// `a\032b.test`, as `read_name` writes a label with a space, is the name `a b.test` typed by
/// a user. A text that is no name (`a..b`) is the same as nothing.
///
/// ```
/// use netlings::support::dns::same_name;
///
/// assert!(same_name("Example.TEST", "example.test."));
/// assert!(same_name(".", "."));
/// assert!(same_name("a\\032b.test", "a b.test"));
/// assert!(same_name("\\195\\169.test", "é.test"));
/// assert!(!same_name("example.test", "example.tes"));
/// ```
pub fn same_name(a: &str, b: &str) -> bool {
    match (name_labels(a), name_labels(b)) {
        (Ok(a), Ok(b)) => {
            a.len() == b.len() && a.iter().zip(&b).all(|(x, y)| x.eq_ignore_ascii_case(y))
        }
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// DNS messages (RFC 1035 §4) as typed views over bytes
// ---------------------------------------------------------------------------------------------

/// What can be wrong with the bytes of a DNS message, or with a name to put in one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WireError {
    /// The message ends before a field that must be there.
    Truncated,
    /// A label longer than 63 bytes.
    LabelTooLong,
    /// A name longer than 255 bytes on the wire.
    NameTooLong,
    /// An empty label inside a name, as in `a..b` (only the root, `.`, is empty).
    EmptyLabel,
    /// A compression pointer that does not point strictly backwards: past the end, at itself,
    /// or into a loop.
    BadPointer,
    /// A label length byte starting with the bits 01 or 10, which RFC 1035 does not use.
    BadLabelType(u8),
    /// A name whose text has a `\` escape that means nothing: at the end, or `\DDD` that is not
    /// three digits of at most 255.
    BadEscape,
    /// A record's data whose length does not fit its type (an A record that is not 4 bytes).
    BadRecordLength {
        /// The record type.
        rtype: u16,
        /// The length the record claims.
        len: usize,
    },
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Truncated => write!(f, "the DNS message is cut short"),
            Self::LabelTooLong => write!(f, "a label of the name is longer than 63 bytes"),
            Self::NameTooLong => write!(f, "the name is longer than 255 bytes"),
            Self::EmptyLabel => write!(f, "the name has an empty label (two dots in a row?)"),
            Self::BadPointer => write!(f, "a compression pointer does not point backwards"),
            Self::BadLabelType(b) => write!(f, "unknown label type in length byte {b:#04x}"),
            Self::BadEscape => write!(
                f,
                "the name has a \\ that is not an escape (\\DDD for a byte, \\X for X itself)"
            ),
            Self::BadRecordLength { rtype, len } => {
                write!(f, "a type {rtype} record cannot be {len} bytes long")
            }
        }
    }
}

impl std::error::Error for WireError {}

/// Where each field lives, named once. Header offsets count from the start of the message;
/// question and record offsets count from the end of the name they follow.
mod field {
    use std::ops::Range;

    pub const ID: Range<usize> = 0..2;
    pub const FLAGS: Range<usize> = 2..4;
    pub const QDCOUNT: Range<usize> = 4..6;
    pub const ANCOUNT: Range<usize> = 6..8;
    pub const NSCOUNT: Range<usize> = 8..10;
    pub const ARCOUNT: Range<usize> = 10..12;
    pub const HEADER_LEN: usize = 12;

    pub const QTYPE: Range<usize> = 0..2;
    pub const QCLASS: Range<usize> = 2..4;
    pub const QUESTION_LEN: usize = 4;

    pub const TYPE: Range<usize> = 0..2;
    pub const CLASS: Range<usize> = 2..4;
    pub const TTL: Range<usize> = 4..8;
    pub const RDLENGTH: Range<usize> = 8..10;
    pub const RECORD_LEN: usize = 10;
}

/// The length of the header: the first question's name starts at this offset.
pub const HEADER_LEN: usize = field::HEADER_LEN;
/// The length of a question's fixed fields (type and class), after its name.
pub const QUESTION_LEN: usize = field::QUESTION_LEN;
/// The length of a record's fixed fields (type, class, TTL, data length), after its name:
/// the record's data starts this far after the name.
pub const RECORD_LEN: usize = field::RECORD_LEN;
/// The longest label (RFC 1035 §2.3.4): its length byte has 6 bits for it.
pub const MAX_LABEL: usize = 63;
/// The longest name on the wire (RFC 1035 §2.3.4), length bytes and the root's zero included.
pub const MAX_NAME: usize = 255;

/// Bits of the header's flags field.
pub mod flags {
    /// Set in responses, clear in queries.
    pub const QR: u16 = 0x8000;
    /// The answer was cut to fit the datagram.
    pub const TC: u16 = 0x0200;
    /// Recursion desired: "find the answer for me".
    pub const RD: u16 = 0x0100;
    /// The response code: 0 no error, 2 server failure, 3 no such name.
    pub const RCODE: u16 = 0x000F;
}

fn get_u16(bytes: &[u8], range: Range<usize>) -> u16 {
    u16::from_be_bytes([bytes[range.start], bytes[range.start + 1]])
}

fn set_u16(bytes: &mut [u8], range: Range<usize>, value: u16) {
    bytes[range].copy_from_slice(&value.to_be_bytes());
}

/// The 12-byte header at the start of every DNS message. Read it over `&[u8]`; write it over
/// `&mut [u8]` (or a `Vec<u8>`).
#[derive(Debug, Clone, Copy)]
pub struct Header<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> Header<T> {
    /// A view over `buffer`, checked once to be long enough for every accessor.
    ///
    /// Errors: `Truncated` when `buffer` is shorter than [`HEADER_LEN`].
    pub fn new_checked(buffer: T) -> Result<Self, WireError> {
        if buffer.as_ref().len() < field::HEADER_LEN {
            return Err(WireError::Truncated);
        }
        Ok(Self { buffer })
    }

    /// The id that pairs a response with its query.
    pub fn id(&self) -> u16 {
        get_u16(self.buffer.as_ref(), field::ID)
    }

    /// All flag bits; see [`flags`].
    pub fn flags(&self) -> u16 {
        get_u16(self.buffer.as_ref(), field::FLAGS)
    }

    /// Whether this is a response (QR bit).
    pub fn is_response(&self) -> bool {
        self.flags() & flags::QR != 0
    }

    /// Whether the server cut the answer short (TC bit).
    pub fn is_truncated(&self) -> bool {
        self.flags() & flags::TC != 0
    }

    /// The response code.
    pub fn rcode(&self) -> u8 {
        (self.flags() & flags::RCODE) as u8
    }

    /// The number of questions.
    pub fn question_count(&self) -> u16 {
        get_u16(self.buffer.as_ref(), field::QDCOUNT)
    }

    /// The number of answer records.
    pub fn answer_count(&self) -> u16 {
        get_u16(self.buffer.as_ref(), field::ANCOUNT)
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> Header<T> {
    /// Sets the id.
    pub fn set_id(&mut self, id: u16) {
        set_u16(self.buffer.as_mut(), field::ID, id);
    }

    /// Sets every flag bit at once.
    pub fn set_flags(&mut self, value: u16) {
        set_u16(self.buffer.as_mut(), field::FLAGS, value);
    }

    /// Sets the four section counts: questions, answers, authority and additional records.
    pub fn set_counts(&mut self, questions: u16, answers: u16, authority: u16, additional: u16) {
        let buffer = self.buffer.as_mut();
        set_u16(buffer, field::QDCOUNT, questions);
        set_u16(buffer, field::ANCOUNT, answers);
        set_u16(buffer, field::NSCOUNT, authority);
        set_u16(buffer, field::ARCOUNT, additional);
    }
}

/// The four fixed bytes of a question that follow its name: the type and the class asked for.
#[derive(Debug, Clone, Copy)]
pub struct QuestionFields<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> QuestionFields<T> {
    /// A view over the bytes right after a question's name, checked once to hold its fields.
    ///
    /// Errors: `Truncated` when `buffer` is shorter than [`QUESTION_LEN`].
    pub fn new_checked(buffer: T) -> Result<Self, WireError> {
        if buffer.as_ref().len() < field::QUESTION_LEN {
            return Err(WireError::Truncated);
        }
        Ok(Self { buffer })
    }

    /// The type asked for (1 A, 28 AAAA, ...).
    pub fn qtype(&self) -> u16 {
        get_u16(self.buffer.as_ref(), field::QTYPE)
    }

    /// The class asked for (1 for IN).
    pub fn qclass(&self) -> u16 {
        get_u16(self.buffer.as_ref(), field::QCLASS)
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> QuestionFields<T> {
    /// Sets the type asked for.
    pub fn set_qtype(&mut self, value: u16) {
        set_u16(self.buffer.as_mut(), field::QTYPE, value);
    }

    /// Sets the class asked for.
    pub fn set_qclass(&mut self, value: u16) {
        set_u16(self.buffer.as_mut(), field::QCLASS, value);
    }
}

/// The ten fixed bytes of a resource record that follow its name, and the data after them.
#[derive(Debug, Clone, Copy)]
pub struct RecordFields<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> RecordFields<T> {
    /// A view over the bytes right after a record's name: checked to hold the fixed fields
    /// and all the data the length field promises.
    ///
    /// Errors: `Truncated` when `buffer` is shorter than [`RECORD_LEN`] plus the data length.
    pub fn new_checked(buffer: T) -> Result<Self, WireError> {
        if buffer.as_ref().len() < field::RECORD_LEN {
            return Err(WireError::Truncated);
        }
        let view = Self { buffer };
        if view.buffer.as_ref().len() < view.total_len() {
            return Err(WireError::Truncated);
        }
        Ok(view)
    }

    /// The record type (1 A, 5 CNAME, 28 AAAA, ...).
    pub fn rtype(&self) -> u16 {
        get_u16(self.buffer.as_ref(), field::TYPE)
    }

    /// The class (1 for IN).
    pub fn class(&self) -> u16 {
        get_u16(self.buffer.as_ref(), field::CLASS)
    }

    /// How many seconds the record may be cached.
    pub fn ttl(&self) -> u32 {
        let b = &self.buffer.as_ref()[field::TTL];
        u32::from_be_bytes([b[0], b[1], b[2], b[3]])
    }

    /// The length of the record's data.
    pub fn data_len(&self) -> usize {
        usize::from(get_u16(self.buffer.as_ref(), field::RDLENGTH))
    }

    /// The record's data.
    pub fn data(&self) -> &[u8] {
        &self.buffer.as_ref()[field::RECORD_LEN..self.total_len()]
    }

    /// How many bytes the fixed fields and the data take: where the next record starts,
    /// counted from the end of this record's name.
    pub fn total_len(&self) -> usize {
        field::RECORD_LEN + self.data_len()
    }
}

// ---------------------------------------------------------------------------------------------
// Decoded messages
// ---------------------------------------------------------------------------------------------

/// A question: the name and type asked about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// The name, without the trailing dot.
    pub name: String,
    /// The type asked for.
    pub qtype: u16,
}

/// What an answer record says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordData {
    /// An IPv4 address.
    A(Ipv4Addr),
    /// An IPv6 address.
    Aaaa(Ipv6Addr),
    /// An alias: the record's name is another name for this one.
    Cname(String),
    /// A type this client does not read.
    Other(u16),
}

/// One answer record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The name the record belongs to.
    pub name: String,
    /// Seconds it may be cached.
    pub ttl: u32,
    /// What it says.
    pub data: RecordData,
}

/// A decoded response: its header fields, its first question and its answer records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The id, copied from the query.
    pub id: u16,
    /// The response code: 0 no error, 3 NXDOMAIN, others are failures.
    pub rcode: u8,
    /// Whether the TC bit is set.
    pub truncated: bool,
    /// The question the server says it answers.
    pub question: Option<Question>,
    /// The answer section.
    pub answers: Vec<Record>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_reads_every_field_of_a_response() {
        // id 0xBEEF; QR, RD, RA, TC and rcode 3; 1 question, 2 answers, 3 authority, 4 additional.
        let bytes = [0xBE, 0xEF, 0x83, 0x83, 0, 1, 0, 2, 0, 3, 0, 4];
        let header = Header::new_checked(&bytes[..]).unwrap();
        assert_eq!(header.id(), 0xBEEF);
        assert_eq!(header.flags(), 0x8383);
        assert!(header.is_response());
        assert!(header.is_truncated());
        assert_eq!(header.rcode(), 3);
        assert_eq!(header.question_count(), 1);
        assert_eq!(header.answer_count(), 2);
    }

    #[test]
    fn a_header_without_its_flags_set_says_so() {
        let bytes = [0, 1, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];
        let header = Header::new_checked(&bytes[..]).unwrap();
        assert!(!header.is_response());
        assert!(!header.is_truncated());
        assert_eq!(header.rcode(), 0);
    }

    #[test]
    fn a_header_writes_its_fields_big_endian() {
        let mut bytes = [0xFFu8; 14];
        let mut header = Header::new_checked(&mut bytes[..]).unwrap();
        header.set_id(0x1234);
        header.set_flags(flags::RD);
        header.set_counts(1, 0x0203, 0x0405, 0x0607);
        assert_eq!(
            bytes,
            [0x12, 0x34, 0x01, 0x00, 0, 1, 2, 3, 4, 5, 6, 7, 0xFF, 0xFF]
        );
    }

    #[test]
    fn every_view_refuses_a_buffer_too_short_for_its_fields() {
        for len in 0..HEADER_LEN {
            assert_eq!(
                Header::new_checked(&[0u8; 16][..len]).err(),
                Some(WireError::Truncated),
                "{len} bytes"
            );
        }
        assert!(Header::new_checked(&[0u8; HEADER_LEN][..]).is_ok());
        for len in 0..QUESTION_LEN {
            assert_eq!(
                QuestionFields::new_checked(&[0u8; 8][..len]).err(),
                Some(WireError::Truncated),
                "{len} bytes"
            );
        }
        assert!(QuestionFields::new_checked(&[0u8; QUESTION_LEN][..]).is_ok());
        for len in 0..RECORD_LEN {
            assert_eq!(
                RecordFields::new_checked(&[0u8; 16][..len]).err(),
                Some(WireError::Truncated),
                "{len} bytes"
            );
        }
    }

    #[test]
    fn question_fields_read_and_write_type_and_class() {
        let mut bytes = [0u8; QUESTION_LEN];
        let mut fields = QuestionFields::new_checked(&mut bytes[..]).unwrap();
        fields.set_qtype(TYPE_AAAA);
        fields.set_qclass(CLASS_IN);
        assert_eq!(bytes, [0, 28, 0, 1]);
        let fields = QuestionFields::new_checked(&bytes[..]).unwrap();
        assert_eq!((fields.qtype(), fields.qclass()), (TYPE_AAAA, CLASS_IN));
    }

    #[test]
    fn record_fields_read_the_fixed_fields_and_the_data() {
        // A IN, ttl 0x01020304, 4 bytes of data, then the start of the next record.
        let bytes = [0, 1, 0, 1, 1, 2, 3, 4, 0, 4, 192, 0, 2, 10, 0xC0];
        let record = RecordFields::new_checked(&bytes[..]).unwrap();
        assert_eq!(record.rtype(), TYPE_A);
        assert_eq!(record.class(), CLASS_IN);
        assert_eq!(record.ttl(), 0x0102_0304);
        assert_eq!(record.data_len(), 4);
        assert_eq!(record.data(), [192, 0, 2, 10]);
        assert_eq!(record.total_len(), 14);
    }

    #[test]
    fn record_fields_refuse_data_shorter_than_its_length_says() {
        // The length says 4 bytes of data; 3 follow.
        let bytes = [0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2];
        assert_eq!(
            RecordFields::new_checked(&bytes[..]).err(),
            Some(WireError::Truncated)
        );
        // The most a length can claim does not overflow anything.
        let bytes = [0, 1, 0, 1, 0, 0, 0, 60, 0xFF, 0xFF];
        assert_eq!(
            RecordFields::new_checked(&bytes[..]).err(),
            Some(WireError::Truncated)
        );
        // No data at all is a valid record.
        let bytes = [0, 16, 0, 1, 0, 0, 0, 60, 0, 0];
        let record = RecordFields::new_checked(&bytes[..]).unwrap();
        assert_eq!((record.data(), record.total_len()), (&[][..], RECORD_LEN));
    }

    #[test]
    fn record_types_have_their_numbers_and_names() {
        assert_eq!(RecordType::A.code(), 1);
        assert_eq!(RecordType::Aaaa.code(), 28);
        assert_eq!(RecordType::A.to_string(), "A");
        assert_eq!(RecordType::Aaaa.to_string(), "AAAA");
    }

    #[test]
    fn same_name_ignores_case_and_the_trailing_dot_only() {
        assert!(same_name("example.test", "example.test"));
        assert!(same_name("EXAMPLE.test", "example.TEST."));
        assert!(same_name("a.b.", "a.b"));
        assert!(same_name(".", "."));
        // Both the root, as an encoder reads them.
        assert!(same_name(".", ""));
        assert!(!same_name("a.b", "a.b.c"));
        assert!(!same_name("a..", "a"));
        assert!(!same_name("a..", "a.."));
        // Only ASCII letters fold: DNS has no other case.
        assert!(!same_name("É.test", "é.test"));
        assert!(!same_name("\\195\\137.test", "é.test"));
    }

    #[test]
    fn same_name_compares_the_bytes_that_escapes_stand_for() {
        // How read_name writes each byte that is not printable ASCII, or is `.` or `\`.
        for (escaped, plain) in [
            ("a\\032b.test", "a b.test"),
            ("tab\\009.test", "tab\t.test"),
            ("\\195\\169t\\195\\169.test", "été.test"),
            ("back\\092slash.test", "back\\\\slash.test"),
            ("dot\\046inside.test", "dot\\.inside.test"),
            ("\\065.test", "a.test"),
        ] {
            assert!(same_name(escaped, plain), "{escaped} vs {plain}");
            assert!(same_name(plain, escaped), "{plain} vs {escaped}");
        }
        assert!(!same_name("dot\\046inside.test", "dot.inside.test"));
    }

    #[test]
    fn name_labels_reads_escapes_and_rejects_those_that_mean_nothing() {
        let labels = |s| name_labels(s).map(|l| l.concat());
        assert_eq!(labels(""), Ok(vec![]));
        assert_eq!(labels("\\255\\000"), Ok(vec![255, 0]));
        assert_eq!(labels("\\\\"), Ok(vec![b'\\']));
        assert_eq!(labels("\\é"), Ok("é".as_bytes().to_vec()));
        for bad in ["a\\", "\\256", "\\25", "\\2x5", "\\1.5"] {
            assert_eq!(name_labels(bad), Err(WireError::BadEscape), "{bad:?}");
        }
        for bad in ["a..b", ".a", "a.b..", ".."] {
            assert_eq!(name_labels(bad), Err(WireError::EmptyLabel), "{bad:?}");
        }
    }

    #[test]
    fn random_ids_vary() {
        let ids: Vec<u16> = (0..16).map(|_| random_id()).collect();
        assert!(
            ids.iter().any(|id| *id != ids[0]),
            "16 ids in a row were all {:#06x}",
            ids[0]
        );
    }

    #[test]
    fn a_zoned_ip_prints_its_zone_after_a_percent_sign() {
        let plain = ZonedIp {
            ip: IpAddr::V4(Ipv4Addr::LOCALHOST),
            zone: None,
        };
        assert_eq!(plain.to_string(), "127.0.0.1");
        let scoped = ZonedIp {
            ip: "fe80::1".parse().unwrap(),
            zone: Some("2".into()),
        };
        assert_eq!(scoped.to_string(), "fe80::1%2");
    }

    #[test]
    fn errors_say_what_went_wrong() {
        let server: SocketAddr = "127.0.0.1:53".parse().unwrap();
        let cases: Vec<(LookupError, &str)> = vec![
            (
                LookupError::UnknownNetwork("tcp".into()),
                "unknown network \"tcp\": use ip, ip4 or ip6",
            ),
            (
                LookupError::Timeout {
                    server,
                    attempts: 2,
                    timeout: Duration::from_millis(1500),
                },
                "no answer from 127.0.0.1:53 after 2 attempt(s) of 1.5s",
            ),
            (
                LookupError::NoAddresses {
                    name: "v4only.test".into(),
                    record_type: RecordType::Aaaa,
                },
                "lookup v4only.test: the name exists but has no AAAA records",
            ),
            (
                WireError::BadLabelType(0x41).into(),
                "unknown label type in length byte 0x41",
            ),
            (
                WireError::BadRecordLength { rtype: 1, len: 3 }.into(),
                "a type 1 record cannot be 3 bytes long",
            ),
        ];
        for (error, message) in cases {
            assert_eq!(error.to_string(), message);
        }
    }
}
