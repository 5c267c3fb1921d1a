//! Step 8.4 · `timeouts` — the chapter's program: an echo server that drops idle and
//! overlong connections, and a dialer that sets keepalive.
//!
//! Run it: `cargo run -- run timeouts --solution -- serve --idle-timeout 5s --deadline 30s`,
//! then connect with `nc 127.0.0.1 7008` and wait.

use std::io::{self, Write};
use std::net::{SocketAddr, TcpListener};
use std::time::Duration;

use clap::{Parser, Subcommand};
use netlings::given::timeouts::keepalive::{Keepalive, dial_timeout, keepalive, set_keepalive};
use netlings::given::timeouts::slow_clients::{Limits, serve};
use netlings::program::Result;
use netlings::support::duration::{parse_duration, show};

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
        /// Idle time before the first keepalive probe (whole seconds, at most 32767s)
        #[arg(long, default_value = "60s", value_parser = parse_keepalive_time)]
        keepalive_time: Duration,
        /// Time between unanswered probes (whole seconds, at most 32767s)
        #[arg(long, default_value = "10s", value_parser = parse_keepalive_time)]
        keepalive_interval: Duration,
        /// Unanswered probes before the connection is declared dead (1 to 127)
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=127))]
        keepalive_retries: u32,
    },
}

/// The longest keepalive time or interval Linux takes (`MAX_TCP_KEEPIDLE` and
/// `MAX_TCP_KEEPINTVL`, 32767 s); the probe count goes from 1 to `MAX_TCP_KEEPCNT`, 127.
/// Outside these, `setsockopt` fails with a bare "Invalid argument", so the command line
/// checks them and says what the limits are.
pub const MAX_KEEPALIVE_TIME: Duration = Duration::from_secs(32767);

/// A keepalive time or interval: a duration ([`parse_duration`]) Linux takes.
fn parse_keepalive_time(text: &str) -> std::result::Result<Duration, String> {
    let time = parse_duration(text)?;
    if time > MAX_KEEPALIVE_TIME {
        let most = show(MAX_KEEPALIVE_TIME);
        return Err(format!(
            "{text} is more than Linux takes for keepalive ({most})"
        ));
    }
    Ok(time)
}

fn run_server(addr: &str, limits: Limits, out: &mut dyn Write) -> Result {
    let listener =
        TcpListener::bind(addr).map_err(|e| format!("cannot listen on {addr:?}: {e}"))?;
    let (idle, deadline) = (show(limits.idle), show(limits.deadline));
    let local = listener.local_addr()?;
    writeln!(
        out,
        "listening on {local} (idle timeout {idle}, deadline {deadline})"
    )?;
    out.flush()?;
    // The log is stderr through a writer, never `eprintln!`, which panics when stderr is a
    // closed pipe: the server logs what it can and goes on.
    serve(listener, limits, &mut io::stderr());
    Ok(())
}

/// `timeouts dial`: connects to `addr` within `timeout`, turns keepalive on with `settings`
/// and reports what the kernel holds.
pub fn run_dial(
    addr: &str,
    timeout: Duration,
    settings: &Keepalive,
    out: &mut dyn Write,
) -> Result {
    // TCP_KEEPIDLE and TCP_KEEPINTVL count whole seconds: 1500ms would silently become 1s.
    // Refuse it before touching the network, so the mistake costs nothing.
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
    // Report what getsockopt says, not what we asked for: that is what the kernel will do.
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
            idle_timeout: idle,
            deadline,
        } => run_server(&addr, Limits { idle, deadline }, out),
        Command::Dial {
            addr,
            connect_timeout,
            keepalive_time: time,
            keepalive_interval: interval,
            keepalive_retries: retries,
        } => run_dial(
            &addr,
            connect_timeout,
            &Keepalive {
                time,
                interval,
                retries,
            },
            out,
        ),
    }
}

fn main() -> std::process::ExitCode {
    netlings::program::main(run)
}
