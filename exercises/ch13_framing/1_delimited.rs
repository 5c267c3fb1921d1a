//! Step 13.1 · `delimited` — Go's `bufio.Reader.ReadString('\n')`, with the limit it lacks.
//!
//! Read: chapter 13, "Step 1" (book/src/ch13_framing.md).   Check: `cargo run -- check delimited`
//!
//! A line ends at `\n`. TCP does not know that: one `read` may return half a line, or the end
//! of one line and the start of the next. A `BufRead` keeps what it read ahead between calls;
//! your functions only have to stop at the right byte, and never read without a bound.

// Your code will use these imports and parameters; until it does, they are unused.
#![allow(unused_imports, unused_variables)]

use std::io::{BufRead, Read, Write};

use netlings::support::framing::FrameError;

// ANCHOR: contract
/// Reads one line from `reader`, reading at most `limit` bytes (the `\n` included; `limit` is
/// at least 1):
///
/// - `Ok(Some(line))`: the bytes before the `\n`, without a `\r` just before it
///   (`"HELO\r\n"` gives `HELO`). What follows the `\n` stays in `reader` for the next call.
/// - `Ok(None)`: the stream ended before the line's first byte.
/// - `Err(FrameError::LineTooLong { limit })`: `limit` bytes and no `\n` among them. Stop
///   reading there: a peer that never sends `\n` must not make the buffer grow without end.
/// - `Err(FrameError::Truncated)`: the stream ended inside the line, before its `\n`.
/// - `Err(FrameError::Io(e))`: reading failed.
pub fn read_line<R: BufRead>(reader: &mut R, limit: usize) -> Result<Option<Vec<u8>>, FrameError> {
    // TODO: read up to the next `\n`, but never more than `limit` bytes; then say which case it is.
    todo!("read_line(limit: {limit})")
}

/// Writes `line` followed by `\n` to `writer`, all of it however little each `write` takes,
/// in one buffer (two small writes can wait on the peer's delayed ACK).
///
/// A line holding `\r` or `\n` is refused with `Err(FrameError::LineBreak)` before anything
/// is written: the peer would end the line there and read the rest as a line of its own.
pub fn write_line<W: Write>(writer: &mut W, line: &[u8]) -> Result<(), FrameError> {
    // TODO: refuse line breaks; then the line and its `\n`, written whole.
    todo!("write_line({:?})", line.escape_ascii().to_string())
}
// ANCHOR_END: contract
