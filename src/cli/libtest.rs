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

/// The `#[test]` functions of a chapter's test file, in order, each with its module path
/// (`parse_ip::accepts_what_go_accepts`). The file is rustfmt'd course code: a module ends at
/// the `}` with its `mod` line's indentation.
pub fn declared_tests(source: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut modules: Vec<(usize, String)> = Vec::new();
    let mut after_test_attr = false;
    for line in source.lines() {
        let indent = line.len() - line.trim_start().len();
        let line = line.trim();
        if line == "}" && modules.last().is_some_and(|(i, _)| *i == indent) {
            modules.pop();
            continue;
        }
        let module = line
            .strip_prefix("pub mod ")
            .or_else(|| line.strip_prefix("mod "))
            .and_then(|l| l.strip_suffix(" {"));
        if let Some(name) = module {
            modules.push((indent, name.to_string()));
        } else if line == "#[test]" {
            after_test_attr = true;
        } else if after_test_attr && let Some(rest) = line.strip_prefix("fn ") {
            let path: Vec<&str> = modules.iter().map(|(_, m)| m.as_str()).collect();
            if let Some(f) = rest.split('(').next() {
                names.push(if path.is_empty() {
                    f.to_string()
                } else {
                    format!("{}::{f}", path.join("::"))
                });
            }
            after_test_attr = false;
        }
    }
    names
}

/// What libtest's `--logfile` says about one test: a line `ok <name>`, `failed <name>` (or
/// `failed: <message> <name>`), `ignored <name>`. libtest writes it when the test has
/// finished, from its own code; a test that ends the process early leaves no line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Logged {
    Ok,
    Failed,
    Ignored,
}

/// The verdict the logfile `log` records for the test `name`, if it records one.
pub fn logged(log: &str, name: &str) -> Option<Logged> {
    log.lines().find_map(|line| {
        let (word, rest) = line.split_once(' ')?;
        let (verdict, with_message) = match word {
            "ok" => (Logged::Ok, false),
            "failed" => (Logged::Failed, false),
            "failed:" => (Logged::Failed, true),
            "ignored" => (Logged::Ignored, false),
            "ignored:" => (Logged::Ignored, true),
            _ => return None,
        };
        // The name is last; a `failed: <message>` line has the message before it.
        let named = if with_message {
            rest.ends_with(&format!(" {name}"))
        } else {
            rest == name
        };
        named.then_some(verdict)
    })
}

/// libtest 1.9x warns that `--logfile` is deprecated on every run; it is still the one place
/// its verdicts are written where the code under test does not print.
pub fn without_logfile_warning(stderr: &str) -> String {
    stderr
        .lines()
        .filter(|l| *l != "warning: `--logfile` is deprecated")
        .map(|l| format!("{l}\n"))
        .collect()
}

/// The failure section of the only test of a run: what follows `---- name stdout ----`, up to
/// libtest's closing `failures:` list (the last one, in case the test itself printed one).
pub fn failure_section(stdout: &str, name: &str) -> String {
    let header = format!("---- {name} stdout ----\n");
    let Some(at) = stdout.find(&header) else {
        return String::new();
    };
    let rest = &stdout[at + header.len()..];
    let end = rest.rfind("\nfailures:\n").map_or(rest.len(), |i| i + 1);
    rest[..end].to_string()
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
    fn a_failure_section_ends_at_libtests_last_failures_list() {
        let out = "running 1 test\ntest a::t ... FAILED\n\nfailures:\n\n---- a::t stdout ----\nmine\nfailures:\nthread 'a::t' panicked at x:\nboom\n\nfailures:\n    a::t\n\ntest result: FAILED.\n";
        assert_eq!(
            failure_section(out, "a::t"),
            "mine\nfailures:\nthread 'a::t' panicked at x:\nboom\n\n"
        );
        assert_eq!(failure_section(out, "a::u"), "");
    }

    #[test]
    fn declared_tests_are_the_functions_marked_test() {
        let source = "mod one {\n    #[test]\n    fn a() {}\n\n    fn helper() {}\n}\nmod two {\n    #[test]\n    #[ignore]\n    fn b_c() {}\n    mod deep {\n        #[test]\n        fn d() {\n        }\n    }\n    #[test]\n    fn e() {}\n}\n";
        assert_eq!(
            declared_tests(source),
            ["one::a", "two::b_c", "two::deep::d", "two::e"]
        );
    }

    #[test]
    fn the_logfile_verdict_is_the_line_that_names_the_test_exactly() {
        let log = "ok a::b\nfailed a::bb\nfailed: time limit a::c\nignored a::d\n";
        assert_eq!(logged(log, "a::b"), Some(Logged::Ok));
        assert_eq!(logged(log, "a::bb"), Some(Logged::Failed));
        assert_eq!(logged(log, "a::c"), Some(Logged::Failed));
        assert_eq!(logged(log, "a::d"), Some(Logged::Ignored));
        assert_eq!(logged(log, "a::e"), None);
        assert_eq!(logged("", "a::b"), None);
        assert_eq!(
            without_logfile_warning("warning: `--logfile` is deprecated\nboom\n"),
            "boom\n"
        );
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
