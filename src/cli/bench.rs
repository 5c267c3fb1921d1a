//! `netlings bench`: the load generator the book's numbers come from.
//!
//! It drives an echo server on loopback through four phases, each bounded in time and count,
//! and verifies every echoed byte:
//!
//! - **ping-pong**: N connections, each sending a message and waiting for its echo, in a loop
//!   (messages/s, and the latency of each round trip: p50, p99, max);
//! - **connect storm**: connect, one small echo, close, from a few threads at once;
//! - **bulk**: one connection streaming 64 KiB writes while reading the echo (MB/s);
//! - **idle**: N connections held open (each proven served by one echo), while a fresh client
//!   (or `--active` ping-pong connections) measures the latency the server still gives; when the
//!   bench started the server itself, the server's memory and threads before and after say what
//!   one connection costs.
//!
//! The same run measures the ceiling on this machine, a bare echo loop and a one-way sink
//! in-process, so results compare across machines as a ratio. Client and server share the CPUs.
//!
//! Without an address it starts a program of the course: chapter 7's `echo-server`, or with
//! `--model` the `clients` program of "Thousands of clients" serving one of its three ways.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, ExitCode, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use netlings::catalog;

use super::cargo::cargo_run;
use super::term;

/// What `netlings bench` was asked for.
#[derive(Debug, Clone)]
pub struct Options {
    /// Which server to load.
    pub server: Server,
    /// Connections of the ping-pong phase.
    pub connections: usize,
    /// Bytes per ping-pong message.
    pub size: usize,
    /// Length of each timed phase.
    pub phase: Duration,
    /// Connections the idle phase holds open (0: skip the phase).
    pub idle: usize,
    /// Ping-pong connections the idle phase runs beside the idle ones, for its latencies
    /// (0: one fresh client doing 200 round trips).
    pub active: usize,
}

/// The server under load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Server {
    /// One already running, at this loopback address.
    At(SocketAddr),
    /// A program of the course, started for the bench: the learner's or the reference.
    Program { program: Program, solution: bool },
}

/// The course's echo servers the bench can start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Program {
    /// Chapter 7's `echo-server serve`: a thread per client.
    EchoServer,
    /// `clients serve --model <model>` ("Thousands of clients"), the pool with `workers`
    /// threads if given.
    Clients {
        model: String,
        workers: Option<usize>,
    },
}

impl Program {
    /// The step the program is (its name in the catalog), and its arguments after `serve`.
    fn command(&self) -> (&'static str, Vec<String>) {
        match self {
            Program::EchoServer => ("echo-server", vec![]),
            Program::Clients { model, workers } => {
                let mut args = vec!["--model".to_string(), model.clone()];
                if let Some(n) = workers {
                    args.extend(["--workers".to_string(), n.to_string()]);
                }
                ("clients", args)
            }
        }
    }
}

/// The most the command accepts, so a typo cannot turn a benchmark into a denial of service.
pub const MAX_CONNECTIONS: usize = 1000;
pub const MAX_SIZE: usize = 1 << 20;
pub const MAX_IDLE: usize = 10_000;
pub const MAX_ACTIVE: usize = 1000;
pub const MAX_PHASE: Duration = Duration::from_secs(60);

const CHUNK: usize = 64 * 1024;
const STORM_THREADS: usize = 4;
/// Every socket operation of the load client gives up after this long: a server that stops
/// answering is an error, never a hang.
const IO_TIMEOUT: Duration = Duration::from_secs(5);

/// Resolves `addr` and accepts it only if every address it names is on loopback: the bench
/// never sends traffic anywhere else.
pub fn loopback_addr(addr: &str) -> Result<SocketAddr, String> {
    let addrs: Vec<SocketAddr> = addr
        .to_socket_addrs()
        .map_err(|e| format!("`{addr}` is not an address to bench (host:port): {e}"))?
        .collect();
    match addrs.first() {
        Some(first) if addrs.iter().all(|a| a.ip().to_canonical().is_loopback()) => Ok(*first),
        Some(other) => Err(format!(
            "`{addr}` is {}, not a loopback address: the bench only loads servers on this \
             machine's loopback (127.0.0.0/8 or [::1])",
            other.ip()
        )),
        None => Err(format!("`{addr}` names no address")),
    }
}

/// One phase's measurements.
#[derive(Debug, Default, Clone)]
pub struct Measured {
    /// Completed operations (round trips, connections, bytes).
    pub count: u64,
    pub seconds: f64,
    /// Round-trip latencies in microseconds, as sampled.
    pub latencies: Vec<u32>,
    /// Operations that failed: a refused connection, a timeout, a wrong echo.
    pub errors: u64,
    /// The first error, said in words.
    pub first_error: Option<String>,
}

impl Measured {
    pub fn rate(&self) -> f64 {
        self.count as f64 / self.seconds.max(1e-9)
    }

    fn error(&mut self, e: impl ToString) {
        self.errors += 1;
        self.first_error.get_or_insert_with(|| e.to_string());
    }

    fn merge(&mut self, other: Measured) {
        self.count += other.count;
        self.latencies.extend(other.latencies);
        self.errors += other.errors;
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
    }
}

/// The `p`-th percentile (0–100) of `samples`, by the nearest-rank method; `None` when empty.
pub fn percentile(samples: &mut [u32], p: f64) -> Option<u32> {
    if samples.is_empty() {
        return None;
    }
    samples.sort_unstable();
    let rank = ((p / 100.0) * samples.len() as f64).ceil() as usize;
    Some(samples[rank.clamp(1, samples.len()) - 1])
}

fn connect(addr: SocketAddr) -> io::Result<TcpStream> {
    let conn = TcpStream::connect_timeout(&addr, IO_TIMEOUT)?;
    conn.set_read_timeout(Some(IO_TIMEOUT))?;
    conn.set_write_timeout(Some(IO_TIMEOUT))?;
    // Small messages leave at once instead of waiting for the previous echo's ACK (Nagle).
    conn.set_nodelay(true)?;
    Ok(conn)
}

/// Sends `message` and checks that exactly it comes back.
fn round_trip(conn: &mut TcpStream, message: &[u8], echo: &mut [u8]) -> io::Result<()> {
    conn.write_all(message).map_err(said)?;
    conn.read_exact(echo).map_err(said)?;
    if echo != message {
        return Err(io::Error::other("the echo differs from what was sent"));
    }
    Ok(())
}

/// An expired socket timeout in words ("Resource temporarily unavailable" says nothing here):
/// a server that accepted the connection but never served it, or stopped answering.
fn said(e: io::Error) -> io::Error {
    if netlings::support::io::is_timeout(&e) {
        io::Error::new(
            e.kind(),
            format!("no answer within {IO_TIMEOUT:?} (a server that is full, or stuck)"),
        )
    } else {
        e
    }
}

/// Tells the phases when to stop and counts progress for the progress line.
struct Clock {
    stop: AtomicBool,
    done: AtomicU64,
}

fn run_for<T: Send + 'static>(
    length: Duration,
    label: &str,
    workers: Vec<Box<dyn FnOnce(Arc<Clock>) -> T + Send>>,
) -> (Vec<T>, f64) {
    let clock = Arc::new(Clock {
        stop: AtomicBool::new(false),
        done: AtomicU64::new(0),
    });
    let started = Instant::now();
    let handles: Vec<_> = workers
        .into_iter()
        .map(|work| {
            let clock = Arc::clone(&clock);
            thread::spawn(move || work(clock))
        })
        .collect();
    let show = term::interactive();
    while started.elapsed() < length {
        // The measurement window: the workers run until it ends; nothing to synchronise with.
        thread::sleep(Duration::from_millis(100).min(length));
        if show {
            eprint!(
                "\r  {label}: {:.1} s, {} done   ",
                started.elapsed().as_secs_f64(),
                clock.done.load(Ordering::Relaxed)
            );
        }
    }
    clock.stop.store(true, Ordering::Relaxed);
    let results = handles.into_iter().filter_map(|h| h.join().ok()).collect();
    if show {
        eprint!("\r{:60}\r", "");
    }
    (results, started.elapsed().as_secs_f64())
}

/// Closed-loop ping-pong over `connections` connections of `size`-byte messages.
pub fn ping_pong(addr: SocketAddr, connections: usize, size: usize, length: Duration) -> Measured {
    // Keep at most about two million latency samples in all.
    let keep = (2_000_000 / connections.max(1)).max(1000);
    let workers = (0..connections)
        .map(|i| {
            Box::new(move |clock: Arc<Clock>| {
                let mut m = Measured::default();
                let mut conn = match connect(addr) {
                    Ok(conn) => conn,
                    Err(e) => {
                        m.error(format!("connection {i}: {e}"));
                        return m;
                    }
                };
                let message: Vec<u8> = (0..size).map(|b| (b + i) as u8).collect();
                let mut echo = vec![0u8; size];
                while !clock.stop.load(Ordering::Relaxed) {
                    let sent = Instant::now();
                    if let Err(e) = round_trip(&mut conn, &message, &mut echo) {
                        m.error(format!("connection {i}: {e}"));
                        return m;
                    }
                    if m.latencies.len() < keep {
                        m.latencies.push(micros(sent.elapsed()));
                    }
                    m.count += 1;
                    clock.done.fetch_add(1, Ordering::Relaxed);
                }
                m
            }) as Box<dyn FnOnce(Arc<Clock>) -> Measured + Send>
        })
        .collect();
    gather(run_for(length, "ping-pong", workers))
}

/// Connect, one 16-byte echo, close, from a few threads, for `length`.
pub fn connect_storm(addr: SocketAddr, length: Duration) -> Measured {
    let workers = (0..STORM_THREADS)
        .map(|t| {
            Box::new(move |clock: Arc<Clock>| {
                let mut m = Measured::default();
                let message = [t as u8; 16];
                let mut echo = [0u8; 16];
                while !clock.stop.load(Ordering::Relaxed) && m.errors < 100 {
                    let started = Instant::now();
                    let result = connect(addr)
                        .and_then(|mut conn| round_trip(&mut conn, &message, &mut echo));
                    match result {
                        Ok(()) => {
                            m.count += 1;
                            m.latencies.push(micros(started.elapsed()));
                            clock.done.fetch_add(1, Ordering::Relaxed);
                        }
                        Err(e) => m.error(e),
                    }
                }
                m
            }) as Box<dyn FnOnce(Arc<Clock>) -> Measured + Send>
        })
        .collect();
    gather(run_for(length, "connect storm", workers))
}

fn gather((results, seconds): (Vec<Measured>, f64)) -> Measured {
    let mut total = Measured {
        seconds,
        ..Measured::default()
    };
    for m in results {
        total.merge(m);
    }
    total
}

fn micros(d: Duration) -> u32 {
    u32::try_from(d.as_micros()).unwrap_or(u32::MAX)
}

/// Bytes through one connection in `length`: a thread writes 64 KiB blocks, then half-closes;
/// this one reads until EOF, checking every byte when `echoed` (count = bytes sent).
pub fn bulk(addr: SocketAddr, length: Duration, echoed: bool) -> Measured {
    let mut m = Measured::default();
    let started = Instant::now();
    let result = (|| -> io::Result<u64> {
        let conn = connect(addr)?;
        let mut writer = conn.try_clone()?;
        let sender = thread::spawn(move || -> io::Result<u64> {
            let block: Vec<u8> = (0..CHUNK).map(|i| i as u8).collect();
            let mut sent = 0;
            while started.elapsed() < length {
                writer.write_all(&block)?;
                sent += CHUNK as u64;
            }
            writer.shutdown(Shutdown::Write)?;
            Ok(sent)
        });
        let mut received = 0u64;
        let mut buf = vec![0u8; CHUNK];
        // Byte k of the stream is k as u8, so whatever the split into reads, a read at offset
        // `received` must equal `expected[received % 256..]`: one memcmp, fast even unoptimised.
        let expected: Vec<u8> = (0..CHUNK + 256).map(|i| i as u8).collect();
        let mut reader = &conn;
        loop {
            let n = reader.read(&mut buf)?;
            if n == 0 {
                break;
            }
            let at = (received % 256) as usize;
            if echoed && buf[..n] != expected[at..at + n] {
                return Err(io::Error::other("the bulk echo is corrupted"));
            }
            received += n as u64;
        }
        let sent = sender
            .join()
            .map_err(|_| io::Error::other("the sending thread panicked"))??;
        if echoed && received != sent {
            return Err(io::Error::other(format!(
                "sent {sent} bytes, got {received} back"
            )));
        }
        Ok(sent)
    })();
    m.seconds = started.elapsed().as_secs_f64();
    match result {
        Ok(sent) => m.count = sent,
        Err(e) => m.error(e),
    }
    m
}

/// Opens `count` connections and proves each is served with one echo. Returns them, and the
/// measurement so far: `count` is the connections held, `errors` the first that failed.
pub fn open_idle(addr: SocketAddr, count: usize) -> (Vec<TcpStream>, Measured) {
    let mut m = Measured::default();
    let started = Instant::now();
    let mut held = Vec::with_capacity(count);
    let show = term::interactive();
    for i in 0..count {
        match connect(addr).and_then(|mut conn| {
            round_trip(&mut conn, &[i as u8; 8], &mut [0u8; 8])?;
            Ok(conn)
        }) {
            Ok(conn) => held.push(conn),
            Err(e) => {
                m.error(format!("idle connection {i}: {e}"));
                break;
            }
        }
        if show && i % 100 == 0 {
            eprint!("\r  idle: {i} connections open   ");
        }
    }
    if show {
        eprint!("\r{:60}\r", "");
    }
    m.count = held.len() as u64;
    m.seconds = started.elapsed().as_secs_f64();
    (held, m)
}

/// Opens `count` connections and proves each is served with one echo, holds them while a fresh
/// client does 200 round trips, then closes them all. `count` in the result is the connections
/// held; the latencies are the fresh client's. (What `bench` does, in one call, for the tests.)
#[cfg(test)]
pub fn idle(addr: SocketAddr, count: usize) -> Measured {
    let started = Instant::now();
    let (held, mut m) = open_idle(addr, count);
    probe(addr, held.len(), &mut m);
    m.seconds = started.elapsed().as_secs_f64();
    m
}

/// A fresh client's 200 round trips of 64 bytes, beside `idle` held connections, into `m`.
fn probe(addr: SocketAddr, idle: usize, m: &mut Measured) {
    let probe = connect(addr).and_then(|mut conn| {
        let (message, mut echo) = ([7u8; 64], [0u8; 64]);
        for _ in 0..200 {
            let sent = Instant::now();
            round_trip(&mut conn, &message, &mut echo)?;
            m.latencies.push(micros(sent.elapsed()));
        }
        Ok(())
    });
    if let Err(e) = probe {
        m.error(format!("a fresh client beside {idle} idle ones: {e}"));
    }
}

/// What the server process grew by while it held the idle connections.
#[derive(Debug, Clone, Copy)]
struct Cost {
    rss_before: u64,
    rss_after: u64,
    threads_before: u64,
    threads_after: u64,
    connections: u64,
}

impl Cost {
    fn line(&self) -> String {
        let per = self.rss_after.saturating_sub(self.rss_before) / self.connections.max(1);
        format!(
            "server memory: {:.1} MiB before, {:.1} MiB with {} idle connections: {:.1} KiB a \
             connection; threads: {} before, {} with them",
            self.rss_before as f64 / (1 << 20) as f64,
            self.rss_after as f64 / (1 << 20) as f64,
            self.connections,
            per as f64 / 1024.0,
            self.threads_before,
            self.threads_after,
        )
    }
}

/// A loopback server that runs `handle` on its own thread for every connection.
fn thread_per_connection(handle: fn(TcpStream)) -> io::Result<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            thread::spawn(move || handle(conn));
        }
    });
    Ok(addr)
}

/// The thinnest echo server: read, write it all back, until EOF or an error. Its speed under a
/// load is the ceiling for that load on this machine.
pub fn bare_echo() -> io::Result<SocketAddr> {
    thread_per_connection(|mut conn| {
        let mut buf = vec![0u8; CHUNK];
        while let Ok(n @ 1..) = conn.read(&mut buf) {
            if conn.write_all(&buf[..n]).is_err() {
                return;
            }
        }
    })
}

/// A sink: reads and discards. One-way throughput into it is what loopback carries.
pub fn sink() -> io::Result<SocketAddr> {
    thread_per_connection(|mut conn| {
        let mut buf = vec![0u8; CHUNK];
        while let Ok(1..) = conn.read(&mut buf) {}
    })
}

/// A program of the course started for the bench; its process group is killed on drop.
struct Started(Child);

impl Drop for Started {
    fn drop(&mut self) {
        // SAFETY: kill(2) with a negative pid signals the process group created at spawn.
        unsafe { libc::kill(-(self.0.id() as i32), libc::SIGKILL) };
        let _ = self.0.wait();
    }
}

/// Starts `program serve ... --addr 127.0.0.1:0` (the learner's or the reference) through
/// cargo, with the features its chapter needs, and reads the address it says it listens on.
/// `cargo run` replaces itself with the program on Unix, so the child's pid is the server's.
fn start_program(
    root: &Path,
    program: &Program,
    solution: bool,
) -> Result<(Started, SocketAddr), String> {
    let (name, args) = program.command();
    let step = catalog::find(name).ok_or_else(|| format!("no program `{name}` in the catalog"))?;
    let mut cmd = cargo_run(root, step, solution, true);
    cmd.args(["serve", "--addr", "127.0.0.1:0"])
        .args(&args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0);
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot start cargo: {e}"))?;
    let stdout = child.stdout.take().ok_or("no stdout from the server")?;
    let started = Started(child);
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        // The first line says where it listens; the next ones (the limit on open files) are
        // shown as they come.
        let mut lines = BufReader::new(stdout).lines();
        if let Some(Ok(first)) = lines.next() {
            let _ = tx.send(first);
        }
        for line in lines.map_while(Result::ok) {
            println!("({name}: {line})");
        }
    });
    eprintln!("Building and starting {name} (a release build the first time)...");
    let line = rx
        .recv_timeout(Duration::from_secs(600))
        .map_err(|_| format!("{name} did not say where it listens within 10 minutes"))?;
    let addr = line.trim().strip_prefix("listening on ").ok_or_else(|| {
        format!(
            "{name}'s first line should be `listening on ADDR`; it was {:?} (does `cargo run \
             -- run {name} -- serve --addr 127.0.0.1:0` work?)",
            line.trim()
        )
    })?;
    Ok((started, loopback_addr(addr)?))
}

/// What `/proc/<pid>/status` says of a process's resident memory (bytes) and threads.
fn memory_and_threads(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        line[name.len()..].split_whitespace().next()?.parse().ok()
    };
    Some((field("VmRSS:")? * 1024, field("Threads:")?))
}

/// Raises the soft limit on open files towards what `idle` connections need, and says how many
/// the process may open.
fn raise_fd_limit(wanted: u64) -> u64 {
    // SAFETY: getrlimit/setrlimit with a struct we own.
    unsafe {
        let mut lim: libc::rlimit = std::mem::zeroed();
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            return 1024;
        }
        if lim.rlim_cur < wanted {
            lim.rlim_cur = wanted.min(lim.rlim_max);
            libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
        }
        lim.rlim_cur
    }
}

fn row(name: &str, result: String, m: &mut Measured, ratio: Option<f64>) -> String {
    let mut lat = |p| percentile(&mut m.latencies, p).map_or_else(|| "-".to_string(), show_micros);
    let (p50, p99) = (lat(50.0), lat(99.0));
    let max = m
        .latencies
        .iter()
        .max()
        .map_or_else(|| "-".to_string(), |&us| show_micros(us));
    let vs = ratio.map_or_else(String::new, |r| {
        let cells = ((r * 20.0).round() as usize).min(20);
        format!(
            "{:>4.0}% {}{}",
            r * 100.0,
            "█".repeat(cells),
            "░".repeat(20 - cells)
        )
    });
    format!(
        "{name:<34} {result:>14} {p50:>8} {p99:>8} {max:>8} {:>6}  {vs}\n",
        m.errors
    )
}

fn show_micros(us: u32) -> String {
    if us < 1000 {
        format!("{us} µs")
    } else if us < 1_000_000 {
        format!("{:.1} ms", f64::from(us) / 1000.0)
    } else {
        format!("{:.1} s", f64::from(us) / 1e6)
    }
}

fn thousands(rate: f64) -> String {
    if rate >= 10_000.0 {
        format!("{:.0}k", rate / 1000.0)
    } else {
        format!("{rate:.0}")
    }
}

/// `netlings bench`.
pub fn bench(root: &Path, opts: &Options) -> Result<ExitCode, String> {
    let (program, addr, label) = match &opts.server {
        Server::At(addr) => (None, *addr, format!("the server at {addr}")),
        Server::Program { program, solution } => {
            let (started, addr) = start_program(root, program, *solution)?;
            let whose = if *solution { "the reference" } else { "your" };
            let what = match program {
                Program::EchoServer => "echo-server (chapter 7)".to_string(),
                Program::Clients { model, workers } => match workers {
                    Some(n) => format!("clients --model {model} --workers {n}"),
                    None => format!("clients --model {model}"),
                },
            };
            (Some(started), addr, format!("{whose} {what}"))
        }
    };
    let cpus = thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "netlings bench: {label} on loopback; {cpus} CPUs shared by the clients and the server; \
         {:.1} s a phase\n",
        opts.phase.as_secs_f64()
    );
    let ceiling_echo =
        bare_echo().map_err(|e| format!("cannot start the ceiling's server: {e}"))?;
    let ceiling_sink = sink().map_err(|e| format!("cannot start the ceiling's sink: {e}"))?;
    let mut out = format!(
        "{:<34} {:>14} {:>8} {:>8} {:>8} {:>6}  {}\n",
        "phase", "result", "p50", "p99", "max", "errors", "vs the ceiling"
    );

    let (n, size) = (opts.connections, opts.size);
    let mut ceiling = ping_pong(ceiling_echo, n, size, opts.phase);
    let mut server = ping_pong(addr, n, size, opts.phase);
    let ratio = server.rate() / ceiling.rate().max(1e-9);
    let name = format!("ping-pong {n} conn × {size} B");
    out += &row(
        &name,
        format!("{} msg/s", thousands(server.rate())),
        &mut server,
        Some(ratio),
    );
    let mut storm_ceiling = connect_storm(ceiling_echo, opts.phase);
    let mut storm = connect_storm(addr, opts.phase);
    let storm_ratio = storm.rate() / storm_ceiling.rate().max(1e-9);
    out += &row(
        "connect storm (connect, echo, close)",
        format!("{} conn/s", thousands(storm.rate())),
        &mut storm,
        Some(storm_ratio),
    );
    let one_way = bulk(ceiling_sink, opts.phase, false);
    let mut echoed = bulk(addr, opts.phase, true);
    // Every byte crosses loopback twice in an echo, so about half the one-way rate is what to
    // expect; more is possible, since the echo spreads the copying over more threads.
    let bulk_ratio = echoed.rate() / one_way.rate().max(1e-9);
    out += &row(
        "bulk, 1 conn, 64 KiB writes",
        format!("{:.0} MB/s", echoed.rate() / 1e6),
        &mut echoed,
        Some(bulk_ratio),
    );
    let mut cost = None;
    let mut idle_error = None;
    if opts.idle > 0 {
        let allowed = raise_fd_limit((opts.idle + opts.active) as u64 + 64);
        let count = opts
            .idle
            .min(allowed.saturating_sub(opts.active as u64 + 64) as usize);
        if count < opts.idle {
            println!(
                "(this process may open {allowed} files, so the idle phase holds {count} \
                 connections, not {}: raise the hard limit with `ulimit -Hn` as root)\n",
                opts.idle
            );
        }
        let pid = program.as_ref().map(|p| p.0.id());
        let before = pid.and_then(memory_and_threads);
        let (conns, mut held) = open_idle(addr, count);
        let after = pid.and_then(memory_and_threads);
        cost = before.zip(after).map(
            |((rss_before, threads_before), (rss_after, threads_after))| Cost {
                rss_before,
                rss_after,
                threads_before,
                threads_after,
                connections: held.count,
            },
        );
        let name = if opts.active == 0 {
            probe(addr, conns.len(), &mut held);
            format!("idle: {} held, a new client's echo", held.count)
        } else {
            // Beside the idle ones, `active` connections ping-pong for a phase.
            let busy = ping_pong(addr, opts.active, size, opts.phase);
            held.latencies = busy.latencies;
            held.errors += busy.errors;
            held.first_error = held.first_error.or(busy.first_error);
            format!("idle: {} held, {} ping-pong", held.count, opts.active)
        };
        drop(conns);
        out += &row(&name, format!("{} open", held.count), &mut held, None);
        idle_error = held.first_error;
    }
    out += &row(
        "ceiling: bare echo loop, ping-pong",
        format!("{} msg/s", thousands(ceiling.rate())),
        &mut ceiling,
        None,
    );
    out += &row(
        "ceiling: bare echo loop, storm",
        format!("{} conn/s", thousands(storm_ceiling.rate())),
        &mut storm_ceiling,
        None,
    );
    out += &format!(
        "{:<34} {:>14}\n",
        "ceiling: one way into a sink",
        format!("{:.0} MB/s", one_way.rate() / 1e6)
    );
    print!("{out}");
    if let Some(cost) = cost {
        println!("\n{}", cost.line());
    }
    let errors: Vec<String> = [&server, &storm, &echoed]
        .iter()
        .filter_map(|m| m.first_error.clone())
        .chain(idle_error)
        .collect();
    drop(program);
    if errors.is_empty() {
        println!(
            "\nEvery echoed byte was checked. An echo carries every byte twice, so a bulk ratio \
             near 50 % is good; it can go above, since the echo spreads the copying over more \
             threads than the one-way ceiling."
        );
        Ok(ExitCode::SUCCESS)
    } else {
        println!("\nErrors (the first of each phase): {}", errors.join("; "));
        Ok(ExitCode::FAILURE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_addresses_are_benched() {
        assert!(loopback_addr("127.0.0.1:7").is_ok());
        assert!(loopback_addr("127.3.2.1:7").is_ok());
        assert!(loopback_addr("[::1]:7").is_ok());
        assert!(loopback_addr("[::ffff:127.0.0.1]:7").is_ok());
        let refused = loopback_addr("192.0.2.1:7").unwrap_err();
        assert!(refused.contains("not a loopback address"), "{refused}");
        assert!(loopback_addr("[2001:db8::1]:7").is_err());
        assert!(loopback_addr("no port").is_err());
    }

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let mut samples: Vec<u32> = (1..=100).rev().collect();
        assert_eq!(percentile(&mut samples, 50.0), Some(50));
        assert_eq!(percentile(&mut samples, 99.0), Some(99));
        assert_eq!(percentile(&mut samples, 100.0), Some(100));
        assert_eq!(percentile(&mut samples, 0.0), Some(1));
        assert_eq!(percentile(&mut [], 50.0), None);
    }

    #[test]
    fn each_phase_measures_a_correct_echo_server_without_errors() {
        let echo = bare_echo().expect("a loopback echo server");
        let short = Duration::from_millis(200);
        let pp = ping_pong(echo, 4, 100, short);
        assert!(pp.count > 0 && pp.errors == 0, "{pp:?}");
        assert!(!pp.latencies.is_empty());
        let storm = connect_storm(echo, short);
        assert!(
            storm.count > 0 && storm.errors == 0,
            "{:?}",
            storm.first_error
        );
        let b = bulk(echo, short, true);
        assert!(b.count > 0 && b.errors == 0, "{:?}", b.first_error);
        let held = idle(echo, 20);
        assert_eq!((held.count, held.errors), (20, 0), "{:?}", held.first_error);
        assert_eq!(held.latencies.len(), 200);
    }

    #[test]
    fn a_server_that_corrupts_the_echo_is_caught_in_every_phase() {
        let liar = thread_per_connection(|mut conn| {
            let mut buf = vec![0u8; CHUNK];
            while let Ok(n @ 1..) = conn.read(&mut buf) {
                buf[n - 1] ^= 1;
                if conn.write_all(&buf[..n]).is_err() {
                    return;
                }
            }
        })
        .expect("a loopback server");
        let short = Duration::from_millis(200);
        let pp = ping_pong(liar, 2, 64, short);
        assert!(pp.errors > 0 && pp.count == 0, "{pp:?}");
        assert!(connect_storm(liar, short).errors > 0);
        assert!(bulk(liar, short, true).errors > 0);
        assert!(idle(liar, 3).errors > 0);
    }
}
