//! Step 2.2 · `apply-mask` — Go's `IPMask.Size` and `IP.Mask`, and the network they describe.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use netlings::support::mask::{IpMask, IpNet};

/// Go's `IPMask.Size`: `(ones, bits)` for a canonical mask (ones, then only zeros), and
/// `(0, 0)` for one that is not, such as 255.0.255.0.
pub fn size(m: &IpMask) -> (u32, u32) {
    // One integer for both families: an IPv4 mask moves to the top of a u128.
    let (bits, value) = match m {
        IpMask::V4(b) => (32, u128::from(u32::from_be_bytes(*b)) << 96),
        IpMask::V6(b) => (128, u128::from_be_bytes(*b)),
    };
    // Canonical: once the leading ones are shifted out, nothing is left. (`checked_shl`: an
    // all-ones /128 shifts by the whole width.)
    let ones = value.leading_ones();
    if value.checked_shl(ones).unwrap_or(0) == 0 {
        (ones, bits)
    } else {
        (0, 0)
    }
}

/// Go's `IP.Mask`: the address ANDed with the mask, which is the network the address is in.
/// `None` when the families do not fit.
pub fn mask(ip: IpAddr, m: &IpMask) -> Option<IpAddr> {
    // Go keeps every address in 16 bytes, so it lets an IPv4 address (mapped or not) take a
    // 16-byte mask whose first 12 bytes are ones, and an IPv4-mapped address a 4-byte mask.
    match (ip.to_canonical(), m) {
        (IpAddr::V4(v4), IpMask::V4(b)) => Some(IpAddr::V4(v4 & Ipv4Addr::from(*b))),
        (IpAddr::V4(v4), IpMask::V6(b)) if b[..12].iter().all(|&x| x == 0xff) => {
            Some(IpAddr::V4(v4 & Ipv4Addr::from(ipv4_part(b))))
        }
        (IpAddr::V6(v6), IpMask::V6(b)) => Some(IpAddr::V6(v6 & Ipv6Addr::from(*b))),
        _ => None,
    }
}

/// The network `ip` is in under `m`, Go's `IPNet`: `None` when the mask is not canonical or
/// does not fit the address.
pub fn network(ip: IpAddr, m: IpMask) -> Option<IpNet> {
    // A mask with a hole in it splits no address into a network and a host part.
    if size(&m) == (0, 0) {
        return None;
    }
    let network = mask(ip, &m)?;
    // An IPv4 network keeps the IPv4 part of a 16-byte mask, so it prints as Go prints it.
    let m = match (network, m) {
        (IpAddr::V4(_), IpMask::V6(b)) => IpMask::V4(ipv4_part(&b)),
        _ => m,
    };
    Some(IpNet {
        ip: network,
        mask: m,
    })
}

/// The last 4 bytes of a 16-byte mask: the part that applies to an IPv4 address.
fn ipv4_part(b: &[u8; 16]) -> [u8; 4] {
    [b[12], b[13], b[14], b[15]]
}
