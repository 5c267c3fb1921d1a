//! Grading tests for chapter 6, a TCP client: one module per step, in course order.
//! `cargo test --test ch06_tcp_client` runs them against `exercises/ch06_tcp_client/`, and with
//! `--features solutions` against `solutions/ch06_tcp_client/`.
//!
//! The servers are fixtures on 127.0.0.1 (`netlings::fixtures::http`) that answer in 7-byte
//! pieces, so a client that takes one `read` for the whole reply fails here.

// BEGIN STEPS
// The steps under test: `exercises/ch06_tcp_client/`, or `solutions/ch06_tcp_client/` with `--features solutions`.
// Generated from the catalog by `cargo dev update`. A step's `main` and the helpers its tests do
// not call are unused here, hence `allow(dead_code)`.
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch06_tcp_client/1_dial_tcp.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ch06_tcp_client/1_dial_tcp.rs"
)]
#[allow(dead_code)]
pub mod step1_dial_tcp;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch06_tcp_client/2_get_head_info.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ch06_tcp_client/2_get_head_info.rs"
)]
#[allow(dead_code)]
pub mod step2_get_head_info;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch06_tcp_client/3_tcp_client.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ch06_tcp_client/3_tcp_client.rs"
)]
#[allow(dead_code)]
pub mod step3_tcp_client;
mod steps {
    pub use super::step1_dial_tcp as dial_tcp;
    pub use super::step2_get_head_info as get_head_info;
    pub use super::step3_tcp_client as tcp_client;
}
// END STEPS

mod dial_tcp {
    use std::io;
    use std::net::SocketAddr;
    use std::panic::{self, AssertUnwindSafe};
    use std::sync::mpsc;
    use std::thread;
    use std::time::{Duration, Instant};

    use insta::assert_snapshot;
    use netlings::harness::{DEADLINE, Table, expect_eq, panic_message, tcp_listener, within};

    use crate::steps::dial_tcp;

    const STEP: &str = "dial-tcp";

    /// An address nobody listens on: bind a port, then close it.
    pub fn closed_port() -> SocketAddr {
        let listener = tcp_listener();
        listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    #[test]
    fn resolve_tcp_addr_accepts_an_ipv4_address_and_port() {
        expect_eq(
            "resolve_tcp_addr(\"127.0.0.1:80\")",
            dial_tcp::resolve_tcp_addr("127.0.0.1:80").map_err(|e| e.kind()),
            Ok("127.0.0.1:80".parse().expect("a valid socket address")),
        );
    }

    #[test]
    fn resolve_tcp_addr_keeps_the_first_ipv4_address() {
        let mut table = Table::new();
        for service in [
            "127.0.0.1:80",
            "127.0.0.1:0",
            "localhost:8080",
            "[::1]:80",
            "127.0.0.1",
            "127.0.0.1:http",
            "1.2.3.4:99999",
            "",
        ] {
            table.row(format!("resolve_tcp_addr({service:?})"), || {
                dial_tcp::resolve_tcp_addr(service).map_err(|e| e.kind())
            });
        }
        assert_snapshot!(table);
    }

    #[test]
    fn dial_tcp_connects_and_sets_both_timeouts() {
        let listener = tcp_listener();
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        let timeout = Duration::from_millis(1500);
        let conn = within(
            STEP,
            "dial_tcp to connect to a listening socket",
            DEADLINE,
            move || dial_tcp::dial_tcp(addr, timeout),
        );
        let conn = conn.unwrap_or_else(|e| panic!("dial_tcp({addr}, {timeout:?}) failed: {e}"));
        // The handshake is over when `connect` returns, so the connection is already queued; a
        // non-blocking accept fails at once instead of hanging if dial_tcp connected elsewhere.
        listener
            .set_nonblocking(true)
            .expect("a listener can be made non-blocking");
        let (_, peer) = listener.accept().unwrap_or_else(|e| {
            panic!("dial_tcp({addr}) returned, but no connection reached {addr}: {e}")
        });
        expect_eq(
            "the server's view of the client",
            conn.local_addr().ok(),
            Some(peer),
        );
        expect_eq(
            "dial_tcp(..).read_timeout()",
            conn.read_timeout().ok(),
            Some(Some(timeout)),
        );
        expect_eq(
            "dial_tcp(..).write_timeout()",
            conn.write_timeout().ok(),
            Some(Some(timeout)),
        );
    }

    #[test]
    fn dial_tcp_reports_a_refused_connection_at_once() {
        let addr = closed_port();
        let started = Instant::now();
        let result = within(STEP, "dial_tcp to a closed port", DEADLINE, move || {
            dial_tcp::dial_tcp(addr, Duration::from_secs(3)).map(|_| ())
        });
        expect_eq(
            format!("dial_tcp({addr}) with nothing listening: the error kind"),
            result.map_err(|e| e.kind()),
            Err(io::ErrorKind::ConnectionRefused),
        );
        // On loopback the kernel answers a SYN to a closed port with RST straight away.
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "dial_tcp took {:?} to report a refused connection: it should fail as soon as the RST arrives",
            started.elapsed()
        );
    }

    #[test]
    fn dial_tcp_gives_up_connecting_after_the_timeout() {
        let full = match netlings::harness::full_listener() {
            Ok(full) => full,
            Err(why) => {
                return netlings::harness::skip(&why);
            }
        };
        let addr = full.addr;
        let timeout = Duration::from_millis(300);
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let started = Instant::now();
            let result = panic::catch_unwind(AssertUnwindSafe(|| {
                dial_tcp::dial_tcp(addr, timeout).map(|_| ())
            }));
            let _ = tx.send((result, started.elapsed()));
        });
        let (result, elapsed) = match rx.recv_timeout(DEADLINE) {
            Ok((Ok(result), elapsed)) => (result, elapsed),
            Ok((Err(payload), _)) => panic!(
                "[{STEP}] dial_tcp panicked: {}",
                panic_message(payload.as_ref())
            ),
            Err(_) => panic!(
                "[{STEP}] dial_tcp({addr}, {timeout:?}) was still connecting after {DEADLINE:?} to \
             a server that answers no SYN. A plain `connect` waits for the kernel's SYN retries \
             (over two minutes on Linux): use `TcpStream::connect_timeout`"
            ),
        };
        expect_eq(
            format!(
                "dial_tcp({addr}, {timeout:?}) to a server that answers no SYN: the error kind"
            ),
            result.map_err(|e| e.kind()),
            Err(io::ErrorKind::TimedOut),
        );
        assert!(
            elapsed < timeout + Duration::from_secs(1),
            "dial_tcp({addr}, {timeout:?}) gave up only after {elapsed:?}"
        );
    }
}

mod get_head_info {
    use std::io::{self, Read, Write};
    use std::net::TcpStream;

    use netlings::fixtures::hostile::{HostileServer, Request};
    use netlings::fixtures::http::{HEAD_RESPONSE, HttpServer};
    use netlings::harness::{DEADLINE, expect_eq, within};
    use netlings::support::exchange::Received;

    use crate::steps::get_head_info;

    const STEP: &str = "get-head-info";

    /// A limit far above anything the fixtures send when they behave.
    const ROOMY: u64 = 1 << 20;

    /// A connection to `addr` made by the test itself, with timeouts so a learner's function
    /// that waits for the wrong thing fails instead of hanging.
    fn connect(addr: std::net::SocketAddr) -> TcpStream {
        netlings::harness::tcp_client(STEP, addr)
    }

    /// What arrived, as text, and the kind of the error that ended it, if any.
    fn outcome(received: &Received) -> (String, Option<io::ErrorKind>) {
        (
            String::from_utf8_lossy(&received.bytes).into_owned(),
            received.error.as_ref().map(io::Error::kind),
        )
    }

    /// Explains how `got` differs from the reply the server sent, in full, with EOF.
    fn explain_reply(call: &str, got: &Received, expected: &str) {
        let (text, _) = outcome(got);
        if let Some(e) = &got.error {
            panic!(
                "{call} ended with an error after {} bytes, on a server that sent {} bytes and \
                 closed: {e}\n(`Interrupted` means: try the call again; `read_to_end` and \
                 `write_all` do)",
                got.bytes.len(),
                expected.len()
            );
        }
        let got = text.as_str();
        if got == expected {
            return;
        }
        if got.starts_with("HTTP/1.0 400") && !expected.starts_with("HTTP/1.0 400") {
            panic!(
                "{call}: the server answered 400 Bad Request, so the request it received was not \
             exactly `HEAD / HTTP/1.0` followed by an empty line (`\\r\\n\\r\\n`); send \
             HEAD_REQUEST, all of it.\n     got: {got:?}"
            );
        }
        if !got.is_empty() && expected.starts_with(got) {
            panic!(
                "{call} returned only the first {} of the {} bytes the server sent.\n\
             TCP delivers bytes, not messages: the server wrote its reply in pieces. Keep reading \
             until `read` returns 0 (EOF, the server closed), e.g. with `read_to_end`.\n     got: {got:?}",
                got.len(),
                expected.len()
            );
        }
        expect_eq(call, got, expected);
    }

    #[test]
    fn get_head_info_sends_exactly_a_head_request() {
        let server = HttpServer::start();
        let mut conn = connect(server.addr());
        let _ = within(
            STEP,
            "get_head_info to read the reply until EOF",
            DEADLINE,
            move || get_head_info::get_head_info(&mut conn, ROOMY),
        );
        expect_eq(
            "the request lines the HTTP server received from get_head_info (a request head ends with an empty line, \\r\\n\\r\\n)",
            server.request_lines(),
            vec!["HEAD / HTTP/1.0".to_string()],
        );
    }

    #[test]
    fn get_head_info_returns_the_whole_reply_sent_in_pieces() {
        let server = HttpServer::start();
        let mut conn = connect(server.addr());
        let reply = within(
            STEP,
            "get_head_info to read the reply until EOF",
            DEADLINE,
            move || get_head_info::get_head_info(&mut conn, ROOMY),
        );
        explain_reply("get_head_info (over TCP)", &reply, HEAD_RESPONSE);
    }

    /// A stream that takes at most 4 bytes per `write` and gives at most 3 per `read`, and now and
    /// then fails a call with `Interrupted` (a signal arrived): what a real socket may do to you.
    /// After its input it returns EOF, or the error `end`.
    struct Trickle {
        input: Vec<u8>,
        at: usize,
        sent: Vec<u8>,
        calls: u32,
        end: Option<io::ErrorKind>,
    }

    impl Trickle {
        fn new(input: &[u8]) -> Self {
            Self {
                input: input.to_vec(),
                at: 0,
                sent: Vec::new(),
                calls: 0,
                end: None,
            }
        }
    }

    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.calls += 1;
            if self.calls.is_multiple_of(5) {
                return Err(io::ErrorKind::Interrupted.into());
            }
            if self.at == self.input.len()
                && let Some(kind) = self.end
            {
                return Err(kind.into());
            }
            let n = buf.len().min(3).min(self.input.len() - self.at);
            buf[..n].copy_from_slice(&self.input[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    impl Write for Trickle {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.calls += 1;
            if self.calls.is_multiple_of(5) {
                return Err(io::ErrorKind::Interrupted.into());
            }
            let n = buf.len().min(4);
            self.sent.extend_from_slice(&buf[..n]);
            Ok(n)
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn get_head_info_survives_short_writes_short_reads_and_interruptions() {
        let (reply, sent) = within(
            STEP,
            "get_head_info on a stream that moves 3 or 4 bytes a call",
            DEADLINE,
            || {
                let mut stream = Trickle::new(HEAD_RESPONSE.as_bytes());
                let reply = get_head_info::get_head_info(&mut stream, ROOMY);
                (reply, String::from_utf8_lossy(&stream.sent).into_owned())
            },
        );
        // This stream takes at most 4 bytes a write: a longer prefix is a request cut short.
        if sent.len() <= 4 && get_head_info::HEAD_REQUEST.starts_with(sent.as_bytes()) {
            panic!(
                "get_head_info sent only {sent:?}: `write` may accept part of the buffer and returns \
             how much it took. Use `write_all`, which loops until every byte is written."
            );
        }
        expect_eq(
            "the bytes get_head_info wrote",
            sent.as_str(),
            "HEAD / HTTP/1.0\r\n\r\n",
        );
        explain_reply("get_head_info (3 bytes a read)", &reply, HEAD_RESPONSE);
    }

    #[test]
    fn daytime_reads_until_the_server_closes() {
        let text = "Tuesday, November 24, 2026 01:02:03-UTC\r\n";
        let server = HttpServer::daytime(text);
        let mut conn = connect(server.addr());
        let got = within(STEP, "daytime to read until EOF", DEADLINE, move || {
            get_head_info::daytime(&mut conn, ROOMY)
        });
        explain_reply("daytime", &got, text);
    }

    #[test]
    fn daytime_reads_every_piece_of_a_reply_that_trickles_in() {
        let text = "Tuesday, November 24, 2026 01:02:03-UTC\r\n";
        let got = within(
            STEP,
            "daytime on a stream that gives 3 bytes a read",
            DEADLINE,
            move || get_head_info::daytime(&mut Trickle::new(text.as_bytes()), ROOMY),
        );
        explain_reply("daytime (3 bytes a read)", &got, text);
    }

    // ---------------------------------------------------------------------------------------------
    // Servers that misbehave

    /// A stream that would send `len` bytes if asked, and counts how many it was asked for:
    /// a server that floods.
    struct Flood {
        len: u64,
        given: u64,
    }

    impl Read for Flood {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = (buf.len() as u64).min(self.len - self.given) as usize;
            buf[..n].fill(b'x');
            self.given += n as u64;
            Ok(n)
        }
    }

    #[test]
    fn read_reply_stops_reading_one_byte_past_the_limit() {
        let limit = 64 * 1024;
        let (reply, given) = within(
            STEP,
            "read_reply on a stream of 16 MiB with a limit of 64 KiB",
            DEADLINE,
            move || {
                let mut flood = Flood {
                    len: 16 << 20,
                    given: 0,
                };
                let reply = get_head_info::read_reply(&mut flood, limit);
                (outcome(&reply), flood.given)
            },
        );
        // One byte past the limit is enough to tell; a read buffer's worth is tolerated.
        assert!(
            given <= limit + 64 * 1024,
            "read_reply(a server that sends 16 MiB, limit {limit}) read {given} bytes from it: \
             it must stop right after the limit (one byte past it tells a longer reply: \
             `Read::take(limit + 1)`), or the server decides how much memory the client takes"
        );
        let (text, kind) = reply;
        expect_eq(
            format!(
                "read_reply(a server that sends 16 MiB, limit {limit}): how many bytes it returned"
            ),
            text.len() as u64,
            limit,
        );
        expect_eq(
            format!("read_reply(a server that sends 16 MiB, limit {limit}): the error kind"),
            kind,
            Some(io::ErrorKind::InvalidData),
        );
    }

    #[test]
    fn read_reply_says_the_reply_is_longer_than_the_limit() {
        let got = within(STEP, "read_reply on 11 bytes, limit 10", DEADLINE, || {
            let reply = get_head_info::read_reply(&mut &b"0123456789!"[..], 10);
            (
                String::from_utf8_lossy(&reply.bytes).into_owned(),
                reply.error.map(|e| (e.kind(), e.to_string())),
            )
        });
        expect_eq(
            "read_reply(b\"0123456789!\", 10)",
            got,
            (
                "0123456789".to_string(),
                Some((
                    io::ErrorKind::InvalidData,
                    "the reply is longer than 10 bytes".to_string(),
                )),
            ),
        );
    }

    #[test]
    fn read_reply_accepts_a_reply_of_exactly_the_limit() {
        let got = within(STEP, "read_reply on 10 bytes, limit 10", DEADLINE, || {
            outcome(&get_head_info::read_reply(&mut &b"0123456789"[..], 10))
        });
        expect_eq(
            "read_reply(b\"0123456789\", 10)",
            got,
            ("0123456789".to_string(), None),
        );
    }

    #[test]
    fn read_reply_keeps_what_arrived_before_an_error() {
        let got = within(
            STEP,
            "read_reply on a stream that resets after 9 bytes",
            DEADLINE,
            || {
                let mut stream = Trickle::new(b"HTTP/1.0 ");
                stream.end = Some(io::ErrorKind::ConnectionReset);
                outcome(&get_head_info::read_reply(&mut stream, ROOMY))
            },
        );
        expect_eq(
            "read_reply on a stream that gives `HTTP/1.0 ` (3 bytes a read), then fails with \
             ConnectionReset (what arrived is part of the answer: keep it, with the error)",
            got,
            (
                "HTTP/1.0 ".to_string(),
                Some(io::ErrorKind::ConnectionReset),
            ),
        );
    }

    #[test]
    fn get_head_info_keeps_what_arrived_before_a_reset() {
        let partial = b"HTTP/1.0 200 OK\r\nServ";
        let server =
            HostileServer::reset_after(partial, Request::Bytes(get_head_info::HEAD_REQUEST.len()));
        let mut conn = connect(server.addr());
        let got = within(
            STEP,
            "get_head_info from a server that resets halfway",
            DEADLINE,
            move || outcome(&get_head_info::get_head_info(&mut conn, ROOMY)),
        );
        expect_eq(
            "get_head_info from a server that sends 21 bytes of its reply, then resets",
            got,
            (
                String::from_utf8_lossy(partial).into_owned(),
                Some(io::ErrorKind::ConnectionReset),
            ),
        );
    }

    #[test]
    fn get_head_info_reads_no_more_than_the_limit_from_a_server_that_floods() {
        let server =
            HostileServer::flood(8 << 20, Request::Bytes(get_head_info::HEAD_REQUEST.len()));
        let mut conn = connect(server.addr());
        let limit = 10_000;
        let (text, kind) = within(
            STEP,
            "get_head_info from a server that sends 8 MiB",
            DEADLINE,
            move || outcome(&get_head_info::get_head_info(&mut conn, limit)),
        );
        expect_eq(
            format!("get_head_info(a server that sends 8 MiB, limit {limit}): the bytes returned"),
            text.len(),
            limit as usize,
        );
        expect_eq(
            format!("get_head_info(a server that sends 8 MiB, limit {limit}): the error kind"),
            kind,
            Some(io::ErrorKind::InvalidData),
        );
    }

    /// A stream that refuses every write, as a connection the server already reset does.
    struct Refusing {
        reads: u32,
    }

    impl Read for Refusing {
        fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
            self.reads += 1;
            Ok(0)
        }
    }

    impl Write for Refusing {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::ErrorKind::BrokenPipe.into())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn get_head_info_reads_nothing_when_the_request_cannot_be_sent() {
        let got = within(
            STEP,
            "get_head_info on a stream that refuses writes",
            DEADLINE,
            || {
                let mut stream = Refusing { reads: 0 };
                let reply = get_head_info::get_head_info(&mut stream, ROOMY);
                (outcome(&reply), stream.reads)
            },
        );
        expect_eq(
            "get_head_info on a stream whose writes fail with BrokenPipe: (what it returned, the \
             reads it made)",
            got,
            ((String::new(), Some(io::ErrorKind::BrokenPipe)), 0),
        );
    }
}

mod tcp_client {
    use std::time::{Duration, Instant};

    use insta::assert_snapshot;
    use netlings::fixtures::hostile::{HostileServer, Request};
    use netlings::fixtures::http::{HEAD_RESPONSE, HttpServer};
    use netlings::harness::{
        DEADLINE, Transcript, expect_eq, normalize, run_program, tcp_listener, within,
    };

    use crate::dial_tcp::closed_port;
    use crate::steps::tcp_client;

    const STEP: &str = "tcp-client";

    #[test]
    fn connect_reaches_a_listening_server_with_both_timeouts() {
        let listener = tcp_listener();
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        let service = addr.to_string();
        let timeout = Duration::from_millis(1500);
        let call = format!("connect({service:?}, {timeout:?})");
        let conn = within(STEP, "connect to a listening server", DEADLINE, move || {
            tcp_client::connect(&service, timeout).map_err(|e| e.to_string())
        })
        .unwrap_or_else(|e| panic!("{call} failed: {e}"));
        // The handshake is over, so the connection is queued: a non-blocking accept finds it.
        listener
            .set_nonblocking(true)
            .expect("a listener can be made non-blocking");
        let (_, peer) = listener
            .accept()
            .unwrap_or_else(|e| panic!("{call} returned, but no connection reached {addr}: {e}"));
        expect_eq(
            format!("{call}: the server's view of the client"),
            conn.local_addr().ok(),
            Some(peer),
        );
        expect_eq(
            format!("{call}.read_timeout() (use dial_tcp)"),
            conn.read_timeout().ok(),
            Some(Some(timeout)),
        );
    }

    /// What `connect(service, 1 s)` says, as text, or `Ok` if it connected.
    fn connect_error(service: &str) -> Result<(), String> {
        let service = service.to_string();
        within(STEP, "connect to give up", DEADLINE, move || {
            tcp_client::connect(&service, Duration::from_secs(1))
                .map(drop)
                .map_err(|e| e.to_string())
        })
    }

    #[test]
    fn connect_says_the_name_could_not_be_resolved() {
        expect_eq(
            "connect(\"127.0.0.1\", 1s), a service without a port",
            connect_error("127.0.0.1"),
            Err("cannot resolve \"127.0.0.1\": invalid socket address".to_string()),
        );
    }

    #[test]
    fn connect_says_which_address_refused() {
        let addr = closed_port();
        let got = connect_error(&addr.to_string());
        let prefix = format!("cannot connect to {addr}: ");
        assert!(
            got.as_ref()
                .is_err_and(|e| e.starts_with(&prefix) && e.contains("refused")),
            "connect({:?}, 1s) with nothing listening there\n  expected: Err(\"{prefix}Connection refused ...\")\n       got: {got:?}",
            addr.to_string()
        );
    }

    /// Makes a transcript deterministic and readable: ports become `[port]`, CR becomes `\r`.
    fn snapshot_text(mut transcript: Transcript) -> String {
        transcript.stdout = transcript.stdout.replace('\r', "\\r");
        normalize(&transcript.to_string())
    }

    #[test]
    fn program_prints_the_head_reply() {
        let server = HttpServer::start();
        let service = server.addr().to_string();
        let transcript = run_program(STEP, &["tcp-client", "head", &service], tcp_client::run);
        assert!(
            transcript.success(),
            "`tcp-client head` against a working server:\n{transcript}"
        );
        assert_snapshot!(snapshot_text(transcript));
    }

    #[test]
    fn program_prints_the_daytime() {
        let server = HttpServer::daytime("Tuesday, November 24, 2026 01:02:03-UTC\r\n");
        let service = server.addr().to_string();
        let transcript = run_program(STEP, &["tcp-client", "daytime", &service], tcp_client::run);
        assert!(
            transcript.success(),
            "`tcp-client daytime` against a working server:\n{transcript}"
        );
        assert_snapshot!(snapshot_text(transcript));
    }

    #[test]
    fn program_reports_a_refused_connection() {
        let service = closed_port().to_string();
        let transcript = run_program(STEP, &["tcp-client", "head", &service], tcp_client::run);
        assert!(
            !transcript.success(),
            "nothing listens on {service}:\n{transcript}"
        );
        assert_snapshot!(snapshot_text(transcript));
    }

    #[test]
    fn program_reports_an_address_without_a_port() {
        let transcript = run_program(STEP, &["tcp-client", "head", "127.0.0.1"], tcp_client::run);
        assert!(
            !transcript.success(),
            "`127.0.0.1` has no port:\n{transcript}"
        );
        assert_snapshot!(snapshot_text(transcript));
    }

    #[test]
    fn program_rejects_a_zero_timeout_before_connecting() {
        // A server that would answer: the program must refuse before it talks to it.
        let server = HttpServer::start();
        let service = server.addr().to_string();
        let transcript = run_program(
            STEP,
            &["tcp-client", "--timeout-ms", "0", "head", &service],
            tcp_client::run,
        );
        assert!(
            !transcript.success(),
            "a zero timeout is refused:\n{transcript}"
        );
        expect_eq(
            "the request lines the server received from `tcp-client --timeout-ms 0`",
            server.request_lines(),
            Vec::<String>::new(),
        );
        assert_snapshot!(snapshot_text(transcript));
    }

    #[test]
    fn program_without_a_command_prints_usage() {
        let transcript = run_program(STEP, &["tcp-client"], tcp_client::run);
        assert_snapshot!(snapshot_text(transcript));
    }

    // ---------------------------------------------------------------------------------------------
    // Servers that misbehave

    #[test]
    fn program_gives_up_on_a_server_that_drips_when_the_whole_timeout_is_spent() {
        // 95 bytes, one every 48 ms: 4.5 s in all, each read well within 600 ms.
        let server = HostileServer::drip(
            HEAD_RESPONSE.as_bytes(),
            Duration::from_millis(48),
            Request::Bytes(crate::steps::get_head_info::HEAD_REQUEST.len()),
        );
        let service = server.addr().to_string();
        let started = Instant::now();
        let transcript = run_program(
            STEP,
            &["tcp-client", "--timeout-ms", "600", "head", &service],
            tcp_client::run,
        );
        let took = started.elapsed();
        assert!(
            took < Duration::from_millis(3000),
            "`tcp-client --timeout-ms 600` took {took:?} against a server that sends one byte \
             every 48 ms. The socket's timeouts are per call, and every read here gets a byte \
             in time: only one deadline for the whole exchange stops it. Talk through \
             `ByDeadline::new(&conn, deadline)`, with the deadline fixed when `run` starts.\n\
             {transcript}"
        );
        assert!(
            !transcript.success(),
            "a reply cut by the deadline is an error:\n{transcript}"
        );
        let arrived = transcript.stdout.len();
        assert!(
            arrived > 0 && HEAD_RESPONSE.starts_with(&transcript.stdout),
            "`tcp-client` must print the part of the reply that arrived before the deadline \
             ({arrived} bytes printed):\n{transcript}"
        );
        let expected =
            format!("error: talking to {service} ({arrived} bytes arrived): the deadline passed");
        expect_eq(
            "what `tcp-client --timeout-ms 600` says when the deadline cuts the reply",
            transcript.stderr.trim_end(),
            expected.as_str(),
        );
    }

    #[test]
    fn program_stops_reading_at_max_bytes() {
        let server = HostileServer::flood(
            4 << 20,
            Request::Bytes(crate::steps::get_head_info::HEAD_REQUEST.len()),
        );
        let service = server.addr().to_string();
        let transcript = run_program(
            STEP,
            &["tcp-client", "--max-bytes", "20", "head", &service],
            tcp_client::run,
        );
        assert!(
            !transcript.success(),
            "a reply longer than --max-bytes is an error:\n{transcript}"
        );
        assert_snapshot!(snapshot_text(transcript));
    }

    #[test]
    fn program_prints_what_arrived_before_a_reset() {
        let server = HostileServer::reset_after(
            b"HTTP/1.0 200 OK\r\nServ",
            Request::Bytes(crate::steps::get_head_info::HEAD_REQUEST.len()),
        );
        let service = server.addr().to_string();
        let transcript = run_program(STEP, &["tcp-client", "head", &service], tcp_client::run);
        assert!(
            !transcript.success(),
            "a server that resets halfway:\n{transcript}"
        );
        assert_snapshot!(snapshot_text(transcript));
    }
}
