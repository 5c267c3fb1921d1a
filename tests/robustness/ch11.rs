//! Chapter 11, `packet send`: a stranger who answers first (over UDP and Unix datagrams), one
//! who never stops writing, an answer longer than the client reads, and a client killed while
//! it waits (it must leave no file behind).

#[path = "../../solutions/ch11_packet/3_packet.rs"]
#[allow(dead_code)]
mod packet;

use std::io;
use std::os::unix::net::UnixDatagram;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use clap::Parser;
use netlings::fixtures::loopback::udp_answer_once;
use netlings::fixtures::spoof::{
    NoisyStranger, udp_answer_after_stranger, unix_answer_after_stranger,
};
use netlings::harness::{DEADLINE, Transcript, normalize, run_program};
use netlings::support::tempdir::TempDir;

fn packet(argv: &[&str]) -> Transcript {
    run_program("packet", argv, packet::run)
}

#[test]
fn send_prints_the_servers_answer_not_a_strangers_over_udp() {
    let to = udp_answer_after_stranger(b"not your server".to_vec(), b"the answer".to_vec());
    let to = to.to_string();
    let transcript = packet(&["packet", "send", "udp", &to, "hello"]);
    assert_eq!(
        normalize(&transcript.stdout),
        "ignored a datagram from 127.0.0.1:[port]: not from 127.0.0.1:[port]\nthe answer\n"
    );
}

#[test]
fn send_prints_the_servers_answer_not_a_strangers_over_unix_datagrams() {
    let dir = TempDir::new("robust").expect("a temporary directory");
    let path = unix_answer_after_stranger(&dir, b"nor I".to_vec(), b"unix answer".to_vec());
    let path = path.to_string_lossy().into_owned();
    let transcript = packet(&["packet", "send", "unixgram", &path, "hello"]);
    assert!(
        transcript.stdout.ends_with("\nunix answer\n"),
        "{transcript}"
    );
    assert!(transcript.stdout.contains("stranger.sock"), "{transcript}");
}

#[test]
fn a_stranger_writing_all_the_time_does_not_keep_the_client_waiting() {
    let stranger = NoisyStranger::start(b"noise");
    let to = stranger.addr().to_string();
    let started = Instant::now();
    let transcript = packet(&["packet", "send", "udp", &to, "hi", "--timeout-ms", "200"]);
    let took = started.elapsed();
    assert!(!transcript.success(), "{transcript}");
    assert!(
        took < Duration::from_secs(2),
        "a wait of 200 ms took {took:?}"
    );
}

#[test]
fn an_answer_longer_than_the_buffer_is_cut_and_said_to_be() {
    let to = udp_answer_once("127.0.0.1", vec![b'x'; 10_000]).to_string();
    let transcript = packet(&["packet", "send", "udp", &to, "hi"]);
    let lines: Vec<&str> = transcript.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{transcript}");
    assert!(lines[0].ends_with("was cut to 2048 bytes"), "{transcript}");
    assert_eq!(lines[1].len(), 2048);
}

const CHILD_SERVER: &str = "NETLINGS_ROBUSTNESS_PACKET_SERVER";

#[test]
fn a_unixgram_client_killed_while_it_waits_leaves_no_file() {
    if let Ok(server) = std::env::var(CHILD_SERVER) {
        let argv = [
            "packet",
            "send",
            "unixgram",
            &server,
            "hi",
            "--timeout-ms",
            "20000",
        ];
        let args = packet::Args::try_parse_from(argv).expect("good arguments");
        let _ = packet::run(args, &mut io::sink());
        return;
    }
    let dir = TempDir::new("robust").expect("a temporary directory");
    let tmp = dir.join("tmp");
    std::fs::create_dir(&tmp).expect("a fresh directory");
    let path = dir.join("server.sock");
    let server = UnixDatagram::bind(&path).expect("binding a fresh path");
    server.set_read_timeout(Some(DEADLINE)).expect("a timeout");
    let mut child = Command::new(std::env::current_exe().expect("the test binary"))
        .args([
            "--exact",
            "ch11::a_unixgram_client_killed_while_it_waits_leaves_no_file",
        ])
        .args(["--test-threads", "1", "--quiet"])
        .env(CHILD_SERVER, &path)
        .env("TMPDIR", &tmp)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the test binary runs again");
    let mut buf = [0; 16];
    let got = server.recv_from(&mut buf).map(|(n, _)| buf[..n].to_vec());
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(got.map_err(|e| e.to_string()), Ok(b"hi".to_vec()));
    let left: Vec<_> = std::fs::read_dir(&tmp)
        .expect("readable")
        .filter_map(|e| e.ok().map(|e| e.file_name()))
        .collect();
    assert!(left.is_empty(), "the killed client left {left:?}");
}
