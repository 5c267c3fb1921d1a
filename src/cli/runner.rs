//! Checking one step: build its chapter's test target, list the step's tests, run them with the
//! chapter's deadline, and collect an [`Outcome`]. And running a chapter's program.

use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use netlings::catalog::{EXERCISES, Exercise};

use super::cargo::{Source, build, honest_env, tidy};
use super::libtest::{declared_tests, mark_skipped, parse_libtest, step_tests};
use super::outcome::{Outcome, Status, TestResult};
use super::process::run_with_deadline;

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
    let mut tests = Command::new(&exe);
    tests
        .current_dir(root)
        .args(["--color", "never", "--exact"])
        .args(&names);
    honest_env(&mut tests, root);
    let limit = Duration::from_secs(e.chapter.timeout_secs);
    let ran = match run_with_deadline(tests, limit) {
        Ok(ran) => ran,
        Err(err) => {
            return outcome(
                Status::Error,
                vec![],
                format!("cannot start the tests: {err}"),
            );
        }
    };
    let output = tidy(&format!("{}{}", ran.stdout, ran.stderr));
    let mut results = parse_libtest(&tidy(&ran.stdout));
    mark_skipped(&mut results, &ran.stderr);
    // Report in the order the tests are written, simplest first, not in the order threads
    // happened to finish.
    let source = std::fs::read_to_string(root.join(e.chapter.test_path())).unwrap_or_default();
    let declared: Vec<String> = declared_tests(&source)
        .into_iter()
        .filter(|name| name.starts_with(&e.test_prefix()))
        .collect();
    results.sort_by_key(|t| declared.iter().position(|d| *d == t.name));
    if ran.timed_out {
        // Name the tests that never reported: one of them is the one that hangs.
        for name in declared {
            if !results.iter().any(|t| t.name == name) {
                results.push(TestResult {
                    name,
                    passed: false,
                    output: format!("did not finish within {} s", e.chapter.timeout_secs),
                    skipped: None,
                });
            }
        }
    }
    let status = if ran.timed_out {
        Status::TimedOut
    } else if ran.success && !results.is_empty() {
        Status::Pass
    } else if results.is_empty() {
        Status::Error
    } else {
        Status::Fail
    };
    let output = if status == Status::Error && results.is_empty() {
        format!("the test binary reported no tests:\n{output}")
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
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(root).args(["run", "--quiet", "--example"]);
    cmd.arg(if solution {
        e.solution_example()
    } else {
        e.example()
    });
    let features = e.chapter.cargo_features(solution);
    if !features.is_empty() {
        cmd.args(["--features", &features.join(",")]);
    }
    let status = cmd
        .arg("--")
        .args(args)
        .status()
        .map_err(|err| format!("cannot start cargo: {err}"))?;
    Ok(match status.code() {
        Some(0) => ExitCode::SUCCESS,
        Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        None => ExitCode::FAILURE,
    })
}
