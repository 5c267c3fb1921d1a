//! Chapter 3, `lookup --server`: a DNS server that answers from another port first, floods
//! garbage before the answer, answers past the 512-byte limit, and names with bytes a host
//! name never has (the echo of the question must still match).

#[path = "../../solutions/ch03_lookup/6_lookup.rs"]
#[allow(dead_code)]
mod lookup;

use netlings::fixtures::dns::{DnsServer, EXAMPLE_V4 as ADDR, ODD_NAMES, Reply, Zone};
use netlings::harness::{Transcript, run_program};

fn lookup(server: &DnsServer, name: &str) -> Transcript {
    let addr = server.addr().to_string();
    let argv = [
        "lookup",
        name,
        "--server",
        &addr,
        "--timeout",
        "1000",
        "--attempts",
        "1",
    ];
    run_program("lookup", &argv, lookup::run)
}

#[test]
fn lookup_finds_names_with_a_space_a_tab_a_backslash_or_letters_outside_ascii() {
    // As typed (presentation format) and as the fixture stores them.
    let zone = ODD_NAMES
        .iter()
        .fold(Zone::new(), |z, (_, stored)| z.a(stored, ADDR));
    let server = DnsServer::start(zone);
    for (typed, _) in ODD_NAMES {
        let transcript = lookup(&server, typed);
        assert_eq!(
            transcript.stdout,
            format!("{typed} has address {ADDR}\n"),
            "the server answered at once:\n{transcript}"
        );
    }
}

#[test]
fn lookup_takes_only_the_servers_answer_after_a_stranger_and_a_flood_of_garbage() {
    let mut replies = vec![Reply::FromOtherPort, Reply::WrongId];
    replies.extend((0..50).map(Reply::Garbage));
    replies.push(Reply::Answer);
    let server = DnsServer::start(Zone::new().a("example.test", ADDR).then(&replies));
    let transcript = lookup(&server, "example.test");
    assert_eq!(
        transcript.stdout,
        format!("example.test has address {ADDR}\n"),
        "{transcript}"
    );
}

#[test]
fn lookup_reads_an_answer_longer_than_512_bytes_whole() {
    #[rustfmt::skip]
    let mut raw = [
        &[0, 0, 0x81, 0x80, 0, 1, 0, 40, 0, 0, 0, 0][..],
        b"\x07example\x04test\x00", &[0, 1, 0, 1],
    ]
    .concat();
    for i in 1..=40 {
        raw.extend_from_slice(&[0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, i]);
    }
    let server = DnsServer::start(Zone::new().then(&[Reply::Raw(raw)]));
    let transcript = lookup(&server, "example.test");
    assert!(transcript.success(), "{transcript}");
    assert_eq!(transcript.stdout.lines().count(), 40, "{transcript}");
}

#[test]
fn a_silent_server_is_reported_with_the_wait_it_was_given() {
    let server = DnsServer::start(Zone::new().then(&[]));
    let addr = server.addr().to_string();
    let argv = [
        "lookup",
        "example.test",
        "--server",
        &addr,
        "--timeout",
        "50",
        "--attempts",
        "1",
    ];
    let transcript = run_program("lookup", &argv, lookup::run);
    assert!(
        transcript.stderr.ends_with("after 1 attempt(s) of 50ms"),
        "{transcript}"
    );
}

#[test]
fn a_timeout_of_half_a_billion_years_is_refused() {
    let argv = [
        "lookup",
        "example.test",
        "--server",
        "127.0.0.1",
        "--timeout",
        "18446744073709551615",
    ];
    let transcript = run_program("lookup", &argv, lookup::run);
    assert_eq!(transcript.status, 2, "{transcript}");
}
