//! Driving cargo: one place that builds a chapter's test target with the environment that makes
//! a check honest, finds the binary in cargo's JSON messages, and turns compiler output into
//! the learner's terms.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use netlings::catalog::Exercise;

use super::json::{self, Value};
use super::outcome::Status;
use super::process::run_with_deadline;

/// How long compiling one chapter may take: a cold build compiles the dependencies too.
const BUILD_DEADLINE: Duration = Duration::from_secs(600);

/// Which version of a step a check compiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The learner's `exercises/` file.
    Exercise,
    /// The reference `solutions/` file.
    Solution,
}

impl Source {
    /// The file this target compiles for exercise `e`.
    pub fn path(self, e: &Exercise) -> String {
        match self {
            Source::Exercise => e.exercise_path(),
            Source::Solution => e.solution_path(),
        }
    }
}

/// A cargo command for the course at `root`, with the variables that make a check honest:
/// snapshots are compared, never rewritten or forced to pass.
pub fn cargo(root: &Path) -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(root);
    honest_env(&mut cmd, root);
    cmd
}

/// `cargo run --quiet [--release] --example <program> [--features ...] --`: the program of
/// step `e`, the learner's or (with `solution`) the reference, with the features its chapter
/// needs. What the caller adds goes to the program. Unlike [`cargo`], the environment is left
/// alone: the program runs as it would on its own.
pub fn cargo_run(root: &Path, e: &Exercise, solution: bool, release: bool) -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(root).args(["run", "--quiet"]);
    if release {
        cmd.arg("--release");
    }
    cmd.arg("--example").arg(if solution {
        e.solution_example()
    } else {
        e.example()
    });
    let features = e.chapter.cargo_features(solution);
    if !features.is_empty() {
        cmd.args(["--features", &features.join(",")]);
    }
    cmd.arg("--");
    cmd
}

/// The environment of every build and test run: snapshots are compared, never rewritten or
/// forced to pass, and panics print no backtrace advice.
pub fn honest_env(cmd: &mut Command, root: &Path) {
    cmd.env("INSTA_UPDATE", "no")
        .env("INSTA_FORCE_PASS", "0")
        .env("INSTA_WORKSPACE_ROOT", root)
        .env("RUST_BACKTRACE", "0");
}

/// The compiled test binary's path, from cargo's `--message-format=json` messages: the
/// `compiler-artifact` of the test target named `target` carries it in `executable`.
fn executable(messages: &str, target: &str) -> Option<String> {
    messages
        .lines()
        .filter_map(|line| json::parse(line).ok())
        .filter(|m| m.get("reason").and_then(Value::as_str) == Some("compiler-artifact"))
        .filter(|m| {
            m.get("target")
                .and_then(|t| t.get("name"))
                .and_then(Value::as_str)
                == Some(target)
        })
        .find_map(|m| m.get("executable")?.as_str().map(str::to_string))
}

/// Output in a learner's terms: paths as they know them (the tests include `exercises/x.rs`
/// through `tests/../`), and insta's diff legend saying which side is expected.
pub fn tidy(text: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(without_library_location).collect();
    if text.ends_with('\n') {
        lines.push(String::new());
    }
    lines
        .join("\n")
        .replace("tests/../exercises/", "exercises/")
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

/// A panic header that points into a dependency's source (insta's assertion, in the cargo
/// registry) says only that a snapshot assertion failed: the line of the test is in the message.
fn without_library_location(line: &str) -> String {
    match line.split_once(" panicked at ") {
        Some((head, place)) if place.contains("/.cargo/registry/") || place.contains("/rustc/") => {
            format!("{head} failed:")
        }
        _ => line.to_string(),
    }
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

/// Compiles the test target of `e`'s chapter; its binary's path, or how the build failed.
pub fn build(root: &Path, e: &Exercise, target: Source) -> Result<String, (Status, String)> {
    let mut build = cargo(root);
    build.args([
        "test",
        "--no-run",
        "--message-format=json-render-diagnostics",
        "--test",
        &e.test_target(),
    ]);
    // `solutions` for the reference files, and what the chapter needs (tokio for chapter 15):
    // only this chapter's checks build it.
    let features = e.chapter.cargo_features(target == Source::Solution);
    if !features.is_empty() {
        build.args(["--features", &features.join(",")]);
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn a_panic_inside_a_library_names_no_library_path() {
        let text = "thread 'a::b' (12) panicked at /root/.cargo/registry/src/x/insta-1.49.0/src/runtime.rs:734:13:\nsnapshot assertion for 'b' failed in line 258\n";
        assert_eq!(
            tidy(text),
            "thread 'a::b' (12) failed:\nsnapshot assertion for 'b' failed in line 258\n"
        );
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
