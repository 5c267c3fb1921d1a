//! ICMP echo messages and the sockets that carry them (chapter 12): the wire layout written
//! once, a typed view over the bytes, the IPv4 header offsets a raw socket makes you read, the
//! errors of reading a reply and of opening a socket, and the socket calls themselves.
//!
//! What is *not* here is the learner's work: the checksum, what a message means
//! (`EchoRepr::parse` and `emit`), recognising our reply, choosing a socket, and one ping.
//!
//! ```
//! use netlings::support::icmp::{Family, Packet, field};
//!
//! // The Go book's request: echo request (8), code 0, checksum f7cd, identifier 13, sequence 37.
//! let bytes = [0x08, 0x00, 0xf7, 0xcd, 0x00, 0x0d, 0x00, 0x25];
//! let packet = Packet::new_checked(&bytes[..]).unwrap();
//! assert_eq!(packet.msg_type(), Family::V4.echo_request());
//! assert_eq!((packet.ident(), packet.seq()), (13, 37));
//! assert_eq!(&bytes[field::CHECKSUM], [0xf7, 0xcd]);
//! ```

use std::fmt;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::ops::Range;
use std::sync::atomic::{AtomicU16, Ordering};

use socket2::{Domain, Protocol, Socket, Type};

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
/// Where each field of an echo message lives: the offsets are written once, here, and code
/// says `field::SEQ` instead of `6..8`.
pub mod field {
    use std::ops::{Range, RangeFrom};

    /// The message type: 8 or 0 (ICMP), 128 or 129 (ICMPv6).
    pub const TYPE: usize = 0;
    /// The code: 0 for echo messages.
    pub const CODE: usize = 1;
    /// The RFC 1071 checksum, big-endian.
    pub const CHECKSUM: Range<usize> = 2..4;
    /// The identifier: which ping a message belongs to.
    pub const IDENT: Range<usize> = 4..6;
    /// The sequence number: which request of that ping.
    pub const SEQ: Range<usize> = 6..8;
    /// The data, echoed back unchanged.
    pub const DATA: RangeFrom<usize> = 8..;
}

/// The length of the echo header: type, code, checksum, identifier, sequence number.
pub const HEADER_LEN: usize = field::DATA.start;
// ANCHOR_END: field

// ANCHOR: ipv4
/// The few places of an IPv4 header (RFC 791) that a raw IPv4 socket makes a receiver read.
pub mod ipv4 {
    /// Version (high 4 bits, 4) and header length in 32-bit words (low 4 bits, "IHL").
    pub const VERSION_IHL: usize = 0;
    /// Time to live: hops left when the datagram arrived.
    pub const TTL: usize = 8;
    /// The protocol of the payload.
    pub const PROTOCOL: usize = 9;
    /// A header without options: IHL 5.
    pub const MIN_HEADER_LEN: usize = 20;
    /// The longest header: IHL 15, 40 bytes of options.
    pub const MAX_HEADER_LEN: usize = 60;
    /// The protocol number of ICMP.
    pub const PROTOCOL_ICMP: u8 = 1;
}
// ANCHOR_END: ipv4

/// The largest echo payload that fits in one IPv4 datagram: 65535 - 20 (IP) - 8 (ICMP).
pub const MAX_DATA: usize = 65_507;

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
    pub fn new_checked(buffer: T) -> Result<Packet<T>, ReplyError> {
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
    /// The whole message: header and data, as the checksum covers it.
    pub fn as_bytes(&self) -> &[u8] {
        self.buffer.as_ref()
    }
    /// The bytes behind the view, given back: a `Packet<&'a [u8]>` returns the `&'a [u8]`,
    /// so what is sliced from it outlives the view.
    pub fn into_inner(self) -> T {
        self.buffer
    }

    fn read_u16(&self, range: Range<usize>) -> u16 {
        let b = &self.buffer.as_ref()[range];
        u16::from_be_bytes([b[0], b[1]])
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> Packet<T> {
    /// Sets the message type.
    pub fn set_msg_type(&mut self, value: u8) {
        self.buffer.as_mut()[field::TYPE] = value;
    }
    /// Sets the code.
    pub fn set_code(&mut self, value: u8) {
        self.buffer.as_mut()[field::CODE] = value;
    }
    /// Stores `value` in the checksum field, big-endian. It computes nothing.
    pub fn set_checksum(&mut self, value: u16) {
        self.buffer.as_mut()[field::CHECKSUM].copy_from_slice(&value.to_be_bytes());
    }
    /// Sets the identifier.
    pub fn set_ident(&mut self, value: u16) {
        self.buffer.as_mut()[field::IDENT].copy_from_slice(&value.to_be_bytes());
    }
    /// Sets the sequence number.
    pub fn set_seq(&mut self, value: u16) {
        self.buffer.as_mut()[field::SEQ].copy_from_slice(&value.to_be_bytes());
    }
    /// The data after the header, to fill in.
    pub fn data_mut(&mut self) -> &mut [u8] {
        &mut self.buffer.as_mut()[field::DATA]
    }
}
// ANCHOR_END: packet

// ANCHOR: reply_error
/// Why a datagram read from an ICMP socket is not the reply we are waiting for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ReplyError {
    /// Fewer bytes than the headers need.
    Truncated { needed: usize, got: usize },
    /// The first byte does not describe an IPv4 header of at least 20 bytes.
    BadIpHeader { version: u8, header_len: usize },
    /// The IPv4 header says the payload is another protocol than ICMP (1).
    NotIcmp { protocol: u8 },
    /// The bytes do not add up: damaged, or not an ICMP message at all. `found` is the
    /// checksum field, `expected` what it should hold.
    BadChecksum { found: u16, expected: u16 },
    /// An echo request: on loopback a raw socket reads its own request before the reply.
    EchoRequest,
    /// Another ICMP message (destination unreachable, time exceeded, neighbour discovery...).
    NotEchoReply { icmp_type: u8, code: u8 },
    /// A reply to another program's ping of the same host, or to an earlier ping of ours.
    OtherIdentifier { got: u16, want: u16 },
    /// A reply to another of our requests, such as a late one.
    OtherSequence { got: u16, want: u16 },
}
// ANCHOR_END: reply_error

/// As derived, except that checksums are shown in hex (`BadChecksum { found: 0x00cd, expected:
/// 0xffcd }`), the way the book and the RFCs write them.
impl fmt::Debug for ReplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReplyError::Truncated { needed, got } => f
                .debug_struct("Truncated")
                .field("needed", needed)
                .field("got", got)
                .finish(),
            ReplyError::BadIpHeader {
                version,
                header_len,
            } => f
                .debug_struct("BadIpHeader")
                .field("version", version)
                .field("header_len", header_len)
                .finish(),
            ReplyError::NotIcmp { protocol } => f
                .debug_struct("NotIcmp")
                .field("protocol", protocol)
                .finish(),
            ReplyError::BadChecksum { found, expected } => f
                .debug_struct("BadChecksum")
                .field("found", &format_args!("{found:#06x}"))
                .field("expected", &format_args!("{expected:#06x}"))
                .finish(),
            ReplyError::EchoRequest => f.write_str("EchoRequest"),
            ReplyError::NotEchoReply { icmp_type, code } => f
                .debug_struct("NotEchoReply")
                .field("icmp_type", icmp_type)
                .field("code", code)
                .finish(),
            ReplyError::OtherIdentifier { got, want } => f
                .debug_struct("OtherIdentifier")
                .field("got", got)
                .field("want", want)
                .finish(),
            ReplyError::OtherSequence { got, want } => f
                .debug_struct("OtherSequence")
                .field("got", got)
                .field("want", want)
                .finish(),
        }
    }
}

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
            ReplyError::BadChecksum { found, expected } => write!(
                f,
                "bad checksum {found:#06x}, the bytes add up to {expected:#06x}"
            ),
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

// ANCHOR: socket_kind
/// The two sockets Linux offers for ICMP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SocketKind {
    /// `SOCK_RAW`: needs CAP_NET_RAW. Unconnected, it receives a copy of every ICMP message the
    /// host receives; connected, only those from its peer (on loopback that includes our own
    /// request). For IPv4 each comes with its IP header in front.
    Raw,
    /// `SOCK_DGRAM` with `IPPROTO_ICMP`, the "ping socket": needs the process's group to be in
    /// `net.ipv4.ping_group_range`; the kernel sets the identifier, keeps only replies to it and
    /// hands over the ICMP message alone.
    Datagram,
}
// ANCHOR_END: socket_kind

// ANCHOR: matcher
/// Everything needed to recognise the replies to one ping among what a socket receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Matcher {
    /// ICMP or ICMPv6.
    pub family: Family,
    /// Raw sockets hand over an IPv4 header; datagram sockets do not.
    pub kind: SocketKind,
    /// Our identifier: the one we chose (raw), or the one the kernel chose (datagram).
    pub ident: u16,
}
// ANCHOR_END: matcher

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
// ANCHOR_END: open_error

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenError::NoPermission {
                family,
                raw,
                datagram,
            } => {
                let icmp = match family {
                    Family::V4 => "ICMP",
                    Family::V6 => "ICMPv6",
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
/// Connects `socket` to `peer` (its port is ignored: ICMP has none) and works out the
/// identifier replies will carry.
///
/// Connecting makes the kernel deliver only ICMP from `peer` and lets us use `send`/`recv`.
/// `peer` is a `SocketAddr` for the scope id of an IPv6 link-local address (`fe80::1%eth0`):
/// the interface to use, which the address alone does not say. A datagram socket gets its
/// identifier from the kernel when bound, like a UDP port; it is the port `getsockname`
/// reports.
pub fn connect(socket: &Socket, peer: SocketAddr, kind: SocketKind) -> io::Result<Matcher> {
    let family = Family::of(peer.ip());
    let ident = match kind {
        SocketKind::Raw => new_ident(),
        SocketKind::Datagram => {
            let any: IpAddr = match family {
                Family::V4 => Ipv4Addr::UNSPECIFIED.into(),
                Family::V6 => Ipv6Addr::UNSPECIFIED.into(),
            };
            socket.bind(&SocketAddr::new(any, 0).into())?;
            socket.local_addr()?.as_socket().map_or(0, |a| a.port())
        }
    };
    let mut peer = peer;
    peer.set_port(0);
    socket.connect(&peer.into())?;
    Ok(Matcher {
        family,
        kind,
        ident,
    })
}
// ANCHOR_END: connect

#[cfg(test)]
mod tests {
    use super::*;

    /// The Go book's reply: echo reply (0), code 0, checksum ffcd, identifier 13, sequence 37,
    /// then two bytes of data.
    const GO_BOOK_REPLY: [u8; 10] = [0x00, 0x00, 0xff, 0xcd, 0x00, 0x0d, 0x00, 0x25, b'h', b'i'];

    #[test]
    fn family_of_an_address_and_its_echo_types() {
        let v4 = Family::of(Ipv4Addr::LOCALHOST.into());
        let v6 = Family::of(Ipv6Addr::LOCALHOST.into());
        assert_eq!((v4, v4.echo_request(), v4.echo_reply()), (Family::V4, 8, 0));
        assert_eq!(
            (v6, v6.echo_request(), v6.echo_reply()),
            (Family::V6, 128, 129)
        );
    }

    #[test]
    fn the_fields_tile_the_header_without_gaps() {
        let mut next = 0;
        for range in [
            field::TYPE..field::TYPE + 1,
            field::CODE..field::CODE + 1,
            field::CHECKSUM,
            field::IDENT,
            field::SEQ,
        ] {
            assert_eq!(range.start, next, "a field starts where the last one ended");
            next = range.end;
        }
        assert_eq!((next, HEADER_LEN), (8, 8));
        assert_eq!(MAX_DATA, 65_535 - ipv4::MIN_HEADER_LEN - HEADER_LEN);
    }

    #[test]
    fn packet_view_reads_each_field_of_the_go_books_reply() {
        let packet = Packet::new_checked(&GO_BOOK_REPLY[..]).expect("10 bytes hold the header");
        assert_eq!(packet.msg_type(), 0);
        assert_eq!(packet.code(), 0);
        assert_eq!(packet.checksum(), 0xffcd);
        assert_eq!(packet.ident(), 13);
        assert_eq!(packet.seq(), 37);
        assert_eq!(packet.data(), b"hi");
        assert_eq!(packet.as_bytes(), &GO_BOOK_REPLY[..]);
        let data: &[u8] = &packet.into_inner()[field::DATA];
        assert_eq!(data, b"hi");
    }

    #[test]
    fn packet_setters_write_each_field_big_endian() {
        let mut packet = Packet::new_unchecked(vec![0; 10]);
        packet.set_msg_type(8);
        packet.set_code(1);
        packet.set_checksum(0xf7cd);
        packet.set_ident(0x1234);
        packet.set_seq(37);
        packet.data_mut().copy_from_slice(b"hi");
        assert_eq!(
            packet.into_inner(),
            [0x08, 0x01, 0xf7, 0xcd, 0x12, 0x34, 0x00, 0x25, b'h', b'i']
        );
    }

    #[test]
    fn packet_new_checked_rejects_fewer_than_8_bytes() {
        for len in 0..8 {
            let bytes = vec![0u8; len];
            assert_eq!(
                Packet::new_checked(&bytes[..]).err(),
                Some(ReplyError::Truncated {
                    needed: 8,
                    got: len
                }),
                "Packet::new_checked({len} bytes)"
            );
        }
        assert!(
            Packet::new_checked(&[0u8; 8][..]).is_ok(),
            "8 bytes: no data"
        );
    }

    #[test]
    fn reply_errors_read_as_sentences_with_checksums_in_hex() {
        let cases = [
            (
                ReplyError::Truncated { needed: 8, got: 5 },
                "Truncated { needed: 8, got: 5 }",
                "truncated: needs 8 bytes, got 5",
            ),
            (
                ReplyError::BadIpHeader {
                    version: 0,
                    header_len: 0,
                },
                "BadIpHeader { version: 0, header_len: 0 }",
                "not an IPv4 header (version 0, header length 0 bytes)",
            ),
            (
                ReplyError::NotIcmp { protocol: 6 },
                "NotIcmp { protocol: 6 }",
                "IP protocol 6, not ICMP (1)",
            ),
            (
                ReplyError::BadChecksum {
                    found: 0x00cd,
                    expected: 0xffcd,
                },
                "BadChecksum { found: 0x00cd, expected: 0xffcd }",
                "bad checksum 0x00cd, the bytes add up to 0xffcd",
            ),
            (
                ReplyError::EchoRequest,
                "EchoRequest",
                "an echo request (our own, seen on loopback)",
            ),
            (
                ReplyError::NotEchoReply {
                    icmp_type: 3,
                    code: 1,
                },
                "NotEchoReply { icmp_type: 3, code: 1 }",
                "ICMP type 3 code 1, not an echo reply",
            ),
            (
                ReplyError::OtherIdentifier { got: 14, want: 13 },
                "OtherIdentifier { got: 14, want: 13 }",
                "identifier 14, not ours (13)",
            ),
            (
                ReplyError::OtherSequence { got: 36, want: 37 },
                "OtherSequence { got: 36, want: 37 }",
                "sequence 36, waiting for 37",
            ),
        ];
        for (error, debug, display) in cases {
            assert_eq!(format!("{error:?}"), debug);
            assert_eq!(error.to_string(), display);
        }
    }

    #[test]
    fn open_errors_say_how_to_allow_pings() {
        let no = OpenError::NoPermission {
            family: Family::V6,
            raw: io::Error::from_raw_os_error(libc::EPERM),
            datagram: io::Error::from_raw_os_error(libc::EACCES),
        };
        let text = no.to_string();
        assert!(text.starts_with("this process may not send pings. It tried two ICMPv6 sockets"));
        for needle in [
            "Operation not permitted",
            "setcap cap_net_raw+ep",
            "Permission denied",
            "net.ipv4.ping_group_range=\"0 2147483647\"",
        ] {
            assert!(text.contains(needle), "{needle:?} missing from:\n{text}");
        }
        let other = OpenError::Other {
            kind: SocketKind::Raw,
            error: io::Error::from_raw_os_error(libc::EAFNOSUPPORT),
        };
        assert!(
            other
                .to_string()
                .starts_with("could not open an ICMP socket (Raw): ")
        );
    }

    #[test]
    fn identifiers_differ_from_ping_to_ping() {
        let (a, b) = (new_ident(), new_ident());
        assert_ne!(a, b);
    }

    #[test]
    fn connect_gives_a_datagram_socket_the_kernels_identifier() {
        // A UDP socket stands in for the ping socket: binding gives it a port the same way, and
        // it needs no privilege.
        let socket = Socket::new(Domain::IPV4, Type::DGRAM, Some(Protocol::UDP)).unwrap();
        let to = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        let matcher = connect(&socket, to, SocketKind::Datagram)
            .expect("a UDP socket binds and connects on loopback");
        let port = socket.local_addr().unwrap().as_socket().unwrap().port();
        assert_eq!(
            matcher,
            Matcher {
                family: Family::V4,
                kind: SocketKind::Datagram,
                ident: port
            }
        );
        assert_ne!(port, 0, "binding port 0 picks a free port");
    }

    #[test]
    fn connect_keeps_the_zone_of_a_link_local_address() {
        // A UDP socket stands in again; connecting sends nothing. Given the zone, the kernel
        // looks for a route on that link (and finds one, or says the network is unreachable);
        // without it, it refuses the address at once with EINVAL, "Invalid argument".
        let Ok(socket) = Socket::new(Domain::IPV6, Type::DGRAM, Some(Protocol::UDP)) else {
            return; // no IPv6 on this machine
        };
        let lo = crate::support::ping::resolve("fe80::1%lo").expect("lo is a zone on Linux");
        match connect(&socket, lo, SocketKind::Raw) {
            Ok(_) => assert_eq!(socket.peer_addr().unwrap().as_socket(), Some(lo)),
            Err(e) => assert_ne!(e.kind(), io::ErrorKind::InvalidInput, "{e}"),
        }
    }

    #[test]
    fn open_socket_asks_for_the_family_and_kind_given() {
        // Whether this process may open either is the machine's business; what it may not do
        // is open something else.
        for (family, kind) in [
            (Family::V4, SocketKind::Raw),
            (Family::V4, SocketKind::Datagram),
            (Family::V6, SocketKind::Raw),
        ] {
            if let Ok(socket) = open_socket(family, kind) {
                let want_type = match kind {
                    SocketKind::Raw => Type::RAW,
                    SocketKind::Datagram => Type::DGRAM,
                };
                assert_eq!(socket.r#type().unwrap(), want_type, "{family:?} {kind:?}");
                let domain = socket.domain().unwrap();
                let want_domain = match family {
                    Family::V4 => Domain::IPV4,
                    Family::V6 => Domain::IPV6,
                };
                assert_eq!(domain, want_domain, "{family:?} {kind:?}");
            }
        }
    }
}
