//! Step 2.3 · `hosts` — a network's broadcast address and the addresses its hosts may use.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use netlings::given::mask::apply_mask::size;
use netlings::support::mask::IpNet;

/// The IPv4 broadcast address: the network with every host bit set. IPv6 has no broadcast
/// (it uses multicast), and /31 and /32 networks have none either (RFC 3021).
pub fn broadcast(net: &IpNet) -> Option<IpAddr> {
    match net.ip {
        IpAddr::V4(_) if prefix(net) <= 30 => Some(last(net)),
        _ => None,
    }
}

/// The first and last address a host may use. In IPv4 the network and broadcast addresses
/// are reserved, except in /31 (a point-to-point link) and /32 (one host); in IPv6 every
/// address counts.
pub fn hosts(net: &IpNet) -> (IpAddr, IpAddr) {
    match (net.ip, last(net)) {
        (IpAddr::V4(first), IpAddr::V4(last)) if broadcast(net).is_some() => (
            IpAddr::V4(Ipv4Addr::from(u32::from(first) + 1)),
            IpAddr::V4(Ipv4Addr::from(u32::from(last) - 1)),
        ),
        (first, last) => (first, last),
    }
}

/// How many hosts fit: the addresses from `hosts(net).0` to `hosts(net).1`, saturating at
/// `u128::MAX` for `::/0`.
pub fn host_count(net: &IpNet) -> u128 {
    // 2^(host bits) addresses; only ::/0 does not fit, one more than u128::MAX.
    let addresses = host_bits(net).saturating_add(1);
    match broadcast(net) {
        Some(_) => addresses - 2,
        None => addresses,
    }
}

/// The prefix length: the number of ones in the mask.
fn prefix(net: &IpNet) -> u32 {
    size(&net.mask).0
}

/// The host part of the mask as an integer: ones where the mask has zeros.
fn host_bits(net: &IpNet) -> u128 {
    let (ones, bits) = size(&net.mask);
    // A /0 IPv6 mask has 128 host bits: shifting by 0 keeps them all, by 128 would overflow.
    u128::MAX.checked_shr(128 - (bits - ones)).unwrap_or(0)
}

/// The last address of the network: every host bit one.
fn last(net: &IpNet) -> IpAddr {
    match net.ip {
        // An IPv4 network has at most 32 host bits, so the cast keeps them all.
        IpAddr::V4(v4) => IpAddr::V4(v4 | Ipv4Addr::from(host_bits(net) as u32)),
        IpAddr::V6(v6) => IpAddr::V6(v6 | Ipv6Addr::from(host_bits(net))),
    }
}
