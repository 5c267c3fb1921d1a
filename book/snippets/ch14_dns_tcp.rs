//! Snippets for chapter 14, compiled and run by `cargo test` (tests/book.rs).

use std::fs;
use std::io::{self, BufWriter, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use netlings::support::dns::Header;
use netlings::support::framing::DeadlineStream;

#[test]
fn tc_bit() {
    // ANCHOR: tc_bit
    // The header of an answer that did not fit: QR, AA, TC, RD and RA set (flags 0x8780), one
    // question, and 30 answers, the ones that fitted in 512 bytes out of 60.
    let bytes = [0xAB, 0xCD, 0x87, 0x80, 0, 1, 0, 30, 0, 0, 0, 0];
    let header = Header::new_checked(&bytes[..]).unwrap();
    assert!(header.is_response() && header.is_truncated());
    assert_eq!(header.answer_count(), 30);
    // ANCHOR_END: tc_bit
}

#[test]
fn sizes() {
    // ANCHOR: sizes
    // A query for many.test: the 12-byte header, the name (1+4+1+4+1 bytes), type and class.
    let query = 12 + 11 + 4;
    assert_eq!(query, 27);
    // Over TCP it goes out as 29 bytes: its length first, in two bytes, big-endian.
    assert_eq!((query as u16).to_be_bytes(), [0x00, 0x1B]);
    // The answer with 60 A records, each a 2-byte pointer to the name, 10 fixed bytes and 4
    // bytes of address: too big for 512 bytes, small beside the 65 535 two bytes can say.
    let answer = query + 60 * (2 + 10 + 4);
    assert_eq!(answer, 987);
    assert_eq!((512 - query) / (2 + 10 + 4), 30); // what fits in a datagram
    // ANCHOR_END: sizes
}

#[test]
fn flush() {
    // ANCHOR: flush
    // A `BufWriter` keeps what you write until its buffer fills or you flush it: over a
    // socket, a question that sits in the buffer is a question the server never saw.
    let mut out = BufWriter::new(Vec::new());
    out.write_all(b"a question").unwrap();
    assert!(out.get_ref().is_empty()); // nothing has gone out yet
    out.flush().unwrap();
    assert_eq!(out.get_ref(), b"a question");
    // ANCHOR_END: flush
}

#[test]
fn owed() {
    // ANCHOR: owed
    // An HTTP response must start with a status line: a server that sent nothing owes us one,
    // and `None` becomes an error with `ok_or_else`.
    fn status_line(response: &str) -> io::Result<&str> {
        response
            .lines()
            .next()
            .ok_or_else(|| io::Error::new(io::ErrorKind::UnexpectedEof, "the server sent nothing"))
    }
    assert_eq!(
        status_line("HTTP/1.1 200 OK\r\n\r\n").unwrap(),
        "HTTP/1.1 200 OK"
    );
    assert_eq!(
        status_line("").unwrap_err().kind(),
        io::ErrorKind::UnexpectedEof
    );
    // ANCHOR_END: owed
}

#[test]
fn drip() {
    // ANCHOR: drip
    // A peer that sends "hello" a byte every 20 ms, to each of two clients.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let peer = thread::spawn(move || {
        for _ in 0..2 {
            let (mut conn, _) = listener.accept().unwrap();
            for byte in b"hello" {
                thread::sleep(Duration::from_millis(20));
                let _ = conn.write_all(&[*byte]); // the second client may be gone
            }
        }
    });
    // A timeout of one second on each read: every byte comes in time, so five bytes could
    // take five seconds, and a thousand bytes a thousand.
    let conn = TcpStream::connect_timeout(&addr, Duration::from_secs(1)).unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(1))).unwrap();
    let mut hello = [0; 5];
    (&conn).read_exact(&mut hello).unwrap();
    assert_eq!(&hello, b"hello");
    // One deadline for the whole read: 30 ms, and the drip needs 100.
    let conn = TcpStream::connect_timeout(&addr, Duration::from_secs(1)).unwrap();
    let mut timed = DeadlineStream::new(&conn, Instant::now() + Duration::from_millis(30));
    let err = timed.read_exact(&mut hello).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::TimedOut);
    drop(conn);
    peer.join().unwrap();
    // ANCHOR_END: drip
}

#[test]
fn one_error_changes_the_plan() {
    // ANCHOR: fallback
    // Only "not found" means "use the defaults"; any other error (no permission, not UTF-8)
    // is reported, not papered over.
    fn settings(path: &Path) -> io::Result<String> {
        match fs::read_to_string(path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok("defaults".to_string()),
            other => other,
        }
    }
    assert_eq!(
        settings(Path::new("/nonexistent/netlings.toml")).unwrap(),
        "defaults"
    );
    // ANCHOR_END: fallback
}
