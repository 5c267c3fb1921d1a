//! What earlier steps build, given to the later ones.
//!
//! A step may use the functions of the steps before it in its chapter. It uses them from
//! here, the reference answers, so being stuck on one step never blocks the next: skip it,
//! come back later. (These are the files of `solutions/`; the book's solution pages show
//! and explain them.)
//!
//! Generated from the catalog by `cargo dev update`; `tests/course.rs` checks it.

/// Chapter 1: IP addresses.
#[path = "../solutions/ch01_ip"]
pub mod ip {
    #[path = "1_parse_ip.rs"]
    pub mod parse_ip;
    #[path = "2_properties.rs"]
    pub mod properties;
}

/// Chapter 13: Framing and partial I/O.
#[path = "../solutions/ch13_framing"]
pub mod framing {
    #[path = "1_delimited.rs"]
    pub mod delimited;
    #[path = "2_frames.rs"]
    pub mod frames;
}
