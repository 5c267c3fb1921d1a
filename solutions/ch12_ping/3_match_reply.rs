//! Step 12.3 · `match-reply` — among what an ICMP socket receives, the reply to our request.

use netlings::given::ping::echo_message::{EchoKind, EchoRepr};
use netlings::support::icmp::{Family, Matcher, Packet, ReplyError, SocketKind, ipv4};

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
pub fn strip_ipv4_header(datagram: &[u8]) -> Result<Ipv4Payload<'_>, ReplyError> {
    let Some(&first) = datagram.get(ipv4::VERSION_IHL) else {
        return Err(ReplyError::Truncated {
            needed: ipv4::MIN_HEADER_LEN,
            got: 0,
        });
    };
    let (version, header_len) = (first >> 4, usize::from(first & 0x0F) * 4);
    if version != 4 || header_len < ipv4::MIN_HEADER_LEN {
        return Err(ReplyError::BadIpHeader {
            version,
            header_len,
        });
    }
    // The one length check: after it, every offset below `header_len` is inside the slice.
    if datagram.len() < header_len {
        return Err(ReplyError::Truncated {
            needed: header_len,
            got: datagram.len(),
        });
    }
    let protocol = datagram[ipv4::PROTOCOL];
    if protocol != ipv4::PROTOCOL_ICMP {
        return Err(ReplyError::NotIcmp { protocol });
    }
    Ok(Ipv4Payload {
        ttl: datagram[ipv4::TTL],
        payload: &datagram[header_len..],
    })
}

/// A received echo reply that answers our request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reply<'a> {
    /// The TTL from the IPv4 header, when the socket shows it (raw IPv4 only).
    pub ttl: Option<u8>,
    pub echo: EchoRepr<'a>,
}

/// Reads one datagram from the socket `matcher` describes and says whether it is the reply to
/// request `seq`.
///
/// Only a raw IPv4 socket puts the IP header in front; IPv6 raw sockets and datagram
/// sockets of both families start at the ICMP message.
pub fn parse_reply<'a>(
    matcher: &Matcher,
    datagram: &'a [u8],
    seq: u16,
) -> Result<Reply<'a>, ReplyError> {
    let (ttl, message) = match (matcher.family, matcher.kind) {
        (Family::V4, SocketKind::Raw) => {
            let ip = strip_ipv4_header(datagram)?;
            (Some(ip.ttl), ip.payload)
        }
        _ => (None, datagram),
    };
    // Each check trusts the one before: the length, then the checksum and type, then the
    // numbers that say whose reply it is.
    let echo = EchoRepr::parse(Packet::new_checked(message)?, matcher.family)?;
    if echo.kind == EchoKind::Request {
        return Err(ReplyError::EchoRequest);
    }
    if echo.ident != matcher.ident {
        return Err(ReplyError::OtherIdentifier {
            got: echo.ident,
            want: matcher.ident,
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
