//! Grading tests for chapter 8, exercise `timeouts`: `exercises/ch08_timeouts.rs`
//! (`cargo test --features solutions` runs them against `solutions/ch08_timeouts.rs`).
//!
//! Timing checks use short limits (hundreds of milliseconds) and accept being late by a wide
//! margin, because a loaded machine wakes threads late; they never accept being early.

// BEGIN STEPS
// The steps under test: `exercises/ch08_timeouts/`, or `solutions/ch08_timeouts/` with `--features solutions`.
// Generated from the catalog by `cargo dev update`. A step's `main` and the helpers its tests do
// not call are unused here, hence `allow(dead_code)`.
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch08_timeouts/1_timeouts.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ch08_timeouts/1_timeouts.rs"
)]
#[allow(dead_code)]
pub mod step1_timeouts;
mod steps {
    pub use super::step1_timeouts as timeouts;
}
// END STEPS

mod timeouts {
    use crate::steps::timeouts;

    use std::io::{self, Read, Write};
    use std::net::{SocketAddr, TcpListener, TcpStream};
    use std::panic::{self, AssertUnwindSafe};
    use std::sync::mpsc;
    use std::thread;
    use std::time::{Duration, Instant};

    use insta::assert_snapshot;
    use netlings::harness::{
        DEADLINE, Rng, Table, expect_eq, normalize, run_program, tcp_listener, within,
    };
    use socket2::{SockRef, TcpKeepalive};
    use timeouts::{Keepalive, Limits};

    const EXERCISE: &str = "timeouts";

    /// How late a timeout may fire on a busy machine.
    const LATE: Duration = Duration::from_millis(700);

    /// How early a timeout may fire: timer rounding only.
    const EARLY: Duration = Duration::from_millis(20);

    /// A connected pair on loopback: (client side, server side).
    fn pair() -> (TcpStream, TcpStream) {
        let listener = tcp_listener();
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        let client = netlings::harness::tcp_client(EXERCISE, addr);
        let (server, _) = listener
            .accept()
            .expect("accepting the test's own connection");
        (client, server)
    }

    /// Runs `f` on a thread of its own and fails with `why` if it is still running after `limit`:
    /// like `harness::within`, but the message can name the likely mistake.
    fn finish_within<T: Send + 'static>(
        limit: Duration,
        why: &str,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> T {
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let _ = tx.send(panic::catch_unwind(AssertUnwindSafe(f)));
        });
        match rx.recv_timeout(limit) {
            Ok(Ok(value)) => value,
            Ok(Err(payload)) => panic::resume_unwind(payload),
            Err(_) => panic!("[{EXERCISE}] still running after {limit:?}: {why}"),
        }
    }

    /// Whether `e` is an expired socket timeout (`WouldBlock` on Unix, `TimedOut` on Windows).
    fn is_timeout(e: &io::Error) -> bool {
        matches!(
            e.kind(),
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
        )
    }

    /// Fails unless `elapsed` is within `[limit - EARLY, limit + LATE]`.
    #[track_caller]
    fn assert_on_time(what: &str, elapsed: Duration, limit: Duration) {
        assert!(
            elapsed + EARLY >= limit,
            "{what} after {elapsed:?}, before its limit of {limit:?}"
        );
        assert!(
            elapsed <= limit + LATE,
            "{what} only after {elapsed:?}; the limit was {limit:?} (allowed up to {:?})",
            limit + LATE
        );
    }

    // ---------------------------------------------------------------------------------------------
    // read_by and write_by: deadlines on one socket

    #[test]
    fn read_by_returns_data_that_is_already_there() {
        let (mut client, server) = pair();
        client
            .write_all(b"ready")
            .expect("sending to a connected socket");
        let got = within(
            EXERCISE,
            "read_by on a socket with data waiting",
            DEADLINE,
            move || {
                let mut server = server;
                let mut buf = [0u8; 16];
                let n = timeouts::read_by(
                    &mut server,
                    &mut buf,
                    Instant::now() + Duration::from_secs(2),
                )?;
                Ok::<_, io::Error>(buf[..n].to_vec())
            },
        );
        expect_eq(
            "read_by with 5 bytes waiting",
            got.map_err(|e| e.kind()),
            Ok(b"ready".to_vec()),
        );
    }

    #[test]
    fn read_by_fails_with_timed_out_at_the_deadline() {
        let (_client, server) = pair();
        let limit = Duration::from_millis(300);
        let (result, elapsed) = within(
            EXERCISE,
            "read_by to give up at its deadline",
            DEADLINE,
            move || {
                let mut server = server;
                let started = Instant::now();
                let result = timeouts::read_by(&mut server, &mut [0u8; 16], started + limit);
                (result.map_err(|e| e.kind()), started.elapsed())
            },
        );
        expect_eq(
            "read_by on a silent peer (on Unix a socket timeout is WouldBlock: turn it into TimedOut)",
            result,
            Err(io::ErrorKind::TimedOut),
        );
        assert_on_time("read_by gave up", elapsed, limit);
    }

    #[test]
    fn read_by_with_a_deadline_already_past_fails_at_once() {
        let (_client, server) = pair();
        let result = within(
            EXERCISE,
            "read_by with a deadline in the past",
            DEADLINE,
            move || {
                let mut server = server;
                let past = Instant::now();
                thread::sleep(Duration::from_millis(1)); // make sure `past` is behind us
                timeouts::read_by(&mut server, &mut [0u8; 16], past).map_err(|e| e.kind())
            },
        );
        expect_eq(
            "read_by with a deadline already past (`set_read_timeout(Some(Duration::ZERO))` is InvalidInput: \
         check the time left first)",
            result,
            Err(io::ErrorKind::TimedOut),
        );
    }

    #[test]
    fn read_by_counts_time_spent_in_earlier_reads() {
        // A byte every 100 ms, and one deadline for all the reads: a per-read timeout of the whole
        // limit would never fire.
        let (client, server) = pair();
        let limit = Duration::from_millis(500);
        thread::spawn(move || {
            drip(
                client,
                Instant::now(),
                Duration::from_millis(100),
                Duration::from_secs(3),
                false,
            )
        });
        let (result, elapsed) = within(
            EXERCISE,
            "read_by to stop a dripping peer at the deadline",
            DEADLINE,
            move || {
                let mut server = server;
                let started = Instant::now();
                let deadline = started + limit;
                let result = loop {
                    if started.elapsed() > limit + LATE * 2 {
                        break Err(format!(
                            "read_by kept returning bytes {:?} after the deadline: set each read's timeout to \
                     the time left until the deadline, not to a fixed length",
                            started.elapsed() - limit
                        ));
                    }
                    match timeouts::read_by(&mut server, &mut [0u8; 16], deadline) {
                        Ok(0) => {
                            break Err("the dripping peer closed: it should not have".to_string());
                        }
                        Ok(_) => continue,
                        Err(e) => break Ok(e.kind()),
                    }
                };
                (result, started.elapsed())
            },
        );
        let kind = result.unwrap_or_else(|e| panic!("{e}"));
        expect_eq(
            "reading a dripping peer until the deadline",
            kind,
            io::ErrorKind::TimedOut,
        );
        assert_on_time("the reads stopped", elapsed, limit);
    }

    /// Sends one byte every `every` (reading its echo if `echoed`) until `limit` has passed since
    /// `started` or the peer goes away; returns how long the connection lasted (from `started`,
    /// taken before connecting) and whether the peer cut it.
    fn drip(
        mut conn: TcpStream,
        started: Instant,
        every: Duration,
        limit: Duration,
        echoed: bool,
    ) -> (Duration, bool) {
        let mut echo = [0u8; 1];
        while started.elapsed() < limit {
            // The pause is the point: this is a slow client, not synchronisation.
            thread::sleep(every);
            if conn.write_all(b".").is_err() {
                return (started.elapsed(), true);
            }
            if echoed && !matches!(conn.read(&mut echo), Ok(1)) {
                return (started.elapsed(), true);
            }
        }
        (started.elapsed(), false)
    }

    #[test]
    fn write_by_gives_up_on_a_peer_that_does_not_read() {
        let (client, server) = pair();
        let limit = Duration::from_millis(400);
        let (result, elapsed) = within(
            EXERCISE,
            "write_by to give up at its deadline",
            DEADLINE,
            move || {
                let mut server = server;
                let data = vec![b'x'; 64 * 1024 * 1024]; // far more than both socket buffers hold
                let started = Instant::now();
                let result = timeouts::write_by(&mut server, &data, started + limit);
                (result.map_err(|e| e.kind()), started.elapsed())
            },
        );
        expect_eq(
            "write_by to a peer that never reads",
            result,
            Err(io::ErrorKind::TimedOut),
        );
        assert_on_time("write_by gave up", elapsed, limit);
        drop(client);
    }

    #[test]
    fn write_by_stops_at_the_deadline_even_when_the_peer_reads_slowly() {
        // The peer reads a little every 10 ms, so every single `write` makes some progress and no
        // per-call timeout ever expires: only a deadline counted across all the calls stops this.
        let (client, server) = pair();
        thread::spawn(move || {
            let mut client = client;
            let mut buf = vec![0u8; 64 * 1024];
            while matches!(client.read(&mut buf), Ok(1..)) {
                // The pause is the point: a slow reader, not synchronisation.
                thread::sleep(Duration::from_millis(10));
            }
        });
        let limit = Duration::from_millis(400);
        let (result, elapsed) = finish_within(
            limit + LATE * 2,
            "write_by kept writing long after its 400ms deadline to a peer that reads slowly. Each \
         `write` made some progress, so a timeout set once (or `write_all`, which retries with the \
         full timeout every call) never expires: set each write's timeout to the time left \
         until the deadline",
            move || {
                let mut server = server;
                let data = vec![b'x'; 64 * 1024 * 1024]; // about 10 s of reading for this peer
                let started = Instant::now();
                let result = timeouts::write_by(&mut server, &data, started + limit);
                (result.map_err(|e| e.kind()), started.elapsed())
            },
        );
        expect_eq(
            "write_by to a peer that reads slowly, past the deadline",
            result,
            Err(io::ErrorKind::TimedOut),
        );
        assert_on_time("write_by gave up", elapsed, limit);
    }

    #[test]
    fn write_by_sends_everything_in_time() {
        let (mut client, server) = pair();
        let message = b"all of it, in time\n".to_vec();
        let sent = message.clone();
        let result = within(
            EXERCISE,
            "write_by to a reading peer",
            DEADLINE,
            move || {
                let mut server = server;
                timeouts::write_by(&mut server, &sent, Instant::now() + Duration::from_secs(2))
                    .map_err(|e| e.kind())
            },
        );
        expect_eq("write_by to a reading peer", result, Ok(()));
        let mut got = vec![0u8; message.len()];
        client
            .read_exact(&mut got)
            .expect("the peer receives what write_by sent");
        expect_eq("the bytes the peer received", got, message);
    }

    // ---------------------------------------------------------------------------------------------
    // The server: idle clients and slow-drip clients

    fn start_server(limits: Limits) -> SocketAddr {
        let listener = tcp_listener();
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        thread::spawn(move || timeouts::serve(listener, limits));
        addr
    }

    /// Waits for the server to end the connection: EOF or a reset both count. Fails if the server
    /// keeps it open past `patience`.
    fn wait_for_close(conn: &mut TcpStream, patience: Duration) -> Result<(), String> {
        conn.set_read_timeout(Some(patience))
            .map_err(|e| e.to_string())?;
        let mut buf = [0u8; 64];
        loop {
            match conn.read(&mut buf) {
                Ok(0) => return Ok(()),
                Ok(_) => continue,
                Err(e) if is_timeout(&e) => {
                    return Err(format!(
                        "the server kept an idle client connected for {patience:?}"
                    ));
                }
                Err(_) => return Ok(()),
            }
        }
    }

    #[test]
    fn an_idle_client_is_dropped_after_the_idle_timeout() {
        let idle = Duration::from_millis(300);
        let addr = start_server(Limits {
            idle,
            deadline: Duration::from_secs(30),
        });
        let elapsed = within(
            EXERCISE,
            "the server to drop an idle client",
            DEADLINE,
            move || {
                let mut conn = netlings::harness::tcp_client(EXERCISE, addr);
                // One echo first, so the server has surely accepted us. Its idle time starts after
                // it wrote the echo, so after `started`: the client can only see the cut late.
                let started = Instant::now();
                conn.write_all(b"hi").map_err(|e| e.to_string())?;
                let mut hi = [0u8; 2];
                conn.read_exact(&mut hi)
                    .map_err(|e| format!("the server did not echo `hi`: {e}"))?;
                wait_for_close(&mut conn, idle + LATE * 2)?;
                Ok::<_, String>(started.elapsed())
            },
        );
        let elapsed = elapsed.unwrap_or_else(|e| panic!("{e}"));
        assert_on_time("the server dropped the idle client", elapsed, idle);
    }

    #[test]
    fn a_slow_drip_client_is_dropped_at_the_deadline() {
        // A byte every 100 ms never trips a 500 ms idle timeout (even when a busy machine wakes the
        // client late); only the deadline ends it.
        let limits = Limits {
            idle: Duration::from_millis(500),
            deadline: Duration::from_millis(1200),
        };
        let addr = start_server(limits);
        let (lasted, cut) = within(
            EXERCISE,
            "the server to drop a slow-drip client",
            DEADLINE,
            move || {
                // Timed from before the connect: the server's deadline starts at accept, later.
                let started = Instant::now();
                let conn = netlings::harness::tcp_client(EXERCISE, addr);
                drip(
                    conn,
                    started,
                    Duration::from_millis(100),
                    limits.deadline + LATE + LATE / 2,
                    true,
                )
            },
        );
        assert!(
            cut,
            "a client sending one byte every 100 ms stayed connected for {lasted:?}: the deadline of \
         {:?} must hold however often the client sends (an idle timeout alone is reset by each byte)",
            limits.deadline
        );
        assert!(
            lasted + EARLY >= limits.deadline,
            "the server cut a client sending a byte every 100 ms after {lasted:?}, before the deadline \
         of {:?}: the idle timeout ({:?}) is the longest silence between two reads, so it starts \
         again after every read",
            limits.deadline,
            limits.idle
        );
        // The drip notices the cut at its next byte, up to 100 ms after it happened.
        assert_on_time(
            "the server dropped the slow-drip client",
            lasted,
            limits.deadline,
        );
    }

    /// The notes' idea of a timeout: a per-read limit and nothing else.
    fn serve_with_read_timeout_only(listener: TcpListener, idle: Duration) {
        for conn in listener.incoming().flatten() {
            thread::spawn(move || {
                let mut conn = conn;
                let _ = conn.set_read_timeout(Some(idle));
                let mut buf = [0u8; 512];
                while let Ok(n @ 1..) = conn.read(&mut buf) {
                    if conn.write_all(&buf[..n]).is_err() {
                        return;
                    }
                }
            });
        }
    }

    #[test]
    fn the_drip_check_catches_a_server_with_only_a_read_timeout() {
        // Not a test of your code: proof that the check above can fail.
        let listener = tcp_listener();
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        thread::spawn(move || serve_with_read_timeout_only(listener, Duration::from_millis(500)));
        let (lasted, cut) = within(
            EXERCISE,
            "a drip client on a read-timeout-only server",
            DEADLINE,
            move || {
                let conn = netlings::harness::tcp_client(EXERCISE, addr);
                drip(
                    conn,
                    Instant::now(),
                    Duration::from_millis(100),
                    Duration::from_millis(1200) + LATE + LATE / 2,
                    true,
                )
            },
        );
        assert!(
            !cut,
            "the read-timeout-only server cut the drip client after {lasted:?}"
        );
    }

    #[test]
    fn a_client_that_never_reads_its_echo_is_dropped_at_the_deadline() {
        // It sends and sends and never reads: the echo fills the socket buffers, the server's write
        // blocks, and it stops reading. A read deadline cannot help; the writes need it too.
        let limits = Limits {
            idle: Duration::from_secs(30),
            deadline: Duration::from_millis(800),
        };
        let addr = start_server(limits);
        let (lasted, cut) = within(
            EXERCISE,
            "the server to drop a client that never reads",
            DEADLINE,
            move || {
                let started = Instant::now();
                let conn = netlings::harness::tcp_client(EXERCISE, addr);
                conn.set_write_timeout(Some(Duration::from_millis(50)))
                    .expect("a non-zero timeout is accepted");
                let chunk = vec![b'x'; 64 * 1024];
                while started.elapsed() < limits.deadline + LATE + LATE / 2 {
                    match (&conn).write(&chunk) {
                        Ok(_) => {}
                        // Our send buffer is full because the server is not reading: keep trying.
                        Err(e) if is_timeout(&e) => {}
                        // A reset (or a broken pipe): the server closed the connection.
                        Err(_) => return (started.elapsed(), true),
                    }
                }
                (started.elapsed(), false)
            },
        );
        assert!(
            cut,
            "a client that sends and never reads its echo stayed connected for {lasted:?}: once the \
         buffers are full the server is stuck in a write, so the deadline of {:?} must bound the \
         writes too (echo with `write_by` by the connection's end, not `write_all`)",
            limits.deadline
        );
        assert_on_time(
            "the server dropped the client that never reads",
            lasted,
            limits.deadline,
        );
    }

    #[test]
    fn a_client_that_finishes_in_time_gets_its_echo_and_a_clean_close() {
        let addr = start_server(Limits {
            idle: Duration::from_millis(500),
            deadline: Duration::from_secs(5),
        });
        let got = within(
            EXERCISE,
            "the echo of a quick client",
            DEADLINE,
            move || {
                let mut conn = netlings::harness::tcp_client(EXERCISE, addr);
                conn.set_read_timeout(Some(Duration::from_secs(2)))?;
                conn.write_all(b"quick\n")?;
                conn.shutdown(std::net::Shutdown::Write)?;
                let mut got = Vec::new();
                match conn.read_to_end(&mut got) {
                    Err(e) if is_timeout(&e) => Err(io::Error::other(format!(
                        "got {:?}, then the server never closed the connection after the client's \
                     EOF (waited 2s): `read` returning 0 means the client is done, so return",
                        String::from_utf8_lossy(&got)
                    ))),
                    Err(e) => Err(e),
                    Ok(_) => Ok(got),
                }
            },
        );
        expect_eq(
            "the echo of `quick\\n`",
            got.map_err(|e| e.to_string()),
            Ok(b"quick\n".to_vec()),
        );
    }

    // ---------------------------------------------------------------------------------------------
    // Connect timeouts

    #[test]
    fn dial_timeout_gives_up_on_a_listener_whose_queue_is_full() {
        let full = match netlings::harness::full_listener() {
            Ok(full) => full,
            Err(why) => {
                return netlings::harness::skip(&why);
            }
        };
        let addr = full.addr;
        let limit = Duration::from_millis(400);
        let (result, elapsed) = finish_within(
            DEADLINE,
            "dial_timeout never gave up on a listener that answers no SYN. A plain `connect` waits \
         for the kernel's SYN retries (minutes on Linux): use `TcpStream::connect_timeout`",
            move || {
                let started = Instant::now();
                let result = timeouts::dial_timeout(addr, limit).map(|_| ());
                (result.map_err(|e| e.kind()), started.elapsed())
            },
        );
        expect_eq(
            format!("dial_timeout({addr}, {limit:?}) to a listener that answers no SYN"),
            result,
            Err(io::ErrorKind::TimedOut),
        );
        assert_on_time("dial_timeout gave up", elapsed, limit);
    }

    #[test]
    fn dial_timeout_connects_to_a_listening_server() {
        let listener = tcp_listener();
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        let conn = within(
            EXERCISE,
            "dial_timeout to a listening server",
            DEADLINE,
            move || timeouts::dial_timeout(addr, Duration::from_secs(2)),
        );
        let conn = conn.unwrap_or_else(|e| panic!("dial_timeout({addr}) failed: {e}"));
        expect_eq("the connection's peer", conn.peer_addr().ok(), Some(addr));
    }

    // ---------------------------------------------------------------------------------------------
    // Keepalive

    #[test]
    fn set_keepalive_settings_read_back_as_set() {
        let (client, _server) = pair();
        let wanted = Keepalive {
            time: Duration::from_secs(7),
            interval: Duration::from_secs(3),
            retries: 4,
        };
        within(EXERCISE, "set_keepalive", DEADLINE, move || {
            timeouts::set_keepalive(&client, &wanted)
                .unwrap_or_else(|e| panic!("set_keepalive failed: {e}"));
            // Read back with getsockopt here, not with your `keepalive`: proof that the kernel has them.
            let socket = SockRef::from(&client);
            expect_eq(
                "SO_KEEPALIVE after set_keepalive",
                socket.keepalive().ok(),
                Some(true),
            );
            expect_eq(
                "TCP_KEEPIDLE after set_keepalive",
                socket.tcp_keepalive_time().ok(),
                Some(wanted.time),
            );
            expect_eq(
                "TCP_KEEPINTVL after set_keepalive",
                socket.tcp_keepalive_interval().ok(),
                Some(wanted.interval),
            );
            expect_eq(
                "TCP_KEEPCNT after set_keepalive",
                socket.tcp_keepalive_retries().ok(),
                Some(wanted.retries),
            );
        });
    }

    #[test]
    fn keepalive_reports_off_on_a_new_connection() {
        let (client, _server) = pair();
        let got = within(
            EXERCISE,
            "keepalive on a new connection",
            DEADLINE,
            move || timeouts::keepalive(&client).map_err(|e| e.to_string()),
        );
        expect_eq(
            "keepalive(new connection): keepalive is off by default",
            got,
            Ok(None),
        );
    }

    #[test]
    fn keepalive_reads_what_the_kernel_holds() {
        let (client, _server) = pair();
        let params = TcpKeepalive::new()
            .with_time(Duration::from_secs(11))
            .with_interval(Duration::from_secs(2))
            .with_retries(6);
        SockRef::from(&client)
            .set_tcp_keepalive(&params)
            .expect("setting keepalive with socket2");
        let got = within(
            EXERCISE,
            "keepalive on a configured connection",
            DEADLINE,
            move || timeouts::keepalive(&client).map_err(|e| e.to_string()),
        );
        let expected = Keepalive {
            time: Duration::from_secs(11),
            interval: Duration::from_secs(2),
            retries: 6,
        };
        expect_eq(
            "keepalive(connection set to 11s, 2s, 6)",
            got,
            Ok(Some(expected)),
        );
    }

    // ---------------------------------------------------------------------------------------------
    // Durations on the command line

    #[test]
    fn parse_duration_reads_whole_numbers_with_a_unit() {
        let mut table = Table::new();
        for text in [
            "250ms",
            "10s",
            "2m",
            "1500ms",
            "0s",
            "0ms",
            "10",
            "s",
            "",
            "1.5s",
            "-1s",
            "10h",
            "5 s",
            "99999999999999999999s",
        ] {
            table.row(format!("parse_duration({text:?})"), || {
                timeouts::parse_duration(text)
            });
        }
        assert_snapshot!(table);
    }

    #[test]
    fn parse_duration_round_trips_and_never_panics() {
        let mut rng = Rng::new(8);
        for _ in 0..2000 {
            let ms = rng.below(10_000_000) + 1;
            let text = format!("{ms}ms");
            expect_eq(
                format!("parse_duration({text:?})"),
                timeouts::parse_duration(&text),
                Ok(Duration::from_millis(ms)),
            );
            let shown = timeouts::show(Duration::from_millis(ms));
            expect_eq(
                format!("parse_duration(show({ms}ms) = {shown:?})"),
                timeouts::parse_duration(&shown),
                Ok(Duration::from_millis(ms)),
            );
        }
        for _ in 0..5000 {
            let text = rng.string("0123456789msh .-", 12);
            // Any answer will do, but not a panic.
            let _ = timeouts::parse_duration(&text);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The program

    #[test]
    fn program_dial_reports_the_keepalive_the_kernel_holds() {
        let listener = tcp_listener();
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address")
            .to_string();
        let argv = [
            "timeouts",
            "dial",
            &addr,
            "--keepalive-time",
            "7s",
            "--keepalive-interval",
            "3s",
            "--keepalive-retries",
            "4",
        ];
        let transcript = run_program(EXERCISE, &argv, timeouts::run);
        assert!(
            transcript.success(),
            "`timeouts dial` to a listening server:\n{transcript}"
        );
        assert_snapshot!(normalize(&transcript.to_string()));
    }

    #[test]
    fn program_dial_refuses_fractional_keepalive_seconds() {
        let listener = tcp_listener();
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address")
            .to_string();
        let argv = ["timeouts", "dial", &addr, "--keepalive-time", "1500ms"];
        let transcript = run_program(EXERCISE, &argv, timeouts::run);
        assert!(
            !transcript.success(),
            "1500ms is not whole seconds:\n{transcript}"
        );
        assert_snapshot!(normalize(&transcript.to_string()));
    }

    #[test]
    fn program_serve_rejects_a_zero_timeout() {
        let transcript = run_program(
            EXERCISE,
            &["timeouts", "serve", "--idle-timeout", "0s"],
            timeouts::run,
        );
        assert!(
            !transcript.success(),
            "a zero idle timeout is refused:\n{transcript}"
        );
        assert_snapshot!(transcript);
    }

    #[test]
    fn program_without_a_command_prints_usage() {
        let transcript = run_program(EXERCISE, &["timeouts"], timeouts::run);
        assert_snapshot!(transcript);
    }
}
