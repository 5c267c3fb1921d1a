//! The catalog against the tree: every step's files, the same public API in stub and
//! solution, each chapter's test target and pages, `SUMMARY.md`, and what is generated.

use std::fs;
use std::path::Path;

use super::generate::{generated, same_code};
use super::rust::public_api;
use super::{read, rust_files};
use crate::catalog::{CHAPTERS, EXERCISES, Exercise};

/// Checks the catalog against the tree at `root`: the chapters are numbered in order, every
/// step has its files and a solution with the same public API, every chapter its test target
/// and pages, `SUMMARY.md` lists the pages in course order, what is generated from the catalog
/// is up to date, and no file in `exercises/`, `solutions/` or `tests/` is unknown to it.
pub fn check_layout(root: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for (i, chapter) in CHAPTERS.iter().enumerate() {
        if usize::from(chapter.number) != i + 1 {
            problems.push(format!(
                "catalog: chapter `{}` is number {}, but it is the {}th in the list",
                chapter.slug,
                chapter.number,
                i + 1
            ));
        }
        if chapter.steps.is_empty() {
            problems.push(format!("catalog: chapter `{}` has no steps", chapter.slug));
        }
        for path in [
            chapter.test_path(),
            chapter.book_path(),
            chapter.solutions_page(),
        ] {
            if !root.join(&path).is_file() {
                problems.push(format!("chapter {} needs the file {path}", chapter.number));
            }
        }
    }
    for e in EXERCISES.iter() {
        if EXERCISES.iter().filter(|o| o.name == e.name).count() > 1 {
            problems.push(format!("catalog: the step name `{}` is used twice", e.name));
        }
        let valid = e.name.starts_with(|c: char| c.is_ascii_lowercase())
            && e.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !valid {
            problems.push(format!(
                "catalog: `{}` is not a step name (lowercase letters, digits and -)",
                e.name
            ));
        }
        if e.hint.trim().len() < 40 {
            problems.push(format!(
                "book/src/hints/{}.md: `{}` needs a real hint",
                e.name, e.name
            ));
        }
        for path in [e.exercise_path(), e.solution_path()] {
            if !root.join(&path).is_file() {
                problems.push(format!("`{}` needs the file {path}", e.name));
            }
        }
        check_same_api(root, e, &mut problems);
        check_program(root, e, &mut problems);
    }
    check_summary(root, &mut problems);
    for file in generated(root) {
        match (&file.expected, &file.actual) {
            (_, None) => problems.push(format!("{}: cannot read it", file.path)),
            (None, Some(_)) => problems.push(format!(
                "{}: the `BEGIN`/`END` markers of its generated part are missing",
                file.path
            )),
            (Some(expected), Some(actual)) if !same_code(expected, actual) => {
                problems.push(format!(
                    "{}: differs from what the catalog generates: run `cargo dev update`",
                    file.path
                ))
            }
            _ => {}
        }
    }
    check_unknown_files(root, &mut problems);
    problems
}

/// A program step has `main` and the clap name learners type; the other steps have neither.
fn check_program(root: &Path, e: &Exercise, problems: &mut Vec<String>) {
    for path in [e.exercise_path(), e.solution_path()] {
        let Ok(text) = fs::read_to_string(root.join(&path)) else {
            continue;
        };
        let has_main = text.contains("\nfn main()");
        let named = text.contains(&format!("#[command(name = \"{}\")]", e.name));
        if e.is_program() && !(has_main && named) {
            problems.push(format!(
                "{path}: the chapter's program needs `fn main()` and `#[command(name = \"{}\")]`",
                e.name
            ));
        }
        if !e.is_program() && has_main {
            problems.push(format!(
                "{path}: only the last step of a chapter is a program; this one has `fn main()`"
            ));
        }
    }
}

fn check_unknown_files(root: &Path, problems: &mut Vec<String>) {
    for dir in ["exercises", "solutions"] {
        for entry in fs::read_dir(root.join(dir)).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(chapter) = CHAPTERS.iter().find(|c| c.dir() == name) else {
                problems.push(format!("{dir}/{name} is not a chapter in the catalog"));
                continue;
            };
            for stem in rust_files(&entry.path()) {
                let known = EXERCISES.iter().any(|e| {
                    std::ptr::eq(e.chapter, chapter) && e.file_name() == format!("{stem}.rs")
                });
                if !known {
                    problems.push(format!(
                        "{dir}/{name}/{stem}.rs is not a step in the catalog (src/catalog.rs)"
                    ));
                }
            }
        }
    }
    for stem in rust_files(&root.join("tests")) {
        let is_chapter =
            stem.starts_with("ch") && stem.as_bytes().get(2).is_some_and(u8::is_ascii_digit);
        if is_chapter && !CHAPTERS.iter().any(|c| c.dir() == stem) {
            problems.push(format!("tests/{stem}.rs is not a chapter in the catalog"));
        }
    }
}

/// The pages `SUMMARY.md` links to, in order, e.g. `ch01_ip.md`, `solutions/ch01_ip.md`.
fn summary_links(summary: &str) -> Vec<String> {
    summary
        .split("](")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .map(str::to_string)
        .collect()
}

fn check_summary(root: &Path, problems: &mut Vec<String>) {
    let Some(summary) = read(root, "book/src/SUMMARY.md", problems) else {
        return;
    };
    let links = summary_links(&summary);
    for (what, prefix) in [("chapters", ""), ("solution pages", "solutions/")] {
        let listed: Vec<&String> = links
            .iter()
            .filter(|l| {
                l.strip_prefix(prefix).is_some_and(|l| {
                    l.starts_with("ch") && l.as_bytes().get(2).is_some_and(u8::is_ascii_digit)
                })
            })
            .collect();
        let expected: Vec<String> = CHAPTERS
            .iter()
            .map(|c| format!("{prefix}{}.md", c.dir()))
            .collect();
        if listed
            .iter()
            .map(|s| s.as_str())
            .ne(expected.iter().map(String::as_str))
        {
            problems.push(format!(
                "book/src/SUMMARY.md lists the {what} {listed:?}; the catalog's order is {expected:?}"
            ));
        }
    }
}

fn check_same_api(root: &Path, e: &Exercise, problems: &mut Vec<String>) {
    let (Ok(stub), Ok(solution)) = (
        fs::read_to_string(root.join(e.exercise_path())),
        fs::read_to_string(root.join(e.solution_path())),
    ) else {
        return; // a missing file is reported by the caller
    };
    let (stub_api, solution_api) = (public_api(&stub), public_api(&solution));
    for item in &solution_api {
        if !stub_api.contains(item) {
            problems.push(format!(
                "{}: the solution has `{item}`; the exercise does not",
                e.exercise_path()
            ));
        }
    }
    for item in &stub_api {
        if !solution_api.contains(item) {
            problems.push(format!(
                "{}: the exercise has `{item}`; the solution does not",
                e.solution_path()
            ));
        }
    }
}
