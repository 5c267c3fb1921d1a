//! Step 10.4 · `conn` — the chapter's program: one client and one server for every network.
//!
//! Run it: `cargo run -- run conn --solution -- listen tcp 127.0.0.1:7000` in one terminal and
//! `cargo run -- run conn --solution -- dial tcp 127.0.0.1:7000 hello` in another.

use std::io::{self, Read, Write};
use std::thread;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};
use netlings::given::conn::any_stream::{Conn, echo};
use netlings::given::conn::dial_listen::{Listener, dial, listen};
use netlings::program::Result;
use netlings::support::accept::AcceptBackoff;
use netlings::support::duration::show;
use netlings::support::io::is_timeout;
use netlings::support::network::{explain_socket_file, op_error};

/// Dial or listen on any of Go's networks: tcp, tcp4, tcp6, udp, udp4, udp6, unix.
#[derive(Parser, Debug)]
#[command(name = "conn")]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Connect, send each message, and print what comes back (Go's net.Dial)
    Dial {
        /// tcp, tcp4, tcp6, udp, udp4, udp6 or unix
        network: String,
        /// host:port, or a socket path for unix
        address: String,
        /// Messages to send, one at a time
        messages: Vec<String>,
    },
    /// Accept connections and echo what each one sends (Go's net.Listen)
    Listen {
        /// tcp, tcp4, tcp6 or unix
        network: String,
        /// host:port (":port" means every interface), or a socket path for unix
        address: String,
    },
}

/// How long the `dial` subcommand waits for each echo, from sending it to the last byte back.
pub const ANSWER_TIMEOUT: Duration = Duration::from_secs(5);

/// Accepts connections forever, one thread each, and runs `handler` on each. What goes wrong
/// costs at most one connection, never the server: a failed accept is logged once per burst and
/// waited out ([`AcceptBackoff`]), a thread that cannot be started closes its connection only.
/// Returns only if writing to `log` fails.
pub fn serve(
    listener: &Listener,
    log: &mut dyn Write,
    handler: fn(Conn) -> io::Result<u64>,
) -> io::Result<()> {
    let mut backoff = AcceptBackoff::new();
    loop {
        match listener.accept() {
            Ok(conn) => {
                if let Some(line) = backoff.accepted() {
                    writeln!(log, "{line}")?;
                }
                // The thread owns its connection; nobody joins it, and its result is its own.
                // `thread::spawn` would panic when no thread can be started (out of memory or
                // of tasks); `Builder::spawn` returns the error, and the closure it gives back
                // is dropped with the connection inside: that client is closed, not the server.
                if let Err(e) = thread::Builder::new().spawn(move || handler(conn)) {
                    writeln!(log, "no thread for a client, closed it: {e}")?;
                }
            }
            // Out of file descriptors, the same accept fails again at once: retrying at once
            // would spin at full CPU and flood the log. Wait, longer each time, and say it once.
            Err(e) => {
                let retry = backoff.failed(&e);
                if let Some(line) = retry.log {
                    writeln!(log, "{line}")?;
                }
                thread::sleep(retry.wait);
            }
        }
    }
}

/// Sends `message` and reads back as many bytes, or fewer if the peer closes first, all within
/// `limit`: one deadline for the whole exchange, so a peer that drips its answer a byte at a
/// time cannot stretch it. Errors name the operation and the peer, as Go's do:
/// `read udp 127.0.0.1:7000: Connection refused`.
pub fn exchange(
    conn: &mut Conn,
    network: &str,
    address: &str,
    message: &str,
    limit: Duration,
) -> io::Result<String> {
    let end = Instant::now() + limit;
    let timed_out = || {
        let why = format!("no answer within {}", show(limit));
        op_error(
            "read",
            network,
            address,
            io::Error::new(io::ErrorKind::TimedOut, why),
        )
    };
    conn.write_all(message.as_bytes())
        .map_err(|e| op_error("write", network, address, e))?;
    // A stream may hand the echo back in pieces: read until all of it has come. The buffer is
    // the message's size: nothing a peer sends can make the client hold more.
    let mut answer = vec![0; message.len()];
    let mut got = 0;
    while got < message.len() {
        // A socket timeout is per read: give each read the time left, not the whole limit.
        let left = end.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(timed_out());
        }
        conn.set_read_timeout(Some(left))?;
        match conn.read(&mut answer[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            // An expired read timeout is WouldBlock on Unix: say what it means.
            Err(e) if is_timeout(&e) => return Err(timed_out()),
            Err(e) => return Err(op_error("read", network, address, e)),
        }
    }
    answer.truncate(got);
    Ok(String::from_utf8_lossy(&answer).into_owned())
}

/// Runs the subcommand.
pub fn run(args: Args, out: &mut dyn Write) -> Result {
    match args.command {
        Command::Dial {
            network,
            address,
            messages,
        } => {
            let mut conn = dial(&network, &address)?;
            writeln!(out, "connected to {network} {}", conn.remote_addr()?)?;
            for message in &messages {
                let echo = exchange(&mut conn, &network, &address, message, ANSWER_TIMEOUT)?;
                writeln!(out, "{echo}")?;
            }
        }
        Command::Listen { network, address } => {
            let listener = listen(&network, &address).map_err(|e| match network.as_str() {
                "unix" => explain_socket_file(e, &address),
                _ => e,
            })?;
            writeln!(out, "listening on {network} {}", listener.addr()?)?;
            out.flush()?;
            serve(&listener, out, echo)?;
        }
    }
    Ok(())
}

fn main() -> std::process::ExitCode {
    netlings::program::main(run)
}
