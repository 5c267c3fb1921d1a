//! What is generated from the catalog: written by `cargo dev update`, checked by
//! [`super::layout::check_layout`].

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use super::rust_files;
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
