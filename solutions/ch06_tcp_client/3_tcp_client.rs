//! Step 6.3 · `tcp-client` — the chapter's program: Newmarch's GetHeadInfo and a daytime client.
//!
//! Run it: `cargo run -- run tcp-client --solution -- head 127.0.0.1:8080`

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

/// Resolves and connects, with errors that say which part failed.
pub fn connect(service: &str, timeout: Duration) -> Result<TcpStream> {
    // The name is the user's to fix; the address is the network's (or the server's) problem:
    // say which, and show the address the name became.
    let addr = resolve_tcp_addr(service).map_err(|e| format!("cannot resolve {service:?}: {e}"))?;
    let conn = dial_tcp(addr, timeout).map_err(|e| format!("cannot connect to {addr}: {e}"))?;
    Ok(conn)
}

/// Connects, has one conversation and prints the answer exactly as it arrived, within one
/// deadline and one limit on its size.
pub fn run(args: Args, out: &mut dyn Write) -> Result {
    // std refuses a zero timeout (it would mean "never"); say so in the program's own words.
    if args.timeout_ms == 0 {
        return Err("--timeout-ms must be at least 1".into());
    }
    let timeout = Duration::from_millis(args.timeout_ms);
    // One deadline for the whole exchange. The socket's timeouts are per call: a server that
    // sends a byte just before each one would keep us here for as long as it liked.
    let deadline = Instant::now() + timeout;
    let (Command::Head { service } | Command::Daytime { service }) = &args.command;
    let conn = connect(service, timeout)?;
    let mut conn = ByDeadline::new(&conn, deadline);
    let received = match &args.command {
        Command::Head { .. } => get_head_info(&mut conn, args.max_bytes),
        Command::Daytime { .. } => daytime(&mut conn, args.max_bytes),
    };
    // What arrived is printed even when the exchange then failed: it is part of the answer,
    // and often the clue to what went wrong.
    out.write_all(&received.bytes)?;
    match received.error {
        None => Ok(()),
        Some(e) => Err(format!(
            "talking to {service} ({} bytes arrived): {e}",
            received.bytes.len()
        )
        .into()),
    }
}

fn main() -> std::process::ExitCode {
    netlings::program::main(run)
}
