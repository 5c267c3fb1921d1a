//! Step 10.1 · `networks` — Go's network names, and the addresses a network may use.
//!
//! Read: chapter 10, "Step 1" (book/src/ch10_conn.md).   Check: `cargo run -- check networks`
//!
//! `Network` and `Family` come from the library (`netlings::support::network`).

// Your code will use these imports; until it does, they are unused.
#![allow(unused_imports)]

use std::io;
use std::net::{SocketAddr, ToSocketAddrs};

use netlings::support::network::{Family, Network};

// ANCHOR: contract
/// Go's network names, exactly as Go spells them (lower case, so `"TCP"` is unknown):
/// tcp, tcp4, tcp6, udp, udp4, udp6, unix. `None` for anything else.
pub fn parse_network(name: &str) -> Option<Network> {
    // TODO: one match arm per name.
    todo!("parse_network({name:?})")
}

/// The socket addresses `address` (`host:port`) stands for that `family` allows, in the
/// resolver's order: `to_socket_addrs`, then keep only the IPv4 (`V4`) or IPv6 (`V6`) ones.
///
/// - No `:` at all: an `InvalidInput` error with the message `missing port in address`.
/// - An empty host (`:80`): the loopback address of the family (`[::1]` for `V6`, else
///   `127.0.0.1`).
/// - Nothing left after filtering: `InvalidInput`, `no suitable address found`.
/// - Any other error (a bad port, a name that does not resolve) is the resolver's.
pub fn resolve(family: Family, address: &str) -> io::Result<Vec<SocketAddr>> {
    // TODO: check for the port, fill in an empty host, resolve, filter.
    todo!("resolve({family:?}, {address:?})")
}
// ANCHOR_END: contract
