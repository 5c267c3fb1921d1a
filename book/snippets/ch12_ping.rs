//! Snippets for chapter 12, compiled and run by `cargo test` (tests/book.rs). None of them opens
//! a socket: the bytes below were read from a raw socket on 127.0.0.1 once and written down.

/// What a raw IPv4 socket returned after the Go book's request was sent to 127.0.0.1: first our
/// own request, then the kernel's reply, each behind a 20-byte IP header.
// ANCHOR: captured
const OWN_REQUEST: [u8; 28] = [
    0x45, 0x00, 0x00, 0x1c, 0x8a, 0x28, 0x40, 0x00, 0x40, 0x01, 0xb2, 0xb6, // IP header...
    0x7f, 0x00, 0x00, 0x01, 0x7f, 0x00, 0x00, 0x01, // ...from 127.0.0.1 to 127.0.0.1
    0x08, 0x00, 0xf7, 0xcd, 0x00, 0x0d, 0x00, 0x25, // ICMP: echo request, ident 13, seq 37
];
const REPLY: [u8; 28] = [
    0x45, 0x00, 0x00, 0x1c, 0x24, 0x7d, 0x00, 0x00, 0x40, 0x01, 0x58, 0x62, //
    0x7f, 0x00, 0x00, 0x01, 0x7f, 0x00, 0x00, 0x01, //
    0x00, 0x00, 0xff, 0xcd, 0x00, 0x0d, 0x00, 0x25, // ICMP: echo reply, ident 13, seq 37
];
// ANCHOR_END: captured

#[test]
fn by_hand() {
    // ANCHOR: by_hand
    // The Go book's request with the checksum field still zero: 08 00 00 00 00 0d 00 25.
    // Step 1: read it as four big-endian 16-bit words.
    let words: [u16; 4] = [0x0800, 0x0000, 0x000d, 0x0025];
    // Step 2: add them. (No carry out of 16 bits here, so nothing to fold back in.)
    let sum: u32 = words.iter().map(|&w| u32::from(w)).sum();
    assert_eq!(sum, 0x0832);
    // Step 3: the checksum is the ones' complement: every bit flipped.
    let checksum = !(sum as u16);
    assert_eq!(checksum, 0xF7CD); // the book prints it as the bytes 247 205
    // The receiver adds all four words plus the checksum: 0x0832 + 0xF7CD = 0xFFFF, "all ones".
    assert_eq!(sum + u32::from(checksum), 0xFFFF);
    // ANCHOR_END: by_hand
}

#[test]
fn reply_checksum() {
    // ANCHOR: reply_checksum
    // The reply differs in one byte: type 0 instead of 8. The sum drops by 0x0800, so the
    // checksum rises by 0x0800. A kernel answering a ping patches the checksum the same way.
    let icmp = &REPLY[20..];
    assert_eq!(icmp[0], 0); // echo reply
    assert_eq!(u16::from_be_bytes([icmp[2], icmp[3]]), 0xF7CD + 0x0800);
    // ANCHOR_END: reply_checksum
}

#[test]
fn carry() {
    // ANCHOR: carry
    // With more data the sum overflows 16 bits. Ones' complement addition wraps the carry
    // around to the bottom: 0xFFFF + 0x0003 = 0x1_0002 becomes 0x0002 + 0x1 = 0x0003.
    let mut sum: u32 = 0xFFFF + 0x0003;
    while sum > 0xFFFF {
        sum = (sum & 0xFFFF) + (sum >> 16);
    }
    assert_eq!(sum, 0x0003);
    // ANCHOR_END: carry
}

// ANCHOR: go_first_edition
/// The first edition's `checkSum`, ported as it is: the loop starts at byte 1, not 0.
fn go_first_edition_checksum(msg: &[u8]) -> u16 {
    let mut sum: u32 = 0;
    let mut n = 1; // the bug: `for n := 1; n < len(msg)-1; n += 2`
    while n < msg.len() - 1 {
        sum += u32::from(msg[n]) * 256 + u32::from(msg[n + 1]);
        n += 2;
    }
    sum = (sum >> 16) + (sum & 0xffff);
    sum += sum >> 16;
    !(sum as u16)
}

#[test]
fn go_first_edition_bug() {
    let msg = [0x08, 0x00, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x25];
    // It adds the pairs (00 00), (00 00), (0d 00): the type byte 08 and the sequence
    // byte 25 are never counted, and 0d lands in the high half of a word.
    assert_eq!(go_first_edition_checksum(&msg), 0xF2FF);
    // The right answer starts at byte 0. A host that receives F2 FF finds that the message
    // does not add up to 0xFFFF and drops it without a word: the program waits forever.
    assert_ne!(go_first_edition_checksum(&msg), 0xF7CD);
}
// ANCHOR_END: go_first_edition

#[test]
fn ip_header() {
    // ANCHOR: ip_header
    // The first byte holds two 4-bit fields: the version (4) and the header length (IHL) in
    // 32-bit words. 0x45 = version 4, 5 words = 20 bytes. Options make it up to 15 words.
    let first = REPLY[0];
    let (version, header_len) = (first >> 4, usize::from(first & 0x0F) * 4);
    assert_eq!((version, header_len), (4, 20));
    assert_eq!(REPLY[8], 64); // TTL: Linux starts at 64
    assert_eq!(REPLY[9], 1); // protocol: 1 = ICMP
    let icmp = &REPLY[header_len..];
    assert_eq!(icmp, [0x00, 0x00, 0xff, 0xcd, 0x00, 0x0d, 0x00, 0x25]);
    // ANCHOR_END: ip_header
}

#[test]
fn go_read_keeps_the_header() {
    // ANCHOR: go_read
    // The Go book checks `msg[5] == 13` and `msg[7] == 37` on what `conn.Read` returned. But
    // that buffer starts with the IP header: byte 5 is part of the IP identification field and
    // byte 7 of the fragment offset.
    let msg = REPLY;
    assert_eq!(msg[5], 0x7d); // not 13: "identifier matches" is never printed
    assert_eq!(msg[7], 0x00); // not 37: "Sequence matches" is never printed
    // The identifier and sequence are 20 bytes further on.
    assert_eq!((msg[20 + 5], msg[20 + 7]), (13, 37));
    // ANCHOR_END: go_read
}

#[test]
fn own_request_first() {
    // ANCHOR: own_request
    // On loopback the first datagram a raw socket reads is the request it just sent: the raw
    // socket gets a copy of every ICMP message the host receives, including ours to ourselves.
    assert_eq!(OWN_REQUEST[20], 8); // type 8: echo request, skip it
    assert_eq!(REPLY[20], 0); // type 0: echo reply, the one we wait for
    // ANCHOR_END: own_request
}
