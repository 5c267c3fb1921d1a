//! Compiling and running one exercise's tests through cargo, each step with a deadline.
//!
//! A check is two processes: `cargo test --no-run --test <chapter>` (which compiles only that
//! chapter, so a compile error in another chapter cannot spoil it), then the test binary with
//! the step's filter (`parse_ip::`). Each runs in its own process group and is killed whole when
//! its deadline passes.

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use netlings::catalog::{EXERCISES, Exercise};

use super::term::Colors;

/// How long compiling one exercise may take: a cold build compiles the dependencies too.
const BUILD_DEADLINE: Duration = Duration::from_secs(600);

/// Which file a check grades.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The learner's `exercises/` file.
    Exercise,
    /// The reference `solutions/` file.
    Solution,
}

impl Target {
    /// The file this target compiles for exercise `e`.
    pub fn path(self, e: &Exercise) -> String {
        match self {
            Target::Exercise => e.exercise_path(),
            Target::Solution => e.solution_path(),
        }
    }
}

/// How a check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Every test passed.
    Pass,
    /// It compiled, and at least one test failed.
    Fail,
    /// The exercise (or its tests) did not compile.
    CompileError,
    /// The tests did not finish before the exercise's deadline.
    TimedOut,
    /// cargo itself could not be started or said something unexpected.
    Error,
}

impl Status {
    /// The word used in lists and reports.
    pub fn word(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::CompileError => "compile-error",
            Status::TimedOut => "timeout",
            Status::Error => "error",
        }
    }

    /// The inverse of [`Status::word`].
    pub fn from_word(word: &str) -> Option<Status> {
        [
            Status::Pass,
            Status::Fail,
            Status::CompileError,
            Status::TimedOut,
            Status::Error,
        ]
        .into_iter()
        .find(|s| s.word() == word)
    }
}

/// One test's result, as libtest printed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestResult {
    /// `module::function`: the step's module, then the test.
    pub name: String,
    pub passed: bool,
    /// What the test printed when it failed (its panic message, a snapshot diff).
    pub output: String,
    /// Why the test did not run (no ICMP permission, no IPv6 loopback), if it said so: it
    /// passed without checking anything, and is shown as skipped, never as a pass.
    pub skipped: Option<String>,
}

/// The result of one check.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub status: Status,
    pub tests: Vec<TestResult>,
    /// Compiler errors, or the test binary's full output.
    pub output: String,
    pub elapsed: Duration,
}

impl Outcome {
    pub fn passed(&self) -> bool {
        self.status == Status::Pass
    }

    pub fn count_passed(&self) -> usize {
        self.tests
            .iter()
            .filter(|t| t.passed && t.skipped.is_none())
            .count()
    }

    /// The tests that said they did not run.
    pub fn skipped(&self) -> impl Iterator<Item = &TestResult> {
        self.tests.iter().filter(|t| t.skipped.is_some())
    }

    /// A report for a person: the verdict, then what to fix.
    pub fn report(&self, e: &Exercise, c: Colors) -> String {
        let total = self.tests.len();
        let secs = self.elapsed.as_secs_f64();
        match self.status {
            Status::Pass => {
                let skipped: Vec<&TestResult> = self.skipped().collect();
                let mut s = format!(
                    "{} {} of {total} tests of `{}` pass ({secs:.1} s)",
                    c.green("✓"),
                    total - skipped.len(),
                    e.name
                );
                for t in skipped {
                    let why = t.skipped.as_deref().unwrap_or_default();
                    s.push_str(&format!("\n{} skipped {}: {why}", c.dim("·"), t.name));
                }
                s
            }
            Status::Fail => {
                let failing: Vec<&TestResult> = self.tests.iter().filter(|t| !t.passed).collect();
                let mut s = format!(
                    "{} {} of {total} tests of `{}` fail ({secs:.1} s)\n",
                    c.red("✗"),
                    failing.len(),
                    e.name
                );
                if let Some(first) = failing.first() {
                    let (verdict, printed) = verdict_first(&first.output);
                    s.push_str(&format!(
                        "\n{} {}\n{}\n",
                        c.bold("──"),
                        c.bold(&first.name),
                        verdict.trim_end()
                    ));
                    if !printed.trim().is_empty() {
                        s.push_str(&format!(
                            "\n{}\n{}\n",
                            c.dim("What your code printed before it failed (the last lines):"),
                            bounded(printed.trim_end(), 15, 2000)
                        ));
                    }
                }
                if failing.len() > 1 {
                    let rest: Vec<&str> = failing[1..].iter().map(|t| t.name.as_str()).collect();
                    s.push_str(&format!("\nAlso failing: {}\n", rest.join(", ")));
                }
                s
            }
            Status::CompileError => format!(
                "{} `{}` does not compile:\n\n{}",
                c.red("✗"),
                e.name,
                self.output.trim_end()
            ),
            Status::TimedOut => {
                let unfinished: Vec<&str> = self
                    .tests
                    .iter()
                    .filter(|t| t.output.starts_with("did not finish"))
                    .map(|t| t.name.as_str())
                    .collect();
                format!(
                    "{} the tests of `{}` did not finish within {} s: something blocks forever (a \
                     read with no timeout, a server that never returns, a loop that never ends).\n\
                     Unfinished when stopped (the first hang; the others may not have had a free test thread): {}\n\n{}",
                    c.red("✗"),
                    e.name,
                    e.chapter.timeout_secs,
                    unfinished.join(", "),
                    tail(&self.output, 30)
                )
            }
            Status::Error => format!(
                "{} could not check `{}`: {}",
                c.red("✗"),
                e.name,
                self.output.trim_end()
            ),
        }
    }
}

/// A failing test's output split into the verdict (the panic message and what follows it) and
/// what the test's code printed before it, so the learner's own prints cannot bury the verdict.
fn verdict_first(output: &str) -> (&str, &str) {
    let at = output.match_indices("thread '").map(|(i, _)| i).find(|&i| {
        (i == 0 || output.as_bytes()[i - 1] == b'\n')
            && output[i..]
                .lines()
                .next()
                .is_some_and(|l| l.contains("panicked at"))
    });
    match at {
        Some(i) => (&output[i..], &output[..i]),
        None => (output, ""),
    }
}

/// At most the last `lines` lines and `chars` characters of `text`, saying what was left out.
fn bounded(text: &str, lines: usize, chars: usize) -> String {
    let mut kept = tail(text, lines);
    if kept.len() > chars {
        let mut cut = kept.len() - chars;
        while !kept.is_char_boundary(cut) {
            cut += 1;
        }
        kept = kept[cut..].to_string();
    }
    if kept.len() < text.len() {
        format!(
            "[... {} bytes before this left out]\n{kept}",
            text.len() - kept.len()
        )
    } else {
        kept
    }
}

/// The last `n` lines of `text`.
fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// What a finished (or killed) process left behind.
pub struct Finished {
    pub success: bool,
    pub timed_out: bool,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `cmd` in its own process group, collecting its output, and kills the whole group if it
/// is still running after `limit`.
pub fn run_with_deadline(mut cmd: Command, limit: Duration) -> std::io::Result<Finished> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // A new process group, so the deadline can kill the tests and anything they started.
    cmd.process_group(0);
    let mut child = cmd.spawn()?;
    let collect = |stream: Option<Box<dyn Read + Send>>| {
        thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut s) = stream {
                let _ = s.read_to_end(&mut buf);
            }
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let out = collect(
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    let err = collect(
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    let start = Instant::now();
    let (status, timed_out) = loop {
        if let Some(status) = child.try_wait()? {
            break (Some(status), false);
        }
        if start.elapsed() > limit {
            // SAFETY: kill(2) with a negative pid signals the process group we created above.
            unsafe { libc::kill(-(child.id() as i32), libc::SIGKILL) };
            let _ = child.wait();
            break (None, true);
        }
        thread::sleep(Duration::from_millis(10));
    };
    Ok(Finished {
        success: status.is_some_and(|s| s.success()),
        timed_out,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    })
}

/// A cargo command for the course at `root`, with the variables that make a check honest:
/// snapshots are compared, never rewritten or forced to pass.
fn cargo(root: &Path) -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(root);
    honest_env(&mut cmd, root);
    cmd
}

/// The environment of every build and test run: snapshots are compared, never rewritten or
/// forced to pass, and panics print no backtrace advice.
fn honest_env(cmd: &mut Command, root: &Path) {
    cmd.env("INSTA_UPDATE", "no")
        .env("INSTA_FORCE_PASS", "0")
        .env("INSTA_WORKSPACE_ROOT", root)
        .env("RUST_BACKTRACE", "0");
}

/// The compiled test binary's path, from cargo's JSON messages.
fn executable(json: &str, target: &str) -> Option<String> {
    let name = format!("\"name\":\"{target}\"");
    json.lines()
        .filter(|l| l.contains("\"reason\":\"compiler-artifact\"") && l.contains(&name))
        .find_map(|l| {
            let start = l.find("\"executable\":\"")? + "\"executable\":\"".len();
            let end = start + l[start..].find('"')?;
            Some(l[start..end].to_string())
        })
}

/// Output in a learner's terms: paths as they know them (the tests include `exercises/x.rs`
/// through `tests/../`), and insta's diff legend saying which side is expected.
fn tidy(text: &str) -> String {
    text.replace("tests/../exercises/", "exercises/")
        .replace("tests/../solutions/", "solutions/")
        .replace(
            "-old snapshot\n+new results",
            "-expected (the snapshot)\n+your output",
        )
        .replace(
            "Stopped on the first failure. Run `cargo insta test` to run all snapshots.\n",
            "",
        )
}

/// The compiler's messages without cargo's progress lines.
fn compiler_errors(stderr: &str) -> String {
    tidy(stderr)
        .lines()
        .filter(|l| {
            let t = l.trim_start();
            !(t.starts_with("Compiling ")
                || t.starts_with("Blocking ")
                || t.starts_with("Finished "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Compiles step `e`'s chapter target against `target` and runs the step's tests.
pub fn check(root: &Path, e: &Exercise, target: Target) -> Outcome {
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

/// Compiles the test target of `e`'s chapter; its binary's path, or how the build failed.
fn build(root: &Path, e: &Exercise, target: Target) -> Result<String, (Status, String)> {
    let mut build = cargo(root);
    build.args([
        "test",
        "--no-run",
        "--message-format=json-render-diagnostics",
        "--test",
        &e.test_target(),
    ]);
    if target == Target::Solution {
        build.args(["--features", "solutions"]);
    }
    let built = run_with_deadline(build, BUILD_DEADLINE)
        .map_err(|err| (Status::Error, format!("cannot start cargo: {err}")))?;
    if built.timed_out {
        return Err((
            Status::Error,
            format!("compiling took longer than {BUILD_DEADLINE:?}"),
        ));
    }
    if !built.success {
        return Err((Status::CompileError, compiler_errors(&built.stderr)));
    }
    executable(&built.stdout, &e.test_target())
        .ok_or((Status::Error, "cargo did not report the test binary".into()))
}

/// The names of step `e`'s tests, from the test binary's own list (`--list --format terse`
/// prints `name: test` lines; libtest's format since Rust 1.x, still so in 1.95).
fn step_tests(exe: &str, root: &Path, e: &Exercise) -> Result<Vec<String>, String> {
    let mut list = Command::new(exe);
    list.current_dir(root).args(["--list", "--format", "terse"]);
    honest_env(&mut list, root);
    let listed = run_with_deadline(list, Duration::from_secs(30))
        .map_err(|err| format!("cannot start the tests: {err}"))?;
    if !listed.success {
        return Err(format!(
            "the test binary could not list its tests:\n{}",
            listed.stderr
        ));
    }
    Ok(listed
        .stdout
        .lines()
        .filter_map(|l| l.strip_suffix(": test"))
        .filter(|name| name.starts_with(&e.test_prefix()))
        .map(str::to_string)
        .collect())
}

/// Marks the tests that reported `SKIPPED <name>: <why>` (see `netlings::harness::skip`).
fn mark_skipped(results: &mut [TestResult], stderr: &str) {
    for line in stderr.lines() {
        let Some((name, why)) = line
            .strip_prefix("SKIPPED ")
            .and_then(|l| l.split_once(": "))
        else {
            continue;
        };
        if let Some(t) = results.iter_mut().find(|t| t.name == name && t.passed) {
            t.skipped = Some(why.to_string());
        }
    }
}

/// The `#[test]` functions of a chapter's test file, in order, each as `module::function`
/// (the step modules are the file's top-level `mod name {` blocks).
fn declared_tests(source: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut module = String::new();
    let mut after_test_attr = false;
    for line in source.lines() {
        if let Some(name) = line.strip_prefix("mod ").and_then(|l| l.strip_suffix(" {")) {
            module = format!("{name}::");
        }
        let line = line.trim();
        if line == "#[test]" {
            after_test_attr = true;
        } else if after_test_attr && let Some(rest) = line.strip_prefix("fn ") {
            names.extend(rest.split('(').next().map(|f| format!("{module}{f}")));
            after_test_attr = false;
        }
    }
    names
}

/// The per-test results in libtest's plain output: `test name ... ok` lines, and for each
/// failure the text between `---- name stdout ----` and the next such header.
pub fn parse_libtest(stdout: &str) -> Vec<TestResult> {
    let mut results: Vec<TestResult> = stdout
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("test ")?;
            let (name, verdict) = rest.rsplit_once(" ... ")?;
            let passed = match verdict.trim() {
                "ok" => true,
                "FAILED" => false,
                _ => return None,
            };
            Some(TestResult {
                name: name.to_string(),
                passed,
                output: String::new(),
                skipped: None,
            })
        })
        .collect();
    let mut current: Option<usize> = None;
    for line in stdout.lines() {
        if let Some(name) = line
            .strip_prefix("---- ")
            .and_then(|l| l.strip_suffix(" stdout ----"))
        {
            current = results.iter().position(|t| t.name == name);
            continue;
        }
        if line == "failures:" || line.starts_with("test result:") {
            current = None;
            continue;
        }
        if let Some(i) = current {
            results[i].output.push_str(line);
            results[i].output.push('\n');
        }
    }
    results
}

/// `netlings run`: the learner's (or the reference) program through `cargo run`, with the
/// terminal attached, so it behaves as it would on its own.
pub fn run_program(
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
    if solution {
        cmd.arg(e.solution_example())
            .args(["--features", "solutions"]);
    } else {
        cmd.arg(e.example());
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

#[cfg(test)]
mod tests {
    use super::*;

    const LIBTEST: &str = "\nrunning 3 tests\ntest b_second ... FAILED\ntest a_first ... ok\ntest c_third ... FAILED\n\nfailures:\n\n---- b_second stdout ----\n\nthread 'b_second' panicked at tests/x.rs:3:5:\nnot yet implemented\n\n---- c_third stdout ----\nboom\n\nfailures:\n    b_second\n    c_third\n\ntest result: FAILED. 1 passed; 2 failed; 0 ignored\n";

    #[test]
    fn parse_libtest_finds_each_verdict_and_its_output() {
        let results = parse_libtest(LIBTEST);
        let summary: Vec<(&str, bool)> = results
            .iter()
            .map(|t| (t.name.as_str(), t.passed))
            .collect();
        assert_eq!(
            summary,
            [("b_second", false), ("a_first", true), ("c_third", false)]
        );
        assert!(
            results[0].output.contains("not yet implemented"),
            "{:?}",
            results[0].output
        );
        assert!(!results[0].output.contains("boom"));
        assert_eq!(results[2].output.trim(), "boom");
        assert_eq!(results[1].output, "");
    }

    #[test]
    fn executable_is_read_from_the_test_targets_artifact_message() {
        let json = concat!(
            r#"{"reason":"compiler-artifact","target":{"kind":["lib"],"name":"netlings"},"executable":null}"#,
            "\n",
            r#"{"reason":"compiler-artifact","target":{"kind":["test"],"name":"ch01_ip"},"executable":"/t/deps/ch01_ip-abc"}"#,
            "\n",
        );
        assert_eq!(
            executable(json, "ch01_ip").as_deref(),
            Some("/t/deps/ch01_ip-abc")
        );
        assert_eq!(executable(json, "ch02_mask"), None);
    }

    #[test]
    fn a_deadline_kills_a_process_that_runs_too_long() {
        let mut cmd = Command::new("sleep");
        cmd.arg("30");
        let start = Instant::now();
        let finished = run_with_deadline(cmd, Duration::from_millis(200)).expect("sleep runs");
        assert!(finished.timed_out && !finished.success);
        assert!(start.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn declared_tests_are_the_functions_marked_test() {
        let source = "mod one {\n    #[test]\n    fn a() {}\n\n    fn helper() {}\n}\nmod two {\n    #[test]\n    #[ignore]\n    fn b_c() {}\n}\n";
        assert_eq!(declared_tests(source), ["one::a", "two::b_c"]);
    }

    #[test]
    fn skipped_tests_are_marked_with_their_reason_and_only_if_they_passed() {
        let mut results =
            parse_libtest("test a::x ... ok\ntest a::y ... FAILED\ntest a::z ... ok\n");
        mark_skipped(
            &mut results,
            "noise\nSKIPPED a::x: no ICMP permission\nSKIPPED a::y: forged\n",
        );
        let skipped: Vec<_> = results.iter().map(|t| t.skipped.as_deref()).collect();
        assert_eq!(skipped, [Some("no ICMP permission"), None, None]);
    }

    #[test]
    fn the_verdict_comes_before_what_the_code_printed() {
        let output = "debug 1\ndebug 2\nthread 'a::x' panicked at tests/ch01_ip.rs:3:5:\nboom\n";
        let (verdict, printed) = verdict_first(output);
        assert!(verdict.starts_with("thread 'a::x' panicked"), "{verdict}");
        assert_eq!(printed, "debug 1\ndebug 2\n");
        let long = "x\n".repeat(100);
        let shown = bounded(&long, 15, 2000);
        assert!(
            shown.starts_with("[... 171 bytes before this left out]"),
            "{shown}"
        );
        assert_eq!(shown.lines().count(), 16);
    }

    #[test]
    fn tidy_speaks_the_learners_language() {
        let insta = "-old snapshot\n+new results\nStopped on the first failure. Run `cargo insta test` to run all snapshots.\n";
        assert_eq!(tidy(insta), "-expected (the snapshot)\n+your output\n");
        assert_eq!(
            tidy("at tests/../exercises/ch01_ip.rs:3"),
            "at exercises/ch01_ip.rs:3"
        );
    }

    #[test]
    fn compiler_errors_drop_cargos_progress_lines() {
        let stderr = "   Compiling netlings v0.1.0\nerror[E0308]: mismatched types\n  --> tests/../exercises/ch01_ip.rs:3:5\n";
        assert_eq!(
            compiler_errors(stderr),
            "error[E0308]: mismatched types\n  --> exercises/ch01_ip.rs:3:5"
        );
    }
}
