//! Saying what to fix when a check fails, and saying loudly when one could not run.

use std::fmt::{Debug, Display};
use std::io::Write as _;
use std::thread::JoinHandle;

/// Fails with a message that names the call, what was expected and what came back.
///
/// ```
/// netlings::harness::expect_eq("parse_ip(\"::1\")", Some(1), Some(1));
/// ```
#[track_caller]
pub fn expect_eq<T: PartialEq + Debug>(call: impl Display, got: T, expected: T) {
    if got != expected {
        panic!("{call}\n    expected: {expected:?}\n         got: {got:?}");
    }
}

/// Says loudly that the calling test did not run, and why: a skipped check must never look like
/// a pass. It writes `SKIPPED <test>: <why>` to the process's stderr itself, because the test
/// harness captures `eprintln!` of passing tests and would hide the reason; `netlings check`
/// reads that line and shows the test as skipped. The test is named by its thread, which libtest
/// names after it.
pub fn skip(why: &str) {
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("a test");
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
}

/// Waits for every one of `clients` (threads that each return `Ok` or what went wrong) and says
/// how many failed and how the first did: `"3 of 40 clients failed; the first: ..."`, where
/// `what` names them ("clients"). A thread that panicked counts as a failure.
pub fn all_succeed(clients: Vec<JoinHandle<Result<(), String>>>, what: &str) -> Result<(), String> {
    let n = clients.len();
    let errors: Vec<String> = clients
        .into_iter()
        .filter_map(|c| {
            c.join()
                .unwrap_or_else(|_| Err("a client thread panicked".into()))
                .err()
        })
        .collect();
    match errors.first() {
        None => Ok(()),
        Some(first) => Err(format!(
            "{} of {n} {what} failed; the first: {first}",
            errors.len()
        )),
    }
}
