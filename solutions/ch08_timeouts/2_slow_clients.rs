//! Step 8.2 · `slow-clients` — chapter 7's echo server with two limits: an idle timeout and a
//! deadline for the whole connection.

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

/// Echoes until EOF, but drops the client after `limits.idle` without data or `limits.deadline`
/// after it arrived, whichever comes first. Returns the bytes echoed, or why the client was cut.
pub fn handle_client(mut conn: TcpStream, limits: Limits) -> io::Result<u64> {
    // One absolute end for the whole connection: sending a byte now and then resets the idle
    // timer but never this one, so a slow-drip client cannot stay forever. `checked_add`, not
    // `+`: a limit of centuries would overflow the clock, and `+` panics when it does.
    let end = Instant::now()
        .checked_add(limits.deadline)
        .ok_or_else(|| too_long("deadline", limits.deadline))?;
    let mut buf = [0u8; 16 * 1024];
    let mut total = 0;
    loop {
        let idle_end = Instant::now()
            .checked_add(limits.idle)
            .ok_or_else(|| too_long("idle timeout", limits.idle))?;
        let n = read_by(&mut conn, &mut buf, idle_end.min(end)).map_err(|e| {
            // Whichever limit came first is the one that cut the client.
            let why = if idle_end < end {
                format!("idle for {}", show(limits.idle))
            } else {
                format!("connected for {}", show(limits.deadline))
            };
            dropped(e, &why)
        })?;
        if n == 0 {
            conn.shutdown(Shutdown::Both)?;
            return Ok(total);
        }
        // The echo is bounded by the connection's end too: a client that never reads would
        // otherwise hold us in a blocked write, where no read deadline helps.
        write_by(&mut conn, &buf[..n], end).map_err(|e| {
            let why = format!(
                "connected for {} (not reading its echo)",
                show(limits.deadline)
            );
            dropped(e, &why)
        })?;
        total += n as u64;
    }
}

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
