//! Step 12.1 · `checksum` — the Internet checksum (RFC 1071), the notes' `checkSum`.

use netlings::support::icmp::Packet;

/// The Internet checksum of RFC 1071: the ones' complement of the ones' complement sum of
/// `data` read as big-endian 16-bit words (an odd last byte is padded with a zero byte).
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

/// Whether the whole message, checksum field included, sums to 0xFFFF.
pub fn verify_checksum<T: AsRef<[u8]>>(packet: &Packet<T>) -> bool {
    // The complement of 0xFFFF is 0: a receiver needs no special case for the checksum field.
    checksum(packet.as_bytes()) == 0
}

/// Computes the checksum over the message with the field zeroed, and stores it.
pub fn fill_checksum<T: AsRef<[u8]> + AsMut<[u8]>>(packet: &mut Packet<T>) {
    // Whatever the field held must not count: the sender's sum is taken with it at 0.
    packet.set_checksum(0);
    let sum = checksum(packet.as_bytes());
    packet.set_checksum(sum);
}
