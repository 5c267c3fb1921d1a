//! Chapter 7 — A TCP server: the notes' echo server (`ListenTCP`, `Accept`, `go handleClient`),
//! with the bugs taken out, a clean shutdown, and the client that goes with it.
//!
//! Read: book chapter 7 (`mdbook serve book`, or book/src/ch07_echo_server.md).
//! Check: `cargo run -- check echo-server`
//! Run: `cargo run -- run echo-server -- serve`, and in a second terminal
//! `cargo run -- run echo-server -- client 127.0.0.1:7007 hello`
//!
//! Fill in the four places marked TODO: `echo`, `StopHandle::stop`, `serve` and `echo_client`.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use clap::{Parser, Subcommand};
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

/// How much one `read` may take. Newmarch uses 512 bytes; bigger buffers mean fewer system
/// calls per megabyte (see `cargo bench --bench echo`).
pub const BUF_SIZE: usize = 16 * 1024;

/// How long the client waits for the server before giving up.
pub const CLIENT_TIMEOUT: Duration = Duration::from_secs(5);

/// The notes' `handleClient` loop, done right: sends back every byte read from `conn` until the
/// peer's EOF, and returns how many bytes were echoed.
pub fn echo<S: Read + Write>(conn: &mut S) -> io::Result<u64> {
    // TODO: read into a buffer; 0 bytes means EOF (return the total); `Interrupted` means try
    // again; any other error ends the connection. Send back what you read with `write_all`.
    let _ = (conn, BUF_SIZE);
    todo!("echo(conn)")
}

/// Go's `handleClient(conn)`: echoes, then closes our side so the client sees EOF too.
pub fn handle_client(conn: TcpStream) -> io::Result<u64> {
    let total = echo(&mut &conn)?;
    // `shutdown` sends our FIN now, even though the server keeps a second handle to this socket
    // (to close it on stop); dropping one handle would not.
    conn.shutdown(Shutdown::Both)?;
    Ok(total)
}

/// Asks a running [`serve`] to stop: it stops accepting, closes every open connection, waits for
/// their threads and returns. Clone it to give it to another thread.
#[derive(Clone, Debug)]
pub struct StopHandle {
    stopping: Arc<AtomicBool>,
    /// Where to connect to wake an `accept` that is waiting.
    wake_addr: SocketAddr,
}

impl StopHandle {
    /// A handle for the server that will run on `listener`.
    pub fn new(listener: &TcpListener) -> io::Result<Self> {
        let mut wake_addr = listener.local_addr()?;
        // A server listening on every interface (0.0.0.0 or ::) is reachable on loopback.
        if wake_addr.ip().is_unspecified() {
            wake_addr.set_ip(match wake_addr {
                SocketAddr::V4(_) => Ipv4Addr::LOCALHOST.into(),
                SocketAddr::V6(_) => Ipv6Addr::LOCALHOST.into(),
            });
        }
        Ok(Self {
            stopping: Arc::new(AtomicBool::new(false)),
            wake_addr,
        })
    }

    /// Whether [`stop`](Self::stop) was called.
    pub fn is_stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }

    /// Asks the server to stop and returns at once; `serve` returns when it is done.
    pub fn stop(&self) {
        // TODO: set the flag, then wake the `accept` that `serve` is blocked in: connect to
        // `self.wake_addr` (`TcpStream::connect_timeout`; if that fails, the server is gone).
        todo!("StopHandle::stop() for {}", self.wake_addr)
    }
}

/// The connections a server has open, so it can close them when asked to stop. Yours to use in
/// `serve` (remove the `allow` once you do).
#[allow(dead_code)]
#[derive(Default)]
struct Open {
    next_id: AtomicU64,
    conns: Mutex<HashMap<u64, TcpStream>>,
}

#[allow(dead_code)]
impl Open {
    /// Remembers `conn` (a second handle to it) and returns its id.
    fn add(&self, conn: &TcpStream) -> io::Result<u64> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let handle = conn.try_clone()?;
        self.conns
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id, handle);
        Ok(id)
    }

    /// Forgets connection `id`: call it when its thread is done.
    fn remove(&self, id: u64) {
        self.conns
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&id);
    }

    /// Shuts every open connection down: each blocked `read` returns and its thread ends.
    fn close_all(&self) {
        for conn in self
            .conns
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
        {
            let _ = conn.shutdown(Shutdown::Both);
        }
    }
}

/// The notes' accept loop: one thread per client, until `stop` is used. Errors that belong to
/// one connection (a reset, a failed accept) are reported on stderr and the server goes on.
pub fn serve(listener: TcpListener, stop: &StopHandle) -> io::Result<()> {
    // TODO: for each incoming connection: stop if asked; otherwise register it in an `Open`
    // and run `handle_client` on a new thread (`std::thread::spawn`; report its error on
    // stderr, then remove it from `Open`).
    // When stopping: drop the listener, `close_all`, and join the client threads.
    let _ = (listener, stop, Open::default());
    todo!("serve(listener, stop)")
}

/// Sends `message` on `conn`, half-closes, and returns everything the server sends back until
/// it closes.
pub fn echo_client(conn: &TcpStream, message: &[u8]) -> io::Result<Vec<u8>> {
    // TODO: in a scoped thread, `write_all` the message and `shutdown(Shutdown::Write)`; at the
    // same time, `read_to_end` on this thread. (`&TcpStream` implements `Read` and `Write`.)
    let _ = (conn, message);
    todo!("echo_client(conn, {} bytes)", message.len())
}

fn run_server(addr: &str, out: &mut dyn Write) -> Result {
    let listener =
        TcpListener::bind(addr).map_err(|e| format!("cannot listen on {addr:?}: {e}"))?;
    let stop = StopHandle::new(&listener)?;
    writeln!(out, "listening on {}", listener.local_addr()?)?;
    out.flush()?;
    serve(listener, &stop)?;
    Ok(())
}

fn run_client(addr: &str, message: &[String], out: &mut dyn Write) -> Result {
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
