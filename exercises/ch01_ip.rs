//! Chapter 1 — IP addresses: Go's `net.ParseIP` and the questions you can ask an address.
//!
//! Read: book chapter 1 (`mdbook serve book`, or book/src/ch01_ip.md).
//! Check: `cargo run -- check ip`   Run: `cargo run -- run ip -- 127.0.0.1 ::1 junk`
//!
//! Fill in the five functions marked TODO; `properties` and `run` already use them.

use std::io::Write;
use std::net::IpAddr;

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

/// Go's `ParseIP`: an IPv4 or IPv6 address in text form, or `None`.
///
/// - `"127.0.0.1"` and `"0:0:0:0:0:0:0:1"` parse; the second prints as `::1`.
/// - `"::ffff:1.2.3.4"` is an IPv4 address written in IPv6 form: Go prints it as `1.2.3.4`,
///   so return it as `IpAddr::V4`.
/// - Leading zeros (`"127.001.0.1"`), zones (`"fe80::1%eth0"`), brackets (`"[::1]"`), ports
///   and host names are not addresses: `None`.
pub fn parse_ip(s: &str) -> Option<IpAddr> {
    // TODO: std can parse addresses; then make IPv4-mapped ones IPv4.
    todo!("parse_ip({s:?})")
}

/// Why `s` is not an IP address, for a text that `parse_ip` rejected. Check in this order and
/// return the first that applies (the exact texts are in the tests' snapshot,
/// tests/snapshots/ch01_ip__why_invalid_names_the_first_problem.snap):
/// empty; has a zone (`%`); has brackets; has a prefix (`/`); has a port (a `.` and exactly one
/// `:`); not valid IPv6 (other `:`); a host name (letters); not an IP address (other
/// characters); not four parts; an empty part; a leading zero; a part greater than 255.
pub fn why_invalid(s: &str) -> &'static str {
    // TODO: one `if` per reason, in the order above.
    todo!("why_invalid({s:?})")
}

/// Go's `IP.IsPrivate`: RFC 1918 (10/8, 172.16/12, 192.168/16) and RFC 4193 (fc00::/7).
/// An IPv4-mapped IPv6 address counts as the IPv4 address it carries.
pub fn is_private(ip: IpAddr) -> bool {
    // TODO: compare prefixes; `u32::from(v4)` and `u128::from(v6)` turn addresses into bits.
    todo!("is_private({ip})")
}

/// Go's `IP.IsLinkLocalUnicast`: 169.254/16 and fe80::/10.
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

fn main() -> std::process::ExitCode {
    netlings::program::main(run)
}
