//! Step 12.4 · `choose-socket` — raw if allowed, else the ping socket, else say how to allow one.
//!
//! Read: chapter 12, "Step 4" (book/src/ch12_ping.md).   Check: `cargo run -- check choose-socket`
//!
//! `SocketKind` and `OpenError` (with the message that says how to allow pings) come from the
//! library (`netlings::support::icmp`).

// Your code will use these imports and parameters, and call `open` (hence its `mut`); until it
// does, they are unused.
#![allow(unused_imports, unused_variables, unused_mut)]

use std::io;

use netlings::support::icmp::{Family, OpenError, SocketKind};

// ANCHOR: contract
/// Opens the best ICMP socket the process may have: raw first, the datagram socket when the
/// raw one is refused. `open` does the opening (the real one is
/// `netlings::support::icmp::open_socket`); tests pass one that fails on purpose.
///
/// - The raw socket opens: it is the answer, and nothing else is tried.
/// - The raw socket is refused (`PermissionDenied`): try the datagram socket; if it is refused
///   too, `OpenError::NoPermission` with both errors.
/// - Any other error, of either socket, is `OpenError::Other` with its kind, as it is.
pub fn choose_socket<S>(
    family: Family,
    mut open: impl FnMut(SocketKind) -> io::Result<S>,
) -> Result<(S, SocketKind), OpenError> {
    // TODO: open(SocketKind::Raw), and on PermissionDenied open(SocketKind::Datagram).
    todo!("choose_socket({family:?})")
}
// ANCHOR_END: contract
