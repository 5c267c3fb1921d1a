//! Grading tests for chapter 9, UDP: one module per step, in course order.
//! `cargo test --test ch09_udp` runs them against `exercises/ch09_udp/`, and with
//! `--features solutions` against `solutions/ch09_udp/`.

// BEGIN STEPS
// The steps under test: `exercises/ch09_udp/`, or `solutions/ch09_udp/` with `--features solutions`.
// Generated from the catalog by `cargo dev update`. A step's `main` and the helpers its tests do
// not call are unused here, hence `allow(dead_code)`.
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch09_udp/1_udp_server.rs"
)]
#[cfg_attr(feature = "solutions", path = "../solutions/ch09_udp/1_udp_server.rs")]
#[allow(dead_code)]
pub mod step1_udp_server;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch09_udp/2_udp_request.rs"
)]
#[cfg_attr(feature = "solutions", path = "../solutions/ch09_udp/2_udp_request.rs")]
#[allow(dead_code)]
pub mod step2_udp_request;
#[cfg_attr(not(feature = "solutions"), path = "../exercises/ch09_udp/3_udp.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/ch09_udp/3_udp.rs")]
#[allow(dead_code)]
pub mod step3_udp;
mod steps {
    pub use super::step1_udp_server as udp_server;
    pub use super::step2_udp_request as udp_request;
    pub use super::step3_udp as udp;
}
// END STEPS

/// What the steps' tests share: the playground time, a reference echo server, a one-shot server.
mod common {
    use std::io;
    use std::net::SocketAddr;

    use netlings::fixtures::loopback::Background;

    /// Go's playground time, 2009-11-10 23:00:00 UTC.
    pub const PLAYGROUND: u64 = 1_257_894_000;

    /// The reference echo server (`serve` + `echo_once` of step 1) in the background, for the
    /// steps that need a server to talk to.
    pub fn given_echo_server() -> (Background, SocketAddr) {
        use netlings::given::udp::udp_server::{echo_once, serve};
        Background::udp("udp", "the reference echo server", |socket| {
            serve(&socket, &mut io::sink(), echo_once)
        })
    }
}

mod udp_server {
    use std::io;
    use std::net::{SocketAddr, UdpSocket};
    use std::sync::mpsc;
    use std::time::{Duration, Instant};

    use netlings::fixtures::clock::{FixedClock, TickingClock};
    use netlings::fixtures::loopback::{Background, SharedLog};
    use netlings::harness::{DEADLINE, expect_eq, udp_socket, within};

    use netlings::support::io::is_timeout;

    use crate::common::PLAYGROUND;
    use crate::steps::udp_server as udp;

    const STEP: &str = "udp-server";

    /// A server socket on loopback, and a client socket whose reads give up after [`DEADLINE`].
    pub fn pair() -> (UdpSocket, UdpSocket, SocketAddr) {
        let server = UdpSocket::bind("127.0.0.1:0").expect("binding 127.0.0.1:0 always works");
        let addr = server.local_addr().expect("a bound socket has an address");
        (server, udp_socket(), addr)
    }

    /// Receives one datagram on `client`, failing with `what` if none comes.
    #[track_caller]
    pub fn recv(client: &UdpSocket, what: &str) -> (Vec<u8>, SocketAddr) {
        let mut buf = vec![0; 65_536];
        match client.recv_from(&mut buf) {
            Ok((n, from)) => (buf[..n].to_vec(), from),
            Err(e) => panic!("[{STEP}] no datagram came back: {what} ({e})"),
        }
    }

    /// Receives one datagram on `client` while checking every 200 ms that `server` still runs.
    #[track_caller]
    pub fn recv_from_server(server: &mut Background, client: &UdpSocket, what: &str) -> Vec<u8> {
        client
            .set_read_timeout(Some(Duration::from_millis(200)))
            .expect("a non-zero timeout");
        let start = Instant::now();
        let mut buf = vec![0; 65_536];
        loop {
            server.check_alive();
            match client.recv_from(&mut buf) {
                Ok((n, _)) => return buf[..n].to_vec(),
                Err(e) if is_timeout(&e) && start.elapsed() < DEADLINE => continue,
                Err(e) => panic!("[{STEP}] no answer within {DEADLINE:?}: {what} ({e})"),
            }
        }
    }

    /// Runs one server step (`daytime_once`, `echo_once`) on a socket whose request is already
    /// queued, with a deadline.
    fn step<T: Send + 'static>(
        waiting_for: &str,
        server: UdpSocket,
        f: impl FnOnce(&UdpSocket) -> io::Result<T> + Send + 'static,
    ) -> T {
        within(STEP, waiting_for, DEADLINE, move || {
            // A step that reads twice would otherwise wait forever for a second datagram.
            server
                .set_read_timeout(Some(DEADLINE))
                .expect("a non-zero timeout is accepted");
            f(&server)
        })
        .unwrap_or_else(|e| panic!("[{STEP}] {waiting_for} failed: {e}"))
    }

    /// This step's echo server (`serve` + `echo_once`) running in the background.
    fn echo_server() -> (Background, SocketAddr) {
        Background::udp(STEP, "the echo server (serve + echo_once)", |socket| {
            udp::serve(&socket, &mut io::sink(), udp::echo_once)
        })
    }

    #[test]
    fn daytime_once_answers_the_sender_with_the_clock_time() {
        let (server, client, addr) = pair();
        client
            .send_to(b"anything", addr)
            .expect("sending on loopback works");
        let clock = FixedClock::unix(PLAYGROUND);
        let asked = step("daytime_once to answer one request", server, move |s| {
            udp::daytime_once(s, &clock)
        });
        let (answer, from) = recv(
            &client,
            "daytime_once should send the time back to the sender",
        );
        expect_eq(
            "daytime_once: the answer",
            String::from_utf8_lossy(&answer).into_owned(),
            "2009-11-10 23:00:00 +0000 UTC".to_string(),
        );
        expect_eq("daytime_once: the answer's source", from, addr);
        expect_eq(
            "daytime_once: the returned sender",
            asked,
            client.local_addr().unwrap(),
        );
    }

    #[test]
    fn daytime_once_reads_the_clock_for_every_request() {
        let (server, client, addr) = pair();
        client
            .send_to(b"1", addr)
            .expect("sending on loopback works");
        client
            .send_to(b"2", addr)
            .expect("sending on loopback works");
        let clock = TickingClock::unix(PLAYGROUND);
        step("daytime_once to answer two requests", server, move |s| {
            udp::daytime_once(s, &clock)?;
            udp::daytime_once(s, &clock)
        });
        let first = recv(&client, "the answer to the first request").0;
        let second = recv(&client, "the answer to the second request").0;
        expect_eq(
            "daytime_once: first answer",
            String::from_utf8_lossy(&first).into_owned(),
            "2009-11-10 23:00:00 +0000 UTC".into(),
        );
        expect_eq(
            "daytime_once: second answer (a clock read once at start-up would repeat the first)",
            String::from_utf8_lossy(&second).into_owned(),
            "2009-11-10 23:00:01 +0000 UTC".into(),
        );
    }

    #[test]
    fn echo_once_sends_the_datagram_back_to_its_sender() {
        let (server, client, addr) = pair();
        client
            .send_to(b"hello, udp", addr)
            .expect("sending on loopback works");
        let (n, from) = step("echo_once to echo one datagram", server, udp::echo_once);
        expect_eq("echo_once: returned length", n, 10);
        expect_eq(
            "echo_once: returned sender",
            from,
            client.local_addr().unwrap(),
        );
        let (echo, _) = recv(&client, "echo_once should send the datagram back");
        expect_eq("echo_once: the echo", echo, b"hello, udp".to_vec());
    }

    #[test]
    fn an_empty_datagram_is_a_message_not_an_end_of_file() {
        let (server, client, addr) = pair();
        client
            .send_to(b"", addr)
            .expect("sending on loopback works");
        client
            .send_to(b"after", addr)
            .expect("sending on loopback works");
        let lens = step(
            "echo_once to echo an empty datagram and the next one",
            server,
            |s| Ok((udp::echo_once(s)?.0, udp::echo_once(s)?.0)),
        );
        expect_eq(
            "echo_once: lengths of an empty datagram and the next",
            lens,
            (0, 5),
        );
        let (empty, _) = recv(
            &client,
            "an empty datagram must be echoed as an empty datagram",
        );
        expect_eq("the echo of an empty datagram", empty, vec![]);
        let (after, _) = recv(&client, "the datagram after the empty one");
        expect_eq("the echo of the next datagram", after, b"after".to_vec());
    }

    #[test]
    fn a_datagram_longer_than_the_buffer_is_cut_and_the_rest_is_lost() {
        let (server, client, addr) = pair();
        let long: Vec<u8> = (0..1000u32).map(|i| (i % 251) as u8).collect();
        client
            .send_to(&long, addr)
            .expect("sending on loopback works");
        client
            .send_to(b"next", addr)
            .expect("sending on loopback works");
        let lens = step(
            "echo_once to echo a long datagram and the next one",
            server,
            |s| Ok((udp::echo_once(s)?.0, udp::echo_once(s)?.0)),
        );
        expect_eq(
            "echo_once: lengths read for a 1000-byte datagram and a 4-byte one (the server buffer is SERVER_BUF = 512)",
            lens,
            (udp::SERVER_BUF, 4),
        );
        let (cut, _) = recv(&client, "the echo of the long datagram");
        expect_eq(
            "the echo of a 1000-byte datagram: its first 512 bytes",
            cut,
            long[..512].to_vec(),
        );
        let (next, _) = recv(&client, "the echo of the datagram after the long one");
        expect_eq(
            "the next echo (the 488 cut bytes are gone, unlike the rest of a TCP read)",
            next,
            b"next".to_vec(),
        );
    }

    #[test]
    fn message_boundaries_are_preserved_unlike_tcp() {
        let (server, client, addr) = pair();
        for message in [&b"a"[..], b"bb", b"ccc"] {
            client
                .send_to(message, addr)
                .expect("sending on loopback works");
        }
        step("echo_once to echo three datagrams", server, |s| {
            for _ in 0..3 {
                udp::echo_once(s)?;
            }
            Ok(())
        });
        let got: Vec<Vec<u8>> = (0..3)
            .map(|i| recv(&client, &format!("echo {} of 3", i + 1)).0)
            .collect();
        // TCP could deliver "abbccc" in one read; UDP delivers each datagram whole and alone.
        expect_eq(
            "three echoes, one datagram each",
            got,
            vec![b"a".to_vec(), b"bb".to_vec(), b"ccc".to_vec()],
        );
    }

    #[test]
    fn serve_keeps_serving_after_a_failed_datagram() {
        let socket = UdpSocket::bind("127.0.0.1:0").expect("binding 127.0.0.1:0 always works");
        let (tx, rx) = mpsc::channel();
        let mut calls = 0;
        let log = SharedLog::default();
        let mut server_log = log.clone();
        let mut server = Background::spawn(STEP, "serve", move || {
            udp::serve(&socket, &mut server_log, |_| {
                calls += 1;
                let _ = tx.send(calls);
                if calls <= 2 {
                    return Err(io::Error::new(
                        io::ErrorKind::ConnectionRefused,
                        "a stale ICMP error",
                    ));
                }
                // The third call: the server survived; park here so the loop does not spin.
                std::thread::park();
                Ok(())
            })
        });
        let start = Instant::now();
        let mut expected = 1;
        while expected <= 3 {
            match rx.recv_timeout(Duration::from_millis(100)) {
                Ok(call) => {
                    expect_eq("serve: the handler call number", call, expected);
                    expected += 1;
                }
                Err(_) if start.elapsed() < DEADLINE => server.check_alive(),
                Err(_) => panic!("[{STEP}] serve never called its handler a {expected}th time"),
            }
        }
        server.check_alive();
        // The third call has started, so the first two errors have been logged.
        expect_eq(
            "serve: the log after two failed datagrams",
            log.text(),
            "udp server: a stale ICMP error (still serving)\n".repeat(2),
        );
    }

    #[test]
    fn three_interleaved_clients_each_get_their_own_answer() {
        let (mut server, addr) = echo_server();
        let clients: Vec<UdpSocket> = (0..3).map(|_| udp_socket()).collect();
        for (i, client) in clients.iter().enumerate() {
            client
                .send_to(format!("I am client {i}").as_bytes(), addr)
                .expect("sending on loopback works");
        }
        // Read in the opposite order: each answer must already be waiting at its own client.
        for (i, client) in clients.iter().enumerate().rev() {
            let answer = recv_from_server(&mut server, client, &format!("the echo for client {i}"));
            expect_eq(
                format!("the echo client {i} got"),
                String::from_utf8_lossy(&answer).into_owned(),
                format!("I am client {i}"),
            );
        }
    }
}

mod udp_request {
    use std::io;
    use std::time::{Duration, Instant};

    use insta::assert_snapshot;
    use netlings::fixtures::loopback::{
        LossyServer, SilentPeer, closed_udp_port, ipv6_loopback, udp_answer_once,
    };
    use netlings::fixtures::spoof::{NoisyStranger, udp_answer_after_stranger};
    use netlings::harness::{DEADLINE, Table, expect_eq, normalize, skip, within};

    use crate::common::given_echo_server;
    use crate::steps::udp_request::{self as udp, Mode, Retry};

    const STEP: &str = "udp-request";

    fn retry(timeout_ms: u64, attempts: u32) -> Retry {
        Retry {
            timeout: Duration::from_millis(timeout_ms),
            attempts,
        }
    }

    #[test]
    fn request_returns_the_servers_answer_in_both_modes() {
        for mode in [Mode::Connected, Mode::Unconnected] {
            let addr = udp_answer_once("127.0.0.1", b"hi there".to_vec());
            let answer = within(
                STEP,
                "request() to a server that answers",
                DEADLINE,
                move || udp::request(addr, mode, b"hello", retry(1000, 1)),
            );
            expect_eq(
                format!("request({mode:?}, \"hello\") to a server that answers \"hi there\""),
                answer.map_err(|e| e.to_string()),
                Ok(b"hi there".to_vec()),
            );
        }
    }

    #[test]
    fn three_clients_using_request_at_once_each_get_their_own_answer() {
        let (mut server, addr) = given_echo_server();
        server.check_alive();
        let answers = within(
            STEP,
            "three concurrent request() calls",
            DEADLINE,
            move || {
                let threads: Vec<_> = (0..3)
                    .map(|i| {
                        std::thread::spawn(move || {
                            let mode = if i % 2 == 0 {
                                Mode::Connected
                            } else {
                                Mode::Unconnected
                            };
                            let payload = format!("request {i}");
                            udp::request(addr, mode, payload.as_bytes(), retry(1000, 3))
                                .map(|a| String::from_utf8_lossy(&a).into_owned())
                                .map_err(|e| e.to_string())
                        })
                    })
                    .collect();
                threads
                    .into_iter()
                    .map(|t| t.join().unwrap_or_else(|_| Err("panicked".into())))
                    .collect::<Vec<_>>()
            },
        );
        for (i, answer) in answers.into_iter().enumerate() {
            expect_eq(
                format!("request() by client {i}"),
                answer,
                Ok(format!("request {i}")),
            );
        }
    }

    #[test]
    fn request_ignores_a_datagram_from_anyone_but_the_server() {
        for mode in [Mode::Connected, Mode::Unconnected] {
            let addr = udp_answer_after_stranger(
                b"I am not your server".to_vec(),
                b"the real answer".to_vec(),
            );
            let answer = within(
                STEP,
                "request() while a stranger writes to the client first",
                DEADLINE,
                move || udp::request(addr, mode, b"hello", retry(1000, 1)),
            );
            expect_eq(
                format!(
                    "request({mode:?}) when a stranger's datagram arrives before the server's \
                     (recv_from returns the sender: drop what does not come from `server`)"
                ),
                answer
                    .map(|a| String::from_utf8_lossy(&a).into_owned())
                    .map_err(|e| e.to_string()),
                Ok("the real answer".to_string()),
            );
        }
    }

    #[test]
    fn a_stranger_writing_all_the_time_does_not_extend_an_attempt() {
        // A server that never answers, and a stranger that writes to the client every 10 ms as
        // soon as the server has seen the client's address.
        let stranger = NoisyStranger::start(b"noise");
        let addr = stranger.addr();
        let start = Instant::now();
        let result = within(
            STEP,
            "request(Unconnected) with 1 attempt of 200 ms while a stranger writes every 10 ms \
             (each recv_from must wait only for the time left of the attempt)",
            DEADLINE,
            move || udp::request(addr, Mode::Unconnected, b"anyone?", retry(200, 1)),
        );
        let waited = start.elapsed();
        drop(stranger);
        expect_eq(
            "request(Unconnected) when only a stranger writes: error kind",
            result.map_err(|e| e.kind()),
            Err(io::ErrorKind::TimedOut),
        );
        assert!(
            waited < Duration::from_secs(2),
            "request() took {waited:?} for one attempt of 200 ms: strangers must not extend it"
        );
    }

    #[test]
    fn request_returns_an_answer_longer_than_the_servers_buffer() {
        let long: Vec<u8> = (0..9000u32).map(|i| (i % 251) as u8).collect();
        let addr = udp_answer_once("127.0.0.1", long.clone());
        let answer = within(
            STEP,
            "request() for a 9000-byte answer",
            DEADLINE,
            move || udp::request(addr, Mode::Connected, b"big one, please", retry(1000, 1)),
        )
        .unwrap_or_else(|e| panic!("[{STEP}] request() for a 9000-byte answer failed: {e}"));
        expect_eq(
            "request(): bytes of a 9000-byte answer (the client buffer is CLIENT_BUF, not SERVER_BUF)",
            answer.len(),
            long.len(),
        );
        assert!(
            answer == long,
            "request(): the 9000 bytes differ from those the server sent"
        );
    }

    #[test]
    fn request_returns_the_longest_answer_a_udp_datagram_carries() {
        // 65 527 bytes: the most an IPv6 UDP datagram carries, 20 more than over IPv4.
        if let Err(why) = ipv6_loopback() {
            return skip(&why);
        }
        let longest: Vec<u8> = (0..65_527u32).map(|i| (i % 251) as u8).collect();
        let addr = udp_answer_once("::1", longest.clone());
        let got = within(
            STEP,
            "request() for a 65527-byte answer over IPv6",
            DEADLINE,
            move || udp::request(addr, Mode::Connected, b"all of it", retry(2000, 1)),
        )
        .unwrap_or_else(|e| panic!("[{STEP}] request() for a 65527-byte answer failed: {e}"));
        expect_eq(
            "request(): bytes of a 65527-byte answer over IPv6 (CLIENT_BUF: no datagram is longer)",
            got.len(),
            longest.len(),
        );
    }

    #[test]
    fn request_resends_when_the_first_datagram_is_lost() {
        for mode in [Mode::Connected, Mode::Unconnected] {
            let lossy = LossyServer::start(1, b"second time lucky");
            let addr = lossy.addr();
            let answer = within(
                STEP,
                "request() to a server that drops the first datagram",
                DEADLINE,
                move || udp::request(addr, mode, b"ping", retry(200, 3)),
            );
            let seen = lossy.received();
            expect_eq(
                format!("request({mode:?}) to a server that ignores the first datagram"),
                answer.map_err(|e| e.to_string()),
                Ok(b"second time lucky".to_vec()),
            );
            expect_eq(
                format!("datagrams the server received ({mode:?})"),
                seen,
                vec![b"ping".to_vec(), b"ping".to_vec()],
            );
        }
    }

    #[test]
    fn request_gives_up_after_the_given_number_of_attempts() {
        let peer = SilentPeer::new();
        let addr = peer.addr();
        let start = Instant::now();
        let result = within(
            STEP,
            "request() to a server that never answers",
            DEADLINE,
            move || udp::request(addr, Mode::Connected, b"anyone?", retry(100, 3)),
        );
        let waited = start.elapsed();
        let err = result.expect_err("request() to a server that never answers must fail");
        expect_eq(
            "request(): the error kind after the last attempt",
            err.kind(),
            io::ErrorKind::TimedOut,
        );
        expect_eq(
            "request(): datagrams sent (one per attempt)",
            peer.count_received(),
            3,
        );
        assert!(
            waited >= Duration::from_millis(280),
            "request() gave up after {waited:?}: it should wait 100 ms for each of 3 attempts"
        );
        assert_snapshot!(normalize(&err.to_string()), @"no answer from 127.0.0.1:[port] after 3 attempts of 100ms");
    }

    #[test]
    fn a_closed_port_is_refused_when_connected_and_silent_when_not() {
        // Linux tells only a connected socket of the ICMP "port unreachable" (an unconnected one
        // would have to ask with IP_RECVERR), so the unconnected request waits out its attempts.
        let mut table = Table::new();
        for mode in [Mode::Connected, Mode::Unconnected] {
            table.row(format!("request(closed port, {mode:?})"), || {
                within(STEP, "request() to a closed port", DEADLINE, move || {
                    udp::request(closed_udp_port(), mode, b"hello?", retry(100, 2))
                        .map_err(|e| e.kind())
                })
            });
        }
        assert_snapshot!(table);
    }

    #[test]
    fn a_connected_client_stops_at_the_first_refusal() {
        let addr = closed_udp_port();
        let start = Instant::now();
        let result = within(STEP, "request() to a closed port", DEADLINE, move || {
            udp::request(addr, Mode::Connected, b"hello?", retry(2000, 3))
        });
        let waited = start.elapsed();
        expect_eq(
            "request(closed port, Connected): error kind",
            result.map_err(|e| e.kind()),
            Err(io::ErrorKind::ConnectionRefused),
        );
        assert!(
            waited < Duration::from_millis(1500),
            "request() took {waited:?}: ConnectionRefused is not a timeout, so return it at once"
        );
    }
}

mod udp {
    use std::io;
    use std::time::Duration;

    use insta::assert_snapshot;
    use netlings::fixtures::clock::FixedClock;
    use netlings::fixtures::loopback::{Background, SilentPeer, closed_udp_port, udp_answer_once};
    use netlings::given::udp::udp_request::Retry;
    use netlings::given::udp::udp_server::{daytime_once, serve};
    use netlings::harness::{DEADLINE, expect_eq, normalize, run_program, within};

    use crate::common::{PLAYGROUND, given_echo_server};
    use crate::steps::udp;

    const STEP: &str = "udp";

    fn retry(timeout_ms: u64, attempts: u32) -> Retry {
        Retry {
            timeout: Duration::from_millis(timeout_ms),
            attempts,
        }
    }

    #[test]
    fn daytime_client_returns_the_servers_answer_as_text() {
        let addr = udp_answer_once("127.0.0.1", b"2009-11-10 23:00:00 +0000 UTC".to_vec());
        let result = within(STEP, "daytime_client() for the time", DEADLINE, move || {
            udp::daytime_client(addr, retry(1000, 1))
        });
        expect_eq(
            "daytime_client() to a server that answers with the playground time",
            result.map_err(|e| e.to_string()),
            Ok("2009-11-10 23:00:00 +0000 UTC".to_string()),
        );
    }

    #[test]
    fn daytime_client_rejects_an_answer_that_is_not_text() {
        let addr = udp_answer_once("127.0.0.1", vec![0xff, 0xfe, b'1', b'2']);
        let result = within(
            STEP,
            "daytime_client() for a binary answer",
            DEADLINE,
            move || udp::daytime_client(addr, retry(1000, 1)),
        );
        expect_eq(
            "daytime_client() when the answer is not UTF-8: error kind",
            result.map_err(|e| e.kind()),
            Err(io::ErrorKind::InvalidData),
        );
    }

    #[test]
    fn daytime_client_uses_a_connected_socket() {
        let addr = closed_udp_port();
        let result = within(
            STEP,
            "daytime_client() to a closed port",
            DEADLINE,
            move || udp::daytime_client(addr, retry(1000, 2)),
        );
        expect_eq(
            "daytime_client() to a closed port (use Mode::Connected: on Linux only a connected \
             socket is told of the ICMP refusal)",
            result.map_err(|e| e.kind()),
            Err(io::ErrorKind::ConnectionRefused),
        );
    }

    #[test]
    fn explain_turns_a_refusal_into_a_sentence_of_the_same_kind() {
        let server = closed_udp_port();
        let refused = io::Error::new(io::ErrorKind::ConnectionRefused, "port unreachable");
        let got = udp::explain(server, refused);
        expect_eq(
            format!("explain({server}, ConnectionRefused \"port unreachable\")"),
            (got.kind(), got.to_string()),
            (
                io::ErrorKind::ConnectionRefused,
                format!(
                    "{server} refused the datagram: no UDP server listens there (port unreachable)"
                ),
            ),
        );
    }

    #[test]
    fn explain_leaves_every_other_error_as_it_was() {
        let server = closed_udp_port();
        for kind in [io::ErrorKind::TimedOut, io::ErrorKind::InvalidData] {
            let got = udp::explain(server, io::Error::new(kind, "something else"));
            expect_eq(
                format!("explain({server}, {kind:?} \"something else\")"),
                (got.kind(), got.to_string()),
                (kind, "something else".to_string()),
            );
        }
    }

    #[test]
    fn the_client_prints_the_servers_time() {
        let (mut server, addr) = Background::udp(STEP, "the reference daytime server", |socket| {
            let clock = FixedClock::unix(PLAYGROUND);
            serve(&socket, &mut io::sink(), |s| daytime_once(s, &clock))
        });
        let addr = addr.to_string();
        server.check_alive();
        let transcript = run_program(STEP, &["udp", "client", &addr], udp::run);
        server.check_alive();
        assert_snapshot!(normalize(&transcript.to_string()));
    }

    #[test]
    fn the_echo_client_prints_each_answer() {
        let (mut server, addr) = given_echo_server();
        let addr = addr.to_string();
        let transcript = run_program(
            STEP,
            &["udp", "echo", &addr, "hello", "", "world", "--unconnected"],
            udp::run,
        );
        server.check_alive();
        assert_snapshot!(normalize(&transcript.to_string()));
    }

    #[test]
    fn the_echo_client_says_when_the_server_cut_its_message() {
        // The reference echo server reads into SERVER_BUF = 512 bytes.
        let (mut server, addr) = given_echo_server();
        let addr = addr.to_string();
        let long = "x".repeat(600);
        let transcript = run_program(STEP, &["udp", "echo", &addr, "short", &long], udp::run);
        server.check_alive();
        let lines: Vec<&str> = transcript.stdout.lines().collect();
        expect_eq(
            "the first two lines of `udp echo` when the server cuts message 2 to 512 bytes",
            lines.get(..2).map(<[&str]>::to_vec),
            Some(vec![
                "short",
                "(the echo of message 2 is 512 of its 600 bytes: the server cut it)",
            ]),
        );
    }

    #[test]
    fn the_echo_client_refuses_a_message_longer_than_a_datagram() {
        let peer = SilentPeer::new();
        let addr = peer.addr().to_string();
        let long = "x".repeat(70_000);
        let transcript = run_program(STEP, &["udp", "echo", &addr, "hi", &long], udp::run);
        expect_eq(
            "`udp echo` with a 70000-byte message: the error (which message, its size, the limit)",
            normalize(&transcript.stderr),
            "error: message 2 is 70000 bytes: one datagram to 127.0.0.1:[port] carries at most 65507"
                .to_string(),
        );
        expect_eq(
            "datagrams sent before the long message was refused (none: check before sending)",
            peer.count_received(),
            0,
        );
    }

    #[test]
    fn the_client_reports_a_server_that_never_answers() {
        let peer = SilentPeer::new();
        let addr = peer.addr().to_string();
        let transcript = run_program(
            STEP,
            &[
                "udp",
                "client",
                &addr,
                "--timeout-ms",
                "50",
                "--attempts",
                "2",
            ],
            udp::run,
        );
        assert!(
            !transcript.success(),
            "a silent server is an error:\n{transcript}"
        );
        assert_snapshot!(normalize(&transcript.to_string()));
    }

    #[test]
    fn the_client_explains_a_closed_port() {
        let addr = closed_udp_port().to_string();
        let transcript = run_program(
            STEP,
            &[
                "udp",
                "client",
                &addr,
                "--timeout-ms",
                "1000",
                "--attempts",
                "2",
            ],
            udp::run,
        );
        assert!(
            !transcript.success(),
            "a closed port is an error:\n{transcript}"
        );
        assert_snapshot!(normalize(&transcript.to_string()));
    }

    #[test]
    fn the_client_reports_bad_arguments() {
        let mut out = String::new();
        for argv in [
            &["udp", "client", "not-an-address"][..],
            &["udp", "client", "127.0.0.1"],
            &["udp", "client", "127.0.0.1:99999"],
            &["udp", "client", "127.0.0.1:7", "--timeout-ms", "0"],
            &["udp", "echo", "127.0.0.1:7"],
        ] {
            let transcript = run_program(STEP, argv, udp::run);
            assert!(
                !transcript.success(),
                "bad arguments must fail:\n{transcript}"
            );
            out.push_str(&transcript.to_string());
        }
        assert_snapshot!(out);
    }
}
