//! Snippets for chapter 6, compiled and run by `cargo test` (tests/book.rs).

use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc;
use std::thread;

#[test]
fn pieces() {
    // ANCHOR: pieces
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let (go_on, wait) = mpsc::channel();
    let server = thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        conn.write_all(b"Hel").unwrap();
        wait.recv().unwrap(); // the client has read the first piece
        conn.write_all(b"lo").unwrap();
        // Dropping `conn` closes it: the client's next read returns 0.
    });

    let mut conn = TcpStream::connect(addr).unwrap();
    let mut buf = [0u8; 512];
    let n = conn.read(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"Hel"); // what had arrived, not "the message"
    go_on.send(()).unwrap();

    let mut rest = Vec::new();
    conn.read_to_end(&mut rest).unwrap(); // Go's io.ReadAll: read until EOF
    assert_eq!(rest, b"lo");
    assert_eq!(conn.read(&mut buf).unwrap(), 0); // after EOF, every read returns 0
    server.join().unwrap();
    // ANCHOR_END: pieces
}

#[test]
fn partial_write() {
    // ANCHOR: partial_write
    // A writer with room for 4 bytes, like a socket whose send buffer is nearly full.
    let mut room = [0u8; 4];
    let n = (&mut room[..]).write(b"HEAD / HTTP/1.0\r\n\r\n").unwrap();
    assert_eq!(n, 4); // `write` took what fitted and said so

    // `write_all` loops until everything is written, or reports why it could not.
    let mut room = [0u8; 4];
    let err = (&mut room[..])
        .write_all(b"HEAD / HTTP/1.0\r\n\r\n")
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::WriteZero);
    // ANCHOR_END: partial_write
}

#[test]
fn partial_write_on_a_socket() {
    // ANCHOR: partial_write_on_a_socket
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let conn = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let _peer = listener.accept().unwrap(); // connected, but never reads

    // Non-blocking, `write` returns at once with however much the kernel buffered.
    conn.set_nonblocking(true).unwrap();
    let big = vec![0u8; 64 * 1024 * 1024];
    let n = (&conn).write(&big).unwrap();
    assert!(
        0 < n && n < big.len(),
        "the kernel took {n} of {} bytes",
        big.len()
    );
    // ANCHOR_END: partial_write_on_a_socket
}

#[test]
fn refused() {
    // ANCHOR: refused
    // Bind a port and close it again: now nothing listens there.
    let addr = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let err = TcpStream::connect(addr).unwrap_err();
    // The kernel answered our SYN with a RST: "connection refused", at once.
    assert_eq!(err.kind(), ErrorKind::ConnectionRefused);
    // ANCHOR_END: refused
}
