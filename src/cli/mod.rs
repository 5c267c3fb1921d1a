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
//! - `bench`: the load generator for echo servers (chapter 7 on, and "Thousands of clients").
//! - `dev`: the maintainer's checks and generators.

mod bench;
mod cargo;
mod classroom;
mod dev;
mod git;
mod grade;
mod i18n;
mod json;
mod libtest;
mod outcome;
mod process;
mod runner;
mod state;
mod term;
mod watch;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use netlings::catalog::{self, EXERCISES, Exercise};

use cargo::Source;
use i18n::tr;

/// netlings: learn network programming in Rust, one step at a time.
///
/// With no command in a terminal, netlings watches the first unsolved step and re-checks it
/// every time you save. Without a terminal it prints your progress and the next step.
#[derive(Parser, Debug)]
#[command(name = "netlings", version)]
struct Cli {
    /// The language to speak: en or zh-CN (default: from LANG)
    #[arg(long, global = true, value_name = "LANG", value_parser = parse_lang)]
    lang: Option<i18n::Lang>,
    #[command(subcommand)]
    command: Option<Command>,
}

fn parse_lang(name: &str) -> Result<i18n::Lang, String> {
    i18n::Lang::parse(name).ok_or_else(|| format!("`{name}` is not a language here: en or zh-CN"))
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
        /// The step, e.g. `parse-ip` (default: the first one not yet passed)
        name: Option<String>,
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
    /// Load an echo server on loopback and compare it with this machine's ceiling
    ///
    /// With no address it builds and starts your chapter 7 `echo-server`, or with --model your
    /// `clients` program serving that way (the reference, with --solution). Every phase is
    /// bounded and every echoed byte is checked.
    Bench {
        /// A running echo server's address (loopback only), e.g. 127.0.0.1:7007
        addr: Option<String>,
        /// Load the reference program instead of yours
        #[arg(long, conflicts_with = "addr")]
        solution: bool,
        /// Start the `clients` program serving this way, instead of `echo-server`
        #[arg(long, conflicts_with = "addr", value_parser = ["thread", "pool", "async"])]
        model: Option<String>,
        /// Threads of the pool (`--model pool`)
        #[arg(long, requires = "model", value_parser = clap::value_parser!(u16).range(1..=bench::MAX_CONNECTIONS as i64))]
        workers: Option<u16>,
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
        /// Ping-pong connections beside the idle ones, for the idle phase's latencies (0: one
        /// fresh client's 200 round trips)
        #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u16).range(0..=bench::MAX_ACTIVE as i64))]
        active: u16,
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
    /// Extract the book's messages into book/po/messages.pot and merge them into each .po file
    /// (needs mdbook-i18n-helpers and gettext's msgmerge)
    I18n {
        /// Only check that book/po/messages.pot is up to date (CI)
        #[arg(long)]
        check: bool,
    },
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
        tr!(
            format!(
                "there is no step `{name}`; the steps are: {}",
                names.join(", ")
            ),
            format!("没有名为 `{name}` 的步骤；所有步骤是：{}", names.join(", "))
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
    i18n::set(cli.lang.unwrap_or_else(i18n::Lang::from_env));
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
            let (label, path) = (e.number_label(), e.exercise_path());
            let hint = netlings::i18n::hint(e.name, i18n::lang()).trim_end();
            let go = e.chapter.go.join(", ");
            let page = e.chapter.book_path();
            println!(
                "{}",
                tr!(
                    format!(
                        "Hint for step {label} `{}` ({path}):\n\n{hint}\n\n\
                             Go API of this chapter: {go}\nThe chapter: {page}",
                        e.name
                    ),
                    format!(
                        "第 {label} 步 `{}` 的提示（{path}）：\n\n{hint}\n\n\
                             本章的 Go API：{go}\n本章：{page}",
                        e.name
                    )
                )
            );
            ExitCode::SUCCESS
        }),
        Some(Command::Solution { name, force }) => solution(&root, name.as_deref(), force),
        Some(Command::Reset { name }) => {
            exercise_or_current(&root, name.as_deref()).and_then(|e| dev::reset(&root, e))
        }
        Some(Command::Grade {
            verify_tests: Some(rev),
            ..
        }) => {
            // A usage error (exit 2, as clap's), not a grade.
            eprintln!(
                "netlings: --verify-tests is gone: a student's tree cannot vouch for itself. \
                     Grade against the course instead: \
                     `netlings grade --course <your course clone> --rev {rev} <student>`"
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
        Some(Command::Bench {
            addr,
            solution,
            model,
            workers,
            connections,
            size,
            seconds,
            idle,
            active,
        }) => {
            let program = match model {
                Some(model) => bench::Program::Clients {
                    model,
                    workers: workers.map(usize::from),
                },
                None => bench::Program::EchoServer,
            };
            let server = match addr {
                Some(addr) => bench::loopback_addr(&addr).map(bench::Server::At),
                None => Ok(bench::Server::Program { program, solution }),
            };
            server.and_then(|server| {
                let opts = bench::Options {
                    server,
                    connections: usize::from(connections),
                    size: size as usize,
                    phase: std::time::Duration::from_secs_f64(seconds),
                    idle: usize::from(idle),
                    active: usize::from(active),
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
            command: DevCommand::I18n { check },
        }) => dev::i18n(&root, check),
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
        None => progress.last_passed().ok_or(tr!(
            "no step passes yet: name one (`cargo run -- solution parse-ip --force`), or pass one first",
            "还没有通过的步骤：请指定一个（`cargo run -- solution parse-ip --force`），或先通过一个步骤"
        ))?,
    };
    if !force && progress.status(e) != Some(outcome::Status::Pass) {
        let name = e.name;
        return Err(tr!(
            format!(
                "your `{name}` has not passed its check yet, so its solution stays closed: the \
                 step teaches by writing it. Run `cargo run -- check {name}` first, or add --force \
                 to read it anyway."
            ),
            format!(
                "你的 `{name}` 还没有通过检查，所以参考答案暂不显示：这一步靠亲手写出来才学得会。\
                 请先运行 `cargo run -- check {name}`，或加上 --force 直接阅读。"
            )
        ));
    }
    let path = e.solution_path();
    let text = std::fs::read_to_string(root.join(&path))
        .map_err(|err| format!("cannot read {path}: {err}"))?;
    let page = e.chapter.solutions_page();
    println!(
        "{}",
        tr!(
            format!("// {path} (explained in {page})\n"),
            format!("// {path}（讲解见 {page}）\n")
        )
    );
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
    let (label, path) = (e.number_label(), target.path(e));
    eprintln!(
        "{}",
        tr!(
            format!("Checking step {label} `{}` ({path})...", e.name),
            format!("正在检查第 {label} 步 `{}`（{path}）……", e.name)
        )
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
            progress.after_pass(
                e,
                tr!(
                    "Next: `cargo run -- check` checks the next step",
                    "下一步：`cargo run -- check` 会检查下一个步骤"
                )
            )
        );
    }
    if outcome.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
