//! Step 1.3 · `ip` — the chapter's program: the notes' `ParseIP` example, grown up.
//!
//! Run it: `cargo run -- run ip --solution -- 127.0.0.1 ::ffff:10.0.0.1 fe80::1%eth0`

use std::io::Write;
use std::net::IpAddr;

use clap::Parser;
use netlings::given::ip::parse_ip::parse_ip;
use netlings::given::ip::properties::{is_global_unicast, is_link_local_unicast, is_private};
use netlings::program::Result;
use netlings::support::ip::why_invalid;

/// Parse IP addresses the way Go's net.ParseIP does and describe each one.
#[derive(Parser, Debug)]
#[command(name = "ip")]
pub struct Args {
    /// Addresses to parse, e.g. 127.0.0.1 or 2001:db8::1
    #[arg(required = true, value_name = "ADDR")]
    pub addrs: Vec<String>,
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
        .into_iter()
        .filter_map(|(has, name)| has.then_some(name))
        .collect()
}

/// Prints a short report for each argument; fails if any was not an address.
pub fn run(args: Args, out: &mut dyn Write) -> Result {
    let mut invalid = 0;
    for arg in &args.addrs {
        let Some(ip) = parse_ip(arg) else {
            writeln!(out, "{arg}: not an IP address: {}", why_invalid(arg))?;
            invalid += 1;
            continue;
        };
        // parse_ip made `::ffff:a.b.c.d` IPv4; the colon in the text says how it was written.
        let version = match (ip, arg.contains(':')) {
            (IpAddr::V4(_), false) => "IPv4",
            (IpAddr::V4(_), true) => "IPv4 (written as IPv4-mapped IPv6)",
            (IpAddr::V6(_), _) => "IPv6",
        };
        let props = properties(ip);
        let props = if props.is_empty() {
            "none".to_string()
        } else {
            props.join(", ")
        };
        writeln!(out, "{arg}")?;
        writeln!(out, "  version     {version}")?;
        writeln!(out, "  canonical   {ip}")?;
        writeln!(out, "  properties  {props}")?;
    }
    match invalid {
        0 => Ok(()),
        n => Err(format!("{n} of {} arguments are not IP addresses", args.addrs.len()).into()),
    }
}

fn main() -> std::process::ExitCode {
    netlings::program::main(run)
}
