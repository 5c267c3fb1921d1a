//! Snippets for chapter 8, compiled and run by `cargo test` (tests/book.rs).

use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use socket2::{SockRef, TcpKeepalive};

/// A connected pair on loopback: (client, server side).
fn pair() -> (TcpStream, TcpStream) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (server, _) = listener.accept().unwrap();
    (client, server)
}

#[test]
fn read_timeout() {
    // ANCHOR: read_timeout
    let (_client, mut server) = pair();
    server
        .set_read_timeout(Some(Duration::from_millis(50)))
        .unwrap();
    let err = server.read(&mut [0u8; 16]).unwrap_err();
    // Unix reports an expired SO_RCVTIMEO as EAGAIN, which std calls WouldBlock.
    // Windows reports TimedOut. Accept both, or turn both into one.
    #[cfg(unix)]
    assert_eq!(err.kind(), ErrorKind::WouldBlock);
    assert!(matches!(
        err.kind(),
        ErrorKind::WouldBlock | ErrorKind::TimedOut
    ));
    // ANCHOR_END: read_timeout
}

#[test]
fn zero_timeout() {
    // ANCHOR: zero_timeout
    let (client, _server) = pair();
    // "No time left" cannot be said with a timeout: zero is refused...
    let err = client.set_read_timeout(Some(Duration::ZERO)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    // ...and `None` means "wait forever", the opposite.
    client.set_read_timeout(None).unwrap();
    assert_eq!(client.read_timeout().unwrap(), None);
    // ANCHOR_END: zero_timeout
}

#[test]
fn dodge() {
    // ANCHOR: dodge
    let (mut client, mut server) = pair();
    let dripper = thread::spawn(move || {
        for _ in 0..10 {
            thread::sleep(Duration::from_millis(50)); // a slow client, on purpose
            client.write_all(b".").unwrap();
        }
    });

    // A 300 ms timeout per read, as the notes' SetTimeout would set it.
    server
        .set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    let started = Instant::now();
    let mut got = 0;
    while got < 10 {
        got += server.read(&mut [0u8; 1]).unwrap(); // never times out
    }
    // Every read was quicker than 300 ms, yet the connection lasted longer than that.
    assert!(started.elapsed() > Duration::from_millis(300));
    dripper.join().unwrap();
    // ANCHOR_END: dodge
}

#[test]
fn keepalive() {
    // ANCHOR: keepalive
    let (client, _server) = pair();
    let socket = SockRef::from(&client); // socket2's view of a std socket
    assert!(!socket.keepalive().unwrap()); // off by default

    let settings = TcpKeepalive::new()
        .with_time(Duration::from_secs(30)) // idle time before the first probe
        .with_interval(Duration::from_secs(5)) // between unanswered probes
        .with_retries(3); // unanswered probes before a reset
    socket.set_tcp_keepalive(&settings).unwrap(); // also turns SO_KEEPALIVE on

    // getsockopt: what the kernel will actually do.
    assert!(socket.keepalive().unwrap());
    assert_eq!(
        socket.tcp_keepalive_time().unwrap(),
        Duration::from_secs(30)
    );
    assert_eq!(
        socket.tcp_keepalive_interval().unwrap(),
        Duration::from_secs(5)
    );
    assert_eq!(socket.tcp_keepalive_retries().unwrap(), 3);
    // ANCHOR_END: keepalive
}
