//! Step 14.3 · `lookup-tcp` — the chapter's program: chapter 3's `lookup`, which asks again over
//! TCP when the answer does not fit in a datagram.
//!
//! Read: chapter 14, "Step 3" (book/src/ch14_dns_tcp.md).   Check: `cargo run -- check lookup-tcp`
//! Run: `cargo run -- run lookup-tcp -- many.test --server 127.0.0.1:5353`
//!
//! Given: `query_tcp` and `query_with_fallback` (step 2, from `netlings::given`); `same_name`,
//! the record types and `LookupError` (`netlings::support::dns`); `Args`, `Options` and `run`,
//! which prints what your `lookup` finds.

// Your code will use these imports and parameters; until it does, they are unused.
#![allow(unused_imports, unused_variables)]

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use clap::Parser;
use netlings::given::dns_tcp::query_tcp::{query_tcp, query_with_fallback};
use netlings::program::Result;
use netlings::support::dns::{
    LookupError, QueryOptions, Record, RecordData, RecordType, same_name,
};
use netlings::support::dns_tcp::{TcpOptions, Transport};

/// Look up the addresses of a host by asking a DNS server, over UDP and again over TCP when the
/// answer does not fit in a datagram.
#[derive(Parser, Debug)]
#[command(name = "lookup-tcp")]
pub struct Args {
    /// The host name to look up
    pub host: String,
    /// The DNS server to ask (e.g. 127.0.0.1:5353; port 53 if omitted)
    #[arg(long, value_name = "ADDR", value_parser = parse_server)]
    pub server: SocketAddr,
    /// Which addresses to ask for
    #[arg(
        long = "type",
        value_enum,
        value_name = "TYPE",
        ignore_case = true,
        default_value = "A"
    )]
    pub record_type: RecordType,
    /// How long to wait for each answer over UDP, and for the whole exchange over TCP, in
    /// milliseconds
    #[arg(long, value_name = "MS", default_value_t = 2000, value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: u64,
    /// How many times to send the question over UDP before giving up
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=10))]
    pub attempts: u32,
    /// Ask over TCP only, without trying UDP first
    #[arg(long)]
    pub tcp: bool,
    /// The largest answer accepted over TCP, in bytes
    #[arg(long, value_name = "BYTES", default_value_t = 65_535, value_parser = clap::value_parser!(u64).range(12..=65_535))]
    pub max_size: u64,
}

/// `--server` accepts `ip:port` or a bare IP address (port 53, where DNS servers listen).
fn parse_server(s: &str) -> std::result::Result<SocketAddr, String> {
    s.parse::<SocketAddr>()
        .or_else(|_| s.parse::<IpAddr>().map(|ip| SocketAddr::new(ip, 53)))
        .map_err(|_| format!("{s:?} is not an IP address, with or without a port"))
}

// ANCHOR: contract
/// How [`lookup`] asks: over UDP first (then TCP if the answer is truncated), or over TCP only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The timeout and attempts over UDP.
    pub udp: QueryOptions,
    /// The deadline and size limit over TCP.
    pub tcp: TcpOptions,
    /// Skip UDP and ask over TCP at once.
    pub tcp_only: bool,
}

/// The result of [`lookup`]: the chain of names from the one asked for to the canonical one,
/// the addresses of the last, and the transport that carried the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    /// The name asked for, then each alias target in turn.
    pub names: Vec<String>,
    /// The addresses of the last name.
    pub addrs: Vec<IpAddr>,
    /// UDP, or TCP when the UDP answer was truncated or `tcp_only` was set.
    pub transport: Transport,
}

/// How many aliases a lookup follows before it calls the chain a loop.
pub const MAX_ALIASES: usize = 8;

/// Chapter 3's `lookup`, asking with `query_with_fallback` (or `query_tcp` alone when
/// `options.tcp_only`): the CNAME chain from `name` (without a trailing dot), the addresses of
/// its last name in the order of the answer, and the transport that answered.
///
/// Errors: those of the query; `NoSuchHost(name)` for rcode 3; `ServerFailure(rcode)` for any
/// other non-zero rcode; `AliasLoop(name)` when a target repeats or the chain would hold more
/// than `MAX_ALIASES` aliases; `NoAddresses { name, record_type }` when the last name has no
/// records of the type.
pub fn lookup(
    server: SocketAddr,
    name: &str,
    record_type: RecordType,
    options: Options,
) -> Result<Lookup, LookupError> {
    // TODO: ask (which function depends on `options.tcp_only`), then read the answer as
    // chapter 3's `lookup` does: the rcode, the CNAME chain, the addresses of its last name.
    todo!("lookup({server}, {name:?}, {record_type}, {options:?})")
}
// ANCHOR_END: contract

/// Prints what `lookup` found the way `host` does: a line when a truncated answer sent it to
/// TCP, then one line per alias and one per address.
pub fn run(args: Args, out: &mut dyn Write) -> Result {
    let options = Options {
        udp: QueryOptions {
            timeout: Duration::from_millis(args.timeout),
            attempts: args.attempts,
        },
        tcp: TcpOptions {
            timeout: Duration::from_millis(args.timeout),
            max_len: args.max_size as usize,
        },
        tcp_only: args.tcp,
    };
    let found = lookup(args.server, &args.host, args.record_type, options)?;
    if found.transport == Transport::Tcp && !args.tcp {
        writeln!(out, ";; Truncated, retrying in TCP mode.")?;
    }
    for pair in found.names.windows(2) {
        writeln!(out, "{} is an alias for {}", pair[0], pair[1])?;
    }
    let canonical = found
        .names
        .last()
        .map_or(args.host.as_str(), String::as_str);
    for ip in &found.addrs {
        let kind = if ip.is_ipv4() {
            "address"
        } else {
            "IPv6 address"
        };
        writeln!(out, "{canonical} has {kind} {ip}")?;
    }
    Ok(())
}

fn main() -> std::process::ExitCode {
    netlings::program::main(run)
}
