//! What every exercise program shares.
//!
//! An exercise program is a plain Rust program with a clap command line. Its logic lives in a
//! `run(args, out)` function that writes to `out` instead of straight to stdout, so the grading
//! tests can run it in-process and compare its output; `main` is one line:
//!
//! ```ignore
//! fn main() -> std::process::ExitCode {
//!     netlings::program::main(run)
//! }
//! ```

use std::io::{self, Write};
use std::process::ExitCode;

/// Any error a program reports: shown as `error: <message>` and exit status 1.
pub type Error = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The result of a program's `run`.
pub type Result<T = (), E = Error> = std::result::Result<T, E>;

/// The signature of every exercise program's `run` function.
pub type Run<A> = fn(A, &mut dyn Write) -> Result;

/// Parses the command line into `A` (clap prints usage and exits on bad arguments), runs the
/// program with stdout as its output, and turns an error into a message on stderr and exit
/// status 1.
pub fn main<A: clap::Parser>(run: Run<A>) -> ExitCode {
    let args = A::parse();
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let result = run(args, &mut out);
    // Flush before the error line so the two streams appear in order on a terminal.
    let _ = out.flush();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
