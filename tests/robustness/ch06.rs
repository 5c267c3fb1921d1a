//! Chapter 6's `tcp-client` against servers that flood, drip and reset: it reads at most
//! `--max-bytes`, ends by `--timeout-ms` for the whole exchange, and prints what arrived before
//! an error.

use std::io;
use std::time::{Duration, Instant};

use netlings::fixtures::child::ChildServer;
use netlings::fixtures::hostile::{HostileServer, Request};
use netlings::harness::{DEADLINE, run_program};

#[path = "../../solutions/ch06_tcp_client/3_tcp_client.rs"]
#[allow(dead_code)]
mod tcp_client;

const PROGRAM: &str = "tcp-client";

/// What `HEAD / HTTP/1.0\r\n\r\n` is, for the servers to wait for.
const HEAD_REQUEST: Request = Request::Bytes(19);

/// The variable that hands the child the server's address.
const SERVER_VAR: &str = "NETLINGS_SERVER";

#[test]
fn memory_stays_bounded_by_max_bytes_when_a_server_floods() {
    // 256 MiB on offer; the program's limit is 1 MiB. Not in the child: only the client runs
    // there (and stays alive until the parent has read its peak memory).
    let server = (!ChildServer::is_child()).then(|| HostileServer::flood(256 << 20, HEAD_REQUEST));
    let addr = server
        .as_ref()
        .map(|s| s.addr().to_string())
        .unwrap_or_default();
    let mut client = ChildServer::builder(PROGRAM)
        .env(SERVER_VAR, &addr)
        .start_client(|out| {
            let server = std::env::var(SERVER_VAR).expect("the parent names the server");
            let args = ["tcp-client", "head", server.as_str()];
            let args = <tcp_client::Args as clap::Parser>::parse_from(args);
            let outcome = tcp_client::run(args, &mut io::sink()).map_err(|e| e.to_string());
            let _ = writeln!(out, "outcome: {outcome:?}");
        })
        .expect("only a shortage of threads is ever skipped");
    let outcome = client
        .expect_line("outcome: ", DEADLINE)
        .unwrap_or_else(|e| panic!("{e}"));
    let peak = client.peak_memory_kib().unwrap_or_else(|e| panic!("{e}"));
    client.finish();
    assert_eq!(
        outcome,
        format!(
            "Err(\"talking to {addr} (1048576 bytes arrived): the reply is longer than 1048576 \
             bytes\")"
        )
    );
    // The test binary itself takes a few MiB; reading the whole flood would take hundreds.
    assert!(
        peak < 32 * 1024,
        "tcp-client peaked at {peak} KiB against a server that floods"
    );
}

#[test]
fn the_whole_exchange_ends_by_the_timeout_when_a_server_drips() {
    // 100 bytes, one every 100 ms: 10 s, each read far within the 500 ms.
    let server = HostileServer::drip(&[b'x'; 100], Duration::from_millis(100), HEAD_REQUEST);
    let addr = server.addr().to_string();
    let started = Instant::now();
    let transcript = run_program(
        PROGRAM,
        &["tcp-client", "--timeout-ms", "500", "head", &addr],
        tcp_client::run,
    );
    assert!(
        started.elapsed() < Duration::from_millis(3000),
        "{transcript}"
    );
    assert!(!transcript.stdout.is_empty(), "{transcript}");
    assert!(
        transcript.stderr.ends_with("the deadline passed"),
        "{transcript}"
    );
}

#[test]
fn what_arrived_before_a_reset_is_printed() {
    let server = HostileServer::reset_after(b"HTTP/1.0 200", HEAD_REQUEST);
    let addr = server.addr().to_string();
    let transcript = run_program(PROGRAM, &["tcp-client", "head", &addr], tcp_client::run);
    assert_eq!(transcript.stdout, "HTTP/1.0 200");
    assert!(
        transcript
            .stderr
            .contains("(12 bytes arrived): Connection reset"),
        "{transcript}"
    );
}
