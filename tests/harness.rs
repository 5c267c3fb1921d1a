//! The harness itself: deadlines fire, panics become messages, tables and transcripts render
//! the way the snapshots expect, and normalisation removes only what varies.

use std::panic;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use netlings::harness::{Rng, Table, Transcript, expect_eq, normalize, panic_message, within};

fn panic_text(f: impl FnOnce() + panic::UnwindSafe) -> String {
    let payload = panic::catch_unwind(f).expect_err("this must panic");
    panic_message(payload.as_ref())
}

#[test]
fn within_returns_the_value_of_a_quick_check() {
    assert_eq!(
        within("demo", "an answer", Duration::from_secs(5), || 42),
        42
    );
}

#[test]
fn within_fails_a_check_that_never_finishes_and_says_what_it_waited_for() {
    let start = Instant::now();
    let message = panic_text(|| {
        within(
            "echo-server",
            "the echo of client 3",
            Duration::from_millis(200),
            || {
                // Blocks forever: nobody ever sends on this channel.
                let (_tx, rx) = mpsc::channel::<()>();
                let _keep = _tx.clone();
                rx.recv().ok();
            },
        );
    });
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "the deadline must end the wait"
    );
    assert!(
        message.contains("[echo-server] timed out after 200ms waiting for the echo of client 3"),
        "{message}"
    );
}

#[test]
fn within_reports_a_panic_with_its_context() {
    let message = panic_text(|| {
        within("ip", "parse_ip", Duration::from_secs(5), || -> u8 {
            todo!("parse_ip(\"1.2.3.4\")")
        });
    });
    assert!(
        message
            .contains("[ip] panicked while parse_ip: not yet implemented: parse_ip(\"1.2.3.4\")"),
        "{message}"
    );
}

#[test]
fn expect_eq_names_the_call_and_both_values() {
    let message = panic_text(|| expect_eq("f(1)", 2, 3));
    assert_eq!(message, "f(1)\n    expected: 3\n         got: 2");
}

#[test]
fn a_table_keeps_going_after_a_panicking_row() {
    let mut table = Table::new();
    table.row("ok(1)", || 1);
    table.row("boom(2)", || -> u8 { panic!("no") });
    table.row("ok(3)", || Some(3));
    assert_eq!(table.panics(), 1);
    assert_eq!(
        table.to_string(),
        "ok(1)   => 1\nboom(2) => PANIC: no\nok(3)   => Some(3)\n"
    );
}

#[test]
fn a_transcript_reads_like_a_terminal_session() {
    let t = Transcript {
        argv: vec!["ip".into(), "x".into()],
        stdout: "partial".into(),
        stderr: "error: bad".into(),
        status: 1,
    };
    assert!(!t.success());
    assert_eq!(t.to_string(), "$ ip x\npartial\nerror: bad\n[exit 1]\n");
}

#[test]
fn normalize_hides_ephemeral_ports_on_loopback_only() {
    let text =
        "listening on 127.0.0.1:40123, [::1]:5 and localhost:80; 10.0.0.1:22 and 127.0.0.1: stay";
    assert_eq!(
        normalize(text),
        "listening on 127.0.0.1:[port], [::1]:[port] and localhost:[port]; 10.0.0.1:22 and 127.0.0.1: stay"
    );
}

#[test]
fn rng_is_deterministic_and_stays_in_range() {
    let (mut a, mut b) = (Rng::new(5), Rng::new(5));
    for _ in 0..100 {
        assert_eq!(a.next_u64(), b.next_u64());
    }
    for _ in 0..100 {
        assert!(a.below(7) < 7);
        let s = a.string("ab", 4);
        assert!(
            s.len() <= 4 && s.chars().all(|c| c == 'a' || c == 'b'),
            "{s:?}"
        );
    }
    assert_ne!(Rng::new(1).next_u64(), Rng::new(2).next_u64());
}

#[test]
fn a_full_listener_makes_a_connect_time_out() {
    let full = match netlings::harness::full_listener() {
        Ok(full) => full,
        Err(why) => {
            return netlings::harness::skip(&why);
        }
    };
    let start = Instant::now();
    let result = std::net::TcpStream::connect_timeout(&full.addr, Duration::from_millis(150));
    let err = result.expect_err("nobody accepts: the connect must not succeed");
    assert_eq!(err.kind(), std::io::ErrorKind::TimedOut, "{err}");
    assert!(start.elapsed() < Duration::from_secs(3));
}
