//! The maintainer's commands, and `reset`, which shares their use of git.
//!
//! - `dev check` proves the course: the catalog agrees with the files, the book's includes
//!   resolve, every stub compiles and fails its tests in time, every solution passes, and the
//!   catalog's stub hashes match the stubs (so `reset` restores the right file).
//! - `dev update` rewrites what is derived from the catalog.

use std::fs;
use std::path::Path;
use std::process::{Command, ExitCode};

use netlings::catalog::{EXERCISES, Exercise};
use netlings::course;

use super::runner::{self, Status, Target};
use super::term;

/// The git blob id of the file at `path` (what `git hash-object` prints).
fn blob_id(root: &Path, path: &str) -> Result<String, String> {
    let out = Command::new("git")
        .current_dir(root)
        .args(["hash-object", "--", path])
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "git hash-object {path} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// `netlings reset`: writes the pristine stub back, read from git's object store by the id
/// the catalog records. It works in any clone or fork whose history holds the course.
pub fn reset(root: &Path, e: &Exercise) -> Result<ExitCode, String> {
    let out = Command::new("git")
        .current_dir(root)
        .args(["cat-file", "blob", e.stub])
        .output()
        .map_err(|err| format!("`reset` needs git, and git cannot be run: {err}"))?;
    if !out.status.success() {
        return Err(format!(
            "the original stub of `{}` (git object {}) is not in this repository's history. \
             Copy {} from the course repository instead.",
            e.name,
            e.stub,
            e.exercise_path()
        ));
    }
    fs::write(root.join(e.exercise_path()), &out.stdout)
        .map_err(|err| format!("cannot write {}: {err}", e.exercise_path()))?;
    println!("{} is back to its original stub.", e.exercise_path());
    Ok(ExitCode::SUCCESS)
}

/// `netlings dev update`: the `[[example]]` entries in Cargo.toml and the stub hashes in the
/// catalog, recomputed from the catalog and the stubs.
pub fn update(root: &Path) -> Result<ExitCode, String> {
    let toml_path = root.join("Cargo.toml");
    let toml =
        fs::read_to_string(&toml_path).map_err(|e| format!("cannot read Cargo.toml: {e}"))?;
    let updated = course::with_cargo_examples(&toml)
        .ok_or("Cargo.toml lacks the `# BEGIN EXAMPLES` / `# END EXAMPLES` markers")?;
    if updated != toml {
        fs::write(&toml_path, updated).map_err(|e| format!("cannot write Cargo.toml: {e}"))?;
        println!("Cargo.toml: examples rewritten from the catalog");
    }
    let catalog_path = root.join("src/catalog.rs");
    let mut catalog = fs::read_to_string(&catalog_path)
        .map_err(|e| format!("cannot read src/catalog.rs: {e}"))?;
    for e in EXERCISES {
        let id = blob_id(root, &e.exercise_path())?;
        if id == e.stub {
            continue;
        }
        // The stub line follows the entry's `file:` line; replace the first one after it.
        let file_at = catalog
            .find(&format!("file: \"{}\"", e.file))
            .ok_or_else(|| format!("src/catalog.rs: cannot find the entry of `{}`", e.name))?;
        let stub_at = file_at
            + catalog[file_at..]
                .find("stub: \"")
                .ok_or("src/catalog.rs: an entry without `stub`")?
            + 7;
        catalog.replace_range(stub_at..stub_at + 40, &id);
        println!("src/catalog.rs: stub of `{}` is now {id}", e.name);
    }
    fs::write(&catalog_path, catalog).map_err(|e| format!("cannot write src/catalog.rs: {e}"))?;
    Ok(ExitCode::SUCCESS)
}

/// `netlings dev check`: the maintainer's proof that the course is right.
pub fn check(root: &Path) -> ExitCode {
    let c = term::colors();
    let mut problems = course::check_layout(root);
    problems.extend(course::check_book(root));
    for e in EXERCISES {
        match blob_id(root, &e.exercise_path()) {
            Ok(id) if id == e.stub => {}
            Ok(id) => problems.push(format!(
                "{}: its git blob is {id} but the catalog says {}: run `cargo dev update` if the stub changed on purpose",
                e.exercise_path(),
                e.stub
            )),
            Err(err) => problems.push(err),
        }
    }
    for e in EXERCISES {
        let stub = runner::check(root, e, Target::Exercise);
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
        let solution = runner::check(root, e, Target::Solution);
        if !solution.passed() {
            problems.push(format!(
                "{}:\n{}",
                e.solution_path(),
                solution.report(e, term::Colors::none())
            ));
        }
        let verdict = |ok: bool| if ok { c.green("ok") } else { c.red("NO") };
        println!(
            "{:<13} stub fails: {}   solution passes: {} ({}/{} tests, {:.1} s)",
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
            "{} the course is consistent: {} exercises",
            c.green("✓"),
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
