//! Snippets for chapter 5, compiled and run by `cargo test` (tests/book.rs).

use std::net::{SocketAddr, SocketAddrV6};

#[test]
fn socket_addr() {
    // ANCHOR: socket_addr
    // Go's TCPAddr{IP, Port, Zone} is std's SocketAddr: an enum of V4 and V6.
    let v4: SocketAddr = "127.0.0.1:8099".parse().unwrap();
    assert_eq!(v4.port(), 8099);
    let v6: SocketAddr = "[::1]:8099".parse().unwrap();
    assert!(v6.is_ipv6());
    // std's parser takes numbers only: no host names, no service names.
    assert!("localhost:8099".parse::<SocketAddr>().is_err());
    assert!("127.0.0.1:http".parse::<SocketAddr>().is_err());
    // ANCHOR_END: socket_addr
}

#[test]
fn scope_id() {
    // ANCHOR: scope_id
    // The zone of a link-local address is a number in Rust: the interface's index.
    let addr: SocketAddrV6 = "[fe80::1%2]:80".parse().unwrap();
    assert_eq!(addr.scope_id(), 2);
    // A zone written as an interface name, which Go accepts, is not understood by std.
    assert!("[fe80::1%lo]:80".parse::<SocketAddrV6>().is_err());
    // ANCHOR_END: scope_id
}
