//! Step 13.3 · `framing` — the chapter's program: a framed echo server that a stranger cannot
//! sink, and a client that a stranger cannot hold.
//!
//! Read: chapter 13, "Step 3" (book/src/ch13_framing.md).   Check: `cargo run -- check framing`
//! Run: `cargo run -- run framing -- serve`; in another terminal, `... -- send 127.0.0.1:7013 hi`
//!
//! Given: the codec of step 2 (`netlings::given::framing::frames`); `Limits` and
//! `DeadlineStream`, a stream whose calls all end by one instant (`netlings::support::framing`).

// Your code will use these imports and parameters; until it does, they are unused.
#![allow(unused_imports, unused_variables)]

use std::io::{self, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};
use netlings::given::framing::frames::{read_frame, write_frame};
use netlings::program::Result;
use netlings::support::framing::{DeadlineStream, FrameError, Limits, Prefix};

/// A framed echo server that bounds what each connection costs, and its client.
#[derive(Parser, Debug)]
#[command(name = "framing")]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Echo every frame back to its sender, within limits (stop with Ctrl-C)
    Serve {
        /// The address to listen on
        #[arg(long, default_value = "127.0.0.1:7013")]
        addr: String,
        /// The largest frame accepted, in bytes
        #[arg(long, default_value_t = 65_536)]
        max_frame: usize,
        /// Close each connection this many seconds after accepting it, whatever it is doing
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
        deadline: u64,
        /// Serve at most this many connections at once; close the others when they arrive
        #[arg(long, default_value_t = 64)]
        max_conns: usize,
    },
    /// Send each message as a frame and print the frame that comes back
    Send {
        /// The server, as ip:port
        addr: String,
        /// The messages, one frame each
        #[arg(required = true)]
        messages: Vec<String>,
        /// The largest reply accepted, in bytes
        #[arg(long, default_value_t = 65_536)]
        max_frame: usize,
        /// Give up if connecting and the whole exchange take longer than this many seconds
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..))]
        timeout: u64,
    },
}

// ANCHOR: contract
/// Echoes each frame (`Prefix::U32`, at most `limits.max_frame` bytes) that `conn` sends, until
/// the client ends the stream between two frames; returns how many frames were echoed. Every
/// read and write ends by `limits.deadline` after the call, however the client spends the time
/// (dripping a byte a second, or never reading its echoes). Any `FrameError` ends it.
pub fn handle_conn(conn: &TcpStream, limits: Limits) -> std::result::Result<u64, FrameError> {
    // TODO: a DeadlineStream on `conn`; read_frame, write_frame it back, until None.
    todo!("handle_conn({limits:?})")
}

/// Accepts connections forever, each served by `handle_conn` on a thread of its own, at most
/// `limits.max_conns` at once: a connection arriving when that many are open is closed at
/// once. Writes one line to `log` for each connection that ends in an error,
/// `client <peer>: <error>`, and for each one refused, `refused <peer>: <max_conns>
/// connections open`. One connection's error never ends the server; it returns only if
/// writing to `log` fails.
pub fn serve(
    listener: TcpListener,
    limits: Limits,
    log: &mut (dyn Write + Send),
) -> io::Result<()> {
    // TODO: count the open connections; thread::scope lets the threads borrow the count and log.
    todo!("serve({limits:?})")
}

/// Connects to `server`, then for each message writes it as a frame and reads the frame that
/// answers it (at most `max_frame` bytes); returns the replies in order. Connecting and the
/// whole exchange end by `timeout` after the call: a silent or slow server gets a `TimedOut`
/// error. A server that closes instead of answering gets an `UnexpectedEof` one.
pub fn send(
    server: SocketAddr,
    messages: &[&[u8]],
    max_frame: usize,
    timeout: Duration,
) -> std::result::Result<Vec<Vec<u8>>, FrameError> {
    // TODO: one end instant for everything; connect_timeout; a DeadlineStream; frame by frame.
    todo!("send({server}, {} messages)", messages.len())
}
// ANCHOR_END: contract

/// `serve` runs until killed; `send` makes one exchange and prints the replies.
pub fn run(args: Args, out: &mut dyn Write) -> Result {
    match args.command {
        Command::Serve {
            addr,
            max_frame,
            deadline,
            max_conns,
        } => {
            let deadline = Duration::from_secs(deadline);
            let limits = Limits {
                max_frame,
                deadline,
                max_conns,
            };
            let listener =
                TcpListener::bind(&addr).map_err(|e| format!("cannot listen on {addr:?}: {e}"))?;
            writeln!(out, "listening on {} ({limits:?})", listener.local_addr()?)?;
            out.flush()?;
            serve(listener, limits, &mut io::stderr())?;
            Ok(())
        }
        Command::Send {
            addr,
            messages,
            max_frame,
            timeout,
        } => {
            let server: SocketAddr = addr
                .parse()
                .map_err(|e| format!("{addr:?} is not an address like 127.0.0.1:7013: {e}"))?;
            let messages: Vec<&[u8]> = messages.iter().map(|m| m.as_bytes()).collect();
            let replies = send(server, &messages, max_frame, Duration::from_secs(timeout))
                .map_err(|e| format!("talking to {server}: {e}"))?;
            // The server's bytes, escaped: printed raw, they could move the cursor or retitle
            // the terminal.
            for reply in replies {
                writeln!(out, "{}", reply.escape_ascii())?;
            }
            Ok(())
        }
    }
}

fn main() -> std::process::ExitCode {
    netlings::program::main(run)
}
