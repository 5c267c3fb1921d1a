//! What an accept loop does when `accept` fails (chapters 8 and 10; chapter 7's loop can use
//! it too): wait before the next try while the process is out of resources, and say so once per
//! burst of failures, not once per try.
//!
//! `accept` fails for two kinds of reasons. Some concern one connection: a client that reset
//! before it was accepted (`ECONNABORTED`), a signal (`EINTR`). The next `accept` is fine, so
//! try again at once. Others concern the process or the machine: no file descriptor left
//! (`EMFILE`, `ENFILE`), no memory for the socket (`ENOBUFS`, `ENOMEM`). Those last until other
//! connections close, and the client that could not be accepted is still in the queue, so the
//! next `accept` fails at once, the same way. A loop that retries at once spins at full CPU and
//! writes a log line per try: millions a second. Go's `net/http` server waits 5 ms after such an
//! error, doubling up to 1 s; [`AcceptBackoff`] does the same. An error it does not know also
//! waits: a loop must never spin, whatever the kernel says.
//!
//! ```
//! use std::io;
//! use std::time::Duration;
//! use netlings::support::accept::AcceptBackoff;
//!
//! let mut backoff = AcceptBackoff::new();
//! let emfile = io::Error::from_raw_os_error(libc::EMFILE);
//! let first = backoff.failed(&emfile);
//! assert_eq!(first.wait, Duration::from_millis(5));
//! assert!(first.log.is_some(), "the first failure of a burst is logged");
//! let second = backoff.failed(&emfile);
//! assert_eq!(second.wait, Duration::from_millis(10));
//! assert_eq!(second.log, None, "the rest of the burst is not");
//! assert!(backoff.accepted().unwrap().starts_with("accept: working again after 2 failures"));
//! assert_eq!(backoff.accepted(), None);
//! ```

use std::io;
use std::time::{Duration, Instant};

use crate::support::duration::show;

/// The wait after the first failure that is not about one connection.
pub const FIRST_WAIT: Duration = Duration::from_millis(5);

/// The longest wait: a server out of descriptors is back within a second of one closing.
pub const MAX_WAIT: Duration = Duration::from_secs(1);

/// What to do after a failed `accept`: log `log` if there is one, then sleep `wait`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retry {
    /// The line to log: the first failure of a burst, or the first that makes the loop wait.
    pub log: Option<String>,
    /// How long to sleep before the next `accept` (zero after a failure of one connection).
    pub wait: Duration,
}

/// The state of an accept loop's failures: how many in a row, and how long it now waits.
///
/// Call [`failed`](Self::failed) after every failed `accept` and
/// [`accepted`](Self::accepted) after every successful one.
#[derive(Debug, Default)]
pub struct AcceptBackoff {
    /// Failed accepts since the last success.
    failures: u64,
    /// When the first of them happened.
    since: Option<Instant>,
    /// The current wait: zero until an error that is not about one connection.
    wait: Duration,
}

impl AcceptBackoff {
    /// No failures yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// After `accept` failed with `err`: the line to log, if any, and how long to wait.
    ///
    /// A failure of one connection ([`about_one_connection`]) waits for nothing. Any other
    /// waits [`FIRST_WAIT`], then twice as long each time in a row, up to [`MAX_WAIT`]. Only the
    /// first failure of a burst is logged, and the first that waits: `accept: <err>`.
    pub fn failed(&mut self, err: &io::Error) -> Retry {
        self.failures += 1;
        let first = self.since.is_none();
        self.since.get_or_insert_with(Instant::now);
        if about_one_connection(err) {
            let log = first.then(|| format!("accept: {err}"));
            return Retry {
                log,
                wait: Duration::ZERO,
            };
        }
        let started_waiting = self.wait.is_zero();
        self.wait = if started_waiting {
            FIRST_WAIT
        } else {
            (self.wait * 2).min(MAX_WAIT)
        };
        let log = (first || started_waiting).then(|| {
            let why = if is_out_of_resources(err) {
                "out of resources"
            } else {
                "an unexpected error"
            };
            format!(
                "accept: {err} ({why}: waiting {} before the next accept, then longer, up to {}, \
                 logging nothing more until it works)",
                show(FIRST_WAIT),
                show(MAX_WAIT)
            )
        });
        Retry {
            log,
            wait: self.wait,
        }
    }

    /// After a successful `accept`: the line that ends a burst of failures, if it deserves one
    /// (more than one failure, or any wait); `None` otherwise.
    pub fn accepted(&mut self) -> Option<String> {
        let failures = std::mem::take(&mut self.failures);
        let waited = !std::mem::take(&mut self.wait).is_zero();
        let since = self.since.take()?;
        (failures > 1 || waited).then(|| {
            format!(
                "accept: working again after {failures} failures in {}",
                show(since.elapsed())
            )
        })
    }
}

/// Whether `err`, from `accept`, concerns one connection only, so the next `accept` may well
/// work: a client that gave up before it was accepted, a signal, or one of the network errors
/// Linux passes on from the new connection (accept(2), "Error handling").
pub fn about_one_connection(err: &io::Error) -> bool {
    use io::ErrorKind::*;
    matches!(
        err.kind(),
        ConnectionAborted
            | ConnectionReset
            | Interrupted
            | WouldBlock
            | TimedOut
            | PermissionDenied
            | HostUnreachable
            | NetworkUnreachable
            | NetworkDown
    ) || err.raw_os_error() == Some(libc::EPROTO)
}

/// Whether `err` says the process or the machine is out of something a connection needs: file
/// descriptors (`EMFILE` for this process, `ENFILE` for the whole system) or memory for the
/// socket (`ENOBUFS`, `ENOMEM`). These last until other connections close.
pub fn is_out_of_resources(err: &io::Error) -> bool {
    matches!(
        err.raw_os_error(),
        Some(libc::EMFILE | libc::ENFILE | libc::ENOBUFS | libc::ENOMEM)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(code: i32) -> io::Error {
        io::Error::from_raw_os_error(code)
    }

    #[test]
    fn out_of_resources_waits_longer_each_time_up_to_a_second_and_logs_once() {
        let mut backoff = AcceptBackoff::new();
        let emfile = os(libc::EMFILE);
        let retries: Vec<Retry> = (0..12).map(|_| backoff.failed(&emfile)).collect();
        let waits: Vec<u128> = retries.iter().map(|r| r.wait.as_millis()).collect();
        assert_eq!(
            waits,
            [5, 10, 20, 40, 80, 160, 320, 640, 1000, 1000, 1000, 1000]
        );
        let first = retries[0]
            .log
            .as_deref()
            .expect("the first failure is logged");
        assert!(first.starts_with(
            "accept: Too many open files (os error 24) (out of resources: waiting 5ms"
        ));
        assert!(retries[1..].iter().all(|r| r.log.is_none()));
        let end = backoff.accepted().expect("a burst ends with a line");
        assert!(
            end.starts_with("accept: working again after 12 failures in "),
            "{end}"
        );
        // A new burst starts from the first wait again.
        assert_eq!(backoff.failed(&emfile).wait, FIRST_WAIT);
    }

    #[test]
    fn a_failure_of_one_connection_waits_for_nothing() {
        let mut backoff = AcceptBackoff::new();
        let aborted = io::Error::from(io::ErrorKind::ConnectionAborted);
        let retry = backoff.failed(&aborted);
        assert_eq!(retry.wait, Duration::ZERO);
        assert_eq!(retry.log.as_deref(), Some("accept: connection aborted"));
        assert_eq!(
            backoff.accepted(),
            None,
            "one failure, no wait: nothing to add"
        );
        assert_eq!(backoff.failed(&os(libc::EPROTO)).wait, Duration::ZERO);
    }

    #[test]
    fn an_unknown_error_waits_too_so_the_loop_never_spins() {
        let mut backoff = AcceptBackoff::new();
        let retry = backoff.failed(&os(libc::EBADF));
        assert_eq!(retry.wait, FIRST_WAIT);
        assert!(
            retry
                .log
                .unwrap()
                .contains("(an unexpected error: waiting 5ms")
        );
    }

    #[test]
    fn the_first_wait_of_a_burst_is_logged_even_after_a_failure_of_one_connection() {
        let mut backoff = AcceptBackoff::new();
        assert!(
            backoff
                .failed(&io::Error::from(io::ErrorKind::ConnectionReset))
                .log
                .is_some()
        );
        let retry = backoff.failed(&os(libc::ENFILE));
        assert!(retry.log.is_some());
        assert!(backoff.failed(&os(libc::ENFILE)).log.is_none());
    }

    #[test]
    fn out_of_resources_means_descriptors_or_memory() {
        for code in [libc::EMFILE, libc::ENFILE, libc::ENOBUFS, libc::ENOMEM] {
            assert!(is_out_of_resources(&os(code)), "{code}");
            assert!(!about_one_connection(&os(code)), "{code}");
        }
        assert!(!is_out_of_resources(&os(libc::ECONNABORTED)));
    }
}
