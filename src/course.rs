//! Consistency checks over the whole course: the catalog against the files, `Cargo.toml`,
//! `book/src/SUMMARY.md`, and the book's includes against the code they include.
//!
//! `tests/course.rs`, `tests/book.rs` and `netlings dev check` all call these, so a learner's
//! `cargo test` and a maintainer's `dev check` find the same problems. Each function returns
//! the problems it found as sentences; an empty list means all is well.

use std::fs;
use std::path::{Path, PathBuf};

use std::fmt::Write as _;

use crate::catalog::{CHAPTERS, Chapter, EXERCISES, Exercise};

/// The `[[example]]` entries `Cargo.toml` must hold between its `BEGIN EXAMPLES` and
/// `END EXAMPLES` markers: the learner's program and the reference program of every chapter,
/// then a `[[test]]` entry for each chapter that needs features (its target cannot build
/// without them, and a plain `cargo test` skips it).
pub fn cargo_examples() -> String {
    let mut s = String::new();
    for e in EXERCISES.iter().filter(|e| e.is_program()) {
        if !s.is_empty() {
            s.push('\n');
        }
        let _ = write!(
            s,
            "[[example]]\nname = \"{}\"\npath = \"{}\"\n",
            e.example(),
            e.exercise_path()
        );
        if !e.chapter.features.is_empty() {
            let _ = writeln!(
                s,
                "required-features = {}",
                toml_list(&e.chapter.cargo_features(false))
            );
        }
        let _ = write!(
            s,
            "\n[[example]]\nname = \"{}\"\npath = \"{}\"\nrequired-features = {}\n",
            e.solution_example(),
            e.solution_path(),
            toml_list(&e.chapter.cargo_features(true)),
        );
    }
    for chapter in CHAPTERS.iter().filter(|c| !c.features.is_empty()) {
        let _ = write!(
            s,
            "\n[[test]]\nname = \"{}\"\nrequired-features = {}\n",
            chapter.dir(),
            toml_list(&chapter.cargo_features(false)),
        );
    }
    s
}

/// `["a", "b"]`.
fn toml_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("\"{i}\"")).collect();
    format!("[{}]", quoted.join(", "))
}

/// The `#[cfg(...)]` line for code of `chapter` when it needs features, else nothing.
fn cfg_line(chapter: &Chapter) -> String {
    let features: Vec<String> = chapter
        .features
        .iter()
        .map(|f| format!("feature = \"{f}\""))
        .collect();
    match features.as_slice() {
        [] => String::new(),
        [one] => format!("#[cfg({one})]\n"),
        all => format!("#[cfg(all({}))]\n", all.join(", ")),
    }
}

/// `src/given.rs`: every step's reference answer except the programs', so that a later step
/// can use an earlier step's functions even when the learner skipped it.
pub fn given_rs() -> String {
    let mut s = String::from(
        "//! What earlier steps build, given to the later ones.\n\
         //!\n\
         //! A step may use the functions of the steps before it in its chapter. It uses them from\n\
         //! here, the reference answers, so being stuck on one step never blocks the next: skip it,\n\
         //! come back later. (These are the files of `solutions/`; the book's solution pages show\n\
         //! and explain them.)\n\
         //!\n\
         //! Generated from the catalog by `cargo dev update`; `tests/course.rs` checks it.\n",
    );
    for chapter in CHAPTERS {
        let mut given: Vec<&Exercise> = EXERCISES
            .iter()
            .filter(|e| std::ptr::eq(e.chapter, chapter) && !e.is_program())
            .collect();
        // By name, not in course order: `cargo fmt` sorts module declarations, and the check
        // compares this text with the formatted file.
        given.sort_by_key(|e| e.module());
        if given.is_empty() {
            continue;
        }
        let _ = write!(
            s,
            "\n/// Chapter {}: {}.\n{}#[path = \"../solutions/{}\"]\npub mod {} {{\n",
            chapter.number,
            chapter.title,
            cfg_line(chapter),
            chapter.dir(),
            chapter.slug.replace('-', "_")
        );
        for e in given {
            let _ = write!(
                s,
                "    #[path = \"{}\"]\n    pub mod {};\n",
                e.file_name(),
                e.module()
            );
        }
        s.push_str("}\n");
    }
    s
}

/// The block between `// BEGIN STEPS` and `// END STEPS` in a chapter's test target: the
/// chapter's step files as modules of `steps`, the learner's or (with `--features solutions`)
/// the reference ones.
pub fn steps_block(chapter: &Chapter) -> String {
    let steps: Vec<&Exercise> = EXERCISES
        .iter()
        .filter(|e| std::ptr::eq(e.chapter, chapter))
        .collect();
    let mut s = format!(
        "// The steps under test: `exercises/{dir}/`, or `solutions/{dir}/` with `--features \
         solutions`.\n// Generated from the catalog by `cargo dev update`. A step's `main` and the \
         helpers its tests do\n// not call are unused here, hence `allow(dead_code)`.\n",
        dir = chapter.dir()
    );
    for e in &steps {
        let _ = write!(
            s,
            "#[cfg_attr(not(feature = \"solutions\"), path = \"../{}\")]\n\
             #[cfg_attr(feature = \"solutions\", path = \"../{}\")]\n\
             #[allow(dead_code)]\npub mod step{}_{};\n",
            e.exercise_path(),
            e.solution_path(),
            e.number,
            e.module()
        );
    }
    s.push_str("mod steps {\n");
    for e in &steps {
        let _ = writeln!(
            s,
            "    pub use super::step{}_{} as {};",
            e.number,
            e.module(),
            e.module()
        );
    }
    s.push_str("}\n");
    s
}

/// The block between `// BEGIN SNIPPETS` and `// END SNIPPETS` in `tests/book.rs`: one module
/// per file in `book/snippets/`, so every snippet is compiled and its tests run (a chapter's
/// snippets only with the features the chapter needs).
pub fn snippets_block(root: &Path) -> String {
    let mut s = String::new();
    for stem in rust_files(&root.join("book/snippets")) {
        let cfg = CHAPTERS
            .iter()
            .find(|c| c.dir() == stem)
            .map(cfg_line)
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "{cfg}#[path = \"../book/snippets/{stem}.rs\"]\nmod {stem};"
        );
    }
    s
}

/// The arms between `// BEGIN HINTS` and `// END HINTS` in `src/i18n.rs`: each step's Chinese
/// hint, read from the book at compile time.
pub fn zh_hints_block() -> String {
    let mut s = String::new();
    for e in EXERCISES.iter() {
        let _ = writeln!(
            s,
            "        \"{0}\" => include_str!(\"../book/src/hints/zh-CN/{0}.md\"),",
            e.name
        );
    }
    s
}

/// `text` with the lines between the `// BEGIN <name>` and `// END <name>` markers (or
/// `# BEGIN`/`# END` in TOML) replaced by `content`; `None` if the markers are missing.
pub fn with_block(text: &str, name: &str, content: &str) -> Option<String> {
    let (begin, end) = if text.contains(&format!("# BEGIN {name}\n")) && !text.contains("// BEGIN")
    {
        (format!("# BEGIN {name}\n"), format!("# END {name}"))
    } else {
        (format!("// BEGIN {name}\n"), format!("// END {name}"))
    };
    let start = text.find(&begin)? + begin.len();
    let stop = start + text[start..].find(&end)?;
    Some(format!("{}{}{}", &text[..start], content, &text[stop..]))
}

/// `Cargo.toml`'s text with the examples section replaced by [`cargo_examples`].
pub fn with_cargo_examples(cargo_toml: &str) -> Option<String> {
    with_block(cargo_toml, "EXAMPLES", &cargo_examples())
}

/// A file derived from the catalog, and what it must contain.
pub struct Generated {
    /// The file, from the course root.
    pub path: String,
    /// Its text as `cargo dev update` writes it (`None`: its markers are missing).
    pub expected: Option<String>,
    /// Its text now (`None`: it cannot be read).
    pub actual: Option<String>,
}

/// Every file, or part of a file, that is derived from the catalog.
pub fn generated(root: &Path) -> Vec<Generated> {
    let read = |rel: &str| fs::read_to_string(root.join(rel)).ok();
    let mut files = Vec::new();
    let toml = read("Cargo.toml");
    files.push(Generated {
        path: "Cargo.toml".into(),
        expected: toml.as_deref().and_then(with_cargo_examples),
        actual: toml,
    });
    files.push(Generated {
        path: "src/given.rs".into(),
        expected: Some(given_rs()),
        actual: read("src/given.rs"),
    });
    let i18n = read("src/i18n.rs");
    files.push(Generated {
        path: "src/i18n.rs".into(),
        expected: i18n
            .as_deref()
            .and_then(|t| with_block(t, "HINTS", &zh_hints_block())),
        actual: i18n,
    });
    let book = read("tests/book.rs");
    files.push(Generated {
        path: "tests/book.rs".into(),
        expected: book
            .as_deref()
            .and_then(|t| with_block(t, "SNIPPETS", &snippets_block(root))),
        actual: book,
    });
    for chapter in CHAPTERS {
        let path = chapter.test_path();
        let text = read(&path);
        files.push(Generated {
            expected: text
                .as_deref()
                .and_then(|t| with_block(t, "STEPS", &steps_block(chapter))),
            actual: text,
            path,
        });
    }
    files
}

/// Whether two texts are the same code, however rustfmt laid them out: generated blocks are
/// written plainly and `cargo fmt` may wrap them.
pub fn same_code(a: &str, b: &str) -> bool {
    let strip = |s: &str| {
        s.chars()
            .filter(|c| !c.is_whitespace() && *c != ',')
            .collect::<String>()
    };
    strip(a) == strip(b)
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

/// For each function whose body in `stub` contains `todo!(`, its name and its squeezed body in
/// `solution` (when that has at least 12 characters that are not white space).
pub fn todo_answers(stub: &str, solution: &str) -> Vec<(String, String)> {
    functions(stub)
        .into_iter()
        .filter(|(_, body)| body.contains("todo!("))
        .filter_map(|(name, _)| {
            let (_, body) = functions(solution).into_iter().find(|(n, _)| *n == name)?;
            let body = squeeze(&body);
            (body.chars().filter(|c| !c.is_whitespace()).count() >= 12).then_some((name, body))
        })
        .collect()
}

/// The functions in Rust `source`: each `fn name` with the text between its body's braces.
/// A brace counter that skips string and char literals and comments is enough for the course's
/// own files.
fn functions(source: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut offset = 0;
    while offset < source.len() {
        let rest = &source[offset..];
        let line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let line = &rest[..line_end];
        // A declaration: only qualifiers before `fn` on its line (not a comment or an expression).
        let decl = line.find("fn ").filter(|&at| {
            line[..at].split_whitespace().all(|w| {
                [
                    "pub",
                    "pub(crate)",
                    "pub(super)",
                    "const",
                    "async",
                    "unsafe",
                ]
                .contains(&w)
            })
        });
        let Some(at) = decl else {
            offset += line_end;
            continue;
        };
        let after = &rest[at + 3..];
        let name: String = after
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        match (after.find('{'), after.find(';')) {
            (Some(open), semi) if !name.is_empty() && semi.is_none_or(|s| s > open) => {
                let body_start = offset + at + 3 + open + 1;
                let len = matching_brace(&source[body_start..]);
                found.push((name, source[body_start..body_start + len].to_string()));
                offset = body_start + len;
            }
            _ => offset += line_end,
        }
    }
    found
}

/// The length of `text` up to the `}` that closes a block already opened.
fn matching_brace(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (mut depth, mut i) = (1usize, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'\'' if bytes.get(i + 2) == Some(&b'\'') => i += 2,
            b'\'' if bytes.get(i + 1) == Some(&b'\\') => {
                while i + 1 < bytes.len() && bytes[i + 1] != b'\'' {
                    i += 1;
                }
                i += 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    text.len()
}

/// `text` with every run of white space turned into one space, so a body matches however it
/// is indented.
pub fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
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
