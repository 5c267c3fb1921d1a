//! Step 15.2 · `async-echo` — the echo server as tasks on a tokio runtime: one task a client, a few
//! threads for all of them.

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

/// Echoes every byte of `conn` until the client's EOF, then shuts our sending side down so the
/// client sees EOF too. Returns how many bytes were echoed.
pub async fn handle_client(conn: TcpStream) -> io::Result<u64> {
    // Two halves of one socket: `copy` reads from one and writes to the other, and waits
    // (without a thread) whenever the client has nothing to say or does not read.
    let (mut from_client, mut to_client) = conn.into_split();
    let echoed = tokio::io::copy(&mut from_client, &mut to_client).await?;
    // Our FIN. Dropping the halves would close too; `shutdown` says when, and reports failure.
    to_client.shutdown().await?;
    Ok(echoed)
}

/// Accepts clients and serves each in a task of its own until `shutdown` completes; then stops
/// accepting, ends every connection and waits for their tasks.
pub async fn serve(
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
    log: &mut (dyn Write + Send),
) {
    // The tasks of the open connections: the set can wait for the next one to end, and abort
    // them all. Reaping finished tasks keeps it from growing with every client ever served.
    let mut tasks = JoinSet::new();
    let mut shutdown = pin!(shutdown);
    loop {
        tokio::select! {
            // In this order, so a stop is seen first and a finished task is logged before the
            // next client is taken.
            biased;
            () = &mut shutdown => break,
            Some(ended) = tasks.join_next() => log_ended(log, ended),
            accepted = listener.accept() => match accepted {
                Ok((conn, peer)) => {
                    // `spawn`, never `.await` here: awaiting would serve one client at a time.
                    tasks.spawn(async move { (peer, handle_client(conn).await) });
                }
                Err(e) => {
                    // Out of descriptors (EMFILE), mostly: pause instead of spinning.
                    let _ = writeln!(log, "clients: accept: {e}");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                }
            },
        }
    }
    // Refuse new clients, then end the open ones: an aborted task drops its `TcpStream`, which
    // closes the connection. Waiting for each task also logs those that failed meanwhile.
    drop(listener);
    tasks.abort_all();
    while let Some(ended) = tasks.join_next().await {
        log_ended(log, ended);
    }
}

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
