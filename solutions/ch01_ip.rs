//! Chapter 1 — IP addresses: Go's `net.ParseIP` and the questions you can ask an address.
//!
//! Run it: `netlings run ip --solution -- 127.0.0.1 ::ffff:10.0.0.1 fe80::1%eth0`

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use clap::Parser;
use netlings::program::Result;

/// Parse IP addresses the way Go's net.ParseIP does and describe each one.
#[derive(Parser, Debug)]
#[command(name = "ip")]
pub struct Args {
    /// Addresses to parse, e.g. 127.0.0.1 or 2001:db8::1
    #[arg(required = true, value_name = "ADDR")]
    pub addrs: Vec<String>,
}

// ANCHOR: parse_ip
/// Go's `ParseIP`: an IPv4 or IPv6 address in text form, or `None`.
///
/// Go keeps every address in 16 bytes and prints an IPv4-mapped IPv6 address
/// (`::ffff:1.2.3.4`) as plain IPv4, so here it becomes `IpAddr::V4` too.
pub fn parse_ip(s: &str) -> Option<IpAddr> {
    // std's parser already has Go's strictness: no leading zeros, no zones, no brackets.
    s.parse::<IpAddr>().ok().map(|ip| ip.to_canonical())
}
// ANCHOR_END: parse_ip

// ANCHOR: why_invalid
/// Why `s` is not an IP address, for a text that `parse_ip` rejected.
pub fn why_invalid(s: &str) -> &'static str {
    if s.is_empty() {
        return "empty";
    }
    if s.contains('%') {
        return "has a zone: zones belong to IPAddr (chapter 3), not to an IP";
    }
    if s.starts_with('[') {
        return "has brackets: they only wrap an IPv6 address in host:port";
    }
    if s.contains('/') {
        return "has a prefix length: that is CIDR notation (chapter 2)";
    }
    if s.contains('.') && s.matches(':').count() == 1 {
        return "has a port: that is a TCP or UDP address (chapter 5)";
    }
    if s.contains(':') {
        return "not a valid IPv6 address";
    }
    if s.bytes().any(|b| b.is_ascii_alphabetic()) {
        return "a host name, not an address: resolve it first (chapter 3)";
    }
    if !s.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return "not an IP address";
    }
    let parts: Vec<&str> = s.split('.').collect();
    if parts.len() != 4 {
        return "an IPv4 address has exactly four parts";
    }
    if parts.iter().any(|p| p.is_empty()) {
        return "an IPv4 part is empty";
    }
    if parts.iter().any(|p| p.len() > 1 && p.starts_with('0')) {
        // 010 is 8 to inet_aton (octal) and 10 to a human: Go 1.17+ and Rust refuse to guess.
        return "an IPv4 part has a leading zero";
    }
    "an IPv4 part is greater than 255"
}
// ANCHOR_END: why_invalid

// ANCHOR: in_prefix
/// Whether the first `len` bits of `ip` equal those of `net`.
fn in_prefix(ip: IpAddr, net: IpAddr, len: u32) -> bool {
    // Compare as integers: XOR leaves ones where the addresses differ, and the shift keeps only
    // the prefix. `to_canonical` lets `::ffff:10.0.0.1` count as the IPv4 address it carries.
    match (ip.to_canonical(), net) {
        (IpAddr::V4(ip), IpAddr::V4(net)) => {
            len == 0 || (u32::from(ip) ^ u32::from(net)) >> (32 - len) == 0
        }
        (IpAddr::V6(ip), IpAddr::V6(net)) => {
            len == 0 || (u128::from(ip) ^ u128::from(net)) >> (128 - len) == 0
        }
        _ => false,
    }
}
// ANCHOR_END: in_prefix

const fn v4(a: u8, b: u8, c: u8, d: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(a, b, c, d))
}

const fn v6(first: u16) -> IpAddr {
    IpAddr::V6(Ipv6Addr::new(first, 0, 0, 0, 0, 0, 0, 0))
}

// ANCHOR: is_private
/// Go's `IP.IsPrivate`: RFC 1918 (10/8, 172.16/12, 192.168/16) and RFC 4193 (fc00::/7).
pub fn is_private(ip: IpAddr) -> bool {
    in_prefix(ip, v4(10, 0, 0, 0), 8)
        || in_prefix(ip, v4(172, 16, 0, 0), 12)
        || in_prefix(ip, v4(192, 168, 0, 0), 16)
        || in_prefix(ip, v6(0xfc00), 7)
}
// ANCHOR_END: is_private

// ANCHOR: is_link_local_unicast
/// Go's `IP.IsLinkLocalUnicast`: 169.254/16 and fe80::/10, addresses a host gives itself
/// when nothing else configures it; they never cross a router.
pub fn is_link_local_unicast(ip: IpAddr) -> bool {
    in_prefix(ip, v4(169, 254, 0, 0), 16) || in_prefix(ip, v6(0xfe80), 10)
}
// ANCHOR_END: is_link_local_unicast

// ANCHOR: is_global_unicast
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
// ANCHOR_END: is_global_unicast

/// The names of the properties `ip` has, in a fixed order.
pub fn properties(ip: IpAddr) -> Vec<&'static str> {
    let checks = [
        (ip.is_unspecified(), "unspecified"),
        (ip.is_loopback(), "loopback"),
        (is_private(ip), "private"),
        (ip.is_multicast(), "multicast"),
        (is_link_local_unicast(ip), "link-local unicast"),
        (is_global_unicast(ip), "global unicast"),
    ];
    checks
        .iter()
        .filter(|(has, _)| *has)
        .map(|(_, name)| *name)
        .collect()
}

// ANCHOR: run
/// Prints a short report for each argument; exits non-zero if any was not an address.
pub fn run(args: Args, out: &mut dyn Write) -> Result {
    let mut invalid = 0;
    for arg in &args.addrs {
        let Some(ip) = parse_ip(arg) else {
            writeln!(out, "{arg}: not an IP address: {}", why_invalid(arg))?;
            invalid += 1;
            continue;
        };
        let version = match (ip, arg.contains(':')) {
            (IpAddr::V4(_), false) => "IPv4",
            (IpAddr::V4(_), true) => "IPv4 (written as IPv4-mapped IPv6)",
            (IpAddr::V6(_), _) => "IPv6",
        };
        let props = properties(ip);
        writeln!(out, "{arg}")?;
        writeln!(out, "  version     {version}")?;
        writeln!(out, "  canonical   {ip}")?;
        writeln!(
            out,
            "  properties  {}",
            if props.is_empty() {
                "none".to_string()
            } else {
                props.join(", ")
            }
        )?;
    }
    match invalid {
        0 => Ok(()),
        n => Err(format!("{n} of {} arguments are not IP addresses", args.addrs.len()).into()),
    }
}
// ANCHOR_END: run

fn main() -> std::process::ExitCode {
    netlings::program::main(run)
}
