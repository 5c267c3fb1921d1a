//! Snippets for chapter 8, compiled and run by `cargo test` (tests/book.rs).

use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use netlings::support::io::is_timeout;
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
    // Windows reports TimedOut. `is_timeout` accepts both.
    #[cfg(unix)]
    assert_eq!(err.kind(), ErrorKind::WouldBlock);
    assert!(is_timeout(&err));
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
fn deadline() {
    // ANCHOR: deadline
    // The same problem away from sockets: collect messages from a channel for 200 ms in all,
    // while a sender keeps sending every 20 ms. `recv_timeout` waits a length of time, per call.
    let (tx, rx) = mpsc::channel();
    let sender = thread::spawn(move || {
        while tx.send("tick").is_ok() {
            thread::sleep(Duration::from_millis(20)); // a steady sender, on purpose
        }
    });

    let deadline = Instant::now() + Duration::from_millis(200); // a point in time, fixed once
    let mut ticks = 0;
    loop {
        // Before every wait: the time left. When none is left, stop without waiting at all.
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        match rx.recv_timeout(left) {
            Ok(_) => ticks += 1,
            Err(RecvTimeoutError::Timeout) => break,
            Err(RecvTimeoutError::Disconnected) => unreachable!("the sender never stops"),
        }
    }
    // A fixed 200 ms per call would never have expired: a tick comes every 20 ms.
    assert!(Instant::now() >= deadline);
    assert!(ticks > 0);
    drop(rx); // the sender's next send fails, and it stops
    sender.join().unwrap();
    // ANCHOR_END: deadline
}

#[test]
fn full_buffer() {
    // ANCHOR: full_buffer
    let (_client, mut server) = pair(); // the client never reads
    server
        .set_write_timeout(Some(Duration::from_millis(50)))
        .unwrap();
    let chunk = [b'x'; 64 * 1024];
    let mut sent = 0;
    let err = loop {
        match server.write(&chunk) {
            // The kernel takes what fits in the socket buffers, perhaps only part of `chunk`.
            Ok(n) => sent += n,
            Err(e) => break e,
        }
    };
    // Once both buffers are full, `write` blocks until its timeout: the peer holds us there.
    assert!(is_timeout(&err));
    assert!(sent > 0);
    // ANCHOR_END: full_buffer
}

#[test]
fn two_limits() {
    // ANCHOR: two_limits
    // Two limits at once, on a channel: at most 200 ms of silence between two messages, and
    // 400 ms in all. A sender that sends every 20 ms never trips the first.
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        while tx.send(()).is_ok() {
            thread::sleep(Duration::from_millis(20)); // a steady sender, on purpose
        }
    });
    let silence = Duration::from_millis(200);
    let end = Instant::now() + Duration::from_millis(400); // fixed once, before the loop
    let why = loop {
        let quiet_until = Instant::now() + silence; // starts again after every message
        let until = quiet_until.min(end); // whichever comes first
        let left = until.saturating_duration_since(Instant::now());
        if rx.recv_timeout(left).is_err() {
            // Which limit was it? The earlier of the two.
            break if quiet_until < end {
                "silent"
            } else {
                "over time"
            };
        }
    };
    assert_eq!(why, "over time");
    // ANCHOR_END: two_limits
}

#[test]
fn keepalive() {
    // ANCHOR: keepalive
    let (client, _server) = pair();
    let socket = SockRef::from(&client); // socket2's view of a std socket
    assert!(!socket.keepalive().unwrap()); // off by default

    let settings = TcpKeepalive::new()
        .with_time(Duration::from_secs(30)) // idle time before the first probe
        .with_interval(Duration::from_secs(5)); // between unanswered probes
    socket.set_tcp_keepalive(&settings).unwrap(); // also turns SO_KEEPALIVE on

    // getsockopt: what the kernel will actually do.
    assert!(socket.keepalive().unwrap());
    assert_eq!(
        socket.tcp_keepalive_time().unwrap(),
        Duration::from_secs(30)
    );
    // ANCHOR_END: keepalive
}

#[test]
fn checked_add() {
    // ANCHOR: checked_add
    // `Instant + Duration` panics when the sum does not fit the clock; `checked_add` says
    // `None`. A limit from a command line or a config file is a limit a user chose.
    let now = Instant::now();
    let chosen = Duration::MAX; // "--deadline 10000000000000000000s"
    assert!(now.checked_add(chosen).is_none()); // `now + chosen` would panic
    let fine = now.checked_add(Duration::from_secs(30));
    assert!(fine.is_some_and(|end| end > now));
    // ANCHOR_END: checked_add
}

#[test]
fn log_writer() {
    // ANCHOR: log_writer
    /// A log whose other end went away, as stderr is under `program | head -1` once `head`
    /// has exited: every write fails with a broken pipe.
    struct ClosedPipe;
    impl Write for ClosedPipe {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    // `eprintln!` panics when its write fails. `writeln!` to a writer returns the error, and
    // a server that must go on drops it: the log is not worth a client, let alone the process.
    let mut log = ClosedPipe;
    let _ = writeln!(log, "client 127.0.0.1:4242: dropped: idle for 10s");
    // ANCHOR_END: log_writer
}
