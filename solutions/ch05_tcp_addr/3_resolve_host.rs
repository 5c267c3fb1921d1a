//! Step 5.3 · `resolve-host` — the host of a TCP address: empty, a zone, a literal, or a name.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, ToSocketAddrs};

use netlings::support::tcp_addr::{AddrError, Family, interface_index};

/// The address (and IPv6 scope id) of `host`, of a family `family` allows: empty means "every
/// address", a literal is itself, a name asks the system resolver.
pub fn resolve_host(
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
        return if family.allows(IpAddr::V6(ip)) {
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
            if family.allows(ip) {
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
            let ips: Vec<IpAddr> = found
                .map(|a| a.ip())
                .filter(|&ip| family.allows(ip))
                .collect();
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
