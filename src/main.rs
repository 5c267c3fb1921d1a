//! `netlings`: the course's command line. `cargo run` starts it.
//!
//! It drives cargo (build, test, run) and never links the exercises itself, so a broken
//! exercise can only ever break its own check. See `src/cli/` for each command.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
