//! Grading one tree: build the chapters' test targets, then run every declared test of the
//! chosen steps in its own process, a few at a time, and give each step its verdict and points.
//!
//! - **Build.** One `cargo build --keep-going --test ch01_ip --test ...`: every chapter that
//!   compiles gets its binary, whatever the others do. In the trusted grader's own tree a chapter
//!   that does not compile is built again with the offending steps' files replaced by their
//!   pristine stubs (which always compile), so a compile error costs its step, not the chapter.
//! - **The denominator** is the course's declared test list: the `#[test]` functions of the
//!   course's own test file, cross-checked with the binary's `--list`. What a run prints never
//!   adds or removes a test; tests the student added in an exercise file are counted apart and
//!   never graded.
//! - **Points**: a step earns its catalog points when every one of its tests passes.

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::Duration;

use netlings::catalog::{Chapter, EXERCISES, Exercise};

use super::super::cargo::tidy;
use super::super::json::{self, Value};
use super::super::libtest::declared_tests;
use super::super::process::run_limited;
use super::verdict::{TestVerdict, Verdict, list, run_test};

/// How long one cargo build may take: a cold build compiles every dependency too.
const BUILD_DEADLINE: Duration = Duration::from_secs(900);

/// A step's result in a grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepStatus {
    Pass,
    Fail,
    CompileError,
    Timeout,
    Error,
    /// Every test passed or skipped, and at least one skipped: not a pass.
    Skipped,
    /// Not graded: its file uses the reference answer (see `scan`).
    Refused,
}

impl StepStatus {
    pub fn word(self) -> &'static str {
        match self {
            StepStatus::Pass => "pass",
            StepStatus::Fail => "fail",
            StepStatus::CompileError => "compile-error",
            StepStatus::Timeout => "timeout",
            StepStatus::Error => "error",
            StepStatus::Skipped => "skipped",
            StepStatus::Refused => "refused",
        }
    }
}

/// One step, graded.
#[derive(Debug, Clone)]
pub struct StepGrade {
    pub exercise: &'static Exercise,
    pub status: StepStatus,
    pub points: u32,
    /// Every declared test of the step, in the order the course writes them.
    pub tests: Vec<TestVerdict>,
    /// Why the step did not pass as a whole, when that is not one test's message: its compile
    /// error, the reason it was refused.
    pub message: Option<String>,
    /// Notes for the teacher (suspicious code, tests the student added).
    pub warnings: Vec<String>,
}

impl StepGrade {
    pub fn count(&self, verdict: Verdict) -> usize {
        self.tests.iter().filter(|t| t.verdict == verdict).count()
    }

    pub fn seconds(&self) -> f64 {
        self.tests.iter().map(|t| t.seconds).sum()
    }

    /// Marks the step refused for `reason`: no points, whatever its tests said.
    pub fn refuse(&mut self, reason: String) {
        self.status = StepStatus::Refused;
        self.points = 0;
        self.message = Some(reason);
    }
}

/// The pristine stub of a step.
pub type Stubs<'a> = &'a dyn Fn(&Exercise) -> Vec<u8>;

/// The tree to grade and how to build it.
pub struct Tree<'a> {
    /// Where cargo runs: the trusted grader's own copy of the course, or a tree graded in place.
    pub root: &'a Path,
    /// cargo's `--target-dir` (shared by every student of a batch), if not cargo's default.
    pub target_dir: Option<&'a Path>,
    /// `--features solutions` to grade the reference solutions.
    pub solutions: bool,
    /// The pristine stub of a step, to put in place of a step file that does not compile.
    /// `None` when grading in place: the grader never writes over a learner's file.
    pub stub: Option<Stubs<'a>>,
    /// How many tests run at once.
    pub jobs: usize,
}

/// What happened while grading, for a progress line.
pub enum Progress<'a> {
    Building(usize),
    Rebuilding(&'a str),
    Testing { done: usize, total: usize },
}

/// The environment of a build: the caller's, without what could change how the course compiles
/// (flags, wrappers, a compiler or a profile chosen by environment).
pub fn build_env(cmd: &mut Command) {
    for (key, _) in std::env::vars_os() {
        let Some(key) = key.to_str() else { continue };
        let keep = ["CARGO_HOME", "CARGO_NET_", "CARGO_HTTP_", "CARGO_TERM_"]
            .iter()
            .any(|k| key.starts_with(k));
        let drop = key.starts_with("CARGO_")
            || key.starts_with("__CARGO")
            || key.starts_with("RUSTC")
            || key.starts_with("RUSTDOC")
            || key == "RUSTFLAGS"
            || key.starts_with("INSTA_");
        if drop && !keep {
            cmd.env_remove(key);
        }
    }
}

/// A chapter's build: its test binary, and the steps that did not compile (with the errors).
#[derive(Debug, Default)]
struct ChapterBuild {
    exe: Option<PathBuf>,
    broken: HashMap<&'static str, String>,
    /// Why there is no binary, when it is not a step's compile error.
    error: Option<String>,
}

/// What one `cargo build` said: each test target's binary and each target's error messages,
/// with the files and lines they point at.
#[derive(Debug, Default)]
struct Built {
    exes: HashMap<String, PathBuf>,
    errors: HashMap<String, Vec<Diagnostic>>,
    failure: Option<String>,
}

#[derive(Debug, Clone)]
struct Diagnostic {
    rendered: String,
    places: Vec<(String, usize)>,
}

fn cargo_build(tree: &Tree, chapters: &[&Chapter]) -> Built {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    build_env(&mut cmd);
    cmd.current_dir(tree.root)
        .args(["build", "--keep-going", "--locked", "--message-format=json"]);
    if let Some(dir) = tree.target_dir {
        cmd.arg("--target-dir").arg(dir);
    }
    if tree.solutions {
        cmd.args(["--features", "solutions"]);
    }
    for c in chapters {
        cmd.args(["--test", &c.dir()]);
    }
    let mut built = Built::default();
    let ran = match run_limited(cmd, BUILD_DEADLINE, Default::default()) {
        Ok(ran) => ran,
        Err(err) => {
            built.failure = Some(format!("cannot start cargo: {err}"));
            return built;
        }
    };
    for m in ran.stdout.lines().filter_map(|l| json::parse(l).ok()) {
        let target = m
            .get("target")
            .and_then(|t| t.get("name"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        match m.get("reason").and_then(Value::as_str) {
            Some("compiler-artifact") => {
                if let Some(exe) = m.get("executable").and_then(Value::as_str) {
                    built.exes.insert(target, PathBuf::from(exe));
                }
            }
            Some("compiler-message") => {
                let Some(msg) = m.get("message") else {
                    continue;
                };
                if msg.get("level").and_then(Value::as_str) != Some("error") {
                    continue;
                }
                let rendered = msg
                    .get("rendered")
                    .and_then(Value::as_str)
                    .map(tidy)
                    .unwrap_or_default();
                let mut places = Vec::new();
                if let Some(Value::Array(spans)) = msg.get("spans") {
                    for span in spans {
                        let file = span.get("file_name").and_then(Value::as_str);
                        let line = match span.get("line_start") {
                            Some(Value::Number(n)) => *n as usize,
                            _ => 0,
                        };
                        if let Some(file) = file {
                            places.push((file.replace("tests/../", ""), line));
                        }
                    }
                }
                built
                    .errors
                    .entry(target)
                    .or_default()
                    .push(Diagnostic { rendered, places });
            }
            _ => {}
        }
    }
    if ran.timed_out {
        built.failure = Some(format!(
            "the build took longer than {} s and was stopped",
            BUILD_DEADLINE.as_secs()
        ));
    } else if !ran.success && built.errors.is_empty() {
        built.failure = Some(format!(
            "cargo failed without a compiler error:\n{}",
            super::super::outcome::bounded(ran.stderr.trim_end(), 30, 4000)
        ));
    }
    built
}

/// The line ranges of a test file's top-level `mod name {` blocks: where each step's tests are.
fn module_lines(source: &str) -> Vec<(String, usize, usize)> {
    let mut found = Vec::new();
    let mut open: Option<(String, usize)> = None;
    for (i, line) in source.lines().enumerate() {
        let n = i + 1;
        if let Some(name) = line.strip_prefix("mod ").and_then(|l| l.strip_suffix(" {")) {
            open = Some((name.to_string(), n));
        } else if line == "}"
            && let Some((name, start)) = open.take()
        {
            found.push((name, start, n));
        }
    }
    found
}

/// The steps of `chapter` an error points at: its file, or its module in the test file.
fn blamed(chapter: &Chapter, source: &str, d: &Diagnostic) -> Vec<&'static Exercise> {
    let modules = module_lines(source);
    steps_of(chapter)
        .into_iter()
        .filter(|e| {
            d.places.iter().any(|(file, line)| {
                *file == e.exercise_path()
                    || *file == e.solution_path()
                    || (*file == chapter.test_path()
                        && modules
                            .iter()
                            .any(|(m, a, b)| *m == e.module() && (a..=b).contains(&line)))
            })
        })
        .collect()
}

fn steps_of(chapter: &Chapter) -> Vec<&'static Exercise> {
    EXERCISES
        .iter()
        .filter(|e| std::ptr::eq(e.chapter, chapter))
        .collect()
}

/// Builds `chapters`; in the trusted tree, a chapter that does not compile is built again with
/// the steps the errors point at replaced by their stubs, until it compiles.
fn build_all(
    tree: &Tree,
    chapters: &[&'static Chapter],
    progress: &dyn Fn(Progress),
) -> HashMap<u8, ChapterBuild> {
    progress(Progress::Building(chapters.len()));
    let built = cargo_build(tree, chapters);
    let mut result = HashMap::new();
    for &chapter in chapters {
        let mut cb = ChapterBuild::default();
        if let Some(exe) = built.exes.get(&chapter.dir()) {
            cb.exe = Some(exe.clone());
        } else if let Some(failure) = &built.failure {
            cb.error = Some(failure.clone());
        } else {
            let errors = built
                .errors
                .get(&chapter.dir())
                .cloned()
                .unwrap_or_default();
            isolate(tree, chapter, errors, &mut cb, progress);
        }
        result.insert(chapter.number, cb);
    }
    result
}

/// Finds which steps of a chapter that did not compile are to blame, and builds the chapter
/// without them (trusted tree only; in place, every step of the chapter shares the error).
fn isolate(
    tree: &Tree,
    chapter: &'static Chapter,
    mut errors: Vec<Diagnostic>,
    cb: &mut ChapterBuild,
    progress: &dyn Fn(Progress),
) {
    let source = std::fs::read_to_string(tree.root.join(chapter.test_path())).unwrap_or_default();
    let all_errors = |errors: &[Diagnostic]| {
        errors
            .iter()
            .map(|d| d.rendered.trim_end())
            .collect::<Vec<_>>()
            .join("\n\n")
    };
    let Some(stub) = tree.stub else {
        let text = all_errors(&errors);
        for e in steps_of(chapter) {
            cb.broken.insert(e.name, text.clone());
        }
        return;
    };
    for _ in 0..=steps_of(chapter).len() {
        let mut newly: Vec<&'static Exercise> = Vec::new();
        for d in &errors {
            for e in blamed(chapter, &source, d) {
                if !cb.broken.contains_key(e.name) && !newly.contains(&e) {
                    newly.push(e);
                }
            }
        }
        if newly.is_empty() {
            // Nothing points at a step: every step not yet replaced shares the blame.
            newly = steps_of(chapter)
                .into_iter()
                .filter(|e| !cb.broken.contains_key(e.name))
                .collect();
            if newly.is_empty() {
                cb.error = Some(format!(
                    "{} does not compile even with every step's stub:\n{}",
                    chapter.test_path(),
                    all_errors(&errors)
                ));
                return;
            }
        }
        for e in newly {
            let mine: Vec<&Diagnostic> = errors
                .iter()
                .filter(|d| blamed(chapter, &source, d).contains(&e))
                .collect();
            let text = if mine.is_empty() {
                all_errors(&errors)
            } else {
                mine.iter()
                    .map(|d| d.rendered.trim_end())
                    .collect::<Vec<_>>()
                    .join("\n\n")
            };
            cb.broken.insert(e.name, text);
            if let Err(err) = std::fs::write(tree.root.join(e.exercise_path()), stub(e)) {
                cb.error = Some(format!("cannot write {}: {err}", e.exercise_path()));
                return;
            }
        }
        progress(Progress::Rebuilding(chapter.slug));
        let again = cargo_build(tree, &[chapter]);
        if let Some(exe) = again.exes.get(&chapter.dir()) {
            cb.exe = Some(exe.clone());
            return;
        }
        if let Some(failure) = again.failure {
            cb.error = Some(failure);
            return;
        }
        errors = again
            .errors
            .get(&chapter.dir())
            .cloned()
            .unwrap_or_default();
    }
}

/// A test to run: which binary, which name, which deadline.
struct Job {
    exe: PathBuf,
    name: String,
    deadline: Duration,
}

/// Runs `jobs` on `workers` threads; the verdicts in the same order.
fn run_all(tree: &Tree, jobs: Vec<Job>, progress: &(dyn Fn(Progress) + Sync)) -> Vec<TestVerdict> {
    let total = jobs.len();
    let queue: Mutex<VecDeque<(usize, Job)>> = Mutex::new(jobs.into_iter().enumerate().collect());
    let results: Mutex<Vec<Option<TestVerdict>>> = Mutex::new(vec![None; total]);
    let done = Mutex::new(0usize);
    std::thread::scope(|s| {
        for _ in 0..tree.jobs.max(1) {
            s.spawn(|| {
                loop {
                    let next = queue.lock().unwrap_or_else(|e| e.into_inner()).pop_front();
                    let Some((i, job)) = next else { break };
                    let v = run_test(&job.exe, tree.root, &job.name, job.deadline);
                    results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(v);
                    let mut d = done.lock().unwrap_or_else(|e| e.into_inner());
                    *d += 1;
                    progress(Progress::Testing { done: *d, total });
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|v| v.expect("every job ran"))
        .collect()
}

/// Grades `steps` of the tree: build, run each declared test alone, give points.
pub fn grade(
    tree: &Tree,
    steps: &[&'static Exercise],
    progress: &(dyn Fn(Progress) + Sync),
) -> Vec<StepGrade> {
    let mut chapters: Vec<&'static Chapter> = Vec::new();
    for e in steps {
        if !chapters.iter().any(|c| std::ptr::eq(*c, e.chapter)) {
            chapters.push(e.chapter);
        }
    }
    let builds = build_all(tree, &chapters, progress);

    // The declared tests of each step, from the course's test file, and what each binary lists.
    let mut plan: Vec<(&'static Exercise, Vec<String>)> = Vec::new();
    let mut listed: HashMap<u8, Result<Vec<String>, String>> = HashMap::new();
    let mut warnings: HashMap<&'static str, Vec<String>> = HashMap::new();
    for &chapter in &chapters {
        let source =
            std::fs::read_to_string(tree.root.join(chapter.test_path())).unwrap_or_default();
        let declared = declared_tests(&source);
        let build = &builds[&chapter.number];
        if let Some(exe) = &build.exe {
            listed.insert(chapter.number, list(exe, tree.root));
        }
        let names = match listed.get(&chapter.number) {
            Some(Ok(names)) => names.clone(),
            _ => Vec::new(),
        };
        for e in steps.iter().filter(|e| std::ptr::eq(e.chapter, chapter)) {
            let prefix = e.test_prefix();
            let mut mine: Vec<String> = declared
                .iter()
                .filter(|n| n.starts_with(&prefix))
                .cloned()
                .collect();
            // A course test the declaration reader missed is still the course's own test.
            for n in names.iter().filter(|n| n.starts_with(&prefix)) {
                if !mine.contains(n) {
                    mine.push(n.clone());
                }
            }
            // Tests in the step's own file (`step1_parse_ip::...`) are the student's: not graded.
            let own = format!("step{}_{}::", e.number, e.module());
            let added = names.iter().filter(|n| n.starts_with(&own)).count();
            if added > 0 {
                warnings.entry(e.name).or_default().push(format!(
                    "{} declares {added} test(s) of its own: they are not graded (only the \
                     course's tests in {} are)",
                    e.exercise_path(),
                    chapter.test_path()
                ));
            }
            plan.push((e, mine));
        }
    }

    let mut jobs = Vec::new();
    for (e, names) in &plan {
        let build = &builds[&e.chapter.number];
        let runnable = build.exe.is_some() && !build.broken.contains_key(e.name);
        if let (true, Some(exe), Some(Ok(list))) =
            (runnable, &build.exe, listed.get(&e.chapter.number))
        {
            for name in names.iter().filter(|n| list.contains(n)) {
                jobs.push(Job {
                    exe: exe.clone(),
                    name: name.clone(),
                    deadline: Duration::from_secs(e.chapter.timeout_secs),
                });
            }
        }
    }
    let mut verdicts: HashMap<String, TestVerdict> = HashMap::new();
    let keys: Vec<String> = jobs.iter().map(|j| j.name.clone()).collect();
    for (name, v) in keys.into_iter().zip(run_all(tree, jobs, progress)) {
        verdicts.insert(name, v);
    }

    plan.into_iter()
        .map(|(e, names)| {
            let build = &builds[&e.chapter.number];
            let mut message = None;
            let tests: Vec<TestVerdict> = names
                .iter()
                .map(|name| {
                    if build.broken.contains_key(e.name) {
                        return TestVerdict::error(
                            name,
                            "not run: the step does not compile (see its compile error)",
                        );
                    } else if let Some(err) = &build.error {
                        return TestVerdict::error(name, err);
                    }
                    match (verdicts.remove(name), listed.get(&e.chapter.number)) {
                        (Some(v), _) => v,
                        (None, Some(Err(err))) => TestVerdict::error(name, err),
                        (None, _) => TestVerdict::error(
                            name,
                            "the course declares this test but the test binary does not have it",
                        ),
                    }
                })
                .collect();
            let status = if let Some(err) = build.broken.get(e.name) {
                message = Some(err.clone());
                StepStatus::CompileError
            } else if let Some(err) = &build.error {
                message = Some(err.clone());
                StepStatus::Error
            } else if tests.is_empty() {
                message = Some(format!(
                    "{} declares no test for this step",
                    e.chapter.test_path()
                ));
                StepStatus::Error
            } else {
                let any = |v: Verdict| tests.iter().any(|t| t.verdict == v);
                if any(Verdict::Error) {
                    StepStatus::Error
                } else if any(Verdict::Timeout) {
                    StepStatus::Timeout
                } else if any(Verdict::Fail) {
                    StepStatus::Fail
                } else if any(Verdict::Skipped) {
                    StepStatus::Skipped
                } else {
                    StepStatus::Pass
                }
            };
            StepGrade {
                exercise: e,
                status,
                points: if status == StepStatus::Pass {
                    e.points
                } else {
                    0
                },
                tests,
                message,
                warnings: warnings.remove(e.name).unwrap_or_default(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_lines_are_the_top_level_blocks() {
        let source = "// x\nmod steps {\n    pub use a;\n}\n\nmod parse_ip {\n    fn a() {}\n}\n";
        assert_eq!(
            module_lines(source),
            [("steps".to_string(), 2, 4), ("parse_ip".to_string(), 6, 8)]
        );
    }

    #[test]
    fn an_error_is_blamed_on_the_step_whose_file_or_tests_it_points_at() {
        let chapter = &netlings::catalog::CHAPTERS[0];
        let source = "mod parse_ip {\n}\nmod properties {\n    x\n}\n";
        let at = |file: &str, line| Diagnostic {
            rendered: String::new(),
            places: vec![(file.to_string(), line)],
        };
        let names = |d: &Diagnostic| -> Vec<&str> {
            blamed(chapter, source, d).iter().map(|e| e.name).collect()
        };
        assert_eq!(
            names(&at("exercises/ch01_ip/1_parse_ip.rs", 3)),
            ["parse-ip"]
        );
        assert_eq!(names(&at("tests/ch01_ip.rs", 4)), ["properties"]);
        assert!(names(&at("src/harness.rs", 4)).is_empty());
    }
}
