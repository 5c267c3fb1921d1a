//! Consistency checks over the whole course, and what is generated from the catalog.
//!
//! - [`generate`]: the parts of files derived from the catalog (`Cargo.toml`'s examples,
//!   `src/given.rs`, each test target's step modules, ...), which `cargo dev update` writes.
//! - [`layout`]: the catalog against the tree: files, public APIs, `SUMMARY.md`, generated parts.
//! - [`book`]: the book's includes, its code blocks, and no answer shown before the pass.
//! - [`rust`]: the little of Rust's syntax the checks read (public items, function bodies).
//!
//! `tests/course.rs`, `tests/book.rs` and `netlings dev check` all call these, so a learner's
//! `cargo test` and a maintainer's `dev check` find the same problems. Each check returns the
//! problems it found as sentences; an empty list means all is well.

use std::fs;
use std::path::Path;

pub mod book;
pub mod generate;
pub mod layout;
pub mod rust;

pub use book::{Include, anchor_body, check_book, includes};
pub use generate::{
    Generated, cargo_examples, generated, given_rs, same_code, snippets_block, steps_block,
    with_block, with_cargo_examples, zh_hints_block,
};
pub use layout::check_layout;
pub use rust::{public_api, squeeze, todo_answers};

pub(crate) fn read(root: &Path, rel: &str, problems: &mut Vec<String>) -> Option<String> {
    match fs::read_to_string(root.join(rel)) {
        Ok(text) => Some(text),
        Err(e) => {
            problems.push(format!("{rel}: cannot read it ({e})"));
            None
        }
    }
}

/// The stems of the `.rs` files directly in `dir`, sorted.
pub(crate) fn rust_files(dir: &Path) -> Vec<String> {
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
