//! Step 9.3 · `udp` — the chapter's program: Newmarch's UDP daytime server and client, and a
//! UDP echo, with sockets that are unconnected (`send_to`/`recv_from`) or connected.
//!
//! Run it: `cargo run -- run udp --solution -- server` in one terminal and
//! `cargo run -- run udp --solution -- client 127.0.0.1:1200` in another.

use std::io::{self, Write};
use std::net::{SocketAddr, UdpSocket};
use std::time::Duration;

use clap::{Parser, Subcommand};
use netlings::given::udp::udp_request::{Mode, Retry, request};
use netlings::given::udp::udp_server::{daytime_once, echo_once, serve};
use netlings::program::Result;
use netlings::support::clock::SystemClock;
use netlings::support::udp::{check_datagram_sizes, max_payload, resolve_udp_addr};

/// A UDP daytime service and a UDP echo, as servers and as clients.
#[derive(Parser, Debug)]
#[command(name = "udp")]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Answer every datagram with the current time (Newmarch's UDPDaytimeServer)
    Server {
        /// Address to listen on
        #[arg(long, default_value = "127.0.0.1:1200")]
        addr: String,
    },
    /// Send every datagram back to whoever sent it
    EchoServer {
        /// Address to listen on
        #[arg(long, default_value = "127.0.0.1:1201")]
        addr: String,
    },
    /// Ask a daytime server for the time (Newmarch's UDPDaytimeClient)
    Client {
        /// The server, host:port
        addr: String,
        #[command(flatten)]
        retry: RetryArgs,
    },
    /// Send each message to an echo server and print each answer
    Echo {
        /// The server, host:port
        addr: String,
        /// The messages, one datagram each
        #[arg(required = true)]
        messages: Vec<String>,
        /// Use send_to/recv_from on an unconnected socket instead of connect/send/recv
        #[arg(long)]
        unconnected: bool,
        #[command(flatten)]
        retry: RetryArgs,
    },
}

/// How long a client waits for an answer, and how often it asks.
#[derive(clap::Args, Debug)]
pub struct RetryArgs {
    /// How long to wait for each answer, in milliseconds
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=60_000))]
    pub timeout_ms: u64,
    /// How many times to send the request before giving up
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub attempts: u32,
}

impl From<&RetryArgs> for Retry {
    fn from(args: &RetryArgs) -> Self {
        Retry {
            timeout: Duration::from_millis(args.timeout_ms),
            attempts: args.attempts,
        }
    }
}

/// Newmarch's UDPDaytimeClient: asks `server` for the time over a connected socket.
pub fn daytime_client(server: SocketAddr, retry: Retry) -> io::Result<String> {
    // Connected, so a closed port is reported (ConnectionRefused) instead of waited out.
    let answer = request(server, Mode::Connected, b"what time is it?", retry)?;
    String::from_utf8(answer).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{server} answered with bytes that are not text"),
        )
    })
}

/// A refusal gets a sentence that says what it means: the kernel at `server` answered
/// "port unreachable", so nothing listens there. Other errors pass through unchanged.
pub fn explain(server: SocketAddr, e: io::Error) -> io::Error {
    if e.kind() != io::ErrorKind::ConnectionRefused {
        return e;
    }
    // Keep the kind: a caller may still match on it.
    let message = format!("{server} refused the datagram: no UDP server listens there ({e})");
    io::Error::new(e.kind(), message)
}

/// Binds a server socket on `addr` and says where it listens.
fn bind_server(addr: &str, what: &str, out: &mut dyn Write) -> Result<UdpSocket> {
    let socket = UdpSocket::bind(resolve_udp_addr(addr)?)?;
    writeln!(out, "{what} listening on udp {}", socket.local_addr()?)?;
    out.flush()?;
    Ok(socket)
}

/// Runs the subcommand.
pub fn run(args: Args, out: &mut dyn Write) -> Result {
    match args.command {
        Command::Server { addr } => {
            let socket = bind_server(&addr, "daytime server", out)?;
            serve(&socket, out, |s| daytime_once(s, &SystemClock))?;
        }
        Command::EchoServer { addr } => {
            let socket = bind_server(&addr, "echo server", out)?;
            serve(&socket, out, echo_once)?;
        }
        Command::Client { addr, retry } => {
            let server = resolve_udp_addr(&addr)?;
            let time =
                daytime_client(server, Retry::from(&retry)).map_err(|e| explain(server, e))?;
            writeln!(out, "{time}")?;
        }
        Command::Echo {
            addr,
            messages,
            unconnected,
            retry,
        } => {
            let server = resolve_udp_addr(&addr)?;
            let mode = if unconnected {
                Mode::Unconnected
            } else {
                Mode::Connected
            };
            // The kernel would refuse a longer message with a bare "Message too long".
            check_datagram_sizes(&messages, max_payload(server), server)?;
            for (i, message) in messages.iter().enumerate() {
                let answer = request(server, mode, message.as_bytes(), Retry::from(&retry))
                    .map_err(|e| explain(server, e))?;
                // The server's buffer may be smaller than the message: its echo comes back cut,
                // and nothing in UDP says so. Comparing with what was sent does.
                if answer.len() < message.len() {
                    let (got, sent) = (answer.len(), message.len());
                    writeln!(
                        out,
                        "(the echo of message {} is {got} of its {sent} bytes: the server cut it)",
                        i + 1
                    )?;
                }
                writeln!(out, "{}", String::from_utf8_lossy(&answer))?;
            }
        }
    }
    Ok(())
}

fn main() -> std::process::ExitCode {
    netlings::program::main(run)
}
