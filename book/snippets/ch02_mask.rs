//! Snippets for chapter 2, compiled and run by `cargo test` (tests/book.rs).

use std::net::Ipv4Addr;

#[test]
fn and_mask() {
    // ANCHOR: and_mask
    let ip = Ipv4Addr::new(192, 168, 1, 3);
    let mask = Ipv4Addr::new(255, 255, 255, 0);
    // std implements `&`, `|` and `!` for Ipv4Addr (Rust 1.75).
    assert_eq!(ip & mask, Ipv4Addr::new(192, 168, 1, 0)); // the network
    assert_eq!(ip | !mask, Ipv4Addr::new(192, 168, 1, 255)); // the broadcast address
    // ANCHOR_END: and_mask
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
fn shift_overflow() {
    // ANCHOR: shift_overflow
    // A /0 mask would need `u32::MAX << 32`, which is an overflow (a panic in debug builds).
    // `checked_shl` turns that edge into a value you decide on.
    let ones = 0;
    let mask = u32::MAX.checked_shl(32 - ones).unwrap_or(0);
    assert_eq!(mask, 0);
    // ANCHOR_END: shift_overflow
}
