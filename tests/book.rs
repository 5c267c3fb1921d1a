//! The book's code: every snippet file is compiled (and its tests run) here, and every
//! `{{#include}}` in a chapter must point at a real file and a non-empty anchor.

use std::path::Path;

use netlings::course::check_book;

#[test]
fn every_include_resolves_and_every_rust_block_is_compiled_code() {
    let problems = check_book(Path::new(env!("CARGO_MANIFEST_DIR")));
    assert!(
        problems.is_empty(),
        "the book has broken code includes:\n- {}",
        problems.join("\n- ")
    );
}

// One module per chapter that has snippets of its own (book/snippets/chNN_name.rs).
#[path = "../book/snippets/ch01_ip.rs"]
mod ch01_ip;
#[path = "../book/snippets/ch02_mask.rs"]
mod ch02_mask;
#[path = "../book/snippets/ch03_lookup.rs"]
mod ch03_lookup;
#[path = "../book/snippets/ch04_services.rs"]
mod ch04_services;
#[path = "../book/snippets/ch05_tcp_addr.rs"]
mod ch05_tcp_addr;
#[path = "../book/snippets/ch06_tcp_client.rs"]
mod ch06_tcp_client;
#[path = "../book/snippets/ch07_echo_server.rs"]
mod ch07_echo_server;
#[path = "../book/snippets/ch08_timeouts.rs"]
mod ch08_timeouts;
#[path = "../book/snippets/ch09_udp.rs"]
mod ch09_udp;
#[path = "../book/snippets/ch10_conn.rs"]
mod ch10_conn;
#[path = "../book/snippets/ch11_packet.rs"]
mod ch11_packet;
#[path = "../book/snippets/ch12_ping.rs"]
mod ch12_ping;
