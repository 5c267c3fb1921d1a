//! Step 12.3 · `match-reply` — among what an ICMP socket receives, the reply to our request.
//!
//! Read: chapter 12, "Step 3" (book/src/ch12_ping.md).   Check: `cargo run -- check match-reply`
//!
//! Step 2 is given (`netlings::given::ping::echo_message`). `Matcher`, `ReplyError` and the
//! IPv4 header offsets (`ipv4::TTL`, ...) come from the library (`netlings::support::icmp`).

// Your code will use these imports; until it does, they are unused.
#![allow(unused_imports)]

use netlings::given::ping::echo_message::{EchoKind, EchoRepr};
use netlings::support::icmp::{Family, Matcher, Packet, ReplyError, SocketKind, ipv4};

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
/// counted in 32-bit words, so options make it longer (up to 60 bytes). The errors:
/// - no byte at all: `Truncated { needed: 20, got: 0 }`;
/// - version not 4, or a header shorter than 20 bytes: `BadIpHeader`;
/// - fewer bytes than the header length: `Truncated`;
/// - a protocol other than ICMP: `NotIcmp`.
pub fn strip_ipv4_header(datagram: &[u8]) -> Result<Ipv4Payload<'_>, ReplyError> {
    // TODO: check in the order above; read the TTL and protocol through `ipv4::`.
    todo!("strip_ipv4_header({datagram:02x?})")
}
// ANCHOR_END: strip_ipv4_header

// ANCHOR: parse_reply
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
/// sockets of both families start at the ICMP message. Besides the errors of reading the
/// message, an echo request is `EchoRequest`, another identifier than `matcher.ident` is
/// `OtherIdentifier`, and another sequence number is `OtherSequence`.
pub fn parse_reply<'a>(
    matcher: &Matcher,
    datagram: &'a [u8],
    seq: u16,
) -> Result<Reply<'a>, ReplyError> {
    // TODO: strip the IPv4 header only on a raw IPv4 socket; then Packet::new_checked and
    // EchoRepr::parse; reject echo requests, other identifiers and other sequence numbers.
    todo!("parse_reply({matcher:?}, {datagram:02x?}, seq {seq})")
}
// ANCHOR_END: parse_reply
