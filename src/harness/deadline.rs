//! Waiting with a limit: learner code runs on its own thread, and a check that does not answer
//! in time fails with a message that names the exercise and what it waited for.

use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// The default deadline for one check: generous for a slow CI machine, short for a learner.
pub const DEADLINE: Duration = Duration::from_secs(5);

/// Runs `f` on its own thread and waits at most `limit` for it to finish.
///
/// `exercise` and `waiting_for` name what is being waited for in the failure message, e.g.
/// `within("echo-server", "the echo of client 3", ...)`. A panic in `f` (such as a stub's
/// `todo!()`) is reported with the same context.
///
/// # Panics
/// When `f` panics or does not finish in time; that is how a check fails. The failure points at
/// the test that called `within`, not at the harness.
#[track_caller]
pub fn within<T: Send + 'static>(
    exercise: &str,
    waiting_for: &str,
    limit: Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (tx, rx) = mpsc::channel();
    let spawned = thread::Builder::new()
        .name(format!("{exercise}: {waiting_for}"))
        .spawn(move || {
            let result = panic::catch_unwind(AssertUnwindSafe(f));
            let _ = tx.send(result);
        });
    if let Err(e) = spawned {
        panic!("[{exercise}] could not start a thread for {waiting_for}: {e}");
    }
    match rx.recv_timeout(limit) {
        Ok(Ok(value)) => value,
        Ok(Err(payload)) => panic!(
            "[{exercise}] panicked while {waiting_for}: {}",
            panic_message(payload.as_ref())
        ),
        // The thread is left behind; the test process ends without waiting for it.
        Err(_) => panic!(
            "[{exercise}] timed out after {limit:?} waiting for {waiting_for}.\n\
             Something blocked and never returned: a read with no end (EOF, timeout or \
             deadline), a lock, or a loop that never exits."
        ),
    }
}

/// The text of a panic payload (`panic!` with a string or a formatted message).
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic with a non-text payload".to_string()
    }
}
