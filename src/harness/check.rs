//! Saying what to fix when a check fails, and saying loudly when one could not run.

use std::fmt::{Debug, Display};
use std::io::Write as _;

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
