//! Step 2.2 · `apply-mask` — Go's `IPMask.Size` and `IP.Mask`, and the network they describe.
//!
//! Read: chapter 2, "Step 2" (book/src/ch02_mask.md).   Check: `cargo run -- check apply-mask`
//!
//! `IpMask` and `IpNet` (Go's `IPNet`: a network address and its mask) come from the library
//! (`netlings::support::mask`).

use std::net::IpAddr;

use netlings::support::mask::{IpMask, IpNet};

// ANCHOR: contract
/// Go's `IPMask.Size`: `(ones, bits)` for a canonical mask (ones, then only zeros), and
/// `(0, 0)` for one that is not.
///
/// 255.255.255.0 is `(24, 32)`, 0.0.0.0 is `(0, 32)`, a 16-byte /64 is `(64, 128)`;
/// 255.0.255.0 and 0.255.255.255 are `(0, 0)`.
pub fn size(m: &IpMask) -> (u32, u32) {
    // TODO: count the leading ones; (0, 0) if a one follows a zero.
    todo!("size({m})")
}

/// Go's `IP.Mask`: the address ANDed with the mask, which is the network the address is in.
/// `None` when the families do not fit. Like Go, an IPv4 address takes a 16-byte mask whose
/// first 12 bytes are all ones (its last 4 bytes apply), and an IPv4-mapped IPv6 address
/// counts as IPv4: it takes a 4-byte mask and gives an IPv4 network.
pub fn mask(ip: IpAddr, m: &IpMask) -> Option<IpAddr> {
    // TODO: AND byte by byte (or as integers); mind the IPv4/IPv6 cases.
    todo!("mask({ip}, {m})")
}

/// The network `ip` is in under `m`: the masked address with the mask. `None` when the mask
/// is not canonical (a mask with a hole describes no network) or does not fit the address.
/// An IPv4 network keeps only the last 4 bytes of a 16-byte mask, so that it prints as
/// `10.0.0.0/8` the way Go prints it.
pub fn network(ip: IpAddr, m: IpMask) -> Option<IpNet> {
    // TODO: `size` says whether the mask is canonical, `mask` finds the network address.
    todo!("network({ip}, {m})")
}
// ANCHOR_END: contract
