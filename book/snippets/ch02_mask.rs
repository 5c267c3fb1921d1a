//! Snippets for chapter 2, compiled and run by `cargo test` (tests/book.rs).

use std::net::Ipv4Addr;

#[test]
fn bytes_and_integers() {
    // ANCHOR: bytes_and_integers
    // An address is a 32-bit number; its bytes, most significant first, are "network order".
    let addr = Ipv4Addr::new(192, 168, 1, 3);
    let n = u32::from(addr);
    assert_eq!(n, 0xc0a8_0103);
    assert_eq!(n.to_be_bytes(), [192, 168, 1, 3]);
    assert_eq!(u32::from_be_bytes([192, 168, 1, 3]), n);
    // A u128 holds an IPv6 address the same way, and an IPv4 one in its top 32 bits.
    let wide = u128::from(n) << 96;
    assert_eq!((wide >> 96) as u32, n);
    // ANCHOR_END: bytes_and_integers
}

#[test]
fn shift_overflow() {
    // ANCHOR: shift_overflow
    // The top `n` bits of an address: shift the other 32 - n out. For n = 0 that is a shift
    // by 32, an overflow in Rust (a panic in debug builds), not 0.
    let addr = u32::from(Ipv4Addr::new(10, 1, 2, 3));
    let top = |n: u32| addr.checked_shr(32 - n);
    assert_eq!(top(8), Some(10));
    assert_eq!(top(0), None); // you decide what "no bits" means: here, 0
    assert_eq!(top(0).unwrap_or(0), 0);
    // ANCHOR_END: shift_overflow
}

#[test]
fn ranges() {
    // ANCHOR: ranges
    // Matching on ranges sorts a number into bands, as classes sort an address's first byte.
    let band = |port: u16| match port {
        0..=1023 => "well-known",
        1024..=49151 => "registered",
        _ => "dynamic",
    };
    assert_eq!(band(443), "well-known");
    assert_eq!(band(8080), "registered");
    assert_eq!(band(50000), "dynamic");
    // ANCHOR_END: ranges
}

#[test]
fn prefix_length() {
    // ANCHOR: prefix_length
    let mask = u32::from(Ipv4Addr::new(255, 255, 240, 0));
    assert_eq!(mask.leading_ones(), 20); // a /20
    // Canonical: the ones and the zeros after them account for every bit.
    assert_eq!(mask.leading_ones() + mask.trailing_zeros(), 32);

    let holey = u32::from(Ipv4Addr::new(255, 0, 255, 0));
    assert_ne!(holey.leading_ones() + holey.trailing_zeros(), 32); // Go's Size() says (0, 0)
    // ANCHOR_END: prefix_length
}

#[test]
fn and_mask() {
    // ANCHOR: and_mask
    let ip = Ipv4Addr::new(192, 168, 1, 3);
    let mask = Ipv4Addr::new(255, 255, 255, 0);
    // std implements `&`, `|` and `!` for Ipv4Addr and Ipv6Addr (Rust 1.75).
    assert_eq!(ip & mask, Ipv4Addr::new(192, 168, 1, 0)); // the network
    // ANCHOR_END: and_mask
}

#[test]
fn mapped_bytes() {
    // ANCHOR: mapped_bytes
    // Go stores 10.1.2.3 in 16 bytes, as the IPv4-mapped address ::ffff:10.1.2.3:
    let bytes = Ipv4Addr::new(10, 1, 2, 3).to_ipv6_mapped().octets();
    assert_eq!(
        bytes,
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 1, 2, 3]
    );
    // So a 16-byte mask applies to it only if it keeps the first 12 bytes as they are: all
    // ones there. Its last 4 bytes are then the IPv4 mask.
    // ANCHOR_END: mapped_bytes
}

#[test]
fn host_part() {
    // ANCHOR: host_part
    let network = Ipv4Addr::new(172, 16, 0, 0);
    let mask = Ipv4Addr::new(255, 240, 0, 0); // a /12
    let host_part = !mask; // 0.15.255.255: ones where the mask has zeros
    assert_eq!(network | host_part, Ipv4Addr::new(172, 31, 255, 255));
    // Ipv4Addr has no `+`: count on the integer and convert back.
    let next = Ipv4Addr::from(u32::from(Ipv4Addr::new(10, 0, 0, 255)) + 1);
    assert_eq!(next, Ipv4Addr::new(10, 0, 1, 0));
    // ANCHOR_END: host_part
}

#[test]
fn counting() {
    // ANCHOR: counting
    // A /20 leaves 12 host bits: 2^12 addresses.
    assert_eq!(1u32 << 12, 4096);
    // 2^128 does not fit in a u128: its largest value is 2^128 - 1. Saturating arithmetic
    // stops there instead of overflowing.
    assert_eq!(u128::MAX.checked_add(1), None);
    assert_eq!(u128::MAX.saturating_add(1), u128::MAX);
    // ANCHOR_END: counting
}

#[test]
fn lenient_numbers() {
    // ANCHOR: lenient_numbers
    // Text formats split on a separator; `split_once` cuts at the first one.
    assert_eq!("3/4".split_once('/'), Some(("3", "4")));
    assert_eq!("3/4/5".split_once('/'), Some(("3", "4/5")));
    // `parse::<u32>` takes a leading '+', which CIDR notation does not allow:
    assert_eq!("+8".parse::<u32>(), Ok(8));
    assert!("+8".bytes().any(|b| !b.is_ascii_digit())); // check the digits first
    // ANCHOR_END: lenient_numbers
}
