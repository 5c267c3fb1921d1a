//! A student's repository as the trusted grader reads it: the step files the catalog names are
//! taken (and only they are ever built); everything else that differs from what the student
//! was handed is reported, never used. Files are compared, not histories, so a repository made
//! from a template (without the course's history) is read the same way as a fork.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use netlings::catalog::{EXERCISES, Exercise};
use netlings::course::squeeze;

use super::super::classroom::{WORKFLOW, template_files};
use super::course::CourseTree;

/// What the student was handed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// A clone or fork of the course itself (it has `solutions/`).
    Fork,
    /// A class repository written by `netlings classroom template`.
    Template,
}

impl Layout {
    pub fn word(self) -> &'static str {
        match self {
            Layout::Fork => "fork",
            Layout::Template => "template",
        }
    }
}

/// A file that differs from what the student was handed, other than a step file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub path: String,
    /// `modified`, `added` or `missing`.
    pub change: &'static str,
    /// Whether the file could change a grade if a grader used the student's tree (build files,
    /// the library, tests, snapshots, toolchain, CI): the trusted grader does not.
    pub affects_grading: bool,
}

/// What a step file is, compared with the course.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileState {
    /// The pristine stub: nothing done yet.
    Stub,
    /// The student's work.
    Changed,
    /// Not in the repository: graded as the stub.
    Missing,
    /// Not read (a symbolic link, a huge file): graded as the stub.
    NotRead,
    /// The course's reference solution, give or take white space.
    Reference,
}

impl FileState {
    pub fn word(self) -> &'static str {
        match self {
            FileState::Stub => "stub",
            FileState::Changed => "changed",
            FileState::Missing => "missing",
            FileState::NotRead => "not-read",
            FileState::Reference => "reference",
        }
    }
}

/// A student's repository, read.
#[derive(Debug, Clone)]
pub struct Submission {
    /// The commit checked out (`None`: not a git repository).
    pub head: Option<String>,
    /// The step files differ from that commit (uncommitted work is what is graded).
    pub dirty: bool,
    pub layout: Layout,
    pub findings: Vec<Finding>,
    /// Step files that were not read (a symbolic link, a huge file), and why.
    pub refused_files: Vec<String>,
    /// Each step's file as graded, and what it is.
    pub steps: Vec<(&'static Exercise, FileState, Vec<u8>)>,
}

/// The largest step file the grader reads.
const MAX_STEP_FILE: u64 = 1 << 20;

/// Paths that are never the student's work or the course's: build output, editor and
/// `netlings` leftovers.
fn ignored(path: &str) -> bool {
    path.starts_with("target/")
        || path.starts_with(".git/")
        || path.starts_with("book/book/")
        || path == ".netlings-state"
        || path.ends_with(".bak")
        || path.ends_with(".snap.new")
        || path.ends_with(".pending-snap")
        || path.ends_with(".DS_Store")
}

/// Paths that decide how the course builds and runs: a grader that used the student's copy of
/// them could be made to grade anything.
fn affects_grading(path: &str) -> bool {
    let top = path.split('/').next().unwrap_or_default();
    matches!(
        top,
        "src" | "tests" | ".cargo" | "exercises" | "benches" | "examples"
    ) || matches!(
        path,
        "build.rs" | "Cargo.toml" | "Cargo.lock" | "rust-toolchain" | "rust-toolchain.toml"
    ) || path.starts_with(".github/workflows/")
}

fn git_out(dir: &Path, args: &[&str]) -> Option<Vec<u8>> {
    let out = Command::new("git")
        .current_dir(dir)
        .args(["-c", "core.fsmonitor=false"])
        .args(args)
        .output()
        .ok()?;
    out.status.success().then_some(out.stdout)
}

/// The files of the student's tree, relative to it: what git tracks plus what it does not
/// ignore, or every file when it is not a git repository.
fn student_files(dir: &Path) -> BTreeSet<String> {
    let listed = dir.join(".git").exists().then(|| {
        git_out(
            dir,
            &[
                "ls-files",
                "-z",
                "--cached",
                "--others",
                "--exclude-standard",
            ],
        )
    });
    let mut files = BTreeSet::new();
    if let Some(Some(out)) = listed {
        for path in out.split(|&b| b == 0).filter(|p| !p.is_empty()) {
            let path = String::from_utf8_lossy(path).into_owned();
            if dir.join(&path).is_file() {
                files.insert(path);
            }
        }
    } else {
        let mut stack = vec![PathBuf::new()];
        while let Some(rel) = stack.pop() {
            for entry in std::fs::read_dir(dir.join(&rel))
                .into_iter()
                .flatten()
                .flatten()
            {
                let path = rel.join(entry.file_name());
                let name = path.to_string_lossy().into_owned();
                if entry.file_type().is_ok_and(|t| t.is_dir()) {
                    if !ignored(&format!("{name}/")) {
                        stack.push(path);
                    }
                } else {
                    files.insert(name);
                }
            }
        }
    }
    files.retain(|p| !ignored(p));
    files
}

/// The course repository a template's workflow checks out (`repository: owner/name`).
fn workflow_repo(dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(dir.join(WORKFLOW)).ok()?;
    text.lines()
        .find_map(|l| l.trim().strip_prefix("repository: "))
        .map(|r| r.trim().to_string())
}

/// Reads the student's repository at `dir` against the course `tree`.
pub fn read(dir: &Path, tree: &CourseTree) -> Result<Submission, String> {
    if !dir.is_dir() {
        return Err(format!("{} is not a directory", dir.display()));
    }
    let layout = if dir.join("solutions").is_dir() {
        Layout::Fork
    } else {
        Layout::Template
    };
    let expected = match layout {
        Layout::Fork => tree.files.clone(),
        Layout::Template => template_files(
            tree,
            &workflow_repo(dir).unwrap_or_else(|| "OWNER/NAME".to_string()),
        ),
    };
    let files = student_files(dir);
    let step_paths: BTreeSet<String> = EXERCISES.iter().map(|e| e.exercise_path()).collect();
    let mut findings = Vec::new();
    let all: BTreeSet<&String> = expected.keys().chain(files.iter()).collect();
    for path in all {
        if step_paths.contains(path) || ignored(path) {
            continue;
        }
        let change = match (expected.get(path), files.contains(path)) {
            (Some((_, want)), true) => match std::fs::read(dir.join(path)) {
                Ok(have) if have == *want => continue,
                _ => "modified",
            },
            (Some(_), false) => "missing",
            (None, true) => "added",
            (None, false) => continue,
        };
        findings.push(Finding {
            path: path.clone(),
            change,
            affects_grading: affects_grading(path),
        });
    }
    let mut steps = Vec::new();
    let mut refused_files = Vec::new();
    for e in EXERCISES.iter() {
        let stub = tree.get(&e.exercise_path()).unwrap_or_default().to_vec();
        let solution = tree.text(&e.solution_path());
        let path = dir.join(e.exercise_path());
        // A symbolic link could point anywhere on the grader's machine (its text would show
        // in a compile error), and a huge file is no one's answer: neither is read.
        let meta = std::fs::symlink_metadata(&path);
        let unreadable = match &meta {
            Ok(m) if m.file_type().is_symlink() => Some("is a symbolic link"),
            Ok(m) if m.len() > MAX_STEP_FILE => Some("is larger than 1 MiB"),
            _ => None,
        };
        if let Some(why) = unreadable {
            refused_files.push(format!(
                "{} {why}: not read, graded as the stub",
                e.exercise_path()
            ));
            steps.push((e, FileState::NotRead, stub));
            continue;
        }
        let (state, bytes) = match std::fs::read(&path) {
            Err(_) => (FileState::Missing, stub),
            Ok(bytes) if bytes == stub => (FileState::Stub, bytes),
            Ok(bytes) => {
                let same_as_reference = !solution.is_empty()
                    && squeeze(&String::from_utf8_lossy(&bytes)) == squeeze(&solution);
                if same_as_reference {
                    (FileState::Reference, bytes)
                } else {
                    (FileState::Changed, bytes)
                }
            }
        };
        steps.push((e, state, bytes));
    }
    let head = git_out(dir, &["rev-parse", "--verify", "HEAD"])
        .map(|o| String::from_utf8_lossy(&o).trim().to_string())
        .filter(|s| s.len() == 40);
    let dirty = head.is_some()
        && git_out(dir, &["status", "--porcelain", "--", "exercises"])
            .is_some_and(|o| !o.is_empty());
    Ok(Submission {
        refused_files,
        head,
        dirty,
        layout,
        findings,
        steps,
    })
}

/// Short, unique names for the students of a batch: the directories' names, with a number
/// added when two are the same.
pub fn names(dirs: &[PathBuf]) -> Vec<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    dirs.iter()
        .map(|d| {
            let base = d
                .canonicalize()
                .unwrap_or_else(|_| d.clone())
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "student".to_string());
            let base: String = base
                .chars()
                .map(|c| {
                    if c.is_alphanumeric() || "-_.".contains(c) {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            if *n == 1 { base } else { format!("{base}-{n}") }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_files_tests_and_ci_would_affect_a_grade_the_readme_would_not() {
        for path in [
            "build.rs",
            "Cargo.toml",
            ".cargo/config.toml",
            "src/cli/grade/mod.rs",
            "tests/ch01_ip.rs",
            "tests/snapshots/x.snap",
            "rust-toolchain.toml",
            ".github/workflows/classroom.yml",
            "exercises/ch01_ip/helper.rs",
        ] {
            assert!(affects_grading(path), "{path}");
        }
        for path in ["README.md", "book/src/ch01_ip.md", "notes.txt"] {
            assert!(!affects_grading(path), "{path}");
        }
    }

    #[test]
    fn batch_names_are_unique() {
        let dirs = [
            PathBuf::from("/x/alice"),
            PathBuf::from("/y/alice"),
            PathBuf::from("/z/b o b"),
        ];
        assert_eq!(names(&dirs), ["alice", "alice-2", "b_o_b"]);
    }
}
