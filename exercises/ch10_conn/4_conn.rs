//! Step 10.4 · `conn` — the chapter's program: one client and one server for every network.
//!
//! Read: chapter 10, "Step 4" (book/src/ch10_conn.md).   Check: `cargo run -- check conn`
//! Run: `cargo run -- run conn -- listen tcp 127.0.0.1:7000`, then
//! `cargo run -- run conn -- dial tcp 127.0.0.1:7000 hello` in another terminal.
//!
//! `Conn`, `echo`, `dial` and `listen` are given (from `netlings::given::conn`); `run` is
//! written and uses the two functions you write here.

// Your code will use these imports and parameters; until it does, they are unused.
#![allow(unused_imports, unused_variables)]

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

// ANCHOR: contract
/// Accepts connections forever, one thread each, and runs `handler` on each, so a slow
/// client never holds up the next one. What goes wrong costs one connection, never the server:
///
/// - A failed accept: tell `backoff` ([`AcceptBackoff::failed`]), write the line it gives, if
///   any, to `log`, and sleep as long as it says: out of file descriptors, the same accept
///   fails again at once, and retrying at once spins. After an accept that works, log the
///   line [`AcceptBackoff::accepted`] gives, if any.
/// - A thread that cannot be started (`thread::spawn` panics; `thread::Builder::spawn`
///   returns the error): write `no thread for a client, closed it: <error>` to `log` and go
///   on. The connection closes when the closure holding it is dropped.
///
/// Return only if writing to `log` fails.
pub fn serve(
    listener: &Listener,
    log: &mut dyn Write,
    handler: fn(Conn) -> io::Result<u64>,
) -> io::Result<()> {
    // TODO: an AcceptBackoff; loop { accept; spawn a thread that runs handler(conn) }
    todo!("serve({listener:?})")
}

/// Sends `message` on `conn`, then reads until as many bytes have come back or the peer
/// closes (a read of 0), and returns them as text (`String::from_utf8_lossy`). A stream may
/// return the echo in pieces, so one read is not enough.
///
/// The whole exchange takes at most `limit`: a peer that drips its answer a byte at a time
/// must not stretch it. A socket timeout is per read, so before each read set the read
/// timeout to the time left until the end, fixed once (no time left: the timeout error).
///
/// Errors name the operation and the peer, as Go's do ([`op_error`]):
/// - a failed write: `write <network> <address>: <error>`;
/// - a read that timed out ([`is_timeout`]), or no time left:
///   `read <network> <address>: no answer within <limit>`, an error of kind `TimedOut`
///   (`limit` as [`show`] writes it: `5s`, `100ms`);
/// - any other failed read: `read <network> <address>: <error>`.
pub fn exchange(
    conn: &mut Conn,
    network: &str,
    address: &str,
    message: &str,
    limit: Duration,
) -> io::Result<String> {
    // TODO: write_all; fix the end; read into a buffer of message.len() bytes until it is full.
    todo!("exchange({conn:?}, {network:?}, {address:?}, {message:?}, {limit:?})")
}
// ANCHOR_END: contract

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
