//! Step 10.1 · `networks` — Go's network names, and the addresses a network may use.

use std::io;
use std::net::{SocketAddr, ToSocketAddrs};

use netlings::support::network::{Family, Network};

/// Go's network names, exactly as Go spells them (lower case): `None` for anything else.
pub fn parse_network(name: &str) -> Option<Network> {
    // A closed list, checked at run time: the caller turns `None` into Go's error.
    let network = match name {
        "tcp" => Network::Tcp,
        "tcp4" => Network::Tcp4,
        "tcp6" => Network::Tcp6,
        "udp" => Network::Udp,
        "udp4" => Network::Udp4,
        "udp6" => Network::Udp6,
        "unix" => Network::Unix,
        _ => return None,
    };
    Some(network)
}

/// The socket addresses `address` (`host:port`) stands for that `family` allows, in the
/// resolver's order. An empty host (`:80`) means the loopback address of the family.
pub fn resolve(family: Family, address: &str) -> io::Result<Vec<SocketAddr>> {
    if !address.contains(':') {
        // std would say "invalid socket address"; Go names what is missing.
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "missing port in address",
        ));
    }
    let address = match (address.strip_prefix(':'), family) {
        (Some(port), Family::V6) => format!("[::1]:{port}"),
        (Some(port), _) => format!("127.0.0.1:{port}"),
        (None, _) => address.to_string(),
    };
    let addrs: Vec<SocketAddr> = address
        .to_socket_addrs()?
        .filter(|a| match family {
            Family::Any => true,
            Family::V4 => a.is_ipv4(),
            Family::V6 => a.is_ipv6(),
        })
        .collect();
    if addrs.is_empty() {
        // "tcp4" with an IPv6 address: there is nothing this network can reach.
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "no suitable address found",
        ));
    }
    Ok(addrs)
}
