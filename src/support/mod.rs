//! Support code the exercise programs use: given, explained by the book, never a step to write.
//!
//! Each chapter's page says which of these it hands you and why. Test fixtures (servers that
//! misbehave, fake clocks) are not here: they live in [`crate::fixtures`], for the tests only.
//!
//! - [`ip`]: why a text is not an IP address (chapter 1).
//! - [`mask`]: Go's `IPMask` and `IPNet`, `ParseCIDR`'s errors, masks as typed (chapter 2).
//! - [`ports`]: a parsed services(5) file and `LookupPort`'s errors (chapter 4).
//! - [`services`]: a services(5) table and Go's built-in one (chapter 4 on).
//! - [`tcp_addr`]: port names, resolving errors, families and zones of TCP addresses (chapter 5).
//! - [`io`]: what an expired socket timeout looks like (chapter 6 on).
//! - [`clock`]: a clock a server is handed, and Go's way of printing a time (chapter 9 on).
//! - [`tempdir`]: a directory for Unix socket paths that cleans up after itself (chapter 10 on).

pub mod clock;
pub mod io;
pub mod ip;
pub mod mask;
pub mod ports;
pub mod services;
pub mod tcp_addr;
pub mod tempdir;
