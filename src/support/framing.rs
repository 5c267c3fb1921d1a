//! Framing a byte stream into messages (chapter 13 on): the errors a codec reports, the width
//! of a length prefix, a server's limits, and a TCP stream whose every read and write ends by
//! one deadline.
//!
//! TCP delivers bytes, not messages: one `read` may return half a message, or the end of one
//! and the start of the next. A *codec* puts the boundaries back, with a delimiter (a line ends
//! at `\n`) or a length in front of each message (a *frame*). The codec is the part of a server
//! a stranger's bytes reach first, so every limit it enforces is a limit on what a stranger can
//! make the server do.

use std::error::Error;
use std::fmt;
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::support::io::is_timeout;

/// Why a message could not be read or written.
///
/// A reader that returns any of these has lost its place in the stream: the next byte is not
/// known to start a message, so the only safe thing left is to close the connection.
#[derive(Debug)]
pub enum FrameError {
    /// No `\n` within `limit` bytes (the limit counts the line's end too). The peer is sending a
    /// line no honest peer would, or no line at all.
    LineTooLong {
        /// The most bytes one line may take.
        limit: usize,
    },
    /// A length prefix announced `len` bytes, more than `limit`; or a message to send is longer
    /// than its prefix can say. Nothing of that size was allocated.
    FrameTooLong {
        /// The length announced (or the length of the message to send).
        len: u64,
        /// The most bytes one frame may hold.
        limit: usize,
    },
    /// The stream ended inside a message: after part of a line, a prefix or a body.
    Truncated,
    /// A line to send holds `\r` or `\n`: sent as is, the peer would see a line end there and
    /// read what follows as a message of its own (CRLF injection).
    LineBreak,
    /// The stream itself failed: a reset, a timeout, a deadline.
    Io(io::Error),
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameError::LineTooLong { limit } => {
                write!(f, "no end of line within the limit of {limit} bytes")
            }
            FrameError::FrameTooLong { len, limit } => {
                write!(f, "a frame of {len} bytes is over the limit of {limit}")
            }
            FrameError::Truncated => f.write_str("the stream ended in the middle of a message"),
            FrameError::LineBreak => f.write_str(
                "a line to send cannot hold \\r or \\n (the peer would see its end there)",
            ),
            FrameError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl Error for FrameError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            FrameError::Io(e) => Some(e),
            _ => None,
        }
    }
}

/// `?` on an `io::Result` inside a codec.
impl From<io::Error> for FrameError {
    fn from(e: io::Error) -> Self {
        FrameError::Io(e)
    }
}

/// `?` on a codec's result inside a function that returns `io::Result`: the stream errors come
/// back as they were, the codec's own as `InvalidData` (`UnexpectedEof` for [`Truncated`]).
///
/// [`Truncated`]: FrameError::Truncated
impl From<FrameError> for io::Error {
    fn from(e: FrameError) -> Self {
        match e {
            FrameError::Io(e) => e,
            FrameError::Truncated => io::Error::new(io::ErrorKind::UnexpectedEof, e),
            e => io::Error::new(io::ErrorKind::InvalidData, e),
        }
    }
}

/// How wide a frame's length prefix is. Either width is written big-endian, "network order":
/// the most significant byte first, so `00 00 01 02` is 258.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prefix {
    /// Two bytes, lengths up to 65 535: DNS over TCP (RFC 7766), chapter 14.
    U16,
    /// Four bytes, lengths up to 4 294 967 295: this chapter's `framing` program.
    U32,
}

impl Prefix {
    /// How many bytes the prefix takes: 2 or 4.
    ///
    /// ```
    /// use netlings::support::framing::Prefix;
    /// assert_eq!(Prefix::U16.width(), 2);
    /// assert_eq!(Prefix::U32.width(), 4);
    /// ```
    pub const fn width(self) -> usize {
        match self {
            Prefix::U16 => 2,
            Prefix::U32 => 4,
        }
    }

    /// The longest message the prefix can announce: 65 535 or 4 294 967 295 bytes.
    pub const fn max_len(self) -> usize {
        match self {
            Prefix::U16 => u16::MAX as usize,
            Prefix::U32 => u32::MAX as usize,
        }
    }
}

/// What one connection may cost a server of frames: memory (`max_frame`, one frame held at a
/// time), time (`deadline`), and a share of the server (`max_conns`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest frame accepted: with an echo, the most memory one connection holds.
    pub max_frame: usize,
    /// How long a connection may last from accept to close, however it spends the time.
    pub deadline: Duration,
    /// How many connections are served at once.
    pub max_conns: usize,
}

/// A TCP stream whose reads and writes all end by one instant: Go's `conn.SetDeadline(t)`.
///
/// A socket timeout (`set_read_timeout`) bounds one call, and a codec makes many calls for one
/// message: a peer sending a byte just before each timeout would hold a reader forever. This
/// sets the timeout before every call to the time left until `end`, so the time already spent
/// counts, and once `end` has passed every call fails with `TimedOut` ("the deadline passed").
/// It borrows the stream: `Read` and `Write` are implemented for `&TcpStream`, so one
/// connection can have a reader and a writer side at once.
///
/// ```no_run
/// use std::io::Read;
/// use std::net::TcpStream;
/// use std::time::{Duration, Instant};
/// use netlings::support::framing::DeadlineStream;
///
/// let conn = TcpStream::connect("127.0.0.1:7013")?;
/// let mut timed = DeadlineStream::new(&conn, Instant::now() + Duration::from_secs(5));
/// let mut greeting = [0; 16];
/// timed.read_exact(&mut greeting)?; // all 16 bytes within 5 s, however they trickle in
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct DeadlineStream<'a> {
    conn: &'a TcpStream,
    end: Instant,
}

impl<'a> DeadlineStream<'a> {
    /// `conn`, every call on which gives up at `end`.
    pub fn new(conn: &'a TcpStream, end: Instant) -> Self {
        Self { conn, end }
    }

    /// The instant every read and write ends by.
    pub fn end(&self) -> Instant {
        self.end
    }

    /// The time left, or the error every call returns once there is none.
    fn time_left(&self) -> io::Result<Duration> {
        let left = self.end.saturating_duration_since(Instant::now());
        // A zero timeout is refused by set_read_timeout (to the kernel it would mean "never").
        if left.is_zero() {
            return Err(deadline_passed());
        }
        Ok(left)
    }
}

fn deadline_passed() -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, "the deadline passed")
}

/// An expired socket timeout (`WouldBlock` on Unix) becomes the deadline's `TimedOut`.
fn expired(e: io::Error) -> io::Error {
    if is_timeout(&e) { deadline_passed() } else { e }
}

impl Read for DeadlineStream<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.conn.set_read_timeout(Some(self.time_left()?))?;
        let mut conn = self.conn;
        conn.read(buf).map_err(expired)
    }
}

impl Write for DeadlineStream<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.conn.set_write_timeout(Some(self.time_left()?))?;
        let mut conn = self.conn;
        conn.write(buf).map_err(expired)
    }

    fn flush(&mut self) -> io::Result<()> {
        let mut conn = self.conn;
        conn.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    fn pair() -> (TcpStream, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").expect("binding 127.0.0.1:0 works");
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        let client = TcpStream::connect_timeout(&addr, Duration::from_secs(5))
            .expect("connecting on loopback works");
        let (server, _) = listener.accept().expect("accepting on loopback works");
        (client, server)
    }

    #[test]
    fn errors_read_as_sentences() {
        let cases = [
            (
                FrameError::LineTooLong { limit: 80 },
                "no end of line within the limit of 80 bytes",
            ),
            (
                FrameError::FrameTooLong {
                    len: 4_294_967_295,
                    limit: 1024,
                },
                "a frame of 4294967295 bytes is over the limit of 1024",
            ),
            (
                FrameError::Truncated,
                "the stream ended in the middle of a message",
            ),
            (
                FrameError::LineBreak,
                "a line to send cannot hold \\r or \\n (the peer would see its end there)",
            ),
            (FrameError::Io(io::ErrorKind::TimedOut.into()), "timed out"),
        ];
        for (error, text) in cases {
            assert_eq!(error.to_string(), text, "{error:?}");
        }
    }

    #[test]
    fn frame_errors_become_io_errors_of_the_right_kind() {
        let kind = |e: FrameError| io::Error::from(e).kind();
        assert_eq!(kind(FrameError::Truncated), io::ErrorKind::UnexpectedEof);
        assert_eq!(kind(FrameError::LineBreak), io::ErrorKind::InvalidData);
        assert_eq!(
            kind(FrameError::Io(io::ErrorKind::ConnectionReset.into())),
            io::ErrorKind::ConnectionReset
        );
        let e = io::Error::from(FrameError::FrameTooLong { len: 9, limit: 8 });
        assert_eq!(e.to_string(), "a frame of 9 bytes is over the limit of 8");
    }

    #[test]
    fn prefixes_know_their_width_and_largest_length() {
        assert_eq!((Prefix::U16.width(), Prefix::U16.max_len()), (2, 65_535));
        assert_eq!(
            (Prefix::U32.width(), Prefix::U32.max_len()),
            (4, 4_294_967_295)
        );
    }

    #[test]
    fn a_deadline_ends_a_read_that_a_silent_peer_would_hold_forever() {
        let (client, _server) = pair();
        let started = Instant::now();
        let mut timed = DeadlineStream::new(&client, started + Duration::from_millis(200));
        let err = timed.read(&mut [0; 8]).expect_err("the peer sends nothing");
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        assert_eq!(err.to_string(), "the deadline passed");
        let took = started.elapsed();
        assert!(
            (Duration::from_millis(150)..Duration::from_secs(3)).contains(&took),
            "{took:?}"
        );
    }

    #[test]
    fn time_spent_on_earlier_reads_counts() {
        let (client, server) = pair();
        (&server)
            .write_all(b"ab")
            .expect("writing on loopback works");
        let end = Instant::now() + Duration::from_millis(300);
        let mut timed = DeadlineStream::new(&client, end);
        let mut two = [0; 2];
        timed.read_exact(&mut two).expect("two bytes are there");
        assert_eq!(&two, b"ab");
        let err = timed.read(&mut [0; 8]).expect_err("nothing more comes");
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        assert!(Instant::now() >= end);
        assert!(Instant::now() < end + Duration::from_secs(3));
    }

    #[test]
    fn a_passed_deadline_fails_every_call_at_once() {
        let (client, server) = pair();
        (&server)
            .write_all(b"data")
            .expect("writing on loopback works");
        let mut timed = DeadlineStream::new(&client, Instant::now());
        assert_eq!(timed.end(), timed.end);
        let read = timed
            .read(&mut [0; 8])
            .expect_err("the deadline has passed");
        assert_eq!(read.kind(), io::ErrorKind::TimedOut);
        let write = timed.write(b"x").expect_err("the deadline has passed");
        assert_eq!(write.kind(), io::ErrorKind::TimedOut);
    }

    #[test]
    fn a_deadline_ends_a_write_to_a_peer_that_never_reads() {
        let (client, _server) = pair();
        let started = Instant::now();
        let mut timed = DeadlineStream::new(&client, started + Duration::from_millis(300));
        let chunk = vec![0u8; 1 << 20];
        let err = loop {
            if let Err(e) = timed.write_all(&chunk) {
                break e;
            }
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "writes never blocked"
            );
        };
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        assert!(started.elapsed() < Duration::from_secs(3));
    }
}
