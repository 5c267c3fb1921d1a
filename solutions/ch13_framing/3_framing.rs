//! Step 13.3 · `framing` — the chapter's program: a framed echo server that a stranger cannot
//! sink, and a client that a stranger cannot hold.
//!
//! Run it: `cargo run -- run framing --solution -- serve`, then in a second terminal
//! `cargo run -- run framing --solution -- send 127.0.0.1:7013 hello "two words"`

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

/// Every frame of this program has a four-byte length.
const PREFIX: Prefix = Prefix::U32;

/// Echoes each frame `conn` sends until the client ends the stream between two frames, all by
/// `limits.deadline` after the call. Returns how many frames were echoed.
pub fn handle_conn(conn: &TcpStream, limits: Limits) -> std::result::Result<u64, FrameError> {
    // One end for every read and write of the connection: a client dripping a byte a second,
    // or one that never reads its echoes, is cut when the time is up.
    let mut stream = DeadlineStream::new(conn, Instant::now() + limits.deadline);
    let mut echoed = 0;
    // The limit bounds the one buffer a connection holds: a 4 GiB prefix is refused unread.
    while let Some(frame) = read_frame(&mut stream, PREFIX, limits.max_frame)? {
        write_frame(&mut stream, PREFIX, &frame)?;
        echoed += 1;
    }
    Ok(echoed)
}

/// Accepts forever, one thread per connection, at most `limits.max_conns` at once. Writes a
/// line to `log` for each connection that ends in an error and each one refused; returns only
/// if writing to `log` fails.
pub fn serve(
    listener: TcpListener,
    limits: Limits,
    log: &mut (dyn Write + Send),
) -> io::Result<()> {
    let open = AtomicUsize::new(0);
    let log = Mutex::new(log);
    let say = |line: String| -> io::Result<()> {
        let mut log = log.lock().unwrap_or_else(PoisonError::into_inner);
        writeln!(log, "{line}")
    };
    // Scoped threads may borrow `open` and `log`; each ends by its connection's deadline.
    thread::scope(|scope| -> io::Result<()> {
        loop {
            let conn = match listener.accept() {
                Ok((conn, _)) => conn,
                Err(e) => {
                    // Out of file descriptors, or a client that reset while queued: this client
                    // is lost, the server is not. The pause keeps a persistent error from
                    // spinning the CPU.
                    say(format!("accept: {e}"))?;
                    thread::sleep(Duration::from_millis(10));
                    continue;
                }
            };
            let peer = conn
                .peer_addr()
                .map_or_else(|e| format!("?({e})"), |a| a.to_string());
            // Refuse at once rather than queue: the client learns now, and costs nothing more.
            if open.load(Ordering::SeqCst) >= limits.max_conns {
                say(format!(
                    "refused {peer}: {} connections open",
                    limits.max_conns
                ))?;
                continue;
            }
            open.fetch_add(1, Ordering::SeqCst);
            let (open, say) = (&open, &say);
            let spawned = thread::Builder::new().spawn_scoped(scope, move || {
                if let Err(e) = handle_conn(&conn, limits) {
                    let _ = say(format!("client {peer}: {e}"));
                }
                // `conn` is dropped (closed) when this closure returns, after the log line.
                open.fetch_sub(1, Ordering::SeqCst);
            });
            if let Err(e) = spawned {
                open.fetch_sub(1, Ordering::SeqCst);
                say(format!("cannot serve a client: {e}"))?;
            }
        }
    })
}

/// Connects to `server`, sends each message as a frame and reads the frame that answers it,
/// all within `timeout`; a reply over `max_frame` bytes is refused. Returns the replies.
pub fn send(
    server: SocketAddr,
    messages: &[&[u8]],
    max_frame: usize,
    timeout: Duration,
) -> std::result::Result<Vec<Vec<u8>>, FrameError> {
    // The deadline covers the whole exchange, connecting included: a server that answers a
    // byte at a time cannot keep us longer than a silent one.
    let end = Instant::now() + timeout;
    let conn = TcpStream::connect_timeout(&server, timeout)?;
    let mut stream = DeadlineStream::new(&conn, end);
    let mut replies = Vec::with_capacity(messages.len());
    for message in messages {
        // One message, then its answer: sending everything first could fill both sides'
        // buffers and deadlock with a server that writes each echo before reading on.
        write_frame(&mut stream, PREFIX, message)?;
        let reply = read_frame(&mut stream, PREFIX, max_frame)?.ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the server closed the connection instead of answering",
            )
        })?;
        replies.push(reply);
    }
    Ok(replies)
}

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
