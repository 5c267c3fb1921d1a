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

/// How long the loop pauses after a failed `accept` before it tries again.
pub const ACCEPT_BACKOFF: Duration = Duration::from_millis(10);

/// Accepts clients and serves each on a thread of its own until `stop` is used; then ends every
/// open connection, waits for their threads and returns. What goes wrong with one connection
/// (a reset, a failed accept) is written to `log`, and the server goes on.
pub fn serve(listener: TcpListener, stop: &StopHandle, log: &mut (dyn Write + Send)) {
    let open = OpenConns::new();
    // The client threads write to the log too: one at a time.
    let log = Mutex::new(log);
    // Scoped threads may borrow `open` and `log`, and the scope waits for all of them.
    thread::scope(|scope| {
        for conn in listener.incoming() {
            // The connection that woke us may be the stop handle's own: check first.
            if stop.is_stopping() {
                break;
            }
            let conn = match conn {
                Ok(conn) => conn,
                Err(e) => {
                    // EMFILE (out of file descriptors) and the like. The notes `continue` at
                    // once, which spins at full CPU while descriptors are short.
                    note(&log, format_args!("accept: {e}"));
                    thread::sleep(ACCEPT_BACKOFF);
                    continue;
                }
            };
            let id = match open.add(&conn) {
                Ok(id) => id,
                Err(e) => {
                    note(&log, format_args!("cannot serve a client: {e}"));
                    continue;
                }
            };
            let (open, log) = (&open, &log);
            // Go's `go handleClient(conn)`.
            let spawned = thread::Builder::new()
                .name(format!("client {id}"))
                .spawn_scoped(scope, move || {
                    let peer = conn.peer_addr();
                    if let Err(e) = handle_client(conn) {
                        // A client that resets or vanishes ends only its own connection.
                        match peer {
                            Ok(peer) => note(log, format_args!("client {peer}: {e}")),
                            Err(_) => note(log, format_args!("a client: {e}")),
                        }
                    }
                    open.remove(id);
                });
            if let Err(e) = spawned {
                // Out of threads: this client is dropped, the others go on.
                open.remove(id);
                note(log, format_args!("cannot serve a client: {e}"));
            }
        }
        // Refuse new clients first, then end the ones we have; the scope joins their threads.
        drop(listener);
        open.close_all();
    });
}

/// Writes one line to the shared log. A log that cannot be written must not stop the server,
/// so its errors are dropped.
fn note(log: &Mutex<&mut (dyn Write + Send)>, line: fmt::Arguments) {
    let mut log = log.lock().unwrap_or_else(PoisonError::into_inner);
    let _ = writeln!(log, "echo-server: {line}");
}
