//! Chapter 5 — TCP addresses: Go's `TCPAddr` and `ResolveTCPAddr`, host and port together.
//!
//! Run it: `netlings run tcp-addr --solution -- tcp localhost:http`

use std::ffi::CString;
use std::fmt;
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV6, ToSocketAddrs};
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

// ANCHOR: split_host_port
/// Go's `SplitHostPort`: `host:port`, `[host]:port` or `[host%zone]:port` into host (brackets
/// removed) and port. Neither part is checked beyond the punctuation.
pub fn split_host_port(address: &str) -> Result<(&str, &str), AddrError> {
    let fail = |problem| AddrError::Syntax {
        address: address.to_string(),
        problem,
    };
    // The port is whatever follows the last colon.
    let colon = address.rfind(':').ok_or(fail("missing port in address"))?;
    let (host, after_host) = if let Some(rest) = address.strip_prefix('[') {
        // An IPv6 host has colons of its own: the brackets say where it ends.
        let end = 1 + rest.find(']').ok_or(fail("missing ']' in address"))?;
        if end + 1 == address.len() {
            return Err(fail("missing port in address"));
        }
        if end + 1 != colon {
            let next_is_colon = address.as_bytes()[end + 1] == b':';
            return Err(fail(if next_is_colon {
                "too many colons in address"
            } else {
                "missing port in address"
            }));
        }
        (&address[1..end], end + 1)
    } else {
        let host = &address[..colon];
        if host.contains(':') {
            return Err(fail("too many colons in address"));
        }
        (host, 0)
    };
    let opening_from = usize::from(address.starts_with('['));
    if address[opening_from..].contains('[') {
        return Err(fail("unexpected '[' in address"));
    }
    if address[after_host..].contains(']') {
        return Err(fail("unexpected ']' in address"));
    }
    Ok((host, &address[colon + 1..]))
}
// ANCHOR_END: split_host_port

// ANCHOR: resolve_port
/// A port written as a number (Go allows a sign; empty is 0) or as a service name.
fn resolve_port(port: &str, names: &dyn PortNames) -> Result<u16, AddrError> {
    let digits = port.strip_prefix(['+', '-']).unwrap_or(port);
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return names
            .port("tcp", port)
            .ok_or_else(|| AddrError::UnknownPort(port.to_string()));
    }
    if digits.is_empty() {
        return Ok(0);
    }
    let invalid = || AddrError::InvalidPort(port.to_string());
    let value: u16 = digits.parse().map_err(|_| invalid())?;
    if port.starts_with('-') && value != 0 {
        return Err(invalid());
    }
    Ok(value)
}
// ANCHOR_END: resolve_port

/// Which families a network allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Any,
    V4,
    V6,
}

// ANCHOR: resolve_host
/// The address (and IPv6 scope id) of a host: empty means "every address", a literal is
/// itself, a name asks the system resolver.
fn resolve_host(
    host: &str,
    bracketed: bool,
    family: Family,
    network: &str,
) -> Result<(IpAddr, u32), AddrError> {
    if host.is_empty() {
        // Go leaves the IP nil; the nearest socket address is the unspecified one.
        let any = match family {
            Family::V6 => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
            _ => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        };
        return Ok((any, 0));
    }
    let no_suitable = || AddrError::NoSuitableAddress {
        host: host.to_string(),
        network: network.to_string(),
    };
    let allows = |ip: &IpAddr| match family {
        Family::Any => true,
        Family::V4 => ip.is_ipv4(),
        Family::V6 => ip.is_ipv6(),
    };
    if let Some((addr, zone)) = host.split_once('%') {
        // A zone says which link a link-local address is on; only IPv6 has them.
        let ip: Ipv6Addr = addr
            .parse()
            .map_err(|_| AddrError::ZoneWithoutIpv6(host.to_string()))?;
        let scope = match zone.parse::<u32>() {
            Ok(number) => number,
            Err(_) => {
                interface_index(zone).ok_or_else(|| AddrError::UnknownZone(zone.to_string()))?
            }
        };
        return if allows(&IpAddr::V6(ip)) {
            Ok((IpAddr::V6(ip), scope))
        } else {
            Err(no_suitable())
        };
    }
    match host.parse::<IpAddr>() {
        Ok(IpAddr::V4(_)) if bracketed => Err(AddrError::BracketsWithoutIpv6(host.to_string())),
        Ok(ip) => {
            // Go stores every IPv4 address in IPv6 form, so it takes an IPv4-mapped address
            // (`::ffff:127.0.0.1`) for the IPv4 address inside: `tcp4` accepts it, `tcp6` not.
            let ip = ip.to_canonical();
            if allows(&ip) {
                Ok((ip, 0))
            } else {
                Err(no_suitable())
            }
        }
        Err(_) if bracketed => Err(AddrError::BracketsWithoutIpv6(host.to_string())),
        Err(_) => {
            let found = (host, 0).to_socket_addrs().map_err(|e| AddrError::Lookup {
                host: host.to_string(),
                reason: e.to_string(),
            })?;
            let ips: Vec<IpAddr> = found.map(|a| a.ip()).filter(allows).collect();
            // Like Go, prefer IPv4 when either will do.
            let ip = ips
                .iter()
                .find(|ip| ip.is_ipv4())
                .or(ips.first())
                .ok_or_else(no_suitable)?;
            Ok((*ip, 0))
        }
    }
}
// ANCHOR_END: resolve_host

// ANCHOR: resolve_tcp_addr
/// Go's `ResolveTCPAddr(network, address)`: network `tcp` (either family, IPv4 preferred),
/// `tcp4` or `tcp6`; the port may be a number or a service name looked up in `names`.
pub fn resolve_tcp_addr(
    network: &str,
    address: &str,
    names: &dyn PortNames,
) -> Result<SocketAddr, AddrError> {
    let family = match network {
        "tcp" | "" => Family::Any,
        "tcp4" => Family::V4,
        "tcp6" => Family::V6,
        other => return Err(AddrError::UnknownNetwork(other.to_string())),
    };
    let (host, port) = split_host_port(address)?;
    let port = resolve_port(port, names)?;
    let (ip, scope) = resolve_host(host, address.starts_with('['), family, network)?;
    Ok(match ip {
        IpAddr::V6(ip) => SocketAddr::V6(SocketAddrV6::new(ip, port, 0, scope)),
        IpAddr::V4(_) => SocketAddr::new(ip, port),
    })
}
// ANCHOR_END: resolve_tcp_addr

// ANCHOR: run
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
// ANCHOR_END: run

fn main() -> std::process::ExitCode {
    netlings::program::main(run)
}
