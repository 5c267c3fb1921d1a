//! Snippets for chapter 6, compiled and run by `cargo test` (tests/book.rs).

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

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

#[test]
fn every_address() {
    // ANCHOR: every_address
    // A name may stand for several addresses, of both families: you get them all, in the
    // resolver's order, and choose.
    let all: Vec<SocketAddr> = "localhost:8080".to_socket_addrs().unwrap().collect();
    assert!(all.contains(&"127.0.0.1:8080".parse().unwrap()));
    let families: Vec<&str> = all
        .iter()
        .map(|a| if a.is_ipv4() { "IPv4" } else { "IPv6" })
        .collect();
    assert!(families.contains(&"IPv4")); // and, on most systems, "IPv6" for ::1 too

    // A literal needs no lookup. Without a port, or with a service name, it is an error.
    assert_eq!("10.0.0.1:22".to_socket_addrs().unwrap().count(), 1);
    let no_port = "10.0.0.1".to_socket_addrs().unwrap_err();
    assert_eq!(no_port.kind(), ErrorKind::InvalidInput);
    let by_name = "10.0.0.1:ssh".to_socket_addrs().unwrap_err();
    assert_eq!(by_name.kind(), ErrorKind::InvalidInput);
    // ANCHOR_END: every_address
}

#[test]
fn silent_server() {
    // ANCHOR: silent_server
    // A server that accepts and then says nothing.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let mut conn = TcpStream::connect(addr).unwrap();
    let _quiet = listener.accept().unwrap();

    // Without a read timeout this read would wait forever. With one, it gives up: on Unix the
    // error is `WouldBlock` (EAGAIN), on Windows `TimedOut`; `support::io::is_timeout` knows both.
    conn.set_read_timeout(Some(Duration::from_millis(50)))
        .unwrap();
    let err = conn.read(&mut [0u8; 64]).unwrap_err();
    assert!(netlings::support::io::is_timeout(&err));
    // Zero is not "no timeout": std refuses it (`None` is how you say "wait forever").
    let zero = conn.set_read_timeout(Some(Duration::ZERO)).unwrap_err();
    assert_eq!(zero.kind(), ErrorKind::InvalidInput);
    // ANCHOR_END: silent_server
}

#[test]
fn context() {
    // ANCHOR: context
    use netlings::program::Result;

    // `map_err` adds what the program was doing to an error that only says what went wrong,
    // and `?` turns the `String` into the program's error.
    fn port(text: &str) -> Result<u16> {
        let port = text
            .parse::<u16>()
            .map_err(|e| format!("{text:?} is not a port: {e}"))?;
        Ok(port)
    }
    assert_eq!(port("8080").unwrap(), 8080);
    assert_eq!(
        port("80a").unwrap_err().to_string(),
        "\"80a\" is not a port: invalid digit found in string"
    );
    // ANCHOR_END: context
}

#[test]
fn limit() {
    // ANCHOR: limit
    // A "server" that never stops sending: `read_to_end` on it would take all the memory
    // there is. `take(n)` makes a reader that ends (EOF) after `n` bytes, whatever is behind it.
    let mut endless = std::io::repeat(b'x');
    let mut got = Vec::new();
    endless.by_ref().take(1001).read_to_end(&mut got).unwrap();
    assert_eq!(got.len(), 1001); // more than 1000: the reply is too long, and we know it

    // A read that fails keeps what came before it: `read_to_end` appends every byte it read
    // to the buffer, then returns the error.
    let mut first_half = (&b"HTTP/1.0 2"[..]).chain(Failing);
    let mut got = Vec::new();
    let err = first_half.read_to_end(&mut got).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ConnectionReset);
    assert_eq!(got, b"HTTP/1.0 2");
    // ANCHOR_END: limit
}

/// A reader whose every read fails, as a connection does after a reset.
struct Failing;

impl Read for Failing {
    fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
        Err(ErrorKind::ConnectionReset.into())
    }
}

#[test]
fn per_call() {
    // ANCHOR: per_call
    // A server that sends a byte every 50 ms, ten times.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let conn = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (server, _) = listener.accept().unwrap();
    let dripping = thread::spawn(move || {
        for _ in 0..10 {
            (&server).write_all(b".").unwrap();
            thread::sleep(Duration::from_millis(50));
        }
    });

    // A read timeout of a second is per call: every read gets its byte in time, so the reply
    // takes as long as the server likes (half a second here; a day, if it likes).
    conn.set_read_timeout(Some(Duration::from_secs(1))).unwrap();
    let started = std::time::Instant::now();
    let mut got = Vec::new();
    (&conn).read_to_end(&mut got).unwrap();
    assert_eq!(got.len(), 10);
    assert!(started.elapsed() >= Duration::from_millis(450));
    dripping.join().unwrap();
    // ANCHOR_END: per_call
}

#[test]
fn by_deadline() {
    // ANCHOR: by_deadline
    use netlings::support::exchange::ByDeadline;
    use std::time::Instant;

    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let conn = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (server, _) = listener.accept().unwrap();
    let dripping = thread::spawn(move || {
        for _ in 0..10 {
            if (&server).write_all(b".").is_err() {
                return; // the client gave up
            }
            thread::sleep(Duration::from_millis(50));
        }
    });

    // One deadline for the whole reply: each call gets the time that is left.
    let deadline = Instant::now() + Duration::from_millis(100);
    let mut got = Vec::new();
    let err = ByDeadline::new(&conn, deadline)
        .read_to_end(&mut got)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TimedOut);
    assert!(!got.is_empty() && got.len() < 10); // what came in time is kept
    drop(conn);
    dripping.join().unwrap();
    // ANCHOR_END: by_deadline
}
