//! Step 3.6 · `lookup` — the chapter's program: the system resolver, or a DNS server asked
//! directly, following aliases.
//!
//! Run it: `netlings run lookup --solution -- localhost`

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
    let response = query(server, name, record_type, options)?;
    match response.rcode {
        0 => {}
        3 => return Err(LookupError::NoSuchHost(name.to_string())),
        rcode => return Err(LookupError::ServerFailure(rcode)),
    }
    let mut names = vec![name.trim_end_matches('.').to_string()];
    while let Some(target) = names
        .last()
        .and_then(|last| alias_of(&response.answers, last))
    {
        if names.len() > MAX_ALIASES || names.iter().any(|n| same_name(n, &target)) {
            return Err(LookupError::AliasLoop(name.to_string()));
        }
        names.push(target);
    }
    let canonical = names.last().map_or(name, String::as_str);
    // Only records for the end of the chain count: a record for any other name is not an
    // answer to our question, whatever the server put in the message.
    let addrs: Vec<IpAddr> = response
        .answers
        .iter()
        .filter(|r| same_name(&r.name, canonical))
        .filter_map(|r| match (&r.data, record_type) {
            (RecordData::A(ip), RecordType::A) => Some(IpAddr::V4(*ip)),
            (RecordData::Aaaa(ip), RecordType::Aaaa) => Some(IpAddr::V6(*ip)),
            _ => None,
        })
        .collect();
    if addrs.is_empty() {
        return Err(LookupError::NoAddresses {
            name: name.to_string(),
            record_type,
        });
    }
    Ok(Lookup { names, addrs })
}

/// The target of a CNAME record for `name`, if the answers have one.
fn alias_of(answers: &[Record], name: &str) -> Option<String> {
    answers.iter().find_map(|r| match &r.data {
        RecordData::Cname(target) if same_name(&r.name, name) => Some(target.clone()),
        _ => None,
    })
}

/// Prints the addresses of the host: from the system resolver (`lookup_host`), or from
/// `--server` (`lookup`, type A unless `--type` says otherwise).
pub fn run(args: Args, out: &mut dyn Write) -> Result {
    let Some(server) = args.server else {
        let wanted = |ip: &&IpAddr| match args.record_type {
            None => true,
            Some(RecordType::A) => ip.is_ipv4(),
            Some(RecordType::Aaaa) => ip.is_ipv6(),
        };
        let ips = lookup_host(&args.host)?;
        let mut shown = 0;
        for ip in ips.iter().filter(wanted) {
            writeln!(out, "{} has address {ip}", args.host)?;
            shown += 1;
        }
        if shown == 0 {
            return Err(format!("{} has no address of the type asked for", args.host).into());
        }
        return Ok(());
    };
    let options = QueryOptions {
        timeout: Duration::from_millis(args.timeout),
        attempts: args.attempts,
    };
    let record_type = args.record_type.unwrap_or(RecordType::A);
    let found = lookup(server, &args.host, record_type, options)?;
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
