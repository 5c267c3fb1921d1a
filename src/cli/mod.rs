//! The command line: one module a concern.
//!
//! - `runner`: compile and run one exercise's tests through cargo, with deadlines.
//! - `state`: the learner's progress, a small text file.
//! - `watch`: the interactive view `cargo run` opens in a terminal.
//! - `grade`: every exercise, isolated, as a score table, JSON or JUnit.
//! - `dev`: the maintainer's checks and generators.

mod dev;
mod grade;
mod runner;
mod state;
mod term;
mod watch;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use netlings::catalog::{self, EXERCISES, Exercise};

use runner::Target;

/// netlings: learn network programming in Rust, one exercise at a time.
///
/// With no command in a terminal, netlings watches the first unsolved exercise and re-checks it
/// every time you save. Without a terminal it prints your progress and the next step.
#[derive(Parser, Debug)]
#[command(name = "netlings", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Watch an exercise and re-check it on every save (the default in a terminal)
    Watch {
        /// Start at this exercise instead of the first unsolved one
        name: Option<String>,
    },
    /// Show every exercise and its last known result, chapter by chapter
    List,
    /// Run an exercise's program, e.g. `netlings run ip -- 127.0.0.1`
    Run {
        /// The exercise, e.g. `ip`
        name: String,
        /// Run the reference solution instead of your file
        #[arg(long)]
        solution: bool,
        /// Arguments for the program (after `--`)
        #[arg(last = true)]
        args: Vec<String>,
    },
    /// Run one exercise's tests; the exit code tells whether they pass
    Check {
        /// The exercise, e.g. `ip`
        name: String,
        /// Check the reference solution instead of your file
        #[arg(long)]
        solution: bool,
    },
    /// Show the hint for an exercise
    Hint {
        /// The exercise, e.g. `ip`
        name: String,
    },
    /// Restore an exercise to its original stub (your changes are lost)
    Reset {
        /// The exercise, e.g. `ip`
        name: String,
    },
    /// Grade every exercise, each isolated and with a deadline; non-zero exit unless all pass
    Grade {
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Grade the reference solutions instead of the exercises
        #[arg(long)]
        solutions: bool,
        /// Refuse to grade if the tests, snapshots, harness or build files differ from this git
        /// revision (the course as you handed it out, e.g. `upstream/main`)
        #[arg(long, value_name = "REV")]
        verify_tests: Option<String>,
    },
    /// Maintainer commands
    Dev {
        #[command(subcommand)]
        command: DevCommand,
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

/// Looks an exercise up, or explains which names exist.
fn exercise(name: &str) -> Result<&'static Exercise, String> {
    catalog::find(name).ok_or_else(|| {
        let names: Vec<&str> = EXERCISES.iter().map(|e| e.name).collect();
        format!(
            "there is no exercise `{name}`; the exercises are: {}",
            names.join(", ")
        )
    })
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
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
        }) => exercise(&name).and_then(|e| runner::run_program(&root, e, solution, &args)),
        Some(Command::Check { name, solution }) => {
            exercise(&name).map(|e| check(&root, e, solution))
        }
        Some(Command::Hint { name }) => exercise(&name).map(|e| {
            println!(
                "Hint for `{}` ({}):\n\n{}\n",
                e.name,
                e.exercise_path(),
                e.hint
            );
            println!("Go API of this chapter: {}", e.go.join(", "));
            println!("The chapter: book/src/{}", e.book_path());
            ExitCode::SUCCESS
        }),
        Some(Command::Reset { name }) => exercise(&name).and_then(|e| dev::reset(&root, e)),
        Some(Command::Grade {
            format,
            solutions,
            verify_tests,
        }) => match verify_tests {
            Some(rev) => {
                grade::verify_tests(&root, &rev).map(|()| grade::grade(&root, format, solutions))
            }
            None => Ok(grade::grade(&root, format, solutions)),
        },
        Some(Command::Dev {
            command: DevCommand::Check,
        }) => Ok(dev::check(&root)),
        Some(Command::Dev {
            command: DevCommand::Update,
        }) => dev::update(&root),
    };
    result.unwrap_or_else(|message| {
        eprintln!("netlings: {message}");
        ExitCode::FAILURE
    })
}

/// `netlings check`: one exercise's tests, the failure shown in full, the exit code telling.
fn check(root: &Path, e: &Exercise, solution: bool) -> ExitCode {
    let target = if solution {
        Target::Solution
    } else {
        Target::Exercise
    };
    eprintln!("Checking `{}` ({})...", e.name, target.path(e));
    let outcome = runner::check(root, e, target);
    if !solution {
        state::Progress::record(root, e, &outcome);
    }
    println!("{}", outcome.report(e, term::colors()));
    if outcome.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
