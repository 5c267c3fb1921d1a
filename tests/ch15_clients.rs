//! Grading tests for the chapter "Thousands of clients": one module per step, in course order.
//! The chapter needs tokio, so its target builds only with the `async` feature:
//! `cargo test --features async --test ch15_clients` runs them against `exercises/ch15_clients/`,
//! and `--features solutions` (which turns `async` on) against `solutions/ch15_clients/`.
//!
//! Every server runs on a listener the test bound to 127.0.0.1:0 and is loaded by clients
//! written here, every echoed byte compared. The counts stay small (a few hundred connections at
//! most): the thousands are `netlings bench`'s business, not a test's.

// BEGIN STEPS
// The steps under test: `exercises/ch15_clients/`, or `solutions/ch15_clients/` with `--features solutions`.
// Generated from the catalog by `cargo dev update`. A step's `main` and the helpers its tests do
// not call are unused here, hence `allow(dead_code)`.
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch15_clients/1_worker_pool.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ch15_clients/1_worker_pool.rs"
)]
#[allow(dead_code)]
pub mod step1_worker_pool;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch15_clients/2_async_echo.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ch15_clients/2_async_echo.rs"
)]
#[allow(dead_code)]
pub mod step2_async_echo;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch15_clients/3_clients.rs"
)]
#[cfg_attr(feature = "solutions", path = "../solutions/ch15_clients/3_clients.rs")]
#[allow(dead_code)]
pub mod step3_clients;
mod steps {
    pub use super::step1_worker_pool as worker_pool;
    pub use super::step2_async_echo as async_echo;
    pub use super::step3_clients as clients;
}
// END STEPS

mod worker_pool {
    use std::io::{self, Read, Write};
    use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
    use std::panic::{self, AssertUnwindSafe};
    use std::sync::{Arc, Mutex, PoisonError, mpsc};
    use std::thread;
    use std::time::Duration;

    use netlings::given::echo_server::stop_handle::StopHandle;
    use netlings::harness::{
        DEADLINE, all_succeed, expect_eq, panic_message, pattern, tcp_listener, within,
    };
    use netlings::support::io::is_timeout;
    use netlings::support::stopping::OpenConns;
    use socket2::{Domain, SockRef, Socket, Type};

    use crate::steps::worker_pool::{self, PoolConfig, SharedLog};

    const STEP: &str = "worker-pool";

    /// How long one client waits for the server before it gives up.
    pub const PATIENCE: Duration = Duration::from_secs(3);

    // ---------------------------------------------------------------------------------------------
    // Clients, shared with the other steps' tests

    /// A log the test reads while a server writes to it from several threads.
    #[derive(Clone, Default)]
    pub struct TestLog(Arc<Mutex<Vec<u8>>>);

    impl TestLog {
        pub fn text(&self) -> String {
            String::from_utf8_lossy(&self.0.lock().unwrap_or_else(PoisonError::into_inner))
                .into_owned()
        }

        /// Whether a line of the log starts with `prefix`.
        pub fn has_line(&self, prefix: &str) -> bool {
            self.text().lines().any(|line| line.starts_with(prefix))
        }
    }

    impl Write for TestLog {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// A client connection whose every read and write gives up after [`PATIENCE`].
    pub fn connect(addr: SocketAddr, who: &str) -> Result<TcpStream, String> {
        let conn = TcpStream::connect_timeout(&addr, PATIENCE)
            .map_err(|e| format!("{who} could not connect to the server at {addr}: {e}"))?;
        for set in [TcpStream::set_read_timeout, TcpStream::set_write_timeout] {
            set(&conn, Some(PATIENCE)).map_err(|e| e.to_string())?;
        }
        Ok(conn)
    }

    /// Sends `message` and reads exactly its echo back, leaving the connection open.
    pub fn expect_echo(conn: &TcpStream, message: &[u8], who: &str) -> Result<(), String> {
        (&*conn)
            .write_all(message)
            .map_err(|e| format!("{who} could not send: {e}"))?;
        read_echo(conn, message, who)
    }

    /// Reads the echo of `message`, sent earlier.
    pub fn read_echo(conn: &TcpStream, message: &[u8], who: &str) -> Result<(), String> {
        let mut echo = vec![0; message.len()];
        match (&*conn).read_exact(&mut echo) {
            Ok(()) if echo == message => Ok(()),
            Ok(()) => Err(format!(
                "{who} got {} bytes back that differ from the ones it sent",
                echo.len()
            )),
            Err(e) if is_timeout(&e) => Err(format!(
                "{who} got no echo of its {} bytes within {PATIENCE:?}",
                message.len()
            )),
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Err(format!(
                "the server closed {who}'s connection instead of echoing"
            )),
            Err(e) => Err(format!("{who}'s echo failed: {e}")),
        }
    }

    /// A well-behaved client's whole conversation: sends `message` while reading, half-closes,
    /// and reads until the server closes.
    pub fn exchange(conn: &TcpStream, message: &[u8], who: &str) -> Result<(), String> {
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
                .unwrap_or_else(|_| Err(io::Error::other("the sender panicked")));
            sent.map_err(|e| format!("{who} could not send: {e}"))?;
            match received {
                Ok(_) if echoed == message => Ok(()),
                Ok(_) => Err(format!(
                    "{who} sent {} bytes and got {} different ones back",
                    message.len(),
                    echoed.len()
                )),
                Err(e) if is_timeout(&e) && echoed.len() == message.len() => Err(format!(
                    "{who} got its whole echo, but the server did not close the connection \
                     within {PATIENCE:?} of the client's EOF"
                )),
                Err(e) if is_timeout(&e) => Err(format!(
                    "{who} got {} of its {} echoed bytes, then nothing for {PATIENCE:?}",
                    echoed.len(),
                    message.len()
                )),
                Err(e) => Err(format!("{who}'s echo failed: {e}")),
            }
        })
    }

    /// Connects, has its conversation, and leaves.
    pub fn echo_through(addr: SocketAddr, message: &[u8], who: &str) -> Result<(), String> {
        exchange(&connect(addr, who)?, message, who)
    }

    /// Waits for the server to end `conn`: a read of 0 bytes (EOF) or a reset.
    pub fn expect_end(conn: &TcpStream, who: &str) -> Result<(), String> {
        let mut rest = Vec::new();
        match (&*conn).read_to_end(&mut rest) {
            Ok(_) => Ok(()),
            Err(e) if is_timeout(&e) => Err(format!(
                "{who}'s connection was still open {PATIENCE:?} later"
            )),
            Err(_) => Ok(()), // a reset ends it too
        }
    }

    /// Closes `conn` with a reset (RST) instead of a FIN.
    pub fn reset(conn: TcpStream) {
        SockRef::from(&conn)
            .set_linger(Some(Duration::ZERO))
            .expect("SO_LINGER can be set on a connected socket");
        drop(conn);
    }

    /// A client that sends 100 000 bytes, reads the first 1000 of their echo and resets its
    /// connection mid-stream; then a well-behaved client, who must still be served. Returns the
    /// resetting client's address, which the server's log should name.
    pub fn reset_mid_stream(addr: SocketAddr) -> Result<SocketAddr, String> {
        let rude = connect(addr, "the resetting client")?;
        let rude_addr = rude.local_addr().map_err(|e| e.to_string())?;
        (&rude)
            .write_all(&pattern(4, 100_000))
            .map_err(|e| e.to_string())?;
        let mut some = [0u8; 1000];
        (&rude)
            .read_exact(&mut some)
            .map_err(|e| format!("the resetting client got no echo: {e}"))?;
        reset(rude);
        echo_through(addr, b"still there?\n", "a client after the reset")?;
        Ok(rude_addr)
    }

    /// A client that reads nothing: its receive buffer is small, and it sends `len` bytes
    /// without reading the echo, giving up on its writes after a moment. The server's write to
    /// it blocks.
    pub fn slow_reader(addr: SocketAddr, len: usize) -> Result<TcpStream, String> {
        let socket = Socket::new(Domain::IPV4, Type::STREAM, None).map_err(|e| e.to_string())?;
        socket
            .set_recv_buffer_size(4096)
            .map_err(|e| e.to_string())?;
        socket
            .connect_timeout(&addr.into(), PATIENCE)
            .map_err(|e| format!("the slow reader could not connect: {e}"))?;
        let conn: TcpStream = socket.into();
        conn.set_write_timeout(Some(Duration::from_millis(300)))
            .map_err(|e| e.to_string())?;
        match (&conn).write_all(&pattern(99, len)) {
            // The write gives up once every buffer on the way is full: what it was meant to do.
            Ok(()) | Err(_) => Ok(conn),
        }
    }

    // ---------------------------------------------------------------------------------------------
    // worker, on a queue the test fills

    /// A worker on a thread of its own, and what it returned (or its panic message).
    fn run_workers(
        count: usize,
        queue: mpsc::Receiver<worker_pool::Queued<'static>>,
        io_timeout: Option<Duration>,
    ) -> mpsc::Receiver<Result<(), String>> {
        let (tx, done) = mpsc::channel();
        let queue = Arc::new(Mutex::new(queue));
        thread::spawn(move || {
            let mut sink = TestLog::default();
            let log: SharedLog = Mutex::new(&mut sink);
            let result = panic::catch_unwind(AssertUnwindSafe(|| {
                thread::scope(|scope| {
                    for _ in 0..count {
                        scope.spawn(|| worker_pool::worker(&queue, io_timeout, &log));
                    }
                })
            }));
            let _ = tx.send(result.map_err(|p| panic_message(p.as_ref())));
        });
        done
    }

    /// A client and the server's side of its connection, registered in `open`.
    fn accepted(
        listener: &TcpListener,
        open: &'static OpenConns,
        who: &str,
    ) -> (TcpStream, worker_pool::Queued<'static>) {
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        let client = connect(addr, who).unwrap_or_else(|e| panic!("{e}"));
        let (server, _) = listener.accept().expect("accepting on loopback");
        (client, open.add(server))
    }

    #[test]
    fn a_worker_serves_the_queue_in_turn_and_returns_when_it_is_closed() {
        let listener = tcp_listener();
        // Leaked: the queued connections borrow it, and the workers run on a thread of their own.
        let open: &'static OpenConns = Box::leak(Box::new(OpenConns::new()));
        let (queue, waiting) = mpsc::sync_channel(4);
        let mut clients = Vec::new();
        for i in 0..3 {
            let (client, queued) = accepted(&listener, open, &format!("client {i}"));
            queue.send(queued).expect("the queue has room");
            clients.push(client);
        }
        drop(queue);
        let done = run_workers(1, waiting, Some(PATIENCE));
        within(
            STEP,
            "one worker to serve three queued clients",
            DEADLINE * 2,
            move || {
                for (i, client) in clients.iter().enumerate() {
                    let who = format!("queued client {i}");
                    exchange(client, &pattern(i as u64, 5000), &who)?;
                }
                Ok::<_, String>(())
            },
        )
        .unwrap_or_else(|e| match done.try_recv() {
            Ok(Err(panic)) => panic!("worker panicked: {panic}"),
            Ok(Ok(())) => panic!("worker returned before it served every queued client: {e}"),
            Err(_) => panic!("{e}"),
        });
        match done.recv_timeout(DEADLINE) {
            Ok(Ok(())) => {}
            Ok(Err(panic)) => panic!("worker panicked: {panic}"),
            Err(_) => panic!(
                "[{STEP}] worker did not return within {DEADLINE:?} of serving the last client of \
                 a closed queue: when `recv` fails, every sender is gone: return"
            ),
        }
        expect_eq(
            "connections left in `open` after the worker served all three (drop each one)",
            open.len(),
            0,
        );
    }

    #[test]
    fn two_workers_serve_two_clients_at_once() {
        let listener = tcp_listener();
        let open: &'static OpenConns = Box::leak(Box::new(OpenConns::new()));
        let (queue, waiting) = mpsc::sync_channel(4);
        let _done = run_workers(2, waiting, Some(PATIENCE));
        let (first, queued) = accepted(&listener, open, "the first client");
        queue.send(queued).expect("the queue has room");
        let (second, queued) = accepted(&listener, open, "the second client");
        queue.send(queued).expect("the queue has room");
        within(STEP, "two clients served at once", DEADLINE, move || {
            expect_echo(&first, b"first\n", "the first client")?;
            // The first stays connected: its worker is busy with it.
            expect_echo(&second, b"second\n", "the second client").map_err(|e| {
                format!(
                    "{e}, while a worker served the first. Hold the queue's lock only while \
                     waiting for a connection (`lock().recv()` in one statement), never while \
                     serving one, or the other workers wait for the first client to leave"
                )
            })
        })
        .unwrap_or_else(|e| panic!("{e}"));
    }

    // ---------------------------------------------------------------------------------------------
    // serve_pool

    /// The learner's `serve_pool`, running on a thread of its own.
    struct Pool {
        addr: SocketAddr,
        stop: StopHandle,
        log: TestLog,
        done: mpsc::Receiver<Result<(), String>>,
    }

    fn start_pool(config: PoolConfig) -> Pool {
        let listener = tcp_listener();
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        let stop = StopHandle::new(&listener).expect("StopHandle::new on a bound listener");
        let log = TestLog::default();
        let (tx, done) = mpsc::channel();
        let (handle, mut writer) = (stop.clone(), log.clone());
        thread::Builder::new()
            .name("serve_pool".into())
            .spawn(move || {
                let result = panic::catch_unwind(AssertUnwindSafe(|| {
                    worker_pool::serve_pool(listener, &handle, config, &mut writer)
                }));
                let _ = tx.send(result.map_err(|p| panic_message(p.as_ref())));
            })
            .expect("starting the server's thread");
        Pool {
            addr,
            stop,
            log,
            done,
        }
    }

    impl Pool {
        /// Stops the pool and waits for `serve_pool` to return; `stuck` explains one that does not.
        fn stop_and_wait(&self, stuck: &str) {
            let stop = self.stop.clone();
            within(STEP, "StopHandle::stop to return", DEADLINE, move || {
                stop.stop()
            });
            match self.done.recv_timeout(DEADLINE) {
                Ok(Ok(())) => {}
                Ok(Err(panic)) => panic!("serve_pool panicked: {panic}"),
                Err(_) => panic!(
                    "[{STEP}] serve_pool did not return within {DEADLINE:?} of stop(): {stuck}"
                ),
            }
        }
    }

    const CONFIG: PoolConfig = PoolConfig {
        workers: 2,
        queue: 2,
        io_timeout: Some(PATIENCE),
    };

    #[test]
    fn the_pool_echoes_one_client() {
        let pool = start_pool(CONFIG);
        let addr = pool.addr;
        within(STEP, "the echo of one client", DEADLINE, move || {
            echo_through(addr, b"hello, pool\n", "the client")
        })
        .unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn a_client_waits_in_the_queue_until_a_worker_is_free() {
        let pool = start_pool(PoolConfig {
            workers: 1,
            queue: 4,
            io_timeout: Some(PATIENCE),
        });
        let addr = pool.addr;
        within(STEP, "a queued client's echo", DEADLINE, move || {
            let first = connect(addr, "the first client")?;
            expect_echo(&first, b"first\n", "the first client")?;
            let second = connect(addr, "the second client")?;
            (&second)
                .write_all(b"second\n")
                .map_err(|e| format!("the second client could not send: {e}"))?;
            // The only worker is busy: the second waits in the queue until the first leaves.
            exchange(&first, b"", "the first client")?;
            read_echo(
                &second,
                b"second\n",
                "the second client, queued while the first was served",
            )
        })
        .unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn a_client_beyond_the_busy_workers_and_the_full_queue_is_refused() {
        let pool = start_pool(PoolConfig {
            workers: 2,
            queue: 1,
            io_timeout: None,
        });
        let addr = pool.addr;
        let refused_addr = within(
            STEP,
            "2 served, 1 queued, 1 refused",
            DEADLINE * 2,
            move || {
                let one = connect(addr, "client 1")?;
                expect_echo(&one, b"one\n", "client 1")?;
                let two = connect(addr, "client 2")?;
                expect_echo(&two, b"two\n", "client 2")?;
                // Both workers are busy: the third waits in the queue's only place.
                let three = connect(addr, "client 3")?;
                (&three)
                    .write_all(b"three\n")
                    .map_err(|e| format!("client 3 could not send: {e}"))?;
                let four = connect(addr, "client 4")?;
                let four_addr = four.local_addr().map_err(|e| e.to_string())?;
                expect_end(
                    &four,
                    "client 4, with both workers busy and the queue full,",
                )
                .map_err(|e| {
                    format!(
                        "{e}: it must be refused at once (closed unread). Does the accept loop \
                         wait for room in the queue (`send`)? Use `try_send`"
                    )
                })?;
                // Client 1 leaves: its worker takes client 3 from the queue.
                exchange(&one, b"", "client 1")?;
                read_echo(&three, b"three\n", "client 3, queued until client 1 left")?;
                Ok::<_, String>(four_addr)
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let refused = format!("clients: busy: refused {refused_addr}");
        assert!(
            pool.log.has_line(&refused),
            "the log has no line {refused:?} for the refused client.\nThe log:\n{}",
            pool.log.text()
        );
    }

    #[test]
    fn forty_clients_are_served_by_four_workers() {
        let pool = start_pool(PoolConfig {
            workers: 4,
            queue: 64,
            io_timeout: Some(PATIENCE),
        });
        let addr = pool.addr;
        within(
            STEP,
            "40 clients through 4 workers",
            DEADLINE * 3,
            move || {
                let clients: Vec<_> = (0..40u64)
                    .map(|i| {
                        thread::spawn(move || {
                            echo_through(addr, &pattern(100 + i, 3000), &format!("client {i}"))
                        })
                    })
                    .collect();
                all_succeed(clients, "clients")
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn a_silent_client_loses_its_worker_after_the_io_timeout() {
        let pool = start_pool(PoolConfig {
            workers: 1,
            queue: 4,
            io_timeout: Some(Duration::from_millis(300)),
        });
        let addr = pool.addr;
        within(
            STEP,
            "the client behind a silent one",
            DEADLINE,
            move || {
                let silent = connect(addr, "the silent client")?;
                expect_echo(&silent, b"hi\n", "the silent client")?;
                // Now it says nothing more, and the only worker waits in `read` for it.
                echo_through(addr, b"my turn\n", "the client behind it").map_err(|e| {
                    format!(
                        "{e}: the only worker is still held by a silent client 300 ms after its \
                     io_timeout. Set the connection's read and write timeouts"
                    )
                })?;
                expect_end(&silent, "the silent client")
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn a_client_that_never_reads_loses_its_worker_after_the_io_timeout() {
        let pool = start_pool(PoolConfig {
            workers: 1,
            queue: 4,
            io_timeout: Some(Duration::from_millis(300)),
        });
        let addr = pool.addr;
        within(
            STEP,
            "the client behind a slow reader",
            DEADLINE,
            move || {
                // Sends 4 MiB and reads none of the echo: the worker blocks in `write`.
                let _slow = slow_reader(addr, 4 << 20)?;
                echo_through(addr, b"my turn\n", "the client behind it").map_err(|e| {
                    format!(
                        "{e}: the only worker is still blocked writing to a client that does not \
                     read. A read timeout is not enough: set the write timeout too"
                    )
                })
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn a_client_that_resets_is_logged_and_the_pool_goes_on() {
        let pool = start_pool(CONFIG);
        let addr = pool.addr;
        let rude_addr = within(STEP, "a reset, then a good client", DEADLINE, move || {
            reset_mid_stream(addr)
        })
        .unwrap_or_else(|e| panic!("{e}"));
        pool.stop_and_wait("see the tests on stopping");
        // The workers have ended when serve_pool returns, so the log is complete.
        let expected = format!("clients: client {rude_addr}: ");
        assert!(
            pool.log.has_line(&expected),
            "the log has no line starting {expected:?} after that client reset its connection: \
             log what `handle_client` returns, with the client's address.\nThe log:\n{}",
            pool.log.text()
        );
    }

    #[test]
    fn stop_ends_a_pool_with_no_clients() {
        let pool = start_pool(CONFIG);
        pool.stop_and_wait(
            "with no client, the accept loop is woken by the stop handle's connection and must \
             see `stop.is_stopping()`; then the workers end only once the queue is closed: drop \
             the sender after the loop",
        );
    }

    #[test]
    fn stop_ends_served_and_queued_clients_and_serve_pool_returns() {
        let pool = start_pool(PoolConfig {
            workers: 1,
            queue: 2,
            io_timeout: None,
        });
        let addr = pool.addr;
        let (served, queued) = within(STEP, "a served and a queued client", DEADLINE, move || {
            let served = connect(addr, "the served client")?;
            expect_echo(&served, b"hi\n", "the served client")?;
            let queued = connect(addr, "the queued client")?;
            (&queued)
                .write_all(b"waiting\n")
                .map_err(|e| e.to_string())?;
            Ok::<_, String>((served, queued))
        })
        .unwrap_or_else(|e| panic!("{e}"));
        pool.stop_and_wait(
            "a client is served (its worker blocked in `read`, no timeout) and another waits in \
             the queue. After the loop: drop the listener, `close_all` (every registered \
             connection, queued ones too), then drop the sender so the workers' `recv` fails",
        );
        within(
            STEP,
            "the clients to see their connections end",
            DEADLINE,
            move || {
                expect_end(&served, "the served client")?;
                expect_end(&queued, "the queued client")
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            TcpStream::connect_timeout(&addr, PATIENCE).is_err(),
            "the server still accepts connections after serve_pool returned: drop the listener"
        );
    }
}

mod async_echo {
    use std::io::{self, Read, Write};
    use std::net::{SocketAddr, TcpStream};
    use std::panic::{self, AssertUnwindSafe};
    use std::sync::mpsc;
    use std::thread;

    use netlings::harness::{DEADLINE, expect_eq, panic_message, pattern, tcp_listener, within};
    use tokio::sync::oneshot;

    use crate::steps::async_echo;
    use crate::worker_pool::{
        PATIENCE, TestLog, connect, echo_through, exchange, expect_echo, expect_end, read_echo,
        reset, reset_mid_stream, slow_reader,
    };

    const STEP: &str = "async-echo";

    /// A runtime with one thread, on a thread of its own: the strictest place to run async
    /// code, since anything that blocks that thread stops every client.
    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime")
    }

    // ---------------------------------------------------------------------------------------------
    // handle_client

    /// A client connected to the learner's `handle_client`, and what it returned.
    fn served() -> (TcpStream, mpsc::Receiver<Result<io::Result<u64>, String>>) {
        let listener = tcp_listener();
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        listener
            .set_nonblocking(true)
            .expect("a non-blocking listener");
        let client = connect(addr, "the client").unwrap_or_else(|e| panic!("{e}"));
        let (tx, done) = mpsc::channel();
        thread::spawn(move || {
            let result = panic::catch_unwind(AssertUnwindSafe(|| {
                runtime().block_on(async {
                    let listener = tokio::net::TcpListener::from_std(listener)?;
                    let (conn, _) = listener.accept().await?;
                    async_echo::handle_client(conn).await
                })
            }));
            let _ = tx.send(result.map_err(|p| panic_message(p.as_ref())));
        });
        (client, done)
    }

    /// `e`, or the panic of `handle_client` that explains it.
    fn explain(done: &mpsc::Receiver<Result<io::Result<u64>, String>>, e: String) -> String {
        match done.try_recv() {
            Ok(Err(panic)) => format!("handle_client panicked: {panic}"),
            _ => e,
        }
    }

    #[test]
    fn handle_client_echoes_and_closes_after_the_clients_eof() {
        let (client, done) = served();
        within(STEP, "the echo of handle_client", DEADLINE, move || {
            exchange(&client, b"hello, async\n", "the client")
        })
        .unwrap_or_else(|e| panic!("{}", explain(&done, e)));
        let result = done.recv_timeout(DEADLINE).unwrap_or_else(|_| {
            panic!("[{STEP}] handle_client did not return after the client's EOF")
        });
        expect_eq(
            "handle_client for a client that sent 13 bytes returned",
            result.map(|r| r.map_err(|e| e.to_string())),
            Ok(Ok(13)),
        );
    }

    #[test]
    fn a_half_closed_client_still_gets_its_whole_echo() {
        let (client, done) = served();
        let message = pattern(11, 200_000);
        within(
            STEP,
            "the echo of a half-closed client",
            DEADLINE,
            move || {
                // Everything is sent, and the FIN follows, before one byte is read.
                (&client).write_all(&message).map_err(|e| e.to_string())?;
                client
                    .shutdown(std::net::Shutdown::Write)
                    .map_err(|e| e.to_string())?;
                let mut echoed = Vec::new();
                (&client)
                    .read_to_end(&mut echoed)
                    .map_err(|e| format!("after {} echoed bytes: {e}", echoed.len()))?;
                if echoed == message {
                    Ok(())
                } else {
                    Err(format!(
                        "the half-closed client sent {} bytes and got {} different ones back",
                        message.len(),
                        echoed.len()
                    ))
                }
            },
        )
        .unwrap_or_else(|e: String| panic!("{}", explain(&done, e)));
    }

    #[test]
    fn handle_client_returns_an_error_when_the_client_resets() {
        let (client, done) = served();
        let mut some = [0u8; 1000];
        (&client)
            .write_all(&pattern(3, 100_000))
            .and_then(|()| (&client).read_exact(&mut some))
            .unwrap_or_else(|e| {
                panic!(
                    "{}",
                    explain(&done, format!("no echo from handle_client: {e}"))
                )
            });
        reset(client);
        let result = done.recv_timeout(DEADLINE).unwrap_or_else(|_| {
            panic!("[{STEP}] handle_client had not returned {DEADLINE:?} after its client reset")
        });
        match result {
            Ok(Err(_)) => {}
            Ok(Ok(n)) => panic!(
                "handle_client returned Ok({n}) for a client that reset the connection: return \
                 the error (`?`), the accept loop logs it"
            ),
            Err(panic) => panic!("handle_client panicked when its client reset: {panic}"),
        }
    }

    // ---------------------------------------------------------------------------------------------
    // serve

    /// The learner's `serve` on a one-thread runtime. Its runtime is kept after `serve` returns,
    /// until the test ends, so a task `serve` left behind would still be running.
    struct Server {
        addr: SocketAddr,
        shutdown: Option<oneshot::Sender<()>>,
        log: TestLog,
        done: mpsc::Receiver<Result<(), String>>,
        _keep_runtime: mpsc::Sender<()>,
    }

    fn start_server() -> Server {
        let listener = tcp_listener();
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        listener
            .set_nonblocking(true)
            .expect("a non-blocking listener");
        let (shutdown, signal) = oneshot::channel::<()>();
        let (keep, kept) = mpsc::channel::<()>();
        let (tx, done) = mpsc::channel();
        let log = TestLog::default();
        let mut writer = log.clone();
        thread::spawn(move || {
            let runtime = runtime();
            let result = panic::catch_unwind(AssertUnwindSafe(|| {
                runtime.block_on(async {
                    let listener = tokio::net::TcpListener::from_std(listener)
                        .expect("registering the listener with the runtime");
                    let shutdown = async {
                        let _ = signal.await;
                    };
                    async_echo::serve(listener, shutdown, &mut writer).await
                })
            }));
            let _ = tx.send(result.map_err(|p| panic_message(p.as_ref())));
            // Until the test ends: the runtime, and any task still in it, stays alive.
            let _ = kept.recv();
        });
        Server {
            addr,
            shutdown: Some(shutdown),
            log,
            done,
            _keep_runtime: keep,
        }
    }

    impl Server {
        /// Completes the shutdown future and waits for `serve` to return.
        fn shut_down_and_wait(&mut self, stuck: &str) {
            if let Some(shutdown) = self.shutdown.take() {
                let _ = shutdown.send(());
            }
            match self.done.recv_timeout(DEADLINE) {
                Ok(Ok(())) => {}
                Ok(Err(panic)) => panic!("serve panicked: {panic}"),
                Err(_) => panic!(
                    "[{STEP}] serve did not return within {DEADLINE:?} of its shutdown: {stuck}"
                ),
            }
        }
    }

    #[test]
    fn the_server_echoes_one_client() {
        let server = start_server();
        let addr = server.addr;
        within(STEP, "the echo of one client", DEADLINE, move || {
            echo_through(addr, b"hello, tasks\n", "the client")
        })
        .unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn a_silent_client_does_not_hold_up_the_next_one() {
        let server = start_server();
        let addr = server.addr;
        within(STEP, "a client beside a silent one", DEADLINE, move || {
            let silent = connect(addr, "the silent client")?;
            expect_echo(&silent, b"hi\n", "the silent client")?;
            echo_through(addr, b"me too\n", "the second client").map_err(|e| {
                format!(
                    "{e}, while the first client stayed connected and silent. Spawn a task per \
                     client (`tasks.spawn`): awaiting `handle_client` in the accept loop serves \
                     one client at a time"
                )
            })
        })
        .unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn two_hundred_clients_are_served_at_once() {
        let server = start_server();
        let addr = server.addr;
        within(
            STEP,
            "200 clients connected at once",
            DEADLINE * 3,
            move || {
                let mut clients = Vec::new();
                for i in 0..200 {
                    let who = format!("client {i}");
                    let conn = connect(addr, &who)?;
                    let message = format!("client {i:03} says hello\n").into_bytes();
                    (&conn)
                        .write_all(&message)
                        .map_err(|e| format!("{who} could not send: {e}"))?;
                    clients.push((who, conn, message));
                }
                // All 200 are connected, and none has left: each gets its echo all the same.
                for (who, conn, message) in &clients {
                    read_echo(conn, message, &format!("{who} (of 200 connected at once)"))?;
                }
                for (who, conn, _) in &clients {
                    exchange(conn, b"bye\n", who)?;
                }
                Ok::<_, String>(())
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn clients_that_never_read_their_echo_hold_up_nobody() {
        let server = start_server();
        let addr = server.addr;
        within(
            STEP,
            "a client beside 20 slow readers",
            DEADLINE * 2,
            move || {
                let slow: Vec<TcpStream> = (0..20)
                    .map(|_| slow_reader(addr, 1 << 20))
                    .collect::<Result<_, _>>()?;
                echo_through(addr, b"anyone home?\n", "a client beside 20 slow readers")?;
                drop(slow);
                Ok::<_, String>(())
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn a_client_that_resets_is_logged_with_its_address() {
        let mut server = start_server();
        let addr = server.addr;
        let rude_addr = within(
            STEP,
            "a client that resets mid-stream",
            DEADLINE,
            move || reset_mid_stream(addr),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        server.shut_down_and_wait("see the tests on shutdown");
        let expected = format!("clients: client {rude_addr}: ");
        assert!(
            server.log.has_line(&expected),
            "the log has no line starting {expected:?} after that client reset its connection: \
             log every task that ended, with `log_ended`, in the loop and while stopping.\n\
             The log:\n{}",
            server.log.text()
        );
    }

    #[test]
    fn shutdown_ends_a_serve_that_has_no_clients() {
        let mut server = start_server();
        server.shut_down_and_wait(
            "with no client, `serve` waits in `select!`: one of its branches must be the \
             shutdown future, and it must leave the loop",
        );
    }

    #[test]
    fn shutdown_ends_open_connections_and_serve_returns() {
        let mut server = start_server();
        let addr = server.addr;
        let idle = connect(addr, "the idle client").unwrap_or_else(|e| panic!("{e}"));
        expect_echo(&idle, b"hi\n", "the idle client").unwrap_or_else(|e| panic!("{e}"));
        server.shut_down_and_wait(
            "an idle client is connected and its task waits in `read`: abort the tasks \
             (`abort_all`) and wait for each (`join_next` until `None`)",
        );
        within(
            STEP,
            "the idle client to see its connection end",
            DEADLINE,
            move || {
                expect_end(&idle, "the idle client").map_err(|e| {
                    format!("{e} after serve returned: its task still runs. Abort every task")
                })
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            TcpStream::connect_timeout(&addr, PATIENCE).is_err(),
            "the server still accepts connections after serve returned: drop the listener"
        );
    }
}

mod clients {
    use std::net::SocketAddr;
    use std::panic::{self, AssertUnwindSafe};
    use std::sync::mpsc;
    use std::thread;

    use insta::assert_snapshot;
    use netlings::given::clients::worker_pool::PoolConfig;
    use netlings::harness::{
        DEADLINE, expect_eq, normalize, panic_message, run_program, tcp_listener, within,
    };
    use netlings::support::limits::{FilesPlan, OpenFiles};
    use tokio::sync::oneshot;

    use crate::steps::clients::{self, Model, RESERVED_FILES};
    use crate::worker_pool::{PATIENCE, TestLog, connect, echo_through, expect_echo, expect_end};

    const STEP: &str = "clients";

    const POOL: PoolConfig = PoolConfig {
        workers: 8,
        queue: 64,
        io_timeout: None,
    };

    #[test]
    fn files_needed_counts_two_files_a_client_for_threads_and_one_for_tasks() {
        let cases = [
            (Model::Async, 10_000, 10_000 + RESERVED_FILES),
            (Model::Thread, 10_000, 20_000 + RESERVED_FILES),
            (Model::Async, 1, 1 + RESERVED_FILES),
            (Model::Thread, 0, RESERVED_FILES),
        ];
        for (model, max_clients, expected) in cases {
            expect_eq(
                format!(
                    "files_needed(Model::{model:?}, {max_clients}, &PoolConfig {{ workers: 8, queue: 64, .. }})"
                ),
                clients::files_needed(model, max_clients, &POOL),
                expected,
            );
        }
    }

    #[test]
    fn the_pool_needs_files_for_its_workers_and_its_queue_only() {
        for max_clients in [1, 10_000] {
            expect_eq(
                format!(
                    "files_needed(Model::Pool, {max_clients}, &PoolConfig {{ workers: 8, queue: 64, .. }}) \
                     (2 files for each of the 72 it holds, whatever max_clients says)"
                ),
                clients::files_needed(Model::Pool, max_clients, &POOL),
                2 * 72 + RESERVED_FILES,
            );
        }
    }

    #[test]
    fn plan_open_files_raises_the_soft_limit_as_far_as_needed_and_allowed() {
        let cases = [
            (100, 1024, 4096, FilesPlan::Enough),
            (1024, 1024, 4096, FilesPlan::Enough),
            (100, 50_000, 60_000, FilesPlan::Enough),
            (2000, 1024, 4096, FilesPlan::Raise { to: 2000 }),
            (4096, 1024, 4096, FilesPlan::Raise { to: 4096 }),
            (5000, 1024, u64::MAX, FilesPlan::Raise { to: 5000 }),
            (20_064, 1024, 20_000, FilesPlan::Short { to: 20_000 }),
            (20_064, 20_000, 20_000, FilesPlan::Short { to: 20_000 }),
        ];
        for (needed, soft, hard, expected) in cases {
            expect_eq(
                format!("plan_open_files({needed}, OpenFiles {{ soft: {soft}, hard: {hard} }})"),
                clients::plan_open_files(needed, OpenFiles { soft, hard }),
                expected,
            );
        }
    }

    #[test]
    fn run_async_serves_until_shutdown_then_returns() {
        // A listener as `TcpListener::bind` makes it: in blocking mode.
        let listener = tcp_listener();
        let addr: SocketAddr = listener
            .local_addr()
            .expect("a bound listener has an address");
        let (shutdown, signal) = oneshot::channel::<()>();
        let (tx, done) = mpsc::channel();
        thread::spawn(move || {
            let mut log = TestLog::default();
            let result = panic::catch_unwind(AssertUnwindSafe(|| {
                let shutdown = async {
                    let _ = signal.await;
                };
                clients::run_async(listener, shutdown, &mut log).map_err(|e| e.to_string())
            }));
            let _ = tx.send(result.map_err(|p| panic_message(p.as_ref())));
        });
        let served = within(STEP, "clients of run_async", DEADLINE, move || {
            let idle = connect(addr, "the idle client")?;
            expect_echo(&idle, b"hi\n", "the idle client")?;
            echo_through(addr, b"hello, runtime\n", "a second client")?;
            Ok::<_, String>(idle)
        });
        let idle = match served {
            Ok(idle) => idle,
            Err(e) => match done.try_recv() {
                Ok(Err(panic)) => panic!("run_async panicked: {panic}"),
                Ok(Ok(returned)) => panic!("run_async returned {returned:?} before its shutdown"),
                Err(_) => panic!("{e}"),
            },
        };
        let _ = shutdown.send(());
        match done.recv_timeout(DEADLINE) {
            Ok(Ok(Ok(()))) => {}
            Ok(Ok(Err(e))) => panic!("run_async failed: {e}"),
            Ok(Err(panic)) if panic.contains("blocking") => panic!(
                "run_async panicked: {panic}\nA std listener is in blocking mode: \
                 `set_nonblocking(true)` before `TcpListener::from_std`"
            ),
            Ok(Err(panic)) => panic!("run_async panicked: {panic}"),
            Err(_) => panic!(
                "[{STEP}] run_async did not return within {DEADLINE:?} of its shutdown: `block_on` \
                 the given `serve` with it, and return when `serve` does"
            ),
        }
        within(
            STEP,
            "the idle client to see its connection end",
            PATIENCE,
            move || expect_end(&idle, "the idle client"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
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
            &["clients", "serve", "--model", "pool", "--addr", &addr],
            clients::run,
        );
        assert!(
            !transcript.success(),
            "{addr} is already taken:\n{transcript}"
        );
        assert_snapshot!(normalize(&transcript.to_string()));
    }

    #[test]
    fn program_rejects_an_unknown_model() {
        let transcript = run_program(STEP, &["clients", "serve", "--model", "fork"], clients::run);
        assert_snapshot!(transcript);
    }

    #[test]
    fn program_serve_help_names_the_three_models() {
        let transcript = run_program(STEP, &["clients", "serve", "--help"], clients::run);
        assert_snapshot!(transcript);
    }

    #[test]
    fn program_without_a_command_prints_usage() {
        let transcript = run_program(STEP, &["clients"], clients::run);
        assert_snapshot!(transcript);
    }
}
