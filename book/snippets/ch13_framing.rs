//! Snippets for chapter 13, compiled and run by `cargo test` (tests/book.rs).

use std::io::{self, BufRead, BufReader, Read};

#[test]
fn one_read() {
    // ANCHOR: one_read
    // A stream that received "hello\n" in two TCP segments, as a slow link may deliver it.
    let mut conn = (&b"hel"[..]).chain(&b"lo\n"[..]);
    let mut buf = [0u8; 512];
    let n = conn.read(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"hel"); // what has arrived, not what was sent

    // And the other way round: two messages sent apart can arrive in one read.
    let mut conn = &b"PING\nPING\n"[..];
    let n = conn.read(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"PING\nPING\n");
    // ANCHOR_END: one_read
}

#[test]
fn read_ahead() {
    // ANCHOR: read_ahead
    // `find -print0` ends each file name with a NUL byte instead of a newline.
    let names = &b"notes.txt\0my file.txt\0"[..];
    let mut reader = BufReader::new(names);
    let mut name = Vec::new();
    reader.read_until(b'\0', &mut name).unwrap();
    assert_eq!(name, b"notes.txt\0");
    // The BufReader read ahead; the second name waits in its buffer, not lost.
    assert_eq!(reader.buffer(), b"my file.txt\0");
    // ANCHOR_END: read_ahead
}

#[test]
fn take() {
    // ANCHOR: take
    // `take(n)` is a reader that ends after n bytes; on a `BufRead` it is a `BufRead` too.
    // `by_ref` borrows the reader, so it can be used again afterwards.
    let mut reader = BufReader::new(&b"0123456789"[..]);
    let mut first = String::new();
    reader.by_ref().take(4).read_to_string(&mut first).unwrap();
    assert_eq!(first, "0123");
    let mut rest = String::new();
    reader.read_to_string(&mut rest).unwrap();
    assert_eq!(rest, "456789");
    // ANCHOR_END: take
}

#[test]
fn network_order() {
    // ANCHOR: network_order
    // Go's binary.BigEndian.PutUint16(b, 443) and binary.BigEndian.Uint16(b):
    assert_eq!(443u16.to_be_bytes(), [0x01, 0xbb]); // most significant byte first
    assert_eq!(u16::from_be_bytes([0x01, 0xbb]), 443);
    // The same number in a wider type has more leading zeros: the last two bytes agree.
    assert_eq!(443u64.to_be_bytes(), [0, 0, 0, 0, 0, 0, 0x01, 0xbb]);
    // Little-endian is how x86 and ARM keep it in memory; the wire wants big-endian.
    assert_eq!(443u16.to_le_bytes(), [0xbb, 0x01]);
    // `as` keeps the low bits without a word: a length of 70 000 does not fit a u16.
    assert_eq!(70_000u32 as u16, 4464);
    assert!(u16::try_from(70_000u32).is_err());
    // ANCHOR_END: network_order
}

#[test]
fn read_exact() {
    // ANCHOR: read_exact
    // Go's io.ReadFull says io.EOF when nothing was read, io.ErrUnexpectedEOF after a part.
    // std's read_exact says UnexpectedEof for both, and how much it read is not reported.
    let mut header = [0u8; 4];
    let nothing = (&b""[..]).read_exact(&mut header).unwrap_err();
    let part = (&b"\x00\x00"[..]).read_exact(&mut header).unwrap_err();
    assert_eq!(nothing.kind(), io::ErrorKind::UnexpectedEof);
    assert_eq!(part.kind(), io::ErrorKind::UnexpectedEof);
    // ANCHOR_END: read_exact
}

#[test]
fn deadline() {
    use netlings::support::framing::DeadlineStream;
    use std::net::{TcpListener, TcpStream};
    use std::time::{Duration, Instant};

    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let conn = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (peer, _) = listener.accept().unwrap();
    std::io::Write::write_all(&mut &peer, b"220 ready\r\n").unwrap();
    // ANCHOR: deadline
    // A greeting must arrive whole within 500 ms, however it is cut: one instant for all reads.
    let end = Instant::now() + Duration::from_millis(500);
    let mut greeting = BufReader::new(DeadlineStream::new(&conn, end));
    let mut line = String::new();
    greeting.read_line(&mut line).unwrap();
    assert_eq!(line, "220 ready\r\n");
    // The peer says nothing more: the next read fails when the instant passes.
    let err = greeting.read_line(&mut line).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::TimedOut);
    assert!(Instant::now() >= end);
    // ANCHOR_END: deadline
}

#[test]
fn scope() {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::thread;

    // ANCHOR: scope
    // Scoped threads may borrow what lives outside the scope: no Arc, no 'static. The scope
    // returns when every thread spawned in it has ended.
    let words = ["tcp", "udp", "icmp", "dns"];
    let long = AtomicUsize::new(0);
    let log = Mutex::new(Vec::new());
    thread::scope(|scope| {
        for word in words {
            let (long, log) = (&long, &log);
            scope.spawn(move || {
                if word.len() > 3 {
                    long.fetch_add(1, Ordering::SeqCst);
                    log.lock().unwrap().push(format!("{word} is long"));
                }
            });
        }
    });
    assert_eq!(long.into_inner(), 1);
    assert_eq!(log.into_inner().unwrap(), ["icmp is long"]);
    // ANCHOR_END: scope
}
