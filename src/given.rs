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

/// Chapter 2: Masks and networks.
#[path = "../solutions/ch02_mask"]
pub mod mask {
    #[path = "3_hosts.rs"]
    pub mod hosts;
    #[path = "1_masks.rs"]
    pub mod masks;
    #[path = "2_networks.rs"]
    pub mod networks;
}

/// Chapter 4: Services and ports.
#[path = "../solutions/ch04_services"]
pub mod services {
    #[path = "2_lookup_port.rs"]
    pub mod lookup_port;
    #[path = "1_parse_services.rs"]
    pub mod parse_services;
}

/// Chapter 5: TCP addresses.
#[path = "../solutions/ch05_tcp_addr"]
pub mod tcp_addr {
    #[path = "3_resolve_host.rs"]
    pub mod resolve_host;
    #[path = "2_resolve_port.rs"]
    pub mod resolve_port;
    #[path = "1_split_host_port.rs"]
    pub mod split_host_port;
}
