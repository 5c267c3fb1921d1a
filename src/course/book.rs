//! The book: every include resolves, every Rust block is compiled code, and no page outside
//! `solutions/` shows the answer to a step.

use std::fs;
use std::path::{Path, PathBuf};

use super::rust::{squeeze, todo_answers};
use crate::catalog::EXERCISES;

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

/// The `.md` pages under `book/src`, relative to it, sorted: `ch01_ip.md`,
/// `solutions/ch01_ip.md`, `hints/parse-ip.md`, ...
fn pages(src: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut dirs = vec![PathBuf::new()];
    while let Some(rel) = dirs.pop() {
        for entry in fs::read_dir(src.join(&rel)).into_iter().flatten().flatten() {
            let path = rel.join(entry.file_name());
            if entry.path().is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|x| x == "md") {
                found.push(path.to_string_lossy().into_owned());
            }
        }
    }
    found.sort();
    found
}

/// Checks every page in `book/src`: each include names an existing file and, if it names an
/// anchor, one with a non-empty body (mdBook itself only warns, or silently shows an empty
/// block); each ```rust block holds nothing but includes, so all book code is compiled code;
/// and no page outside `solutions/` shows the answer to a step, the body of a function that is
/// a `todo!()` in its stub.
pub fn check_book(root: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let src = root.join("book/src");
    let answers = answers(root);
    for page in pages(&src) {
        let Ok(text) = fs::read_to_string(src.join(&page)) else {
            continue;
        };
        let mut shown = text.clone();
        for inc in includes(&src, &page, &text) {
            let file = inc
                .file
                .strip_prefix(root)
                .unwrap_or(&inc.file)
                .display()
                .to_string();
            match (fs::read_to_string(&inc.file), &inc.anchor) {
                (Err(_), _) => problems.push(format!(
                    "book/src/{page}: includes {file}, which does not exist"
                )),
                (Ok(source), Some(anchor)) => match anchor_body(&source, anchor) {
                    None => {
                        problems.push(format!("book/src/{page}: {file} has no anchor `{anchor}`"))
                    }
                    Some(body) if body.trim().is_empty() => problems.push(format!(
                        "book/src/{page}: anchor `{anchor}` in {file} is empty"
                    )),
                    Some(body) => shown.push_str(&body),
                },
                (Ok(source), None) => shown.push_str(&source),
            }
        }
        for block in rust_blocks(&text) {
            if block
                .lines()
                .any(|l| !l.trim().is_empty() && !l.trim().starts_with("{{#"))
            {
                problems.push(format!(
                    "book/src/{page}: a ```rust block has code that is not an include; move it to \
                     book/snippets/ or a solution and include it by anchor:\n{block}"
                ));
            }
        }
        if !page.starts_with("solutions/") {
            let shown = squeeze(&shown);
            for answer in answers.iter().filter(|a| shown.contains(&a.body)) {
                problems.push(format!(
                    "book/src/{page}: shows the body of `{}` from {}, the answer to a TODO: \
                     teach with other code, and leave the answer to the solutions page",
                    answer.function, answer.solution
                ));
            }
        }
    }
    problems
}

/// The reference body of a function the learner writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The solution file it comes from.
    pub solution: String,
    /// The function's name.
    pub function: String,
    /// Its body, whitespace squeezed (see [`squeeze`]).
    pub body: String,
}

/// The answers of every step: for each function whose stub body calls `todo!`, the body the
/// solution gives it. Bodies too short to be telling (`a + b`) are left out.
fn answers(root: &Path) -> Vec<Answer> {
    let mut found = Vec::new();
    for e in EXERCISES.iter() {
        let (Ok(stub), Ok(solution)) = (
            fs::read_to_string(root.join(e.exercise_path())),
            fs::read_to_string(root.join(e.solution_path())),
        ) else {
            continue;
        };
        for (function, body) in todo_answers(&stub, &solution) {
            found.push(Answer {
                solution: e.solution_path(),
                function,
                body,
            });
        }
    }
    found
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
