//! Step 1.2 · `properties` — Go's `IP.IsPrivate`, `IP.IsLinkLocalUnicast`, `IP.IsGlobalUnicast`.
//!
//! Read: chapter 1, "Step 2" (book/src/ch01_ip.md).   Check: `cargo run -- check properties`
//!
//! Each question is "do the first n bits match a prefix?". You may add a private helper for
//! that; std's `is_loopback`, `is_multicast` and `is_unspecified` answer the rest.

use std::net::IpAddr;

// ANCHOR: contract
/// Go's `IP.IsPrivate`: RFC 1918 (10/8, 172.16/12, 192.168/16) and RFC 4193 (fc00::/7).
/// An IPv4-mapped IPv6 address counts as the IPv4 address it carries.
pub fn is_private(ip: IpAddr) -> bool {
    // TODO: compare prefixes; `u32::from(v4)` and `u128::from(v6)` turn addresses into bits.
    todo!("is_private({ip})")
}

/// Go's `IP.IsLinkLocalUnicast`: 169.254/16 and fe80::/10 (IPv4-mapped addresses count as
/// their IPv4 address).
pub fn is_link_local_unicast(ip: IpAddr) -> bool {
    // TODO
    todo!("is_link_local_unicast({ip})")
}

/// Go's `IP.IsGlobalUnicast`: not the IPv4 broadcast address 255.255.255.255, not
/// unspecified, not loopback, not multicast, not link-local unicast. (Private addresses count.)
pub fn is_global_unicast(ip: IpAddr) -> bool {
    // TODO: std has `is_unspecified`, `is_loopback` and `is_multicast`.
    todo!("is_global_unicast({ip})")
}
// ANCHOR_END: contract
