//! Step 7.3 · `accept-loop` — the notes' accept loop: one thread per client, until stopped.

use std::fmt;
use std::io::Write;
use std::net::TcpListener;
use std::sync::{Mutex, PoisonError};
use std::thread;
use std::time::Duration;

use netlings::given::echo_server::echo_loop::handle_client;
use netlings::given::echo_server::stop_handle::StopHandle;
use netlings::support::stopping::OpenConns;

/// How long the loop pauses after the first of a run of failed `accept`s.
pub const ACCEPT_BACKOFF: Duration = Duration::from_millis(10);

/// The longest pause between two failed `accept`s: the pause doubles up to this.
pub const MAX_ACCEPT_BACKOFF: Duration = Duration::from_secs(1);

/// Accepts clients and serves each on a thread of its own until `stop` is used; then ends every
/// open connection, waits for their threads and returns. What goes wrong with one connection
/// (a reset, a failed accept) is written to `log`, and the server goes on.
pub fn serve(listener: TcpListener, stop: &StopHandle, log: &mut (dyn Write + Send)) {
    let open = OpenConns::new();
    // The client threads write to the log too: one at a time.
    let log = Mutex::new(log);
    // Scoped threads may borrow `open` and `log`, and the scope waits for all of them.
    thread::scope(|scope| {
        // The pause after the last failed accept, while accepts keep failing.
        let mut backoff: Option<Duration> = None;
        for conn in listener.incoming() {
            // The connection that woke us may be the stop handle's own: check first.
            if stop.is_stopping() {
                break;
            }
            let conn = match conn {
                Ok(conn) => conn,
                Err(e) => {
                    // Out of file descriptors (EMFILE) and the like: nothing changes until a
                    // connection ends. Trying again at once spins at full CPU and floods the
                    // log, so pause, twice as long after each failure (as Go's net/http does),
                    // and say it once for the whole run of failures.
                    let pause = match backoff {
                        None => {
                            note(&log, format_args!("accept: {e} (retrying quietly)"));
                            ACCEPT_BACKOFF
                        }
                        Some(last) => (last * 2).min(MAX_ACCEPT_BACKOFF),
                    };
                    backoff = Some(pause);
                    thread::sleep(pause);
                    continue;
                }
            };
            backoff = None;
            let peer = conn.peer_addr();
            // Registered before its thread starts, so `close_all` cannot miss it; the
            // registry shares this one socket (one descriptor per client), and dropping the
            // handle, when the thread ends, takes it out again and closes it.
            let conn = open.add(conn);
            let log = &log;
            // Go's `go handleClient(conn)`.
            let spawned = thread::Builder::new()
                .name(format!("client {}", conn.id()))
                .spawn_scoped(scope, move || {
                    if let Err(e) = handle_client(&conn) {
                        // A client that resets or vanishes ends only its own connection.
                        match peer {
                            Ok(peer) => note(log, format_args!("client {peer}: {e}")),
                            Err(_) => note(log, format_args!("a client: {e}")),
                        }
                    }
                });
            if let Err(e) = spawned {
                // Out of threads: this client's connection is dropped (and closed) with the
                // closure that would have served it; the others go on.
                note(log, format_args!("cannot serve a client: {e}"));
            }
        }
        // Refuse new clients first, then end the ones we have; the scope joins their threads.
        drop(listener);
        open.close_all();
    });
}

/// Writes one line to the shared log. A log that cannot be written (stderr a closed pipe, a
/// full disk) must not stop the server or a client's thread, so its errors are dropped.
fn note(log: &Mutex<&mut (dyn Write + Send)>, line: fmt::Arguments) {
    let mut log = log.lock().unwrap_or_else(PoisonError::into_inner);
    let _ = writeln!(log, "echo-server: {line}");
}
