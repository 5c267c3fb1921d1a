//! Step 3.6 · `lookup` — the chapter's program: the system resolver, or a DNS server asked
//! directly, following aliases.
//!
//! Read: chapter 3, "Step 6" (book/src/ch03_lookup.md).   Check: `cargo run -- check lookup`
//! Run: `cargo run -- run lookup -- localhost`
//!
//! `lookup_host` (step 1) and `query` (step 5) are given (from `netlings::given`), so this step
//! works even if you skipped them; `same_name`, the record types and `LookupError` come from
//! the library (`netlings::support::dns`).

// Your code will use these imports and parameters; until it does, they are unused.
#![allow(unused_imports, unused_variables)]

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use clap::Parser;
use netlings::given::lookup::dns_query::query;
use netlings::given::lookup::system_resolver::lookup_host;
use netlings::program::Result;
use netlings::support::dns::{
    LookupError, QueryOptions, Record, RecordData, RecordType, same_name,
};

/// Look up the addresses of a host, with the system resolver or by asking a DNS server directly.
#[derive(Parser, Debug)]
#[command(name = "lookup")]
pub struct Args {
    /// The host name (or IP address) to look up
    pub host: String,
    /// Ask this DNS server over UDP (e.g. 127.0.0.1:5353; port 53 if omitted) instead of the
    /// system resolver
    #[arg(long, value_name = "ADDR", value_parser = parse_server)]
    pub server: Option<SocketAddr>,
    /// Which addresses to ask for
    #[arg(long = "type", value_enum, value_name = "TYPE", ignore_case = true)]
    pub record_type: Option<RecordType>,
    /// How long to wait for each answer from --server, in milliseconds (at most a minute)
    #[arg(long, value_name = "MS", default_value_t = 2000,
          value_parser = clap::value_parser!(u64).range(1..=60_000))]
    pub timeout: u64,
    /// How many times to send the question to --server before giving up
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=10))]
    pub attempts: u32,
}

/// `--server` accepts `ip:port` or a bare IP address (port 53, where DNS servers listen).
fn parse_server(s: &str) -> std::result::Result<SocketAddr, String> {
    s.parse::<SocketAddr>()
        .or_else(|_| s.parse::<IpAddr>().map(|ip| SocketAddr::new(ip, 53)))
        .map_err(|_| format!("{s:?} is not an IP address, with or without a port"))
}

// ANCHOR: contract
/// The result of [`lookup`]: the chain of names from the one asked for to the canonical one,
/// and the addresses of the last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    /// The name asked for, then each alias target in turn.
    pub names: Vec<String>,
    /// The addresses of the last name.
    pub addrs: Vec<IpAddr>,
}

/// How many aliases a lookup follows before it calls the chain a loop.
pub const MAX_ALIASES: usize = 8;

/// Asks `server` for the addresses of `name` (with `query`), following the CNAME chain in the
/// answer: `names` is `name` (without a trailing dot) then each alias target, `addrs` the
/// addresses of the last name, in the order of the answer. Records for any other name are
/// ignored.
///
/// Errors: those of `query`; `NoSuchHost(name)` for rcode 3; `ServerFailure(rcode)` for any
/// other non-zero rcode; `AliasLoop(name)` when a target repeats or the chain would hold more
/// than `MAX_ALIASES` aliases (names after the first); `NoAddresses { name, record_type }` when
/// the last name has no records of the type.
pub fn lookup(
    server: SocketAddr,
    name: &str,
    record_type: RecordType,
    options: QueryOptions,
) -> Result<Lookup, LookupError> {
    // TODO: `query`, then the rcode, then follow CNAME records from `name` (stop on a loop),
    // then collect the addresses of the last name in the chain.
    todo!("lookup({server}, {name:?}, {record_type}, {options:?})")
}

/// Prints the addresses of the host.
///
/// - Without `--server`: the addresses from `lookup_host`, only those of the family `--type`
///   names (all without it), each as `<host> has address <ip>`. When none is left, the error is
///   `"<host> has no address of the type asked for"`.
/// - With `--server`: `lookup` (type A unless `--type` says otherwise), then one line per
///   alias and one per address, `address` for IPv4 and `IPv6 address` for IPv6:
///
/// ```text
/// www.example.test is an alias for example.test
/// example.test has address 192.0.2.10
/// ```
pub fn run(args: Args, out: &mut dyn Write) -> Result {
    // TODO: `args.server` decides which way; `--timeout` is in milliseconds.
    todo!("run({args:?})")
}
// ANCHOR_END: contract

fn main() -> std::process::ExitCode {
    netlings::program::main(run)
}
