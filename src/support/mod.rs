//! Support code the exercise programs use: given, explained by the book, never a step to write.
//!
//! Each chapter's page says which of these it hands you and why. Test fixtures (servers that
//! misbehave, fake clocks) are not here: they live in [`crate::fixtures`], for the tests only.
//!
//! - [`ip`]: why a text is not an IP address (chapter 1).

pub mod ip;
