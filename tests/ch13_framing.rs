//! Grading tests for chapter 13, framing and partial I/O: one module per step, in course order.
//! `cargo test --test ch13_framing` runs them against `exercises/ch13_framing/`, and with
//! `--features solutions` against `solutions/ch13_framing/`.
//!
//! The codecs are read through a `Trickle` (`netlings::fixtures::trickle`), a stream that moves
//! one byte, or a few bytes cut at random, per call: what a real network may do and loopback
//! almost never does. Hostile input is measured with a counting allocator: a codec must refuse
//! a 4 GiB length prefix, not allocate it.

use netlings::fixtures::alloc::CountingAlloc;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

// BEGIN STEPS
// The steps under test: `exercises/ch13_framing/`, or `solutions/ch13_framing/` with `--features solutions`.
// Generated from the catalog by `cargo dev update`. A step's `main` and the helpers its tests do
// not call are unused here, hence `allow(dead_code)`.
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch13_framing/1_delimited.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ch13_framing/1_delimited.rs"
)]
#[allow(dead_code)]
pub mod step1_delimited;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch13_framing/2_frames.rs"
)]
#[cfg_attr(feature = "solutions", path = "../solutions/ch13_framing/2_frames.rs")]
#[allow(dead_code)]
pub mod step2_frames;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch13_framing/3_framing.rs"
)]
#[cfg_attr(feature = "solutions", path = "../solutions/ch13_framing/3_framing.rs")]
#[allow(dead_code)]
pub mod step3_framing;
mod steps {
    pub use super::step1_delimited as delimited;
    pub use super::step2_frames as frames;
    pub use super::step3_framing as framing;
}
// END STEPS

/// What the steps' tests share: outcomes that print well, and the rules every codec obeys.
mod common {
    use std::fmt;

    use netlings::fixtures::alloc::largest_allocation;
    use netlings::support::framing::FrameError;

    /// Bytes shown as a byte string literal: `b"hi\r\n"`.
    #[derive(Clone, PartialEq, Eq)]
    pub struct Bytes(pub Vec<u8>);

    impl fmt::Debug for Bytes {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "b\"{}\"", self.0.escape_ascii())
        }
    }

    /// One reader call's result, comparable and printable: the message, or the error's text.
    pub type Outcome = Result<Option<Bytes>, String>;

    pub fn outcome(result: Result<Option<Vec<u8>>, FrameError>) -> Outcome {
        result.map(|m| m.map(Bytes)).map_err(|e| e.to_string())
    }

    /// Every message `read` (one call of a reader) gives from a stream of `len` bytes, until
    /// `None` or an error (and no more than `len + 2` calls, in case it never says `None`), and
    /// the largest allocation one call made.
    pub fn read_all(
        len: usize,
        mut read: impl FnMut() -> Result<Option<Vec<u8>>, FrameError>,
    ) -> (Vec<Outcome>, usize) {
        let mut got = Vec::new();
        let mut largest = 0;
        for _ in 0..len + 2 {
            let (result, bytes) = largest_allocation(&mut read);
            largest = largest.max(bytes);
            let result = outcome(result);
            let done = !matches!(result, Ok(Some(_)));
            got.push(result);
            if done {
                break;
            }
        }
        (got, largest)
    }

    /// The largest allocation a reader may make for messages of at most `limit` bytes: room
    /// for the message, a `Vec` that doubled once, and small change.
    pub fn allocation_bound(limit: usize) -> usize {
        2 * limit + 4096
    }

    /// Bytes in hex, `00 00 01 02`, for messages about prefixes.
    pub fn hex(bytes: &[u8]) -> String {
        bytes
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

mod delimited {
    use std::io::{self, BufReader, Cursor, Read, Write};

    use insta::assert_snapshot;
    use netlings::fixtures::alloc::largest_allocation;
    use netlings::fixtures::trickle::Trickle;
    use netlings::harness::{DEADLINE, Rng, Table, expect_eq, within};
    use netlings::support::framing::FrameError;

    use crate::common::{Bytes, Outcome, allocation_bound, outcome, read_all};
    use crate::steps::delimited;

    const EXERCISE: &str = "delimited";

    /// Every line `read_line` gives from `reader`, which holds `len` bytes, until `None` or an
    /// error (and no more than `len + 2` calls, in case it never says `None`), and the largest
    /// allocation one call made.
    fn all_lines(reader: &mut impl io::BufRead, len: usize, limit: usize) -> (Vec<Outcome>, usize) {
        read_all(len, || delimited::read_line(reader, limit))
    }

    /// The lines of `input` by the contract: what `read_line` must give, call after call.
    fn model(input: &[u8], limit: usize) -> Vec<Outcome> {
        let mut got = Vec::new();
        let mut at = 0;
        loop {
            let rest = &input[at..];
            if rest.is_empty() {
                got.push(Ok(None));
                return got;
            }
            let window = &rest[..rest.len().min(limit)];
            let Some(end) = window.iter().position(|&b| b == b'\n') else {
                let error = if rest.len() >= limit {
                    FrameError::LineTooLong { limit }
                } else {
                    FrameError::Truncated
                };
                got.push(Err(error.to_string()));
                return got;
            };
            let mut line = &rest[..end];
            if line.last() == Some(&b'\r') {
                line = &line[..line.len() - 1];
            }
            got.push(Ok(Some(Bytes(line.to_vec()))));
            at += end + 1;
        }
    }

    #[test]
    fn read_line_returns_a_line_without_its_end() {
        let got = within(EXERCISE, "read_line on \"hello\\n\"", DEADLINE, || {
            outcome(delimited::read_line(
                &mut Cursor::new(b"hello\n".to_vec()),
                80,
            ))
        });
        expect_eq(
            "read_line(\"hello\\n\", limit 80)",
            got,
            Ok(Some(Bytes(b"hello".to_vec()))),
        );
    }

    #[test]
    fn read_line_drops_the_carriage_return_of_a_crlf_line_only() {
        let got = within(EXERCISE, "read_line on CRLF lines", DEADLINE, || {
            let mut reader = Cursor::new(b"HELO example.com\r\na\rb\n".to_vec());
            [
                outcome(delimited::read_line(&mut reader, 80)),
                outcome(delimited::read_line(&mut reader, 80)),
            ]
        });
        expect_eq(
            "read_line(\"HELO example.com\\r\\n\", limit 80): a \\r just before the \\n goes",
            got[0].clone(),
            Ok(Some(Bytes(b"HELO example.com".to_vec()))),
        );
        expect_eq(
            "read_line(\"a\\rb\\n\", limit 80): a \\r inside the line stays",
            got[1].clone(),
            Ok(Some(Bytes(b"a\rb".to_vec()))),
        );
    }

    #[test]
    fn read_line_leaves_the_next_line_in_the_reader() {
        let got = within(EXERCISE, "read_line three times", DEADLINE, || {
            // A buffer of 4 bytes over a stream of one byte a read: no line arrives whole.
            let mut reader = BufReader::with_capacity(4, Trickle::new(b"one\ntwo\n".to_vec()));
            all_lines(&mut reader, 8, 80).0
        });
        expect_eq(
            "read_line, called until None, on \"one\\ntwo\\n\" arriving one byte a read",
            got,
            vec![
                Ok(Some(Bytes(b"one".to_vec()))),
                Ok(Some(Bytes(b"two".to_vec()))),
                Ok(None),
            ],
        );
    }

    #[test]
    fn read_line_follows_its_contract_on_each_kind_of_input() {
        let inputs: &[&[u8]] = &[
            b"",
            b"\n",
            b"\r\n",
            b"abc\n",
            b"abc\ndef\n",
            b"abc\n\n",
            b"abcdefg\n",
            b"abcdef\r\n",
            b"abcdefgh\n",
            b"abcdefgh",
            b"abcdefg",
            b"abc\ndef",
            b"abc\r",
            b"a\r\r\n",
            b"\x00\xff\n",
        ];
        let mut table = Table::new();
        for input in inputs {
            let input = input.to_vec();
            let len = input.len();
            table.row(
                format!("read_line until None ({:?}, limit 8)", Bytes(input.clone())),
                || {
                    let mut reader = BufReader::with_capacity(3, Trickle::new(input));
                    all_lines(&mut reader, len, 8).0
                },
            );
        }
        assert_snapshot!(table);
    }

    #[test]
    fn read_line_stops_at_the_limit_on_a_line_without_end() {
        let (got, largest) = within(
            EXERCISE,
            "read_line on 16 MiB without \\n",
            DEADLINE,
            || {
                // 16 MiB of `x` and no `\n`: a peer that never ends its line.
                let mut endless = BufReader::new(io::repeat(b'x').take(16 << 20));
                let (result, largest) =
                    largest_allocation(|| delimited::read_line(&mut endless, 1024));
                (outcome(result), largest)
            },
        );
        expect_eq(
            "read_line(16 MiB of `x` without \\n, limit 1024)",
            got,
            Err(FrameError::LineTooLong { limit: 1024 }.to_string()),
        );
        assert!(
            largest <= allocation_bound(1024),
            "read_line with a limit of 1024 bytes allocated {largest} bytes at once for a line \
             without end: stop reading at the limit (`take`), do not read first and check after"
        );
    }

    #[test]
    fn lines_cut_at_random_points_arrive_whole() {
        let mut rng = Rng::new(13);
        for round in 0..200 {
            let count = rng.below(6) as usize;
            let mut input = Vec::new();
            for _ in 0..count {
                let line = rng.string("abc xyz0123456789\t", 30);
                input.extend_from_slice(line.as_bytes());
                input.extend_from_slice(if rng.below(2) == 0 { b"\n" } else { b"\r\n" });
            }
            let expected = model(&input, 64);
            let (len, seed) = (input.len(), rng.next_u64());
            let shown = Bytes(input.clone());
            let got = within(
                EXERCISE,
                "read_line on lines cut at random",
                DEADLINE,
                move || {
                    let capacity = 1 + (seed % 16) as usize;
                    let mut reader =
                        BufReader::with_capacity(capacity, Trickle::random(input, seed, 7));
                    all_lines(&mut reader, len, 64).0
                },
            );
            expect_eq(
                format!("read_line until None (round {round}, {shown:?} cut at random, limit 64)"),
                got,
                expected,
            );
        }
    }

    #[test]
    fn read_line_gives_an_error_never_a_panic_on_garbage() {
        let mut rng = Rng::new(14);
        for round in 0..500 {
            let len = rng.below(48) as usize;
            let input: Vec<u8> = (0..len)
                .map(|_| b"ab\r\n\x00\xff"[rng.below(6) as usize])
                .collect();
            let limit = 1 + rng.below(12) as usize;
            let expected = model(&input, limit);
            let shown = Bytes(input.clone());
            let (got, largest) = within(EXERCISE, "read_line on garbage", DEADLINE, move || {
                let mut reader = BufReader::with_capacity(5, Trickle::new(input));
                all_lines(&mut reader, len, limit)
            });
            expect_eq(
                format!("read_line until None (round {round}, {shown:?}, limit {limit})"),
                got,
                expected,
            );
            assert!(
                largest <= allocation_bound(limit),
                "read_line allocated {largest} bytes at once with a limit of {limit} (round {round})"
            );
        }
    }

    /// A writer that takes everything and notes the size of each call.
    #[derive(Default)]
    struct Calls {
        sizes: Vec<usize>,
        written: Vec<u8>,
    }

    impl Write for Calls {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.sizes.push(buf.len());
            self.written.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn write_line_writes_the_line_and_its_end() {
        let (result, written) = within(EXERCISE, "write_line(\"hello\")", DEADLINE, || {
            let mut out = Vec::new();
            let result = delimited::write_line(&mut out, b"hello").map_err(|e| e.to_string());
            (result, out)
        });
        expect_eq("write_line(\"hello\")", result, Ok(()));
        expect_eq(
            "what write_line(\"hello\") wrote",
            Bytes(written),
            Bytes(b"hello\n".to_vec()),
        );
    }

    #[test]
    fn write_line_writes_everything_through_one_byte_writes() {
        let (result, written) = within(EXERCISE, "write_line on one-byte writes", DEADLINE, || {
            let mut stream = Trickle::new(Vec::new());
            let result = delimited::write_line(&mut stream, b"QUIT now").map_err(|e| e.to_string());
            (result, stream.into_written())
        });
        expect_eq("write_line(\"QUIT now\")", result, Ok(()));
        expect_eq(
            "what write_line(\"QUIT now\") wrote to a stream taking one byte a write (`write` \
             may take part of the buffer and says how much: `write_all` loops)",
            Bytes(written),
            Bytes(b"QUIT now\n".to_vec()),
        );
    }

    #[test]
    fn write_line_hands_the_line_and_its_end_to_one_write() {
        let sizes = within(EXERCISE, "write_line(\"ping\")", DEADLINE, || {
            let mut out = Calls::default();
            delimited::write_line(&mut out, b"ping").map_err(|e| e.to_string())?;
            expect_eq(
                "what write_line(\"ping\") wrote",
                Bytes(out.written),
                Bytes(b"ping\n".to_vec()),
            );
            Ok::<_, String>(out.sizes)
        });
        expect_eq(
            "the sizes of write_line(\"ping\")'s calls to `write` (one buffer, one `write_all`: \
             the \\n written apart can wait for the peer's delayed ACK)",
            sizes,
            Ok(vec![5]),
        );
    }

    #[test]
    fn write_line_refuses_line_breaks_and_writes_nothing() {
        for line in [&b"a\nb"[..], b"a\r", b"\r\n", b"\n", b"USER x\r\nDELE 1"] {
            let shown = Bytes(line.to_vec());
            let (result, written) = within(
                EXERCISE,
                "write_line with a line break",
                DEADLINE,
                move || {
                    let mut out = Vec::new();
                    let result = delimited::write_line(&mut out, line).map_err(|e| e.to_string());
                    (result, out)
                },
            );
            expect_eq(
                format!("write_line({shown:?})"),
                result,
                Err(FrameError::LineBreak.to_string()),
            );
            expect_eq(
                format!("what write_line({shown:?}) wrote before refusing"),
                Bytes(written),
                Bytes(Vec::new()),
            );
        }
    }

    #[test]
    fn lines_round_trip_through_a_stream_that_cuts_them_at_random() {
        let mut rng = Rng::new(15);
        for round in 0..200 {
            let sent: Vec<String> = (0..rng.below(5) + 1)
                .map(|_| rng.string("abcdefgh ijk\t:0123456789", 40))
                .collect();
            let seed = rng.next_u64();
            let expected: Vec<Outcome> = sent
                .iter()
                .map(|l| Ok(Some(Bytes(l.clone().into_bytes()))))
                .chain([Ok(None)])
                .collect();
            let lines_sent = sent.clone();
            let got = within(EXERCISE, "write_line then read_line", DEADLINE, move || {
                let mut wire = Trickle::random(Vec::new(), seed, 7);
                for line in &lines_sent {
                    delimited::write_line(&mut wire, line.as_bytes())
                        .unwrap_or_else(|e| panic!("write_line({line:?}): {e}"));
                }
                let written = wire.into_written();
                let len = written.len();
                let mut reader = BufReader::with_capacity(8, Trickle::random(written, seed, 7));
                all_lines(&mut reader, len, 64).0
            });
            expect_eq(
                format!("read_line until None after write_line of {sent:?} (round {round})"),
                got,
                expected,
            );
        }
    }
}

mod frames {
    use std::io::{self, Cursor, Read, Write};

    use insta::assert_snapshot;
    use netlings::fixtures::alloc::largest_allocation;
    use netlings::fixtures::trickle::Trickle;
    use netlings::harness::{DEADLINE, Rng, Table, expect_eq, pattern, within};
    use netlings::support::framing::{FrameError, Prefix};

    use crate::common::{Bytes, Outcome, allocation_bound, hex, outcome, read_all};
    use crate::steps::frames;

    const EXERCISE: &str = "frames";

    /// `message` framed with a `width`-byte length, written here without the code under test.
    fn framed(width: usize, message: &[u8]) -> Vec<u8> {
        let len = (message.len() as u64).to_be_bytes();
        let mut frame = len[8 - width..].to_vec();
        frame.extend_from_slice(message);
        frame
    }

    /// Every frame `read_frame` gives from `reader`, which holds `len` bytes, until `None` or
    /// an error (and no more than `len + 2` calls), and the largest allocation one call made.
    fn all_frames(
        reader: &mut impl Read,
        len: usize,
        prefix: Prefix,
        limit: usize,
    ) -> (Vec<Outcome>, usize) {
        read_all(len, || frames::read_frame(reader, prefix, limit))
    }

    /// The frames of `input` by the contract: what `read_frame` must give, call after call.
    fn model(input: &[u8], width: usize, limit: usize) -> Vec<Outcome> {
        let mut got = Vec::new();
        let mut rest = input;
        loop {
            if rest.is_empty() {
                got.push(Ok(None));
                return got;
            }
            if rest.len() < width {
                got.push(Err(FrameError::Truncated.to_string()));
                return got;
            }
            let len = rest[..width]
                .iter()
                .fold(0u64, |n, &b| n << 8 | u64::from(b));
            if len > limit as u64 {
                got.push(Err(FrameError::FrameTooLong { len, limit }.to_string()));
                return got;
            }
            let body = &rest[width..];
            if (body.len() as u64) < len {
                got.push(Err(FrameError::Truncated.to_string()));
                return got;
            }
            got.push(Ok(Some(Bytes(body[..len as usize].to_vec()))));
            rest = &body[len as usize..];
        }
    }

    #[test]
    fn read_full_fills_the_buffer_from_one_byte_reads() {
        let (got, buf, consumed) = within(EXERCISE, "read_full of 5 bytes", DEADLINE, || {
            let mut stream = Trickle::new(b"hello world".to_vec());
            let mut buf = [0u8; 5];
            let got = frames::read_full(&mut stream, &mut buf).map_err(|e| e.to_string());
            (got, buf, stream.consumed())
        });
        expect_eq(
            "read_full(\"hello world\" one byte a read, buffer of 5)",
            got,
            Ok(5),
        );
        expect_eq(
            "the buffer after read_full (one `read` returns what has arrived: call it again)",
            Bytes(buf.to_vec()),
            Bytes(b"hello".to_vec()),
        );
        expect_eq(
            "bytes read from the stream by read_full with a buffer of 5 (never read past it)",
            consumed,
            5,
        );
    }

    #[test]
    fn read_full_returns_a_short_count_at_the_end_of_the_stream() {
        let got = within(
            EXERCISE,
            "read_full at the end of the stream",
            DEADLINE,
            || {
                let mut buf = [0u8; 8];
                let three = frames::read_full(&mut Trickle::new(b"abc".to_vec()), &mut buf)
                    .map_err(|e| e.to_string());
                let start = buf;
                let none = frames::read_full(&mut Trickle::new(Vec::new()), &mut buf)
                    .map_err(|e| e.to_string());
                (three, start, none)
            },
        );
        expect_eq("read_full(\"abc\", buffer of 8)", got.0, Ok(3));
        expect_eq(
            "the buffer after read_full(\"abc\")",
            Bytes(got.1[..3].to_vec()),
            Bytes(b"abc".to_vec()),
        );
        expect_eq("read_full(empty stream, buffer of 8)", got.2, Ok(0));
    }

    #[test]
    fn read_full_calls_again_after_an_interruption() {
        let got = within(EXERCISE, "read_full with interruptions", DEADLINE, || {
            let mut stream = Trickle::new(b"interrupted".to_vec()).interrupting(3);
            let mut buf = [0u8; 11];
            let got = frames::read_full(&mut stream, &mut buf).map_err(|e| e.to_string());
            (got, buf)
        });
        expect_eq(
            "read_full on a stream where every third call fails with Interrupted (a signal: \
             nothing happened, call again)",
            (got.0, Bytes(got.1.to_vec())),
            (Ok(11), Bytes(b"interrupted".to_vec())),
        );
    }

    /// Two bytes, then a reset.
    struct Resets(usize);

    impl Read for Resets {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.0 == 0 {
                return Err(io::ErrorKind::ConnectionReset.into());
            }
            self.0 -= 1;
            buf[0] = b'x';
            Ok(1)
        }
    }

    #[test]
    fn read_full_returns_the_streams_errors() {
        let got = within(
            EXERCISE,
            "read_full on a stream that resets",
            DEADLINE,
            || frames::read_full(&mut Resets(2), &mut [0u8; 8]).map_err(|e| e.kind()),
        );
        expect_eq(
            "read_full on a stream that gives 2 bytes and then a reset",
            got,
            Err(io::ErrorKind::ConnectionReset),
        );
    }

    #[test]
    fn write_frame_puts_a_big_endian_length_before_the_message() {
        let cases: Vec<(Prefix, Vec<u8>)> = vec![
            (Prefix::U32, b"hello".to_vec()),
            (Prefix::U16, b"hello".to_vec()),
            (Prefix::U32, Vec::new()),
            (Prefix::U32, pattern(1, 258)),
            (Prefix::U16, pattern(2, 513)),
            (Prefix::U32, pattern(3, 70_000)),
        ];
        for (prefix, message) in cases {
            let expected = framed(prefix.width(), &message);
            let len = message.len();
            let got = within(EXERCISE, "write_frame", DEADLINE, move || {
                let mut out = Vec::new();
                frames::write_frame(&mut out, prefix, &message)
                    .map(|()| out)
                    .map_err(|e| e.to_string())
            });
            let got = got.unwrap_or_else(|e| panic!("write_frame({prefix:?}, {len} bytes): {e}"));
            let width = prefix.width().min(got.len());
            expect_eq(
                format!("the prefix write_frame({prefix:?}, {len} bytes) wrote, in hex"),
                hex(&got[..width]),
                hex(&expected[..prefix.width()]),
            );
            assert!(
                got == expected,
                "write_frame({prefix:?}, {len} bytes) wrote {} bytes; expected the {}-byte \
                 prefix, then the message as it is ({} bytes in all)",
                got.len(),
                prefix.width(),
                expected.len()
            );
        }
    }

    #[test]
    fn write_frame_writes_everything_through_one_byte_writes_and_interruptions() {
        let message = pattern(4, 300);
        let expected = framed(4, &message);
        let got = within(
            EXERCISE,
            "write_frame on a trickling stream",
            DEADLINE,
            move || {
                let mut stream = Trickle::new(Vec::new()).interrupting(5);
                frames::write_frame(&mut stream, Prefix::U32, &message)
                    .map_err(|e| e.to_string())?;
                Ok::<_, String>(stream.into_written())
            },
        );
        expect_eq(
            "what write_frame(U32, 300 bytes) wrote to a stream taking one byte a write, \
             interrupted every fifth call (`write_all` handles both)",
            got.map(|w| (w.len(), w == expected)),
            Ok((304, true)),
        );
    }

    /// A writer that takes everything and notes the size of each call.
    #[derive(Default)]
    struct Calls {
        sizes: Vec<usize>,
    }

    impl Write for Calls {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.sizes.push(buf.len());
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn write_frame_hands_the_whole_frame_to_one_write() {
        let sizes = within(EXERCISE, "write_frame(U32, \"hello\")", DEADLINE, || {
            let mut out = Calls::default();
            frames::write_frame(&mut out, Prefix::U32, b"hello").map_err(|e| e.to_string())?;
            Ok::<_, String>(out.sizes)
        });
        expect_eq(
            "the sizes of write_frame(U32, \"hello\")'s calls to `write` (the prefix and the \
             message in one buffer: written apart, the message can wait for the peer's delayed ACK)",
            sizes,
            Ok(vec![9]),
        );
    }

    #[test]
    fn write_frame_refuses_a_message_too_long_for_its_prefix() {
        let (result, written) = within(EXERCISE, "write_frame(U16, 65536 bytes)", DEADLINE, || {
            let mut out = Vec::new();
            let result =
                frames::write_frame(&mut out, Prefix::U16, &[0; 65_536]).map_err(|e| e.to_string());
            (result, out.len())
        });
        expect_eq(
            "write_frame(U16, 65536 bytes)",
            result,
            Err(FrameError::FrameTooLong {
                len: 65_536,
                limit: 65_535,
            }
            .to_string()),
        );
        expect_eq(
            "bytes write_frame(U16, 65536 bytes) wrote before refusing",
            written,
            0,
        );
        let fits = within(EXERCISE, "write_frame(U16, 65535 bytes)", DEADLINE, || {
            let mut out = Vec::new();
            frames::write_frame(&mut out, Prefix::U16, &[7; 65_535]).map_err(|e| e.to_string())?;
            Ok::<_, String>(hex(&out[..2.min(out.len())]))
        });
        expect_eq(
            "the prefix of write_frame(U16, 65535 bytes)",
            fits,
            Ok("ff ff".to_string()),
        );
    }

    #[test]
    fn read_frame_follows_its_contract_on_each_kind_of_input() {
        let cases: &[(Prefix, &[u8])] = &[
            (Prefix::U32, b""),
            (Prefix::U32, b"\0\0\0\x05hello"),
            (Prefix::U32, b"\0\0\0\0"),
            (Prefix::U32, b"\0\0\0\x02hi\0\0\0\x03you"),
            (Prefix::U32, b"\0\0\0\x08abcdefgh"),
            (Prefix::U32, b"\0\0\0\x09abcdefghi"),
            (Prefix::U32, b"\0\0\x01\0"),
            (Prefix::U32, b"\xff\xff\xff\xff"),
            (Prefix::U32, b"\0\0"),
            (Prefix::U32, b"\0\0\0\x05hel"),
            (Prefix::U32, b"\0\0\0\x02hi\0"),
            (Prefix::U16, b"\0\x05hello"),
            (Prefix::U16, b"\0\x02hi\0\x01!"),
            (Prefix::U16, b"\x01\x00"),
            (Prefix::U16, b"\0"),
            (Prefix::U16, b"\0\x03ab"),
        ];
        let mut table = Table::new();
        for (prefix, input) in cases {
            let (prefix, input) = (*prefix, input.to_vec());
            let len = input.len();
            table.row(
                format!(
                    "read_frame until None ({prefix:?}, {:?}, limit 8)",
                    Bytes(input.clone())
                ),
                || all_frames(&mut Trickle::new(input), len, prefix, 8).0,
            );
        }
        assert_snapshot!(table);
    }

    #[test]
    fn read_frame_reads_no_byte_past_its_frame() {
        let (first, consumed) = within(
            EXERCISE,
            "read_frame of the first of two frames",
            DEADLINE,
            || {
                let mut input = framed(4, b"first");
                input.extend_from_slice(&framed(4, b"second"));
                let mut stream = Trickle::random(input, 5, 16);
                let first = outcome(frames::read_frame(&mut stream, Prefix::U32, 64));
                (first, stream.consumed())
            },
        );
        expect_eq(
            "read_frame(U32, limit 64) on two frames",
            first,
            Ok(Some(Bytes(b"first".to_vec()))),
        );
        expect_eq(
            "bytes read_frame took from the stream for a frame of 4 + 5 bytes (what it reads \
             past the frame is lost to the next call)",
            consumed,
            9,
        );
    }

    #[test]
    fn read_frame_refuses_a_hostile_length_without_allocating_it() {
        let (got, largest, consumed) =
            within(EXERCISE, "read_frame of a 4 GiB frame", DEADLINE, || {
                let mut stream = Trickle::new(b"\xff\xff\xff\xffno more than this".to_vec());
                let (result, largest) =
                    largest_allocation(|| frames::read_frame(&mut stream, Prefix::U32, 1024));
                (outcome(result), largest, stream.consumed())
            });
        expect_eq(
            "read_frame(U32, limit 1024) on the prefix ff ff ff ff",
            got,
            Err(FrameError::FrameTooLong {
                len: 4_294_967_295,
                limit: 1024,
            }
            .to_string()),
        );
        assert!(
            largest <= allocation_bound(1024),
            "read_frame with a limit of 1024 allocated {largest} bytes at once for a prefix that \
             announced 4294967295: compare the length with the limit before making the buffer"
        );
        expect_eq(
            "bytes read_frame took from the stream before refusing the prefix ff ff ff ff",
            consumed,
            4,
        );
    }

    #[test]
    fn frames_round_trip_through_a_stream_that_cuts_them_at_random() {
        let mut rng = Rng::new(16);
        for round in 0..300 {
            let prefix = if round % 2 == 0 {
                Prefix::U32
            } else {
                Prefix::U16
            };
            let sent: Vec<Vec<u8>> = (0..rng.below(5) + 1)
                .map(|_| {
                    let most = if rng.below(4) == 0 { 3000 } else { 40 };
                    let len = rng.below(most) as usize;
                    pattern(rng.next_u64(), len)
                })
                .collect();
            let expected: Vec<Outcome> = sent
                .iter()
                .map(|m| Ok(Some(Bytes(m.clone()))))
                .chain([Ok(None)])
                .collect();
            let sizes: Vec<usize> = sent.iter().map(Vec::len).collect();
            let seed = rng.next_u64();
            let got = within(
                EXERCISE,
                "write_frame then read_frame",
                DEADLINE,
                move || {
                    let mut wire = Trickle::random(Vec::new(), seed, 9).interrupting(7);
                    for message in &sent {
                        frames::write_frame(&mut wire, prefix, message).unwrap_or_else(|e| {
                            panic!("write_frame({prefix:?}, {} bytes): {e}", message.len())
                        });
                    }
                    let written = wire.into_written();
                    let len = written.len();
                    let mut reader = Trickle::random(written, seed, 9).interrupting(7);
                    all_frames(&mut reader, len, prefix, 4096).0
                },
            );
            if got != expected {
                panic!(
                    "round {round}: frames of {sizes:?} bytes ({prefix:?}) written with write_frame \
                     and read back with read_frame, through streams that cut them at random and \
                     are interrupted now and then:\n    expected: {expected:?}\n         got: {got:?}"
                );
            }
        }
    }

    /// Bytes that are sometimes frames, sometimes prefixes over the limit, sometimes noise, cut
    /// off anywhere.
    fn garbage(rng: &mut Rng, width: usize, limit: usize) -> Vec<u8> {
        let mut out = Vec::new();
        for _ in 0..rng.below(4) {
            match rng.below(4) {
                0 => {
                    let len = rng.below(limit as u64 + 1) as usize;
                    out.extend_from_slice(&framed(width, &pattern(rng.next_u64(), len)));
                }
                1 => {
                    let len = rng.below(2 * limit as u64 + 2);
                    out.extend_from_slice(&len.to_be_bytes()[8 - width..]);
                }
                2 => out.extend_from_slice(&[0xff; 4][..width]),
                _ => out.extend(pattern(rng.next_u64(), rng.below(8) as usize)),
            }
        }
        let keep = rng.below(out.len() as u64 + 1) as usize;
        out.truncate(if rng.below(3) == 0 { keep } else { out.len() });
        out
    }

    #[test]
    fn read_frame_gives_an_error_never_a_panic_on_garbage() {
        let mut rng = Rng::new(17);
        for round in 0..1000 {
            let prefix = if round % 2 == 0 {
                Prefix::U32
            } else {
                Prefix::U16
            };
            let limit = 1 + rng.below(64) as usize;
            let input = garbage(&mut rng, prefix.width(), limit);
            let expected = model(&input, prefix.width(), limit);
            let shown = hex(&input);
            let (got, largest) = within(EXERCISE, "read_frame on garbage", DEADLINE, move || {
                let len = input.len();
                all_frames(&mut Cursor::new(input), len, prefix, limit)
            });
            if got != expected {
                panic!(
                    "round {round}: read_frame({prefix:?}, limit {limit}) until None on the bytes \
                     [{shown}]:\n    expected: {expected:?}\n         got: {got:?}"
                );
            }
            assert!(
                largest <= allocation_bound(limit),
                "round {round}: read_frame({prefix:?}, limit {limit}) allocated {largest} bytes \
                 at once on [{shown}]"
            );
        }
    }
}

mod framing {
    use std::io::{self, Read, Write};
    use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
    use std::thread;
    use std::time::{Duration, Instant};

    use insta::assert_snapshot;
    use netlings::fixtures::alloc::largest_allocation;
    use netlings::fixtures::loopback::{Background, SharedLog, closed_tcp_port, is_timeout};
    use netlings::harness::{
        DEADLINE, expect_eq, normalize, pattern, run_program, tcp_pair, within,
    };
    use netlings::support::framing::{FrameError, Limits};

    use crate::common::{Bytes, allocation_bound};
    use crate::steps::framing;

    const EXERCISE: &str = "framing";

    /// How much earlier than its deadline a connection may end (timers are not exact).
    const EARLY: Duration = Duration::from_millis(100);
    /// How much later than its deadline a connection may end on a busy machine.
    const LATE: Duration = Duration::from_millis(1200);

    fn limits(max_frame: usize, deadline_ms: u64, max_conns: usize) -> Limits {
        Limits {
            max_frame,
            deadline: Duration::from_millis(deadline_ms),
            max_conns,
        }
    }

    /// `message` framed with a four-byte length, written here without the code under test.
    fn framed(message: &[u8]) -> Vec<u8> {
        let mut frame = (message.len() as u32).to_be_bytes().to_vec();
        frame.extend_from_slice(message);
        frame
    }

    /// Reads one four-byte-length frame, `None` at a clean end. The test's own reader.
    fn read_reply(conn: &mut impl Read) -> io::Result<Option<Vec<u8>>> {
        let mut len = [0u8; 4];
        match conn.read(&mut len[..1])? {
            0 => return Ok(None),
            _ => conn.read_exact(&mut len[1..])?,
        }
        let mut reply = vec![0; u32::from_be_bytes(len) as usize];
        conn.read_exact(&mut reply)?;
        Ok(Some(reply))
    }

    fn assert_on_time(what: &str, took: Duration, deadline: Duration) {
        assert!(
            took + EARLY >= deadline,
            "{what} after {took:?}, before its deadline of {deadline:?}"
        );
        assert!(
            took <= deadline + LATE,
            "{what} after {took:?}: the deadline was {deadline:?}. One instant, computed once, \
             must bound every read and write (a timeout on each read starts again with each byte)"
        );
    }

    /// Sends `frame` a byte at a time, one every `every`, until it is all sent or the
    /// connection fails; then waits for the server to close.
    fn drip(conn: TcpStream, frame: Vec<u8>, every: Duration) {
        for byte in frame {
            if (&conn).write_all(&[byte]).is_err() {
                return;
            }
            thread::sleep(every);
        }
        let _ = (&conn).read_to_end(&mut Vec::new());
    }

    // ---------------------------------------------------------------------------------------------
    // handle_conn, on one connection the test holds

    #[test]
    fn handle_conn_echoes_each_frame_and_counts_them() {
        let (client, server) = tcp_pair(EXERCISE);
        let messages: Vec<Vec<u8>> = vec![b"one".to_vec(), Vec::new(), pattern(1, 5000)];
        let sent = messages.clone();
        let talker = thread::spawn(move || -> io::Result<Vec<Vec<u8>>> {
            let mut conn = client;
            let mut replies = Vec::new();
            for m in &sent {
                conn.write_all(&framed(m))?;
                replies.extend(read_reply(&mut conn)?);
            }
            conn.shutdown(Shutdown::Write)?;
            // After our end of stream, the server ends too: a clean end, nothing more.
            replies.extend(read_reply(&mut conn)?);
            Ok(replies)
        });
        let result = within(
            EXERCISE,
            "handle_conn to end after the client's EOF",
            DEADLINE,
            move || {
                framing::handle_conn(&server, limits(1 << 20, 5000, 8)).map_err(|e| e.to_string())
            },
        );
        expect_eq(
            "handle_conn with a client that sends 3 frames and ends",
            result,
            Ok(3),
        );
        let replies = talker
            .join()
            .expect("the client thread does not panic")
            .unwrap_or_else(|e| panic!("the client sending 3 frames failed: {e}"));
        expect_eq(
            "the echoes of \"one\", \"\" and 5000 bytes",
            replies.into_iter().map(|r| r.len()).collect::<Vec<_>>(),
            vec![3, 0, 5000],
        );
    }

    #[test]
    fn handle_conn_refuses_a_frame_over_the_limit_without_allocating_it() {
        let (client, server) = tcp_pair(EXERCISE);
        (&client)
            .write_all(b"\xff\xff\xff\xffand some bytes")
            .expect("writing on loopback works");
        let (result, largest) = within(
            EXERCISE,
            "handle_conn on a 4 GiB prefix",
            DEADLINE,
            move || {
                let (result, largest) =
                    largest_allocation(|| framing::handle_conn(&server, limits(1024, 5000, 8)));
                (result.map_err(|e| e.to_string()), largest)
            },
        );
        expect_eq(
            "handle_conn(limit 1024) on a client sending the prefix ff ff ff ff",
            result,
            Err(FrameError::FrameTooLong {
                len: 4_294_967_295,
                limit: 1024,
            }
            .to_string()),
        );
        assert!(
            largest <= allocation_bound(1024) + 64 * 1024,
            "handle_conn with frames of at most 1024 bytes allocated {largest} bytes at once for a \
             hostile prefix"
        );
        drop(client);
    }

    #[test]
    fn handle_conn_ends_at_its_deadline_however_slowly_the_client_drips() {
        let (client, server) = tcp_pair(EXERCISE);
        // 40 bytes, one every 100 ms: a frame that would take 4 s, each byte well within any
        // per-read timeout.
        thread::spawn(move || drip(client, framed(&[b'x'; 36]), Duration::from_millis(100)));
        let deadline = Duration::from_millis(600);
        let (result, took) = within(
            EXERCISE,
            "handle_conn to give up on a dripping client",
            DEADLINE,
            move || {
                let started = Instant::now();
                let result = framing::handle_conn(&server, limits(1024, 600, 8));
                (
                    result.map_err(|e| io::Error::from(e).kind()),
                    started.elapsed(),
                )
            },
        );
        expect_eq(
            "handle_conn(deadline 600 ms) on a client sending a byte every 100 ms",
            result,
            Err(io::ErrorKind::TimedOut),
        );
        assert_on_time("handle_conn gave up on the dripping client", took, deadline);
    }

    #[test]
    fn handle_conn_ends_at_its_deadline_when_the_client_never_reads() {
        let (client, server) = tcp_pair(EXERCISE);
        // Frames of 1 MiB, sent and sent, echoes never read: the echoes fill the buffers and
        // the server's writes block. Only a deadline on the writes ends that.
        thread::spawn(move || {
            let frame = framed(&pattern(2, 1 << 20));
            let started = Instant::now();
            while started.elapsed() < DEADLINE && (&client).write_all(&frame).is_ok() {}
        });
        let deadline = Duration::from_millis(800);
        let (result, took) = within(
            EXERCISE,
            "handle_conn to give up on a client that never reads",
            DEADLINE,
            move || {
                let started = Instant::now();
                let result = framing::handle_conn(&server, limits(2 << 20, 800, 8));
                (
                    result.map_err(|e| io::Error::from(e).kind()),
                    started.elapsed(),
                )
            },
        );
        expect_eq(
            "handle_conn(deadline 800 ms) on a client that sends and never reads its echoes",
            result,
            Err(io::ErrorKind::TimedOut),
        );
        assert_on_time(
            "handle_conn gave up on the client that never reads",
            took,
            deadline,
        );
    }

    #[test]
    fn handle_conn_reports_a_client_that_stops_mid_frame() {
        let (client, server) = tcp_pair(EXERCISE);
        (&client)
            .write_all(&framed(b"hello")[..6])
            .expect("writing on loopback works");
        client
            .shutdown(Shutdown::Write)
            .expect("shutdown on loopback works");
        let (result, took) = within(
            EXERCISE,
            "handle_conn on half a frame",
            DEADLINE,
            move || {
                let started = Instant::now();
                let result = framing::handle_conn(&server, limits(1024, 4000, 8));
                (result.map_err(|e| e.to_string()), started.elapsed())
            },
        );
        expect_eq(
            "handle_conn on a client that sends 6 bytes of a 9-byte frame and ends",
            result,
            Err(FrameError::Truncated.to_string()),
        );
        assert!(
            took < Duration::from_secs(2),
            "handle_conn took {took:?} to notice the client's end of stream (a read of 0 bytes)"
        );
    }

    // ---------------------------------------------------------------------------------------------
    // serve, with clients good and bad

    struct Server {
        addr: SocketAddr,
        log: SharedLog,
        running: Background,
    }

    fn start_server(limits: Limits) -> Server {
        let log = SharedLog::default();
        let mut server_log = log.clone();
        let (running, addr) = Background::tcp(EXERCISE, "serve", move |listener| {
            framing::serve(listener, limits, &mut server_log)
        });
        Server { addr, log, running }
    }

    impl Server {
        fn connect(&mut self, who: &str) -> TcpStream {
            self.running.connect(self.addr, who)
        }

        /// Sends `message` as a frame on `conn` and reads its echo.
        fn echo(&mut self, conn: &mut TcpStream, who: &str, message: &[u8]) {
            let result = conn
                .write_all(&framed(message))
                .and_then(|()| read_reply(conn));
            match result {
                Ok(Some(reply)) if reply == message => {}
                Ok(Some(reply)) => panic!(
                    "[{EXERCISE}] {who} sent {:?} and got {:?} back",
                    Bytes(message.to_vec()),
                    Bytes(reply)
                ),
                Ok(None) => self.running.explain_failure(&format!(
                    "{who} sent a frame and the server closed the connection instead of echoing it"
                )),
                Err(e) => self
                    .running
                    .explain_failure(&format!("{who} sent a frame and got no echo: {e}")),
            }
        }

        /// Waits up to [`DEADLINE`] for a line containing `text` in the server's log.
        fn expect_log(&mut self, text: &str) {
            let end = Instant::now() + DEADLINE;
            while Instant::now() < end {
                if self.log.text().contains(text) {
                    return;
                }
                self.running.check_alive();
                thread::yield_now();
            }
            panic!(
                "[{EXERCISE}] the server's log has no line with {text:?} after {DEADLINE:?}; it has:\n{}",
                self.log.text()
            );
        }
    }

    /// Reads until the server closes `conn`: `Ok(time)` for an end of stream or a reset.
    fn wait_for_close(conn: &mut TcpStream) -> Result<Duration, String> {
        let started = Instant::now();
        let mut rest = Vec::new();
        match conn.read_to_end(&mut rest) {
            Ok(_) => Ok(started.elapsed()),
            Err(e) if is_timeout(&e) => Err(format!(
                "the server kept the connection open for {DEADLINE:?}"
            )),
            Err(_) => Ok(started.elapsed()),
        }
    }

    #[test]
    fn serve_echoes_frames_to_a_client() {
        let mut server = start_server(limits(4096, 5000, 8));
        let mut conn = server.connect("the client");
        for message in [&b"hello"[..], b"", b"two words", &pattern(3, 4096)] {
            server.echo(&mut conn, "the client", message);
        }
    }

    #[test]
    fn serve_serves_a_client_while_another_sits_on_half_a_frame() {
        let mut server = start_server(limits(4096, 5000, 8));
        let mut slow = server.connect("the slow client");
        slow.write_all(&framed(b"hello")[..3])
            .expect("writing on loopback works");
        let mut quick = server.connect("the quick client");
        server.echo(
            &mut quick,
            "a client arriving while another sits on half a frame",
            b"quick",
        );
        slow.write_all(&framed(b"hello")[3..])
            .expect("writing on loopback works");
        expect_eq(
            "the slow client's echo",
            read_reply(&mut slow).map_err(|e| e.to_string()),
            Ok(Some(b"hello".to_vec())),
        );
    }

    #[test]
    fn serve_closes_a_hostile_client_logs_it_and_serves_the_next() {
        let mut server = start_server(limits(1024, 5000, 8));
        let mut hostile = server.connect("the hostile client");
        hostile
            .write_all(b"\xff\xff\xff\xff")
            .expect("writing on loopback works");
        let port = hostile
            .local_addr()
            .expect("a connected socket has an address")
            .port();
        if let Err(e) = wait_for_close(&mut hostile) {
            panic!(
                "[{EXERCISE}] a client announced a frame of 4 GiB to a server with a limit of 1024: {e}"
            );
        }
        server.expect_log(&format!(
            "client 127.0.0.1:{port}: a frame of 4294967295 bytes is over the limit of 1024"
        ));
        let mut next = server.connect("the next client");
        server.echo(
            &mut next,
            "the client after the hostile one",
            b"still there?",
        );
    }

    #[test]
    fn serve_cuts_a_silent_client_at_the_deadline_and_logs_it() {
        let mut server = start_server(limits(1024, 600, 8));
        let mut silent = server.connect("the silent client");
        let port = silent
            .local_addr()
            .expect("a connected socket has an address")
            .port();
        let took = wait_for_close(&mut silent).unwrap_or_else(|e| {
            panic!("[{EXERCISE}] a client that sends nothing, with a deadline of 600 ms: {e}")
        });
        assert_on_time(
            "the server closed a silent client",
            took,
            Duration::from_millis(600),
        );
        server.expect_log(&format!("client 127.0.0.1:{port}: the deadline passed"));
    }

    #[test]
    fn serve_refuses_connections_over_its_limit_then_serves_again() {
        let mut server = start_server(limits(1024, 5000, 2));
        let mut first = server.connect("the first client");
        server.echo(&mut first, "the first of 2 clients allowed", b"one");
        let mut second = server.connect("the second client");
        server.echo(&mut second, "the second of 2 clients allowed", b"two");
        let mut third = server.connect("the third client");
        let port = third
            .local_addr()
            .expect("a connected socket has an address")
            .port();
        let took = wait_for_close(&mut third).unwrap_or_else(|e| {
            panic!("[{EXERCISE}] a third client, with 2 connections open and max_conns 2: {e}")
        });
        assert!(
            took < Duration::from_secs(2),
            "the server took {took:?} to close a connection over its limit: close it at once"
        );
        server.expect_log(&format!("refused 127.0.0.1:{port}: 2 connections open"));
        // The first client leaves; its place is free again once the server has seen it go.
        first
            .shutdown(Shutdown::Write)
            .expect("shutdown on loopback works");
        wait_for_close(&mut first)
            .unwrap_or_else(|e| panic!("[{EXERCISE}] the first client ended: {e}"));
        let end = Instant::now() + DEADLINE;
        loop {
            let mut again = server.connect("a client after one left");
            let served = again
                .write_all(&framed(b"again"))
                .and_then(|()| read_reply(&mut again));
            match served {
                Ok(Some(reply)) if reply == b"again" => break,
                _ if Instant::now() < end => continue,
                other => panic!(
                    "[{EXERCISE}] after one of 2 clients left, a new client was still not served \
                     {DEADLINE:?} later ({other:?}): count a connection as closed when its \
                     thread ends"
                ),
            }
        }
        server.echo(
            &mut second,
            "the second client, still connected",
            b"still two",
        );
    }

    // ---------------------------------------------------------------------------------------------
    // send, against servers the test runs

    /// A server on loopback that runs `each` on each connection it accepts.
    fn test_server(each: impl Fn(TcpStream) + Send + Sync + 'static) -> SocketAddr {
        let each = std::sync::Arc::new(each);
        Background::tcp(EXERCISE, "a test server", move |listener| {
            serve_with(listener, each)
        })
        .1
    }

    fn serve_with(listener: TcpListener, each: std::sync::Arc<dyn Fn(TcpStream) + Send + Sync>) {
        for conn in listener.incoming().flatten() {
            let _ = conn.set_read_timeout(Some(DEADLINE));
            let _ = conn.set_write_timeout(Some(DEADLINE));
            let each = std::sync::Arc::clone(&each);
            thread::spawn(move || each(conn));
        }
    }

    /// Answers each frame with `answer(frame number, frame)`, until the client ends.
    fn answering(answer: fn(usize, Vec<u8>) -> Vec<u8>) -> SocketAddr {
        test_server(move |mut conn| {
            let mut n = 0;
            while let Ok(Some(frame)) = read_reply(&mut conn) {
                n += 1;
                if conn.write_all(&framed(&answer(n, frame))).is_err() {
                    return;
                }
            }
        })
    }

    fn send(
        server: SocketAddr,
        messages: Vec<Vec<u8>>,
        max_frame: usize,
        timeout: Duration,
    ) -> (Result<Vec<Bytes>, FrameError>, Duration) {
        within(EXERCISE, "send to finish", DEADLINE, move || {
            let messages: Vec<&[u8]> = messages.iter().map(Vec::as_slice).collect();
            let started = Instant::now();
            let result = framing::send(server, &messages, max_frame, timeout);
            (
                result.map(|r| r.into_iter().map(Bytes).collect()),
                started.elapsed(),
            )
        })
    }

    #[test]
    fn send_returns_the_echo_of_each_message() {
        let addr = answering(|_, frame| frame);
        let (result, _) = send(
            addr,
            vec![b"hello".to_vec(), Vec::new(), b"two words".to_vec()],
            1024,
            DEADLINE,
        );
        expect_eq(
            "send(\"hello\", \"\", \"two words\") to an echo server",
            result.map_err(|e| e.to_string()),
            Ok(vec![
                Bytes(b"hello".to_vec()),
                Bytes(Vec::new()),
                Bytes(b"two words".to_vec()),
            ]),
        );
    }

    #[test]
    fn send_sends_each_message_as_a_frame_and_reads_its_answer() {
        let addr = answering(|n, frame| {
            let mut answer = format!("{n}:").into_bytes();
            answer.extend_from_slice(&frame);
            answer
        });
        let big = pattern(4, 3000);
        let (result, _) = send(
            addr,
            vec![b"first".to_vec(), big.clone(), b"last".to_vec()],
            4096,
            DEADLINE,
        );
        let mut expected_big = b"2:".to_vec();
        expected_big.extend_from_slice(&big);
        let result =
            result.unwrap_or_else(|e| panic!("send to a server that numbers its answers: {e}"));
        assert!(
            result
                == [
                    Bytes(b"1:first".to_vec()),
                    Bytes(expected_big),
                    Bytes(b"3:last".to_vec())
                ],
            "send(\"first\", 3000 bytes, \"last\") to a server answering each frame with its number \
             and the frame: got answers of {:?} bytes starting {:?}",
            result.iter().map(|b| b.0.len()).collect::<Vec<_>>(),
            result
                .iter()
                .map(|b| Bytes(b.0[..b.0.len().min(7)].to_vec()))
                .collect::<Vec<_>>(),
        );
    }

    #[test]
    fn send_refuses_a_reply_over_its_limit_without_allocating_it() {
        let addr = test_server(|mut conn| {
            let _ = read_reply(&mut conn);
            let _ = conn.write_all(b"\xff\xff\xff\xffhostile");
            let _ = conn.read_to_end(&mut Vec::new());
        });
        let (result, largest) = within(EXERCISE, "send to a hostile server", DEADLINE, move || {
            let (result, largest) =
                largest_allocation(|| framing::send(addr, &[b"hi"], 1024, DEADLINE));
            (result.map(|_| ()).map_err(|e| e.to_string()), largest)
        });
        expect_eq(
            "send(\"hi\", max_frame 1024) to a server answering with the prefix ff ff ff ff",
            result,
            Err(FrameError::FrameTooLong {
                len: 4_294_967_295,
                limit: 1024,
            }
            .to_string()),
        );
        assert!(
            largest <= allocation_bound(1024) + 64 * 1024,
            "send with max_frame 1024 allocated {largest} bytes at once for a hostile reply"
        );
    }

    #[test]
    fn send_gives_up_on_a_silent_server_by_its_timeout() {
        let addr = test_server(|mut conn| {
            let _ = conn.read_to_end(&mut Vec::new());
        });
        let timeout = Duration::from_millis(500);
        let (result, took) = send(addr, vec![b"anyone?".to_vec()], 1024, timeout);
        expect_eq(
            "send(timeout 500 ms) to a server that never answers",
            result.map(|_| ()).map_err(|e| io::Error::from(e).kind()),
            Err(io::ErrorKind::TimedOut),
        );
        assert_on_time("send gave up on a silent server", took, timeout);
    }

    #[test]
    fn send_bounds_the_whole_exchange_not_each_read() {
        // The answer comes a byte every 100 ms: each read is quick, the whole takes 3 s.
        let addr = test_server(|mut conn| {
            if let Ok(Some(_)) = read_reply(&mut conn) {
                drip(conn, framed(&[b'y'; 26]), Duration::from_millis(100));
            }
        });
        let timeout = Duration::from_millis(700);
        let (result, took) = send(addr, vec![b"slowly".to_vec()], 1024, timeout);
        expect_eq(
            "send(timeout 700 ms) to a server answering a byte every 100 ms",
            result.map(|_| ()).map_err(|e| io::Error::from(e).kind()),
            Err(io::ErrorKind::TimedOut),
        );
        assert_on_time("send gave up on a dripping server", took, timeout);
    }

    #[test]
    fn send_reports_a_server_that_closes_instead_of_answering() {
        let addr = test_server(|mut conn| {
            let _ = read_reply(&mut conn);
        });
        let (result, _) = send(addr, vec![b"hello?".to_vec()], 1024, DEADLINE);
        expect_eq(
            "send to a server that reads the frame and closes",
            result.map(|_| ()).map_err(|e| io::Error::from(e).kind()),
            Err(io::ErrorKind::UnexpectedEof),
        );
    }

    #[test]
    fn send_gives_up_connecting_by_its_timeout() {
        let full = match netlings::harness::full_listener() {
            Ok(full) => full,
            Err(why) => return netlings::harness::skip(&why),
        };
        let timeout = Duration::from_millis(500);
        let (result, took) = send(full.addr, vec![b"hi".to_vec()], 1024, timeout);
        expect_eq(
            "send(timeout 500 ms) to a listener that answers no SYN",
            result.map(|_| ()).map_err(|e| io::Error::from(e).kind()),
            Err(io::ErrorKind::TimedOut),
        );
        assert_on_time("send gave up connecting", took, timeout);
    }

    // ---------------------------------------------------------------------------------------------
    // The program

    #[test]
    fn program_send_prints_each_echo_from_serve() {
        let server = start_server(limits(1024, 5000, 8));
        let addr = server.addr.to_string();
        let transcript = run_program(
            EXERCISE,
            &["framing", "send", &addr, "hello", "two words", "h\u{e9}llo"],
            framing::run,
        );
        assert!(
            transcript.success(),
            "`framing send` to `framing serve`:\n{transcript}"
        );
        assert_snapshot!(normalize(&transcript.to_string()));
    }

    #[test]
    fn program_send_reports_a_refused_connection() {
        let addr = closed_tcp_port().to_string();
        let transcript = run_program(EXERCISE, &["framing", "send", &addr, "hi"], framing::run);
        assert!(
            !transcript.success(),
            "nothing listens there:\n{transcript}"
        );
        assert_snapshot!(normalize(&transcript.to_string()));
    }
}
