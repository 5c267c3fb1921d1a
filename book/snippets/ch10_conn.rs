//! Snippets for chapter 10, compiled and run by `cargo test` (tests/book.rs).

use std::io::{self, Cursor, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::net::UnixStream;

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
