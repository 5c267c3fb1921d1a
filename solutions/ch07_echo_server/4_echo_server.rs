//! Step 7.4 · `echo-server` — the chapter's program: the notes' echo server, and the client
//! that goes with it.
//!
//! Run it: `cargo run -- run echo-server --solution -- serve --addr 127.0.0.1:7007`, then in a
//! second terminal `cargo run -- run echo-server --solution -- client 127.0.0.1:7007 hello`

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

use clap::{Parser, Subcommand};
use netlings::given::echo_server::accept_loop::serve;
use netlings::given::echo_server::stop_handle::StopHandle;
use netlings::program::Result;

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
    },
}

/// How long the client waits for the server before giving up.
pub const CLIENT_TIMEOUT: Duration = Duration::from_secs(5);

/// Sends `message` on `conn`, half-closes, and returns everything the server sends back until
/// it closes.
pub fn echo_client(conn: &TcpStream, message: &[u8]) -> io::Result<Vec<u8>> {
    thread::scope(|scope| {
        // Send and receive at the same time. Sending everything first deadlocks on a big
        // message: the server blocks writing its echo to us because we are not reading, so it
        // stops reading, so our writes block too.
        let sender = scope.spawn(move || -> io::Result<()> {
            let mut conn = conn;
            conn.write_all(message)?;
            // Half-close: our FIN says "that is all", and we can still read the echo.
            conn.shutdown(Shutdown::Write)
        });
        let mut echoed = Vec::with_capacity(message.len());
        let mut reader = conn; // `&TcpStream` reads too, while the sender writes
        let received = reader.read_to_end(&mut echoed);
        let sent = sender
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the sending thread panicked")));
        sent?;
        received?;
        Ok(echoed)
    })
}

/// `echo-server client`: connects, sends the words as one line, prints the echo, and fails if
/// it is not the line that was sent.
pub fn run_client(addr: &str, message: &[String], out: &mut dyn Write) -> Result {
    let server: SocketAddr = addr
        .parse()
        .map_err(|e| format!("{addr:?} is not an address like 127.0.0.1:7007: {e}"))?;
    let conn = TcpStream::connect_timeout(&server, CLIENT_TIMEOUT)
        .map_err(|e| format!("cannot connect to {server}: {e}"))?;
    conn.set_read_timeout(Some(CLIENT_TIMEOUT))?;
    conn.set_write_timeout(Some(CLIENT_TIMEOUT))?;
    let line = format!("{}\n", message.join(" "));
    let echoed =
        echo_client(&conn, line.as_bytes()).map_err(|e| format!("talking to {server}: {e}"))?;
    out.write_all(&echoed)?;
    if echoed != line.as_bytes() {
        return Err(format!(
            "the server sent back {} bytes that differ from the {} sent",
            echoed.len(),
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
        Command::Client { addr, message } => run_client(addr, message, out),
    }
}

fn main() -> std::process::ExitCode {
    netlings::program::main(run)
}
