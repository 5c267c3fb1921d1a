//! # netlings
//!
//! The library half of the course: what the exercise programs and the grading tests share.
//!
//! - [`catalog`]: the list of exercises, the single source of truth for the course.
//! - [`program`]: the error type and `main` wrapper every exercise program uses.
//! - [`harness`]: deadlines, program transcripts, tables of cases and messages that tell a
//!   learner what to fix. Every grading test is built from these.
//!
//! The `netlings` command line (watch mode, `check`, `grade`, `dev`) lives in `src/main.rs` and
//! `src/cli/`; it drives cargo and never links the exercises.

pub mod catalog;
pub mod course;
pub mod fixtures;
pub mod harness;
pub mod program;
