//! Step 12.1 · `checksum` — the Internet checksum (RFC 1071), the notes' `checkSum`.
//!
//! Read: chapter 12, "Step 1" (book/src/ch12_ping.md).   Check: `cargo run -- check checksum`
//!
//! `Packet` is a typed view over the bytes of an echo message, given by the library
//! (`netlings::support::icmp`): `packet.as_bytes()` is the whole message and
//! `packet.set_checksum(v)` stores `v` in bytes 2 and 3.

use netlings::support::icmp::Packet;

// ANCHOR: contract
/// The Internet checksum of RFC 1071: the ones' complement of the ones' complement sum of
/// `data` read as big-endian 16-bit words (an odd last byte is padded with a zero byte).
///
/// - `checksum(&[0x08, 0x00, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x25]) == 0xf7cd`: the Go book's
///   request, its checksum field still 0.
/// - A carry out of the top bit is added back in at the bottom: `ff ff 00 01` gives `0xfffe`.
/// - `checksum(&[]) == 0xffff`.
pub fn checksum(data: &[u8]) -> u16 {
    // TODO: add the big-endian 16-bit words into a u32 (an odd last byte is the high half of a
    // word), fold the carries back in until the sum fits in 16 bits, and return its complement.
    todo!("checksum({data:02x?})")
}

/// Whether the whole message, checksum field included, sums to 0xFFFF: then its checksum,
/// computed over every byte, is 0.
pub fn verify_checksum<T: AsRef<[u8]>>(packet: &Packet<T>) -> bool {
    // TODO
    todo!("verify_checksum({:02x?})", packet.as_bytes())
}

/// Computes the checksum over the message with the field zeroed, and stores it. Whatever the
/// field held before must not count.
pub fn fill_checksum<T: AsRef<[u8]> + AsMut<[u8]>>(packet: &mut Packet<T>) {
    // TODO: zero the field first, then store the checksum of the whole message.
    todo!("fill_checksum({:02x?})", packet.as_bytes())
}
// ANCHOR_END: contract
