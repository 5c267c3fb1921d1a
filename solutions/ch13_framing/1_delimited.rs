//! Step 13.1 · `delimited` — Go's `bufio.Reader.ReadString('\n')`, with the limit it lacks.

use std::io::{BufRead, Read, Write};

use netlings::support::framing::FrameError;

/// Reads one line, at most `limit` bytes with its end: the line without its `\n` (and without
/// a `\r` just before it), `None` at the end of the stream, or why there is no line.
pub fn read_line<R: BufRead>(reader: &mut R, limit: usize) -> Result<Option<Vec<u8>>, FrameError> {
    let mut line = Vec::new();
    // `take` stops `read_until` after `limit` bytes: without it, a peer that never sends `\n`
    // makes the buffer grow until the process runs out of memory. What `read_until` reads past
    // the `\n` stays in `reader`'s buffer for the next call: nothing is lost between lines.
    let n = reader
        .by_ref()
        .take(limit as u64)
        .read_until(b'\n', &mut line)?;
    if line.last() == Some(&b'\n') {
        line.pop();
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        return Ok(Some(line));
    }
    match n {
        0 => Ok(None),
        // `limit` bytes and no end in sight: whatever comes next, this is no line we accept.
        n if n == limit => Err(FrameError::LineTooLong { limit }),
        // The stream ended inside the line: the peer died, or sent half a message and left.
        _ => Err(FrameError::Truncated),
    }
}

/// Writes `line` and its `\n`, or refuses a line holding `\r` or `\n`.
pub fn write_line<W: Write>(writer: &mut W, line: &[u8]) -> Result<(), FrameError> {
    // A line break inside would end the line early and make the rest a message of its own:
    // how a user name with "\r\n" in it becomes an extra command (CRLF injection).
    if line.iter().any(|&b| b == b'\r' || b == b'\n') {
        return Err(FrameError::LineBreak);
    }
    // One buffer, one `write_all`: of two small writes, Nagle's algorithm can hold the second
    // until the peer's (delayed) ACK of the first; and `write_all` sends it all however little
    // each `write` takes.
    let mut out = Vec::with_capacity(line.len() + 1);
    out.extend_from_slice(line);
    out.push(b'\n');
    writer.write_all(&out)?;
    Ok(())
}
