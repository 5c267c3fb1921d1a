//! Step 8.1 · `deadlines` — Go's `SetReadDeadline` and `SetWriteDeadline`, built from std's
//! per-call timeouts.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use netlings::support::io::is_timeout;

/// The time until `deadline`, or a `TimedOut` error once it has passed. (A zero timeout cannot
/// be given to `set_read_timeout`: `Some(Duration::ZERO)` is refused with `InvalidInput`.)
fn time_left(deadline: Instant) -> io::Result<Duration> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Err(io::Error::new(
            io::ErrorKind::TimedOut,
            "the deadline has passed",
        ));
    }
    Ok(left)
}

/// Go's `SetReadDeadline(deadline)` followed by `Read`: a read that fails with `TimedOut` once
/// `deadline` has passed, however the time was spent.
pub fn read_by(conn: &mut TcpStream, buf: &mut [u8], deadline: Instant) -> io::Result<usize> {
    loop {
        // SO_RCVTIMEO is relative and applies to one call: recompute it from the absolute
        // deadline before every call, so time already spent counts.
        conn.set_read_timeout(Some(time_left(deadline)?))?;
        match conn.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            // Unix says WouldBlock (EAGAIN), Windows TimedOut: callers see one kind.
            Err(e) if is_timeout(&e) => {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "read deadline passed",
                ));
            }
            result => return result,
        }
    }
}

/// Go's `SetWriteDeadline(deadline)` followed by `Write`: sends all of `data`, or fails with
/// `TimedOut` once `deadline` has passed.
pub fn write_by(conn: &mut TcpStream, data: &[u8], deadline: Instant) -> io::Result<()> {
    let mut rest = data;
    while !rest.is_empty() {
        // Not `write_all`: it would give each of its calls the full timeout again, and a peer
        // that reads a little now and then would let every call make progress forever.
        conn.set_write_timeout(Some(time_left(deadline)?))?;
        match conn.write(rest) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            // A send that timed out after part of the data went returns that part: go on.
            Ok(n) => rest = &rest[n..],
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) if is_timeout(&e) => {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "write deadline passed",
                ));
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
