//! Step 8.2 · `slow-clients` — chapter 7's echo server with two limits: an idle timeout and a
//! deadline for the whole connection.
//!
//! Read: chapter 8, "Step 2" (book/src/ch08_timeouts.md).   Check: `cargo run -- check slow-clients`
//!
//! Step 1 is given (`netlings::given::timeouts::deadlines`), so this step works even if you
//! skipped it. You write `handle_client`; `serve`, the accept loop, is written for you.

// Your code will use these imports and parameters (and change the `mut` one); until it does,
// they are unused.
#![allow(unused_imports, unused_variables, unused_mut)]

use std::io;
use std::net::{Shutdown, TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use netlings::given::timeouts::deadlines::{read_by, write_by};
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
///   (durations as `show` writes them).
pub fn handle_client(mut conn: TcpStream, limits: Limits) -> io::Result<u64> {
    // TODO: fix the connection's end once; then read by the earlier of (now + idle) and it.
    todo!("handle_client(conn, {limits:?})")
}
// ANCHOR_END: contract

/// Accepts forever, one thread per client. Every connection ends by its deadline, so there is
/// no client this server can be stuck with. (The client threads outlive any `&mut` log this
/// function could borrow, so they report on stderr.)
pub fn serve(listener: TcpListener, limits: Limits) -> io::Result<()> {
    for conn in listener.incoming() {
        let conn = match conn {
            Ok(conn) => conn,
            Err(e) => {
                eprintln!("timeouts: accept: {e}");
                // Out of file descriptors, say: give other connections time to end.
                thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        // A client that already reset has no peer address any more: that is its problem only.
        let peer = conn
            .peer_addr()
            .map_or_else(|e| format!("?({e})"), |a| a.to_string());
        thread::spawn(move || {
            if let Err(e) = handle_client(conn, limits) {
                eprintln!("timeouts: client {peer}: {e}");
            }
        });
    }
    Ok(())
}
