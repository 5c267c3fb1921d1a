//! Snippets for chapter 3, compiled and run by `cargo test` (tests/book.rs).

use std::net::{IpAddr, Ipv4Addr, SocketAddr, ToSocketAddrs};

#[test]
fn std_resolver() {
    // ANCHOR: std_resolver
    // std has no "look up a host" function: a (host, port) pair can be turned into socket
    // addresses, which runs getaddrinfo (/etc/hosts, then DNS) and blocks until it answers.
    let addrs: Vec<SocketAddr> = ("localhost", 0).to_socket_addrs().unwrap().collect();
    let ips: Vec<IpAddr> = addrs.iter().map(|a| a.ip()).collect();
    assert!(ips.contains(&IpAddr::V4(Ipv4Addr::LOCALHOST)));

    // A literal is parsed, not looked up; a zone is not part of an IpAddr.
    assert!("fe80::1%eth0".parse::<IpAddr>().is_err());
    // ANCHOR_END: std_resolver
}

#[test]
fn header_bytes() {
    // ANCHOR: header_bytes
    // The 12-byte header of a query: id 0x1234, flags 0x0100 (RD, "recursion desired"),
    // one question, no answers, no authority or additional records.
    let header: [u8; 12] = [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];
    // Every field is big-endian ("network byte order").
    let id = u16::from_be_bytes([header[0], header[1]]);
    let flags = u16::from_be_bytes([header[2], header[3]]);
    assert_eq!((id, flags & 0x8000, flags & 0x0100), (0x1234, 0, 0x0100));
    // ANCHOR_END: header_bytes
}

#[test]
fn name_bytes() {
    // ANCHOR: name_bytes
    // "www.example.test" on the wire: each label prefixed by its length, then a zero byte.
    let name = b"\x03www\x07example\x04test\x00";
    assert_eq!(name.len(), 18);
    // A compression pointer: the top two bits set, then a 14-bit offset into the message.
    // 0xC00C means "the rest of this name is the one at offset 12" (the question's name).
    let pointer = [0xC0u8, 0x0C];
    let offset = u16::from_be_bytes([pointer[0] & 0x3F, pointer[1]]);
    assert_eq!(offset, 12);
    // ANCHOR_END: name_bytes
}
