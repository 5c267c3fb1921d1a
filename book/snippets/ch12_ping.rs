//! Snippets for chapter 12, compiled and run by `cargo test` (tests/book.rs). None of them opens
//! an ICMP socket: the bytes below were read from a raw socket on 127.0.0.1 once and written
//! down. They teach on other code (the IPv4 header's checksum, a UDP header, a UDP receive loop),
//! so that the steps are left to write.

use std::io::{self, ErrorKind};
use std::net::UdpSocket;
use std::time::{Duration, Instant};

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
    // checksum rises by 0x0800. Linux does not patch the request's checksum, though: it builds
    // the reply and computes a fresh checksum over it, which comes out the same.
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
    // does not add up to 0xFFFF and drops it without a word (Linux counts it in
    // IcmpInCsumErrors, `nstat -az IcmpInCsumErrors`): no reply ever comes.
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
    // On loopback the first datagram a raw socket reads is the request it just sent: a raw
    // socket gets a copy of the ICMP messages the host receives (once connected, only those
    // from its peer), and a request to 127.0.0.1 is received from 127.0.0.1.
    assert_eq!(OWN_REQUEST[20], 8); // type 8: echo request, skip it
    assert_eq!(REPLY[20], 0); // type 0: echo reply, the one we wait for
    // ANCHOR_END: own_request
}

#[test]
fn header_checksum() {
    // ANCHOR: header_checksum
    // The IPv4 header has a checksum of its own, over the header only, in bytes 10 and 11.
    // Sending, it is computed with the field at zero; receiving, it is summed with the rest.
    let mut header = REPLY[..20].to_vec();
    let words = |h: &[u8]| -> u32 {
        (0..h.len())
            .step_by(2)
            .map(|i| u32::from(h[i]) << 8 | u32::from(h[i + 1]))
            .sum()
    };
    let fold = |mut s: u32| -> u16 {
        while s >> 16 != 0 {
            s = (s >> 16) + (s & 0xffff);
        }
        s as u16
    };
    // As received: the whole header, its checksum 58 62 included, adds up to all ones.
    assert_eq!(fold(words(&header)), 0xFFFF);
    // As sent: zero the field first (its old value must not count), sum, complement, store.
    header[10..12].fill(0);
    let sum = !fold(words(&header));
    header[10..12].copy_from_slice(&sum.to_be_bytes());
    assert_eq!(header, REPLY[..20]);
    // ANCHOR_END: header_checksum
}

// ANCHOR: udp_repr
/// The offsets of a UDP header (RFC 768), written once.
mod udp_field {
    use std::ops::{Range, RangeFrom};
    pub const SRC_PORT: Range<usize> = 0..2;
    pub const DST_PORT: Range<usize> = 2..4;
    pub const LENGTH: Range<usize> = 4..6;
    pub const PAYLOAD: RangeFrom<usize> = 8..;
}

/// What a UDP datagram means, apart from its bytes.
#[derive(Debug, PartialEq)]
struct UdpRepr<'a> {
    src_port: u16,
    dst_port: u16,
    payload: &'a [u8],
}

fn read_u16(bytes: &[u8], at: std::ops::Range<usize>) -> u16 {
    u16::from_be_bytes([bytes[at.start], bytes[at.start + 1]])
}

impl<'a> UdpRepr<'a> {
    /// Bytes to meaning: check what must hold, then read each field by name. The payload is
    /// sliced from `bytes` itself, so it lives as long as they do: nothing is copied.
    fn parse(bytes: &'a [u8]) -> Result<UdpRepr<'a>, String> {
        if bytes.len() < udp_field::PAYLOAD.start {
            return Err(format!("{} bytes, less than a header", bytes.len()));
        }
        if usize::from(read_u16(bytes, udp_field::LENGTH)) != bytes.len() {
            return Err("the length field disagrees".into());
        }
        Ok(UdpRepr {
            src_port: read_u16(bytes, udp_field::SRC_PORT),
            dst_port: read_u16(bytes, udp_field::DST_PORT),
            payload: &bytes[udp_field::PAYLOAD],
        })
    }

    /// Meaning to bytes, into a buffer of exactly the right length.
    fn emit(&self, bytes: &mut [u8]) {
        bytes[udp_field::SRC_PORT].copy_from_slice(&self.src_port.to_be_bytes());
        bytes[udp_field::DST_PORT].copy_from_slice(&self.dst_port.to_be_bytes());
        let length = bytes.len() as u16;
        bytes[udp_field::LENGTH].copy_from_slice(&length.to_be_bytes());
        bytes[udp_field::PAYLOAD].copy_from_slice(self.payload);
    }
}
// ANCHOR_END: udp_repr

#[test]
fn udp_repr_round_trips() {
    // ANCHOR: udp_round_trip
    let repr = UdpRepr {
        src_port: 40000,
        dst_port: 53,
        payload: b"query",
    };
    let mut bytes = vec![0; 8 + repr.payload.len()];
    repr.emit(&mut bytes);
    assert_eq!(bytes[..8], [0x9c, 0x40, 0x00, 0x35, 0x00, 0x0d, 0x00, 0x00]);
    assert_eq!(UdpRepr::parse(&bytes), Ok(repr));
    assert!(UdpRepr::parse(&bytes[..5]).is_err());
    // ANCHOR_END: udp_round_trip
}

// ANCHOR: fallback
/// Where a program's settings may live, the best first. Only "not there" moves on to the next
/// place; any other error (a file we may not read, a disk error) is the answer, as it is.
fn first_found<T>(
    places: &[&str],
    mut load: impl FnMut(&str) -> io::Result<T>,
) -> io::Result<(T, String)> {
    let mut last = io::Error::from(ErrorKind::NotFound);
    for place in places {
        match load(place) {
            Ok(found) => return Ok((found, place.to_string())),
            Err(e) if e.kind() == ErrorKind::NotFound => last = e,
            Err(e) => return Err(e),
        }
    }
    Err(last)
}
// ANCHOR_END: fallback

#[test]
fn fallback_moves_on_only_when_not_found() {
    let places = ["./app.toml", "~/.config/app.toml", "/etc/app.toml"];
    // The first place is missing, the second holds the settings.
    let mut tried = vec![];
    let found = first_found(&places, |p| {
        tried.push(p.to_string());
        if p.starts_with('~') {
            Ok("settings")
        } else {
            Err(io::Error::from(ErrorKind::NotFound))
        }
    });
    assert_eq!(found.unwrap().1, "~/.config/app.toml");
    assert_eq!(tried.len(), 2);
    // A refusal is not "missing": it stops the search.
    let refused = first_found(&places, |_| -> io::Result<()> {
        Err(io::Error::from(ErrorKind::PermissionDenied))
    });
    assert_eq!(refused.unwrap_err().kind(), ErrorKind::PermissionDenied);
}

// ANCHOR: deadline
/// Waits at most `timeout` for a datagram that starts with `prefix`, skipping the others.
/// The deadline is fixed once; each read may only wait for what is left of it.
fn wait_for(socket: &UdpSocket, prefix: &[u8], timeout: Duration) -> io::Result<Option<Vec<u8>>> {
    let deadline = Instant::now() + timeout;
    let mut buf = [0; 1500];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Ok(None); // `set_read_timeout(Some(ZERO))` would be an error
        }
        socket.set_read_timeout(Some(left))?;
        match socket.recv(&mut buf) {
            Ok(n) if buf[..n].starts_with(prefix) => return Ok(Some(buf[..n].to_vec())),
            Ok(_) => continue, // someone else's datagram: keep waiting, but not longer
            Err(e) if netlings::support::io::is_timeout(&e) => return Ok(None),
            Err(e) => return Err(e),
        }
    }
}
// ANCHOR_END: deadline

#[test]
fn deadline_skips_the_others() {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    let peer = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.connect(peer.local_addr().unwrap()).unwrap();
    for datagram in [&b"noise"[..], b"more noise", b"ok: done"] {
        peer.send_to(datagram, socket.local_addr().unwrap())
            .unwrap();
    }
    let got = wait_for(&socket, b"ok", Duration::from_secs(5)).unwrap();
    assert_eq!(got.as_deref(), Some(&b"ok: done"[..]));
    let started = Instant::now();
    let none = wait_for(&socket, b"ok", Duration::from_millis(50)).unwrap();
    assert_eq!(none, None);
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn standard_deviation() {
    // ANCHOR: mdev
    // The standard deviation is the square root of the variance, and the variance is the mean
    // of the squares minus the square of the mean: one pass over the numbers, no second one.
    let xs = [2.0_f64, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n; // 5
    let mean_of_squares = xs.iter().map(|x| x * x).sum::<f64>() / n; // 29
    assert_eq!((mean_of_squares - mean * mean).sqrt(), 2.0);
    // `f64` is not `Ord`: `min` and `max` come from folding with `f64::min` and `f64::max`.
    assert_eq!(xs.iter().copied().fold(f64::INFINITY, f64::min), 2.0);
    // ANCHOR_END: mdev
}
