//! Step 13.2 · `frames` — Go's `io.ReadFull` and `encoding/binary`: length-prefixed frames.
//!
//! Read: chapter 13, "Step 2" (book/src/ch13_framing.md).   Check: `cargo run -- check frames`
//!
//! A frame is a message with its length in front: `00 00 00 05 h e l l o`. Binary messages
//! may hold any byte, so no delimiter will do; the length says where the message ends. The
//! width of the length is a parameter (`Prefix::U32` here, `Prefix::U16` for DNS in chapter 14).

// Your code will use these parameters; until it does, they are unused.
#![allow(unused_variables)]

use std::io::{self, Read, Write};

use netlings::support::framing::{FrameError, Prefix};

// ANCHOR: contract
/// Go's `io.ReadFull`, answering with a count: reads from `reader` until `buf` is full or the
/// stream ends, and returns how many bytes it read. Fewer than `buf.len()` means the stream
/// ended; it never reads past `buf`. A call that fails with `ErrorKind::Interrupted` is made
/// again; any other error is returned.
pub fn read_full<R: Read>(reader: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    // TODO: one `read` returns what has arrived so far, from 1 byte to all of it.
    todo!("read_full(buf of {} bytes)", buf.len())
}

/// Writes `message` as one frame: its length, big-endian, in `prefix.width()` bytes, then the
/// message. The whole frame in one buffer and all of it written, however little each `write`
/// takes. A message longer than `prefix.max_len()` is refused, with nothing written, as
/// `FrameError::FrameTooLong { len: <its length>, limit: prefix.max_len() }`.
pub fn write_frame<W: Write>(
    writer: &mut W,
    prefix: Prefix,
    message: &[u8],
) -> Result<(), FrameError> {
    // TODO: the length's bytes in network order, then the message.
    todo!("write_frame({prefix:?}, {} bytes)", message.len())
}

/// Reads one frame: its message, reading no byte past it.
///
/// - `Ok(None)`: the stream ended before the frame's first byte (a clean end between frames).
/// - `Err(FrameError::FrameTooLong { len, limit })`: the prefix announced more than `limit`
///   bytes. Refuse it before allocating or reading anything for the message: four bytes can
///   announce 4 GiB.
/// - `Err(FrameError::Truncated)`: the stream ended inside the prefix or inside the message.
/// - `Err(FrameError::Io(e))`: reading failed.
pub fn read_frame<R: Read>(
    reader: &mut R,
    prefix: Prefix,
    limit: usize,
) -> Result<Option<Vec<u8>>, FrameError> {
    // TODO: `read_full` the prefix, decode it, check it against `limit`, `read_full` the message.
    todo!("read_frame({prefix:?}, limit: {limit})")
}
// ANCHOR_END: contract
