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

/// Chapter 6: A TCP client.
#[path = "../solutions/ch06_tcp_client"]
pub mod tcp_client {
    #[path = "1_dial_tcp.rs"]
    pub mod dial_tcp;
    #[path = "2_get_head_info.rs"]
    pub mod get_head_info;
}

/// Chapter 7: A concurrent TCP server.
#[path = "../solutions/ch07_echo_server"]
pub mod echo_server {
    #[path = "3_accept_loop.rs"]
    pub mod accept_loop;
    #[path = "1_echo_loop.rs"]
    pub mod echo_loop;
    #[path = "2_stop_handle.rs"]
    pub mod stop_handle;
}
