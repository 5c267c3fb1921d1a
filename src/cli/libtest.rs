//! Reading libtest, the test harness every test binary runs: its list of tests, its verdicts,
//! and the skip lines of `netlings::harness::skip`.
//!
//! libtest's machine-readable output (`--format json`) is still unstable, so this reads its
//! plain text, as printed by Rust 1.88 to 1.95: `name: test` lines for `--list --format terse`,
//! `test name ... ok|FAILED` lines, and `---- name stdout ----` before each failure's output.
//! The tests below pin those formats.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use netlings::catalog::Exercise;

use super::cargo::honest_env;
use super::outcome::TestResult;
use super::process::run_with_deadline;

/// The names of step `e`'s tests, from the test binary's own list (`--list --format terse`
/// prints `name: test` lines; libtest's format since Rust 1.x, still so in 1.95).
pub fn step_tests(exe: &str, root: &Path, e: &Exercise) -> Result<Vec<String>, String> {
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
pub fn mark_skipped(results: &mut [TestResult], stderr: &str) {
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
pub fn declared_tests(source: &str) -> Vec<String> {
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
}
