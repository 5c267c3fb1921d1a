//! Support code the exercise programs use: given, explained by the book, never a step to write.
//!
//! Each chapter's page says which of these it hands you and why. Test fixtures (servers that
//! misbehave, fake clocks) are not here: they live in [`crate::fixtures`], for the tests only.
//!
//! - [`ip`]: why a text is not an IP address (chapter 1).
//! - [`dns`]: what a host lookup returns and fails with, and DNS messages as typed views over
//!   bytes (chapter 3).
//! - [`services`]: a services(5) table and Go's built-in one (chapter 5 on).
//! - [`io`]: what an expired socket timeout looks like (chapter 6 on).
//! - [`exchange`]: one deadline for a client's whole exchange, and what arrived before it was
//!   cut short (chapters 6 and 7).
//! - [`stopping`]: the open connections of a server and the address that wakes its `accept`
//!   (chapter 7).
//! - [`duration`]: durations on a command line, `500ms`, `10s`, `2m` (chapter 8).
//! - [`clock`]: a clock a server is handed, and Go's way of printing a time (chapter 9 on).
//! - [`udp`]: Go's `ResolveUDPAddr`, and the local end of a UDP client socket (chapter 9).
//! - [`tempdir`]: a directory for Unix socket paths that cleans up after itself (chapter 10 on).
//! - [`icmp`]: ICMP echo messages as typed views, their errors, and ICMP sockets (chapter 12).
//! - [`network`]: Go's network names and error texts, and helpers for `Dial` (chapters 10, 11).
//! - [`ping`]: what makes `ping` behave like ping(8): Ctrl-C, the wait, the statistics (chapter 12).

pub mod clock;
pub mod dns;
pub mod duration;
pub mod exchange;
pub mod icmp;
pub mod io;
pub mod ip;
pub mod network;
pub mod ping;
pub mod services;
pub mod stopping;
pub mod tempdir;
pub mod udp;
