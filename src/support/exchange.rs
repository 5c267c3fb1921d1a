//! What a client needs to bound its exchange with a server (chapters 6 and 7).
//!
//! A client talks to a program it does not control, and that program may send without end,
//! drip one byte a second, or reset the connection halfway. So a client bounds what it reads
//! (a limit in bytes, which it applies itself), how long the whole exchange takes (one deadline
//! for all of it: [`ByDeadline`]), and keeps what arrived when something cut the exchange short
//! ([`Received`]).

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::support::io::is_timeout;

/// What a client received: every byte that arrived, and the error that cut the exchange short,
/// if one did. A reset or a timeout halfway through leaves the bytes before it, and they are
/// often the best clue to what went wrong.
#[derive(Debug)]
pub struct Received {
    /// Every byte that arrived, in order.
    pub bytes: Vec<u8>,
    /// Why the exchange ended before the server's EOF, if it did.
    pub error: Option<io::Error>,
}

/// A `&TcpStream` whose reads and writes all give up at one instant: Go's
/// `conn.SetDeadline(t)`.
///
/// std's socket timeouts (`set_read_timeout`) are per call. A server that sends one byte just
/// before each timeout keeps `read_to_end` going for as long as it likes, every read well within
/// its time. Before each call, `ByDeadline` sets the socket's timeout to the time left, so the
/// whole exchange ends by the deadline, however many calls it takes. (Chapter 8 builds this
/// from the socket options up.) The socket keeps the last timeout set.
///
/// Past the deadline, a call fails with `TimedOut`, "the deadline passed".
///
/// ```
/// use std::io::{ErrorKind, Read};
/// use std::net::{TcpListener, TcpStream};
/// use std::time::{Duration, Instant};
/// use netlings::support::exchange::ByDeadline;
///
/// let listener = TcpListener::bind("127.0.0.1:0").unwrap();
/// let conn = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
/// let _silent = listener.accept().unwrap(); // accepts, and never says a word
/// let mut timed = ByDeadline::new(&conn, Instant::now() + Duration::from_millis(50));
/// let err = timed.read_to_end(&mut Vec::new()).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::TimedOut);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ByDeadline<'a> {
    conn: &'a TcpStream,
    deadline: Instant,
}

impl<'a> ByDeadline<'a> {
    /// `conn`, with every read and write giving up at `deadline`.
    pub fn new(conn: &'a TcpStream, deadline: Instant) -> Self {
        Self { conn, deadline }
    }

    /// The time until the deadline, or the error once it has passed. (A zero timeout is not
    /// "no time left" to std: `Some(Duration::ZERO)` is refused.)
    fn time_left(&self) -> io::Result<Duration> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(passed());
        }
        Ok(left)
    }
}

/// The error of a call that ran out of time: one kind on every system (an expired socket
/// timeout is `WouldBlock` on Unix, `TimedOut` on Windows).
fn passed() -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, "the deadline passed")
}

impl Read for ByDeadline<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.conn.set_read_timeout(Some(self.time_left()?))?;
        self.conn
            .read(buf)
            .map_err(|e| if is_timeout(&e) { passed() } else { e })
    }
}

impl Write for ByDeadline<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.conn.set_write_timeout(Some(self.time_left()?))?;
        self.conn
            .write(buf)
            .map_err(|e| if is_timeout(&e) { passed() } else { e })
    }

    fn flush(&mut self) -> io::Result<()> {
        // A `TcpStream` keeps nothing back: each `write` hands its bytes to the kernel.
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::net::TcpListener;
    use std::thread;

    use super::*;

    #[test]
    fn a_server_that_drips_is_cut_at_the_deadline_not_after_each_read() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let conn = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        let dripping = thread::spawn(move || {
            // One byte every 20 ms, for at most 3 s: each read waits far less than the deadline.
            for _ in 0..150 {
                if (&server).write_all(b".").is_err() {
                    return;
                }
                thread::sleep(Duration::from_millis(20));
            }
        });
        let started = Instant::now();
        let mut got = Vec::new();
        let err = ByDeadline::new(&conn, started + Duration::from_millis(200))
            .read_to_end(&mut got)
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        assert!(!got.is_empty(), "the bytes before the deadline are kept");
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "{:?}",
            started.elapsed()
        );
        drop(conn);
        dripping.join().unwrap();
    }

    #[test]
    fn a_deadline_in_the_past_fails_before_the_call() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let conn = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let mut late = ByDeadline::new(&conn, Instant::now() - Duration::from_millis(1));
        assert_eq!(
            late.write(b"x").map_err(|e| e.kind()),
            Err(io::ErrorKind::TimedOut)
        );
        assert_eq!(
            late.read(&mut [0; 4]).map_err(|e| e.kind()),
            Err(io::ErrorKind::TimedOut)
        );
    }
}
