//! # netlings
//!
//! The library half of the course: what the exercise programs and the grading tests share.
//!
//! - [`catalog`]: the chapters and their steps, the single source of truth for the course.
//! - [`course`]: what is generated from the catalog, and the checks that the tree agrees.
//! - [`support`]: code the exercise programs are given (parsers, wire views, error types), each
//!   explained by its chapter.
//! - [`program`]: the error type and `main` wrapper every exercise program uses.
//! - [`given`]: the reference answers of earlier steps, which later steps build on, so being
//!   stuck on one step never blocks the next.
//! - [`i18n`]: the book's translations (gettext) and what the command line shows in Chinese.
//! - [`harness`]: deadlines, program transcripts, tables of cases and messages that tell a
//!   learner what to fix. Every grading test is built from these.
//! - [`fixtures`]: servers and peers the tests start on loopback (tests only).
//!
//! The `netlings` command line (watch mode, `check`, `grade`, `dev`) lives in `src/main.rs` and
//! `src/cli/`; it drives cargo and never links the exercises.

// The solutions `given` includes name this crate `netlings`, as the exercises and tests do.
extern crate self as netlings;

pub mod catalog;
pub mod course;
pub mod fixtures;
pub mod given;
pub mod harness;
pub mod i18n;
pub mod program;
pub mod support;
