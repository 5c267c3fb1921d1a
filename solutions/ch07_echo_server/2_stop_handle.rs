//! Step 7.2 · `stop-handle` — stopping a server that is blocked in `accept`.

use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use netlings::support::stopping::loopback_if_unspecified;

/// How long [`StopHandle::stop`] tries to reach the server it wakes.
pub const WAKE_TIMEOUT: Duration = Duration::from_secs(1);

/// Asks a running server to stop. Clone it to give it to another thread: the clones share one
/// flag.
#[derive(Clone, Debug)]
pub struct StopHandle {
    stopping: Arc<AtomicBool>,
    /// Where to connect to wake an `accept` that is waiting.
    wake_addr: SocketAddr,
}

impl StopHandle {
    /// A handle for the server that will run on `listener`: not stopping yet.
    pub fn new(listener: &TcpListener) -> io::Result<Self> {
        Ok(Self {
            stopping: Arc::new(AtomicBool::new(false)),
            // A server listening on every interface (0.0.0.0 or ::) is reachable on loopback.
            wake_addr: loopback_if_unspecified(listener.local_addr()?),
        })
    }

    /// Whether [`stop`](Self::stop) was called, on this handle or a clone.
    pub fn is_stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }

    /// Where [`stop`](Self::stop) connects to.
    pub fn wake_addr(&self) -> SocketAddr {
        self.wake_addr
    }

    /// Asks the server to stop and returns at once; the server's loop sees it at its next turn.
    pub fn stop(&self) {
        // The flag first: the loop that our connection wakes must find it set.
        self.stopping.store(true, Ordering::SeqCst);
        // `accept` blocks until a connection arrives and has no timeout: make one. If it fails,
        // the server is already gone, and there is nobody left to wake.
        let _ = TcpStream::connect_timeout(&self.wake_addr, WAKE_TIMEOUT);
    }
}
