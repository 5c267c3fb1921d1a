//! Step 5.4 · `tcp-addr` — the chapter's program: Go's `ResolveTCPAddr`, host and port together.
//!
//! Run it: `cargo run -- run tcp-addr --solution -- tcp localhost:http`

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

/// Go's `ResolveTCPAddr(network, address)`: network `tcp` (either family, IPv4 preferred),
/// `tcp4` or `tcp6`; the port may be a number or a service name looked up in `names`.
pub fn resolve_tcp_addr(
    network: &str,
    address: &str,
    names: &dyn PortNames,
) -> Result<SocketAddr, AddrError> {
    // The network first, so a wrong one fails the same way whatever the address.
    let family = Family::of_tcp_network(network)
        .ok_or_else(|| AddrError::UnknownNetwork(network.to_string()))?;
    let (host, port) = split_host_port(address)?;
    let port = resolve_port(port, names)?;
    let (ip, scope) = resolve_host(host, address.starts_with('['), family, network)?;
    Ok(match ip {
        IpAddr::V6(ip) => SocketAddr::V6(SocketAddrV6::new(ip, port, 0, scope)),
        IpAddr::V4(_) => SocketAddr::new(ip, port),
    })
}

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
