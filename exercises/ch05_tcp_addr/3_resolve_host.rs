//! Step 5.3 · `resolve-host` — the host of a TCP address: empty, a zone, a literal, or a name.
//!
//! Read: chapter 5, "Step 3" (book/src/ch05_tcp_addr.md).
//! Check: `cargo run -- check resolve-host`
//!
//! `AddrError`, `Family` (which families a network allows) and `interface_index` (an
//! interface's number, from its name) come from the library (`netlings::support::tcp_addr`).

// Your code will use these imports; until it does, some are unused.
#![allow(unused_imports)]

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, ToSocketAddrs};

use netlings::support::tcp_addr::{AddrError, Family, interface_index};

// ANCHOR: contract
/// The address of `host` (brackets already removed; `bracketed` says whether there were
/// some), of a family `family` allows, with its IPv6 scope id (0 when there is none).
/// `network` is for the error message only.
///
/// - `""` means every local address: the unspecified address, `::` for `Family::V6` and
///   `0.0.0.0` otherwise.
/// - `address%zone` is an IPv6 address with a zone. The zone is a number (the scope id) or
///   an interface name (`interface_index` gives its number, or it is `UnknownZone(zone)`).
///   A zone on anything but an IPv6 address is `ZoneWithoutIpv6(host)`.
/// - A literal address is itself, and an IPv4-mapped one (`::ffff:127.0.0.1`) is the IPv4
///   address inside, as in Go. Brackets around anything but IPv6 are
///   `BracketsWithoutIpv6(host)`.
/// - Anything else is a name for the system resolver (`Lookup { host, reason }` when it
///   fails). Of its addresses that `family` allows, the first IPv4 one wins, else the first.
///
/// An address `family` does not allow is `NoSuitableAddress { host, network }`.
pub fn resolve_host(
    host: &str,
    bracketed: bool,
    family: Family,
    network: &str,
) -> Result<(IpAddr, u32), AddrError> {
    // TODO: empty first; then `host.split_once('%')`; then `host.parse::<IpAddr>()`; only
    // then the resolver: `(host, 0).to_socket_addrs()`.
    todo!("resolve_host({host:?}, bracketed: {bracketed}, {family:?}, {network:?})")
}
// ANCHOR_END: contract
