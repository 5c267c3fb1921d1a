//! Snippets for chapter 11, compiled and run by `cargo test` (tests/book.rs).

use std::io::ErrorKind;
use std::os::unix::net::UnixDatagram;

#[test]
fn unnamed_sender() {
    let dir = std::env::temp_dir().join(format!("netlings-book-ch11-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let server_path = dir.join("server.sock");
    // ANCHOR: unnamed_sender
    let server = UnixDatagram::bind(&server_path).unwrap();

    // A client that never bound a path can send...
    let anonymous = UnixDatagram::unbound().unwrap();
    anonymous.send_to(b"hello?", &server_path).unwrap();

    // ...but arrives with no address at all,
    let mut buf = [0; 64];
    let (_, from) = server.recv_from(&mut buf).unwrap();
    assert!(from.is_unnamed());
    assert_eq!(from.as_pathname(), None);

    // so there is nowhere to send the answer.
    let err = server.send_to_addr(b"hi", &from).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput); // EINVAL on Linux
    // ANCHOR_END: unnamed_sender
    drop(server);
    std::fs::remove_dir_all(&dir).unwrap();
}
