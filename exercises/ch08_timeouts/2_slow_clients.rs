//! Step 8.2 · `slow-clients` — chapter 7's echo server with two limits: an idle timeout and a
//! deadline for the whole connection.
//!
//! Read: chapter 8, "Step 2" (book/src/ch08_timeouts.md).   Check: `cargo run -- check slow-clients`
//!
//! Step 1 is given (`netlings::given::timeouts::deadlines`), so this step works even if you
//! skipped it. You write `handle_client`; `serve`, the accept loop, is written for you, and so
//! are the two helpers that word its errors.

// Your code will use these imports and parameters (and change the `mut` one); until it does,
// they are unused.
#![allow(unused_imports, unused_variables, unused_mut)]

use std::fmt;
use std::io::{self, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use netlings::given::timeouts::deadlines::{read_by, write_by};
use netlings::support::accept::AcceptBackoff;
use netlings::support::duration::show;

/// How long a server lets one client take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The longest silence between two reads.
    pub idle: Duration,
    /// The longest a connection may last, from accept to close.
    pub deadline: Duration,
}

// ANCHOR: contract
/// Echoes what the client sends until its EOF, but drops it after `limits.idle` without data
/// or `limits.deadline` after it arrived, whichever comes first.
///
/// - Read with `read_by` and echo with `write_by` (step 1). The deadline bounds the echo too:
///   a client that never reads its echo must not hold the server in a blocked write.
/// - At EOF (a read of 0 bytes), shut the connection down and return the bytes echoed.
/// - A read that times out ends the client with an error of kind `TimedOut` whose message
///   names the limit that cut it: `dropped: idle for 300ms` or `dropped: connected for 2s`
///   (durations as `show` writes them); an echo that times out says
///   `dropped: connected for 2s (not reading its echo)`. `dropped(e, why)` words them.
/// - A limit too long to add to `Instant::now()` (`Duration::MAX`) is the `InvalidInput` error
///   `too_long("deadline", ..)` or `too_long("idle timeout", ..)`, never a panic: add with
///   `checked_add`.
pub fn handle_client(mut conn: TcpStream, limits: Limits) -> io::Result<u64> {
    // TODO: fix the connection's end once; then read by the earlier of (now + idle) and it.
    todo!("handle_client(conn, {limits:?})")
}
// ANCHOR_END: contract

/// A `TimedOut` error from `read_by` or `write_by` as the limit that cut the client, so the log
/// says what timed out and after how long; any other error as it is.
fn dropped(e: io::Error, why: &str) -> io::Error {
    if e.kind() != io::ErrorKind::TimedOut {
        return e;
    }
    io::Error::new(io::ErrorKind::TimedOut, format!("dropped: {why}"))
}

/// The error for a limit too long to add to the clock.
fn too_long(what: &str, limit: Duration) -> io::Error {
    let text = format!("the {what} of {} is too long for the clock", show(limit));
    io::Error::new(io::ErrorKind::InvalidInput, text)
}

/// Accepts forever, one thread per client, and writes what goes wrong to `log`. Every
/// connection ends by its deadline, so there is no client this server can be stuck with; and
/// what a client or the system does costs at most that client's connection: a failed accept
/// waits ([`AcceptBackoff`]), a thread that cannot be started closes only its connection, and
/// a log that cannot be written is ignored.
pub fn serve(listener: TcpListener, limits: Limits, log: &mut (dyn Write + Send)) {
    // The client threads write to the log too: one at a time. Scoped threads may borrow it.
    let log = Mutex::new(log);
    let mut backoff = AcceptBackoff::new();
    thread::scope(|scope| {
        for conn in listener.incoming() {
            let conn = match conn {
                Ok(conn) => conn,
                Err(e) => {
                    // Out of file descriptors, say: retrying at once would spin.
                    let retry = backoff.failed(&e);
                    if let Some(line) = retry.log {
                        note(&log, format_args!("{line}"));
                    }
                    thread::sleep(retry.wait);
                    continue;
                }
            };
            if let Some(line) = backoff.accepted() {
                note(&log, format_args!("{line}"));
            }
            // A client that already reset has no peer address any more: that is its problem.
            let peer = conn
                .peer_addr()
                .map_or_else(|e| format!("?({e})"), |a| a.to_string());
            let log = &log;
            // `Builder::spawn` returns the error that `thread::spawn` would panic with: out of
            // threads or memory, only this client goes (its connection is closed with the
            // closure that owned it), and the server goes on.
            let spawned = thread::Builder::new().spawn_scoped(scope, {
                let peer = peer.clone();
                move || {
                    if let Err(e) = handle_client(conn, limits) {
                        note(log, format_args!("client {peer}: {e}"));
                    }
                }
            });
            if let Err(e) = spawned {
                note(
                    log,
                    format_args!("client {peer}: no thread to serve it ({e}): closed"),
                );
            }
        }
    });
}

/// Writes one line to the shared log. A log that cannot be written (stderr a closed pipe) must
/// not stop the server, or panic a thread as `eprintln!` would: its errors are dropped.
fn note(log: &Mutex<&mut (dyn Write + Send)>, line: fmt::Arguments) {
    let mut log = log.lock().unwrap_or_else(PoisonError::into_inner);
    let _ = writeln!(log, "timeouts: {line}");
}
