//! Step 1.1 · `parse-ip` — Go's `net.ParseIP`.
//!
//! Read: chapter 1, "Step 1" (book/src/ch01_ip.md).   Check: `cargo run -- check parse-ip`

use std::net::IpAddr;

// ANCHOR: parse_ip
/// Go's `ParseIP`: an IPv4 or IPv6 address in text form, or `None`.
///
/// - `"127.0.0.1"` and `"0:0:0:0:0:0:0:1"` parse; the second prints as `::1`.
/// - `"::ffff:1.2.3.4"` is an IPv4 address written in IPv6 form: Go prints it as `1.2.3.4`,
///   so return it as `IpAddr::V4`.
/// - Leading zeros (`"127.001.0.1"`), zones (`"fe80::1%eth0"`), brackets (`"[::1]"`), ports
///   and host names are not addresses: `None`.
pub fn parse_ip(s: &str) -> Option<IpAddr> {
    // TODO: std can parse addresses; then make IPv4-mapped ones IPv4.
    todo!("parse_ip({s:?})")
}
// ANCHOR_END: parse_ip
