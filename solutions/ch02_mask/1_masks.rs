//! Step 2.1 · `masks` — Go's `IPv4Mask`, `CIDRMask` and `IP.DefaultMask`: building masks.

use std::net::IpAddr;

use netlings::support::mask::IpMask;

/// Go's `IPv4Mask(a, b, c, d)`: the four bytes, in order.
pub fn ipv4_mask(a: u8, b: u8, c: u8, d: u8) -> IpMask {
    IpMask::V4([a, b, c, d])
}

/// Go's `CIDRMask(ones, bits)`: `ones` one-bits followed by zeros, for `bits` = 32 or 128.
/// `None` for any other length or when `ones > bits` (Go returns nil).
pub fn cidr_mask(ones: u32, bits: u32) -> Option<IpMask> {
    if !matches!(bits, 32 | 128) || ones > bits {
        return None;
    }
    // The ones go at the top of a u128, the widest mask. Shifting by the whole width (a /0
    // mask: no ones at all) is an overflow, not 0, hence `checked_shl`.
    let value = u128::MAX.checked_shl(128 - ones).unwrap_or(0);
    Some(if bits == 32 {
        IpMask::V4(((value >> 96) as u32).to_be_bytes())
    } else {
        IpMask::V6(value.to_be_bytes())
    })
}

/// Go's `IP.DefaultMask`: the mask of the address's class, from the days before CIDR.
/// Class A (first bit 0) is /8, class B (10) is /16, everything else /24. IPv6 has no classes.
pub fn default_mask(ip: IpAddr) -> Option<IpMask> {
    // Go keeps IPv4 addresses in IPv6 form, so `::ffff:10.0.0.1` has a class too.
    let IpAddr::V4(v4) = ip.to_canonical() else {
        return None;
    };
    let ones = match v4.octets()[0] {
        0..=127 => 8,
        128..=191 => 16,
        _ => 24, // Go gives class D and E addresses (224.0.0.0 and up) a class C mask too.
    };
    cidr_mask(ones, 32)
}
