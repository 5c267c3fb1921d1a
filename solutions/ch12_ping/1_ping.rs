//! Chapter 12 — Raw sockets and ICMP: Go's `DialIP("ip4:icmp", ...)` and a ping from bytes up.
//!
//! Run it: `netlings run ping --solution -- 127.0.0.1 -c 3` (or `::1`). It needs a raw socket
//! (root or CAP_NET_RAW) or an ICMP datagram socket (`net.ipv4.ping_group_range`); the error
//! message says how to get one.

use std::fmt;
use std::io::{self, Read, Write};
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::ops::{Range, RangeFrom};
use std::sync::atomic::{AtomicBool, AtomicU16, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use clap::Parser;
use netlings::program::Result;
use socket2::{Domain, Protocol, Socket, Type};

/// Send ICMP echo requests to a host and report the replies, like ping(8).
#[derive(Parser, Debug)]
#[command(name = "ping")]
pub struct Args {
    /// The host to ping: an IP address (127.0.0.1, ::1) or a name
    #[arg(value_name = "HOST")]
    pub host: String,
    /// Stop after sending COUNT requests (default: until Ctrl-C)
    #[arg(short = 'c', value_name = "COUNT", value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,
    /// Seconds between requests (at least 0.01)
    #[arg(short = 'i', value_name = "INTERVAL", default_value = "1", value_parser = seconds(0.01))]
    pub interval: Duration,
    /// Seconds to wait for each reply
    #[arg(short = 'W', value_name = "TIMEOUT", default_value = "1", value_parser = seconds(0.001))]
    pub timeout: Duration,
    /// Bytes of data after the 8-byte ICMP header
    #[arg(short = 's', value_name = "SIZE", default_value_t = 56,
          value_parser = clap::value_parser!(u16).range(..=MAX_DATA as i64))]
    pub size: u16,
}

/// The largest echo payload that fits in one IPv4 datagram: 65535 - 20 (IP) - 8 (ICMP).
pub const MAX_DATA: usize = 65_507;

/// A clap parser for a number of seconds, at least `min` and at most an hour.
fn seconds(min: f64) -> impl Fn(&str) -> std::result::Result<Duration, String> + Clone {
    move |s| {
        let secs: f64 = s
            .parse()
            .map_err(|_| format!("{s:?} is not a number of seconds"))?;
        if !(min..=3600.0).contains(&secs) {
            return Err(format!("must be between {min} and 3600 seconds"));
        }
        Ok(Duration::from_secs_f64(secs))
    }
}

// ANCHOR: checksum
/// The Internet checksum of RFC 1071: the ones' complement of the ones' complement sum of
/// `data` read as big-endian 16-bit words (an odd last byte is padded with a zero byte).
///
/// A message whose checksum field holds this value sums, checksum included, to 0xFFFF, so
/// `checksum(whole_message) == 0` is how a receiver verifies it.
pub fn checksum(data: &[u8]) -> u16 {
    let mut chunks = data.chunks_exact(2);
    // A u32 cannot overflow here for any message an IP datagram can carry (< 65536 words).
    let mut sum: u32 = chunks
        .by_ref()
        .map(|w| u32::from(u16::from_be_bytes([w[0], w[1]])))
        .sum();
    if let [last] = chunks.remainder() {
        sum += u32::from(*last) << 8;
    }
    // Fold the carries back in: that is what makes the sum "ones' complement".
    while sum > 0xFFFF {
        sum = (sum & 0xFFFF) + (sum >> 16);
    }
    !(sum as u16)
}
// ANCHOR_END: checksum

// ANCHOR: family
/// IPv4 or IPv6: ICMP and ICMPv6 give the echo messages different type numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    V4,
    V6,
}

impl Family {
    /// The family of an address.
    pub fn of(ip: IpAddr) -> Family {
        if ip.is_ipv4() { Family::V4 } else { Family::V6 }
    }
    /// The type of an echo request: 8 in ICMP (RFC 792), 128 in ICMPv6 (RFC 4443).
    pub fn echo_request(self) -> u8 {
        match self {
            Family::V4 => 8,
            Family::V6 => 128,
        }
    }
    /// The type of an echo reply: 0 in ICMP, 129 in ICMPv6.
    pub fn echo_reply(self) -> u8 {
        match self {
            Family::V4 => 0,
            Family::V6 => 129,
        }
    }
}
// ANCHOR_END: family

// ANCHOR: field
/// Where each field of an echo message lives: the offsets are written once, here.
mod field {
    use super::{Range, RangeFrom};

    pub const TYPE: usize = 0;
    pub const CODE: usize = 1;
    pub const CHECKSUM: Range<usize> = 2..4;
    pub const IDENT: Range<usize> = 4..6;
    pub const SEQ: Range<usize> = 6..8;
    pub const DATA: RangeFrom<usize> = 8..;
}

/// The length of the echo header: type, code, checksum, identifier, sequence number.
pub const HEADER_LEN: usize = field::DATA.start;
// ANCHOR_END: field

// ANCHOR: reply_error
/// Why a datagram read from an ICMP socket is not the reply we are waiting for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyError {
    /// Fewer bytes than the headers need.
    Truncated { needed: usize, got: usize },
    /// The first byte does not describe an IPv4 header of at least 20 bytes.
    BadIpHeader { version: u8, header_len: usize },
    /// The IPv4 header says the payload is another protocol than ICMP (1).
    NotIcmp { protocol: u8 },
    /// The bytes do not add up: damaged, or not an ICMP message at all.
    BadChecksum { found: u16, expected: u16 },
    /// An echo request: on loopback a raw socket sees its own request before the reply.
    EchoRequest,
    /// Another ICMP message (destination unreachable, time exceeded, neighbour discovery...).
    NotEchoReply { icmp_type: u8, code: u8 },
    /// A reply to another program's ping: raw sockets receive every ICMP message.
    OtherIdentifier { got: u16, want: u16 },
    /// A reply to another of our requests, such as a late one.
    OtherSequence { got: u16, want: u16 },
}
// ANCHOR_END: reply_error

impl fmt::Display for ReplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReplyError::Truncated { needed, got } => {
                write!(f, "truncated: needs {needed} bytes, got {got}")
            }
            ReplyError::BadIpHeader {
                version,
                header_len,
            } => write!(
                f,
                "not an IPv4 header (version {version}, header length {header_len} bytes)"
            ),
            ReplyError::NotIcmp { protocol } => write!(f, "IP protocol {protocol}, not ICMP (1)"),
            ReplyError::BadChecksum { found, expected } => {
                write!(
                    f,
                    "bad checksum {found:#06x}, the bytes add up to {expected:#06x}"
                )
            }
            ReplyError::EchoRequest => write!(f, "an echo request (our own, seen on loopback)"),
            ReplyError::NotEchoReply { icmp_type, code } => {
                write!(f, "ICMP type {icmp_type} code {code}, not an echo reply")
            }
            ReplyError::OtherIdentifier { got, want } => {
                write!(f, "identifier {got}, not ours ({want})")
            }
            ReplyError::OtherSequence { got, want } => {
                write!(f, "sequence {got}, waiting for {want}")
            }
        }
    }
}

impl std::error::Error for ReplyError {}

// ANCHOR: packet
/// An ICMP echo message as a typed view over bytes: `&[u8]` to read, `Vec<u8>` or `&mut [u8]`
/// to write. Nothing is copied; each accessor reads its field where it lies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packet<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> Packet<T> {
    /// A view without any check: accessors panic if `buffer` is shorter than the header.
    pub fn new_unchecked(buffer: T) -> Packet<T> {
        Packet { buffer }
    }

    /// A view of `buffer`, or `Truncated` when it is too short for the 8-byte header, so
    /// that no accessor can run past its end later.
    pub fn new_checked(buffer: T) -> std::result::Result<Packet<T>, ReplyError> {
        let got = buffer.as_ref().len();
        if got < HEADER_LEN {
            return Err(ReplyError::Truncated {
                needed: HEADER_LEN,
                got,
            });
        }
        Ok(Packet::new_unchecked(buffer))
    }

    /// The message type: 8 or 0 in ICMP, 128 or 129 in ICMPv6.
    pub fn msg_type(&self) -> u8 {
        self.buffer.as_ref()[field::TYPE]
    }
    /// The code: 0 for echo messages.
    pub fn code(&self) -> u8 {
        self.buffer.as_ref()[field::CODE]
    }
    /// The checksum field as sent.
    pub fn checksum(&self) -> u16 {
        self.read_u16(field::CHECKSUM)
    }
    /// The identifier: which ping this belongs to.
    pub fn ident(&self) -> u16 {
        self.read_u16(field::IDENT)
    }
    /// The sequence number: which request of that ping.
    pub fn seq(&self) -> u16 {
        self.read_u16(field::SEQ)
    }
    /// The data after the header, echoed back unchanged.
    pub fn data(&self) -> &[u8] {
        &self.buffer.as_ref()[field::DATA]
    }
    /// Whether the whole message, checksum field included, sums to 0xFFFF.
    pub fn verify_checksum(&self) -> bool {
        checksum(self.buffer.as_ref()) == 0
    }
    /// The bytes behind the view.
    pub fn into_inner(self) -> T {
        self.buffer
    }

    fn read_u16(&self, range: Range<usize>) -> u16 {
        let b = &self.buffer.as_ref()[range];
        u16::from_be_bytes([b[0], b[1]])
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> Packet<T> {
    pub fn set_msg_type(&mut self, value: u8) {
        self.buffer.as_mut()[field::TYPE] = value;
    }
    pub fn set_code(&mut self, value: u8) {
        self.buffer.as_mut()[field::CODE] = value;
    }
    pub fn set_checksum(&mut self, value: u16) {
        self.buffer.as_mut()[field::CHECKSUM].copy_from_slice(&value.to_be_bytes());
    }
    pub fn set_ident(&mut self, value: u16) {
        self.buffer.as_mut()[field::IDENT].copy_from_slice(&value.to_be_bytes());
    }
    pub fn set_seq(&mut self, value: u16) {
        self.buffer.as_mut()[field::SEQ].copy_from_slice(&value.to_be_bytes());
    }
    pub fn data_mut(&mut self) -> &mut [u8] {
        &mut self.buffer.as_mut()[field::DATA]
    }
    /// Computes the checksum over the message with the field zeroed, and stores it.
    pub fn fill_checksum(&mut self) {
        self.set_checksum(0);
        let sum = checksum(self.buffer.as_ref());
        self.set_checksum(sum);
    }
}
// ANCHOR_END: packet

// ANCHOR: echo_repr
/// Which echo message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EchoKind {
    Request,
    Reply,
}

/// What an echo message means, apart from its bytes: `parse` reads it from a [`Packet`],
/// `emit` writes it into one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EchoRepr<'a> {
    pub kind: EchoKind,
    pub ident: u16,
    pub seq: u16,
    pub data: &'a [u8],
}
// ANCHOR_END: echo_repr

impl<'a> EchoRepr<'a> {
    // ANCHOR: parse
    /// Reads an echo request or reply of `family` from `packet`.
    ///
    /// For IPv4 the checksum is verified here. For ICMPv6 the kernel has verified it already:
    /// it covers a pseudo-header with both IP addresses, which a socket does not hand us.
    pub fn parse(
        packet: Packet<&'a [u8]>,
        family: Family,
    ) -> std::result::Result<EchoRepr<'a>, ReplyError> {
        if family == Family::V4 && !packet.verify_checksum() {
            let mut copy = Packet::new_unchecked(packet.buffer.to_vec());
            copy.fill_checksum();
            return Err(ReplyError::BadChecksum {
                found: packet.checksum(),
                expected: copy.checksum(),
            });
        }
        let kind = match (packet.msg_type(), packet.code()) {
            (t, 0) if t == family.echo_request() => EchoKind::Request,
            (t, 0) if t == family.echo_reply() => EchoKind::Reply,
            (icmp_type, code) => return Err(ReplyError::NotEchoReply { icmp_type, code }),
        };
        Ok(EchoRepr {
            kind,
            ident: packet.ident(),
            seq: packet.seq(),
            // `into_inner` gives back the `&'a [u8]`, so the data outlives the view.
            data: &packet.into_inner()[field::DATA],
        })
    }
    // ANCHOR_END: parse

    /// The length of the message: header and data.
    pub fn buffer_len(&self) -> usize {
        HEADER_LEN + self.data.len()
    }

    // ANCHOR: emit
    /// Writes the message into `packet`, which must be exactly [`buffer_len`](Self::buffer_len)
    /// bytes long. For IPv4 the checksum is computed; for ICMPv6 it is left 0 because the kernel
    /// computes it (it needs the source address, which the kernel picks).
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, packet: &mut Packet<T>, family: Family) {
        let msg_type = match self.kind {
            EchoKind::Request => family.echo_request(),
            EchoKind::Reply => family.echo_reply(),
        };
        packet.set_msg_type(msg_type);
        packet.set_code(0);
        packet.set_ident(self.ident);
        packet.set_seq(self.seq);
        packet.data_mut().copy_from_slice(self.data);
        match family {
            Family::V4 => packet.fill_checksum(),
            Family::V6 => packet.set_checksum(0),
        }
    }
    // ANCHOR_END: emit
}

// ANCHOR: build_echo_request
/// The bytes of an echo request, ready for `send`.
pub fn build_echo_request(family: Family, ident: u16, seq: u16, data: &[u8]) -> Vec<u8> {
    let repr = EchoRepr {
        kind: EchoKind::Request,
        ident,
        seq,
        data,
    };
    let mut packet = Packet::new_unchecked(vec![0; repr.buffer_len()]);
    repr.emit(&mut packet, family);
    packet.into_inner()
}
// ANCHOR_END: build_echo_request

// ANCHOR: strip_ipv4_header
/// What a raw IPv4 socket hands over besides the ICMP message: the IP header's TTL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ipv4Payload<'a> {
    /// Hops left when the datagram arrived (64 for a Linux sender on loopback).
    pub ttl: u8,
    /// The ICMP message after the header.
    pub payload: &'a [u8],
}

/// Splits an IPv4 datagram read from a raw socket into its TTL and its ICMP message.
///
/// The header is not always 20 bytes: its length is the low 4 bits of the first byte (IHL),
/// counted in 32-bit words, so options make it longer (up to 60 bytes).
pub fn strip_ipv4_header(datagram: &[u8]) -> std::result::Result<Ipv4Payload<'_>, ReplyError> {
    const MIN_HEADER: usize = 20;
    let Some(&first) = datagram.first() else {
        return Err(ReplyError::Truncated {
            needed: MIN_HEADER,
            got: 0,
        });
    };
    let (version, header_len) = (first >> 4, usize::from(first & 0x0F) * 4);
    if version != 4 || header_len < MIN_HEADER {
        return Err(ReplyError::BadIpHeader {
            version,
            header_len,
        });
    }
    if datagram.len() < header_len {
        return Err(ReplyError::Truncated {
            needed: header_len,
            got: datagram.len(),
        });
    }
    // Bytes 8 and 9 of the header: time to live, then the protocol of the payload.
    let (ttl, protocol) = (datagram[8], datagram[9]);
    if protocol != 1 {
        return Err(ReplyError::NotIcmp { protocol });
    }
    Ok(Ipv4Payload {
        ttl,
        payload: &datagram[header_len..],
    })
}
// ANCHOR_END: strip_ipv4_header

// ANCHOR: socket_kind
/// The two sockets Linux offers for ICMP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SocketKind {
    /// `SOCK_RAW`: needs CAP_NET_RAW; sees every ICMP message of the host and, for IPv4, the
    /// IP header in front of each.
    Raw,
    /// `SOCK_DGRAM` with `IPPROTO_ICMP`, the "ping socket": needs the process's group to be in
    /// `net.ipv4.ping_group_range`; the kernel sets the identifier, keeps only replies to it and
    /// hands over the ICMP message alone.
    Datagram,
}
// ANCHOR_END: socket_kind

// ANCHOR: matcher
/// A received echo reply that answers our request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reply<'a> {
    /// The TTL from the IPv4 header, when the socket shows it (raw IPv4 only).
    pub ttl: Option<u8>,
    pub echo: EchoRepr<'a>,
}

/// Everything needed to recognise the replies to one ping among what a socket receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Matcher {
    pub family: Family,
    pub kind: SocketKind,
    /// Our identifier: the one we chose (raw), or the one the kernel chose (datagram).
    pub ident: u16,
}
// ANCHOR_END: matcher

impl Matcher {
    // ANCHOR: parse_reply
    /// Reads one datagram from the socket and says whether it is the reply to request `seq`.
    ///
    /// Only a raw IPv4 socket puts the IP header in front; IPv6 raw sockets and datagram
    /// sockets of both families start at the ICMP message.
    pub fn parse_reply<'a>(
        &self,
        datagram: &'a [u8],
        seq: u16,
    ) -> std::result::Result<Reply<'a>, ReplyError> {
        let (ttl, message) = match (self.family, self.kind) {
            (Family::V4, SocketKind::Raw) => {
                let ip = strip_ipv4_header(datagram)?;
                (Some(ip.ttl), ip.payload)
            }
            _ => (None, datagram),
        };
        let echo = EchoRepr::parse(Packet::new_checked(message)?, self.family)?;
        if echo.kind == EchoKind::Request {
            return Err(ReplyError::EchoRequest);
        }
        if echo.ident != self.ident {
            return Err(ReplyError::OtherIdentifier {
                got: echo.ident,
                want: self.ident,
            });
        }
        if echo.seq != seq {
            return Err(ReplyError::OtherSequence {
                got: echo.seq,
                want: seq,
            });
        }
        Ok(Reply { ttl, echo })
    }
    // ANCHOR_END: parse_reply
}

// ANCHOR: open_error
/// Why no ICMP socket could be opened.
#[derive(Debug)]
pub enum OpenError {
    /// Neither socket is allowed: the message says how to allow one.
    NoPermission {
        family: Family,
        raw: io::Error,
        datagram: io::Error,
    },
    /// Something else went wrong (IPv6 disabled, out of file descriptors...).
    Other { kind: SocketKind, error: io::Error },
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenError::NoPermission {
                family,
                raw,
                datagram,
            } => {
                let icmp = if *family == Family::V4 {
                    "ICMP"
                } else {
                    "ICMPv6"
                };
                write!(
                    f,
                    "this process may not send pings. It tried two {icmp} sockets:\n\
                     \x20 - a raw socket: {raw}. It needs the CAP_NET_RAW capability: run as root, \
                     or grant it to the program once with\n\
                     \x20     sudo setcap cap_net_raw+ep PROGRAM\n\
                     \x20 - an ICMP datagram (\"ping\") socket: {datagram}. The kernel allows it only \
                     to groups in net.ipv4.ping_group_range (it also covers ICMPv6; see \
                     `sysctl net.ipv4.ping_group_range`); allow every group with\n\
                     \x20     sudo sysctl -w net.ipv4.ping_group_range=\"0 2147483647\""
                )
            }
            OpenError::Other { kind, error } => {
                write!(f, "could not open an ICMP socket ({kind:?}): {error}")
            }
        }
    }
}

impl std::error::Error for OpenError {}
// ANCHOR_END: open_error

// ANCHOR: choose_socket
/// Opens the best ICMP socket the process may have: raw first, the datagram socket when the
/// raw one is refused. `open` does the opening (the real one is [`open_socket`]); tests pass
/// one that fails on purpose.
///
/// Only a permission error moves on to the next kind; any other error is reported as it is.
pub fn choose_socket<S>(
    family: Family,
    open: impl FnMut(SocketKind) -> io::Result<S>,
) -> std::result::Result<(S, SocketKind), OpenError> {
    let mut open = open; // calling an FnMut changes it
    let denied = |e: &io::Error| e.kind() == io::ErrorKind::PermissionDenied;
    let raw = match open(SocketKind::Raw) {
        Ok(socket) => return Ok((socket, SocketKind::Raw)),
        Err(e) if denied(&e) => e,
        Err(error) => {
            return Err(OpenError::Other {
                kind: SocketKind::Raw,
                error,
            });
        }
    };
    match open(SocketKind::Datagram) {
        Ok(socket) => Ok((socket, SocketKind::Datagram)),
        Err(datagram) if denied(&datagram) => Err(OpenError::NoPermission {
            family,
            raw,
            datagram,
        }),
        Err(error) => Err(OpenError::Other {
            kind: SocketKind::Datagram,
            error,
        }),
    }
}
// ANCHOR_END: choose_socket

// ANCHOR: open_socket
/// Opens one ICMP socket with socket2: Go's `net.DialIP("ip4:icmp", ...)` before `connect`.
pub fn open_socket(family: Family, kind: SocketKind) -> io::Result<Socket> {
    let (domain, protocol) = match family {
        Family::V4 => (Domain::IPV4, Protocol::ICMPV4),
        Family::V6 => (Domain::IPV6, Protocol::ICMPV6),
    };
    let ty = match kind {
        SocketKind::Raw => Type::RAW,
        SocketKind::Datagram => Type::DGRAM,
    };
    Socket::new(domain, ty, Some(protocol))
}
// ANCHOR_END: open_socket

/// A fresh identifier for each ping: the process id, so that two programs differ, plus a
/// counter, so that two pings inside one process (the tests) differ too.
fn new_ident() -> u16 {
    static NEXT: AtomicU16 = AtomicU16::new(0);
    (std::process::id() as u16).wrapping_add(NEXT.fetch_add(1, Ordering::Relaxed))
}

// ANCHOR: connect
/// Connects `socket` to `ip` and works out the identifier replies will carry.
///
/// Connecting makes the kernel drop ICMP from other hosts and lets us use `send`/`recv`. A
/// datagram socket gets its identifier from the kernel when bound, like a UDP port; it is the
/// port `getsockname` reports.
pub fn connect(socket: &Socket, ip: IpAddr, kind: SocketKind) -> io::Result<Matcher> {
    let family = Family::of(ip);
    let ident = match kind {
        SocketKind::Raw => new_ident(),
        SocketKind::Datagram => {
            let any: IpAddr = match family {
                Family::V4 => std::net::Ipv4Addr::UNSPECIFIED.into(),
                Family::V6 => std::net::Ipv6Addr::UNSPECIFIED.into(),
            };
            socket.bind(&SocketAddr::new(any, 0).into())?;
            socket.local_addr()?.as_socket().map_or(0, |a| a.port())
        }
    };
    socket.connect(&SocketAddr::new(ip, 0).into())?;
    Ok(Matcher {
        family,
        kind,
        ident,
    })
}
// ANCHOR_END: connect

// ANCHOR: ping_once
/// Sends request `seq` and waits at most `timeout` for its reply, skipping everything else
/// the socket receives (our own request, other pings, late replies). `Ok(None)` when no reply
/// came in time or a signal (Ctrl-C) interrupted the wait.
pub fn ping_once(
    socket: &Socket,
    matcher: &Matcher,
    seq: u16,
    data: &[u8],
    timeout: Duration,
) -> io::Result<Option<(Duration, Option<u8>)>> {
    let request = build_echo_request(matcher.family, matcher.ident, seq, data);
    let sent = Instant::now();
    socket.send(&request)?;
    let deadline = sent + timeout;
    // Room for the largest IPv4 header (60 bytes) in front of the echo.
    let mut buf = vec![0; 60 + request.len()];
    loop {
        let Some(left) = deadline
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
        else {
            return Ok(None);
        };
        socket.set_read_timeout(Some(left))?;
        let n = match (&*socket).read(&mut buf) {
            Ok(n) => n,
            // A read timeout is WouldBlock on Unix (TimedOut elsewhere).
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return Ok(None);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => return Ok(None),
            Err(e) => return Err(e),
        };
        if let Ok(reply) = matcher.parse_reply(&buf[..n], seq) {
            return Ok(Some((sent.elapsed(), reply.ttl)));
        }
    }
}
// ANCHOR_END: ping_once

// ANCHOR: stats
/// What ping(8) counts for its summary.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    pub transmitted: u64,
    pub rtts: Vec<Duration>,
}

/// Round-trip times over all replies, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RttSummary {
    pub min: f64,
    pub avg: f64,
    pub max: f64,
    /// The standard deviation, which ping(8) calls mdev.
    pub mdev: f64,
}

impl Stats {
    /// The summary of the round-trip times, or `None` without replies.
    pub fn rtt_summary(&self) -> Option<RttSummary> {
        let ms: Vec<f64> = self.rtts.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
        let n = ms.len() as f64;
        let min = ms.iter().copied().reduce(f64::min)?;
        let max = ms.iter().copied().fold(min, f64::max);
        let avg = ms.iter().sum::<f64>() / n;
        let mean_of_squares = ms.iter().map(|x| x * x).sum::<f64>() / n;
        // Rounding can make the difference a hair below zero.
        let mdev = (mean_of_squares - avg * avg).max(0.0).sqrt();
        Some(RttSummary {
            min,
            avg,
            max,
            mdev,
        })
    }
}
// ANCHOR_END: stats

/// A percentage the way C's `%g` prints it: up to six significant digits, no trailing zeros.
fn percent(part: u64, whole: u64) -> String {
    let value = part as f64 * 100.0 / whole.max(1) as f64;
    let int_digits = if value >= 100.0 {
        3
    } else if value >= 10.0 {
        2
    } else {
        1
    };
    let text = format!("{value:.*}", 6 - int_digits);
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

// ANCHOR: write_summary
/// Prints ping(8)'s closing lines.
pub fn write_summary(
    out: &mut dyn Write,
    host: &str,
    stats: &Stats,
    elapsed: Duration,
) -> io::Result<()> {
    let received = stats.rtts.len() as u64;
    writeln!(out, "\n--- {host} ping statistics ---")?;
    writeln!(
        out,
        "{} packets transmitted, {received} received, {}% packet loss, time {}ms",
        stats.transmitted,
        percent(stats.transmitted - received, stats.transmitted),
        elapsed.as_millis()
    )?;
    if let Some(r) = stats.rtt_summary() {
        writeln!(
            out,
            "rtt min/avg/max/mdev = {:.3}/{:.3}/{:.3}/{:.3} ms",
            r.min, r.avg, r.max, r.mdev
        )?;
    }
    Ok(())
}
// ANCHOR_END: write_summary

// ANCHOR: sigint
/// Set by the SIGINT handler: Ctrl-C ends the pinging and prints the summary.
pub static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_sigint(_signal: libc::c_int) {
    // Only async-signal-safe work in a handler: an atomic store is.
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// Makes Ctrl-C set [`INTERRUPTED`] instead of killing the process. Without `SA_RESTART`, a
/// blocked `recv` returns `EINTR` at once, so the program notices without waiting for a timeout.
pub fn install_sigint_handler() -> io::Result<()> {
    // SAFETY: a zeroed sigaction is valid (empty mask, no flags); the handler only touches an atomic.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_sigint as extern "C" fn(libc::c_int) as libc::sighandler_t;
        if libc::sigaction(libc::SIGINT, &action, std::ptr::null_mut()) != 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}
// ANCHOR_END: sigint

/// Resolves HOST to one address: an IP literal as it is, a name through the system resolver.
fn resolve(host: &str) -> Result<IpAddr> {
    if let Ok(ip) = host.parse() {
        return Ok(ip);
    }
    let mut addrs = (host, 0)
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve {host:?}: {e}"))?;
    addrs
        .next()
        .map(|a| a.ip())
        .ok_or_else(|| format!("{host:?} has no address").into())
}

/// Sleeps until `until`, in short steps so that Ctrl-C is noticed quickly.
fn wait_until(until: Instant, stop: &AtomicBool) {
    while !stop.load(Ordering::SeqCst) {
        let Some(left) = until.checked_duration_since(Instant::now()) else {
            return;
        };
        thread::sleep(left.min(Duration::from_millis(20)));
    }
}

// ANCHOR: ping
/// The whole program, with the socket opener and the stop flag passed in so tests can
/// replace them. Returns an error when no reply came back at all (ping(8) exits 1 then too).
pub fn ping(
    args: Args,
    out: &mut dyn Write,
    stop: &AtomicBool,
    open: impl FnMut(Family, SocketKind) -> io::Result<Socket>,
) -> Result {
    let ip = resolve(&args.host)?;
    let family = Family::of(ip);
    let mut open = open;
    let (socket, kind) = choose_socket(family, |kind| open(family, kind))?;
    let matcher = connect(&socket, ip, kind)?;
    let data: Vec<u8> = (0..args.size).map(|i| i as u8).collect();
    match family {
        Family::V4 => writeln!(
            out,
            "PING {} ({ip}) {}({}) bytes of data.",
            args.host,
            args.size,
            usize::from(args.size) + 28
        )?,
        Family::V6 => writeln!(out, "PING {} ({ip}) {} data bytes", args.host, args.size)?,
    }
    let started = Instant::now();
    let mut stats = Stats::default();
    for n in 1u64.. {
        if stop.load(Ordering::SeqCst) || args.count.is_some_and(|c| n > c) {
            break;
        }
        let round = Instant::now();
        let seq = n as u16; // wraps after 65535 requests, as in ping(8)
        stats.transmitted += 1;
        match ping_once(&socket, &matcher, seq, &data, args.timeout)? {
            Some((rtt, ttl)) => {
                stats.rtts.push(rtt);
                let ttl = ttl.map(|t| format!(" ttl={t}")).unwrap_or_default();
                let ms = rtt.as_secs_f64() * 1000.0;
                writeln!(
                    out,
                    "{} bytes from {ip}: icmp_seq={seq}{ttl} time={ms:.3} ms",
                    data.len() + HEADER_LEN
                )?;
            }
            None if stop.load(Ordering::SeqCst) => break,
            None => writeln!(out, "no reply to icmp_seq={seq} within {:?}", args.timeout)?,
        }
        if args.count != Some(n) {
            wait_until(round + args.interval, stop);
        }
    }
    write_summary(out, &args.host, &stats, started.elapsed())?;
    if stats.rtts.is_empty() {
        return Err(format!("no reply from {ip}").into());
    }
    Ok(())
}
// ANCHOR_END: ping

/// Pings with the real sockets until COUNT replies or Ctrl-C.
pub fn run(args: Args, out: &mut dyn Write) -> Result {
    ping(args, out, &INTERRUPTED, open_socket)
}

fn main() -> std::process::ExitCode {
    if let Err(e) = install_sigint_handler() {
        eprintln!("warning: Ctrl-C will not print the summary: {e}");
    }
    netlings::program::main(run)
}
