//! Step 15.1 · `worker-pool` — the echo server on a fixed number of threads: a bounded pool.
//!
//! Read: "Thousands of clients", step 1 (book/src/ch15_clients.md).   Check: `cargo run -- check worker-pool`
//!
//! Chapter 7 is given (from `netlings::given::echo_server`): `handle_client` serves one
//! connection, `StopHandle` stops the server; `OpenConns` comes from `netlings::support::stopping`.

// Your code will use these imports and parameters; until it does, they are unused.
#![allow(unused_imports, unused_variables)]

use std::fmt;
use std::io::Write;
use std::net::TcpListener;
use std::sync::mpsc::{self, Receiver, TrySendError};
use std::sync::{Mutex, PoisonError};
use std::thread;
use std::time::Duration;

use netlings::given::echo_server::accept_loop::ACCEPT_BACKOFF;
use netlings::given::echo_server::echo_loop::handle_client;
use netlings::given::echo_server::stop_handle::StopHandle;
use netlings::support::stopping::{OpenConn, OpenConns};

/// How big the pool is, and how long a client may hold a worker without a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolConfig {
    /// Threads serving connections, one connection each at a time (at least 1).
    pub workers: usize,
    /// Accepted connections that may wait for a free worker; the next one is refused.
    pub queue: usize,
    /// How long one read or write of a served connection may wait before the worker drops that
    /// client (`None`: forever). Never zero.
    pub io_timeout: Option<Duration>,
}

/// A connection waiting for a worker, registered in the server's `OpenConns`: it derefs to the
/// `TcpStream`, and dropping it takes it out of the registry (and closes it).
pub type Queued<'a> = OpenConn<'a>;

/// The log, shared by the accept loop and the workers.
pub type SharedLog<'a> = Mutex<&'a mut (dyn Write + Send)>;

// ANCHOR: contract
/// One worker: takes the next connection from `queue`, serves it to the end, and comes back
/// for the next, until the queue is closed (every sender dropped) and empty; then returns.
///
/// - Hold the lock only while waiting for a connection, never while serving one.
/// - Set the connection's read and write timeouts to `io_timeout`, then `handle_client` it.
/// - A client that fails (a setting, or `handle_client`) is logged with [`note`] as
///   `client <peer>: <error>` (`a client: <error>` if its address is unknown).
/// - Either way, drop the connection when done with it: that takes it out of the server's
///   `OpenConns` and closes it.
pub fn worker(queue: &Mutex<Receiver<Queued<'_>>>, io_timeout: Option<Duration>, log: &SharedLog) {
    // TODO: loop: lock and `recv`, serve, log; the connection is dropped at the end of the turn.
    todo!("worker(io_timeout: {io_timeout:?})")
}

/// Serves clients on `config.workers` threads until `stop` is used. Accepted connections wait in
/// a queue of `config.queue` places (`mpsc::sync_channel`) for a free worker.
///
/// - Start the workers first, in a `thread::scope`; then accept, as chapter 7 does: check
///   `stop.is_stopping()` for each connection; log a failed `accept` as `accept: <error>` and
///   pause [`ACCEPT_BACKOFF`]; register each connection in an `OpenConns` before queuing it.
/// - A connection that finds the queue full is **refused** at once (`try_send`, never a
///   `send` that waits): log `busy: refused <peer>` and drop it, unread (dropping a registered
///   connection takes it out of `open`).
/// - When stopping: drop the listener, `close_all` (served and waiting connections alike),
///   then close the queue so the workers end, and wait for them.
pub fn serve_pool(
    listener: TcpListener,
    stop: &StopHandle,
    config: PoolConfig,
    log: &mut (dyn Write + Send),
) {
    // TODO: the queue, the workers, the accept loop, the stop.
    todo!("serve_pool({listener:?}, {stop:?}, {config:?})")
}
// ANCHOR_END: contract

/// Writes `clients: <line>` to the shared log; a log that cannot be written must not stop the
/// server, so its errors are dropped.
fn note(log: &SharedLog, line: fmt::Arguments) {
    let mut log = log.lock().unwrap_or_else(PoisonError::into_inner);
    let _ = writeln!(log, "clients: {line}");
}
