//! Support code the exercise programs use: given, explained by the book, never a step to write.
//!
//! Each chapter's page says which of these it hands you and why. Test fixtures (servers that
//! misbehave, fake clocks) are not here: they live in [`crate::fixtures`], for the tests only.
//!
//! - [`accept`]: what an accept loop does when `accept` fails: wait while out of descriptors,
//!   log once per burst (chapters 8 and 10).
//! - [`ip`]: why a text is not an IP address (chapter 1).
//! - [`dns`]: what a host lookup returns and fails with, and DNS messages as typed views over
//!   bytes (chapter 3).
//! - [`files`]: reading a small file a user names: no FIFO, no device, a size limit (chapter 4 on).
//! - [`services`]: a services(5) table and Go's built-in one (chapter 4 on).
//! - [`mask`]: Go's `IPMask` and `IPNet`, `ParseCIDR`'s errors, masks as typed (chapter 2).
//! - [`ports`]: a parsed services(5) file and `LookupPort`'s errors (chapter 4).
//! - [`tcp_addr`]: port names, resolving errors, families and zones of TCP addresses (chapter 5).
//! - [`io`]: what an expired socket timeout looks like (chapter 6 on).
//! - [`exchange`]: one deadline for a client's whole exchange, and what arrived before it was
//!   cut short (chapters 6 and 7).
//! - [`stopping`]: the open connections of a server and the address that wakes its `accept`
//!   (chapter 7).
//! - [`duration`]: durations on a command line, `500ms`, `10s`, `2m` (chapter 8).
//! - [`clock`]: a clock a server is handed, and Go's way of printing a time (chapter 9 on).
//! - [`udp`]: Go's `ResolveUDPAddr`, and the local end of a UDP client socket (chapter 9).
//! - [`unixgram`]: a Unix datagram client's own address, that nothing outlives (chapter 11).
//! - [`tempdir`]: a directory for Unix socket paths that cleans up after itself (chapter 10 on).
//! - [`network`]: Go's network names and error texts, and helpers for `Dial` (chapters 10, 11).
//! - [`icmp`]: ICMP echo messages as typed views, their errors, and ICMP sockets (chapter 12).
//! - [`ping`]: what makes `ping` behave like ping(8): Ctrl-C, the wait, the statistics (chapter 12).
//! - [`framing`]: a codec's errors, length-prefix widths, a stream with a deadline (chapter 13 on).
//! - [`dns_tcp`]: the options of a DNS question over TCP, and which transport answered
//!   (chapter 14).
//! - [`limits`]: the limit on open files, which caps the connections a process holds (thousands of clients).

pub mod accept;
pub mod clock;
pub mod dns;
pub mod dns_tcp;
pub mod duration;
pub mod exchange;
pub mod files;
pub mod framing;
pub mod icmp;
pub mod io;
pub mod ip;
pub mod limits;
pub mod mask;
pub mod network;
pub mod ping;
pub mod ports;
pub mod services;
pub mod stopping;
pub mod tcp_addr;
pub mod tempdir;
pub mod udp;
pub mod unixgram;
