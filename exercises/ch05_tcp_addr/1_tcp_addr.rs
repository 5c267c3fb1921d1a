//! Chapter 5 — TCP addresses: Go's `TCPAddr` and `ResolveTCPAddr`, host and port together.
//!
//! Read: book chapter 5 (`mdbook serve book`, or book/src/ch05_tcp_addr.md).
//! Check: `cargo run -- check tcp-addr`   Run: `cargo run -- run tcp-addr -- tcp localhost:http`
//!
//! Fill in the two functions marked TODO (small helpers of your own are welcome). Service
//! names come from a `PortNames` you are given, not from chapter 4's exercise: this chapter
//! works even if chapter 4 is not done.

use std::ffi::CString;
use std::fmt;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;
use netlings::program::Result;
use netlings::support::services::ServicesTable;

/// Resolve a TCP address the way Go's net.ResolveTCPAddr does.
#[derive(Parser, Debug)]
#[command(name = "tcp-addr")]
pub struct Args {
    /// tcp, tcp4 or tcp6
    pub network: String,
    /// host:port, [ipv6]:port, [fe80::1%lo]:port or :port; the port may be a service name
    pub address: String,
    /// The services(5) file for port names (Go's built-in table fills the gaps)
    #[arg(long, value_name = "PATH", default_value = "/etc/services")]
    pub services: PathBuf,
}

/// Where `resolve_tcp_addr` finds the port of a service name. Chapter 4 wrote one; here the
/// caller supplies it, so this chapter works on its own and tests can use a fixture file.
pub trait PortNames {
    /// The port of service `name` over `protocol` (`tcp`), if there is one.
    fn port(&self, protocol: &str, name: &str) -> Option<u16>;
}

impl PortNames for ServicesTable {
    fn port(&self, protocol: &str, name: &str) -> Option<u16> {
        ServicesTable::port(self, protocol, name)
    }
}

/// The errors of [`resolve_tcp_addr`]; most read like Go's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddrError {
    /// The network is not tcp, tcp4 or tcp6.
    UnknownNetwork(String),
    /// The address cannot be split into host and port; `problem` is Go's wording.
    Syntax {
        /// The whole address.
        address: String,
        /// What is wrong: "missing port in address", "too many colons in address", ...
        problem: &'static str,
    },
    /// The port is a number outside 0..=65535.
    InvalidPort(String),
    /// The port is a name the services table does not have.
    UnknownPort(String),
    /// Brackets around something that is not an IPv6 address.
    BracketsWithoutIpv6(String),
    /// A `%zone` on something that is not an IPv6 address.
    ZoneWithoutIpv6(String),
    /// A zone that is neither a number nor the name of a network interface here.
    UnknownZone(String),
    /// The host has addresses, but none of the network's family.
    NoSuitableAddress {
        /// The host.
        host: String,
        /// The network.
        network: String,
    },
    /// The system resolver failed.
    Lookup {
        /// The host.
        host: String,
        /// What the resolver said.
        reason: String,
    },
}

impl fmt::Display for AddrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownNetwork(n) => write!(f, "unknown network {n}"),
            Self::Syntax { address, problem } => write!(f, "address {address}: {problem}"),
            Self::InvalidPort(p) => write!(f, "address {p}: invalid port"),
            Self::UnknownPort(p) => write!(f, "address tcp/{p}: unknown port"),
            Self::BracketsWithoutIpv6(h) => {
                write!(f, "address [{h}]: brackets are only for IPv6 addresses")
            }
            Self::ZoneWithoutIpv6(h) => write!(f, "address {h}: only an IPv6 address has a zone"),
            Self::UnknownZone(z) => write!(f, "zone {z}: no network interface has this name"),
            Self::NoSuitableAddress { host, network } => {
                write!(f, "address {host}: no suitable address found for {network}")
            }
            Self::Lookup { host, reason } => write!(f, "lookup {host}: {reason}"),
        }
    }
}

impl std::error::Error for AddrError {}

/// The index of the network interface called `name` (`lo` is usually 1), from the kernel.
/// Go keeps zones as names; a socket address needs the number.
pub fn interface_index(name: &str) -> Option<u32> {
    let name = CString::new(name).ok()?;
    // SAFETY: `name` is a valid NUL-terminated string that outlives the call.
    let index = unsafe { libc::if_nametoindex(name.as_ptr()) };
    (index != 0).then_some(index)
}

/// Go's `SplitHostPort`: `host:port`, `[host]:port` or `[host%zone]:port` into host (brackets
/// removed) and port. Neither part is checked beyond the punctuation.
pub fn split_host_port(address: &str) -> Result<(&str, &str), AddrError> {
    // TODO: the port follows the last ':'. A host starting with '[' ends at the first ']',
    // which must be right before that colon. The error texts are Go's: see the snapshot
    // tests/snapshots/ch05_tcp_addr__split_host_port_agrees_with_go.snap.
    todo!("split_host_port({address:?})")
}

/// Go's `ResolveTCPAddr(network, address)`: network `tcp` (either family, IPv4 preferred),
/// `tcp4` or `tcp6`; the port may be a number or a service name looked up in `names`.
pub fn resolve_tcp_addr(
    network: &str,
    address: &str,
    names: &dyn PortNames,
) -> Result<SocketAddr, AddrError> {
    // TODO: check the network; split_host_port; the port: a number (Go allows a sign, "" is 0)
    // or a name from `names` (protocol "tcp"); the host: empty is the unspecified address,
    // `addr%zone` is IPv6 with a scope id (a number, or `interface_index`), a literal is
    // itself (brackets only around IPv6; an IPv4-mapped `::ffff:a.b.c.d` counts as the IPv4
    // address inside, as in Go), a name goes to `(host, 0).to_socket_addrs()`, IPv4 first.
    // Then check the family against the network.
    let _ = names; // delete this line once your code asks `names.port("tcp", name)`
    todo!("resolve_tcp_addr({network:?}, {address:?})")
}

/// Prints the resolved address, then its parts.
pub fn run(args: Args, out: &mut dyn Write) -> Result {
    let names = ServicesTable::file_then_go_builtin(&args.services);
    let addr = resolve_tcp_addr(&args.network, &args.address, &names)?;
    writeln!(out, "{addr}")?;
    writeln!(out, "  ip    {}", addr.ip())?;
    writeln!(out, "  port  {}", addr.port())?;
    if let SocketAddr::V6(v6) = addr
        && v6.scope_id() != 0
    {
        writeln!(out, "  scope {} (the interface's index)", v6.scope_id())?;
    }
    Ok(())
}

fn main() -> std::process::ExitCode {
    netlings::program::main(run)
}
