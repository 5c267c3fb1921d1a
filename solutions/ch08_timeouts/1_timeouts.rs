//! Chapter 8 — Timeouts and keepalive: from the notes' `SetTimeout` to Go's `SetDeadline`, and
//! how to get the same guarantees from `set_read_timeout`, `connect_timeout` and socket2.
//!
//! Run it: `netlings run timeouts --solution -- serve --idle-timeout 5s --deadline 30s`, then
//! connect with `nc 127.0.0.1 7008` and wait.

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};
use netlings::program::Result;
use socket2::{SockRef, TcpKeepalive};

/// An echo server that drops idle and overlong connections, and a dialer that sets keepalive.
#[derive(Parser, Debug)]
#[command(name = "timeouts")]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Echo what clients send; drop a client that is idle too long or connected too long
    Serve {
        /// The address to listen on
        #[arg(long, default_value = "127.0.0.1:7008")]
        addr: String,
        /// Drop a client that sends nothing for this long (e.g. 500ms, 10s, 2m)
        #[arg(long, default_value = "10s", value_parser = parse_duration)]
        idle_timeout: Duration,
        /// End every connection this long after it was accepted, busy or not
        #[arg(long, default_value = "60s", value_parser = parse_duration)]
        deadline: Duration,
    },
    /// Connect with a timeout, turn keepalive on, and print what the kernel reports back
    Dial {
        /// The server, as host:port
        addr: String,
        /// Give up connecting after this long
        #[arg(long, default_value = "3s", value_parser = parse_duration)]
        connect_timeout: Duration,
        /// Idle time before the first keepalive probe (whole seconds)
        #[arg(long, default_value = "60s", value_parser = parse_duration)]
        keepalive_time: Duration,
        /// Time between unanswered probes (whole seconds)
        #[arg(long, default_value = "10s", value_parser = parse_duration)]
        keepalive_interval: Duration,
        /// Unanswered probes before the connection is declared dead
        #[arg(long, default_value_t = 5)]
        keepalive_retries: u32,
    },
}

/// How long a server lets one client take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The longest silence between two reads.
    pub idle: Duration,
    /// The longest a connection may last, from accept to close.
    pub deadline: Duration,
}

/// TCP keepalive settings: after `time` without traffic the kernel sends a probe, then one every
/// `interval`; after `retries` unanswered probes it resets the connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keepalive {
    pub time: Duration,
    pub interval: Duration,
    pub retries: u32,
}

// ANCHOR: time_left
/// The time until `deadline`, or a `TimedOut` error once it has passed. (A zero timeout cannot be
/// given to `set_read_timeout`: `Some(Duration::ZERO)` is refused with `InvalidInput`.)
fn time_left(deadline: Instant) -> io::Result<Duration> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Err(io::Error::new(
            io::ErrorKind::TimedOut,
            "the deadline has passed",
        ));
    }
    Ok(left)
}

/// Whether `e` is a socket timeout expiring: `WouldBlock` (EAGAIN) on Unix, `TimedOut` on Windows.
fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}
// ANCHOR_END: time_left

// ANCHOR: read_by
/// Go's `SetReadDeadline(deadline)` followed by `Read`: a read that fails with `TimedOut` once
/// `deadline` has passed, however the time was spent.
pub fn read_by(conn: &mut TcpStream, buf: &mut [u8], deadline: Instant) -> io::Result<usize> {
    loop {
        // SO_RCVTIMEO is relative and applies to one call: recompute it from the absolute
        // deadline before every call, so time already spent counts.
        conn.set_read_timeout(Some(time_left(deadline)?))?;
        match conn.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) if is_timeout(&e) => {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "read deadline passed",
                ));
            }
            result => return result,
        }
    }
}
// ANCHOR_END: read_by

// ANCHOR: write_by
/// Go's `SetWriteDeadline(deadline)` followed by `Write`: sends all of `data`, or fails with
/// `TimedOut` once `deadline` has passed. A peer that stops reading fills our send buffer and
/// blocks `write`; this bounds how long it can hold us.
pub fn write_by(conn: &mut TcpStream, data: &[u8], deadline: Instant) -> io::Result<()> {
    let mut rest = data;
    while !rest.is_empty() {
        conn.set_write_timeout(Some(time_left(deadline)?))?;
        match conn.write(rest) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            // A send that timed out after part of the data went returns that part: go on.
            Ok(n) => rest = &rest[n..],
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) if is_timeout(&e) => {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "write deadline passed",
                ));
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
// ANCHOR_END: write_by

// ANCHOR: handle_client
/// Echoes until EOF, but drops the client after `limits.idle` without data or `limits.deadline`
/// after it arrived, whichever comes first. Returns the bytes echoed, or why the client was cut.
pub fn handle_client(conn: TcpStream, limits: Limits) -> io::Result<u64> {
    let mut conn = conn;
    // One absolute end for the whole connection: sending a byte now and then resets the idle
    // timer but never this one, so a slow-drip client cannot stay forever.
    let end = Instant::now() + limits.deadline;
    let mut buf = [0u8; 16 * 1024];
    let mut total = 0;
    loop {
        let idle_end = Instant::now() + limits.idle;
        let n = read_by(&mut conn, &mut buf, idle_end.min(end)).map_err(|e| match e.kind() {
            io::ErrorKind::TimedOut if idle_end < end => {
                cut(format!("idle for {}", show(limits.idle)))
            }
            io::ErrorKind::TimedOut => cut(format!("connected for {}", show(limits.deadline))),
            _ => e,
        })?;
        if n == 0 {
            conn.shutdown(Shutdown::Both)?;
            return Ok(total);
        }
        write_by(&mut conn, &buf[..n], end)?;
        total += n as u64;
    }
    // Returning drops `conn`: the client gets a FIN (or a reset if it had sent more).
}

fn cut(why: String) -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, format!("dropped: {why}"))
}
// ANCHOR_END: handle_client

/// Accepts forever, one thread per client. Every connection ends by its deadline, so there is
/// no client this server can be stuck with.
pub fn serve(listener: TcpListener, limits: Limits) -> io::Result<()> {
    for conn in listener.incoming() {
        let conn = match conn {
            Ok(conn) => conn,
            Err(e) => {
                eprintln!("timeouts: accept: {e}");
                thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        // A client that already reset has no peer address any more: that is its problem only.
        let peer = conn
            .peer_addr()
            .map_or_else(|e| format!("?({e})"), |a| a.to_string());
        thread::spawn(move || {
            if let Err(e) = handle_client(conn, limits) {
                eprintln!("timeouts: client {peer}: {e}");
            }
        });
    }
    Ok(())
}

// ANCHOR: dial_timeout
/// Go's `DialTimeout("tcp", addr, timeout)`: connects, or fails with `TimedOut` after `timeout`.
pub fn dial_timeout(addr: SocketAddr, timeout: Duration) -> io::Result<TcpStream> {
    // A plain `connect` waits as long as the kernel keeps retrying the SYN (over two minutes
    // on Linux) when the server's accept queue is full or a firewall drops packets.
    TcpStream::connect_timeout(&addr, timeout)
}
// ANCHOR_END: dial_timeout

// ANCHOR: keepalive
/// Go's `SetKeepAlive(true)` plus the period, interval and count of Go 1.23's
/// `KeepAliveConfig`: std has no keepalive at all, socket2 has all of it.
pub fn set_keepalive(conn: &TcpStream, settings: &Keepalive) -> io::Result<()> {
    let params = TcpKeepalive::new()
        .with_time(settings.time)
        .with_interval(settings.interval)
        .with_retries(settings.retries);
    // SockRef borrows the socket of a std type to reach options std does not wrap.
    SockRef::from(conn).set_tcp_keepalive(&params)
}

/// The keepalive settings the kernel holds for `conn` (getsockopt), or `None` when keepalive
/// is off.
pub fn keepalive(conn: &TcpStream) -> io::Result<Option<Keepalive>> {
    let socket = SockRef::from(conn);
    if !socket.keepalive()? {
        return Ok(None);
    }
    Ok(Some(Keepalive {
        time: socket.tcp_keepalive_time()?,
        interval: socket.tcp_keepalive_interval()?,
        retries: socket.tcp_keepalive_retries()?,
    }))
}
// ANCHOR_END: keepalive

/// Parses a duration written as a whole number and a unit: `250ms`, `10s`, `2m`. Zero is
/// refused: a zero timeout means "no time at all" to Go but is an error to `set_read_timeout`.
pub fn parse_duration(text: &str) -> std::result::Result<Duration, String> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let (number, unit) = text.split_at(digits);
    if number.is_empty() {
        return Err(format!(
            "{text:?} does not start with a number (try 500ms, 10s or 2m)"
        ));
    }
    let n: u64 = number
        .parse()
        .map_err(|_| format!("{number} is too large"))?;
    let duration = match unit {
        "ms" => Duration::from_millis(n),
        "s" => Duration::from_secs(n),
        "m" => Duration::from_secs(n.saturating_mul(60)),
        "" => return Err(format!("{text:?} has no unit (ms, s or m)")),
        other => {
            return Err(format!(
                "unknown unit {other:?} in {text:?} (use ms, s or m)"
            ));
        }
    };
    if duration.is_zero() {
        return Err("a timeout must be longer than zero".to_string());
    }
    Ok(duration)
}

/// Shows a duration the way `parse_duration` reads it.
pub fn show(d: Duration) -> String {
    if d.subsec_millis() == 0 && d.as_secs() > 0 {
        format!("{}s", d.as_secs())
    } else {
        format!("{}ms", d.as_millis())
    }
}

fn run_server(addr: &str, limits: Limits, out: &mut dyn Write) -> Result {
    let listener =
        TcpListener::bind(addr).map_err(|e| format!("cannot listen on {addr:?}: {e}"))?;
    writeln!(
        out,
        "listening on {} (idle timeout {}, deadline {})",
        listener.local_addr()?,
        show(limits.idle),
        show(limits.deadline)
    )?;
    out.flush()?;
    serve(listener, limits)?;
    Ok(())
}

fn run_dial(addr: &str, timeout: Duration, settings: &Keepalive, out: &mut dyn Write) -> Result {
    // TCP_KEEPIDLE and TCP_KEEPINTVL count whole seconds: 1500ms would silently become 1s.
    if [settings.time, settings.interval]
        .iter()
        .any(|d| d.subsec_nanos() != 0)
    {
        return Err("keepalive times are whole seconds (the kernel counts them in seconds)".into());
    }
    let server: SocketAddr = addr
        .parse()
        .map_err(|e| format!("{addr:?} is not an address like 127.0.0.1:7008: {e}"))?;
    let conn = dial_timeout(server, timeout)
        .map_err(|e| format!("cannot connect to {server} within {}: {e}", show(timeout)))?;
    writeln!(out, "connected to {server}")?;
    set_keepalive(&conn, settings).map_err(|e| format!("setting keepalive: {e}"))?;
    match keepalive(&conn)? {
        None => writeln!(out, "keepalive: off")?,
        Some(k) => writeln!(
            out,
            "keepalive: on, first probe after {}, then every {}, reset after {} unanswered",
            show(k.time),
            show(k.interval),
            k.retries
        )?,
    }
    Ok(())
}

/// `serve` runs until killed; `dial` connects once and reports.
pub fn run(args: Args, out: &mut dyn Write) -> Result {
    match args.command {
        Command::Serve {
            addr,
            idle_timeout,
            deadline,
        } => run_server(
            &addr,
            Limits {
                idle: idle_timeout,
                deadline,
            },
            out,
        ),
        Command::Dial {
            addr,
            connect_timeout,
            keepalive_time,
            keepalive_interval,
            keepalive_retries,
        } => {
            let settings = Keepalive {
                time: keepalive_time,
                interval: keepalive_interval,
                retries: keepalive_retries,
            };
            run_dial(&addr, connect_timeout, &settings, out)
        }
    }
}

fn main() -> std::process::ExitCode {
    netlings::program::main(run)
}
