//! Snippets for chapter 7, compiled and run by `cargo test` (tests/book.rs).

use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Mutex;
use std::thread;
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

    // The notes' handleClient with its error thrown away (`n, _ := conn.Read(buf[0:])` in Go,
    // the variant that compiles), in Rust: the loop never looks at what `read` says.
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

#[test]
fn count_lines() {
    // ANCHOR: count_lines
    /// Counts the lines a peer sends until it is done: the shape of every "until EOF" loop.
    fn count_lines(conn: &mut impl Read) -> io::Result<usize> {
        let mut buf = [0u8; 512];
        let mut lines = 0;
        loop {
            match conn.read(&mut buf) {
                Ok(0) => return Ok(lines), // EOF: the peer is done, and so are we
                Ok(n) => lines += buf[..n].iter().filter(|&&b| b == b'\n').count(),
                // A signal arrived before any data: nothing happened, ask again.
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(e), // reset, timeout...: this connection is over
            }
        }
    }

    let (mut client, mut server) = pair();
    client.write_all(b"one\ntwo\nthree\n").unwrap();
    client.shutdown(Shutdown::Write).unwrap();
    assert_eq!(count_lines(&mut server).unwrap(), 3);
    // ANCHOR_END: count_lines
}

#[test]
fn second_handle() {
    // ANCHOR: second_handle
    let (client, server) = pair();
    let keeper = server.try_clone().unwrap(); // a second handle to the same socket
    client
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();

    drop(server); // one handle gone, but the socket lives on in `keeper`: no FIN is sent
    let err = (&client).read(&mut [0u8; 16]).unwrap_err();
    assert!(netlings::support::io::is_timeout(&err)); // the client is still waiting

    keeper.shutdown(Shutdown::Write).unwrap(); // acts on the connection itself: FIN now
    assert_eq!((&client).read(&mut [0u8; 16]).unwrap(), 0); // EOF
    // ANCHOR_END: second_handle
}

#[test]
fn wake_accept() {
    // ANCHOR: wake_accept
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let waiting = thread::spawn(move || {
        // Blocks until a connection arrives: there is no timeout to set, and std has no way
        // to cancel the call from another thread.
        let (_, from) = listener.accept().unwrap();
        from
    });
    // Any connection will do, even one from the same process.
    let me = TcpStream::connect(addr).unwrap();
    assert_eq!(waiting.join().unwrap(), me.local_addr().unwrap());
    // ANCHOR_END: wake_accept
}

#[test]
#[cfg(target_os = "linux")]
fn accept_after_reset() {
    // ANCHOR: accept_after_reset
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    // The client gives up before the server got round to `accept`: it resets.
    socket2::SockRef::from(&client)
        .set_linger(Some(Duration::ZERO))
        .unwrap();
    drop(client);

    // On Linux, `accept` still returns the connection (no ECONNABORTED)...
    let (mut conn, _) = listener.accept().unwrap();
    // ...and the first read reports the reset.
    let err = conn.read(&mut [0u8; 16]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ConnectionReset);
    // ANCHOR_END: accept_after_reset
}

#[test]
#[cfg(unix)]
fn reuse_address() {
    // ANCHOR: reuse_address
    // On Unix, std's `bind` sets SO_REUSEADDR, as Go's `Listen` does: a restarted server can
    // bind its port while connections of the old one linger in TIME_WAIT. (Not on Windows,
    // where SO_REUSEADDR would let another program take the port.)
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    assert!(socket2::SockRef::from(&listener).reuse_address().unwrap());
    // It does not let two listeners share a port.
    let taken = TcpListener::bind(listener.local_addr().unwrap()).unwrap_err();
    assert_eq!(taken.kind(), ErrorKind::AddrInUse);
    // ANCHOR_END: reuse_address
}

#[test]
fn scoped_log() {
    // ANCHOR: scoped_log
    /// Squares the numbers on threads of their own, logging each one.
    fn squares(numbers: &[u64], log: &mut (dyn Write + Send)) -> u64 {
        // Several threads write to one log: a `Mutex` takes turns. Scoped threads may borrow
        // it (and `numbers`), because `thread::scope` waits for all of them before it returns.
        let log = Mutex::new(log);
        let log = &log;
        thread::scope(|scope| {
            let workers: Vec<_> = numbers
                .iter()
                .map(|&n| {
                    scope.spawn(move || {
                        // A log that cannot be written (stderr a closed pipe) must not stop
                        // the work: its error is dropped, never unwrapped.
                        let _ = writeln!(log.lock().unwrap(), "squaring {n}");
                        n * n
                    })
                })
                .collect();
            workers.into_iter().map(|w| w.join().unwrap()).sum()
        })
    }

    let mut log = Vec::new();
    assert_eq!(squares(&[1, 2, 3], &mut log), 14);
    let log = String::from_utf8(log).unwrap();
    assert_eq!(log.lines().count(), 3); // in whatever order the threads ran
    // ANCHOR_END: scoped_log
}

#[test]
fn both_ways() {
    // ANCHOR: both_ways
    let (client, mut server) = pair();
    // `&TcpStream` implements `Read` and `Write`: two threads can use one connection, one
    // direction each, without cloning it.
    let sent = thread::scope(|scope| {
        let writer = scope.spawn(|| {
            let mut out = &client;
            out.write_all(b"ping")?;
            out.shutdown(Shutdown::Write)
        });
        let mut got = Vec::new();
        server.read_to_end(&mut got).unwrap();
        writer.join().unwrap().map(|()| got)
    });
    assert_eq!(sent.unwrap(), b"ping");
    // ANCHOR_END: both_ways
}

#[test]
fn shared_not_cloned() {
    // ANCHOR: shared_not_cloned
    use std::sync::Arc;

    let (client, server) = pair();
    // Two owners, one socket, one file descriptor: the `Arc` is shared, the stream is not
    // duplicated (`try_clone` would `dup` the descriptor: two per connection).
    let conn = Arc::new(server);
    let registry = Arc::clone(&conn);
    thread::scope(|scope| {
        let reader = scope.spawn(|| (&*conn).read(&mut [0u8; 16]).unwrap());
        // `shutdown` through either owner ends the connection: the blocked read returns 0.
        registry.shutdown(Shutdown::Both).unwrap();
        assert_eq!(reader.join().unwrap(), 0);
    });
    assert_eq!((&client).read(&mut [0u8; 16]).unwrap(), 0); // the peer sees the end too
    // The socket is closed when the last `Arc` goes.
    drop(registry);
    drop(conn);
    // ANCHOR_END: shared_not_cloned
}
