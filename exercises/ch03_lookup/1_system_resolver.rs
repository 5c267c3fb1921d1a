//! Step 3.1 · `system-resolver` — Go's `ResolveIPAddr` and `LookupHost`, over the system
//! resolver.
//!
//! Read: chapter 3, "Step 1" (book/src/ch03_lookup.md).   Check: `cargo run -- check system-resolver`
//!
//! `ZonedIp` (Go's `IPAddr`) and `LookupError` come from the library
//! (`netlings::support::dns`). Both functions first tell an address literal from a name: a
//! private helper for that is welcome.

// Your code will use these imports; until it does, they are unused.
#![allow(unused_imports)]

use std::net::{IpAddr, ToSocketAddrs};

use netlings::support::dns::{LookupError, ZonedIp};

// ANCHOR: contract
/// Go's `ResolveIPAddr(network, host)`: one address of `host` for network `ip` (either family,
/// IPv4 preferred; `""` means `ip`), `ip4` or `ip6`. An address literal is returned as is, zone
/// included; a name goes to the system resolver.
///
/// Errors: `UnknownNetwork` for any other network; `BadZone` for a `%zone` on anything but an
/// IPv6 literal (never sent to the resolver); `NoSuitableAddress` when no address has the
/// network's family; `Resolver` when the system resolver fails.
pub fn resolve_ip_addr(network: &str, host: &str) -> Result<ZonedIp, LookupError> {
    // TODO: map the network to a family (or UnknownNetwork); return a literal (with its %zone,
    // IPv6 only) as it is; otherwise ask the system resolver and pick an address of the
    // family, IPv4 first for "ip".
    todo!("resolve_ip_addr({network:?}, {host:?})")
}

/// Go's `LookupHost(host)`: every address of `host`, in the resolver's order, without
/// duplicates. An address literal is its own answer (its zone, if any, is dropped).
///
/// Errors: `BadZone` as for `resolve_ip_addr`; `Resolver` when the system resolver fails;
/// `NoSuchHost` when it returns nothing.
pub fn lookup_host(host: &str) -> Result<Vec<IpAddr>, LookupError> {
    // TODO: a literal is its own answer; otherwise every address from the system resolver,
    // without duplicates.
    todo!("lookup_host({host:?})")
}
// ANCHOR_END: contract
