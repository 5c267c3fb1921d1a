//! A program run in-process, as a learner would see it in a terminal, with its ports made
//! deterministic for snapshots.

use std::fmt::{self, Display};

use super::deadline::{DEADLINE, within};
use crate::program::Run;

/// What a program printed and how it ended, as a learner would see it in a terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transcript {
    /// The command line, program name first.
    pub argv: Vec<String>,
    /// Everything the program wrote to its output.
    pub stdout: String,
    /// What it wrote to stderr: `error: <message>` or clap's usage error.
    pub stderr: String,
    /// The exit status a shell would see: 0, 1 for an error, 2 for bad arguments.
    pub status: u8,
}

impl Transcript {
    /// Whether the program exited with status 0.
    pub fn success(&self) -> bool {
        self.status == 0
    }
}

impl Display for Transcript {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "$ {}", self.argv.join(" "))?;
        for text in [&self.stdout, &self.stderr] {
            f.write_str(text)?;
            if !text.is_empty() && !text.ends_with('\n') {
                writeln!(f)?;
            }
        }
        writeln!(f, "[exit {}]", self.status)
    }
}

/// Runs an exercise program in-process, as `argv` would from a shell, with a deadline.
///
/// `argv[0]` is the program's name. Bad arguments end the run the way clap ends a real program
/// (usage on stderr, status 2; `--help` on stdout, status 0); an error returned by `run` becomes
/// `error: <message>` and status 1. A panic or a timeout fails the check.
#[track_caller]
pub fn run_program<A: clap::Parser + 'static>(
    exercise: &str,
    argv: &[&str],
    run: Run<A>,
) -> Transcript {
    let argv: Vec<String> = argv.iter().map(|s| s.to_string()).collect();
    let waiting_for = format!("`{}` to finish", argv.join(" "));
    let args = argv.clone();
    let (stdout, stderr, status) = within(exercise, &waiting_for, DEADLINE, move || {
        let parsed = match A::try_parse_from(&args) {
            Ok(parsed) => parsed,
            Err(e) if e.use_stderr() => return (String::new(), e.render().to_string(), 2),
            Err(e) => return (e.render().to_string(), String::new(), 0),
        };
        let mut out = Vec::new();
        let result = run(parsed, &mut out);
        let stdout = String::from_utf8_lossy(&out).into_owned();
        match result {
            Ok(()) => (stdout, String::new(), 0),
            Err(e) => (stdout, format!("error: {e}"), 1),
        }
    });
    Transcript {
        argv,
        stdout,
        stderr,
        status,
    }
}

/// Makes program output deterministic: the port after a loopback address (`127.0.0.1:40123`,
/// `[::1]:40123`, `localhost:40123`) becomes `[port]`.
pub fn normalize(text: &str) -> String {
    const HOSTS: [&str; 3] = ["127.0.0.1:", "[::1]:", "localhost:"];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((at, host)) = HOSTS
        .iter()
        .filter_map(|h| rest.find(h).map(|i| (i, *h)))
        .min()
    {
        let after = at + host.len();
        let digits = rest[after..].bytes().take_while(u8::is_ascii_digit).count();
        out.push_str(&rest[..after]);
        if digits > 0 {
            out.push_str("[port]");
        }
        rest = &rest[after + digits..];
    }
    out.push_str(rest);
    out
}
