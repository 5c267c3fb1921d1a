//! The command line: one module a concern.
//!
//! - `runner`: check one step (build, list, run its tests) and run a chapter's program.
//! - `cargo`, `libtest`, `process`, `json`: the tools a check drives and the text they print.
//! - `outcome`: what a check found, rendered for a person.
//! - `state`: the learner's progress, a small text file.
//! - `watch`: the interactive view `cargo run` opens in a terminal.
//! - `grade`: every exercise, isolated, as a score table, JSON or JUnit.
//! - `bench`: the load generator for echo servers (chapter 7 on).
//! - `dev`: the maintainer's checks and generators.

mod bench;
mod cargo;
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
    /// Load an echo server on loopback and compare it with this machine's ceiling
    ///
    /// With no address it builds and starts your chapter 7 `echo-server` (or the reference,
    /// with --solution). Every phase is bounded and every echoed byte is checked.
    Bench {
        /// A running echo server's address (loopback only), e.g. 127.0.0.1:7007
        addr: Option<String>,
        /// Load the reference echo-server instead of yours
        #[arg(long, conflicts_with = "addr")]
        solution: bool,
        /// Connections of the ping-pong phase
        #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u16).range(1..=bench::MAX_CONNECTIONS as i64))]
        connections: u16,
        /// Bytes per ping-pong message
        #[arg(long, default_value_t = 512, value_parser = clap::value_parser!(u32).range(1..=bench::MAX_SIZE as i64))]
        size: u32,
        /// Seconds per timed phase
        #[arg(long, default_value_t = 2.0, value_parser = seconds)]
        seconds: f64,
        /// Connections the idle phase holds open (0 skips it)
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u16).range(0..=bench::MAX_IDLE as i64))]
        idle: u16,
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
    /// Mutation testing: cargo-mutants over one step's solution, against its chapter's tests
    Mutants {
        /// The step, e.g. `echo-loop` or `7.1`
        name: String,
        /// More options for cargo-mutants (after `--`), e.g. `-- --timeout 60 --shard 1/2`
        #[arg(last = true)]
        args: Vec<String>,
    },
}

/// A phase length for `bench`: a number of seconds, from 0.1 to 60.
fn seconds(text: &str) -> Result<f64, String> {
    let secs: f64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if (0.1..=bench::MAX_PHASE.as_secs_f64()).contains(&secs) {
        Ok(secs)
    } else {
        Err(format!(
            "a phase lasts from 0.1 to {} seconds",
            bench::MAX_PHASE.as_secs()
        ))
    }
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
    let root = root();
    let result =
        match cli.command {
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
            Some(Command::Check { name, solution }) => exercise_or_current(&root, name.as_deref())
                .map(|e| check_command(&root, e, solution)),
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
                format,
                solutions,
                verify_tests,
            }) => match verify_tests {
                Some(rev) => grade::verify_tests(&root, &rev)
                    .map(|()| grade::grade(&root, format, solutions)),
                None => Ok(grade::grade(&root, format, solutions)),
            },
            Some(Command::Bench {
                addr,
                solution,
                connections,
                size,
                seconds,
                idle,
            }) => {
                let server = match (addr, solution) {
                    (Some(addr), _) => bench::loopback_addr(&addr).map(bench::Server::At),
                    (None, true) => Ok(bench::Server::Solution),
                    (None, false) => Ok(bench::Server::Exercise),
                };
                server.and_then(|server| {
                    let opts = bench::Options {
                        server,
                        connections: usize::from(connections),
                        size: size as usize,
                        phase: std::time::Duration::from_secs_f64(seconds),
                        idle: usize::from(idle),
                    };
                    bench::bench(&root, &opts)
                })
            }
            Some(Command::Dev {
                command: DevCommand::Check,
            }) => Ok(dev::prove(&root)),
            Some(Command::Dev {
                command: DevCommand::Update,
            }) => dev::update(&root),
            Some(Command::Dev {
                command: DevCommand::Mutants { name, args },
            }) => exercise(&name).and_then(|e| dev::mutants(&root, e, &args)),
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
