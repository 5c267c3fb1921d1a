//! Checking one step: build its chapter's test target, list the step's tests, run them with the
//! chapter's deadline, and collect an [`Outcome`]. And running a chapter's program.

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use netlings::catalog::{EXERCISES, Exercise};

use super::cargo::{Source, build, cargo_run, honest_env, tidy};
use super::libtest::{
    Logged, declared_tests, logged, mark_skipped, parse_libtest, step_tests,
    without_logfile_warning,
};
use super::outcome::{Outcome, Status, TestResult};
use super::process::{run_with_deadline, scratch_path};

/// Compiles step `e`'s chapter target against `target` and runs the step's tests.
pub fn check_step(root: &Path, e: &Exercise, target: Source) -> Outcome {
    let start = Instant::now();
    let outcome = |status, tests, output: String| Outcome {
        status,
        tests,
        output,
        elapsed: start.elapsed(),
    };
    let exe = match build(root, e, target) {
        Ok(exe) => exe,
        Err((status, output)) => return outcome(status, vec![], output),
    };

    // libtest filters by substring (`ip::` would also pick `parse_ip::`), so list the target's
    // tests and name this step's exactly.
    let names = match step_tests(&exe, root, e) {
        Ok(names) if !names.is_empty() => names,
        Ok(_) => {
            return outcome(
                Status::Error,
                vec![],
                format!("{} has no tests for this step", e.chapter.test_path()),
            );
        }
        Err(err) => return outcome(Status::Error, vec![], err),
    };
    let log = scratch_path("log");
    let mut tests = Command::new(&exe);
    tests
        .current_dir(root)
        .args(["--color", "never", "--exact", "--logfile"])
        .arg(&log)
        .args(&names);
    honest_env(&mut tests, root);
    let limit = Duration::from_secs(e.chapter.timeout_secs);
    let ran = run_with_deadline(tests, limit);
    let logged_text = std::fs::read_to_string(&log).unwrap_or_default();
    let _ = std::fs::remove_file(&log);
    let ran = match ran {
        Ok(ran) => ran,
        Err(err) => {
            return outcome(
                Status::Error,
                vec![],
                format!("cannot start the tests: {err}"),
            );
        }
    };
    let stderr = without_logfile_warning(&ran.stderr);
    let output = tidy(&format!("{}{stderr}", ran.stdout));
    // The verdicts come from libtest's logfile, which the code under test does not print to:
    // a stray `print!` without a newline cannot hide or invent a `test ... ok` line. The
    // stdout sections give each failure's message.
    let printed = parse_libtest(&tidy(&ran.stdout));
    let source = std::fs::read_to_string(root.join(e.chapter.test_path())).unwrap_or_default();
    let mut order: Vec<String> = declared_tests(&source)
        .into_iter()
        .filter(|name| names.contains(name))
        .collect();
    let missing: Vec<String> = names
        .iter()
        .filter(|n| !order.contains(n))
        .cloned()
        .collect();
    order.extend(missing);
    let mut results = Vec::new();
    let mut unfinished = Vec::new();
    for name in order {
        let output_of = || {
            printed
                .iter()
                .find(|t| t.name == name)
                .map(|t| t.output.clone())
                .unwrap_or_default()
        };
        match logged(&logged_text, &name) {
            Some(Logged::Ok) | Some(Logged::Ignored) => results.push(TestResult {
                name,
                passed: true,
                output: String::new(),
                skipped: None,
            }),
            Some(Logged::Failed) => results.push(TestResult {
                output: output_of(),
                name,
                passed: false,
                skipped: None,
            }),
            None => unfinished.push(name),
        }
    }
    mark_skipped(&mut results, &stderr);
    let why = if ran.timed_out {
        format!("did not finish within {} s", e.chapter.timeout_secs)
    } else {
        "did not finish: the test process ended first (an exit, an abort or a crash)".to_string()
    };
    let cut_short = !unfinished.is_empty();
    for name in unfinished {
        results.push(TestResult {
            name,
            passed: false,
            output: why.clone(),
            skipped: None,
        });
    }
    let status = if ran.timed_out {
        Status::TimedOut
    } else if cut_short {
        Status::Error
    } else if ran.success && results.iter().all(|t| t.passed) {
        Status::Pass
    } else {
        Status::Fail
    };
    let output = if status == Status::Error {
        format!("the test process ended before every test had finished:\n{output}")
    } else {
        output
    };
    outcome(status, results, output)
}

/// `netlings run`: the learner's (or the reference) program through `cargo run`, with the
/// terminal attached, so it behaves as it would on its own.
pub fn run_example(
    root: &Path,
    e: &Exercise,
    solution: bool,
    args: &[String],
) -> Result<ExitCode, String> {
    if !e.is_program() {
        let program = EXERCISES
            .iter()
            .find(|p| std::ptr::eq(p.chapter, e.chapter) && p.is_program())
            .map_or("", |p| p.name);
        return Err(format!(
            "`{}` is a step, not a program: the chapter's program is `{program}`",
            e.name
        ));
    }
    let mut cmd = cargo_run(root, e, solution, false);
    cmd.args(args);
    // Ctrl-C goes to the whole foreground process group: netlings and the program. The program
    // must get it (a ping prints its summary, a server shuts down) and netlings must outlive it,
    // to wait and pass its exit status on. So netlings ignores SIGINT while the program runs,
    // and the program gets the default action back before it starts.
    // SAFETY: `signal` only changes this process's disposition; in `pre_exec` (between fork
    // and exec) it is async-signal-safe.
    unsafe {
        cmd.pre_exec(|| {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            Ok(())
        });
    }
    let previous = unsafe { libc::signal(libc::SIGINT, libc::SIG_IGN) };
    let status = cmd.status();
    unsafe { libc::signal(libc::SIGINT, previous) };
    let status = status.map_err(|err| format!("cannot start cargo: {err}"))?;
    Ok(ExitCode::from(exit_code(status)))
}

/// The status a shell would report for `status`: the exit code, or 128 + the signal number for
/// a program a signal ended (130 after Ctrl-C).
fn exit_code(status: std::process::ExitStatus) -> u8 {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => u8::try_from(code).unwrap_or(1),
        (None, Some(signal)) => u8::try_from(128 + signal).unwrap_or(1),
        (None, None) => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_program_ended_by_a_signal_exits_like_it_would_in_a_shell() {
        let run = |script: &str| {
            let status = Command::new("sh")
                .args(["-c", script])
                .status()
                .expect("sh runs");
            exit_code(status)
        };
        assert_eq!(run("exit 0"), 0);
        assert_eq!(run("exit 3"), 3);
        assert_eq!(run("kill -INT $$"), 130);
        assert_eq!(run("kill -TERM $$"), 143);
    }
}
