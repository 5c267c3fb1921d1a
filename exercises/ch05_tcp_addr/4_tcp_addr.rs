//! Step 5.4 · `tcp-addr` — the chapter's program: Go's `ResolveTCPAddr`, host and port together.
//!
//! Read: chapter 5, "Step 4" (book/src/ch05_tcp_addr.md).   Check: `cargo run -- check tcp-addr`
//! Run: `cargo run -- run tcp-addr -- tcp localhost:http`
//!
//! Steps 1 to 3 are given (from `netlings::given::tcp_addr`), so this step works even if you
//! skipped them. You write `resolve_tcp_addr`, which puts them together; `run` prints it.

// Your code will use these imports and parameters; until it does, they are unused.
#![allow(unused_imports, unused_variables)]

use std::io::Write;
use std::net::{IpAddr, SocketAddr, SocketAddrV6};
use std::path::PathBuf;

use clap::Parser;
use netlings::given::tcp_addr::resolve_host::resolve_host;
use netlings::given::tcp_addr::resolve_port::resolve_port;
use netlings::given::tcp_addr::split_host_port::split_host_port;
use netlings::program::Result;
use netlings::support::tcp_addr::{AddrError, Family, PortNames, ServicesFile};

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

// ANCHOR: resolve_tcp_addr
/// Go's `ResolveTCPAddr(network, address)`: the network is `tcp` (or `""`) for either family,
/// `tcp4` or `tcp6` for one (`Family::of_tcp_network`), and anything else is
/// `UnknownNetwork(network)` whatever the address. Then `split_host_port`, `resolve_port`
/// (service names from `names`) and `resolve_host`, in that order; the first error wins.
///
/// `("tcp", "127.0.0.1:http")` gives `127.0.0.1:80`. An IPv6 result keeps its scope id:
/// `[fe80::1%7]:80` gives `SocketAddrV6::new(fe80::1, 80, 0, 7)`, printed `[fe80::1%7]:80`.
pub fn resolve_tcp_addr(
    network: &str,
    address: &str,
    names: &dyn PortNames,
) -> Result<SocketAddr, AddrError> {
    // TODO: the family first, then the three steps; build the SocketAddr.
    todo!("resolve_tcp_addr({network:?}, {address:?})")
}
// ANCHOR_END: resolve_tcp_addr

/// Prints the resolved address, then its parts.
pub fn run(args: Args, out: &mut dyn Write) -> Result {
    // Read the services file only if the port is a name: a numeric port needs no file.
    let names = ServicesFile::new(&args.services);
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
