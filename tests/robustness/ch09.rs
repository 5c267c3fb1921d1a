//! Chapter 9, `udp`: a stranger who answers first, one who never stops writing, an answer as
//! long as a datagram can be, a message longer than one, and a server that cuts the echo.

#[path = "../../solutions/ch09_udp/3_udp.rs"]
#[allow(dead_code)]
mod udp;

use std::io;
use std::time::{Duration, Instant};

use netlings::fixtures::loopback::{Background, SilentPeer, ipv6_loopback, udp_answer_once};
use netlings::fixtures::spoof::{NoisyStranger, udp_answer_after_stranger};
use netlings::given::udp::udp_server::{echo_once, serve};
use netlings::harness::{Transcript, normalize, run_program, skip};

fn udp(argv: &[&str]) -> Transcript {
    run_program("udp", argv, udp::run)
}

#[test]
fn the_unconnected_client_prints_the_servers_answer_not_a_strangers() {
    let to = udp_answer_after_stranger(b"not your server".to_vec(), b"the answer".to_vec());
    let to = to.to_string();
    let transcript = udp(&["udp", "echo", &to, "hello", "--unconnected"]);
    assert_eq!(transcript.stdout, "the answer\n", "{transcript}");
}

#[test]
fn a_stranger_writing_all_the_time_does_not_keep_the_client_waiting() {
    let stranger = NoisyStranger::start(b"noise");
    let to = stranger.addr().to_string();
    let started = Instant::now();
    let argv = [
        "udp",
        "echo",
        &to,
        "hi",
        "--unconnected",
        "--timeout-ms",
        "200",
        "--attempts",
        "2",
    ];
    let transcript = udp(&argv);
    let took = started.elapsed();
    assert!(!transcript.success(), "{transcript}");
    assert!(
        took < Duration::from_secs(2),
        "2 attempts of 200 ms took {took:?}"
    );
}

#[test]
fn the_client_reads_the_longest_answer_whole() {
    if let Err(why) = ipv6_loopback() {
        return skip(&why);
    }
    let to = udp_answer_once("::1", vec![b'x'; 65_527]).to_string();
    let transcript = udp(&["udp", "client", &to]);
    assert_eq!(
        transcript.stdout.len(),
        65_527 + 1,
        "stderr: {}",
        transcript.stderr
    );
}

#[test]
fn a_message_longer_than_a_datagram_is_refused_with_its_size_and_the_limit() {
    let peer = SilentPeer::new();
    let to = peer.addr().to_string();
    let transcript = udp(&["udp", "echo", &to, &"x".repeat(65_508)]);
    assert_eq!(
        normalize(&transcript.stderr),
        "error: message 1 is 65508 bytes: one datagram to 127.0.0.1:[port] carries at most 65507"
    );
    assert_eq!(peer.count_received(), 0);
}

#[test]
fn the_echo_client_says_when_the_server_cut_the_echo() {
    let (mut server, to) = Background::udp("udp", "the reference echo server", |socket| {
        serve(&socket, &mut io::sink(), echo_once)
    });
    let to = to.to_string();
    let transcript = udp(&["udp", "echo", &to, &"x".repeat(1000)]);
    server.check_alive();
    assert!(
        transcript
            .stdout
            .starts_with("(the echo of message 1 is 512 of its 1000 bytes: the server cut it)\n"),
        "{transcript}"
    );
}
