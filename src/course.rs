//! Consistency checks over the whole course: the catalog against the files, `Cargo.toml`,
//! `book/src/SUMMARY.md`, and the book's includes against the code they include.
//!
//! `tests/course.rs`, `tests/book.rs` and `netlings dev check` all call these, so a learner's
//! `cargo test` and a maintainer's `dev check` find the same problems. Each function returns
//! the problems it found as sentences; an empty list means all is well.

use std::fs;
use std::path::{Path, PathBuf};

use crate::catalog::{EXERCISES, Exercise};

/// The `[[example]]` entries `Cargo.toml` must hold between its `BEGIN EXAMPLES` and
/// `END EXAMPLES` markers: the learner's program and the reference program of every exercise.
pub fn cargo_examples() -> String {
    let mut s = String::new();
    for (i, e) in EXERCISES.iter().enumerate() {
        if i > 0 {
            s.push('\n');
        }
        s.push_str(&format!(
            "[[example]]\nname = \"{}\"\npath = \"{}\"\n\n[[example]]\nname = \"{}\"\npath = \"{}\"\nrequired-features = [\"solutions\"]\n",
            e.example(),
            e.exercise_path(),
            e.solution_example(),
            e.solution_path(),
        ));
    }
    s
}

const BEGIN: &str = "# BEGIN EXAMPLES\n";
const END: &str = "# END EXAMPLES";

/// `Cargo.toml`'s text with the examples section replaced by [`cargo_examples`].
pub fn with_cargo_examples(cargo_toml: &str) -> Option<String> {
    let start = cargo_toml.find(BEGIN)? + BEGIN.len();
    let end = cargo_toml.find(END)?;
    (start <= end).then(|| {
        format!(
            "{}{}{}",
            &cargo_toml[..start],
            cargo_examples(),
            &cargo_toml[end..]
        )
    })
}

fn read(root: &Path, rel: &str, problems: &mut Vec<String>) -> Option<String> {
    match fs::read_to_string(root.join(rel)) {
        Ok(text) => Some(text),
        Err(e) => {
            problems.push(format!("{rel}: cannot read it ({e})"));
            None
        }
    }
}

/// Checks the catalog against the tree at `root`: every exercise has its four files, the
/// course order is the chapter order, `SUMMARY.md` and `Cargo.toml` list the exercises in
/// that order, no file in `exercises/`, `solutions/` or `tests/` is unknown to the catalog,
/// and each stub declares the same public API as its solution.
pub fn check_layout(root: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for (i, e) in EXERCISES.iter().enumerate() {
        if let Some(before) = i.checked_sub(1).map(|b| &EXERCISES[b])
            && before.chapter >= e.chapter
        {
            problems.push(format!(
                "catalog: `{}` (chapter {}) comes after `{}` (chapter {}): keep chapter order",
                e.name, e.chapter, before.name, before.chapter
            ));
        }
        if EXERCISES
            .iter()
            .filter(|o| o.name == e.name || o.file == e.file)
            .count()
            > 1
        {
            problems.push(format!(
                "catalog: the name or file of `{}` is used twice",
                e.name
            ));
        }
        if !e.file.starts_with(&format!("ch{:02}_", e.chapter)) {
            problems.push(format!(
                "catalog: `{}` should live in files named ch{:02}_*",
                e.name, e.chapter
            ));
        }
        for path in [
            e.exercise_path(),
            e.solution_path(),
            e.test_path(),
            format!("book/src/{}", e.book_path()),
        ] {
            if !root.join(&path).is_file() {
                problems.push(format!("`{}` needs the file {path}", e.name));
            }
        }
        check_same_api(root, e, &mut problems);
    }
    check_summary(root, &mut problems);
    if let Some(toml) = read(root, "Cargo.toml", &mut problems) {
        match with_cargo_examples(&toml) {
            Some(expected) if expected == toml => {}
            Some(_) => problems.push(
                "Cargo.toml: the [[example]] entries differ from the catalog: run `cargo dev update`".into(),
            ),
            None => problems.push("Cargo.toml: the `# BEGIN EXAMPLES` / `# END EXAMPLES` markers are missing".into()),
        }
    }
    for dir in ["exercises", "solutions"] {
        for file in rust_files(&root.join(dir)) {
            if !EXERCISES.iter().any(|e| e.file == file) {
                problems.push(format!(
                    "{dir}/{file}.rs is not in the catalog (src/catalog.rs)"
                ));
            }
        }
    }
    for file in rust_files(&root.join("tests")) {
        if file.starts_with("ch") && !EXERCISES.iter().any(|e| e.file == file) {
            problems.push(format!(
                "tests/{file}.rs is not in the catalog (src/catalog.rs)"
            ));
        }
    }
    problems
}

/// The stems of the `.rs` files directly in `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            name.strip_suffix(".rs").map(str::to_string)
        })
        .collect();
    files.sort();
    files
}

/// The chapter files `SUMMARY.md` links to, in order, e.g. `ch01_ip.md`.
fn summary_chapters(summary: &str) -> Vec<String> {
    summary
        .split("](")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .filter(|link| link.starts_with("ch") && link.ends_with(".md"))
        .map(str::to_string)
        .collect()
}

fn check_summary(root: &Path, problems: &mut Vec<String>) {
    let Some(summary) = read(root, "book/src/SUMMARY.md", problems) else {
        return;
    };
    let listed = summary_chapters(&summary);
    let expected: Vec<String> = EXERCISES.iter().map(Exercise::book_path).collect();
    let numbered: Vec<String> = listed
        .iter()
        .filter(|l| l.as_bytes().get(2).is_some_and(u8::is_ascii_digit))
        .cloned()
        .collect();
    if numbered != expected {
        problems.push(format!(
            "book/src/SUMMARY.md lists the chapters {numbered:?}; the catalog's order is {expected:?}"
        ));
    }
}

/// The public items a Rust file declares, one normalised signature each (`pub fn f(x: u8) -> u8`).
pub fn public_api(source: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut current: Option<String> = None;
    for line in source.lines() {
        let trimmed = line.trim();
        if current.is_none() && trimmed.starts_with("pub ") {
            current = Some(String::new());
        }
        if let Some(sig) = current.as_mut() {
            if !sig.is_empty() && !sig.ends_with('(') {
                sig.push(' ');
            }
            sig.push_str(trimmed);
            // A signature ends where its body, its fields or its `;` start.
            if let Some(end) = sig
                .find([';', '{'])
                .or_else(|| (trimmed.ends_with(',') && !sig.contains('(')).then_some(sig.len()))
            {
                let mut done: String = sig[..end].trim().trim_end_matches(',').to_string();
                done = done
                    .replace("( ", "(")
                    .replace(", )", ")")
                    .replace(",)", ")");
                items.push(done);
                current = None;
            }
        }
    }
    items
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

/// One `{{#include path:anchor}}` in a chapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    /// The chapter it appears in, relative to `book/src/`.
    pub chapter: String,
    /// The included file, resolved against the chapter's directory.
    pub file: PathBuf,
    /// The anchor, if the include names one.
    pub anchor: Option<String>,
}

/// Every include in the markdown `text` of `chapter`.
pub fn includes(book_src: &Path, chapter: &str, text: &str) -> Vec<Include> {
    let mut found = Vec::new();
    for directive in ["{{#include ", "{{#rustdoc_include "] {
        let mut rest = text;
        while let Some(at) = rest.find(directive) {
            rest = &rest[at + directive.len()..];
            let Some(end) = rest.find("}}") else { break };
            let target = rest[..end].trim();
            let (path, anchor) = match target.split_once(':') {
                Some((p, a)) => (p, Some(a.to_string())),
                None => (target, None),
            };
            let dir = Path::new(chapter).parent().unwrap_or(Path::new(""));
            found.push(Include {
                chapter: chapter.to_string(),
                file: book_src.join(dir).join(path),
                anchor,
            });
        }
    }
    found
}

/// The lines between `// ANCHOR: name` and `// ANCHOR_END: name` in `source`, or `None` if
/// the pair is missing.
pub fn anchor_body(source: &str, name: &str) -> Option<String> {
    let is_marker = |line: &str, kind: &str| {
        line.trim()
            .strip_prefix("//")
            .map(str::trim)
            .and_then(|l| l.strip_prefix(kind))
            .is_some_and(|l| l.trim() == name)
    };
    let mut lines = source.lines();
    lines.by_ref().find(|l| is_marker(l, "ANCHOR:"))?;
    let mut body = Vec::new();
    for line in lines {
        if is_marker(line, "ANCHOR_END:") {
            return Some(body.join("\n"));
        }
        body.push(line);
    }
    None
}

/// Checks every chapter in `book/src`: each include names an existing file and, if it names
/// an anchor, one with a non-empty body (mdBook itself only warns, or silently shows an empty
/// block); each ```rust block holds nothing but includes, so all book code is compiled code.
pub fn check_book(root: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let src = root.join("book/src");
    let mut chapters: Vec<String> = fs::read_dir(&src)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".md"))
        .collect();
    chapters.sort();
    for chapter in chapters {
        let Ok(text) = fs::read_to_string(src.join(&chapter)) else {
            continue;
        };
        for inc in includes(&src, &chapter, &text) {
            let shown = inc
                .file
                .strip_prefix(root)
                .unwrap_or(&inc.file)
                .display()
                .to_string();
            match (fs::read_to_string(&inc.file), &inc.anchor) {
                (Err(_), _) => problems.push(format!(
                    "book/src/{chapter}: includes {shown}, which does not exist"
                )),
                (Ok(source), Some(anchor)) => match anchor_body(&source, anchor) {
                    None => problems.push(format!(
                        "book/src/{chapter}: {shown} has no anchor `{anchor}`"
                    )),
                    Some(body) if body.trim().is_empty() => problems.push(format!(
                        "book/src/{chapter}: anchor `{anchor}` in {shown} is empty"
                    )),
                    Some(_) => {}
                },
                (Ok(_), None) => {}
            }
        }
        for block in rust_blocks(&text) {
            if block
                .lines()
                .any(|l| !l.trim().is_empty() && !l.trim().starts_with("{{#"))
            {
                problems.push(format!(
                    "book/src/{chapter}: a ```rust block has code that is not an include; move it to \
                     book/snippets/ or a solution and include it by anchor:\n{block}"
                ));
            }
        }
    }
    problems
}

/// The bodies of the fenced code blocks whose info string starts with `rust`.
fn rust_blocks(markdown: &str) -> Vec<String> {
    enum State<'a> {
        Outside,
        Rust(Vec<&'a str>),
        Other,
    }
    let mut blocks = Vec::new();
    let mut state = State::Outside;
    for line in markdown.lines() {
        let fence = line.trim_start().strip_prefix("```");
        state = match (state, fence) {
            (State::Outside, Some(info)) if info.starts_with("rust") => State::Rust(Vec::new()),
            (State::Outside, Some(_)) => State::Other,
            (State::Rust(lines), Some(_)) => {
                blocks.push(lines.join("\n"));
                State::Outside
            }
            (State::Other, Some(_)) => State::Outside,
            (State::Rust(mut lines), None) => {
                lines.push(line);
                State::Rust(lines)
            }
            (state, None) => state,
        };
    }
    blocks
}
