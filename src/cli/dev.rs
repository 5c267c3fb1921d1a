//! The maintainer's commands, and `reset`, which shares their use of git.
//!
//! - `dev check` proves the course: the catalog agrees with the files, the book's includes
//!   resolve, every stub compiles and fails its tests in time, every solution passes, and the
//!   catalog's stub hashes match the stubs (so `reset` restores the right file).
//! - `dev update` rewrites what is derived from the catalog.
//! - `dev mutants` runs cargo-mutants over one step's solution, against its chapter's tests.
//! - `reset` restores a stub from git's object store.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::{Command, ExitCode};

use netlings::catalog::{EXERCISES, Exercise};
use netlings::course;

use super::cargo::Source;
use super::git::git;
use super::i18n::tr;
use super::outcome::Status;
use super::runner;
use super::term;

/// The pristine stubs, compiled into this binary: `src/cli/stubs.txt`, a bundle written by
/// `dev update`. Each stub is a line `<step> <length in bytes>`, then exactly that many bytes.
const STUBS: &str = include_str!("stubs.txt");

/// The first line of the bundle.
const STUBS_HEADER: &str =
    "netlings stubs: `<step> <bytes>` then the bytes; written by `cargo dev update`\n";

/// The pristine stub of step `e`, as the course ships it.
fn pristine(e: &Exercise) -> Option<&'static str> {
    let mut rest = STUBS.strip_prefix(STUBS_HEADER)?;
    while let Some((head, body)) = rest.split_once('\n') {
        let (name, len) = head.split_once(' ')?;
        let len: usize = len.parse().ok()?;
        let text = body.get(..len)?;
        if name == e.name {
            return Some(text);
        }
        rest = &body[len..];
    }
    None
}

/// `netlings reset`: writes the pristine stub back, from the copy compiled into this binary
/// (`src/cli/stubs.txt`), so it works in a template repository or a tarball without the
/// course's history. The learner's file is first copied to `<file>.bak`, and the message says
/// so: nothing typed is ever lost to a reset.
pub fn reset(root: &Path, e: &Exercise) -> Result<ExitCode, String> {
    let (name, file) = (e.name, e.exercise_path());
    let stub = pristine(e)
        .ok_or_else(|| format!("{STUBS_PATH} has no stub for `{name}`: run `cargo dev update`"))?
        .as_bytes();
    let path = root.join(&file);
    let current = fs::read(&path).unwrap_or_default();
    if current == stub {
        println!(
            "{}",
            tr!(
                format!("{file} is already the original stub."),
                format!("{file} 已经是原始桩代码。")
            )
        );
        return Ok(ExitCode::SUCCESS);
    }
    let backup = format!("{file}.bak");
    fs::write(root.join(&backup), &current).map_err(|err| {
        tr!(
            format!("cannot save your version to {backup}: {err}"),
            format!("无法把你的版本保存到 {backup}：{err}")
        )
    })?;
    fs::write(&path, stub).map_err(|err| format!("{file}: {err}"))?;
    println!(
        "{}",
        tr!(
            format!("{file} is back to its original stub; your version is in {backup}."),
            format!("{file} 已恢复为原始桩代码；你的版本保存在 {backup}。")
        )
    );
    Ok(ExitCode::SUCCESS)
}

/// `src/cli/stubs.txt`: every step's stub as `exercises/` holds it now, for `reset`.
fn stubs_bundle(root: &Path) -> Result<String, String> {
    let mut s = String::from(STUBS_HEADER);
    for e in EXERCISES.iter() {
        let path = e.exercise_path();
        let text = fs::read_to_string(root.join(&path)).map_err(|err| format!("{path}: {err}"))?;
        let _ = write!(s, "{} {}\n{text}", e.name, text.len());
    }
    Ok(s)
}

/// The steps whose stub in `exercises/` differs from the one compiled into this binary.
fn stale_stubs(root: &Path) -> Vec<&'static str> {
    EXERCISES
        .iter()
        .filter(|e| {
            fs::read_to_string(root.join(e.exercise_path()))
                .ok()
                .as_deref()
                != pristine(e)
        })
        .map(|e| e.name)
        .collect()
}

/// `netlings dev update`: rewrites everything derived from the catalog: Cargo.toml's examples,
/// `src/given.rs`, each chapter test target's step modules, `tests/book.rs`'s snippet modules,
/// and the stub ids.
pub fn update(root: &Path) -> Result<ExitCode, String> {
    let mut files: Vec<(String, String)> = Vec::new();
    for file in course::generated(root) {
        let expected = file.expected.ok_or_else(|| {
            format!(
                "{}: the `BEGIN`/`END` markers of its generated part are missing",
                file.path
            )
        })?;
        if !file
            .actual
            .as_deref()
            .is_some_and(|actual| course::same_code(actual, &expected))
        {
            files.push((file.path, expected));
        }
    }
    let stubs = stubs_bundle(root)?;
    if fs::read_to_string(root.join(STUBS_PATH)).ok().as_deref() != Some(stubs.as_str()) {
        files.push((STUBS_PATH.to_string(), stubs));
    }
    for (path, text) in &files {
        fs::write(root.join(path), text).map_err(|e| format!("cannot write {path}: {e}"))?;
        println!("{path}: rewritten from the catalog");
    }
    if files.is_empty() {
        println!("Everything derived from the catalog is up to date.");
    } else {
        // Generated blocks are written plainly; let rustfmt lay them out as the rest.
        let formatted = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .current_dir(root)
            .arg("fmt")
            .status();
        if !formatted.is_ok_and(|s| s.success()) {
            println!("(`cargo fmt` did not run cleanly: run it yourself)");
        }
    }
    Ok(ExitCode::SUCCESS)
}

const STUBS_PATH: &str = "src/cli/stubs.txt";

/// `netlings dev check`: the maintainer's proof that the course is right.
pub fn prove(root: &Path) -> ExitCode {
    let c = term::colors();
    let mut problems = course::check_layout(root);
    problems.extend(course::check_book(root));
    let stale = stale_stubs(root);
    if !stale.is_empty() {
        problems.push(format!(
            "{STUBS_PATH}: the stubs of {} changed in exercises/: run `cargo dev update` (and \
             rebuild) if they changed on purpose",
            stale.join(", ")
        ));
    }
    for e in EXERCISES.iter() {
        let stub = runner::check_step(root, e, Source::Exercise);
        let stub_ok = stub.status == Status::Fail;
        if !stub_ok {
            problems.push(match stub.status {
                Status::Pass => format!(
                    "{}: the stub passes its tests: a learner would have nothing to do",
                    e.exercise_path()
                ),
                Status::TimedOut => format!(
                    "{}: the stub's tests hang instead of failing",
                    e.exercise_path()
                ),
                _ => format!(
                    "{}: the stub does not fail cleanly:\n{}",
                    e.exercise_path(),
                    stub.report(e, term::Colors::none())
                ),
            });
        }
        let solution = runner::check_step(root, e, Source::Solution);
        if !solution.passed() {
            problems.push(format!(
                "{}:\n{}",
                e.solution_path(),
                solution.report(e, term::Colors::none())
            ));
        }
        let verdict = |ok: bool| if ok { c.green("ok") } else { c.red("NO") };
        println!(
            "{:<5} {:<18} stub fails: {}   solution passes: {} ({}/{} tests, {:.1} s)",
            e.number_label(),
            e.name,
            verdict(stub_ok),
            verdict(solution.passed()),
            solution.count_passed(),
            solution.tests.len(),
            solution.elapsed.as_secs_f64(),
        );
    }
    if problems.is_empty() {
        println!(
            "{} the course is consistent: {} chapters, {} steps",
            c.green("✓"),
            netlings::catalog::CHAPTERS.len(),
            EXERCISES.len()
        );
        ExitCode::SUCCESS
    } else {
        println!("\n{} {} problem(s):", c.red("✗"), problems.len());
        for p in &problems {
            println!("- {p}");
        }
        ExitCode::FAILURE
    }
}

/// The book's message template.
const POT: &str = "book/po/messages.pot";

/// `netlings dev i18n`: extracts the English book's messages into `book/po/messages.pot` (with
/// mdbook's default preprocessors off, so `{{#include}}` directives stay directives and code is
/// never a message to translate), then merges the template into every `book/po/*.po`. With
/// `check`, it only says whether the committed template is current.
pub fn i18n(root: &Path, check: bool) -> Result<ExitCode, String> {
    let tmp = std::env::temp_dir().join(format!("netlings-pot-{}", std::process::id()));
    let extracted = Command::new("mdbook")
        .current_dir(root)
        .args(["build", "book", "-d"])
        .arg(&tmp)
        .env("MDBOOK_BUILD__USE_DEFAULT_PREPROCESSORS", "false")
        .env(
            "MDBOOK_OUTPUT",
            r#"{"xgettext": {"pot-file": "messages.pot"}}"#,
        )
        .output()
        .map_err(|e| {
            format!("cannot run mdbook (install it: cargo install mdbook --locked): {e}")
        })?;
    let pot = fs::read_to_string(tmp.join("messages.pot"));
    let _ = fs::remove_dir_all(&tmp);
    let pot = pot.map_err(|e| {
        format!(
            "mdbook did not write a template ({e}); is mdbook-i18n-helpers installed \
             (cargo install mdbook-i18n-helpers --locked)?\n{}",
            String::from_utf8_lossy(&extracted.stderr)
        )
    })?;
    // The creation date changes on every run; without it the file changes only with the book.
    let pot: String = pot
        .lines()
        .filter(|l| !l.starts_with("\"POT-Creation-Date:"))
        .map(|l| format!("{l}\n"))
        .collect();
    let current = fs::read_to_string(root.join(POT)).unwrap_or_default();
    if check {
        return if current == pot {
            println!("{POT} is up to date.");
            Ok(ExitCode::SUCCESS)
        } else {
            Err(format!(
                "{POT} is out of date: the book changed. Run `cargo dev i18n`, translate what it \
                 marks, and commit."
            ))
        };
    }
    fs::write(root.join(POT), &pot).map_err(|e| format!("cannot write {POT}: {e}"))?;
    println!("{POT}: {} messages", netlings::i18n::parse_po(&pot)?.len());
    let po_dir = root.join("book/po");
    for entry in fs::read_dir(&po_dir).map_err(|e| format!("cannot read book/po: {e}"))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().is_none_or(|x| x != "po") {
            continue;
        }
        let merged = Command::new("msgmerge")
            .args(["--quiet", "--update", "--backup=none", "--no-wrap"])
            .arg(&path)
            .arg(root.join(POT))
            .status()
            .map_err(|e| format!("cannot run msgmerge (install gettext): {e}"))?;
        if !merged.success() {
            return Err(format!("msgmerge failed on {}", path.display()));
        }
        let po = fs::read_to_string(&path).map_err(|e| e.to_string())?;
        let template = netlings::i18n::parse_po(&pot)?;
        let problems =
            netlings::i18n::translation_problems(&template, &netlings::i18n::parse_po(&po)?);
        println!("{}: {} to translate", path.display(), problems.len());
    }
    Ok(ExitCode::SUCCESS)
}

/// The module `dev mutants` adds to the copy's `src/lib.rs`, so that cargo-mutants finds the
/// step's solution. (It walks the library's modules, but does not follow the nested `#[path]`s
/// of `src/given.rs`, and a program step is an example, which it does not walk at all.)
const MUTANTS_MODULE: &str = "netlings_mutants_step";

/// `netlings dev mutants STEP`: cargo-mutants over one step's reference solution, each mutant
/// judged by the chapter's tests (`--features solutions --test chNN_name`).
///
/// It works in a copy of the course (every file git tracks or would track, so uncommitted
/// edits count) in the system's temporary directory, whose `src/lib.rs` gains a module for the
/// step's solution file. A mutant of that file reaches every user of it: the chapter's test
/// target, which includes it under `--features solutions`, and `netlings::given`, which later
/// steps use. cargo-mutants runs there `--in-place` (one build directory, no second copy),
/// building in `<target>/mutants/build`; its report goes to `<target>/mutants/<step>`. `extra`
/// is passed on to cargo-mutants (`--timeout 60`, `--shard 1/2`, `--file src/support/x.rs`).
pub fn mutants(root: &Path, e: &Exercise, extra: &[String]) -> Result<ExitCode, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let installed = Command::new(&cargo)
        .args(["mutants", "--version"])
        .output()
        .is_ok_and(|out| out.status.success());
    if !installed {
        return Err(
            "cargo-mutants is not installed: `cargo install cargo-mutants --locked`".to_string(),
        );
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
        .join("mutants");
    let report = target.join(e.name);
    let copy = std::env::temp_dir().join("netlings-mutants").join(e.name);
    copy_course(root, &copy)?;
    let lib = copy.join("src/lib.rs");
    let mut lib_text =
        fs::read_to_string(&lib).map_err(|err| format!("cannot read {}: {err}", lib.display()))?;
    lib_text.push_str(&format!(
        "\n// Added by `netlings dev mutants {}` in this copy of the course only.\n\
         #[path = \"../{}\"]\n#[allow(dead_code, unused_imports)]\nmod {MUTANTS_MODULE};\n",
        e.name,
        e.solution_path()
    ));
    fs::write(&lib, lib_text).map_err(|err| format!("cannot write {}: {err}", lib.display()))?;

    let mut cmd = Command::new(&cargo);
    cmd.current_dir(&copy)
        .env("CARGO_TARGET_DIR", target.join("build"))
        // `--level error`: cargo-mutants warns about every `#[path]` of `src/given.rs`.
        .args([
            "mutants",
            "--in-place",
            "--level",
            "error",
            "--features",
            "solutions",
        ])
        .arg("--file")
        // cargo-mutants names the file by the way it reached it: `src/../solutions/...`.
        .arg(format!("**/{}", e.solution_path()))
        // For the build as well as the tests: only the chapter's target is built, not all of
        // them for every mutant.
        .arg(format!("--cargo-arg=--test={}", e.test_target()))
        // A program's `main` is the one line `netlings::program::main(run)`: the tests drive
        // `run` in-process, as a learner's program is graded, and never call it.
        .args(["--exclude-re", "replace main -> "])
        .arg("--output")
        .arg(&report)
        .args(extra);
    println!(
        "cargo-mutants over {} against tests/{}.rs, in {}",
        e.solution_path(),
        e.test_target(),
        copy.display()
    );
    let status = cmd
        .status()
        .map_err(|err| format!("cannot start cargo mutants: {err}"))?;
    let _ = fs::remove_dir_all(&copy);
    println!(
        "The mutants and their fate: {}/mutants.out (caught.txt, missed.txt, timeout.txt, \
         unviable.txt)",
        report.display()
    );
    // cargo-mutants' own codes: 0 every mutant caught, 2 some missed, 3 some timed out, ...
    Ok(match status.code() {
        Some(0) => ExitCode::SUCCESS,
        Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        None => ExitCode::FAILURE,
    })
}

/// Copies every file of the course that git tracks or would track (`target/` and the like
/// left out) from `root` to `to`, which is emptied first.
fn copy_course(root: &Path, to: &Path) -> Result<(), String> {
    if to.exists() {
        fs::remove_dir_all(to).map_err(|err| format!("cannot empty {}: {err}", to.display()))?;
    }
    let list = git(
        root,
        &[
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ],
    )?;
    for name in list.split(|&b| b == 0).filter(|name| !name.is_empty()) {
        let name = String::from_utf8_lossy(name);
        let from = root.join(name.as_ref());
        if !from.is_file() {
            continue; // deleted in the work tree, but still in the index
        }
        let dest = to.join(name.as_ref());
        if let Some(dir) = dest.parent() {
            fs::create_dir_all(dir)
                .map_err(|err| format!("cannot create {}: {err}", dir.display()))?;
        }
        fs::copy(&from, &dest).map_err(|err| format!("cannot copy {name}: {err}"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_has_its_stub_in_the_bundle() {
        for e in EXERCISES.iter() {
            let stub = pristine(e).unwrap_or_else(|| panic!("no stub for `{}`", e.name));
            assert!(
                stub.contains("todo!("),
                "the stub of `{}` has no todo!()",
                e.name
            );
        }
    }
}
