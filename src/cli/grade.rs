//! `netlings grade`: every exercise checked on its own (a compile error, a panic or a hang
//! costs only that exercise), then a score table, JSON or JUnit XML for a teacher's tools.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use netlings::catalog::{EXERCISES, Exercise};

use super::Format;
use super::cargo::Source;
use super::git::git_text;
use super::json::quote;
use super::outcome::{Outcome, Status};
use super::runner;
use super::term::{self, Colors};

/// Grades every exercise (or every solution) and prints the result in `format`.
pub fn grade(root: &Path, format: Format, solutions: bool) -> ExitCode {
    let target = if solutions {
        Source::Solution
    } else {
        Source::Exercise
    };
    let mut results = Vec::new();
    for e in EXERCISES.iter() {
        if format == Format::Text {
            eprint!("grading {:<16}\r", e.name);
        }
        results.push((e, runner::check_step(root, e, target)));
    }
    let report = match format {
        Format::Text => text(&results, term::colors()),
        Format::Json => json(&results),
        Format::Junit => junit(&results),
    };
    print!("{report}");
    if results.iter().all(|(_, o)| o.passed()) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// What decides a grade: the tests and their snapshots, the harness and fixtures they use, the
/// catalog (deadlines) and the build settings. A student's copy must match the course's.
const GRADING_FILES: &[&str] = &["tests", "src", "Cargo.toml", "Cargo.lock", ".cargo"];

/// Checks that the files that decide a grade are as they are at git revision `rev`.
pub fn verify_tests(root: &Path, rev: &str) -> Result<(), String> {
    let mut diff = vec!["diff", "--name-only", rev, "--"];
    diff.extend(GRADING_FILES);
    let changed = git_text(root, &diff).map_err(|e| format!("cannot compare with {rev}: {e}"))?;
    // Untracked files count too: a new snapshot or test would change the grade.
    let mut others = vec!["ls-files", "--others", "--exclude-standard", "--"];
    others.extend(GRADING_FILES);
    let untracked = git_text(root, &others)?;
    let changed: Vec<&str> = changed.lines().chain(untracked.lines()).collect();
    if changed.is_empty() {
        eprintln!("The tests, snapshots, harness and build files match {rev}.");
        Ok(())
    } else {
        Err(format!(
            "not grading: these files differ from {rev}, and they decide the grade:\n  {}\n\
             Restore them with `git checkout {rev} -- {}` and grade again.",
            changed.join("\n  "),
            GRADING_FILES.join(" ")
        ))
    }
}

type Results<'a> = [(&'a Exercise, Outcome)];

fn text(results: &Results, c: Colors) -> String {
    let mut s = c.bold(&format!(
        " {:<5} {:<16} {:>7}  {:<14} {:>6}\n",
        "step", "name", "tests", "result", "time"
    ));
    for (e, o) in results {
        let tests = format!("{}/{}", o.count_passed(), o.tests.len());
        let word = format!("{:<14}", o.status.word());
        let result = if o.passed() {
            c.green(&word)
        } else {
            c.red(&word)
        };
        let secs = o.elapsed.as_secs_f64();
        let _ = writeln!(
            s,
            " {:<5} {:<16} {tests:>7}  {result} {secs:>5.1}s",
            e.number_label(),
            e.name
        );
    }
    let passed = results.iter().filter(|(_, o)| o.passed()).count();
    let tests_passed: usize = results.iter().map(|(_, o)| o.count_passed()).sum();
    let tests: usize = results.iter().map(|(_, o)| o.tests.len()).sum();
    let _ = writeln!(
        s,
        "\nscore: {passed}/{} exercises pass, {tests_passed}/{tests} tests",
        results.len()
    );
    s
}

/// A failure message short enough for a report: the first lines of what the test printed.
fn message(o: &Outcome, test_output: &str) -> String {
    let text = if test_output.is_empty() {
        &o.output
    } else {
        test_output
    };
    text.lines().take(40).collect::<Vec<_>>().join("\n")
}

fn json(results: &Results) -> String {
    let mut exercises = Vec::new();
    for (e, o) in results {
        let tests: Vec<String> = o
            .tests
            .iter()
            .map(|t| {
                format!(
                    "{{\"name\":{},\"status\":\"{}\",\"message\":{}}}",
                    quote(&t.name),
                    if t.passed { "pass" } else { "fail" },
                    quote(&message(o, &t.output)),
                )
            })
            .collect();
        let error = match o.status {
            Status::CompileError | Status::TimedOut | Status::Error => quote(&message(o, "")),
            Status::Pass | Status::Fail => "null".to_string(),
        };
        exercises.push(format!(
            "{{\"name\":{},\"chapter\":{},\"file\":{},\"status\":\"{}\",\"passed\":{},\"total\":{},\"seconds\":{:.3},\"error\":{error},\"tests\":[{}]}}",
            quote(e.name),
            e.chapter.number,
            quote(&e.exercise_path()),
            o.status.word(),
            o.count_passed(),
            o.tests.len(),
            o.elapsed.as_secs_f64(),
            tests.join(","),
        ));
    }
    let passed = results.iter().filter(|(_, o)| o.passed()).count();
    format!(
        "{{\"version\":1,\"score\":{{\"passed\":{passed},\"total\":{}}},\"exercises\":[{}]}}\n",
        results.len(),
        exercises.join(",")
    )
}

/// Text safe inside XML attributes and elements.
fn xml(s: &str) -> String {
    s.chars()
        .filter(|&c| c == '\n' || c == '\t' || c >= ' ')
        .map(|c| match c {
            '&' => "&amp;".to_string(),
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '"' => "&quot;".to_string(),
            c => c.to_string(),
        })
        .collect()
}

fn junit(results: &Results) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"netlings\">\n",
    );
    for (e, o) in results {
        let failures = o.tests.iter().filter(|t| !t.passed).count();
        // A compile error or a timeout has no per-test results: report it as one errored case.
        let errors = usize::from(o.tests.is_empty() || o.status == Status::TimedOut);
        let _ = writeln!(
            s,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" time=\"{:.3}\">",
            xml(e.name),
            o.tests.len() + errors,
            o.elapsed.as_secs_f64()
        );
        for t in &o.tests {
            let _ = write!(
                s,
                "    <testcase classname=\"{}\" name=\"{}\"",
                xml(e.name),
                xml(&t.name)
            );
            if t.passed {
                s.push_str("/>\n");
            } else {
                let _ = writeln!(
                    s,
                    ">\n      <failure message=\"test failed\">{}</failure>\n    </testcase>",
                    xml(&message(o, &t.output))
                );
            }
        }
        if errors == 1 {
            let _ = writeln!(
                s,
                "    <testcase classname=\"{}\" name=\"{}\">\n      <error message=\"{}\">{}</error>\n    </testcase>",
                xml(e.name),
                o.status.word(),
                o.status.word(),
                xml(&message(o, ""))
            );
        }
        s.push_str("  </testsuite>\n");
    }
    s.push_str("</testsuites>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_escape_quotes_backslashes_and_control_characters() {
        assert_eq!(quote("a\"b\\c\nd\u{1}"), r#""a\"b\\c\nd\u0001""#);
    }

    #[test]
    fn xml_text_escapes_markup_and_drops_control_characters() {
        assert_eq!(
            xml("<a href=\"x\">&\u{1b}[31m</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;[31m&lt;/a&gt;"
        );
    }
}
