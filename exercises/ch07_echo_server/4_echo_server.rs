//! Step 7.4 · `echo-server` — the chapter's program: the notes' echo server, and the client
//! that goes with it.
//!
//! Read: chapter 7, "Step 4" (book/src/ch07_echo_server.md).   Check: `cargo run -- check echo-server`
//! Run: `cargo run -- run echo-server -- serve`, and in a second terminal
//! `cargo run -- run echo-server -- client 127.0.0.1:7007 hello`
//!
//! Steps 1 to 3 are given (from `netlings::given`): `serve` is written; you write the client.
//! `ByDeadline` and `Received` come from the library (`netlings::support::exchange`).

// Your code will use these imports and parameters; until it does, they are unused.
#![allow(unused_imports, unused_variables)]

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};
use netlings::given::echo_server::accept_loop::serve;
use netlings::given::echo_server::stop_handle::StopHandle;
use netlings::program::Result;
use netlings::support::exchange::{ByDeadline, Received};

/// An echo server that serves many clients at once, and its client.
#[derive(Parser, Debug)]
#[command(name = "echo-server")]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Accept clients and send each one back every byte it sends (stop with Ctrl-C)
    Serve {
        /// The address to listen on
        #[arg(long, default_value = "127.0.0.1:7007")]
        addr: String,
    },
    /// Send a message to an echo server and print what comes back
    Client {
        /// The server, as host:port
        addr: String,
        /// The words to send, joined by spaces and ended with a newline
        #[arg(required = true)]
        message: Vec<String>,
        /// Give up on the whole exchange (connecting, sending, reading) after this many
        /// milliseconds
        #[arg(long, default_value_t = 5000, value_name = "MS",
              value_parser = clap::value_parser!(u64).range(1..))]
        timeout_ms: u64,
    },
}

// ANCHOR: contract
/// Sends `message` on `conn`, half-closes (`shutdown(Shutdown::Write)`), and returns what the
/// server sends back until it closes (`Received::bytes`), with the error that cut the exchange
/// short, if one did (`Received::error`; a failed send's error comes first). Sends and reads at
/// the same time: a message bigger than the sockets' buffers must not deadlock. Bounded:
///
/// - every write and read ends by `deadline` (through `ByDeadline`), so a server that drips its
///   echo cannot keep the client longer;
/// - it reads at most one byte more than `message.len()`: an echo is as long as the message.
///   More is an error of kind `InvalidData`, `more than the <n> bytes sent came back`, with the
///   first `message.len()` bytes;
/// - a reset halfway keeps the bytes that came before it.
pub fn echo_client(conn: &TcpStream, message: &[u8], deadline: Instant) -> Received {
    // TODO: a scoped thread sends and half-closes while this one reads; then the errors.
    todo!("echo_client(conn, {} bytes, deadline)", message.len())
}

/// `echo-server client`: sends the words joined by spaces, plus `\n`, and prints what comes
/// back, exactly as it came, **even when the exchange then fails**. `addr` must be an IP
/// address and port (no name lookup here). The whole exchange (connecting, sending, reading)
/// ends by one deadline, `timeout` after the start. Errors:
///
/// - `"<addr>" is not an address like 127.0.0.1:7007: <why>`
/// - `cannot connect to <server>: <why>`
/// - `talking to <server> (<n> of <m> bytes came back): <the error from echo_client>`
/// - when the echo differs from the line sent (after printing it):
///   `the server sent back <n> bytes that differ from the <m> sent`
pub fn run_client(
    addr: &str,
    message: &[String],
    timeout: Duration,
    out: &mut dyn Write,
) -> Result {
    // TODO: fix the deadline, parse, connect, `echo_client`, print, check.
    todo!("run_client({addr:?}, {message:?}, {timeout:?})")
}
// ANCHOR_END: contract

/// `echo-server serve`: listens on `addr` and serves until the process is killed, logging on
/// stderr.
fn run_server(addr: &str, out: &mut dyn Write) -> Result {
    let listener =
        TcpListener::bind(addr).map_err(|e| format!("cannot listen on {addr:?}: {e}"))?;
    let stop = StopHandle::new(&listener)?;
    writeln!(out, "listening on {}", listener.local_addr()?)?;
    out.flush()?;
    serve(listener, &stop, &mut io::stderr());
    Ok(())
}

/// `serve` listens until the process is killed; `client` sends one message.
pub fn run(args: Args, out: &mut dyn Write) -> Result {
    match &args.command {
        Command::Serve { addr } => run_server(addr, out),
        Command::Client {
            addr,
            message,
            timeout_ms,
        } => run_client(addr, message, Duration::from_millis(*timeout_ms), out),
    }
}

fn main() -> std::process::ExitCode {
    netlings::program::main(run)
}
