//! The grading harness: what every test in `tests/` is built from.
//!
//! Three rules hold for every check made with it:
//! - **A deadline.** Learner code runs on its own thread ([`within`]); if it does not answer in
//!   time the test fails with a message that names the exercise and what it waited for, instead
//!   of hanging the suite.
//! - **A message that says what to fix.** [`expect_eq`] names the function, the input, what was
//!   expected and what came back; [`Table`] renders one line per case so a snapshot diff points
//!   at the failing inputs.
//! - **Deterministic output.** [`normalize`] replaces ephemeral ports so transcripts of programs
//!   that bind port 0 can be snapshotted.

use std::any::Any;
use std::cell::Cell;
use std::fmt::{self, Debug, Display};
use std::io::Write as _;
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Once, mpsc};
use std::thread;
use std::time::Duration;

use crate::program::Run;

/// The default deadline for one check: generous for a slow CI machine, short for a learner.
pub const DEADLINE: Duration = Duration::from_secs(5);

/// Runs `f` on its own thread and waits at most `limit` for it to finish.
///
/// `exercise` and `waiting_for` name what is being waited for in the failure message, e.g.
/// `within("echo-server", "the echo of client 3", ...)`. A panic in `f` (such as a stub's
/// `todo!()`) is reported with the same context.
///
/// # Panics
/// When `f` panics or does not finish in time; that is how a check fails. The failure points at
/// the test that called `within`, not at the harness.
#[track_caller]
pub fn within<T: Send + 'static>(
    exercise: &str,
    waiting_for: &str,
    limit: Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (tx, rx) = mpsc::channel();
    let spawned = thread::Builder::new()
        .name(format!("{exercise}: {waiting_for}"))
        .spawn(move || {
            let result = panic::catch_unwind(AssertUnwindSafe(f));
            let _ = tx.send(result);
        });
    if let Err(e) = spawned {
        panic!("[{exercise}] could not start a thread for {waiting_for}: {e}");
    }
    match rx.recv_timeout(limit) {
        Ok(Ok(value)) => value,
        Ok(Err(payload)) => panic!(
            "[{exercise}] panicked while {waiting_for}: {}",
            panic_message(payload.as_ref())
        ),
        // The thread is left behind; the test process ends without waiting for it.
        Err(_) => panic!(
            "[{exercise}] timed out after {limit:?} waiting for {waiting_for}.\n\
             Something blocked and never returned: a read with no end (EOF, timeout or \
             deadline), a lock, or a loop that never exits."
        ),
    }
}

/// The text of a panic payload (`panic!` with a string or a formatted message).
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic with a non-text payload".to_string()
    }
}

/// Fails with a message that names the call, what was expected and what came back.
///
/// ```
/// netlings::harness::expect_eq("parse_ip(\"::1\")", Some(1), Some(1));
/// ```
#[track_caller]
pub fn expect_eq<T: PartialEq + Debug>(call: impl Display, got: T, expected: T) {
    if got != expected {
        panic!("{call}\n    expected: {expected:?}\n         got: {got:?}");
    }
}

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`, catching a panic without the default hook printing it: a table catches one panic
/// per row and shows it in the table instead.
fn catch_quietly<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                default(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    result.map_err(|payload| panic_message(payload.as_ref()))
}

/// A table of cases: one line per input, `call => result`, built for snapshots.
///
/// Each row runs on its own and a panic (a `todo!()`, an `unwrap` on bad input) becomes that
/// row's result, so one failing case does not hide the others and the snapshot diff shows
/// exactly which inputs are wrong.
#[derive(Default)]
pub struct Table {
    rows: Vec<(String, String)>,
}

impl Table {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one case: `call` is how the row is labelled (`parse_ip("1.2.3.4")`), `f` computes
    /// the result, shown with `{:?}`.
    pub fn row<O: Debug>(&mut self, call: impl Display, f: impl FnOnce() -> O) -> &mut Self {
        let result = match catch_quietly(f) {
            Ok(out) => format!("{out:?}"),
            Err(message) => format!("PANIC: {message}"),
        };
        self.rows.push((call.to_string(), result));
        self
    }

    /// The number of rows whose call panicked.
    pub fn panics(&self) -> usize {
        self.rows
            .iter()
            .filter(|(_, r)| r.starts_with("PANIC: "))
            .count()
    }
}

impl Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let width = self
            .rows
            .iter()
            .map(|(c, _)| c.chars().count())
            .max()
            .unwrap_or(0);
        for (call, result) in &self.rows {
            writeln!(f, "{call:<width$} => {result}")?;
        }
        Ok(())
    }
}

/// What a program printed and how it ended, as a learner would see it in a terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transcript {
    /// The command line, program name first.
    pub argv: Vec<String>,
    /// Everything the program wrote to its output.
    pub stdout: String,
    /// What it wrote to stderr: `error: <message>` or clap's usage error.
    pub stderr: String,
    /// The exit status a shell would see: 0, 1 for an error, 2 for bad arguments.
    pub status: u8,
}

impl Transcript {
    /// Whether the program exited with status 0.
    pub fn success(&self) -> bool {
        self.status == 0
    }
}

impl Display for Transcript {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "$ {}", self.argv.join(" "))?;
        for text in [&self.stdout, &self.stderr] {
            f.write_str(text)?;
            if !text.is_empty() && !text.ends_with('\n') {
                writeln!(f)?;
            }
        }
        writeln!(f, "[exit {}]", self.status)
    }
}

/// Runs an exercise program in-process, as `argv` would from a shell, with a deadline.
///
/// `argv[0]` is the program's name. Bad arguments end the run the way clap ends a real program
/// (usage on stderr, status 2; `--help` on stdout, status 0); an error returned by `run` becomes
/// `error: <message>` and status 1. A panic or a timeout fails the check.
#[track_caller]
pub fn run_program<A: clap::Parser + 'static>(
    exercise: &str,
    argv: &[&str],
    run: Run<A>,
) -> Transcript {
    let argv: Vec<String> = argv.iter().map(|s| s.to_string()).collect();
    let waiting_for = format!("`{}` to finish", argv.join(" "));
    let args = argv.clone();
    let (stdout, stderr, status) = within(exercise, &waiting_for, DEADLINE, move || {
        let parsed = match A::try_parse_from(&args) {
            Ok(parsed) => parsed,
            Err(e) if e.use_stderr() => return (String::new(), e.render().to_string(), 2),
            Err(e) => return (e.render().to_string(), String::new(), 0),
        };
        let mut out = Vec::new();
        let result = run(parsed, &mut out);
        let stdout = String::from_utf8_lossy(&out).into_owned();
        match result {
            Ok(()) => (stdout, String::new(), 0),
            Err(e) => (stdout, format!("error: {e}"), 1),
        }
    });
    Transcript {
        argv,
        stdout,
        stderr,
        status,
    }
}

/// A TCP listener on 127.0.0.1 with a port the kernel picks (port 0): how every test gets a
/// server address without clashing with anything else on the machine.
pub fn tcp_listener() -> TcpListener {
    TcpListener::bind("127.0.0.1:0").expect("binding 127.0.0.1:0 always works on loopback")
}

/// A UDP socket on 127.0.0.1, port picked by the kernel, whose reads give up after
/// [`DEADLINE`] so a lost or missing answer fails a check instead of hanging it.
pub fn udp_socket() -> UdpSocket {
    let socket = UdpSocket::bind("127.0.0.1:0").expect("binding 127.0.0.1:0 always works");
    socket
        .set_read_timeout(Some(DEADLINE))
        .expect("a non-zero timeout is accepted");
    socket
}

/// A TCP connection to `addr` made within [`DEADLINE`], with read and write timeouts of
/// [`DEADLINE`]: a server that never answers fails the check with a message naming `exercise`.
#[track_caller]
pub fn tcp_client(exercise: &str, addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect_timeout(&addr, DEADLINE)
        .unwrap_or_else(|e| panic!("[{exercise}] could not connect to the server at {addr}: {e}"));
    stream
        .set_read_timeout(Some(DEADLINE))
        .expect("a non-zero timeout is accepted");
    stream
        .set_write_timeout(Some(DEADLINE))
        .expect("a non-zero timeout is accepted");
    stream
}

/// A TCP listener on 127.0.0.1 whose accept queue is full: the kernel ignores new SYNs, so a
/// connect to [`FullListener::addr`] can only time out. This is how tests exercise connect
/// timeouts without sending a packet off the machine. Dropping it closes everything.
pub struct FullListener {
    /// Where a connect attempt will hang until its timeout.
    pub addr: SocketAddr,
    _socket: socket2::Socket,
    _queued: Vec<TcpStream>,
}

/// Fills a backlog-0 listener's queue. `Err` says why it could not, for the test's [`skip`]:
/// some kernels complete every connection anyway.
pub fn full_listener() -> Result<FullListener, String> {
    use socket2::{Domain, Socket, Type};
    let unsupported = || {
        "this system completed every connection to a listener with backlog 0, so no connect can \
         time out on loopback here (the test needs Linux's accept-queue behaviour)"
            .to_string()
    };
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).map_err(|e| e.to_string())?;
    let any: SocketAddr = "127.0.0.1:0".parse().expect("a valid socket address");
    socket.bind(&any.into()).map_err(|e| e.to_string())?;
    // A backlog of 0: Linux queues one finished handshake and drops SYNs after that.
    socket.listen(0).map_err(|e| e.to_string())?;
    let addr = socket
        .local_addr()
        .ok()
        .and_then(|a| a.as_socket())
        .ok_or_else(unsupported)?;
    let mut queued = Vec::new();
    for _ in 0..32 {
        match TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
            Ok(conn) => queued.push(conn),
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {
                return Ok(FullListener {
                    addr,
                    _socket: socket,
                    _queued: queued,
                });
            }
            Err(e) => return Err(format!("filling the accept queue failed: {e}")),
        }
    }
    Err(unsupported())
}

/// Says loudly that the calling test did not run, and why: a skipped check must never look like
/// a pass. It writes `SKIPPED <test>: <why>` to the process's stderr itself, because the test
/// harness captures `eprintln!` of passing tests and would hide the reason; `netlings check`
/// reads that line and shows the test as skipped. The test is named by its thread, which libtest
/// names after it.
pub fn skip(why: &str) {
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("a test");
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
}

/// Makes program output deterministic: the port after a loopback address (`127.0.0.1:40123`,
/// `[::1]:40123`, `localhost:40123`) becomes `[port]`.
pub fn normalize(text: &str) -> String {
    const HOSTS: [&str; 3] = ["127.0.0.1:", "[::1]:", "localhost:"];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((at, host)) = HOSTS
        .iter()
        .filter_map(|h| rest.find(h).map(|i| (i, *h)))
        .min()
    {
        let after = at + host.len();
        let digits = rest[after..].bytes().take_while(u8::is_ascii_digit).count();
        out.push_str(&rest[..after]);
        if digits > 0 {
            out.push_str("[port]");
        }
        rest = &rest[after + digits..];
    }
    out.push_str(rest);
    out
}

/// A small deterministic pseudo-random generator (xorshift64*) for property tests: the same
/// seed gives the same cases on every machine, so a failure can be reproduced.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator; the seed must not be 0 (it is replaced by 1).
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// A random ASCII string of up to `max_len` characters drawn from `alphabet`.
    pub fn string(&mut self, alphabet: &str, max_len: usize) -> String {
        let chars: Vec<char> = alphabet.chars().collect();
        let len = self.below(max_len as u64 + 1) as usize;
        (0..len)
            .map(|_| chars[self.below(chars.len() as u64) as usize])
            .collect()
    }
}
