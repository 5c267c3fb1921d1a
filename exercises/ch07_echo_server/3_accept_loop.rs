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

/// How long the loop pauses after a failed `accept` before it tries again.
pub const ACCEPT_BACKOFF: Duration = Duration::from_millis(10);

// ANCHOR: contract
/// Accepts clients and serves each on a thread of its own (`handle_client`) until `stop` is
/// used; then ends every open connection, waits for their threads and returns.
///
/// - Check `stop.is_stopping()` for every connection `accept` returns, before serving it.
/// - A failed `accept` is logged as `echo-server: accept: <error>`; pause [`ACCEPT_BACKOFF`]
///   and go on.
/// - A client whose `handle_client` fails is logged as `echo-server: client <peer>: <error>`
///   (`echo-server: a client: <error>` if its address is unknown); the others go on.
/// - A client that cannot be given a thread (or an `OpenConns` entry) is logged as
///   `echo-server: cannot serve a client: <error>`.
/// - When stopping: drop the listener first (new clients are refused), then
///   `OpenConns::close_all`, then wait for every client thread.
///
/// `log` is shared by the client threads: wrap it in a `Mutex`.
pub fn serve(listener: TcpListener, stop: &StopHandle, log: &mut (dyn Write + Send)) {
    // TODO: `thread::scope`, and in it the loop over `listener.incoming()`.
    todo!("serve({listener:?}, {stop:?})")
}
// ANCHOR_END: contract
