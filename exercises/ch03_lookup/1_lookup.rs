//! Chapter 3 — Host lookup: Go's `ResolveIPAddr` and `LookupHost` over the system resolver, then
//! a DNS client built by hand: encode a question, send it over UDP, decode the answer.
//!
//! Read: book chapter 3 (`mdbook serve book`, or book/src/ch03_lookup.md).
//! Check: `cargo run -- check lookup`   Run: `cargo run -- run lookup -- localhost`
//!
//! Fill in the seven functions marked TODO, in file order. The message types (`Header`,
//! `RecordFields`, the `field` ranges) and two helpers (`random_id`, `same_name`) are written
//! for you: use them, and length checks and `Truncated` errors come for free.

use std::fmt;
use std::hash::{BuildHasher, RandomState};
use std::io::{self, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::ops::Range;
use std::time::{Duration, Instant};

use clap::{Parser, ValueEnum};
use netlings::program::Result;

/// Look up the addresses of a host, with the system resolver or by asking a DNS server directly.
#[derive(Parser, Debug)]
#[command(name = "lookup")]
pub struct Args {
    /// The host name (or IP address) to look up
    pub host: String,
    /// Ask this DNS server over UDP (e.g. 127.0.0.1:5353; port 53 if omitted) instead of the
    /// system resolver
    #[arg(long, value_name = "ADDR", value_parser = parse_server)]
    pub server: Option<SocketAddr>,
    /// Which addresses to ask for
    #[arg(long = "type", value_enum, value_name = "TYPE", ignore_case = true)]
    pub record_type: Option<RecordType>,
    /// How long to wait for each answer from --server, in milliseconds
    #[arg(long, value_name = "MS", default_value_t = 2000)]
    pub timeout: u64,
    /// How many times to send the question to --server before giving up
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=10))]
    pub attempts: u32,
}

/// `--server` accepts `ip:port` or a bare IP address (port 53, where DNS servers listen).
fn parse_server(s: &str) -> std::result::Result<SocketAddr, String> {
    s.parse::<SocketAddr>()
        .or_else(|_| s.parse::<IpAddr>().map(|ip| SocketAddr::new(ip, 53)))
        .map_err(|_| format!("{s:?} is not an IP address, with or without a port"))
}

/// The two kinds of address record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RecordType {
    /// An IPv4 address (type 1).
    #[value(name = "A")]
    A,
    /// An IPv6 address (type 28).
    #[value(name = "AAAA")]
    Aaaa,
}

impl RecordType {
    /// The number that stands for this type in a DNS message.
    pub fn code(self) -> u16 {
        match self {
            RecordType::A => 1,
            RecordType::Aaaa => 28,
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

/// Go's `IPAddr`: an IP address and, for IPv6 scoped addresses, the zone (an interface name
/// such as `eth0`, or its number) written after `%`.
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

/// Everything a lookup can end with instead of addresses.
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
            Self::Timeout { server, attempts } => {
                write!(f, "no answer from {server} after {attempts} attempt(s)")
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

// ---------------------------------------------------------------------------------------------
// The system resolver
// ---------------------------------------------------------------------------------------------

/// Go's `ResolveIPAddr(network, host)`: one address of `host` for network `ip` (either family,
/// IPv4 preferred; `""` means `ip`), `ip4` or `ip6`. An address literal is returned as is, zone
/// included; a name goes to the system resolver.
///
/// Errors: `UnknownNetwork` for any other network; `BadZone` for a `%zone` on anything but an
/// IPv6 literal (never sent to the resolver); `NoSuitableAddress` when no address has the
/// network's family; `Resolver` when the system resolver fails.
pub fn resolve_ip_addr(network: &str, host: &str) -> Result<ZonedIp, LookupError> {
    // TODO: map the network to a family (or UnknownNetwork); return a literal (with its %zone,
    // IPv6 only) as it is; otherwise ask the system resolver (`(host, 0).to_socket_addrs()`)
    // and pick an address of the family, IPv4 first for "ip".
    todo!("resolve_ip_addr({network:?}, {host:?})")
}

/// Go's `LookupHost(host)`: every address of `host`, in the resolver's order, without
/// duplicates. An address literal is its own answer (its zone, if any, is dropped).
///
/// Errors: `Resolver` when the system resolver fails, `NoSuchHost` when it returns nothing.
pub fn lookup_host(host: &str) -> Result<Vec<IpAddr>, LookupError> {
    // TODO: a literal is its own answer; otherwise every address from the system resolver,
    // without duplicates.
    todo!("lookup_host({host:?})")
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
            Self::BadRecordLength { rtype, len } => {
                write!(f, "a type {rtype} record cannot be {len} bytes long")
            }
        }
    }
}

impl std::error::Error for WireError {}

/// Where each field lives, named once. Header offsets count from the start of the message;
/// question and record offsets count from the end of the name they follow.
#[allow(dead_code)] // the question fields are yours to use
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

/// The class of internet records.
pub const CLASS_IN: u16 = 1;
/// The record type of an alias.
pub const TYPE_CNAME: u16 = 5;
/// The longest label and the longest name on the wire (RFC 1035 §2.3.4).
pub const MAX_LABEL: usize = 63;
/// The longest name on the wire, length bytes and the root included.
pub const MAX_NAME: usize = 255;

fn get_u16(bytes: &[u8], range: Range<usize>) -> u16 {
    u16::from_be_bytes([bytes[range.start], bytes[range.start + 1]])
}

fn set_u16(bytes: &mut [u8], range: Range<usize>, value: u16) {
    bytes[range].copy_from_slice(&value.to_be_bytes());
}

/// The 12-byte header at the start of every DNS message.
#[derive(Debug, Clone, Copy)]
pub struct Header<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> Header<T> {
    /// A view over `buffer`, checked once to be long enough for every accessor.
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

/// The ten fixed bytes of a resource record that follow its name, and the data after them.
#[derive(Debug, Clone, Copy)]
pub struct RecordFields<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> RecordFields<T> {
    /// A view over the bytes right after a record's name: checked to hold the fixed fields
    /// and all the data the length field promises.
    pub fn new_checked(buffer: T) -> Result<Self, WireError> {
        let bytes = buffer.as_ref();
        if bytes.len() < field::RECORD_LEN {
            return Err(WireError::Truncated);
        }
        let view = Self { buffer };
        if view.buffer.as_ref().len() < field::RECORD_LEN + view.data_len() {
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
        &self.buffer.as_ref()[field::RECORD_LEN..field::RECORD_LEN + self.data_len()]
    }

    /// How many bytes the fixed fields and the data take: where the next record starts.
    pub fn total_len(&self) -> usize {
        field::RECORD_LEN + self.data_len()
    }
}

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

/// A query for `name` and `record_type` with the given id: the header (flags: only RD, "recurse
/// for me"; one question), the name as labels, then the type and class IN.
///
/// Errors: `EmptyLabel` (`a..b`, `.a`), `LabelTooLong` (over 63 bytes), `NameTooLong` (over 255
/// bytes on the wire, length bytes and the root's zero included). A trailing dot is optional.
pub fn encode_query(id: u16, name: &str, record_type: RecordType) -> Result<Vec<u8>, WireError> {
    // TODO: a 12-byte header (use `Header`: id, flags::RD, one question), then the name as
    // labels (length byte + bytes) ending with a zero byte, then type and class IN.
    todo!("encode_query({id}, {name:?}, {record_type})")
}

/// The name that starts at `start` in `message`, following compression pointers, and the offset
/// just after it (after the first pointer, if there was one). Labels are joined with dots, with
/// no trailing dot; the root alone is `"."`.
///
/// Errors: `Truncated` when the message ends inside the name; `BadLabelType` for a length byte
/// starting with bits 01 or 10; `BadPointer` for a pointer that does not jump strictly below
/// both `start` and every earlier pointer's target (this rules out loops and forward jumps);
/// `NameTooLong` once the name passes 255 bytes on the wire.
pub fn read_name(message: &[u8], start: usize) -> Result<(String, usize), WireError> {
    // TODO: read labels until the zero byte; a length byte with the top two bits set (0xC0) is
    // a pointer: 14 bits of offset. Check every index with `.get()`, and make sure a pointer
    // can never lead back to where you have been.
    todo!("read_name({} bytes, {start})", message.len())
}

/// Decodes a whole response: header, questions (the first becomes `question`), answers. The
/// authority and additional sections are not read.
///
/// Record data by type: A is 4 bytes, AAAA 16, CNAME a name (which may use pointers into the
/// whole message) that fills the data exactly; any other type is `Other(type)`. A wrong length
/// is `BadRecordLength`; a message that ends early is `Truncated`.
pub fn parse_response(message: &[u8]) -> Result<Response, WireError> {
    // TODO: `Header::new_checked`, then skip each question (name + 4 bytes), then read each
    // answer: its name, `RecordFields::new_checked`, and data by type (A: 4 bytes, AAAA: 16,
    // CNAME: a name, possibly compressed, so read it from the whole message).
    todo!("parse_response({} bytes)", message.len())
}

// ---------------------------------------------------------------------------------------------
// The client: UDP with a timeout and retries
// ---------------------------------------------------------------------------------------------

/// How long to wait for an answer and how many times to ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryOptions {
    /// How long each attempt waits for an answer.
    pub timeout: Duration,
    /// How many questions to send at most (1 means no retry).
    pub attempts: u32,
}

impl Default for QueryOptions {
    /// glibc's and Go's defaults from resolv.conf(5) are 5 s and 2 attempts; ours are shorter.
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(2),
            attempts: 2,
        }
    }
}

/// A fresh, unpredictable query id. An attacker who can guess the id can forge the answer, so
/// every query gets a new one (std's hasher keys are random per process).
#[allow(dead_code)] // until your query() calls it
fn random_id() -> u16 {
    RandomState::new().hash_one(Instant::now()) as u16
}

/// Sends the question to `server` and returns its response, retrying when no answer comes in
/// time: at most `options.attempts` questions, each waiting `options.timeout`, each with a fresh
/// id. Datagrams that are not the answer to the question (wrong id, QR not set, another
/// question, unreadable header or question, another sender) are ignored, as Go's resolver does,
/// so a forged or stray packet cannot end the wait.
///
/// Errors: `Timeout` after the last attempt; `Refused` when nothing listens at `server`;
/// `Truncated` when the answer has the TC bit; `Wire` when the answer's records are malformed.
pub fn query(
    server: SocketAddr,
    name: &str,
    record_type: RecordType,
    options: QueryOptions,
) -> Result<Response, LookupError> {
    // TODO: bind a UDP socket, `connect` it to the server, then for each attempt: a fresh id
    // (`random_id()`), send the query, and read (into a 512-byte buffer: the most a server
    // sends over UDP) until the answer to *this* query arrives or the attempt's deadline
    // passes: each read waits only for the time left. Ignore anything that is not that answer;
    // report the TC bit.
    todo!("query({server}, {name:?}, {record_type}, {options:?})")
}

/// DNS names compare without regard to ASCII case, and `a.b.` is `a.b`.
#[allow(dead_code)] // until your code calls it
fn same_name(a: &str, b: &str) -> bool {
    fn trim(s: &str) -> &str {
        if s.len() > 1 {
            s.strip_suffix('.').unwrap_or(s)
        } else {
            s
        }
    }
    trim(a).eq_ignore_ascii_case(trim(b))
}

/// The result of [`lookup`]: the chain of names from the one asked for to the canonical one,
/// and the addresses of the last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    /// The name asked for, then each alias target in turn.
    pub names: Vec<String>,
    /// The addresses of the last name.
    pub addrs: Vec<IpAddr>,
}

/// How many aliases a lookup follows before it calls the chain a loop.
pub const MAX_ALIASES: usize = 8;

/// Asks `server` for the addresses of `name`, following the CNAME chain in the answer:
/// `names` is `name` (without a trailing dot) then each alias target, `addrs` the addresses of
/// the last name, in the order of the answer.
///
/// Errors: `NoSuchHost(name)` for rcode 3; `ServerFailure(rcode)` for any other non-zero rcode;
/// `AliasLoop(name)` when a target repeats or the chain would hold more than `MAX_ALIASES`
/// aliases (names after the first);
/// `NoAddresses { name, record_type }` when the last name has no records of the type.
pub fn lookup(
    server: SocketAddr,
    name: &str,
    record_type: RecordType,
    options: QueryOptions,
) -> Result<Lookup, LookupError> {
    // TODO: `query`, then the rcode (3 is NXDOMAIN), then follow CNAME records from `name`
    // (stop on a loop), then collect the addresses of the last name in the chain.
    todo!("lookup({server}, {name:?}, {record_type}, {options:?})")
}

/// Prints the addresses of the host: from the system resolver, or from `--server`.
pub fn run(args: Args, out: &mut dyn Write) -> Result {
    let Some(server) = args.server else {
        let ips = lookup_host(&args.host)?;
        let wanted = |ip: &IpAddr| match args.record_type {
            None => true,
            Some(RecordType::A) => ip.is_ipv4(),
            Some(RecordType::Aaaa) => ip.is_ipv6(),
        };
        let mut shown = 0;
        for ip in ips.iter().filter(|ip| wanted(ip)) {
            writeln!(out, "{} has address {ip}", args.host)?;
            shown += 1;
        }
        if shown == 0 {
            return Err(format!("{} has no address of the type asked for", args.host).into());
        }
        return Ok(());
    };
    let options = QueryOptions {
        timeout: Duration::from_millis(args.timeout),
        attempts: args.attempts,
    };
    let record_type = args.record_type.unwrap_or(RecordType::A);
    let found = lookup(server, &args.host, record_type, options)?;
    for pair in found.names.windows(2) {
        writeln!(out, "{} is an alias for {}", pair[0], pair[1])?;
    }
    let canonical = &found.names[found.names.len() - 1];
    for ip in &found.addrs {
        let kind = if ip.is_ipv4() {
            "address"
        } else {
            "IPv6 address"
        };
        writeln!(out, "{canonical} has {kind} {ip}")?;
    }
    Ok(())
}

fn main() -> std::process::ExitCode {
    netlings::program::main(run)
}
