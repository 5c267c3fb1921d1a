//! Chapter 7 — A TCP server: the notes' echo server (`ListenTCP`, `Accept`, `go handleClient`),
//! with the bugs taken out, a clean shutdown, and the client that goes with it.
//!
//! Run it: `netlings run echo-server --solution -- serve --addr 127.0.0.1:7007`, then in a second
//! terminal `netlings run echo-server --solution -- client 127.0.0.1:7007 hello`

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};
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

// ANCHOR: echo
/// The notes' `handleClient` loop, done right: sends back every byte read from `conn` until the
/// peer's EOF, and returns how many bytes were echoed.
pub fn echo<S: Read + Write>(conn: &mut S) -> io::Result<u64> {
    let mut buf = [0u8; BUF_SIZE];
    let mut total = 0;
    loop {
        let n = match conn.read(&mut buf) {
            // A read of 0 bytes is EOF: the client closed (or half-closed) its side and will
            // send nothing more. The notes' loop ignores this and spins forever.
            Ok(0) => return Ok(total),
            Ok(n) => n,
            // A signal interrupted the call before any data arrived: just try again.
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            // Reset, timeout, ...: this connection is over. The caller decides what to log.
            Err(e) => return Err(e),
        };
        // `write` may send only part of the buffer when the socket's send buffer is full.
        conn.write_all(&buf[..n])?;
        total += n as u64;
    }
}
// ANCHOR_END: echo

// ANCHOR: handle_client
/// Go's `handleClient(conn)`: echoes, then closes our side so the client sees EOF too.
pub fn handle_client(conn: TcpStream) -> io::Result<u64> {
    let total = echo(&mut &conn)?;
    // `shutdown` sends our FIN now, even though the server keeps a second handle to this socket
    // (to close it on stop); dropping one handle would not.
    conn.shutdown(Shutdown::Both)?;
    Ok(total)
}
// ANCHOR_END: handle_client

// ANCHOR: stop_handle
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
        self.stopping.store(true, Ordering::SeqCst);
        // `accept` blocks until a connection arrives and has no timeout: make one, so the loop
        // wakes up and sees the flag. If it fails the server is already gone.
        let _ = TcpStream::connect_timeout(&self.wake_addr, Duration::from_secs(1));
    }
}
// ANCHOR_END: stop_handle

/// The connections a server has open, so it can close them when asked to stop.
#[derive(Default)]
struct Open {
    next_id: AtomicU64,
    conns: Mutex<HashMap<u64, TcpStream>>,
}

impl Open {
    fn add(&self, conn: &TcpStream) -> io::Result<u64> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let handle = conn.try_clone()?;
        self.conns
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id, handle);
        Ok(id)
    }

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

// ANCHOR: serve
/// The notes' accept loop: one thread per client, until `stop` is used. Errors that belong to
/// one connection (a reset, a failed accept) are reported on stderr and the server goes on.
pub fn serve(listener: TcpListener, stop: &StopHandle) -> io::Result<()> {
    let open = Arc::new(Open::default());
    let mut threads: Vec<JoinHandle<()>> = Vec::new();
    for conn in listener.incoming() {
        if stop.is_stopping() {
            break;
        }
        let conn = match conn {
            Ok(conn) => conn,
            Err(e) => {
                // ECONNABORTED (the client gave up in the queue) or EMFILE (out of file
                // descriptors). The notes `continue` at once, which spins at full CPU while
                // descriptors are short: pause a little first.
                eprintln!("echo-server: accept: {e}");
                thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        threads.retain(|t| !t.is_finished());
        match spawn_client(conn, &open) {
            Ok(thread) => threads.push(thread),
            // Out of threads or descriptors: this client is dropped, the others go on.
            Err(e) => eprintln!("echo-server: cannot serve a client: {e}"),
        }
    }
    // Refuse new clients first, then end the ones we have.
    drop(listener);
    open.close_all();
    for thread in threads {
        let _ = thread.join();
    }
    Ok(())
}

/// Go's `go handleClient(conn)`: serves one client on a thread of its own.
fn spawn_client(conn: TcpStream, open: &Arc<Open>) -> io::Result<JoinHandle<()>> {
    let id = open.add(&conn)?;
    let shared = Arc::clone(open);
    let spawned = thread::Builder::new()
        .name(format!("client {id}"))
        .spawn(move || {
            let peer = conn.peer_addr();
            if let Err(e) = handle_client(conn) {
                // A client that resets or vanishes ends only its own connection.
                match peer {
                    Ok(peer) => eprintln!("echo-server: client {peer}: {e}"),
                    Err(_) => eprintln!("echo-server: a client: {e}"),
                }
            }
            shared.remove(id);
        });
    if spawned.is_err() {
        open.remove(id);
    }
    spawned
}
// ANCHOR_END: serve

// ANCHOR: echo_client
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
// ANCHOR_END: echo_client

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
