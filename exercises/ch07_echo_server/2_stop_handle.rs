//! Step 7.2 · `stop-handle` — stopping a server that is blocked in `accept`.
//!
//! Read: chapter 7, "Step 2" (book/src/ch07_echo_server.md).   Check: `cargo run -- check stop-handle`
//!
//! `loopback_if_unspecified` comes from the library (`netlings::support::stopping`).

// Your code will use these imports and parameters; until it does, they are unused.
#![allow(unused_imports, unused_variables)]

use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use netlings::support::stopping::loopback_if_unspecified;

/// How long [`StopHandle::stop`] tries to reach the server it wakes.
pub const WAKE_TIMEOUT: Duration = Duration::from_secs(1);

// ANCHOR: contract
/// Asks a running server to stop. Clone it to give it to another thread: the clones share one
/// flag.
#[derive(Clone, Debug)]
pub struct StopHandle {
    stopping: Arc<AtomicBool>,
    /// Where to connect to wake an `accept` that is waiting.
    wake_addr: SocketAddr,
}

impl StopHandle {
    /// A handle for the server that will run on `listener`: not stopping yet, and waking it at
    /// the listener's address (a wildcard address becomes loopback: `loopback_if_unspecified`).
    pub fn new(listener: &TcpListener) -> io::Result<Self> {
        // TODO: a fresh flag, and the address to wake.
        todo!("StopHandle::new({:?})", listener.local_addr())
    }

    /// Whether [`stop`](Self::stop) was called, on this handle or a clone.
    pub fn is_stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }

    /// Where [`stop`](Self::stop) connects to.
    pub fn wake_addr(&self) -> SocketAddr {
        self.wake_addr
    }

    /// Asks the server to stop and returns at once: sets the flag, then wakes the server's
    /// `accept` by connecting to [`wake_addr`](Self::wake_addr), giving up after
    /// [`WAKE_TIMEOUT`]. If nobody listens there any more, there is nothing to wake: that is
    /// not an error.
    pub fn stop(&self) {
        // TODO: the flag, then a connection.
        todo!("StopHandle::stop() for {}", self.wake_addr)
    }
}
// ANCHOR_END: contract
