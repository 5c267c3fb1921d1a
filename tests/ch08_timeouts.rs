//! Grading tests for chapter 8, Timeouts, deadlines and keepalive: one module per step, in
//! course order. `cargo test --test ch08_timeouts` runs them against `exercises/ch08_timeouts/`,
//! and with `--features solutions` against `solutions/ch08_timeouts/`.
//!
//! Timing checks use short limits (hundreds of milliseconds) and accept being late by a wide
//! margin, because a loaded machine wakes threads late; they never accept being early.

// BEGIN STEPS
// The steps under test: `exercises/ch08_timeouts/`, or `solutions/ch08_timeouts/` with `--features solutions`.
// Generated from the catalog by `cargo dev update`. A step's `main` and the helpers its tests do
// not call are unused here, hence `allow(dead_code)`.
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch08_timeouts/1_deadlines.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ch08_timeouts/1_deadlines.rs"
)]
#[allow(dead_code)]
pub mod step1_deadlines;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch08_timeouts/2_slow_clients.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ch08_timeouts/2_slow_clients.rs"
)]
#[allow(dead_code)]
pub mod step2_slow_clients;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch08_timeouts/3_keepalive.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ch08_timeouts/3_keepalive.rs"
)]
#[allow(dead_code)]
pub mod step3_keepalive;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch08_timeouts/4_timeouts.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ch08_timeouts/4_timeouts.rs"
)]
#[allow(dead_code)]
pub mod step4_timeouts;
mod steps {
    pub use super::step1_deadlines as deadlines;
    pub use super::step2_slow_clients as slow_clients;
    pub use super::step3_keepalive as keepalive;
    pub use super::step4_timeouts as timeouts;
}
// END STEPS

/// What the steps' tests share: deadlines with a message, and the tolerances of every timing
/// check.
mod common {
    use std::panic::{self, AssertUnwindSafe};
    use std::sync::mpsc;
    use std::thread;
    use std::time::Duration;

    /// How late a timeout may fire on a busy machine.
    pub const LATE: Duration = Duration::from_millis(700);

    /// How early a timeout may fire: timer rounding only.
    pub const EARLY: Duration = Duration::from_millis(20);

    /// Runs `f` on a thread of its own and fails with `why` if it is still running after `limit`:
    /// like `harness::within`, but the message can name the likely mistake.
    pub fn finish_within<T: Send + 'static>(
        step: &str,
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
            Err(_) => panic!("[{step}] still running after {limit:?}: {why}"),
        }
    }

    /// Fails unless `elapsed` is within `[limit - EARLY, limit + LATE]`.
    #[track_caller]
    pub fn assert_on_time(what: &str, elapsed: Duration, limit: Duration) {
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
}

mod deadlines {
    use std::io::{self, Read, Write};
    use std::thread;
    use std::time::{Duration, Instant};

    use netlings::fixtures::loopback::drip;
    use netlings::harness::{DEADLINE, expect_eq, tcp_pair, within};

    use crate::common::{LATE, assert_on_time, finish_within};
    use crate::steps::deadlines;

    const STEP: &str = "deadlines";

    #[test]
    fn read_by_returns_data_that_is_already_there() {
        let (mut client, server) = tcp_pair(STEP);
        client
            .write_all(b"ready")
            .expect("sending to a connected socket");
        let got = within(
            STEP,
            "read_by on a socket with data waiting",
            DEADLINE,
            move || {
                let mut server = server;
                let mut buf = [0u8; 16];
                let n = deadlines::read_by(
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
    fn read_by_returns_zero_at_the_peers_eof() {
        let (client, server) = tcp_pair(STEP);
        drop(client);
        let got = within(
            STEP,
            "read_by on a closed connection",
            DEADLINE,
            move || {
                let mut server = server;
                deadlines::read_by(
                    &mut server,
                    &mut [0u8; 16],
                    Instant::now() + Duration::from_secs(2),
                )
                .map_err(|e| e.kind())
            },
        );
        expect_eq(
            "read_by after the peer closed (0 bytes is EOF, as `read` says)",
            got,
            Ok(0),
        );
    }

    #[test]
    fn read_by_fails_with_timed_out_at_the_deadline() {
        let (_client, server) = tcp_pair(STEP);
        let limit = Duration::from_millis(300);
        let (result, elapsed) = within(
            STEP,
            "read_by to give up at its deadline",
            DEADLINE,
            move || {
                let mut server = server;
                let started = Instant::now();
                let result = deadlines::read_by(&mut server, &mut [0u8; 16], started + limit);
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
        let (_client, server) = tcp_pair(STEP);
        let result = within(
            STEP,
            "read_by with a deadline in the past",
            DEADLINE,
            move || {
                let mut server = server;
                let past = Instant::now();
                thread::sleep(Duration::from_millis(1)); // make sure `past` is behind us
                deadlines::read_by(&mut server, &mut [0u8; 16], past).map_err(|e| e.kind())
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
        let (client, server) = tcp_pair(STEP);
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
            STEP,
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
                    match deadlines::read_by(&mut server, &mut [0u8; 16], deadline) {
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

    #[test]
    fn write_by_sends_everything_in_time() {
        let (mut client, server) = tcp_pair(STEP);
        let message = b"all of it, in time\n".to_vec();
        let sent = message.clone();
        let result = within(STEP, "write_by to a reading peer", DEADLINE, move || {
            let mut server = server;
            deadlines::write_by(&mut server, &sent, Instant::now() + Duration::from_secs(2))
                .map_err(|e| e.kind())
        });
        expect_eq("write_by to a reading peer", result, Ok(()));
        let mut got = vec![0u8; message.len()];
        client
            .read_exact(&mut got)
            .expect("the peer receives what write_by sent");
        expect_eq("the bytes the peer received", got, message);
    }

    #[test]
    fn write_by_with_a_deadline_already_past_fails_at_once() {
        let (_client, server) = tcp_pair(STEP);
        let result = within(
            STEP,
            "write_by with a deadline in the past",
            DEADLINE,
            move || {
                let mut server = server;
                let past = Instant::now();
                thread::sleep(Duration::from_millis(1)); // make sure `past` is behind us
                deadlines::write_by(&mut server, b"late", past).map_err(|e| e.kind())
            },
        );
        expect_eq(
            "write_by(\"late\") with a deadline already past (`set_write_timeout(Some(Duration::ZERO))` \
             is InvalidInput: check the time left first)",
            result,
            Err(io::ErrorKind::TimedOut),
        );
    }

    #[test]
    fn write_by_gives_up_on_a_peer_that_does_not_read() {
        let (client, server) = tcp_pair(STEP);
        let limit = Duration::from_millis(400);
        let (result, elapsed) = within(
            STEP,
            "write_by to give up at its deadline",
            DEADLINE,
            move || {
                let mut server = server;
                let data = vec![b'x'; 64 * 1024 * 1024]; // far more than both socket buffers hold
                let started = Instant::now();
                let result = deadlines::write_by(&mut server, &data, started + limit);
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
        let (client, server) = tcp_pair(STEP);
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
            STEP,
            limit + LATE * 2,
            "write_by kept writing long after its 400ms deadline to a peer that reads slowly. Each \
             `write` made some progress, so a timeout set once (or `write_all`, which retries with the \
             full timeout every call) never expires: set each write's timeout to the time left \
             until the deadline",
            move || {
                let mut server = server;
                let data = vec![b'x'; 64 * 1024 * 1024]; // about 10 s of reading for this peer
                let started = Instant::now();
                let result = deadlines::write_by(&mut server, &data, started + limit);
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
}

mod slow_clients {
    use std::io::{self, Read, Write};
    use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::thread;
    use std::time::{Duration, Instant};

    use netlings::fixtures::child::{ChildServer, Shortage};
    use netlings::fixtures::loopback::{Background, drip, flood};
    use netlings::harness::{DEADLINE, expect_eq, tcp_listener, tcp_pair, within};
    use netlings::support::duration::show;
    use netlings::support::io::is_timeout;

    use crate::common::{EARLY, LATE, assert_on_time};
    use crate::steps::slow_clients::{self, Limits};

    const STEP: &str = "slow-clients";

    /// `handle_client` on the server side of a fresh pair, on a thread with a deadline; `client`
    /// acts first.
    fn handle_one(
        limits: Limits,
        client: impl FnOnce(TcpStream) + Send + 'static,
    ) -> Result<u64, (io::ErrorKind, String)> {
        let (conn, server) = tcp_pair(STEP);
        let peer = thread::spawn(move || client(conn));
        let result = within(STEP, "handle_client to return", DEADLINE, move || {
            slow_clients::handle_client(server, limits).map_err(|e| (e.kind(), e.to_string()))
        });
        let _ = peer.join();
        result
    }

    #[test]
    fn handle_client_echoes_until_eof_and_returns_the_byte_count() {
        let (tx, rx) = std::sync::mpsc::channel();
        let result = handle_one(
            Limits {
                idle: Duration::from_secs(2),
                deadline: Duration::from_secs(4),
            },
            move |mut conn| {
                let _ = conn.write_all(b"quick\n");
                let _ = conn.shutdown(Shutdown::Write);
                let mut echo = Vec::new();
                let _ = tx.send(conn.read_to_end(&mut echo).map(|_| echo));
            },
        );
        expect_eq(
            "handle_client for a client that sends `quick\\n` and closes (the bytes echoed)",
            result,
            Ok(6),
        );
        let echo = rx
            .recv_timeout(DEADLINE)
            .expect("the client finished")
            .map_err(|e| e.kind());
        expect_eq(
            "what the client read back before the server closed",
            echo,
            Ok(b"quick\n".to_vec()),
        );
    }

    #[test]
    fn handle_client_says_the_idle_limit_cut_a_silent_client() {
        let idle = Duration::from_millis(200);
        let started = Instant::now();
        let result = handle_one(
            Limits {
                idle,
                deadline: Duration::from_secs(4),
            },
            // Stay connected and silent until the server gives up.
            |mut conn| while let Ok(1..) = conn.read(&mut [0u8; 16]) {},
        );
        expect_eq(
            "handle_client(a silent client, idle 200ms, deadline 4s)",
            result,
            Err((
                io::ErrorKind::TimedOut,
                "dropped: idle for 200ms".to_string(),
            )),
        );
        assert_on_time("handle_client gave up", started.elapsed(), idle);
    }

    #[test]
    fn handle_client_says_the_deadline_cut_a_client_before_the_idle_limit() {
        let deadline = Duration::from_millis(300);
        let result = handle_one(
            Limits {
                idle: Duration::from_secs(4),
                deadline,
            },
            |mut conn| while let Ok(1..) = conn.read(&mut [0u8; 16]) {},
        );
        expect_eq(
            "handle_client(a silent client, idle 4s, deadline 300ms): the deadline came first",
            result,
            Err((
                io::ErrorKind::TimedOut,
                "dropped: connected for 300ms".to_string(),
            )),
        );
    }

    #[test]
    fn handle_client_says_the_deadline_cut_a_client_that_does_not_read_its_echo() {
        let deadline = Duration::from_millis(400);
        let result = handle_one(
            Limits {
                idle: Duration::from_secs(4),
                deadline,
            },
            // Send and send, never read: once the buffers are full the server is stuck in its
            // echo, and only the deadline on the write ends it.
            move |conn| {
                flood(conn, Instant::now(), deadline + LATE * 2);
            },
        );
        expect_eq(
            "handle_client(a client that never reads its echo, idle 4s, deadline 400ms)",
            result,
            Err((
                io::ErrorKind::TimedOut,
                "dropped: connected for 400ms (not reading its echo)".to_string(),
            )),
        );
    }

    #[test]
    fn handle_client_refuses_limits_too_long_for_the_clock() {
        // `Instant::now() + Duration::MAX` panics ("overflow when adding duration to instant"):
        // in a server, that is every client's thread.
        let cases = [
            (Duration::from_secs(1), Duration::MAX, "deadline"),
            (Duration::MAX, Duration::from_secs(1), "idle timeout"),
        ];
        for (idle, deadline, what) in cases {
            let limits = Limits { idle, deadline };
            let result = handle_one(limits, drop);
            let limit = if what == "deadline" { deadline } else { idle };
            expect_eq(
                format!("handle_client(idle {idle:?}, deadline {deadline:?}): use checked_add"),
                result,
                Err((
                    io::ErrorKind::InvalidInput,
                    format!("the {what} of {} is too long for the clock", show(limit)),
                )),
            );
        }
    }

    /// A log that cannot be written, as stderr is when it is a closed pipe: counts the tries.
    #[derive(Clone, Default)]
    struct BrokenLog(Arc<AtomicUsize>);

    impl Write for BrokenLog {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            self.0.fetch_add(1, Ordering::Relaxed);
            Err(io::Error::from(io::ErrorKind::BrokenPipe))
        }
        fn flush(&mut self) -> io::Result<()> {
            Err(io::Error::from(io::ErrorKind::BrokenPipe))
        }
    }

    #[test]
    fn serve_goes_on_when_its_log_cannot_be_written() {
        let listener = tcp_listener();
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        let log = BrokenLog::default();
        let tries = Arc::clone(&log.0);
        let limits = Limits {
            idle: Duration::from_millis(100),
            deadline: Duration::from_secs(5),
        };
        thread::spawn(move || slow_clients::serve(listener, limits, &mut log.clone()));
        let got = within(
            STEP,
            "two clients of a server whose log fails",
            DEADLINE,
            move || {
                // The first is cut by the idle limit, which the server logs, or tries to.
                let mut idle = netlings::harness::tcp_client(STEP, addr);
                wait_for_close(&mut idle, DEADLINE)?;
                let mut second = netlings::harness::tcp_client(STEP, addr);
                second.write_all(b"still here").map_err(|e| e.to_string())?;
                let mut echo = [0u8; 10];
                second
                    .read_exact(&mut echo)
                    .map_err(|e| format!("no echo after a failed log line: {e}"))?;
                Ok::<_, String>(echo.to_vec())
            },
        );
        expect_eq(
            "the echo from a server whose log cannot be written",
            got,
            Ok(b"still here".to_vec()),
        );
        assert!(
            tries.load(Ordering::Relaxed) > 0,
            "the server never wrote to its log about the client it cut"
        );
    }

    #[test]
    fn serve_closes_only_the_connection_it_has_no_thread_for() {
        let limits = Limits {
            idle: Duration::from_secs(10),
            deadline: Duration::from_secs(15),
        };
        // The child has room for three more threads, and each client needs one.
        let server = ChildServer::builder(STEP)
            .short_of(Shortage::Threads(3))
            .start(|out| {
                let listener = tcp_listener();
                writeln!(out, "listening on {}", listener.local_addr()?)?;
                slow_clients::serve(listener, limits, out);
                Ok::<_, io::Error>(())
            });
        let Some(mut server) = server else {
            return; // skipped: this system cannot run short of threads on demand
        };
        server.expect_one_client_too_many_closed(3, "");
    }

    fn start_server(limits: Limits) -> SocketAddr {
        let (_, addr) = Background::tcp(STEP, "serve", move |listener| {
            slow_clients::serve(listener, limits, &mut io::sink())
        });
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
    fn a_client_that_finishes_in_time_gets_its_echo_and_a_clean_close() {
        let addr = start_server(Limits {
            idle: Duration::from_millis(500),
            deadline: Duration::from_secs(5),
        });
        let got = within(STEP, "the echo of a quick client", DEADLINE, move || {
            let mut conn = netlings::harness::tcp_client(STEP, addr);
            conn.set_read_timeout(Some(Duration::from_secs(2)))?;
            conn.write_all(b"quick\n")?;
            conn.shutdown(Shutdown::Write)?;
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
        });
        expect_eq(
            "the echo of `quick\\n`",
            got.map_err(|e| e.to_string()),
            Ok(b"quick\n".to_vec()),
        );
    }

    #[test]
    fn an_idle_client_is_dropped_after_the_idle_timeout() {
        let idle = Duration::from_millis(300);
        let addr = start_server(Limits {
            idle,
            deadline: Duration::from_secs(30),
        });
        let elapsed = within(
            STEP,
            "the server to drop an idle client",
            DEADLINE,
            move || {
                let mut conn = netlings::harness::tcp_client(STEP, addr);
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
            STEP,
            "the server to drop a slow-drip client",
            DEADLINE,
            move || {
                // Timed from before the connect: the server's deadline starts at accept, later.
                let started = Instant::now();
                let conn = netlings::harness::tcp_client(STEP, addr);
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
        let (_, addr) = Background::tcp(STEP, "a read-timeout-only server", |listener| {
            serve_with_read_timeout_only(listener, Duration::from_millis(500))
        });
        let (lasted, cut) = within(
            STEP,
            "a drip client on a read-timeout-only server",
            DEADLINE,
            move || {
                let conn = netlings::harness::tcp_client(STEP, addr);
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
            STEP,
            "the server to drop a client that never reads",
            DEADLINE,
            move || {
                let started = Instant::now();
                let conn = netlings::harness::tcp_client(STEP, addr);
                flood(conn, started, limits.deadline + LATE + LATE / 2)
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
}

mod keepalive {
    use std::io;
    use std::time::{Duration, Instant};

    use netlings::harness::{DEADLINE, expect_eq, tcp_listener, tcp_pair, within};
    use socket2::{SockRef, TcpKeepalive};

    use crate::common::{assert_on_time, finish_within};
    use crate::steps::keepalive::{self as ka, Keepalive};

    const STEP: &str = "keepalive";

    #[test]
    fn dial_timeout_connects_to_a_listening_server() {
        let listener = tcp_listener();
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        let conn = within(
            STEP,
            "dial_timeout to a listening server",
            DEADLINE,
            move || ka::dial_timeout(addr, Duration::from_secs(2)),
        );
        let conn = conn.unwrap_or_else(|e| panic!("dial_timeout({addr}) failed: {e}"));
        expect_eq("the connection's peer", conn.peer_addr().ok(), Some(addr));
    }

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
            STEP,
            DEADLINE,
            "dial_timeout never gave up on a listener that answers no SYN. A plain `connect` waits \
             for the kernel's SYN retries (minutes on Linux): use `TcpStream::connect_timeout`",
            move || {
                let started = Instant::now();
                let result = ka::dial_timeout(addr, limit).map(|_| ());
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
    fn keepalive_reports_off_on_a_new_connection() {
        let (client, _server) = tcp_pair(STEP);
        let got = within(STEP, "keepalive on a new connection", DEADLINE, move || {
            ka::keepalive(&client).map_err(|e| e.to_string())
        });
        expect_eq(
            "keepalive(new connection): keepalive is off by default",
            got,
            Ok(None),
        );
    }

    #[test]
    fn keepalive_reads_what_the_kernel_holds() {
        let (client, _server) = tcp_pair(STEP);
        let params = TcpKeepalive::new()
            .with_time(Duration::from_secs(11))
            .with_interval(Duration::from_secs(2))
            .with_retries(6);
        SockRef::from(&client)
            .set_tcp_keepalive(&params)
            .expect("setting keepalive with socket2");
        let got = within(
            STEP,
            "keepalive on a configured connection",
            DEADLINE,
            move || ka::keepalive(&client).map_err(|e| e.to_string()),
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

    #[test]
    fn set_keepalive_settings_read_back_as_set() {
        let (client, _server) = tcp_pair(STEP);
        let wanted = Keepalive {
            time: Duration::from_secs(7),
            interval: Duration::from_secs(3),
            retries: 4,
        };
        within(STEP, "set_keepalive", DEADLINE, move || {
            ka::set_keepalive(&client, &wanted)
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
}

mod timeouts {
    use std::time::Duration;

    use insta::assert_snapshot;
    use netlings::fixtures::loopback::closed_tcp_port;
    use netlings::given::timeouts::keepalive::Keepalive;
    use netlings::harness::{DEADLINE, expect_eq, normalize, run_program, tcp_listener, within};

    use crate::steps::timeouts;

    const STEP: &str = "timeouts";

    fn settings(time_ms: u64, interval_ms: u64, retries: u32) -> Keepalive {
        Keepalive {
            time: Duration::from_millis(time_ms),
            interval: Duration::from_millis(interval_ms),
            retries,
        }
    }

    /// `run_dial(addr, 3s, settings)` with a deadline: what it printed, and its error if any.
    fn dial(addr: String, settings: Keepalive) -> (String, Result<(), String>) {
        within(STEP, "run_dial to return", DEADLINE, move || {
            let mut out = Vec::new();
            let result = timeouts::run_dial(&addr, Duration::from_secs(3), &settings, &mut out);
            (
                String::from_utf8_lossy(&out).into_owned(),
                result.map_err(|e| e.to_string()),
            )
        })
    }

    #[test]
    fn run_dial_reports_the_keepalive_the_kernel_holds() {
        let listener = tcp_listener();
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        let got = dial(addr.to_string(), settings(7000, 3000, 4));
        let expected = format!(
            "connected to {addr}\n\
             keepalive: on, first probe after 7s, then every 3s, reset after 4 unanswered\n"
        );
        expect_eq(
            format!("run_dial({addr:?}, 3s, 7s/3s/4): output and result"),
            got,
            (expected, Ok(())),
        );
    }

    #[test]
    fn run_dial_refuses_fractional_seconds_before_it_connects() {
        // No server and not even an address: the settings are checked first.
        for (time, interval) in [(1500, 3000), (7000, 2500)] {
            let got = dial("nowhere".to_string(), settings(time, interval, 4));
            expect_eq(
                format!(
                    "run_dial(\"nowhere\", keepalive time {time}ms, interval {interval}ms): check \
                     the settings before anything else"
                ),
                got,
                (
                    String::new(),
                    Err(
                        "keepalive times are whole seconds (the kernel counts them in seconds)"
                            .to_string(),
                    ),
                ),
            );
        }
    }

    #[test]
    fn run_dial_explains_an_address_it_cannot_parse() {
        let got = dial("localhost:7008".to_string(), settings(7000, 3000, 4));
        expect_eq(
            "run_dial(\"localhost:7008\", ...)",
            got,
            (
                String::new(),
                Err(
                    "\"localhost:7008\" is not an address like 127.0.0.1:7008: invalid socket address syntax"
                        .to_string(),
                ),
            ),
        );
    }

    #[test]
    fn run_dial_names_the_server_it_cannot_reach() {
        let addr = closed_tcp_port();
        let (printed, result) = dial(addr.to_string(), settings(7000, 3000, 4));
        expect_eq(
            format!("run_dial({addr:?}) to a closed port: what it printed"),
            printed,
            String::new(),
        );
        let err = result.expect_err("run_dial to a closed port must fail");
        let start = format!("cannot connect to {addr} within 3s: ");
        assert!(
            err.starts_with(&start),
            "run_dial({addr:?}) to a closed port failed with {err:?}; expected a message starting \
             with {start:?} and then the connect error"
        );
    }

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
        let transcript = run_program(STEP, &argv, timeouts::run);
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
        let transcript = run_program(STEP, &argv, timeouts::run);
        assert!(
            !transcript.success(),
            "1500ms is not whole seconds:\n{transcript}"
        );
        assert_snapshot!(normalize(&transcript.to_string()));
    }

    #[test]
    fn program_serve_rejects_a_zero_timeout() {
        let transcript = run_program(
            STEP,
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
    fn program_serve_refuses_a_timeout_too_long_for_the_clock() {
        // Accepted, this was a panic in every client thread: `overflow when adding duration to
        // instant`.
        let mut transcripts = String::new();
        for option in ["--idle-timeout", "--deadline"] {
            let argv = ["timeouts", "serve", option, "10000000000000000000s"];
            let transcript = run_program(STEP, &argv, timeouts::run);
            assert!(
                !transcript.success(),
                "`{}` is refused:\n{transcript}",
                argv.join(" ")
            );
            transcripts.push_str(&transcript.to_string());
        }
        assert_snapshot!(transcripts);
    }

    #[test]
    fn program_dial_states_the_keepalive_limits() {
        // Outside these limits Linux's setsockopt says only "Invalid argument".
        let listener = tcp_listener();
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address")
            .to_string();
        let mut transcripts = String::new();
        for (option, value) in [
            ("--keepalive-time", "40000s"),
            ("--keepalive-interval", "32768s"),
            ("--keepalive-retries", "0"),
            ("--keepalive-retries", "128"),
        ] {
            let argv = ["timeouts", "dial", &addr, option, value];
            let transcript = run_program(STEP, &argv, timeouts::run);
            assert!(
                !transcript.success(),
                "`{option} {value}` is out of Linux's range:\n{transcript}"
            );
            transcripts.push_str(&normalize(&transcript.to_string()));
        }
        assert_snapshot!(transcripts);
    }

    #[test]
    fn program_without_a_command_prints_usage() {
        let transcript = run_program(STEP, &["timeouts"], timeouts::run);
        assert_snapshot!(transcript);
    }
}
