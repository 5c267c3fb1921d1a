//! Step 3.1 · `system-resolver` — Go's `ResolveIPAddr` and `LookupHost`, over the system
//! resolver.

use std::net::{IpAddr, ToSocketAddrs};

use netlings::support::dns::{LookupError, ZonedIp};

/// Go's `ResolveIPAddr(network, host)`: one address of `host` for network `ip` (either family,
/// IPv4 preferred; `""` means `ip`), `ip4` or `ip6`. An address literal is returned as is, zone
/// included; a name goes to the system resolver.
///
/// Errors: `UnknownNetwork` for any other network; `BadZone` for a `%zone` on anything but an
/// IPv6 literal (never sent to the resolver); `NoSuitableAddress` when no address has the
/// network's family; `Resolver` when the system resolver fails.
pub fn resolve_ip_addr(network: &str, host: &str) -> Result<ZonedIp, LookupError> {
    let family = match network {
        "ip" | "" => Family::Any,
        "ip4" => Family::V4,
        "ip6" => Family::V6,
        other => return Err(LookupError::UnknownNetwork(other.to_string())),
    };
    let no_suitable = || LookupError::NoSuitableAddress {
        host: host.to_string(),
        network: network.to_string(),
    };
    if let Some(literal) = parse_literal(host)? {
        return if family.allows(literal.ip) {
            Ok(literal)
        } else {
            Err(no_suitable())
        };
    }
    let suitable: Vec<IpAddr> = system_addresses(host)?
        .into_iter()
        .filter(|ip| family.allows(*ip))
        .collect();
    // Like Go, "ip" prefers IPv4: more hosts can reach an IPv4 address.
    let ip = suitable
        .iter()
        .find(|ip| ip.is_ipv4())
        .or(suitable.first())
        .ok_or_else(no_suitable)?;
    Ok(ZonedIp {
        ip: *ip,
        zone: None,
    })
}

/// Go's `LookupHost(host)`: every address of `host`, in the resolver's order, without
/// duplicates. An address literal is its own answer (its zone, if any, is dropped).
///
/// Errors: `BadZone` as for `resolve_ip_addr`; `Resolver` when the system resolver fails;
/// `NoSuchHost` when it returns nothing.
pub fn lookup_host(host: &str) -> Result<Vec<IpAddr>, LookupError> {
    if let Some(literal) = parse_literal(host)? {
        return Ok(vec![literal.ip]);
    }
    let ips = system_addresses(host)?;
    if ips.is_empty() {
        return Err(LookupError::NoSuchHost(host.to_string()));
    }
    Ok(ips)
}

/// Which address families a network name allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Any,
    V4,
    V6,
}

impl Family {
    fn allows(self, ip: IpAddr) -> bool {
        match self {
            Family::Any => true,
            Family::V4 => ip.is_ipv4(),
            Family::V6 => ip.is_ipv6(),
        }
    }
}

/// An address written as text, with an optional `%zone` (IPv6 only). `Ok(None)` when the text
/// is not an address at all, so it must be a host name.
fn parse_literal(host: &str) -> Result<Option<ZonedIp>, LookupError> {
    let (addr, zone) = match host.split_once('%') {
        Some((addr, zone)) => (addr, Some(zone.to_string())),
        None => (host, None),
    };
    match (addr.parse::<IpAddr>(), &zone) {
        (Ok(IpAddr::V4(_)), Some(_)) => Err(LookupError::BadZone(host.to_string())),
        (Ok(ip), _) => Ok(Some(ZonedIp { ip, zone })),
        // A name never contains '%': don't hand it to the resolver.
        (Err(_), Some(_)) => Err(LookupError::BadZone(host.to_string())),
        (Err(_), None) => Ok(None),
    }
}

/// The addresses the system resolver (getaddrinfo: /etc/hosts, then DNS) knows for `host`,
/// without duplicates, in the resolver's order.
fn system_addresses(host: &str) -> Result<Vec<IpAddr>, LookupError> {
    // std has no "resolve a name" call of its own: a (host, port) pair is ToSocketAddrs, and the
    // port is a placeholder we throw away.
    let resolved = (host, 0)
        .to_socket_addrs()
        .map_err(|e| LookupError::Resolver {
            host: host.to_string(),
            reason: e.to_string(),
        })?;
    let mut ips: Vec<IpAddr> = Vec::new();
    for addr in resolved {
        // /etc/hosts may give a name the same address on two lines; getaddrinfo then returns
        // it twice. Keep the first.
        if !ips.contains(&addr.ip()) {
            ips.push(addr.ip());
        }
    }
    Ok(ips)
}
