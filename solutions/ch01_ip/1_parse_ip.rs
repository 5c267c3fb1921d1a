//! Step 1.1 · `parse-ip` — Go's `net.ParseIP`.

use std::net::IpAddr;

/// Go's `ParseIP`: an IPv4 or IPv6 address in text form, or `None`.
///
/// Go keeps every address in 16 bytes and prints an IPv4-mapped IPv6 address
/// (`::ffff:1.2.3.4`) as plain IPv4, so here it becomes `IpAddr::V4` too.
pub fn parse_ip(s: &str) -> Option<IpAddr> {
    // std's parser already has Go's strictness: no leading zeros, no zones, no brackets.
    s.parse::<IpAddr>().ok().map(|ip| ip.to_canonical())
}
