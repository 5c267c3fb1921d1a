//! Step 1.2 · `properties` — Go's `IP.IsPrivate`, `IP.IsLinkLocalUnicast`, `IP.IsGlobalUnicast`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Whether the first `len` bits of `ip` equal those of `net`.
fn in_prefix(ip: IpAddr, net: IpAddr, len: u32) -> bool {
    // Compare as integers: XOR leaves ones where the addresses differ, and the shift keeps only
    // the prefix. `to_canonical` lets `::ffff:10.0.0.1` count as the IPv4 address it carries.
    // (`checked_shr` makes a zero-length prefix, which matches everything, need no special case.)
    match (ip.to_canonical(), net) {
        (IpAddr::V4(ip), IpAddr::V4(net)) => {
            (u32::from(ip) ^ u32::from(net))
                .checked_shr(32 - len)
                .unwrap_or(0)
                == 0
        }
        (IpAddr::V6(ip), IpAddr::V6(net)) => {
            (u128::from(ip) ^ u128::from(net))
                .checked_shr(128 - len)
                .unwrap_or(0)
                == 0
        }
        _ => false,
    }
}

const fn v4(a: u8, b: u8, c: u8, d: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(a, b, c, d))
}

const fn v6(first: u16) -> IpAddr {
    IpAddr::V6(Ipv6Addr::new(first, 0, 0, 0, 0, 0, 0, 0))
}

/// Go's `IP.IsPrivate`: RFC 1918 (10/8, 172.16/12, 192.168/16) and RFC 4193 (fc00::/7).
pub fn is_private(ip: IpAddr) -> bool {
    in_prefix(ip, v4(10, 0, 0, 0), 8)
        || in_prefix(ip, v4(172, 16, 0, 0), 12)
        || in_prefix(ip, v4(192, 168, 0, 0), 16)
        || in_prefix(ip, v6(0xfc00), 7)
}

/// Go's `IP.IsLinkLocalUnicast`: 169.254/16 and fe80::/10, addresses a host gives itself
/// when nothing else configures it; they never cross a router.
pub fn is_link_local_unicast(ip: IpAddr) -> bool {
    in_prefix(ip, v4(169, 254, 0, 0), 16) || in_prefix(ip, v6(0xfe80), 10)
}

/// Go's `IP.IsGlobalUnicast`: a unicast address that is not special. Private addresses count:
/// Go asks "is it routable in principle", not "is it on the public internet".
pub fn is_global_unicast(ip: IpAddr) -> bool {
    let ip = ip.to_canonical();
    ip != IpAddr::V4(Ipv4Addr::BROADCAST)
        && !ip.is_unspecified()
        && !ip.is_loopback()
        && !ip.is_multicast()
        && !is_link_local_unicast(ip)
}
