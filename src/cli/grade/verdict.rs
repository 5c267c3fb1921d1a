//! One test, one process: `<binary> --exact <name>`, the model cargo-nextest uses. Its
//! verdict comes from how the process ended and from libtest's `--logfile`, never from what it
//! printed: the code under test can print `test x ... ok` lines, but it cannot make the process
//! exit 0 with an `ok <name>` line in the logfile without finishing the test. A hang costs its
//! own test only, and the score does not depend on how many cores share the tests.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use super::super::cargo::tidy;
use super::super::libtest::{Logged, failure_section, logged, without_logfile_warning};
use super::super::outcome::{bounded, clip, verdict_first};
use super::super::process::{Limits, run_limited, scratch_path};

/// The most a test may write to a file, its output included: a test that prints forever is
/// stopped (`SIGXFSZ`) instead of filling the disk.
pub const OUTPUT_LIMIT: u64 = 8 << 20;

/// How one test ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    /// It ran and failed: an assertion, a snapshot, a panic in the code under test.
    Fail,
    /// It did not finish before its deadline and was killed.
    Timeout,
    /// It could not run or did not finish normally: a compile error, a crash, an early exit.
    Error,
    /// It passed without checking anything and said why (no ICMP permission, no IPv6 loopback).
    Skipped,
}

impl Verdict {
    /// The word used in reports: pass, fail, timeout, error, skipped.
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::Timeout => "timeout",
            Verdict::Error => "error",
            Verdict::Skipped => "skipped",
        }
    }

    /// The status in Exercism's `results.json` terms: pass, fail, error, skip. A timeout is the
    /// code under test failing (it hangs), so it is a `fail` there.
    pub fn status(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail | Verdict::Timeout => "fail",
            Verdict::Error => "error",
            Verdict::Skipped => "skip",
        }
    }
}

/// One declared test's result.
#[derive(Debug, Clone)]
pub struct TestVerdict {
    /// `module::function` in the chapter's test target.
    pub name: String,
    pub verdict: Verdict,
    /// Why it did not pass (the panic message, the snapshot diff, the signal, the skip reason).
    pub message: String,
    /// What the code under test printed before it failed, bounded.
    pub output: String,
    pub seconds: f64,
}

impl TestVerdict {
    /// A test that could not run, for `reason`.
    pub fn error(name: &str, reason: &str) -> TestVerdict {
        TestVerdict {
            name: name.to_string(),
            verdict: Verdict::Error,
            message: reason.to_string(),
            output: String::new(),
            seconds: 0.0,
        }
    }
}

/// The environment of every test process: only what a test needs, and the variables that keep
/// snapshots honest (compared, never rewritten or forced to pass). Nothing else of the
/// grader's environment reaches the code under test.
pub fn test_env(cmd: &mut Command, root: &Path) {
    cmd.env_clear();
    for key in ["PATH", "HOME", "TMPDIR", "USER", "LOGNAME", "LANG", "TZ"] {
        if let Some(value) = std::env::var_os(key) {
            cmd.env(key, value);
        }
    }
    cmd.env("INSTA_UPDATE", "no")
        .env("INSTA_FORCE_PASS", "0")
        .env("INSTA_WORKSPACE_ROOT", root)
        .env("RUST_BACKTRACE", "0");
}

/// The names a test binary lists (`--list --format terse`).
pub fn list(exe: &Path, root: &Path) -> Result<Vec<String>, String> {
    let mut cmd = Command::new(exe);
    cmd.current_dir(root).args(["--list", "--format", "terse"]);
    test_env(&mut cmd, root);
    let listed = run_limited(
        cmd,
        Duration::from_secs(60),
        Limits {
            file_bytes: Some(OUTPUT_LIMIT),
        },
    )
    .map_err(|err| format!("cannot start {}: {err}", exe.display()))?;
    if !listed.success {
        return Err(format!(
            "{} could not list its tests:\n{}",
            exe.display(),
            bounded(&listed.stderr, 20, 2000)
        ));
    }
    Ok(listed
        .stdout
        .lines()
        .filter_map(|l| l.strip_suffix(": test"))
        .map(str::to_string)
        .collect())
}

/// Runs the test `name` of `exe` alone, in its own process, with `deadline`.
pub fn run_test(exe: &Path, root: &Path, name: &str, deadline: Duration) -> TestVerdict {
    let log = scratch_path("log");
    let mut cmd = Command::new(exe);
    cmd.current_dir(root)
        .args(["--exact", name, "--test-threads", "1", "--color", "never"])
        .arg("--logfile")
        .arg(&log);
    test_env(&mut cmd, root);
    let ran = run_limited(
        cmd,
        deadline,
        Limits {
            file_bytes: Some(OUTPUT_LIMIT),
        },
    );
    let log_text = std::fs::read_to_string(&log).unwrap_or_default();
    let _ = std::fs::remove_file(&log);
    let ran = match ran {
        Ok(ran) => ran,
        Err(err) => return TestVerdict::error(name, &format!("cannot start the test: {err}")),
    };
    let stdout = steady(&tidy(&ran.stdout));
    let stderr = steady(&tidy(&without_logfile_warning(&ran.stderr)));
    let section = failure_section(&stdout, name);
    let (verdict_text, printed) = verdict_first(&section);
    let mut v = TestVerdict {
        name: name.to_string(),
        verdict: Verdict::Error,
        message: String::new(),
        output: bounded(printed.trim_end(), 20, 2000),
        seconds: ran.elapsed.as_secs_f64(),
    };
    let everything = || bounded(format!("{stdout}{stderr}").trim_end(), 20, 2000);
    let how = match (ran.status.and_then(|s| s.code()), ran.signal()) {
        (Some(code), _) => format!("exited with status {code}"),
        (None, Some(libc::SIGXFSZ)) => format!(
            "was stopped for printing more than {} MiB",
            OUTPUT_LIMIT >> 20
        ),
        (None, Some(signal)) => format!("was killed by signal {signal} ({})", signal_name(signal)),
        (None, None) => "ended in a way that could not be read".to_string(),
    };
    if ran.timed_out {
        v.verdict = Verdict::Timeout;
        v.message = format!(
            "did not finish within {} s and was killed: something blocks forever (a read with \
             no timeout, an accept that never returns, a loop that never ends)",
            deadline.as_secs()
        );
        v.output = everything();
        return v;
    }
    match (logged(&log_text, name), ran.success) {
        (Some(Logged::Ok), true) => {
            let skip = format!("SKIPPED {name}: ");
            match stderr.lines().find_map(|l| l.strip_prefix(&skip)) {
                Some(why) => {
                    v.verdict = Verdict::Skipped;
                    v.message = why.to_string();
                }
                None => v.verdict = Verdict::Pass,
            }
        }
        (Some(Logged::Ok), false) => {
            v.message = format!(
                "the test passed, then its process {how}: the code under test ended the process \
                 after the test returned (a thread calling `exit`, an abort)"
            );
            v.output = everything();
        }
        (Some(Logged::Failed), _) => {
            v.verdict = Verdict::Fail;
            v.message = clip(verdict_text.trim_end(), 60, 6000);
            if v.message.is_empty() {
                v.message = everything();
            }
        }
        (Some(Logged::Ignored), _) => {
            v.verdict = Verdict::Skipped;
            v.message = "the course marks this test #[ignore]".to_string();
        }
        (None, _) => {
            v.message = if ran.success {
                "the test process exited with status 0 before the test finished: the code under \
                 test ended the process (`std::process::exit`?), so the test never ran to its end"
                    .to_string()
            } else {
                format!(
                    "the test process {how} before the test finished (a stack overflow, an abort, \
                     an `exit` in the code under test)"
                )
            };
            v.output = everything();
        }
    }
    v
}

/// libtest's text without what changes from run to run or says nothing to a grader: thread ids
/// in panic headers (`thread 'a::b' (12345) panicked`) and the backtrace advice.
fn steady(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if line.starts_with("note: run with `RUST_BACKTRACE=1`") {
            continue;
        }
        let without_id = line.strip_prefix("thread '").and_then(|rest| {
            let (name, after) = rest.split_once("' (")?;
            let (id, tail) = after.split_once(')')?;
            id.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| format!("thread '{name}'{tail}"))
        });
        match without_id {
            Some(l) => out.push_str(&l),
            None => out.push_str(line),
        }
    }
    out
}

/// The line of a failure message that says what went wrong: the panic's text rather than the
/// `thread '…' panicked at` header, or which snapshot differs.
pub fn summary_line(message: &str) -> String {
    if let Some(name) = message.lines().find_map(|l| l.strip_prefix("Snapshot: ")) {
        return format!("snapshot `{name}` differs from the expected output");
    }
    message
        .lines()
        .find(|l| {
            let l = l.trim();
            let header = l.starts_with("thread '") && l.ends_with(':');
            !(l.is_empty() || header)
        })
        .unwrap_or_default()
        .to_string()
}

fn signal_name(signal: i32) -> &'static str {
    match signal {
        libc::SIGABRT => "SIGABRT: an abort, e.g. a stack overflow",
        libc::SIGSEGV => "SIGSEGV: a bad memory access or a stack overflow",
        libc::SIGKILL => "SIGKILL",
        libc::SIGTERM => "SIGTERM",
        libc::SIGBUS => "SIGBUS",
        libc::SIGILL => "SIGILL",
        libc::SIGFPE => "SIGFPE",
        libc::SIGPIPE => "SIGPIPE",
        _ => "a signal",
    }
}

#[cfg(test)]
mod tests {
    //! Each test drives a small shell script standing in for a libtest binary: it receives the
    //! same arguments, so it can write the logfile, print, exit, crash or hang as a test would.

    use std::os::unix::fs::PermissionsExt;
    use std::path::PathBuf;
    use std::time::Instant;

    use super::*;

    /// A fake test binary running `body` with `$LOG` set to the logfile libtest would write.
    fn fake(body: &str) -> PathBuf {
        let path = scratch_path("fake-test");
        let script = format!(
            "#!/bin/sh\nwhile [ $# -gt 0 ]; do [ \"$1\" = --logfile ] && LOG=$2; shift; done\n{body}\n"
        );
        std::fs::write(&path, script).expect("write the fake test");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        path
    }

    fn verdict_of(body: &str, deadline: Duration) -> TestVerdict {
        let exe = fake(body);
        let v = run_test(&exe, Path::new("/"), "a::t", deadline);
        let _ = std::fs::remove_file(exe);
        v
    }

    const SECONDS: Duration = Duration::from_secs(20);

    #[test]
    fn messages_lose_thread_ids_and_backtrace_advice() {
        assert_eq!(
            steady(
                "thread 'a::b' (12345) panicked at x.rs:1:2:\nboom\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n"
            ),
            "thread 'a::b' panicked at x.rs:1:2:\nboom\n"
        );
        assert_eq!(
            summary_line("thread 'a::b' panicked at x.rs:1:2:\nexpected 1, got 2\n"),
            "expected 1, got 2"
        );
        assert_eq!(
            summary_line(
                "━━ Snapshot Summary ━━\nSnapshot file: x.snap\nSnapshot: each_question\n"
            ),
            "snapshot `each_question` differs from the expected output"
        );
    }

    #[test]
    fn a_pass_needs_the_logfile_line_and_exit_status_zero() {
        let v = verdict_of("echo 'ok a::t' > $LOG; exit 0", SECONDS);
        assert_eq!(v.verdict, Verdict::Pass, "{v:?}");
    }

    #[test]
    fn printed_verdicts_without_the_logfile_line_are_an_error_not_a_pass() {
        let v = verdict_of(
            "echo 'test a::t ... ok'; echo 'test result: ok. 1 passed'; exit 0",
            SECONDS,
        );
        assert_eq!(v.verdict, Verdict::Error, "{v:?}");
        assert!(v.message.contains("exited with status 0 before"), "{v:?}");
    }

    #[test]
    fn a_failure_keeps_the_panic_message_and_what_was_printed_apart() {
        let v = verdict_of(
            "printf 'failed a::t\\n' > $LOG\nprintf 'running 1 test\\n\\nfailures:\\n\\n---- a::t stdout ----\\nmy debug line\\nthread '\\''a::t'\\'' panicked at tests/x.rs:1:1:\\nexpected 1, got 2\\n\\nfailures:\\n    a::t\\n'; exit 101",
            SECONDS,
        );
        assert_eq!(v.verdict, Verdict::Fail, "{v:?}");
        assert!(v.message.starts_with("thread 'a::t' panicked"), "{v:?}");
        assert!(v.message.contains("expected 1, got 2"), "{v:?}");
        assert_eq!(v.output, "my debug line");
    }

    #[test]
    fn a_skip_is_a_pass_that_said_so_and_is_never_counted_as_a_pass() {
        let v = verdict_of(
            "echo 'SKIPPED a::t: no permission to open ICMP sockets' >&2; echo 'ok a::t' > $LOG",
            SECONDS,
        );
        assert_eq!(v.verdict, Verdict::Skipped, "{v:?}");
        assert_eq!(v.message, "no permission to open ICMP sockets");
        // Another test's skip line does not skip this one.
        let v = verdict_of(
            "echo 'SKIPPED a::other: why' >&2; echo 'ok a::t' > $LOG",
            SECONDS,
        );
        assert_eq!(v.verdict, Verdict::Pass, "{v:?}");
    }

    #[test]
    fn a_crash_is_an_error_that_names_the_signal() {
        let v = verdict_of("kill -SEGV $$", SECONDS);
        assert_eq!(v.verdict, Verdict::Error, "{v:?}");
        assert!(v.message.contains("signal 11"), "{v:?}");
    }

    #[test]
    fn a_hang_is_a_timeout_at_the_tests_own_deadline() {
        let start = Instant::now();
        let v = verdict_of("sleep 30", Duration::from_millis(300));
        assert_eq!(v.verdict, Verdict::Timeout, "{v:?}");
        assert!(start.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn a_detached_descendant_cannot_stretch_a_passing_test() {
        super::super::super::process::become_subreaper();
        let start = Instant::now();
        let v = verdict_of("setsid sleep 30 & echo 'ok a::t' > $LOG; exit 0", SECONDS);
        assert_eq!(v.verdict, Verdict::Pass, "{v:?}");
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "waited {:?}",
            start.elapsed()
        );
    }

    #[test]
    fn passing_then_exiting_non_zero_is_an_error() {
        let v = verdict_of("echo 'ok a::t' > $LOG; exit 3", SECONDS);
        assert_eq!(v.verdict, Verdict::Error, "{v:?}");
        assert!(v.message.contains("exited with status 3"), "{v:?}");
    }
}
