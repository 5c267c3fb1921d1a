//! Snippets for chapter 10, compiled and run by `cargo test` (tests/book.rs).

use std::io::{self, Cursor, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::net::UnixStream;
use std::thread;

use netlings::support::accept::AcceptBackoff;

// ANCHOR: generic
/// Generic: the compiler writes one copy of this function per stream type it is used with.
fn greet<S: Read + Write>(stream: &mut S) -> io::Result<String> {
    stream.write_all(b"hello\n")?;
    let mut answer = [0; 5];
    stream.read_exact(&mut answer)?;
    Ok(String::from_utf8_lossy(&answer).into_owned())
}
// ANCHOR_END: generic

// ANCHOR: dyn_stream
/// A trait object needs one trait: `dyn Read + Write` is not allowed (only one non-auto trait),
/// so name the pair and implement it for everything that has both.
trait Stream: Read + Write {}
impl<T: Read + Write> Stream for T {}

/// Dynamic: one copy of the function, a vtable call per read or write, any type at run time.
fn open(kind: &str, tcp: TcpStream, unix: UnixStream) -> Box<dyn Stream> {
    match kind {
        "tcp" => Box::new(tcp),
        _ => Box::new(unix),
    }
}
// ANCHOR_END: dyn_stream

#[test]
fn generic() {
    // ANCHOR: generic_use
    // The same function over a Unix socket pair...
    let (mut a, mut b) = UnixStream::pair().unwrap();
    b.write_all(b"world").unwrap();
    assert_eq!(greet(&mut a).unwrap(), "world");

    // ...and over an in-memory buffer, a test double for free: the greeting overwrites the
    // six dashes, then the "reply" is read from what follows.
    let mut fake = Cursor::new(b"------mocks".to_vec());
    assert_eq!(greet(&mut fake).unwrap(), "mocks");
    // ANCHOR_END: generic_use
}

#[test]
fn dynamic() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let tcp = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (mut peer, _) = listener.accept().unwrap();
    let (unix, _other) = UnixStream::pair().unwrap();
    // ANCHOR: dyn_use
    let mut stream: Box<dyn Stream> = open("tcp", tcp, unix);
    stream.write_all(b"boxed").unwrap();
    // ANCHOR_END: dyn_use
    let mut got = [0; 5];
    peer.read_exact(&mut got).unwrap();
    assert_eq!(&got, b"boxed");
}

#[test]
fn closed_names() {
    // ANCHOR: closed_names
    /// HTTP methods a tiny server knows: a closed list of names, spelled exactly.
    #[derive(Debug, PartialEq)]
    enum Method {
        Get,
        Head,
    }

    fn parse_method(name: &str) -> Option<Method> {
        match name {
            "GET" => Some(Method::Get),
            "HEAD" => Some(Method::Head),
            _ => None, // "get", "POST", "": the caller decides what to say
        }
    }

    assert_eq!(parse_method("HEAD"), Some(Method::Head));
    assert_eq!(parse_method("head"), None);
    // ANCHOR_END: closed_names
}

#[test]
fn resolving() {
    // ANCHOR: resolving
    use std::net::{SocketAddr, ToSocketAddrs};

    // `to_socket_addrs` resolves "host:port" into every address the name stands for...
    let all: Vec<SocketAddr> = "localhost:80".to_socket_addrs().unwrap().collect();
    assert!(all.iter().any(|a| a.ip().is_loopback()));

    // ...and an iterator adapter keeps the ones you can use.
    let v4: Vec<SocketAddr> = all.into_iter().filter(SocketAddr::is_ipv4).collect();
    assert!(v4.iter().all(|a| a.port() == 80));

    // Without a port, std only says the text is not a socket address.
    let err = "localhost".to_socket_addrs().unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    // ANCHOR_END: resolving
}

#[test]
fn wrap_once() {
    // ANCHOR: wrap_once
    use std::num::ParseFloatError;

    #[derive(Debug, PartialEq)]
    enum Reading {
        Celsius(f64),
        Fahrenheit(f64),
    }

    /// "21.5C" or "70F". Each arm is a `Result<Reading, _>`: a variant is a function, so
    /// `.map(Reading::Celsius)` wraps the number; the error gets its context once, at the end.
    fn parse_reading(text: &str) -> Result<Reading, String> {
        let reading: Result<Reading, ParseFloatError> = match text.chars().last() {
            Some('C') => text[..text.len() - 1].parse().map(Reading::Celsius),
            Some('F') => text[..text.len() - 1].parse().map(Reading::Fahrenheit),
            _ => return Err(format!("{text}: no unit")),
        };
        reading.map_err(|e| format!("reading {text}: {e}"))
    }

    assert_eq!(parse_reading("70F"), Ok(Reading::Fahrenheit(70.0)));
    assert_eq!(
        parse_reading("warmC"),
        Err("reading warmC: invalid float literal".to_string())
    );
    // ANCHOR_END: wrap_once
}

#[test]
fn pieces() {
    // ANCHOR: pieces
    // A reader that delivers its bytes in two pieces, as a socket may.
    let mut stream = (&b"hel"[..]).chain(&b"lo"[..]);
    let mut buf = [0; 5];
    assert_eq!(stream.read(&mut buf).unwrap(), 3); // one read: only what is there yet

    // `read_exact` loops for you, but when the stream ends first it fails, and what it had
    // read is lost to the caller.
    let mut short = &b"hel"[..];
    let err = short.read_exact(&mut buf).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
    // ANCHOR_END: pieces
}

#[test]
fn spawn_error() {
    // ANCHOR: spawn_error
    // `thread::spawn` panics when no thread can be started (the process is out of memory or
    // of tasks). `thread::Builder::spawn` returns that error, and drops the closure it could
    // not run, with everything the closure owned: a connection moved into it is closed.
    let job = String::from("owned by the thread");
    match thread::Builder::new()
        .name("worker".into())
        .spawn(move || job.len())
    {
        Ok(worker) => assert_eq!(worker.join().unwrap(), 19),
        Err(e) => {
            // Log it (to a writer: `eprintln!` panics if stderr is gone) and go on.
            let _ = writeln!(io::stderr(), "no thread for this job: {e}");
        }
    }
    // ANCHOR_END: spawn_error
}

#[test]
fn backoff() {
    // ANCHOR: backoff
    // A pretend `accept` that fails as a process out of file descriptors does (EMFILE), three
    // times, and then works: what happens once a connection closes somewhere.
    let mut short = 3;
    let mut accept = || match short {
        0 => Ok("a client"),
        _ => {
            short -= 1;
            Err(io::Error::from_raw_os_error(libc::EMFILE))
        }
    };
    let mut backoff = AcceptBackoff::new();
    let mut log = Vec::new();
    let client = loop {
        match accept() {
            Ok(client) => {
                log.extend(backoff.accepted()); // the end of a burst, if there was one
                break client;
            }
            Err(e) => {
                let retry = backoff.failed(&e);
                log.extend(retry.log); // the first failure of a burst only
                thread::sleep(retry.wait); // 5 ms, then 10, 20... up to 1 s
            }
        }
    };
    assert_eq!(client, "a client");
    assert_eq!(
        log.len(),
        2,
        "one line when it began, one when it ended: {log:?}"
    );
    // ANCHOR_END: backoff
}
