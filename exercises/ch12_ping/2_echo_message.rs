//! Step 12.2 · `echo-message` — what an echo message means, read from and written to its bytes.
//!
//! Read: chapter 12, "Step 2" (book/src/ch12_ping.md).   Check: `cargo run -- check echo-message`
//!
//! Step 1 is given (`netlings::given::ping::checksum`), so this step works even if you skipped
//! it. The view `Packet`, the `field` offsets and `ReplyError` come from the library
//! (`netlings::support::icmp`).

// Your code will use these imports and parameters; until it does, they are unused.
#![allow(unused_imports, unused_variables)]

use netlings::given::ping::checksum::{fill_checksum, verify_checksum};
use netlings::support::icmp::{Family, HEADER_LEN, Packet, ReplyError, field};

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
    /// - IPv4: the checksum is verified first; a wrong one is `BadChecksum`, with the value
    ///   found and the value the field should hold. ICMPv6: the kernel has verified it already
    ///   (it covers a pseudo-header with both IP addresses, which a socket does not hand us).
    /// - Then the type and code: an echo request or reply of `family` with code 0, or else
    ///   `NotEchoReply` with both.
    /// - `data` is the bytes after the header, borrowed from the bytes `packet` views.
    pub fn parse(packet: Packet<&'a [u8]>, family: Family) -> Result<EchoRepr<'a>, ReplyError> {
        // TODO: verify (V4), then match (type, code) against family.echo_request()/echo_reply().
        todo!("EchoRepr::parse({:02x?}, {family:?})", packet.as_bytes())
    }
    // ANCHOR_END: parse

    /// The length of the message: header and data.
    pub fn buffer_len(&self) -> usize {
        HEADER_LEN + self.data.len()
    }

    // ANCHOR: emit
    /// Writes the message into `packet`, which must be exactly [`buffer_len`](Self::buffer_len)
    /// bytes long: the type of `kind` in `family`, code 0, the identifier, the sequence number
    /// and the data. For IPv4 the checksum is computed; for ICMPv6 it is left 0 because the
    /// kernel computes it (it needs the source address, which the kernel picks).
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, packet: &mut Packet<T>, family: Family) {
        // TODO: set every field through the setters; the checksum last.
        todo!("EchoRepr::emit({self:?}, {family:?})")
    }
    // ANCHOR_END: emit
}

// ANCHOR: build_echo_request
/// The bytes of an echo request, ready for `send`: `build_echo_request(Family::V4, 13, 37, &[])`
/// is the Go book's message, `08 00 f7 cd 00 0d 00 25`.
pub fn build_echo_request(family: Family, ident: u16, seq: u16, data: &[u8]) -> Vec<u8> {
    // TODO: an EchoRepr of kind Request, emitted into a zeroed Vec of its buffer_len.
    todo!("build_echo_request({family:?}, {ident}, {seq}, {data:02x?})")
}
// ANCHOR_END: build_echo_request
