//! Step 1.3 · `ip` — the chapter's program: the notes' `ParseIP` example, grown up.
//!
//! Read: chapter 1, "Step 3" (book/src/ch01_ip.md).   Check: `cargo run -- check ip`
//! Run: `cargo run -- run ip -- 127.0.0.1 ::1 junk`
//!
//! Steps 1 and 2 are given (from `netlings::given`), so this step works even if you skipped
//! them; `why_invalid` comes from the library (`netlings::support::ip`).

// Your code will use these imports and parameters; until it does, they are unused.
#![allow(unused_imports, unused_variables)]

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

// ANCHOR: contract
/// The names of the properties `ip` has, in this order: "unspecified", "loopback",
/// "private", "multicast", "link-local unicast", "global unicast".
pub fn properties(ip: IpAddr) -> Vec<&'static str> {
    // TODO: one (bool, name) pair per property; keep the names whose bool is true.
    todo!("properties({ip})")
}

/// Prints a report for each argument and fails if any was not an address. For
/// `ip 127.0.0.1 ::ffff:10.0.0.1 junk` it prints exactly:
///
/// ```text
/// 127.0.0.1
///   version     IPv4
///   canonical   127.0.0.1
///   properties  loopback
/// ::ffff:10.0.0.1
///   version     IPv4 (written as IPv4-mapped IPv6)
///   canonical   10.0.0.1
///   properties  private, global unicast
/// junk: not an IP address: a host name, not an address: resolve it first (chapter 3)
/// ```
///
/// `properties` says `none` when the list is empty. The error, when some arguments are bad,
/// is `"<n> of <total> arguments are not IP addresses"`.
pub fn run(args: Args, out: &mut dyn Write) -> Result {
    // TODO: parse_ip each argument; why_invalid explains a bad one. Count the bad ones.
    todo!("run({args:?})")
}
// ANCHOR_END: contract

fn main() -> std::process::ExitCode {
    netlings::program::main(run)
}
