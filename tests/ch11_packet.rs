//! Grading tests for chapter 11, packet connections. One module per step, in course order.
//! `cargo test --test ch11_packet` runs them against `exercises/ch11_packet/`, and with
//! `--features solutions` against `solutions/ch11_packet/`.

// BEGIN STEPS
// The steps under test: `exercises/ch11_packet/`, or `solutions/ch11_packet/` with `--features solutions`.
// Generated from the catalog by `cargo dev update`. A step's `main` and the helpers its tests do
// not call are unused here, hence `allow(dead_code)`.
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch11_packet/1_packet_conn.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ch11_packet/1_packet_conn.rs"
)]
#[allow(dead_code)]
pub mod step1_packet_conn;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch11_packet/2_packet_echo.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ch11_packet/2_packet_echo.rs"
)]
#[allow(dead_code)]
pub mod step2_packet_echo;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch11_packet/3_packet.rs"
)]
#[cfg_attr(feature = "solutions", path = "../solutions/ch11_packet/3_packet.rs")]
#[allow(dead_code)]
pub mod step3_packet;
mod steps {
    pub use super::step1_packet_conn as packet_conn;
    pub use super::step2_packet_echo as packet_echo;
    pub use super::step3_packet as packet;
}
// END STEPS

/// The sockets every step's tests use: bound on loopback or in a temporary directory, with a
/// read timeout so that a missing answer fails a check instead of hanging it.
mod sockets {
    use std::os::unix::net::{self as unix, UnixDatagram};
    use std::path::PathBuf;

    use netlings::harness::DEADLINE;
    pub use netlings::harness::udp_socket as udp;
    use netlings::support::tempdir::TempDir;

    pub fn unixgram(dir: &TempDir, name: &str) -> (UnixDatagram, PathBuf) {
        let path = dir.join(name);
        let socket = UnixDatagram::bind(&path).expect("binding a fresh path works");
        socket
            .set_read_timeout(Some(DEADLINE))
            .expect("a non-zero timeout is accepted");
        (socket, path)
    }

    /// How a test names a Unix datagram address (it has no `==`): its path, if any.
    pub fn path_of(addr: &unix::SocketAddr) -> Option<PathBuf> {
        addr.as_pathname().map(PathBuf::from)
    }
}

mod packet_conn {
    use std::net::{SocketAddr, UdpSocket};
    use std::os::unix::net::UnixDatagram;
    use std::time::Duration;

    use netlings::fixtures::loopback::is_timeout;
    use netlings::harness::{DEADLINE, expect_eq, within};
    use netlings::support::tempdir::TempDir;

    use crate::sockets::{path_of, udp, unixgram};
    use crate::steps::packet_conn::PacketConn;

    #[test]
    fn a_unix_datagram_socket_knows_its_path() {
        let dir = TempDir::new("packet").expect("a temporary directory can be made");
        let (socket, path) = unixgram(&dir, "me.sock");
        let got = within(
            "packet-conn",
            "PacketConn::local_addr of a UnixDatagram",
            DEADLINE,
            move || {
                PacketConn::local_addr(&socket)
                    .map(|a| path_of(&a))
                    .map_err(|e| e.to_string())
            },
        );
        expect_eq(
            "UnixDatagram as PacketConn: local_addr()'s path",
            got,
            Ok(Some(path)),
        );
    }

    /// Sends "ping" from `a` to `b` and "pong" back, using only the trait. Returns what each side
    /// received and the sender address `b` saw, as `key` renders it.
    fn ping_pong<P, K>(a: P, b: P, key: fn(&P::Addr) -> K) -> (String, String, K, K)
    where
        P: PacketConn + Send + 'static,
        K: Send + 'static,
    {
        within(
            "packet-conn",
            "a ping and a pong through PacketConn",
            DEADLINE,
            move || {
                PacketConn::set_read_timeout(&a, Some(DEADLINE))
                    .expect("PacketConn::set_read_timeout");
                PacketConn::set_read_timeout(&b, Some(DEADLINE))
                    .expect("PacketConn::set_read_timeout");
                let b_addr =
                    PacketConn::local_addr(&b).expect("PacketConn::local_addr of the receiver");
                let a_addr =
                    PacketConn::local_addr(&a).expect("PacketConn::local_addr of the sender");
                PacketConn::send_to(&a, b"ping", &b_addr).expect("PacketConn::send_to");
                let mut buf = [0; 64];
                let (n, from) = PacketConn::recv_from(&b, &mut buf).expect("PacketConn::recv_from");
                let ping = String::from_utf8_lossy(&buf[..n]).into_owned();
                PacketConn::send_to(&b, b"pong", &from)
                    .expect("PacketConn::send_to back to the sender");
                let (n, _) = PacketConn::recv_from(&a, &mut buf)
                    .expect("PacketConn::recv_from of the answer");
                (
                    ping,
                    String::from_utf8_lossy(&buf[..n]).into_owned(),
                    key(&from),
                    key(&a_addr),
                )
            },
        )
    }

    #[test]
    fn a_udp_socket_is_a_packet_conn() {
        let (ping, pong, from, sender) = ping_pong(udp(), udp(), |a: &SocketAddr| *a);
        expect_eq(
            "UdpSocket as PacketConn: what recv_from got",
            ping,
            "ping".to_string(),
        );
        expect_eq(
            "UdpSocket as PacketConn: the answer sent back with send_to",
            pong,
            "pong".to_string(),
        );
        expect_eq(
            "UdpSocket as PacketConn: the sender recv_from reported (= the sender's local_addr)",
            from,
            sender,
        );
    }

    #[test]
    fn a_unix_datagram_socket_is_a_packet_conn() {
        let dir = TempDir::new("packet").expect("a temporary directory can be made");
        let (a, a_path) = unixgram(&dir, "a.sock");
        let (b, _) = unixgram(&dir, "b.sock");
        let (ping, pong, from, sender) = ping_pong(a, b, path_of);
        expect_eq(
            "UnixDatagram as PacketConn: what recv_from got",
            ping,
            "ping".to_string(),
        );
        expect_eq(
            "UnixDatagram as PacketConn: the answer sent back with send_to",
            pong,
            "pong".to_string(),
        );
        expect_eq(
            "UnixDatagram as PacketConn: the sender's path recv_from reported",
            from,
            Some(a_path.clone()),
        );
        expect_eq(
            "UnixDatagram as PacketConn: local_addr's path",
            sender,
            Some(a_path),
        );
    }

    /// Checks that `PacketConn::set_read_timeout` reaches the socket: a read on an idle socket
    /// must give up after 50 ms instead of waiting for a datagram that never comes.
    fn check_read_timeout<P: PacketConn + Send + 'static>(what: &str, socket: P) {
        let waiting_for = format!("{what}: recv_from to give up after set_read_timeout(50 ms)");
        let result = within("packet-conn", &waiting_for, DEADLINE, move || {
            PacketConn::set_read_timeout(&socket, Some(Duration::from_millis(50)))?;
            let mut buf = [0; 16];
            PacketConn::recv_from(&socket, &mut buf).map(|(n, _)| n)
        });
        match result {
            Err(e) if is_timeout(&e) => {}
            other => panic!(
                "[packet] {what}: recv_from on an idle socket after set_read_timeout(50 ms) should \
             fail with a timeout (WouldBlock), got {other:?}"
            ),
        }
    }

    #[test]
    fn set_read_timeout_reaches_the_socket() {
        let socket = UdpSocket::bind("127.0.0.1:0").expect("binding 127.0.0.1:0 always works");
        check_read_timeout("UdpSocket as PacketConn", socket);
        let dir = TempDir::new("packet").expect("a temporary directory can be made");
        let socket = UnixDatagram::bind(dir.join("idle.sock")).expect("binding a fresh path works");
        check_read_timeout("UnixDatagram as PacketConn", socket);
    }
}

mod packet_echo {
    use std::io;
    use std::net::UdpSocket;
    use std::os::unix::net::{self as unix, UnixDatagram};
    use std::time::{Duration, Instant};

    use netlings::fixtures::loopback::{Background, SharedLog, is_timeout};
    use netlings::fixtures::spoof::{
        NoisyStranger, udp_answer_after_stranger, unix_answer_after_stranger,
    };
    use netlings::given::packet::packet_conn::PacketConn;
    use netlings::harness::{DEADLINE, expect_eq, within};
    use netlings::support::tempdir::TempDir;

    use crate::sockets::{path_of, udp, unixgram};
    use crate::steps::packet_echo as packet;

    #[test]
    fn echo_once_is_one_function_for_udp_and_unix_datagrams() {
        // UDP
        let (server, client) = (udp(), udp());
        let to = server.local_addr().unwrap();
        client.send_to(b"over udp", to).unwrap();
        let (n, from) = within("packet-echo", "echo_once over UDP", DEADLINE, move || {
            packet::echo_once(&server)
        })
        .unwrap_or_else(|e| panic!("echo_once over UDP failed: {e}"));
        expect_eq(
            "echo_once over UDP: (length, sender)",
            (n, from),
            (8, client.local_addr().unwrap()),
        );
        let mut buf = [0; 64];
        let (n, _) = client.recv_from(&mut buf).expect("the echo over UDP");
        expect_eq("echo_once over UDP: the echo", &buf[..n], &b"over udp"[..]);

        // An empty datagram is a message too, not an end of file.
        let server = udp();
        client.send_to(b"", server.local_addr().unwrap()).unwrap();
        let (n, _) = within(
            "packet-echo",
            "echo_once of an empty datagram",
            DEADLINE,
            move || packet::echo_once(&server),
        )
        .unwrap_or_else(|e| panic!("echo_once of an empty datagram failed: {e}"));
        expect_eq("echo_once of an empty datagram: length", n, 0);
        let got = client.recv_from(&mut buf).map(|(n, _)| n);
        expect_eq(
            "the echo of an empty datagram (an empty datagram back, not silence)",
            got.map_err(|e| e.kind()),
            Ok(0),
        );

        // Unix datagrams: the very same function
        let dir = TempDir::new("packet").expect("a temporary directory can be made");
        let (server, server_path) = unixgram(&dir, "server.sock");
        let (client, client_path) = unixgram(&dir, "client.sock");
        client.send_to(b"over unix", &server_path).unwrap();
        let (n, from) = within(
            "packet-echo",
            "echo_once over a Unix datagram socket",
            DEADLINE,
            move || packet::echo_once(&server).map(|(n, from)| (n, path_of(&from))),
        )
        .unwrap_or_else(|e| panic!("echo_once over a Unix datagram socket failed: {e}"));
        expect_eq(
            "echo_once over unixgram: (length, sender's path)",
            (n, from),
            (9, Some(client_path)),
        );
        let n = client.recv(&mut buf).expect("the echo over unixgram");
        expect_eq(
            "echo_once over unixgram: the echo",
            &buf[..n],
            &b"over unix"[..],
        );
    }

    #[test]
    fn echo_once_cuts_a_datagram_longer_than_its_buffer() {
        let (server, client) = (udp(), udp());
        let to = server.local_addr().unwrap();
        let long: Vec<u8> = (0..3000u32).map(|i| (i % 251) as u8).collect();
        client.send_to(&long, to).unwrap();
        let (n, _) = within(
            "packet-echo",
            "echo_once of a 3000-byte datagram",
            DEADLINE,
            move || packet::echo_once(&server),
        )
        .unwrap_or_else(|e| panic!("echo_once failed: {e}"));
        expect_eq(
            "echo_once: bytes read from a 3000-byte datagram (BUF_SIZE = 2048)",
            n,
            packet::BUF_SIZE,
        );
        let mut buf = vec![0; 4096];
        let (n, _) = client.recv_from(&mut buf).expect("the echo");
        expect_eq(
            "the echo of a 3000-byte datagram: its first 2048 bytes",
            buf[..n].to_vec(),
            long[..2048].to_vec(),
        );
    }

    /// Waits for one datagram through `recv` (a socket whose read timeout is short) while
    /// checking that `server` still runs, for at most [`DEADLINE`].
    fn recv_alive(
        server: &mut Background,
        what: &str,
        mut recv: impl FnMut(&mut [u8]) -> io::Result<usize>,
    ) -> Vec<u8> {
        let start = Instant::now();
        let mut buf = [0; 256];
        loop {
            server.check_alive();
            match recv(&mut buf) {
                Ok(n) => return buf[..n].to_vec(),
                Err(e) if is_timeout(&e) && start.elapsed() < DEADLINE => continue,
                Err(e) => panic!("[packet] no answer within {DEADLINE:?}: {what} ({e})"),
            }
        }
    }

    const POLL: Option<Duration> = Some(Duration::from_millis(200));

    #[test]
    fn serve_echo_answers_interleaved_udp_clients_each_with_its_own_datagram() {
        let server = udp();
        let to = server.local_addr().unwrap();
        let mut running = Background::spawn("packet-echo", "serve_echo over UDP", move || {
            packet::serve_echo(&server, &mut io::sink())
        });
        let clients: Vec<UdpSocket> = (0..3).map(|_| udp()).collect();
        for (i, c) in clients.iter().enumerate() {
            c.send_to(format!("udp client {i}").as_bytes(), to).unwrap();
        }
        for (i, c) in clients.iter().enumerate().rev() {
            c.set_read_timeout(POLL).unwrap();
            let got = recv_alive(&mut running, &format!("the echo for udp client {i}"), |b| {
                c.recv(b)
            });
            expect_eq(
                format!("the echo udp client {i} got"),
                String::from_utf8_lossy(&got).into_owned(),
                format!("udp client {i}"),
            );
        }
    }

    #[test]
    fn serve_echo_answers_interleaved_unix_clients_each_with_its_own_datagram() {
        let dir = TempDir::new("packet").expect("a temporary directory can be made");
        let (server, server_path) = unixgram(&dir, "server.sock");
        let mut running = Background::spawn("packet-echo", "serve_echo over unixgram", move || {
            packet::serve_echo(&server, &mut io::sink())
        });
        let clients: Vec<UnixDatagram> = (0..3)
            .map(|i| unixgram(&dir, &format!("c{i}.sock")).0)
            .collect();
        for (i, c) in clients.iter().enumerate() {
            c.send_to(format!("unix client {i}").as_bytes(), &server_path)
                .unwrap();
        }
        for (i, c) in clients.iter().enumerate().rev() {
            c.set_read_timeout(POLL).unwrap();
            let got = recv_alive(
                &mut running,
                &format!("the echo for unix client {i}"),
                |b| c.recv(b),
            );
            expect_eq(
                format!("the echo unix client {i} got"),
                String::from_utf8_lossy(&got).into_owned(),
                format!("unix client {i}"),
            );
        }
    }

    #[test]
    fn serve_echo_survives_a_unix_client_it_cannot_answer() {
        let dir = TempDir::new("packet").expect("a temporary directory can be made");
        let (server, server_path) = unixgram(&dir, "server.sock");
        let log = SharedLog::default();
        let mut server_log = log.clone();
        let mut running = Background::spawn("packet-echo", "serve_echo over unixgram", move || {
            packet::serve_echo(&server, &mut server_log)
        });
        // A client that never bound a path: the server gets its datagram but has no address to
        // answer to, so its send fails.
        let anonymous = UnixDatagram::unbound().expect("an unbound socket can be made");
        anonymous.send_to(b"who am I?", &server_path).unwrap();
        let (named, _) = unixgram(&dir, "named.sock");
        if let Err(e) = named.send_to(b"still there?", &server_path) {
            running.explain_failure(&format!(
                "serve_echo's socket is gone after a datagram it could not answer ({e})"
            ));
        }
        named.set_read_timeout(POLL).unwrap();
        let got = recv_alive(
            &mut running,
            "the echo for a client that sent after the unanswerable one",
            |b| named.recv(b),
        );
        expect_eq(
            "the echo after an unanswerable datagram",
            got,
            b"still there?".to_vec(),
        );
        let text = log.text();
        assert!(
            text.starts_with("echo: ") && text.contains("(still serving)"),
            "serve_echo should log the failed answer as `echo: <error> (still serving)`, logged: {text:?}"
        );
    }

    /// `request(conn, to, payload, timeout, log)` on its own thread with a deadline: the
    /// answer or the error's kind, and what it logged.
    fn request_with_log<P>(
        conn: P,
        to: P::Addr,
        payload: &'static [u8],
        timeout: Duration,
        what: &str,
    ) -> (Result<Vec<u8>, io::ErrorKind>, String)
    where
        P: PacketConn + Send + 'static,
        P::Addr: 'static,
    {
        within("packet-echo", what, DEADLINE, move || {
            let mut log = Vec::new();
            let got = packet::request(&conn, &to, payload, timeout, &mut log).map_err(|e| e.kind());
            (got, String::from_utf8_lossy(&log).into_owned())
        })
    }

    #[test]
    fn request_returns_the_servers_answer() {
        let (server, client) = (udp(), udp());
        let to = server.local_addr().unwrap();
        std::thread::spawn(move || {
            let mut buf = [0; 64];
            if let Ok((n, from)) = server.recv_from(&mut buf) {
                let mut answer = b"re: ".to_vec();
                answer.extend_from_slice(&buf[..n]);
                let _ = server.send_to(&answer, from);
            }
        });
        let (got, log) = request_with_log(client, to, b"hi", DEADLINE, "request() to a UDP server");
        expect_eq("request(\"hi\"): the answer", got, Ok(b"re: hi".to_vec()));
        expect_eq("request(\"hi\"): what it logged", log, String::new());
    }

    #[test]
    fn request_ignores_a_stranger_and_waits_for_the_server() {
        // A stranger's datagram arrives first, from another port: it is not the answer.
        let to =
            udp_answer_after_stranger(b"I am not your server".to_vec(), b"the answer".to_vec());
        let (got, log) = request_with_log(
            udp(),
            to,
            b"hello",
            DEADLINE,
            "request() while a stranger writes to the client before the server",
        );
        expect_eq(
            "request() over UDP when a stranger's datagram comes first (compare the sender with \
             `to`: PacketConn::same_addr)",
            got,
            Ok(b"the answer".to_vec()),
        );
        assert!(
            log.starts_with("ignored a datagram from 127.0.0.1:")
                && log.ends_with(&format!(": not from {to:?}\n")),
            "request() should log `ignored a datagram from {{from:?}}: not from {{to:?}}`, logged: {log:?}"
        );

        // The same over Unix datagrams: the stranger has a path of its own.
        let dir = TempDir::new("packet").expect("a temporary directory can be made");
        let path =
            unix_answer_after_stranger(&dir, b"me neither".to_vec(), b"unix answer".to_vec());
        let (client, _) = unixgram(&dir, "client.sock");
        let to = unix::SocketAddr::from_pathname(&path).expect("a short path");
        let (got, log) = request_with_log(
            client,
            to,
            b"hello",
            DEADLINE,
            "request() over unixgram while a stranger writes first",
        );
        expect_eq(
            "request() over unixgram when a stranger's datagram comes first",
            got,
            Ok(b"unix answer".to_vec()),
        );
        assert!(
            log.starts_with("ignored a datagram from ") && log.contains("stranger.sock"),
            "request() should log the stranger it ignored, logged: {log:?}"
        );
    }

    #[test]
    fn a_stranger_writing_all_the_time_does_not_extend_the_wait() {
        let stranger = NoisyStranger::start(b"noise");
        let to = stranger.addr();
        let started = Instant::now();
        let (got, _) = request_with_log(
            udp(),
            to,
            b"anyone?",
            Duration::from_millis(200),
            "request() with 200 ms while a stranger writes every 10 ms (give each recv_from only \
             the time left)",
        );
        let waited = started.elapsed();
        drop(stranger);
        assert!(
            matches!(got, Err(kind) if is_timeout(&io::Error::from(kind))),
            "request() when only a stranger writes: expected a timeout, got {got:?}"
        );
        assert!(
            waited < Duration::from_secs(2),
            "request() with a timeout of 200 ms took {waited:?}: strangers must not extend it"
        );
    }

    #[test]
    fn request_says_when_an_answer_was_cut() {
        let (server, client) = (udp(), udp());
        let to = server.local_addr().unwrap();
        let long: Vec<u8> = (0..3000u32).map(|i| (i % 251) as u8).collect();
        let answer = long.clone();
        std::thread::spawn(move || {
            let mut buf = [0; 64];
            if let Ok((_, from)) = server.recv_from(&mut buf) {
                let _ = server.send_to(&answer, from);
            }
        });
        let (got, log) = request_with_log(
            client,
            to,
            b"hi",
            DEADLINE,
            "request() of a 3000-byte answer",
        );
        expect_eq(
            "request(): a 3000-byte answer, cut to BUF_SIZE",
            got,
            Ok(long[..packet::BUF_SIZE].to_vec()),
        );
        expect_eq(
            "request(): what it logged about the cut (receive into BUF_SIZE + 1 bytes to know)",
            log,
            format!("the answer from {to:?} was cut to 2048 bytes\n"),
        );
    }
}

mod packet {
    use std::io;
    use std::os::unix::net::UnixDatagram;
    use std::process::{Child, Command, Stdio};

    use clap::Parser;
    use insta::assert_snapshot;
    use netlings::fixtures::loopback::Background;
    use netlings::fixtures::spoof::udp_answer_after_stranger;
    use netlings::given::packet::packet_echo::serve_echo;
    use netlings::harness::{DEADLINE, expect_eq, normalize, run_program};
    use netlings::support::tempdir::TempDir;

    use crate::sockets::{udp, unixgram};
    use crate::steps::packet;

    #[test]
    fn the_program_sends_over_udp_and_prints_the_echoes() {
        let server = udp();
        let to = server.local_addr().unwrap().to_string();
        let mut running = Background::spawn("packet", "serve_echo over UDP", move || {
            serve_echo(&server, &mut io::sink())
        });
        let transcript = run_program(
            "packet",
            &["packet", "send", "udp", &to, "hello", "world"],
            packet::run,
        );
        running.check_alive();
        assert_snapshot!(normalize(&transcript.to_string()));
    }

    #[test]
    fn the_program_sends_over_unix_datagrams_and_prints_the_echoes() {
        let dir = TempDir::new("packet").expect("a temporary directory can be made");
        let (server, path) = unixgram(&dir, "server.sock");
        let mut running = Background::spawn("packet", "serve_echo over unixgram", move || {
            serve_echo(&server, &mut io::sink())
        });
        let path = path.to_string_lossy().into_owned();
        let transcript = run_program(
            "packet",
            &["packet", "send", "unixgram", &path, "hello", "unix"],
            packet::run,
        );
        running.check_alive();
        assert_snapshot!(transcript.to_string().replace(&path, "[path]"));
    }

    #[test]
    fn the_program_gives_up_on_a_server_that_never_answers() {
        let silent = udp();
        let to = silent.local_addr().unwrap().to_string();
        let transcript = run_program(
            "packet",
            &[
                "packet",
                "send",
                "udp",
                &to,
                "anyone?",
                "--timeout-ms",
                "100",
            ],
            packet::run,
        );
        drop(silent);
        assert!(
            !transcript.success(),
            "no answer is an error:\n{transcript}"
        );
        assert_snapshot!(normalize(&transcript.to_string()));
    }

    #[test]
    fn the_program_explains_a_unix_path_that_is_taken() {
        let dir = TempDir::new("packet").expect("a temporary directory can be made");
        let path = dir.join("taken.sock");
        // A server killed by Ctrl-C leaves exactly this behind: a socket file nobody reads.
        drop(UnixDatagram::bind(&path).expect("binding a fresh path works"));
        let path = path.to_string_lossy().into_owned();
        let transcript = run_program(
            "packet",
            &["packet", "echo-server", "unixgram", &path],
            packet::run,
        );
        assert!(
            !transcript.success(),
            "a taken path is an error:\n{transcript}"
        );
        assert_snapshot!(transcript.to_string().replace(&path, "[path]"));
    }

    #[test]
    fn the_program_reports_an_unknown_network() {
        let transcript = run_program(
            "packet",
            &["packet", "echo-server", "tcp", "127.0.0.1:0"],
            packet::run,
        );
        assert!(
            !transcript.success(),
            "tcp is not a packet network:\n{transcript}"
        );
        assert_snapshot!(transcript);
    }

    #[test]
    fn the_program_prints_the_servers_answer_not_a_strangers() {
        let to =
            udp_answer_after_stranger(b"I am not your server".to_vec(), b"the answer".to_vec());
        let to = to.to_string();
        let transcript = run_program(
            "packet",
            &["packet", "send", "udp", &to, "hello"],
            packet::run,
        );
        assert!(
            transcript.stdout.ends_with("the answer\n") && !transcript.stdout.contains("not your"),
            "the stranger's datagram came first; only the server's is the answer:\n{transcript}"
        );
        assert_snapshot!(normalize(&transcript.to_string()));
    }

    #[test]
    fn the_program_refuses_a_message_longer_than_a_datagram() {
        let server = udp();
        let to = server.local_addr().unwrap().to_string();
        let long = "x".repeat(70_000);
        let transcript = run_program(
            "packet",
            &["packet", "send", "udp", &to, "short", &long],
            packet::run,
        );
        expect_eq(
            "the error for a 70000-byte message over UDP (say which, its size and the limit)",
            normalize(&transcript.stderr),
            "error: message 2 is 70000 bytes: one datagram to 127.0.0.1:[port] carries at most 65507"
                .to_string(),
        );
    }

    /// Set in the child process of the test below: the server's path.
    const CHILD_SERVER: &str = "NETLINGS_TEST_PACKET_SERVER";

    /// A child process that is killed when the test ends, however it ends.
    struct Killed(Child);

    impl Drop for Killed {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }

    #[test]
    fn a_killed_unixgram_client_leaves_nothing_behind() {
        if let Ok(server) = std::env::var(CHILD_SERVER) {
            // The child: the program, waiting for an answer that never comes, until killed.
            let argv = [
                "packet",
                "send",
                "unixgram",
                &server,
                "hello",
                "--timeout-ms",
                "20000",
            ];
            let args = packet::Args::try_parse_from(argv).expect("good arguments");
            let _ = packet::run(args, &mut io::sink());
            return;
        }
        let dir = TempDir::new("packet").expect("a temporary directory can be made");
        let tmp = dir.join("tmp");
        std::fs::create_dir(&tmp).expect("a fresh directory can be made");
        let (server, path) = unixgram(&dir, "server.sock");
        // The same test, in a child process of this test binary, with its own TMPDIR.
        let child = Command::new(std::env::current_exe().expect("the test binary's path"))
            .args([
                "--exact",
                "packet::a_killed_unixgram_client_leaves_nothing_behind",
            ])
            .args(["--test-threads", "1", "--quiet"])
            .env(CHILD_SERVER, &path)
            .env("TMPDIR", &tmp)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the test binary can run again");
        let mut child = Killed(child);
        // Its request says the client's socket is bound and waiting for an answer.
        let mut buf = [0; 64];
        let got = server.recv_from(&mut buf).map(|(n, _)| buf[..n].to_vec());
        expect_eq(
            format!(
                "the request of `packet send unixgram` in a child process, within {DEADLINE:?}"
            ),
            got.map_err(|e| e.kind()),
            Ok(b"hello".to_vec()),
        );
        // SIGKILL: no handler runs, no destructor, nothing the program could clean up with.
        let _ = child.0.kill();
        let _ = child.0.wait();
        let left: Vec<_> = std::fs::read_dir(&tmp)
            .expect("the child's TMPDIR is readable")
            .filter_map(|e| e.ok().map(|e| e.file_name()))
            .collect();
        expect_eq(
            "files the killed client left in its TMPDIR (bind an abstract address on Linux: \
             support::unixgram::bind_client)",
            left,
            vec![],
        );
    }
}
