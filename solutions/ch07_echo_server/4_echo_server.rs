//! Step 7.4 · `echo-server` — the chapter's program: the notes' echo server, and the client
//! that goes with it.
//!
//! Run it: `cargo run -- run echo-server --solution -- serve --addr 127.0.0.1:7007`, then in a
//! second terminal `cargo run -- run echo-server --solution -- client 127.0.0.1:7007 hello`

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

/// Sends `message` on `conn`, half-closes, and returns what the server sends back until it
/// closes: never more than one byte past the length of `message`, and never after `deadline`.
pub fn echo_client(conn: &TcpStream, message: &[u8], deadline: Instant) -> Received {
    thread::scope(|scope| {
        // Send and receive at the same time. Sending everything first deadlocks on a big
        // message: the server blocks writing its echo to us because we are not reading, so it
        // stops reading, so our writes block too.
        let sender = scope.spawn(move || -> io::Result<()> {
            ByDeadline::new(conn, deadline).write_all(message)?;
            // Half-close: our FIN says "that is all", and we can still read the echo.
            conn.shutdown(Shutdown::Write)
        });
        // An echo is as long as the message. Reading one byte more tells a server that sends
        // more; reading further would let it choose how much memory we use. The deadline is
        // for the whole echo: a server that drips it cannot keep us longer.
        let mut echoed = Vec::with_capacity(message.len());
        let limit = message.len() as u64 + 1;
        let received = ByDeadline::new(conn, deadline)
            .take(limit)
            .read_to_end(&mut echoed);
        let sent = sender
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the sending thread panicked")));
        // The send's error first: a failed send explains a short echo. `read_to_end` kept
        // what arrived before its error, and that is returned with it.
        let error = match (sent, received) {
            (Err(e), _) | (Ok(()), Err(e)) => Some(e),
            (Ok(()), Ok(_)) if echoed.len() > message.len() => {
                echoed.truncate(message.len());
                Some(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("more than the {} bytes sent came back", message.len()),
                ))
            }
            (Ok(()), Ok(_)) => None,
        };
        Received {
            bytes: echoed,
            error,
        }
    })
}

/// `echo-server client`: connects, sends the words as one line, prints what came back, and
/// fails if it is not the line that was sent. The whole exchange ends by `timeout`.
pub fn run_client(
    addr: &str,
    message: &[String],
    timeout: Duration,
    out: &mut dyn Write,
) -> Result {
    // One deadline for all of it, fixed before the first wait.
    let deadline = Instant::now() + timeout;
    let server: SocketAddr = addr
        .parse()
        .map_err(|e| format!("{addr:?} is not an address like 127.0.0.1:7007: {e}"))?;
    let conn = TcpStream::connect_timeout(&server, timeout)
        .map_err(|e| format!("cannot connect to {server}: {e}"))?;
    let line = format!("{}\n", message.join(" "));
    let echo = echo_client(&conn, line.as_bytes(), deadline);
    // What came back is printed even when the exchange failed: it is the best clue to why.
    out.write_all(&echo.bytes)?;
    if let Some(e) = echo.error {
        return Err(format!(
            "talking to {server} ({} of {} bytes came back): {e}",
            echo.bytes.len(),
            line.len()
        )
        .into());
    }
    if echo.bytes != line.as_bytes() {
        return Err(format!(
            "the server sent back {} bytes that differ from the {} sent",
            echo.bytes.len(),
            line.len()
        )
        .into());
    }
    Ok(())
}

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
