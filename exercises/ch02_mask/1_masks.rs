//! Step 2.1 · `masks` — Go's `IPv4Mask`, `CIDRMask` and `IP.DefaultMask`: building masks.
//!
//! Read: chapter 2, "Step 1" (book/src/ch02_mask.md).   Check: `cargo run -- check masks`
//!
//! The mask type comes from the library (`netlings::support::mask::IpMask`): 4 bytes for IPv4,
//! 16 for IPv6, printed in hex like Go (`ffffff00`).

use std::net::IpAddr;

use netlings::support::mask::IpMask;

// ANCHOR: contract
/// Go's `IPv4Mask(a, b, c, d)`: the four bytes, in order.
pub fn ipv4_mask(a: u8, b: u8, c: u8, d: u8) -> IpMask {
    // TODO
    todo!("ipv4_mask({a}, {b}, {c}, {d})")
}

/// Go's `CIDRMask(ones, bits)`: `ones` one-bits followed by zeros, for `bits` = 32 or 128.
/// `None` for any other length or when `ones > bits` (Go returns nil).
///
/// `cidr_mask(24, 32)` is 255.255.255.0, `cidr_mask(0, 32)` is 0.0.0.0, `cidr_mask(64, 128)`
/// is eight bytes of 0xff and eight of zeros.
pub fn cidr_mask(ones: u32, bits: u32) -> Option<IpMask> {
    // TODO: build the ones in an integer, then take its big-endian bytes.
    todo!("cidr_mask({ones}, {bits})")
}

/// Go's `IP.DefaultMask`: the mask of the address's class, from the days before CIDR.
/// Class A (first bit 0: up to 127) is /8, class B (first bits 10: up to 191) is /16, and
/// everything above is /24, classes D and E included. IPv6 has no classes: `None`.
/// An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) has the class of its IPv4 address.
pub fn default_mask(ip: IpAddr) -> Option<IpMask> {
    // TODO: look at the first byte of the (canonical) IPv4 address.
    todo!("default_mask({ip})")
}
// ANCHOR_END: contract
