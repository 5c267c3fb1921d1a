//! Step 7.3 · `accept-loop` — the notes' accept loop: one thread per client, until stopped.
//!
//! Read: chapter 7, "Step 3" (book/src/ch07_echo_server.md).   Check: `cargo run -- check accept-loop`
//!
//! Steps 1 and 2 are given (from `netlings::given`), so this step works even if you skipped
//! them; `OpenConns` comes from the library (`netlings::support::stopping`).

// Your code will use these imports and parameters; until it does, they are unused.
#![allow(unused_imports, unused_variables)]

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

// ANCHOR: contract
/// Accepts clients and serves each on a thread of its own (`handle_client`) until `stop` is
/// used; then ends every open connection, waits for their threads and returns. A client can
/// cost the server its own connection, never the server:
///
/// - Check `stop.is_stopping()` for every connection `accept` returns, before serving it.
/// - Register each connection with `OpenConns::add` before its thread starts, and serve it
///   through the handle that returns; the handle leaves the registry (and the socket closes)
///   when it is dropped, so let the client's thread own it.
/// - A client whose `handle_client` fails is logged as `echo-server: client <peer>: <error>`
///   (`echo-server: a client: <error>` if its address is unknown); the others go on.
/// - A client that cannot be given a thread is logged as
///   `echo-server: cannot serve a client: <error>`.
/// - A failed `accept` (out of file descriptors: `EMFILE`) is logged as
///   `echo-server: accept: <error> ...` **only if it is the first of a run** of failures; pause
///   [`ACCEPT_BACKOFF`] after it, then twice as long after each further failure, up to
///   [`MAX_ACCEPT_BACKOFF`]. An `accept` that works ends the run. Never try again at once: that
///   spins at full CPU and floods the log.
/// - The log may fail (stderr a closed pipe): ignore its errors, never `unwrap` them.
/// - When stopping: drop the listener first (new clients are refused), then
///   `OpenConns::close_all`, then wait for every client thread.
///
/// `log` is shared by the client threads: wrap it in a `Mutex`.
pub fn serve(listener: TcpListener, stop: &StopHandle, log: &mut (dyn Write + Send)) {
    // TODO: `thread::scope`, and in it the loop over `listener.incoming()`.
    todo!("serve({listener:?}, {stop:?})")
}
// ANCHOR_END: contract
