//! Step 4.2 · `lookup-port` — Go's `LookupPort`: numbers, networks, names, and Go's own table.
//!
//! Read: chapter 4, "Step 2" (book/src/ch04_services.md).
//! Check: `cargo run -- check lookup-port`
//!
//! `PortError` and `Services` come from the library (`netlings::support::ports`), and so does
//! Go's built-in table of names (`netlings::support::services::ServicesTable::go_builtin`).

// Your code will use these imports; until it does, some are unused.
#![allow(unused_imports)]

use netlings::support::ports::{PortError, Services};
use netlings::support::services::ServicesTable;

// ANCHOR: contract
/// Go's `parsePort`: is `service` a number? `Ok(Some(port))` for a number: an optional `+`
/// or `-`, then decimal digits (`""` is port 0, and so is `"-0"`). `Ok(None)` for anything
/// else, a name to look up. `Err(InvalidPort)` for a number that is no port: negative, or
/// above 65535, however many digits it has.
pub fn parse_port(service: &str) -> Result<Option<u16>, PortError> {
    // TODO: strip one sign; all digits left means a number: range-check it without
    // overflowing on long inputs.
    todo!("parse_port({service:?})")
}

/// Go's `LookupPort(network, service)` against a parsed services file, then Go's built-in
/// table.
///
/// - A number (see `parse_port`) is a port whatever the network.
/// - `tcp`, `tcp4` and `tcp6` look among the tcp entries, `udp`, `udp4` and `udp6` among the
///   udp ones; `""` tries tcp, then udp (as Go does since 1.22), and is shown as `ip` in
///   errors. Any other network is `UnknownNetwork`.
/// - A name matches an entry's name or one of its aliases, in any ASCII case; the first
///   matching line wins. When the file has none, Go's built-in table may.
pub fn lookup_port_in(services: &Services, network: &str, service: &str) -> Result<u16, PortError> {
    // TODO: numbers first, then the network, then the file's entries, then Go's table.
    todo!(
        "lookup_port_in({} entries, {network:?}, {service:?})",
        services.entries.len()
    )
}
// ANCHOR_END: contract
