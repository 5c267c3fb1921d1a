//! Step 15.2 · `async-echo` — the echo server as tasks on a tokio runtime: one task a client, a few
//! threads for all of them.
//!
//! Read: "Thousands of clients", step 2 (book/src/ch15_clients.md).   Check: `cargo run -- check async-echo`
//!
//! This step builds tokio (the `async` feature): `netlings check` and `run` turn it on for this
//! chapter only.

// Your code will use these imports and parameters; until it does, they are unused.
#![allow(unused_imports, unused_variables)]

use std::future::Future;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::pin::pin;
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinError, JoinSet};

/// How long the accept loop pauses after a failed `accept` before it tries again.
pub const ACCEPT_BACKOFF: Duration = Duration::from_millis(10);

// ANCHOR: contract
/// Echoes every byte of `conn` until the client's EOF, then shuts our sending side down so the
/// client sees EOF too. Returns how many bytes were echoed, or the first error.
///
/// A half-closed client still gets its whole echo; a client that does not read its echo only
/// makes this task wait, never a thread.
pub async fn handle_client(conn: TcpStream) -> io::Result<u64> {
    // TODO: copy from the connection to itself (`into_split`, `tokio::io::copy`), then `shutdown`.
    todo!("handle_client({:?})", conn.peer_addr())
}

/// Accepts clients and serves each in a task of its own (`handle_client`) until `shutdown`
/// completes; then stops accepting, ends every open connection and waits for their tasks.
///
/// - Wait for three things at once (`tokio::select!`): `shutdown`, a connection task that
///   ended, a new connection. Never `.await` a client in the loop itself.
/// - A task that ended is logged with `log_ended` (it says nothing for one that ended well).
/// - A failed `accept` is logged as `clients: accept: <error>`; pause [`ACCEPT_BACKOFF`]
///   (`tokio::time::sleep`, not `thread::sleep`) and go on.
/// - When stopping: drop the listener first, then abort every task (`abort_all`) and wait for
///   each, logging them with `log_ended` as before: the log is complete when `serve` returns.
pub async fn serve(
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
    log: &mut (dyn Write + Send),
) {
    // TODO: a `JoinSet` of the connections' tasks, and the `select!` loop.
    todo!("serve({listener:?})")
}
// ANCHOR_END: contract

/// Logs a connection whose task failed, as `clients: client <peer>: <error>` (or
/// `clients: a client's task failed: <why>` for a task that panicked); one that ended well, or
/// was aborted by a stop, says nothing.
fn log_ended(
    log: &mut (dyn Write + Send),
    ended: Result<(SocketAddr, io::Result<u64>), JoinError>,
) {
    let _ = match ended {
        Ok((_, Ok(_))) => Ok(()),
        Err(e) if e.is_cancelled() => Ok(()),
        Ok((peer, Err(e))) => writeln!(log, "clients: client {peer}: {e}"),
        Err(e) => writeln!(log, "clients: a client's task failed: {e}"),
    };
}
