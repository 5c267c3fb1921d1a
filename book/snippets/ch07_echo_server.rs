//! Snippets for chapter 7, compiled and run by `cargo test` (tests/book.rs).

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::time::Duration;

/// A connected pair on loopback: (client, server side).
fn pair() -> (TcpStream, TcpStream) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (server, _) = listener.accept().unwrap();
    client
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    server
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    (client, server)
}

#[test]
fn eof() {
    // ANCHOR: eof
    let (client, mut server) = pair();
    client.shutdown(Shutdown::Write).unwrap(); // the client sends its FIN
    let mut buf = [0u8; 512];
    // EOF is not an error: it is a read of zero bytes...
    assert_eq!(server.read(&mut buf).unwrap(), 0);
    // ...and it does not go away: every later read returns 0 at once.
    assert_eq!(server.read(&mut buf).unwrap(), 0);
    // ANCHOR_END: eof
}

#[test]
fn spin() {
    // ANCHOR: spin
    let (client, mut conn) = pair();
    drop(client); // the client leaves

    // The notes' handleClient, word for word in Rust: `err` is never looked at.
    let mut buf = [0u8; 512];
    let mut laps = 0;
    loop {
        let n = conn.read(&mut buf).unwrap_or(0);
        let _ = conn.write(&buf[0..n]);
        laps += 1;
        if laps == 100_000 {
            break; // the Go loop has no way out; we stop it here
        }
    }
    // 100,000 laps without a byte and without ever waiting: one CPU at 100%, forever,
    // and a connection that is never closed.
    assert_eq!(laps, 100_000);
    // ANCHOR_END: spin
}

#[test]
fn half_close() {
    // ANCHOR: half_close
    let (mut client, mut server) = pair();
    client.write_all(b"last words").unwrap();
    client.shutdown(Shutdown::Write).unwrap(); // "I will send nothing more"

    let mut got = Vec::new();
    server.read_to_end(&mut got).unwrap(); // ends at the client's FIN
    assert_eq!(got, b"last words");
    // The other direction is still open: the server can answer after the client's EOF.
    server.write_all(b"heard you").unwrap();
    drop(server); // and its FIN ends the client's read

    let mut answer = String::new();
    client.read_to_string(&mut answer).unwrap();
    assert_eq!(answer, "heard you");
    // ANCHOR_END: half_close
}

#[test]
fn reset() {
    // ANCHOR: reset
    let (client, mut server) = pair();
    // SO_LINGER with a zero timeout: `close` aborts the connection with a RST instead of
    // ending it with a FIN. (A close with unread data does the same.)
    socket2::SockRef::from(&client)
        .set_linger(Some(Duration::ZERO))
        .unwrap();
    drop(client);

    let mut buf = [0u8; 512];
    let err = server.read(&mut buf).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ConnectionReset); // an error, not an EOF
    // ANCHOR_END: reset
}
