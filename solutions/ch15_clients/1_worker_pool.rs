//! Step 15.1 · `worker-pool` — the echo server on a fixed number of threads: a bounded pool.

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

/// One worker: takes the next connection from `queue`, serves it to the end with the timeouts
/// set, and comes back for the next, until the queue is closed and empty.
pub fn worker(queue: &Mutex<Receiver<Queued<'_>>>, io_timeout: Option<Duration>, log: &SharedLog) {
    loop {
        // The lock is held while this worker waits for a connection, and released before it
        // serves one (the guard is a temporary of this statement): the others wait in line.
        let next = queue.lock().unwrap_or_else(PoisonError::into_inner).recv();
        // Every sender is gone: the server is stopping and nothing is left in the queue.
        let Ok(conn) = next else { return };
        let peer = conn.peer_addr();
        // Without a timeout, a client that goes silent, or never reads its echo, holds this
        // worker for ever: `workers` such clients and the pool serves nobody else.
        let served = conn
            .set_read_timeout(io_timeout)
            .and_then(|()| conn.set_write_timeout(io_timeout))
            .and_then(|()| handle_client(&conn));
        if let Err(e) = served {
            match peer {
                Ok(peer) => note(log, format_args!("client {peer}: {e}")),
                Err(_) => note(log, format_args!("a client: {e}")),
            }
        }
        // Dropping `conn` here takes it out of the registry: its descriptor is given back.
    }
}

/// Serves clients on `config.workers` threads until `stop` is used. Accepted connections wait in
/// a queue of `config.queue` places for a free worker; a connection that finds every worker busy
/// and the queue full is **refused**: closed at once, unread, and logged.
pub fn serve_pool(
    listener: TcpListener,
    stop: &StopHandle,
    config: PoolConfig,
    log: &mut (dyn Write + Send),
) {
    let open = OpenConns::new();
    let log = Mutex::new(log);
    // A bounded channel is the bounded queue: `try_send` says at once when it is full.
    let (sender, receiver) = mpsc::sync_channel::<Queued>(config.queue);
    let queue = Mutex::new(receiver);
    thread::scope(|scope| {
        for _ in 0..config.workers.max(1) {
            let (queue, log) = (&queue, &log);
            scope.spawn(move || worker(queue, config.io_timeout, log));
        }
        for conn in listener.incoming() {
            if stop.is_stopping() {
                break;
            }
            let conn = match conn {
                Ok(conn) => conn,
                Err(e) => {
                    note(&log, format_args!("accept: {e}"));
                    thread::sleep(ACCEPT_BACKOFF);
                    continue;
                }
            };
            // Registered before it is queued, so a stop ends waiting connections too.
            let conn = open.add(conn);
            // Never `send`: it would block this loop while the queue is full, and clients would
            // pile up unseen in the kernel's accept queue instead of hearing "no" now.
            if let Err(TrySendError::Full(conn) | TrySendError::Disconnected(conn)) =
                sender.try_send(conn)
            {
                match conn.peer_addr() {
                    Ok(peer) => note(&log, format_args!("busy: refused {peer}")),
                    Err(_) => note(&log, format_args!("busy: refused a client")),
                }
                // Dropping the registered handle closes the connection: the client reads EOF.
                drop(conn);
            }
        }
        drop(listener);
        // End every connection, served or waiting; then close the queue, so each worker's
        // `recv` fails once it is empty and the scope can join them.
        open.close_all();
        drop(sender);
    });
}

/// Writes one line to the shared log; a log that cannot be written must not stop the server.
fn note(log: &SharedLog, line: fmt::Arguments) {
    let mut log = log.lock().unwrap_or_else(PoisonError::into_inner);
    let _ = writeln!(log, "clients: {line}");
}
