//! Snippets for chapter 1, compiled and run by `cargo test` (tests/book.rs).

use std::net::{IpAddr, Ipv4Addr};

#[test]
fn std_parse() {
    // ANCHOR: std_parse
    let ip: IpAddr = "192.168.1.3".parse().unwrap();
    assert_eq!(ip, IpAddr::V4(Ipv4Addr::new(192, 168, 1, 3)));

    // Go's ParseIP returns nil; std returns an error you can print.
    let err = "127.001.0.1".parse::<IpAddr>().unwrap_err();
    assert_eq!(err.to_string(), "invalid IP address syntax");

    // The long IPv6 form is accepted and printed in its short form (RFC 5952).
    let six: IpAddr = "0:0:0:0:0:0:0:1".parse().unwrap();
    assert_eq!(six.to_string(), "::1");
    // ANCHOR_END: std_parse
}

#[test]
fn mapped() {
    // ANCHOR: mapped
    let mapped: IpAddr = "::ffff:10.0.0.1".parse().unwrap();
    assert!(mapped.is_ipv6()); // std keeps the form you wrote...
    assert_eq!(mapped.to_string(), "::ffff:10.0.0.1");
    let canonical = mapped.to_canonical(); // ...Go shows the IPv4 address inside.
    assert_eq!(canonical.to_string(), "10.0.0.1");
    // ANCHOR_END: mapped
}

#[test]
fn bits() {
    // ANCHOR: bits
    let ip = Ipv4Addr::new(172, 20, 1, 2);
    let bits = u32::from(ip); // 0xac140102
    // 172.16.0.0/12: the first 12 bits must match.
    let net = u32::from(Ipv4Addr::new(172, 16, 0, 0));
    assert_eq!((bits ^ net) >> (32 - 12), 0);
    // ANCHOR_END: bits
}
