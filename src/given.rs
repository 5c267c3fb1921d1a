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

/// Chapter 3: Host lookup and DNS.
#[path = "../solutions/ch03_lookup"]
pub mod lookup {
    #[path = "5_dns_query.rs"]
    pub mod dns_query;
    #[path = "2_encode_query.rs"]
    pub mod encode_query;
    #[path = "4_parse_response.rs"]
    pub mod parse_response;
    #[path = "3_read_name.rs"]
    pub mod read_name;
    #[path = "1_system_resolver.rs"]
    pub mod system_resolver;
}
