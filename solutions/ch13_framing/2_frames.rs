//! Step 13.2 · `frames` — Go's `io.ReadFull` and `encoding/binary`: length-prefixed frames.

use std::io::{self, Read, Write};

use netlings::support::framing::{FrameError, Prefix};

/// Go's `io.ReadFull`, answering with a count: reads until `buf` is full or the stream ends,
/// and returns how many bytes it read (fewer than `buf.len()` only at the end of the stream).
pub fn read_full<R: Read>(reader: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match reader.read(&mut buf[got..]) {
            Ok(0) => break,
            // One read returns what has arrived, not what was sent: go on until it is all here.
            Ok(n) => got += n,
            // A signal interrupted the call before any byte arrived: just call again.
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

/// Writes `message` as one frame: its length as a big-endian prefix of `prefix`'s width, then
/// its bytes. A message longer than the prefix can say is refused.
pub fn write_frame<W: Write>(
    writer: &mut W,
    prefix: Prefix,
    message: &[u8],
) -> Result<(), FrameError> {
    if message.len() > prefix.max_len() {
        return Err(FrameError::FrameTooLong {
            len: message.len() as u64,
            limit: prefix.max_len(),
        });
    }
    // The length's last `width` bytes in network order: `00 00 00 05` for 5 with a u32 prefix,
    // `00 05` with a u16 one.
    let len = (message.len() as u64).to_be_bytes();
    let mut frame = Vec::with_capacity(prefix.width() + message.len());
    frame.extend_from_slice(&len[len.len() - prefix.width()..]);
    frame.extend_from_slice(message);
    // One `write_all` of the whole frame: after a lone prefix, Nagle's algorithm can hold the
    // message back until the peer's (delayed) ACK of the prefix.
    writer.write_all(&frame)?;
    Ok(())
}

/// Reads one frame written by [`write_frame`]: its message, `None` if the stream ended before
/// a frame began, or why there is no frame. A length over `limit` is refused before anything
/// is allocated for it.
pub fn read_frame<R: Read>(
    reader: &mut R,
    prefix: Prefix,
    limit: usize,
) -> Result<Option<Vec<u8>>, FrameError> {
    let mut header = [0u8; 8];
    let header = &mut header[..prefix.width()];
    // `read_exact` would say `UnexpectedEof` both for a clean end between frames and for an
    // end inside a prefix; the count tells them apart (Go's `io.EOF` and `ErrUnexpectedEOF`).
    match read_full(reader, header)? {
        0 => return Ok(None),
        n if n < header.len() => return Err(FrameError::Truncated),
        _ => {}
    }
    let len = header
        .iter()
        .fold(0u64, |len, &byte| len << 8 | u64::from(byte));
    // The length is the peer's word: check it before trusting it with memory. Four bytes can
    // announce 4 GiB, and a `vec![0; len]` of that is the peer's to spend, not ours.
    if len > limit as u64 {
        return Err(FrameError::FrameTooLong { len, limit });
    }
    let mut message = vec![0; len as usize];
    if read_full(reader, &mut message)? < message.len() {
        return Err(FrameError::Truncated);
    }
    Ok(Some(message))
}
