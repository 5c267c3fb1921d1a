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
fn props() {
    // ANCHOR: props
    // A list of (test, name) pairs, filtered: the order of the list is the order printed.
    let n: u32 = 12;
    let checks = [
        (n.is_multiple_of(2), "even"),
        (n > 100, "large"),
        (n.is_multiple_of(3), "a multiple of 3"),
    ];
    let names: Vec<&str> = checks
        .into_iter()
        .filter_map(|(yes, name)| yes.then_some(name))
        .collect();
    assert_eq!(names, ["even", "a multiple of 3"]);
    // ANCHOR_END: props
}

#[test]
fn bits() {
    // ANCHOR: bits
    // Is 100.100.1.2 in the carrier-grade NAT range 100.64.0.0/10 (RFC 6598)?
    let ip = u32::from(Ipv4Addr::new(100, 100, 1, 2)); // 0x64640102
    let net = u32::from(Ipv4Addr::new(100, 64, 0, 0)); // 0x64400000
    // XOR leaves a one wherever the two differ; shifting out the host part keeps the prefix.
    assert_eq!((ip ^ net) >> (32 - 10), 0);
    // 100.128.0.1 differs in the 10th bit: outside.
    let outside = u32::from(Ipv4Addr::new(100, 128, 0, 1));
    assert_ne!((outside ^ net) >> (32 - 10), 0);
    // ANCHOR_END: bits
}
