//! Step 2.3 · `hosts` — a network's broadcast address and the addresses its hosts may use.
//!
//! Read: chapter 2, "Step 3" (book/src/ch02_mask.md).   Check: `cargo run -- check hosts`
//!
//! `size` is step 2's, given (`netlings::given::mask::apply_mask`), so this step works even if
//! you skipped that one: `size(&net.mask).0` is the network's prefix length.

use std::net::IpAddr;

use netlings::given::mask::apply_mask::size;
use netlings::support::mask::IpNet;

// ANCHOR: contract
/// The IPv4 broadcast address: the network address with every host bit set (192.168.1.255
/// for 192.168.1.0/24). IPv6 has no broadcast (it uses multicast), and /31 and /32 networks
/// have no room for one (RFC 3021): `None`.
pub fn broadcast(net: &IpNet) -> Option<IpAddr> {
    // TODO: the network address with every host bit set.
    todo!("broadcast({}/{})", net.ip, size(&net.mask).0)
}

/// The first and last address a host may use. In IPv4 the network address and the broadcast
/// address are reserved (192.168.1.1 to 192.168.1.254 for a /24), except in a /31 (a
/// point-to-point link: both addresses) and a /32 (one host). In IPv6 every address counts.
pub fn hosts(net: &IpNet) -> (IpAddr, IpAddr) {
    // TODO: the first and last usable address.
    todo!("hosts({}/{})", net.ip, size(&net.mask).0)
}

/// How many hosts fit: the addresses from `hosts(net).0` to `hosts(net).1`, inclusive (254
/// for a /24). `::/0` has 2^128 addresses, one more than a u128 holds: give `u128::MAX`.
pub fn host_count(net: &IpNet) -> u128 {
    // TODO: how many addresses hosts() spans.
    todo!("host_count({}/{})", net.ip, size(&net.mask).0)
}
// ANCHOR_END: contract
