//! Grading tests for chapter 7, a concurrent TCP server: one module per step, in course order.
//! `cargo test --test ch07_echo_server` runs them against `exercises/ch07_echo_server/`, and
//! with `--features solutions` against `solutions/ch07_echo_server/`.
//!
//! The server tests run the learner's `serve` on a listener the test bound to 127.0.0.1:0, talk
//! to it with clients written here, and compare every echoed byte. The clients are the ones real
//! networks produce: many at once, ones that half-close, reset, or vanish.

// BEGIN STEPS
// The steps under test: `exercises/ch07_echo_server/`, or `solutions/ch07_echo_server/` with `--features solutions`.
// Generated from the catalog by `cargo dev update`. A step's `main` and the helpers its tests do
// not call are unused here, hence `allow(dead_code)`.
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch07_echo_server/1_echo_loop.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ch07_echo_server/1_echo_loop.rs"
)]
#[allow(dead_code)]
pub mod step1_echo_loop;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch07_echo_server/2_stop_handle.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ch07_echo_server/2_stop_handle.rs"
)]
#[allow(dead_code)]
pub mod step2_stop_handle;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch07_echo_server/3_accept_loop.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ch07_echo_server/3_accept_loop.rs"
)]
#[allow(dead_code)]
pub mod step3_accept_loop;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch07_echo_server/4_echo_server.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ch07_echo_server/4_echo_server.rs"
)]
#[allow(dead_code)]
pub mod step4_echo_server;
mod steps {
    pub use super::step1_echo_loop as echo_loop;
    pub use super::step2_stop_handle as stop_handle;
    pub use super::step3_accept_loop as accept_loop;
    pub use super::step4_echo_server as echo_server;
}
// END STEPS

mod echo_loop {
    use std::io::{self, Read, Write};
    use std::net::{Shutdown, TcpStream};
    use std::panic::{self, AssertUnwindSafe};
    use std::sync::mpsc;
    use std::thread;
    use std::time::Duration;

    use netlings::harness::{DEADLINE, Rng, expect_eq, panic_message, tcp_listener, within};
    use netlings::support::io::is_timeout;
    use socket2::SockRef;

    use crate::steps::echo_loop;

    const STEP: &str = "echo-loop";

    /// How long a client waits for `handle_client` to close after the client's EOF. A correct
    /// echo closes within milliseconds; a loop that spins on EOF never does, and the test must
    /// say so in seconds, not at the step's time limit.
    const SPIN_LIMIT: Duration = Duration::from_secs(2);

    /// Explains how an echo differs from what was sent.
    pub fn compare_echo(who: &str, got: &[u8], sent: &[u8]) -> Result<(), String> {
        if got == sent {
            return Ok(());
        }
        if got.len() < sent.len() && sent.starts_with(got) {
            return Err(format!(
                "{who} got back only the first {} of the {} bytes it sent",
                got.len(),
                sent.len()
            ));
        }
        let at = got
            .iter()
            .zip(sent)
            .position(|(a, b)| a != b)
            .unwrap_or(sent.len().min(got.len()));
        Err(format!(
            "{who} sent {} bytes and got {} back; they first differ at byte {at}",
            sent.len(),
            got.len()
        ))
    }

    /// `len` bytes that are different for each `seed`, so a swapped or shifted echo is noticed.
    pub fn pattern(seed: u64, len: usize) -> Vec<u8> {
        let mut rng = Rng::new(seed);
        (0..len).map(|_| rng.next_u64() as u8).collect()
    }

    /// Closes `conn` with a TCP reset (RST) instead of a FIN: SO_LINGER with a zero timeout makes
    /// `close` throw away unsent data and abort the connection.
    pub fn reset(conn: TcpStream) {
        SockRef::from(&conn)
            .set_linger(Some(Duration::ZERO))
            .expect("SO_LINGER can be set on a connected socket");
        drop(conn);
    }

    // ---------------------------------------------------------------------------------------------
    // echo, on streams the test controls

    /// A stream that hands out its input 7 bytes a read, takes at most 5 bytes a write, fails some
    /// calls with `Interrupted`, and at the end returns EOF (or the error `end`), panicking if it
    /// is read again and again after that.
    struct Script {
        input: Vec<u8>,
        at: usize,
        output: Vec<u8>,
        calls: u32,
        end: Option<io::ErrorKind>,
        reads_after_end: u32,
    }

    impl Script {
        fn new(input: Vec<u8>) -> Self {
            Self {
                input,
                at: 0,
                output: Vec::new(),
                calls: 0,
                end: None,
                reads_after_end: 0,
            }
        }
    }

    impl Read for Script {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.calls += 1;
            if self.calls.is_multiple_of(7) {
                return Err(io::ErrorKind::Interrupted.into());
            }
            if self.at == self.input.len() {
                self.reads_after_end += 1;
                match self.end {
                    None => assert!(
                        self.reads_after_end < 100,
                        "echo called read 100 times after it returned 0 (EOF). A read of 0 bytes \
                         means the peer will send nothing more, and every later read returns 0 at \
                         once: return, or the loop spins at full CPU (the notes' handleClient, \
                         with its error ignored, does exactly that)"
                    ),
                    Some(kind) => assert!(
                        self.reads_after_end < 100,
                        "echo called read 100 times after it failed with {kind:?}. Only \
                         `Interrupted` means \"try again\": any other error ends the echo, return it"
                    ),
                }
                return match self.end {
                    None => Ok(0),
                    Some(kind) => Err(kind.into()),
                };
            }
            let n = buf.len().min(7).min(self.input.len() - self.at);
            buf[..n].copy_from_slice(&self.input[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    impl Write for Script {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.calls += 1;
            if self.calls.is_multiple_of(7) {
                return Err(io::ErrorKind::Interrupted.into());
            }
            let n = buf.len().min(5);
            self.output.extend_from_slice(&buf[..n]);
            Ok(n)
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn echo_returns_at_eof_with_the_byte_count() {
        let (count, output) = within(STEP, "echo to return after EOF", DEADLINE, || {
            let mut stream = Script::new(b"hello\n".to_vec());
            let count = echo_loop::echo(&mut stream).map_err(|e| e.to_string());
            (count, stream.output)
        });
        expect_eq(
            "echo(b\"hello\\n\") wrote (a `write` may take only part of the buffer: use `write_all`)",
            output.as_slice(),
            b"hello\n".as_slice(),
        );
        expect_eq("echo(b\"hello\\n\") returned", count, Ok(6));
    }

    #[test]
    fn echo_copies_every_byte_through_short_reads_short_writes_and_interruptions() {
        let input = pattern(7, 10_000);
        let expected = input.clone();
        let (count, output) = within(
            STEP,
            "echo over a stream that moves 5 to 7 bytes a call",
            DEADLINE,
            move || {
                let mut stream = Script::new(input);
                let count = echo_loop::echo(&mut stream).map_err(|e| e.to_string());
                (count, stream.output)
            },
        );
        if let Err(e) = &count {
            panic!(
                "echo failed: {e}\n(`Interrupted` means: try again. `write` may take part of the buffer: use `write_all`)"
            );
        }
        if let Err(why) = compare_echo(
            "echo on a stream taking 5 bytes a write",
            &output,
            &expected,
        ) {
            panic!(
                "{why}\n`write` may take only part of the buffer and says how much: use `write_all`."
            );
        }
        expect_eq("echo's byte count", count, Ok(expected.len() as u64));
    }

    #[test]
    fn echo_returns_a_read_error_that_is_not_an_interruption() {
        let (result, output) = within(STEP, "echo to return after a reset", DEADLINE, || {
            let mut stream = Script::new(b"bye\n".to_vec());
            stream.end = Some(io::ErrorKind::ConnectionReset);
            let result = echo_loop::echo(&mut stream).map_err(|e| e.kind());
            (result, stream.output)
        });
        expect_eq(
            "what echo wrote before the reset",
            output.as_slice(),
            b"bye\n".as_slice(),
        );
        expect_eq(
            "echo on a stream whose read fails with ConnectionReset after \"bye\\n\"",
            result,
            Err(io::ErrorKind::ConnectionReset),
        );
    }

    // ---------------------------------------------------------------------------------------------
    // handle_client, on a real connection

    /// What `handle_client` returned, or its panic message.
    type Outcome = Result<io::Result<u64>, String>;

    /// A client connected to the learner's `handle_client`, which runs on a thread of its own.
    /// As `serve` does (in its list of open connections), the test holds the server's side of
    /// the connection too, here with a second handle: only `shutdown` ends it.
    struct Served {
        client: TcpStream,
        done: mpsc::Receiver<Outcome>,
        _second_handle: TcpStream,
    }

    fn served() -> Served {
        served_with(|_| {})
    }

    /// [`served`], with `setup` applied to the server's side before `handle_client` gets it.
    fn served_with(setup: fn(&TcpStream)) -> Served {
        let listener = tcp_listener();
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        let client = TcpStream::connect_timeout(&addr, DEADLINE).expect("connecting on loopback");
        let (server, _) = listener.accept().expect("accepting on loopback");
        setup(&server);
        let second_handle = server.try_clone().expect("a second handle to the socket");
        client
            .set_read_timeout(Some(SPIN_LIMIT))
            .expect("a non-zero timeout");
        client
            .set_write_timeout(Some(DEADLINE))
            .expect("a non-zero timeout");
        let (tx, done) = mpsc::channel();
        thread::Builder::new()
            .name("handle_client".into())
            .spawn(move || {
                let result =
                    panic::catch_unwind(AssertUnwindSafe(|| echo_loop::handle_client(&server)));
                let _ = tx.send(result.map_err(|p| panic_message(p.as_ref())));
            })
            .expect("starting handle_client's thread");
        Served {
            client,
            done,
            _second_handle: second_handle,
        }
    }

    impl Served {
        /// Sends `message`, half-closes, and reads until `handle_client` closes.
        fn exchange(&self, message: &[u8]) -> Result<Vec<u8>, String> {
            (&self.client)
                .write_all(message)
                .map_err(|e| format!("sending {} bytes to handle_client: {e}", message.len()))?;
            self.client
                .shutdown(Shutdown::Write)
                .map_err(|e| format!("half-closing: {e}"))?;
            self.read_to_eof()
        }

        /// Reads until the server closes; explains a server that does not.
        fn read_to_eof(&self) -> Result<Vec<u8>, String> {
            let mut got = Vec::new();
            match (&self.client).read_to_end(&mut got) {
                Ok(_) => Ok(got),
                Err(e) if is_timeout(&e) => Err(self.why_no_eof(got.len())),
                Err(e) => Err(format!(
                    "reading the echo failed after {} bytes: {e}",
                    got.len()
                )),
            }
        }

        fn why_no_eof(&self, echoed: usize) -> String {
            match self.done.try_recv() {
                Ok(Err(panic)) => format!("handle_client panicked: {panic}"),
                Ok(Ok(result)) => format!(
                    "handle_client returned {result:?}, but the client saw no EOF within \
                     {SPIN_LIMIT:?} ({echoed} bytes echoed). Someone else holds the socket too \
                     (`serve`'s list of open connections does), so only `shutdown` ends the \
                     connection"
                ),
                Err(_) => format!(
                    "{SPIN_LIMIT:?} after the client's EOF, handle_client had not returned and \
                     had not closed the connection ({echoed} bytes echoed). Most likely the echo \
                     loop goes on after a read of 0 bytes: that is EOF, every later read returns \
                     0 again at once, and the loop spins at full CPU forever. Return from `echo` \
                     when `read` gives `Ok(0)`"
                ),
            }
        }

        /// What `handle_client` returned, once the client has seen EOF.
        fn outcome(&self) -> Outcome {
            self.done.recv_timeout(SPIN_LIMIT).unwrap_or_else(|_| {
                Err(format!(
                    "handle_client had not returned {SPIN_LIMIT:?} after the connection ended"
                ))
            })
        }
    }

    #[test]
    fn handle_client_echoes_and_closes_after_the_clients_eof() {
        let served = served();
        let got = served
            .exchange(b"hello, echo\n")
            .unwrap_or_else(|e| panic!("{e}"));
        compare_echo("the client of handle_client", &got, b"hello, echo\n")
            .unwrap_or_else(|e| panic!("{e}"));
        expect_eq(
            "handle_client for a client that sent 12 bytes returned",
            served.outcome().map(|r| r.map_err(|e| e.to_string())),
            Ok(Ok(12)),
        );
    }

    #[test]
    fn handle_client_closes_at_once_for_a_client_that_sends_nothing() {
        let served = served();
        // Send nothing at all: only a FIN.
        let got = served.exchange(b"").unwrap_or_else(|e| panic!("{e}"));
        expect_eq(
            "what handle_client sent to a client that sent nothing",
            got.as_slice(),
            b"".as_slice(),
        );
        expect_eq(
            "handle_client for a client that sent nothing returned",
            served.outcome().map(|r| r.map_err(|e| e.to_string())),
            Ok(Ok(0)),
        );
    }

    #[test]
    fn a_half_closed_client_still_gets_its_whole_echo() {
        let served = served();
        let message = pattern(11, 200_000);
        // Everything is sent and the FIN follows before we read a byte: the server must keep
        // writing the echo to a client that will send nothing more.
        let got = served.exchange(&message).unwrap_or_else(|e| panic!("{e}"));
        compare_echo("the half-closed client", &got, &message).unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn handle_client_returns_an_error_when_the_client_resets() {
        let served = served();
        (&served.client)
            .write_all(&pattern(3, 100_000))
            .expect("sending to handle_client");
        let mut some = [0u8; 1000];
        (&served.client)
            .read_exact(&mut some)
            .unwrap_or_else(|e| panic!("no echo from handle_client: {e}"));
        let Served { client, done, .. } = served;
        reset(client);
        let outcome = done
            .recv_timeout(SPIN_LIMIT)
            .unwrap_or_else(|_| {
                panic!(
                    "[{STEP}] handle_client had not returned {SPIN_LIMIT:?} after its client reset the \
                     connection: an error other than `Interrupted` ends the echo"
                )
            })
            .unwrap_or_else(|panic| {
                panic!(
                    "handle_client panicked when its client reset the connection: {panic}\n\
                     A reset is what peers do: return the error, do not unwrap it"
                )
            });
        assert!(
            outcome.is_err(),
            "handle_client returned {outcome:?} for a client that reset the connection: the \
             error must reach the caller, which logs it"
        );
    }

    #[test]
    fn handle_client_returns_when_a_read_keeps_failing() {
        // A client that connects and says nothing, on a connection whose reads give up after
        // 50 ms (as chapter 8's servers set): every read fails with a timeout, again and
        // again, at once if the loop asks again at once.
        let served = served_with(|server| {
            server
                .set_read_timeout(Some(Duration::from_millis(50)))
                .expect("a non-zero timeout");
        });
        let Served { client, done, .. } = served;
        let outcome = done
            .recv_timeout(SPIN_LIMIT)
            .unwrap_or_else(|_| {
                panic!(
                    "[{STEP}] handle_client had not returned {SPIN_LIMIT:?} after its reads \
                     started failing (a silent client, and a read timeout of 50 ms): an error \
                     other than `Interrupted` ends the echo. Going round again on it spins at \
                     full CPU for as long as the client stays connected"
                )
            })
            .unwrap_or_else(|panic| panic!("handle_client panicked: {panic}"));
        drop(client);
        assert!(
            outcome.as_ref().is_err_and(is_timeout),
            "handle_client on a connection whose read timed out returned {outcome:?}: the \
             read's error must reach the caller"
        );
    }
}

mod stop_handle {
    use std::io;
    use std::net::{SocketAddr, TcpListener, TcpStream};
    use std::panic::{self, AssertUnwindSafe};
    use std::sync::mpsc;
    use std::thread;
    use std::time::Duration;

    use netlings::harness::{DEADLINE, expect_eq, panic_message, skip, tcp_listener, within};
    use socket2::{Domain, Socket, Type};

    use crate::steps::stop_handle::StopHandle;

    const STEP: &str = "stop-handle";

    #[test]
    fn a_new_handle_is_not_stopping_and_wakes_the_listeners_address() {
        let listener = tcp_listener();
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        let handle = within(STEP, "StopHandle::new", DEADLINE, move || {
            StopHandle::new(&listener).map_err(|e| e.to_string())
        })
        .unwrap_or_else(|e| panic!("StopHandle::new on a listener at {addr} failed: {e}"));
        expect_eq(
            format!("StopHandle::new(listener at {addr}).is_stopping()"),
            handle.is_stopping(),
            false,
        );
        expect_eq(
            format!("StopHandle::new(listener at {addr}).wake_addr()"),
            handle.wake_addr(),
            addr,
        );
    }

    #[test]
    fn stop_sets_the_flag_that_every_clone_sees() {
        let listener = tcp_listener();
        let handle = StopHandle::new(&listener).expect("StopHandle::new on a bound listener");
        let clone = handle.clone();
        within(STEP, "StopHandle::stop to return", DEADLINE, move || {
            clone.stop()
        });
        expect_eq(
            "is_stopping() of the handle a clone of which was stopped (share the flag: `Arc`)",
            handle.is_stopping(),
            true,
        );
    }

    #[test]
    fn stop_wakes_an_accept_and_sets_the_flag_before() {
        let listener = tcp_listener();
        let handle = StopHandle::new(&listener).expect("StopHandle::new on a bound listener");
        let watcher = handle.clone();
        let (tx, woke) = mpsc::channel();
        // What a server's loop does: wait in `accept`, then look at the flag.
        thread::spawn(move || {
            let accepted = listener.accept().map(|_| ()).map_err(|e| e.to_string());
            let _ = tx.send((accepted, watcher.is_stopping()));
        });
        within(STEP, "StopHandle::stop to return", DEADLINE, move || {
            handle.stop()
        });
        let (accepted, stopping) = woke.recv_timeout(DEADLINE).unwrap_or_else(|_| {
            panic!(
                "[{STEP}] a thread blocked in `accept` was still waiting {DEADLINE:?} after \
                 stop(): `accept` has no timeout and returns only when a connection arrives. \
                 Connect to `wake_addr`"
            )
        });
        expect_eq("what the woken accept returned", accepted, Ok(()));
        expect_eq(
            "is_stopping(), as seen by the loop that stop() woke (set the flag before you \
             connect: a loop woken first would find it unset and go back to waiting)",
            stopping,
            true,
        );
    }

    /// A listener on 127.0.0.1 whose accept queue is full, so a connect to it hangs until its
    /// timeout; `None` on a system that completes every connection anyway.
    fn full_listener() -> Option<(TcpListener, Vec<TcpStream>)> {
        let socket = Socket::new(Domain::IPV4, Type::STREAM, None).ok()?;
        let any: SocketAddr = "127.0.0.1:0".parse().expect("a valid socket address");
        socket.bind(&any.into()).ok()?;
        // A backlog of 0: Linux queues one finished handshake and drops SYNs after that.
        socket.listen(0).ok()?;
        let listener: TcpListener = socket.into();
        let addr = listener.local_addr().ok()?;
        let mut queued = Vec::new();
        for _ in 0..32 {
            match TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
                Ok(conn) => queued.push(conn),
                Err(e) if e.kind() == io::ErrorKind::TimedOut => return Some((listener, queued)),
                Err(_) => return None,
            }
        }
        None
    }

    #[test]
    fn stop_sets_the_flag_before_it_connects() {
        let Some((listener, _queued)) = full_listener() else {
            return skip(
                "this system completed every connection to a listener with backlog 0, so no \
                 connect hangs on loopback here (the test needs Linux's accept-queue behaviour)",
            );
        };
        let handle = StopHandle::new(&listener).expect("StopHandle::new on a bound listener");
        let watcher = handle.clone();
        // Nobody accepts and the queue is full: stop()'s connect hangs until its timeout, and
        // the flag must already be set while it does.
        let (tx, stopped) = mpsc::channel();
        thread::spawn(move || {
            let result = panic::catch_unwind(AssertUnwindSafe(|| handle.stop()));
            let _ = tx.send(result.map_err(|p| panic_message(p.as_ref())));
        });
        loop {
            if watcher.is_stopping() {
                return;
            }
            match stopped.recv_timeout(Duration::from_millis(1)) {
                Err(mpsc::RecvTimeoutError::Timeout) => continue,
                Err(mpsc::RecvTimeoutError::Disconnected) => panic!("stop()'s thread died"),
                Ok(Err(panic)) => panic!("[{STEP}] stop() panicked: {panic}"),
                Ok(Ok(())) => panic!(
                    "[{STEP}] is_stopping() was still false while stop() was connecting: set the \
                     flag first, then connect. The `accept` your connection wakes looks at the \
                     flag at once, and must find it set"
                ),
            }
        }
    }

    #[test]
    fn stop_returns_when_the_server_is_already_gone() {
        let listener = tcp_listener();
        let handle = StopHandle::new(&listener).expect("StopHandle::new on a bound listener");
        drop(listener);
        let watcher = handle.clone();
        within(
            STEP,
            "StopHandle::stop with nobody listening to return",
            DEADLINE,
            move || handle.stop(),
        );
        expect_eq(
            "is_stopping() after stop() found nobody to wake",
            watcher.is_stopping(),
            true,
        );
    }
}

mod accept_loop {
    use std::io::{self, Read, Write};
    use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
    use std::panic::{self, AssertUnwindSafe};
    use std::sync::{Arc, Condvar, Mutex, PoisonError, mpsc};
    use std::thread;
    use std::time::{Duration, Instant};

    use netlings::fixtures::child::{ChildServer, Shortage};
    use netlings::given::echo_server::stop_handle::StopHandle;
    use netlings::harness::{
        DEADLINE, all_succeed, expect_eq, panic_message, tcp_listener, within,
    };
    use netlings::support::io::is_timeout;

    use crate::echo_loop::{compare_echo, pattern, reset};
    use crate::steps::accept_loop;

    const STEP: &str = "accept-loop";

    /// How long one client waits for the server before it gives up.
    const PATIENCE: Duration = Duration::from_secs(3);

    /// A log that the test can read, and wait on, while `serve` writes to it from several
    /// threads.
    #[derive(Clone, Default)]
    struct SharedLog(Arc<(Mutex<Vec<u8>>, Condvar)>);

    impl SharedLog {
        fn text(&self) -> String {
            String::from_utf8_lossy(&self.0.0.lock().unwrap_or_else(PoisonError::into_inner))
                .into_owned()
        }

        /// Waits at most `limit` for a line that starts with `prefix`; whether one came.
        fn wait_for_line(&self, prefix: &str, limit: Duration) -> bool {
            let (text, written) = &*self.0;
            let has_line = |bytes: &mut Vec<u8>| {
                String::from_utf8_lossy(bytes)
                    .lines()
                    .any(|line| line.starts_with(prefix))
            };
            let text = text.lock().unwrap_or_else(PoisonError::into_inner);
            let (mut text, _) = written
                .wait_timeout_while(text, limit, |bytes| !has_line(bytes))
                .unwrap_or_else(PoisonError::into_inner);
            has_line(&mut text)
        }
    }

    impl Write for SharedLog {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            let (text, written) = &*self.0;
            text.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .extend_from_slice(buf);
            written.notify_all();
            Ok(buf.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// The learner's `serve`, running on a thread of its own with a listener the test bound.
    struct Server {
        addr: SocketAddr,
        stop: StopHandle,
        log: SharedLog,
        /// That `serve` returned, or its panic message.
        done: mpsc::Receiver<Result<(), String>>,
    }

    fn start_server() -> Server {
        let listener = tcp_listener();
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        let stop = StopHandle::new(&listener).expect("StopHandle::new on a bound listener");
        let log = SharedLog::default();
        let (tx, done) = mpsc::channel();
        let (handle, mut writer) = (stop.clone(), log.clone());
        let serving = thread::Builder::new()
            .name("echo-server: serve".into())
            .spawn(move || {
                let result = panic::catch_unwind(AssertUnwindSafe(|| {
                    accept_loop::serve(listener, &handle, &mut writer)
                }));
                let _ = tx.send(result.map_err(|p| panic_message(p.as_ref())));
            });
        serving.expect("starting the server's thread");
        Server {
            addr,
            stop,
            log,
            done,
        }
    }

    impl Server {
        /// Fails with `serve`'s panic if it already ended: a server must not stop because of one
        /// client.
        fn assert_still_running(&self, after: &str) {
            match self.done.try_recv() {
                Err(mpsc::TryRecvError::Empty) => {}
                Ok(Err(panic)) => panic!("[{STEP}] serve panicked {after}: {panic}"),
                Ok(Ok(())) => {
                    panic!("[{STEP}] serve returned {after}: it must keep serving until stopped")
                }
                Err(mpsc::TryRecvError::Disconnected) => {
                    panic!("[{STEP}] serve's thread died {after}")
                }
            }
        }
    }

    /// A client connection with timeouts, so a server that never answers fails the check.
    fn connect(addr: SocketAddr, who: &str) -> io::Result<TcpStream> {
        let conn = TcpStream::connect_timeout(&addr, PATIENCE).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!(
                    "{who} could not connect to the server at {addr}: {e} (did serve return or \
                     panic? see its output above)"
                ),
            )
        })?;
        conn.set_read_timeout(Some(PATIENCE))?;
        conn.set_write_timeout(Some(PATIENCE))?;
        Ok(conn)
    }

    /// A trustworthy client: sends `message` while reading, half-closes, reads until the server
    /// closes. Errors say which step failed in network terms.
    fn exchange(conn: &TcpStream, message: &[u8]) -> Result<Vec<u8>, String> {
        thread::scope(|scope| {
            let sender = scope.spawn(move || {
                let mut conn = conn;
                conn.write_all(message)?;
                conn.shutdown(Shutdown::Write)
            });
            let mut echoed = Vec::new();
            let received = (&mut &*conn).read_to_end(&mut echoed);
            let sent = sender
                .join()
                .unwrap_or_else(|_| Err(io::Error::other("sender panicked")));
            if let Err(e) = sent {
                return Err(format!(
                    "sending {} bytes failed after the server took some: {e}",
                    message.len()
                ));
            }
            match received {
                Ok(_) => Ok(echoed),
                Err(e) if is_timeout(&e) && echoed.len() == message.len() => Err(format!(
                    "the whole echo ({} bytes) came back, but the server never closed the \
                     connection after the client's EOF (waited {PATIENCE:?}): serve each \
                     connection with `handle_client`, which closes it after the client's EOF",
                    echoed.len()
                )),
                Err(e) if is_timeout(&e) && echoed.is_empty() => Err(format!(
                    "got not one byte of the echo of {} bytes within {PATIENCE:?} (is the server busy \
                 with another client? each one needs a thread of its own)",
                    message.len()
                )),
                Err(e) if is_timeout(&e) => Err(format!(
                    "got {} of {} echoed bytes, then nothing for {PATIENCE:?}",
                    echoed.len(),
                    message.len()
                )),
                Err(e) => Err(format!(
                    "reading the echo failed after {} bytes: {e}",
                    echoed.len()
                )),
            }
        })
    }

    fn echo_through(addr: SocketAddr, who: &str, message: &[u8]) -> Result<(), String> {
        let conn = connect(addr, who).map_err(|e| e.to_string())?;
        let got = exchange(&conn, message).map_err(|e| format!("{who}: {e}"))?;
        compare_echo(who, &got, message)
    }

    // ---------------------------------------------------------------------------------------------
    // serve, with well-behaved clients

    #[test]
    fn the_server_echoes_one_client() {
        let server = start_server();
        let addr = server.addr;
        within(STEP, "the echo of one client", DEADLINE, move || {
            echo_through(addr, "the client", b"hello, echo\n")
        })
        .unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn the_server_closes_the_connection_after_the_clients_eof() {
        let server = start_server();
        let addr = server.addr;
        let result = within(
            STEP,
            "the server to close after the client's EOF",
            DEADLINE,
            move || {
                let conn = connect(addr, "the client").map_err(|e| e.to_string())?;
                // Send nothing at all: only a FIN.
                conn.shutdown(Shutdown::Write).map_err(|e| e.to_string())?;
                let mut rest = Vec::new();
                match (&conn).read_to_end(&mut rest) {
                    Ok(_) if rest.is_empty() => Ok(()),
                    Ok(_) => Err(format!(
                        "the server sent {} bytes to a client that sent none",
                        rest.len()
                    )),
                    Err(e) if is_timeout(&e) => Err(format!(
                        "the server never closed the connection after the client's EOF (waited \
                         {PATIENCE:?}): serve each connection with `handle_client`, which closes \
                         it after the client's EOF"
                    )),
                    Err(e) => Err(format!(
                        "the server reset the connection instead of closing it: {e}"
                    )),
                }
            },
        );
        result.unwrap_or_else(|e: String| panic!("{e}"));
        server.assert_still_running("after a client's EOF");
    }

    #[test]
    fn a_half_closed_client_still_gets_its_whole_echo() {
        let server = start_server();
        let addr = server.addr;
        let result = within(
            STEP,
            "the echo of a client that half-closed",
            DEADLINE,
            move || {
                let conn = connect(addr, "the client").map_err(|e| e.to_string())?;
                let message = pattern(11, 200_000);
                // Everything is sent and the FIN follows before we read a byte: the server must keep
                // writing the echo to a client that will send nothing more.
                (&conn).write_all(&message).map_err(|e| e.to_string())?;
                conn.shutdown(Shutdown::Write).map_err(|e| e.to_string())?;
                let mut echoed = Vec::new();
                (&conn)
                    .read_to_end(&mut echoed)
                    .map_err(|e| format!("after {} echoed bytes: {e}", echoed.len()))?;
                compare_echo("the half-closed client", &echoed, &message)
            },
        );
        result.unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn a_one_mebibyte_message_comes_back_byte_for_byte() {
        let server = start_server();
        let addr = server.addr;
        let message = pattern(1, 1024 * 1024);
        within(STEP, "the echo of a 1 MiB message", DEADLINE, move || {
            echo_through(addr, "the 1 MiB client", &message)
        })
        .unwrap_or_else(|e| panic!("{e}"));
    }

    // ---------------------------------------------------------------------------------------------
    // Many clients at once

    /// Counts arrivals and lets waiters block until everyone has arrived or a deadline shared by all
    /// has passed (std's `Barrier` waits forever, and a per-wait limit would let a serial server's
    /// clients time out one after the other).
    struct Gate {
        arrived: Mutex<usize>,
        all_in: Condvar,
        expected: usize,
        patience: Duration,
        deadline: Instant,
    }

    impl Gate {
        fn new(expected: usize, patience: Duration) -> Self {
            Self {
                arrived: Mutex::new(0),
                all_in: Condvar::new(),
                expected,
                patience,
                deadline: Instant::now() + patience,
            }
        }

        /// The time left before the deadline (at least 1 ms: a zero socket timeout is refused).
        fn remaining(&self) -> Duration {
            self.deadline
                .saturating_duration_since(Instant::now())
                .max(Duration::from_millis(1))
        }

        /// Arrives and waits for the others; returns how many had arrived when it stopped waiting.
        fn arrive_and_wait(&self) -> usize {
            let mut arrived = self.arrived.lock().unwrap_or_else(|e| e.into_inner());
            *arrived += 1;
            self.all_in.notify_all();
            let (arrived, _) = self
                .all_in
                .wait_timeout_while(arrived, self.remaining(), |n| *n < self.expected)
                .unwrap_or_else(|e| e.into_inner());
            *arrived
        }
    }

    /// The client number written in an echo, if any: each client's messages start `client NNN`.
    fn client_tag(bytes: &[u8]) -> Option<usize> {
        let text = String::from_utf8_lossy(bytes);
        let at = text.find("client ")? + "client ".len();
        text.get(at..at + 3)?.parse().ok()
    }

    /// One client of the concurrency check: first message, wait until every client has had its
    /// first echo (all connected at once), second message, EOF.
    fn concurrent_client(addr: SocketAddr, i: usize, n: usize, gate: &Gate) -> Result<(), String> {
        let who = format!("client {i}");
        let conn = connect(addr, &who).map_err(|e| e.to_string())?;
        let first = format!("client {i:03} says hello\n").into_bytes();
        (&conn)
            .write_all(&first)
            .map_err(|e| format!("{who} could not send: {e}"))?;
        let mut echo = vec![0; first.len()];
        conn.set_read_timeout(Some(gate.remaining()))
            .map_err(|e| e.to_string())?;
        if let Err(e) = (&conn).read_exact(&mut echo) {
            return Err(format!(
                "{who} got no echo within {:?} of the start while other clients were connected ({e}): \
             a server that handles one client at a time makes everyone else wait",
                gate.patience
            ));
        }
        if let Some(other) = client_tag(&echo).filter(|&other| other != i) {
            return Err(format!(
                "{who} got bytes of client {other}: each connection must echo its own bytes"
            ));
        }
        compare_echo(&who, &echo, &first)?;
        conn.set_read_timeout(Some(PATIENCE))
            .map_err(|e| e.to_string())?;
        let arrived = gate.arrive_and_wait();
        if arrived < n {
            return Err(format!(
                "only {arrived} of {n} clients got their first echo within {:?} while all were \
             connected: the server does not serve clients at the same time",
                gate.patience
            ));
        }
        let mut second = format!("client {i:03} again\n").into_bytes();
        second.extend(pattern(i as u64 + 100, 4000));
        let got = exchange(&conn, &second).map_err(|e| format!("{who}: {e}"))?;
        if let Some(other) = client_tag(&got).filter(|&other| other != i) {
            return Err(format!(
                "{who} got bytes of client {other}: each connection must echo its own bytes"
            ));
        }
        compare_echo(&who, &got, &second)
    }

    /// Runs `n` clients at once against `addr`; the first failure, with how many failed.
    fn check_concurrent_clients(
        addr: SocketAddr,
        n: usize,
        patience: Duration,
    ) -> Result<(), String> {
        let gate = Arc::new(Gate::new(n, patience));
        let clients: Vec<_> = (0..n)
            .map(|i| {
                let gate = Arc::clone(&gate);
                thread::spawn(move || concurrent_client(addr, i, n, &gate))
            })
            .collect();
        all_succeed(clients, "concurrent clients")
    }

    const CLIENTS: usize = 120;

    #[test]
    fn a_hundred_and_twenty_clients_are_served_at_once() {
        let server = start_server();
        let addr = server.addr;
        within(STEP, "120 concurrent clients", DEADLINE * 2, move || {
            check_concurrent_clients(addr, CLIENTS, PATIENCE)
        })
        .unwrap_or_else(|e| panic!("{e}"));
        server.assert_still_running("after 120 clients");
    }

    /// Newmarch's SimpleEchoServer: one client at a time.
    fn serve_one_at_a_time(listener: TcpListener) {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            let mut buf = [0u8; 512];
            while let Ok(n @ 1..) = conn.read(&mut buf) {
                if conn.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
        }
    }

    #[test]
    fn the_concurrency_check_catches_a_server_that_serves_one_client_at_a_time() {
        // Not a test of your code: proof that the check above can fail.
        let listener = tcp_listener();
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        thread::spawn(move || serve_one_at_a_time(listener));
        let result = within(
            STEP,
            "the concurrency check on a serial server",
            DEADLINE * 2,
            move || check_concurrent_clients(addr, 10, Duration::from_secs(1)),
        );
        let error = result.expect_err("a one-client-at-a-time server passed the concurrency check");
        assert!(
            error.contains("clients failed"),
            "unexpected failure: {error}"
        );
    }

    // ---------------------------------------------------------------------------------------------
    // Bad clients

    #[test]
    fn a_client_that_resets_mid_stream_does_not_stop_the_server() {
        let server = start_server();
        let addr = server.addr;
        // Connected before the reset, and still served after it.
        let bystander = connect(addr, "the bystander").expect("connecting to the server");
        within(
            STEP,
            "a reset client, then a normal one",
            DEADLINE,
            move || {
                let rude = connect(addr, "the resetting client").map_err(|e| e.to_string())?;
                (&rude)
                    .write_all(&pattern(3, 100_000))
                    .map_err(|e| e.to_string())?;
                let mut some = [0u8; 1000];
                (&rude).read_exact(&mut some).map_err(|e| {
                    format!(
                        "the resetting client got no echo ({e}) while another client was \
                         connected: the server must serve each client on a thread of its own"
                    )
                })?;
                reset(rude);
                echo_through(addr, "a client after the reset", b"still there?\n")
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
        server.assert_still_running("after a client reset its connection");
        let got = within(
            STEP,
            "the echo of a client connected before the reset",
            DEADLINE,
            move || exchange(&bystander, b"me too\n"),
        );
        expect_eq("the bystander's echo", got, Ok(b"me too\n".to_vec()));
    }

    #[test]
    fn a_client_that_fails_is_logged_with_its_address() {
        let server = start_server();
        let addr = server.addr;
        let rude_addr = within(
            STEP,
            "a client that resets mid-stream",
            DEADLINE,
            move || -> Result<SocketAddr, String> {
                let rude = connect(addr, "the resetting client").map_err(|e| e.to_string())?;
                let rude_addr = rude.local_addr().map_err(|e| e.to_string())?;
                (&rude)
                    .write_all(&pattern(4, 100_000))
                    .map_err(|e| e.to_string())?;
                let mut some = [0u8; 1000];
                (&rude)
                    .read_exact(&mut some)
                    .map_err(|e| format!("the resetting client got no echo: {e}"))?;
                reset(rude);
                Ok(rude_addr)
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
        // Wait for the line before stopping: a stop that came first would end the connection
        // cleanly before the server saw the reset.
        let expected = format!("echo-server: client {rude_addr}: ");
        let logged = server.log.wait_for_line(&expected, DEADLINE);
        let stop = server.stop.clone();
        within(STEP, "StopHandle::stop to return", DEADLINE, move || {
            stop.stop()
        });
        expect_serve_to_return(
            &server,
            "stop_wakes_a_serve_that_has_no_clients and stop_closes_open_connections_and_ends_serve \
             say more",
        );
        let log = server.log.text();
        assert!(
            logged,
            "the log of serve after a client at {rude_addr} reset its connection has no line \
             starting {expected:?}: write the error `handle_client` returns, with the client's \
             address (`peer_addr`, taken before the connection goes to `handle_client`), to \
             `log`.\nThe log:\n{log}"
        );
    }

    #[test]
    fn the_server_keeps_serving_after_bad_clients() {
        let server = start_server();
        let addr = server.addr;
        within(
            STEP,
            "bad clients, then a good one",
            DEADLINE,
            move || -> Result<(), String> {
                let err = |e: io::Error| e.to_string();
                // Connects and leaves at once.
                drop(connect(addr, "the client that leaves").map_err(err)?);
                // Connects, sends half a message, and stays silent for the rest of the test.
                let silent = connect(addr, "the silent client").map_err(err)?;
                (&silent).write_all(b"half a mess").map_err(err)?;
                // Sends, never reads its echo, and closes: with unread data, `close` sends a reset.
                let rude = connect(addr, "the client that never reads").map_err(err)?;
                (&rude).write_all(&pattern(5, 64 * 1024)).map_err(err)?;
                drop(rude);
                // Resets before sending anything.
                reset(connect(addr, "the client that resets at once").map_err(err)?);
                for i in 0..3 {
                    echo_through(addr, &format!("good client {i}"), &pattern(20 + i, 10_000))?;
                }
                drop(silent);
                Ok(())
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
        server.assert_still_running("after bad clients");
    }

    // ---------------------------------------------------------------------------------------------
    // Stopping

    /// Waits for `serve` to return after `stop()`; `stuck` explains a `serve` that does not.
    fn expect_serve_to_return(server: &Server, stuck: &str) {
        match server.done.recv_timeout(DEADLINE) {
            Ok(Ok(())) => {}
            Ok(Err(panic)) => panic!("serve panicked when stopped: {panic}"),
            Err(_) => {
                panic!("[{STEP}] serve did not return within {DEADLINE:?} of stop(): {stuck}")
            }
        }
    }

    #[test]
    fn stop_wakes_a_serve_that_has_no_clients() {
        let server = start_server();
        let stop = server.stop.clone();
        within(STEP, "StopHandle::stop to return", DEADLINE, move || {
            stop.stop()
        });
        expect_serve_to_return(
            &server,
            "with no client connected, serve is blocked in `accept`; `stop()` sets the flag and \
             connects, so `accept` returns. Check `stop.is_stopping()` for every connection \
             `accept` returns, before serving it, and leave the loop when it is true",
        );
    }

    #[test]
    fn stop_closes_open_connections_and_ends_serve() {
        let server = start_server();
        let addr = server.addr;
        let idle = connect(addr, "the idle client").expect("connecting to the server");
        // An echo proves the server took this client on before it is asked to stop.
        (&idle).write_all(b"hi").expect("sending to the server");
        let mut hi = [0u8; 2];
        (&idle).read_exact(&mut hi).expect("the server echoes `hi`");
        let stop = server.stop.clone();
        within(STEP, "StopHandle::stop to return", DEADLINE, move || {
            stop.stop()
        });
        expect_serve_to_return(
            &server,
            "an idle client is connected, and its thread is blocked in `read`. Register every \
             connection in an `OpenConns` before its thread starts, and after the accept loop \
             `close_all` of them (their reads return 0), then wait for the threads. (If \
             stop_wakes_a_serve_that_has_no_clients fails too, start there.)",
        );
        let mut rest = Vec::new();
        match (&idle).read_to_end(&mut rest) {
            Ok(_) => {}
            Err(e) if is_timeout(&e) => {
                panic!("a connected client was left open after serve returned")
            }
            Err(_) => {} // A reset also ends the connection.
        }
        let refused = TcpStream::connect_timeout(&addr, PATIENCE);
        assert!(
            refused.is_err(),
            "the server still accepts connections after serve returned: drop the listener"
        );
    }

    // ---------------------------------------------------------------------------------------------
    // A log that fails, and a process out of file descriptors

    /// A log whose every write fails, as stderr does once its reader has gone (`EPIPE`).
    struct BrokenLog;

    impl Write for BrokenLog {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::ErrorKind::BrokenPipe.into())
        }

        fn flush(&mut self) -> io::Result<()> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
    }

    #[test]
    fn a_log_that_cannot_be_written_stops_nothing() {
        let listener = tcp_listener();
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        let stop = StopHandle::new(&listener).expect("StopHandle::new on a bound listener");
        let (tx, done) = mpsc::channel();
        let handle = stop.clone();
        thread::spawn(move || {
            let result = panic::catch_unwind(AssertUnwindSafe(|| {
                accept_loop::serve(listener, &handle, &mut BrokenLog)
            }));
            let _ = tx.send(result.map_err(|p| panic_message(p.as_ref())));
        });
        within(
            STEP,
            "clients that reset, then a good one, with a broken log",
            DEADLINE,
            move || -> Result<(), String> {
                // Each reset makes the server log a line, and every line fails to be written.
                for i in 0..3 {
                    let rude = connect(addr, "a resetting client").map_err(|e| e.to_string())?;
                    (&rude)
                        .write_all(&pattern(30 + i, 100_000))
                        .map_err(|e| e.to_string())?;
                    let mut some = [0u8; 1000];
                    (&rude).read_exact(&mut some).map_err(|e| {
                        format!("a client got no echo while the log was broken: {e}")
                    })?;
                    reset(rude);
                }
                echo_through(addr, "a client after the resets", b"still there?\n")
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
        within(STEP, "StopHandle::stop to return", DEADLINE, move || {
            stop.stop()
        });
        match done.recv_timeout(DEADLINE) {
            Ok(Ok(())) => {}
            Ok(Err(panic)) => panic!(
                "[{STEP}] serve panicked, with a log whose writes fail (as stderr does when its \
                 reader has gone): {panic}\nA log that cannot be written must not stop a client's \
                 thread or the server: ignore its errors (`let _ = writeln!(...)`), never \
                 `unwrap` them. (A client thread that panics makes `thread::scope` panic too, \
                 when it ends.)"
            ),
            Err(_) => panic!("[{STEP}] serve did not return within {DEADLINE:?} of stop()"),
        }
    }

    /// How many file descriptors the server process below may have open, stdin, stdout and
    /// stderr included: about 20 clients at once.
    const FEW_DESCRIPTORS: u64 = 24;

    /// Child side: runs `serve` on 127.0.0.1:0, logging to `log`, says where it listens on
    /// `out`, and serves until the test ends it.
    fn serve_in_child(out: &mut (dyn Write + Send), log: &mut (dyn Write + Send)) {
        let listener = tcp_listener();
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        let stop = StopHandle::new(&listener).expect("StopHandle::new on a bound listener");
        let _ = writeln!(out, "listening on {addr}");
        accept_loop::serve(listener, &stop, log);
    }

    /// `serve` in a child process with at most [`FEW_DESCRIPTORS`] open files, logging to
    /// its stderr, or to a [`TattlingBrokenLog`] when `broken_log`. In the child, this runs the
    /// server and never returns.
    fn start_serve_in_child(broken_log: bool) -> (ChildServer, SocketAddr) {
        let server = ChildServer::builder(STEP)
            .short_of(Shortage::OpenFiles(FEW_DESCRIPTORS))
            .keep_log()
            .start(move |out| {
                if broken_log {
                    serve_in_child(out, &mut TattlingBrokenLog)
                } else {
                    serve_in_child(out, &mut io::stderr())
                }
            })
            .expect("only a shortage of threads is ever skipped");
        let addr = server.addr();
        (server, addr)
    }

    #[test]
    fn a_connection_that_ends_gives_its_descriptor_back() {
        let (mut server, addr) = start_serve_in_child(false);
        const CLIENTS: u64 = 60;
        let result = within(
            STEP,
            "60 clients, one after another, under a limit of 24 descriptors",
            DEADLINE,
            move || -> Result<(), String> {
                for i in 0..CLIENTS {
                    let who = format!("client {i}");
                    echo_through(addr, &who, &pattern(40 + i, 1000)).map_err(|e| {
                        format!(
                            "{e}\nThe clients came one after another, to a server that may \
                             have only {FEW_DESCRIPTORS} file descriptors open: each connection \
                             that ends must give its descriptor back. Let each client's thread \
                             own the handle `OpenConns::add` returned, so that it is dropped \
                             (and the socket closed) when the thread ends"
                        )
                    })?;
                }
                Ok(())
            },
        );
        server.finish();
        if let Err(e) = result {
            panic!("[{STEP}] {e}\nserve's log:\n{}", server.stderr());
        }
    }

    /// Connects `n` clients to `addr`, each sending one line (`client NNN waits`) and nothing
    /// more yet. The kernel completes every handshake and queues the connections until the
    /// server accepts them, however many descriptors the server has.
    fn waiting_clients(
        server: &ChildServer,
        addr: SocketAddr,
        n: usize,
    ) -> Vec<(TcpStream, Vec<u8>)> {
        (0..n)
            .map(|i| {
                let who = format!("client {i:03}");
                let conn = connect(addr, &who)
                    .unwrap_or_else(|e| panic!("[{STEP}] {e}\nserve's log:\n{}", server.stderr()));
                let line = format!("{who} waits\n").into_bytes();
                (&conn)
                    .write_all(&line)
                    .unwrap_or_else(|e| panic!("[{STEP}] {who} could not send its line: {e}"));
                (conn, line)
            })
            .collect()
    }

    /// Half-closes every client, then reads each echo until the server closes, all within one
    /// deadline: the served clients end, their descriptors come back, and the waiting ones
    /// must be served then.
    fn finish_clients(clients: Vec<(TcpStream, Vec<u8>)>) -> Result<(), String> {
        let deadline = Instant::now() + DEADLINE;
        for (conn, _) in &clients {
            conn.shutdown(Shutdown::Write)
                .map_err(|e| format!("half-closing: {e}"))?;
        }
        let n = clients.len();
        for (i, (conn, line)) in clients.into_iter().enumerate() {
            let left = deadline.saturating_duration_since(Instant::now());
            conn.set_read_timeout(Some(left.max(Duration::from_millis(1))))
                .map_err(|e| e.to_string())?;
            let mut echoed = Vec::new();
            if let Err(e) = (&conn).read_to_end(&mut echoed) {
                return Err(format!(
                    "client {i} of {n} got {} bytes back, then: {e}. Every client was \
                     eventually given descriptors back to be served with; serve must keep \
                     accepting once it can (pause after a failed accept, never give up)",
                    echoed.len()
                ));
            }
            compare_echo(&format!("client {i} of {n}"), &echoed, &line)?;
        }
        Ok(())
    }

    /// How long the test below keeps the server out of descriptors, to see what it does then.
    /// A period to measure, not a wait for something to happen.
    const OUT_OF_DESCRIPTORS_FOR: Duration = Duration::from_secs(1);

    #[test]
    fn a_server_out_of_descriptors_pauses_and_says_so_once() {
        let (mut server, addr) = start_serve_in_child(false);
        let clients = waiting_clients(&server, addr, 40);
        if let Err(e) = server.expect_stderr("accept: ", DEADLINE) {
            panic!(
                "[{STEP}] 40 clients are connected to serve, which may have only \
                 {FEW_DESCRIPTORS} file descriptors, so `accept` must fail (EMFILE); serve did \
                 not log `echo-server: accept: <error>`.\n{e}"
            );
        }
        thread::sleep(OUT_OF_DESCRIPTORS_FOR);
        let served = within(
            STEP,
            "every waiting client to be served",
            DEADLINE * 2,
            move || finish_clients(clients),
        );
        let usage = server.finish();
        let log = server.stderr();
        served.unwrap_or_else(|e| panic!("[{STEP}] {e}\nserve's log:\n{log}"));
        let accept_lines = log.lines().filter(|l| l.contains("accept: ")).count();
        assert!(
            accept_lines <= 3,
            "[{STEP}] serve logged {accept_lines} lines about failed accepts in about \
             {OUT_OF_DESCRIPTORS_FOR:?} out of descriptors. Log only the first failure of a run \
             (an accept that works ends the run), or a full process fills the disk with \
             the same line.\nserve's log:\n{log}"
        );
        let limit = OUT_OF_DESCRIPTORS_FOR * 3 / 10;
        assert!(
            usage.cpu < limit,
            "[{STEP}] serve used {:?} of CPU time in about {OUT_OF_DESCRIPTORS_FOR:?} out of \
             descriptors (the limit here is {limit:?}): it tries `accept` again without \
             pausing. Nothing changes until a connection ends: pause after a failed accept, \
             {:?} and then twice as long each time, up to {:?}.",
            usage.cpu,
            accept_loop::ACCEPT_BACKOFF,
            accept_loop::MAX_ACCEPT_BACKOFF
        );
    }

    /// Child side: a log whose writes all fail, and that tells the parent (on stdout) each time
    /// serve tried to write to it.
    struct TattlingBrokenLog;

    impl Write for TattlingBrokenLog {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            let mut out = io::stdout();
            let _ = writeln!(
                out,
                "log write: {}",
                String::from_utf8_lossy(buf).trim_end()
            );
            let _ = out.flush();
            Err(io::ErrorKind::BrokenPipe.into())
        }

        fn flush(&mut self) -> io::Result<()> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
    }

    #[test]
    fn a_log_that_cannot_be_written_does_not_stop_a_server_out_of_descriptors() {
        let (mut server, addr) = start_serve_in_child(true);
        let clients = waiting_clients(&server, addr, 40);
        // The clients behave: the first thing serve logs is its failed accept.
        if let Err(e) = server.expect_line("log write: ", DEADLINE) {
            panic!(
                "[{STEP}] 40 clients are connected to serve, which may have only \
                 {FEW_DESCRIPTORS} file descriptors, so `accept` must fail (EMFILE); serve did \
                 not try to log it.\n{e}"
            );
        }
        let served = within(
            STEP,
            "every waiting client to be served",
            DEADLINE * 2,
            move || finish_clients(clients),
        );
        server.finish();
        served.unwrap_or_else(|e| {
            panic!(
                "[{STEP}] {e}\nThe log given to serve fails every write (as stderr does when \
                 its reader has gone), and serve ran out of descriptors: did the failed log of \
                 the failed accept stop it? Ignore the log's errors (`let _ = writeln!(...)`), \
                 never `unwrap` them.\nserve's stderr:\n{}",
                server.stderr()
            )
        });
    }
}

mod echo_server {
    use std::io::{self, Read, Write};
    use std::net::{SocketAddr, TcpListener, TcpStream};
    use std::panic::{self, AssertUnwindSafe};
    use std::sync::mpsc;
    use std::thread;
    use std::time::{Duration, Instant};

    use insta::assert_snapshot;
    use netlings::fixtures::hostile::{HostileServer, Request};
    use netlings::harness::{
        DEADLINE, expect_eq, normalize, panic_message, run_program, tcp_listener, within,
    };
    use socket2::{Domain, Socket, Type};

    use crate::echo_loop::{compare_echo, pattern};
    use crate::steps::echo_server;

    const STEP: &str = "echo-server";

    /// How long one connection attempt may take.
    const PATIENCE: Duration = Duration::from_secs(3);

    // ---------------------------------------------------------------------------------------------
    // echo_client

    /// An echo server (one thread a client) whose sockets have small buffers, so a client that
    /// sends everything before reading deadlocks quickly. Returns its address.
    fn small_buffer_echo_server() -> SocketAddr {
        small_buffer_server(|_| {})
    }

    /// A server like [`small_buffer_echo_server`] that sends back each piece it reads after
    /// `change` has had its way with it.
    fn small_buffer_server(change: fn(&mut [u8])) -> SocketAddr {
        let socket = Socket::new(Domain::IPV4, Type::STREAM, None).expect("creating a TCP socket");
        socket.set_recv_buffer_size(8 * 1024).expect("SO_RCVBUF");
        socket.set_send_buffer_size(8 * 1024).expect("SO_SNDBUF");
        let any: SocketAddr = "127.0.0.1:0".parse().expect("a valid address");
        socket.bind(&any.into()).expect("binding 127.0.0.1:0");
        socket.listen(128).expect("listen");
        let listener: TcpListener = socket.into();
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                thread::spawn(move || {
                    let mut buf = [0u8; 4096];
                    let mut conn = conn;
                    while let Ok(n @ 1..) = conn.read(&mut buf) {
                        change(&mut buf[..n]);
                        if conn.write_all(&buf[..n]).is_err() {
                            return;
                        }
                    }
                });
            }
        });
        addr
    }

    /// How long `echo_client`'s socket waits for the test's echo server before a call fails.
    const CLIENT_PATIENCE: Duration = Duration::from_secs(2);

    /// A client socket with small buffers and timeouts, connected to `addr`.
    fn small_buffer_client(addr: SocketAddr) -> TcpStream {
        let socket = Socket::new(Domain::IPV4, Type::STREAM, None).expect("creating a TCP socket");
        socket.set_recv_buffer_size(8 * 1024).expect("SO_RCVBUF");
        socket.set_send_buffer_size(8 * 1024).expect("SO_SNDBUF");
        socket
            .connect_timeout(&addr.into(), PATIENCE)
            .expect("connecting to the test's echo server");
        let conn: TcpStream = socket.into();
        conn.set_read_timeout(Some(CLIENT_PATIENCE))
            .expect("a non-zero timeout");
        conn.set_write_timeout(Some(CLIENT_PATIENCE))
            .expect("a non-zero timeout");
        conn
    }

    /// What `echo_client` returned: the bytes, and the kind and text of its error.
    type Echo = (Vec<u8>, Option<(io::ErrorKind, String)>);

    /// Runs the learner's `echo_client(conn, message, now + patience)` within [`DEADLINE`].
    fn call_echo_client(conn: TcpStream, message: &[u8], patience: Duration) -> Echo {
        let message = message.to_vec();
        within(STEP, "echo_client to return", DEADLINE, move || {
            let got = echo_server::echo_client(&conn, &message, Instant::now() + patience);
            (got.bytes, got.error.map(|e| (e.kind(), e.to_string())))
        })
    }

    #[test]
    fn echo_client_gets_a_short_echo() {
        let addr = small_buffer_echo_server();
        let (bytes, error) =
            call_echo_client(small_buffer_client(addr), b"ping\n", CLIENT_PATIENCE);
        if let Some((kind, e)) = &error
            && *kind == io::ErrorKind::TimedOut
        {
            panic!(
                "echo_client(b\"ping\\n\") timed out ({e}): no EOF from the server within \
                 {CLIENT_PATIENCE:?}. After sending, half-close (`shutdown(Shutdown::Write)`): \
                 the server closes only after the client's EOF, and `read_to_end` waits for that \
                 close"
            );
        }
        expect_eq(
            "echo_client(b\"ping\\n\"): (the bytes, the error)",
            (bytes, error),
            (b"ping\n".to_vec(), None),
        );
    }

    #[test]
    fn echo_client_reads_while_it_sends_a_big_message() {
        let addr = small_buffer_echo_server();
        let conn = small_buffer_client(addr);
        let message = pattern(9, 1024 * 1024);
        let expected = message.clone();
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let result = panic::catch_unwind(AssertUnwindSafe(|| {
                let got = echo_server::echo_client(&conn, &message, Instant::now() + PATIENCE);
                (got.bytes, got.error.map(|e| e.to_string()))
            }));
            let _ = tx.send(result);
        });
        let got = match rx.recv_timeout(DEADLINE) {
            Ok(Ok(got)) => got,
            Ok(Err(payload)) => panic!("echo_client panicked: {}", panic_message(payload.as_ref())),
            Err(_) => panic!(
                "[{STEP}] echo_client did not return within {DEADLINE:?} with a 1 MiB message and \
                 a deadline {PATIENCE:?} away. Every write and read must go through \
                 `ByDeadline`. Both threads must keep going until the end: one sends everything \
                 and half-closes, the other reads until EOF (`read_to_end`, not a single \
                 `read`); and the caller reads while the sender sends, or both sides end up \
                 blocked writing"
            ),
        };
        match got {
            (got, None) => {
                compare_echo("echo_client", &got, &expected).unwrap_or_else(|e| panic!("{e}"))
            }
            (got, Some(e)) => panic!(
                "echo_client failed on a 1 MiB message after {} bytes came back: {e}\nIf it \
                 sends everything before reading, both sides end up blocked writing: the server \
                 cannot send the echo because nobody reads it, so it stops reading. Send from one \
                 thread while another reads until EOF (`read_to_end`).",
                got.len()
            ),
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Servers that misbehave

    #[test]
    fn echo_client_reads_no_more_than_the_message_from_a_server_that_floods() {
        let server = HostileServer::flood(8 << 20, Request::UntilEof);
        let (bytes, error) = call_echo_client(
            small_buffer_client(server.addr()),
            b"ping\n",
            CLIENT_PATIENCE,
        );
        assert!(
            bytes.len() <= 5,
            "echo_client sent 5 bytes to a server that sends back 8 MiB, and returned {} bytes: \
             an echo is as long as the message, so read one byte past it at most (`take`), or \
             the server decides how much memory the client takes",
            bytes.len()
        );
        expect_eq(
            "echo_client(b\"ping\\n\") from a server that sends back 8 MiB: (the bytes, the error)",
            (bytes, error),
            (
                b"flood".to_vec(),
                Some((
                    io::ErrorKind::InvalidData,
                    "more than the 5 bytes sent came back".to_string(),
                )),
            ),
        );
    }

    #[test]
    fn echo_client_gives_up_at_the_deadline_on_a_server_that_drips() {
        let message = b"a message whose echo comes one byte at a time\n";
        // One byte every 100 ms: 4.6 s in all, and each read well within the socket's timeouts.
        let server = HostileServer::drip(message, Duration::from_millis(100), Request::UntilEof);
        let patience = Duration::from_millis(400);
        let started = Instant::now();
        let (bytes, error) =
            call_echo_client(small_buffer_client(server.addr()), message, patience);
        let took = started.elapsed();
        assert!(
            took < patience + Duration::from_millis(2400),
            "echo_client with a deadline {patience:?} away took {took:?} against a server that \
             echoes one byte every 100 ms. The socket's timeouts are per call, and each read \
             here gets a byte in time: read and write through `ByDeadline::new(conn, deadline)`"
        );
        assert!(
            !bytes.is_empty() && message.starts_with(&bytes),
            "echo_client must return the bytes that came back before the deadline; got {:?}",
            String::from_utf8_lossy(&bytes)
        );
        expect_eq(
            "the error of echo_client when the deadline cut the echo",
            error,
            Some((io::ErrorKind::TimedOut, "the deadline passed".to_string())),
        );
    }

    #[test]
    fn echo_client_keeps_what_came_back_before_a_reset() {
        let server = HostileServer::reset_after(b"pi", Request::UntilEof);
        let (bytes, error) = call_echo_client(
            small_buffer_client(server.addr()),
            b"ping\n",
            CLIENT_PATIENCE,
        );
        expect_eq(
            "echo_client(b\"ping\\n\") from a server that echoes `pi`, then resets: (the bytes, \
             the error kind). What came back before the reset is part of the answer: keep it \
             (`read_to_end` does, in its buffer), with the error",
            (bytes, error.map(|(kind, _)| kind)),
            (b"pi".to_vec(), Some(io::ErrorKind::ConnectionReset)),
        );
    }

    // ---------------------------------------------------------------------------------------------
    // The program

    #[test]
    fn program_client_prints_the_echo() {
        let addr = small_buffer_echo_server().to_string();
        let transcript = run_program(
            STEP,
            &["echo-server", "client", &addr, "hello,", "world"],
            echo_server::run,
        );
        assert!(
            transcript.success(),
            "`echo-server client` against a working server:\n{transcript}"
        );
        assert_snapshot!(normalize(&transcript.to_string()));
    }

    #[test]
    fn program_client_rejects_a_bad_address() {
        let transcript = run_program(
            STEP,
            &["echo-server", "client", "localhost", "hi"],
            echo_server::run,
        );
        assert!(
            !transcript.success(),
            "`localhost` has no port:\n{transcript}"
        );
        assert_snapshot!(normalize(&transcript.to_string()));
    }

    #[test]
    fn program_client_reports_an_echo_that_differs() {
        // A server that shouts back: the client prints what came and says it is not an echo.
        let addr = small_buffer_server(|piece| piece.make_ascii_uppercase()).to_string();
        let transcript = run_program(
            STEP,
            &["echo-server", "client", &addr, "hello"],
            echo_server::run,
        );
        assert!(
            !transcript.success(),
            "`echo-server client` against a server that changes the bytes:\n{transcript}"
        );
        assert_snapshot!(normalize(&transcript.to_string()));
    }

    #[test]
    fn program_client_reports_a_refused_connection() {
        let addr = tcp_listener()
            .local_addr()
            .expect("a bound listener has an address")
            .to_string();
        let transcript = run_program(
            STEP,
            &["echo-server", "client", &addr, "anyone?"],
            echo_server::run,
        );
        assert!(
            !transcript.success(),
            "nothing listens on {addr}:\n{transcript}"
        );
        assert_snapshot!(normalize(&transcript.to_string()));
    }

    #[test]
    fn program_serve_reports_an_address_in_use() {
        let taken = tcp_listener();
        let addr = taken
            .local_addr()
            .expect("a bound listener has an address")
            .to_string();
        let transcript = run_program(
            STEP,
            &["echo-server", "serve", "--addr", &addr],
            echo_server::run,
        );
        assert!(
            !transcript.success(),
            "{addr} is already taken:\n{transcript}"
        );
        assert_snapshot!(normalize(&transcript.to_string()));
    }

    #[test]
    fn program_client_prints_what_came_back_before_a_reset() {
        let server = HostileServer::reset_after(b"hel", Request::UntilEof);
        let addr = server.addr().to_string();
        let transcript = run_program(
            STEP,
            &["echo-server", "client", &addr, "hello"],
            echo_server::run,
        );
        assert!(
            !transcript.success(),
            "`echo-server client` against a server that resets halfway:\n{transcript}"
        );
        assert_snapshot!(normalize(&transcript.to_string()));
    }

    #[test]
    fn program_client_reads_no_more_than_it_sent() {
        let server = HostileServer::flood(4 << 20, Request::UntilEof);
        let addr = server.addr().to_string();
        let transcript = run_program(
            STEP,
            &["echo-server", "client", &addr, "hi"],
            echo_server::run,
        );
        assert!(
            !transcript.success(),
            "`echo-server client` against a server that sends back 4 MiB:\n{transcript}"
        );
        assert_snapshot!(normalize(&transcript.to_string()));
    }

    #[test]
    fn program_client_gives_up_when_the_whole_timeout_is_spent() {
        let message = "a message whose echo comes one byte at a time";
        let line = format!("{message}\n");
        // One byte every 100 ms: 4.6 s in all, each read well within 600 ms.
        let server = HostileServer::drip(
            line.as_bytes(),
            Duration::from_millis(100),
            Request::UntilEof,
        );
        let addr = server.addr().to_string();
        let started = Instant::now();
        let transcript = run_program(
            STEP,
            &[
                "echo-server",
                "client",
                "--timeout-ms",
                "600",
                &addr,
                message,
            ],
            echo_server::run,
        );
        let took = started.elapsed();
        assert!(
            took < Duration::from_millis(3000),
            "`echo-server client --timeout-ms 600` took {took:?} against a server that echoes \
             one byte every 100 ms: one deadline for the whole exchange, fixed when `run_client` \
             starts, must end it.\n{transcript}"
        );
        let came_back = transcript.stdout.len();
        assert!(
            came_back > 0 && line.starts_with(&transcript.stdout),
            "`echo-server client` must print what came back before the deadline:\n{transcript}"
        );
        let expected = format!(
            "error: talking to {addr} ({came_back} of {} bytes came back): the deadline passed",
            line.len()
        );
        expect_eq(
            "what `echo-server client --timeout-ms 600` says when the deadline cuts the echo",
            transcript.stderr.trim_end(),
            expected.as_str(),
        );
    }

    #[test]
    fn program_without_a_command_prints_usage() {
        let transcript = run_program(STEP, &["echo-server"], echo_server::run);
        assert_snapshot!(transcript);
    }
}
