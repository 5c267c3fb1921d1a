//! Snippets for chapter 4, compiled and run by `cargo test` (tests/book.rs).

use std::net::ToSocketAddrs;

#[test]
fn std_refuses_names() {
    // ANCHOR: std_refuses_names
    // Go's net.Dial("tcp", "127.0.0.1:ssh") looks "ssh" up; std only takes numbers.
    let err = "127.0.0.1:ssh".to_socket_addrs().unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    assert!("127.0.0.1:22".to_socket_addrs().is_ok());
    // ANCHOR_END: std_refuses_names
}

#[test]
fn split_a_line() {
    // ANCHOR: split_a_line
    let line = "http\t80/tcp\t\twww www-http\t# WorldWideWeb HTTP";
    // Cut the comment, then let split_whitespace deal with any mix of tabs and spaces.
    let content = line.split_once('#').map_or(line, |(before, _)| before);
    let fields: Vec<&str> = content.split_whitespace().collect();
    assert_eq!(fields, ["http", "80/tcp", "www", "www-http"]);
    assert_eq!(fields[1].split_once('/'), Some(("80", "tcp")));
    // ANCHOR_END: split_a_line
}
