//! The reference programs against hostile peers and exhausted limits: peers that drip, flood,
//! spoof or reset, files that never end, limits on threads and descriptors. The rule every
//! server and client here follows, and the book teaches: a peer can cost a server one
//! connection, never the process, the CPU or unbounded memory; a client bounds what it reads
//! and how long the whole exchange takes.
//!
//! One module per chapter, in `tests/robustness/`. It runs against the solutions only
//! (`cargo test --features solutions --test robustness`); the learner meets the same peers in
//! each chapter's own tests. Every check is bounded in time and bytes and stays on loopback.

#[path = "robustness/ch03.rs"]
mod ch03;
#[path = "robustness/ch04.rs"]
mod ch04;
#[path = "robustness/ch06.rs"]
mod ch06;
#[path = "robustness/ch07.rs"]
mod ch07;
#[path = "robustness/ch08.rs"]
mod ch08;
#[path = "robustness/ch09.rs"]
mod ch09;
#[path = "robustness/ch10.rs"]
mod ch10;
#[path = "robustness/ch11.rs"]
mod ch11;
#[path = "robustness/ch12.rs"]
mod ch12;
