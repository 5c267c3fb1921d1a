//! Step 4.2 · `lookup-port` — Go's `LookupPort`: numbers, networks, names, and Go's own table.

use std::sync::LazyLock;

use netlings::support::ports::{PortError, Services};
use netlings::support::services::ServicesTable;

/// Go's `parsePort`: `Ok(Some(port))` for a number (an optional sign, then digits; empty is
/// port 0), `Ok(None)` for a name to look up, `Err` for a number that is not a port.
pub fn parse_port(service: &str) -> Result<Option<u16>, PortError> {
    if service.is_empty() {
        return Ok(Some(0));
    }
    let (negative, digits) = match service.as_bytes()[0] {
        b'+' => (false, &service[1..]),
        b'-' => (true, &service[1..]),
        _ => (false, service),
    };
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    // Saturate instead of overflowing: "99999999999999999999" is simply too big.
    let value = digits.bytes().fold(0u32, |n, d| {
        n.saturating_mul(10).saturating_add(u32::from(d - b'0'))
    });
    match u16::try_from(value) {
        Ok(port) if !negative || port == 0 => Ok(Some(port)),
        _ => Err(PortError::InvalidPort(service.to_string())),
    }
}

/// Go's compiled-in table, built once.
static GO_BUILTIN: LazyLock<ServicesTable> = LazyLock::new(ServicesTable::go_builtin);

/// Go's `LookupPort(network, service)` against a parsed services table, then Go's built-in
/// table.
pub fn lookup_port_in(services: &Services, network: &str, service: &str) -> Result<u16, PortError> {
    if let Some(port) = parse_port(service)? {
        return Ok(port);
    }
    // tcp and udp have separate port spaces; the 4 and 6 variants share them. With no network,
    // Go 1.22 and later try tcp, then udp, and call the network "ip" in errors.
    let (protocols, shown): (&[&str], &str) = match network {
        "tcp" | "tcp4" | "tcp6" => (&["tcp"], "tcp"),
        "udp" | "udp4" | "udp6" => (&["udp"], "udp"),
        "" => (&["tcp", "udp"], "ip"),
        other => return Err(PortError::UnknownNetwork(other.to_string())),
    };
    // For each protocol in turn, the file first; Go's table fills the gaps.
    protocols
        .iter()
        .find_map(|protocol| {
            find_in_file(services, protocol, service).or_else(|| GO_BUILTIN.port(protocol, service))
        })
        .ok_or_else(|| PortError::UnknownPort {
            network: shown.to_string(),
            service: service.to_string(),
        })
}

/// The port of the first entry for `protocol` whose name or an alias is `service`, in any
/// ASCII case (as the C library's `getservbyname` finds it).
fn find_in_file(services: &Services, protocol: &str, service: &str) -> Option<u16> {
    services
        .entries
        .iter()
        .filter(|entry| entry.protocol == protocol)
        .find(|entry| {
            entry.name.eq_ignore_ascii_case(service)
                || entry
                    .aliases
                    .iter()
                    .any(|alias| alias.eq_ignore_ascii_case(service))
        })
        .map(|entry| entry.port)
}
