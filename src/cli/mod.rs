//! The command line: one module a concern.
//!
//! - `runner`: check one step (build, list, run its tests) and run a chapter's program.
//! - `cargo`, `libtest`, `process`, `json`: the tools a check drives and the text they print.
//! - `outcome`: what a check found, rendered for a person.
//! - `state`: the learner's progress, a small text file.
//! - `watch`: the interactive view `cargo run` opens in a terminal.
//! - `grade`: every declared test in its own process, points per step; the trusted grader of
//!   student repositories against a pinned course, batches, text, JSON and JUnit.
//! - `classroom`: the repository a teacher hands out, and its GitHub Classroom workflow.
//! - `dev`: the maintainer's checks and generators.

mod cargo;
mod classroom;
mod dev;
mod git;
mod grade;
mod json;
mod libtest;
mod outcome;
mod process;
mod runner;
mod state;
mod stub_ids;
mod term;
mod watch;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use netlings::catalog::{self, EXERCISES, Exercise};

use cargo::Source;

/// netlings: learn network programming in Rust, one step at a time.
///
/// With no command in a terminal, netlings watches the first unsolved step and re-checks it
/// every time you save. Without a terminal it prints your progress and the next step.
#[derive(Parser, Debug)]
#[command(name = "netlings", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Watch a step and re-check it on every save (the default in a terminal)
    Watch {
        /// Start at this step (`parse-ip`, or `1.1`) instead of the first unsolved one
        name: Option<String>,
    },
    /// Show every step and its last known result, chapter by chapter
    List,
    /// Run a chapter's program, e.g. `netlings run ip -- 127.0.0.1`
    Run {
        /// The program: a chapter's last step, e.g. `ip`
        name: String,
        /// Run the reference solution instead of your file
        #[arg(long)]
        solution: bool,
        /// Arguments for the program (after `--`)
        #[arg(last = true)]
        args: Vec<String>,
    },
    /// Run one step's tests; the exit code tells whether they pass
    Check {
        /// The step, e.g. `parse-ip` or `1.1` (default: the first one not yet passed)
        name: Option<String>,
        /// Check the reference solution instead of your file
        #[arg(long)]
        solution: bool,
    },
    /// Show the hint for a step
    Hint {
        /// The step (default: the first one not yet passed)
        name: Option<String>,
    },
    /// Print a step's reference solution (once your version passes)
    Solution {
        /// The step (default: the last one you checked and passed)
        name: Option<String>,
        /// Show it even though your version does not pass yet
        #[arg(long)]
        force: bool,
    },
    /// Restore a step's file to its original stub (your version is kept in <file>.bak)
    Reset {
        /// The step, e.g. `parse-ip`
        name: String,
    },
    /// Grade: every test in its own process with a deadline, points per step.
    ///
    /// With student directories, the trusted grader: each student's exercises/ step files in
    /// the course's own tree at a pinned commit. Without, this tree in place (a self-check).
    /// Exit status: 0 every step passes, 1 graded and some did not, 3 could not grade.
    Grade {
        /// Students' repositories (none: grade this tree in place)
        students: Vec<PathBuf>,
        /// The course's git repository (default: the course netlings runs in)
        #[arg(long, value_name = "DIR")]
        course: Option<PathBuf>,
        /// The course commit to grade against: a full SHA, HEAD, or a ref of the course
        /// repository (refused if ambiguous)
        #[arg(long, value_name = "REV")]
        rev: Option<String>,
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Write each student's results.json, report.txt and junit.xml here (a batch also
        /// writes grades.csv and grades.json; default ./netlings-grades)
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Grade only these steps (repeatable: `--step parse-ip --step 1.2`)
        #[arg(long, value_name = "STEP")]
        step: Vec<String>,
        /// How many tests run at once (default: the number of CPUs; the score does not depend on it)
        #[arg(long, value_name = "N")]
        jobs: Option<usize>,
        /// Where the grader keeps the course's tree and its own cargo target directory, shared by
        /// every student of a batch and every later run: <DIR>/netlings-grade (default:
        /// <course>/target). In place: cargo's target directory.
        #[arg(long, value_name = "DIR")]
        target_dir: Option<PathBuf>,
        /// Grade the reference solutions of this tree instead of its exercises
        #[arg(long)]
        solutions: bool,
        /// Removed: use `netlings grade --course <course> <student>`
        #[arg(long, value_name = "REV", hide = true)]
        verify_tests: Option<String>,
    },
    /// GitHub Classroom: the repository to hand out, and its autograding workflow
    Classroom {
        #[command(subcommand)]
        command: ClassroomCommand,
    },
    /// Maintainer commands
    Dev {
        #[command(subcommand)]
        command: DevCommand,
    },
}

#[derive(Subcommand, Debug)]
enum ClassroomCommand {
    /// Write the class repository into DIR: exercises, book and tests without solutions, a
    /// README for students, and .github/workflows/classroom.yml generated from the catalog
    Template {
        /// A new (or empty) directory
        dir: PathBuf,
        /// The course's git repository (default: the course netlings runs in)
        #[arg(long, value_name = "DIR")]
        course: Option<PathBuf>,
        /// The course commit to pin (default: HEAD), resolved in the course repository
        #[arg(long, value_name = "REV", default_value = "HEAD")]
        rev: String,
        /// The course's GitHub repository, owner/name (default: from its `origin` remote)
        #[arg(long, value_name = "OWNER/NAME")]
        course_repo: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
enum DevCommand {
    /// Prove the course: catalog in sync, every stub compiles and fails, every solution passes
    Check,
    /// Regenerate what is derived from the catalog: Cargo.toml's examples, the stub hashes
    Update,
}

/// How `grade` prints its results.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Junit,
}

/// The course's root: the nearest directory up from here with the catalog in it, else the
/// directory this binary was built from.
fn root() -> PathBuf {
    let here = std::env::current_dir().unwrap_or_default();
    here.ancestors()
        .find(|dir| dir.join("src/catalog.rs").is_file() && dir.join("Cargo.toml").is_file())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

/// Looks a step up, or explains which names exist.
fn exercise(name: &str) -> Result<&'static Exercise, String> {
    catalog::find(name).ok_or_else(|| {
        let names: Vec<&str> = EXERCISES.iter().map(|e| e.name).collect();
        format!(
            "there is no step `{name}`; the steps are: {}",
            names.join(", ")
        )
    })
}

/// The step named, or else the first one not yet passed (the last step when all pass).
fn exercise_or_current(root: &Path, name: Option<&str>) -> Result<&'static Exercise, String> {
    match name {
        Some(name) => exercise(name),
        None => Ok(state::Progress::load(root)
            .first_unsolved()
            .unwrap_or_else(|| &EXERCISES[EXERCISES.len() - 1])),
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // Orphans of a check (a helper that detached itself) come back to us to be killed.
    process::become_subreaper();
    let root = root();
    let result = match cli.command {
        None => watch::start(&root, None),
        Some(Command::Watch { name }) => watch::start(&root, name.as_deref()),
        Some(Command::List) => {
            print!(
                "{}",
                state::Progress::load(&root).render_list(term::colors())
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Run {
            name,
            solution,
            args,
        }) => exercise(&name).and_then(|e| runner::run_example(&root, e, solution, &args)),
        Some(Command::Check { name, solution }) => {
            exercise_or_current(&root, name.as_deref()).map(|e| check_command(&root, e, solution))
        }
        Some(Command::Hint { name }) => exercise_or_current(&root, name.as_deref()).map(|e| {
            println!(
                "Hint for step {} `{}` ({}):\n\n{}",
                e.number_label(),
                e.name,
                e.exercise_path(),
                e.hint.trim_end()
            );
            println!("\nGo API of this chapter: {}", e.chapter.go.join(", "));
            println!("The chapter: {}", e.chapter.book_path());
            ExitCode::SUCCESS
        }),
        Some(Command::Solution { name, force }) => solution(&root, name.as_deref(), force),
        Some(Command::Reset { name }) => exercise(&name).and_then(|e| dev::reset(&root, e)),
        Some(Command::Grade {
            verify_tests: Some(rev),
            ..
        }) => {
            // A usage error (exit 2, as clap's), not a grade.
            eprintln!(
                "netlings: --verify-tests is gone: a student's tree cannot vouch for itself. Grade \
                 against the course instead: `netlings grade --course <your course clone> --rev {rev} <student>`"
            );
            Ok(ExitCode::from(2))
        }
        Some(Command::Grade {
            students,
            course,
            rev,
            format,
            out,
            step,
            jobs,
            target_dir,
            solutions,
            verify_tests: None,
        }) => Ok(grade::command(
            &root,
            grade::Options {
                students,
                course,
                rev,
                format,
                out,
                steps: step,
                jobs,
                target_dir,
                solutions,
            },
        )),
        Some(Command::Classroom {
            command:
                ClassroomCommand::Template {
                    dir,
                    course,
                    rev,
                    course_repo,
                },
        }) => classroom::template_command(
            course.as_deref().unwrap_or(&root),
            &rev,
            course_repo.as_deref(),
            &dir,
        ),
        Some(Command::Dev {
            command: DevCommand::Check,
        }) => Ok(dev::prove(&root)),
        Some(Command::Dev {
            command: DevCommand::Update,
        }) => dev::update(&root),
    };
    result.unwrap_or_else(|message| {
        eprintln!("netlings: {message}");
        ExitCode::FAILURE
    })
}

/// `netlings solution`: the reference file of a step, once the learner's passes (or with
/// `--force`): reading it first would turn the step into copying.
fn solution(root: &Path, name: Option<&str>, force: bool) -> Result<ExitCode, String> {
    let progress = state::Progress::load(root);
    let e = match name {
        Some(name) => exercise(name)?,
        None => progress.last_passed().ok_or(
            "no step passes yet: name one (`cargo run -- solution parse-ip --force`), or pass one first",
        )?,
    };
    if !force && progress.status(e) != Some(outcome::Status::Pass) {
        return Err(format!(
            "your `{}` has not passed its check yet, so its solution stays closed: the step teaches \
             by writing it. Run `cargo run -- check {}` first, or add --force to read it anyway.",
            e.name, e.name
        ));
    }
    let path = e.solution_path();
    let text = std::fs::read_to_string(root.join(&path))
        .map_err(|err| format!("cannot read {path}: {err}"))?;
    println!("// {path} (explained in {})\n", e.chapter.solutions_page());
    print!("{text}");
    Ok(ExitCode::SUCCESS)
}

/// `netlings check`: one step's tests, the failure shown in full, the exit code telling.
fn check_command(root: &Path, e: &Exercise, solution: bool) -> ExitCode {
    let target = if solution {
        Source::Solution
    } else {
        Source::Exercise
    };
    eprintln!(
        "Checking step {} `{}` ({})...",
        e.number_label(),
        e.name,
        target.path(e)
    );
    let outcome = runner::check_step(root, e, target);
    if !solution {
        state::Progress::record(root, e, &outcome);
    }
    println!("{}", outcome.report(e, term::colors()));
    if outcome.passed() && !solution {
        let progress = state::Progress::load(root);
        println!(
            "\n{}",
            progress.after_pass(e, "Next: `cargo run -- check` checks the next step")
        );
    }
    if outcome.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
