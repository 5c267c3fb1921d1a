//! Step 6.3 · `tcp-client` — the chapter's program: Newmarch's GetHeadInfo and a daytime client.
//!
//! Read: chapter 6, "Step 3" (book/src/ch06_tcp_client.md).   Check: `cargo run -- check tcp-client`
//! Run: `cargo run -- run tcp-client -- head 127.0.0.1:8080`
//!
//! Steps 1 and 2 are given (from `netlings::given`), so this step works even if you skipped
//! them; `ByDeadline` comes from the library (`netlings::support::exchange`).

// Your code will use these imports and parameters; until it does, they are unused.
#![allow(unused_imports, unused_variables)]

use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};
use netlings::given::tcp_client::dial_tcp::{dial_tcp, resolve_tcp_addr};
use netlings::given::tcp_client::get_head_info::{MAX_REPLY, daytime, get_head_info};
use netlings::program::Result;
use netlings::support::exchange::ByDeadline;

/// Ask a server for something over TCP and print the whole answer.
#[derive(Parser, Debug)]
#[command(name = "tcp-client")]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
    /// Give up on the whole exchange (connecting, sending, reading) after this many milliseconds
    #[arg(long, global = true, default_value_t = 5000, value_name = "MS")]
    pub timeout_ms: u64,
    /// Read at most this many bytes of the answer
    #[arg(long, global = true, default_value_t = MAX_REPLY, value_name = "BYTES",
          value_parser = clap::value_parser!(u64).range(1..))]
    pub max_bytes: u64,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Send `HEAD / HTTP/1.0` and print the response headers (Newmarch's GetHeadInfo)
    Head {
        /// The web server, as host:port (e.g. 127.0.0.1:8080)
        service: String,
    },
    /// Print what a daytime server (RFC 867, port 13) sends
    Daytime {
        /// The daytime server, as host:port
        service: String,
    },
}

// ANCHOR: contract
/// Resolves `service` and connects to it within `timeout` (`resolve_tcp_addr`, then
/// `dial_tcp`). The error says which part failed:
///
/// ```text
/// cannot resolve "127.0.0.1": invalid socket address
/// cannot connect to 127.0.0.1:8080: Connection refused (os error 111)
/// ```
pub fn connect(service: &str, timeout: Duration) -> Result<TcpStream> {
    // TODO: two calls, each with its error turned into a message (`map_err`, `format!`).
    todo!("connect({service:?}, {timeout:?})")
}

/// Connects, has the command's conversation (`get_head_info` or `daytime`, reading at most
/// `--max-bytes`) and writes what arrived to `out`, exactly as it arrived, **even when the
/// conversation then failed**. The whole exchange (connecting, sending, every read) ends by one
/// deadline, `--timeout-ms` after `run` started: talk through `ByDeadline`, not the bare
/// stream, whose timeouts start again with every call. Errors:
///
/// - `--timeout-ms 0`: `--timeout-ms must be at least 1` (std refuses a zero timeout), before
///   anything is sent;
/// - what `connect` says;
/// - a conversation that ended early (after printing what arrived):
///   `talking to <service> (<n> bytes arrived): <the io::Error>`.
pub fn run(args: Args, out: &mut dyn Write) -> Result {
    // TODO: check the timeout, fix the deadline, connect, then `match &args.command`.
    todo!("run({args:?})")
}
// ANCHOR_END: contract

fn main() -> std::process::ExitCode {
    netlings::program::main(run)
}
