//! Step 5.2 · `resolve-port` — the port of a TCP address: a number, or a service name.
//!
//! Read: chapter 5, "Step 2" (book/src/ch05_tcp_addr.md).
//! Check: `cargo run -- check resolve-port`
//!
//! `AddrError` and `PortNames` come from the library (`netlings::support::tcp_addr`).

// Your code will ask `names`; until it does, the parameter is unused.
#![allow(unused_variables)]

use netlings::support::tcp_addr::{AddrError, PortNames};

// ANCHOR: contract
/// The port of a TCP address, the text after the colon: a number or a service name.
///
/// - A number is decimal digits after at most one sign: `"80"`, `"+80"`. `""` is port 0, as
///   in Go, and so is `"-0"`. A negative number, or one above 65535 however many digits it
///   has, is `InvalidPort(port)`.
/// - Anything else is a name, looked up for TCP: `names.port("tcp", port)`, or
///   `UnknownPort(port)` when the names do not have it.
pub fn resolve_port(port: &str, names: &dyn PortNames) -> Result<u16, AddrError> {
    // TODO: numbers first; a name goes to `names`.
    todo!("resolve_port({port:?})")
}
// ANCHOR_END: contract
