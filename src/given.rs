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
    #[path = "2_apply_mask.rs"]
    pub mod apply_mask;
    #[path = "3_hosts.rs"]
    pub mod hosts;
    #[path = "1_masks.rs"]
    pub mod masks;
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

/// Chapter 8: Timeouts, deadlines and keepalive.
#[path = "../solutions/ch08_timeouts"]
pub mod timeouts {
    #[path = "1_deadlines.rs"]
    pub mod deadlines;
    #[path = "3_keepalive.rs"]
    pub mod keepalive;
    #[path = "2_slow_clients.rs"]
    pub mod slow_clients;
}

/// Chapter 9: UDP.
#[path = "../solutions/ch09_udp"]
pub mod udp {
    #[path = "2_udp_request.rs"]
    pub mod udp_request;
    #[path = "1_udp_server.rs"]
    pub mod udp_server;
}

/// Chapter 10: One interface: Conn, Dial, Listen.
#[path = "../solutions/ch10_conn"]
pub mod conn {
    #[path = "2_any_stream.rs"]
    pub mod any_stream;
    #[path = "3_dial_listen.rs"]
    pub mod dial_listen;
    #[path = "1_networks.rs"]
    pub mod networks;
}

/// Chapter 11: Packet connections.
#[path = "../solutions/ch11_packet"]
pub mod packet {
    #[path = "1_packet_conn.rs"]
    pub mod packet_conn;
    #[path = "2_packet_echo.rs"]
    pub mod packet_echo;
}

/// Chapter 12: Raw sockets and ICMP ping.
#[path = "../solutions/ch12_ping"]
pub mod ping {
    #[path = "1_checksum.rs"]
    pub mod checksum;
    #[path = "4_choose_socket.rs"]
    pub mod choose_socket;
    #[path = "2_echo_message.rs"]
    pub mod echo_message;
    #[path = "3_match_reply.rs"]
    pub mod match_reply;
}

/// Chapter 13: Framing and partial I/O.
#[path = "../solutions/ch13_framing"]
pub mod framing {
    #[path = "1_delimited.rs"]
    pub mod delimited;
    #[path = "2_frames.rs"]
    pub mod frames;
}

/// Chapter 14: DNS over TCP.
#[path = "../solutions/ch14_dns_tcp"]
pub mod dns_tcp {
    #[path = "2_query_tcp.rs"]
    pub mod query_tcp;
    #[path = "1_tcp_exchange.rs"]
    pub mod tcp_exchange;
}

/// Chapter 15: Thousands of clients.
#[cfg(feature = "async")]
#[path = "../solutions/ch15_clients"]
pub mod clients {
    #[path = "2_async_echo.rs"]
    pub mod async_echo;
    #[path = "1_worker_pool.rs"]
    pub mod worker_pool;
}
