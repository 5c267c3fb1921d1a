//! The grading harness: what every test in `tests/` is built from.
//!
//! Three rules hold for every check made with it:
//! - **A deadline.** Learner code runs on its own thread ([`within`]); if it does not answer in
//!   time the test fails with a message that names the exercise and what it waited for, instead
//!   of hanging the suite.
//! - **A message that says what to fix.** [`expect_eq`] names the function, the input, what was
//!   expected and what came back; [`Table`] renders one line per case so a snapshot diff points
//!   at the failing inputs.
//! - **Deterministic output.** [`normalize`] replaces ephemeral ports so transcripts of programs
//!   that bind port 0 can be snapshotted.
//!
//! One concern per file: [`deadline`] (waiting with a limit), [`check`] (saying what to fix,
//! or that a check could not run), [`table`] (cases as snapshot lines), [`transcript`] (a
//! program run in-process), [`sockets`] (loopback sockets with deadlines) and [`rng`] (cases
//! and patterned bytes from a seed). Everything is re-exported here: tests write `netlings::harness::within`.

pub mod check;
pub mod deadline;
pub mod rng;
pub mod sockets;
pub mod table;
pub mod transcript;

pub use check::{all_succeed, expect_eq, skip};
pub use deadline::{DEADLINE, panic_message, within};
pub use rng::{Rng, pattern};
pub use sockets::{
    FullListener, connected_udp_pair, full_listener, tcp_client, tcp_listener, tcp_pair, udp_socket,
};
pub use table::Table;
pub use transcript::{Transcript, normalize, run_program};
