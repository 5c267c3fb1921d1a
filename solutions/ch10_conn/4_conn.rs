//! Step 10.4 · `conn` — the chapter's program: one client and one server for every network.
//!
//! Run it: `cargo run -- run conn --solution -- listen tcp 127.0.0.1:7000` in one terminal and
//! `cargo run -- run conn --solution -- dial tcp 127.0.0.1:7000 hello` in another.

use std::io::{self, Read, Write};
use std::thread;
use std::time::Duration;

use clap::{Parser, Subcommand};
use netlings::given::conn::any_stream::{Conn, echo};
use netlings::given::conn::dial_listen::{Listener, dial, listen};
use netlings::program::Result;
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

/// How long the `dial` subcommand waits for each echo.
pub const ANSWER_TIMEOUT: Duration = Duration::from_secs(5);

/// Accepts connections forever, one thread each, and runs `handler` on each. A failed accept
/// is logged and the server goes on; returns only if writing to `log` fails.
pub fn serve(
    listener: &Listener,
    log: &mut dyn Write,
    handler: fn(Conn) -> io::Result<u64>,
) -> io::Result<()> {
    loop {
        match listener.accept() {
            // The thread owns its connection; nobody joins it, and its result is its own.
            Ok(conn) => {
                thread::spawn(move || handler(conn));
            }
            // One failed accept (a client that reset, no file descriptors left) is not the end.
            Err(e) => writeln!(log, "accept: {e}")?,
        }
    }
}

/// Sends `message` and reads back as many bytes, or fewer if the peer closes first. Errors
/// name the operation and the peer, as Go's do: `read udp 127.0.0.1:7000: Connection refused`.
pub fn exchange(
    conn: &mut Conn,
    network: &str,
    address: &str,
    message: &str,
) -> io::Result<String> {
    conn.write_all(message.as_bytes())
        .map_err(|e| op_error("write", network, address, e))?;
    // A stream may hand the echo back in pieces: read until all of it has come.
    let mut answer = vec![0; message.len()];
    let mut got = 0;
    while got < message.len() {
        match conn.read(&mut answer[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            // An expired read timeout is WouldBlock on Unix: say what it means.
            Err(e) if is_timeout(&e) => {
                let why = format!("no answer within {ANSWER_TIMEOUT:?}");
                let timed_out = io::Error::new(io::ErrorKind::TimedOut, why);
                return Err(op_error("read", network, address, timed_out));
            }
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
            conn.set_read_timeout(Some(ANSWER_TIMEOUT))?;
            writeln!(out, "connected to {network} {}", conn.remote_addr()?)?;
            for message in &messages {
                writeln!(out, "{}", exchange(&mut conn, &network, &address, message)?)?;
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
