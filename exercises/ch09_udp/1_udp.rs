//! Chapter 9 — UDP: Newmarch's UDP daytime server and client, and a UDP echo, with sockets
//! that are unconnected (`send_to`/`recv_from`) or connected (`connect`, then `send`/`recv`).
//!
//! Read: book chapter 9 (`mdbook serve book`, or book/src/ch09_udp.md).
//! Check: `cargo run -- check udp`   Run: `cargo run -- run udp -- server`, then
//! `cargo run -- run udp -- client 127.0.0.1:1200` in another terminal.
//!
//! Fill in the five functions marked TODO; `run` and the helpers around them are written.

use std::io::{self, Write};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs, UdpSocket};
use std::time::Duration;

use clap::{Parser, Subcommand};
use netlings::program::Result;
use netlings::support::clock::{Clock, SystemClock};

/// The servers' receive buffer, Newmarch's 512 bytes: a longer datagram is cut to this size.
pub const SERVER_BUF: usize = 512;

/// The clients' receive buffer: the largest payload a UDP datagram over IPv4 can carry.
pub const CLIENT_BUF: usize = 65_507;

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

/// A client's patience: each attempt sends the request once and waits `timeout` for an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    pub timeout: Duration,
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

/// How a client talks to its server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `connect` once, then `send`/`recv`: Go's `DialUDP` plus `Write`/`Read`.
    Connected,
    /// `send_to`/`recv_from` with the address on every call: Go's `WriteToUDP`/`ReadFromUDP`.
    Unconnected,
}

/// Go's `ResolveUDPAddr`: the first address `host:port` stands for.
pub fn resolve_udp_addr(addr: &str) -> io::Result<SocketAddr> {
    if !addr.contains(':') {
        let message = format!("resolve udp address {addr:?}: missing port in address");
        return Err(io::Error::new(io::ErrorKind::InvalidInput, message));
    }
    let not_found = || io::Error::new(io::ErrorKind::NotFound, "no address found");
    addr.to_socket_addrs()
        .and_then(|mut addrs| addrs.next().ok_or_else(not_found))
        .map_err(|e| io::Error::new(e.kind(), format!("resolve udp address {addr:?}: {e}")))
}

/// Answers one datagram with the time: the body of Newmarch's server loop. Returns who asked.
///
/// Receive one datagram into a buffer of [`SERVER_BUF`] bytes (its content does not matter),
/// read `clock` (for every request: never once at start-up), and send
/// `netlings::support::clock::go_time_string(clock.now())` back to the address the datagram came from.
pub fn daytime_once(socket: &UdpSocket, clock: &dyn Clock) -> io::Result<SocketAddr> {
    // TODO: recv_from, then send_to the sender.
    let _ = clock;
    todo!("daytime_once({socket:?})")
}

/// Sends one datagram back to its sender. Returns its length and the sender.
///
/// Receive into a buffer of [`SERVER_BUF`] bytes (Newmarch's 512) and send back exactly the
/// bytes that arrived. An empty datagram is a message too: echo it.
pub fn echo_once(socket: &UdpSocket) -> io::Result<(usize, SocketAddr)> {
    // TODO: recv_from, then send_to `&buf[..n]`.
    todo!("echo_once({socket:?})")
}

/// Runs `handle` for one datagram after another, forever. An error concerns one datagram, never
/// the server: write `udp server: <error> (still serving)` to `log` and go on. Return only if
/// writing to `log` fails.
pub fn serve<T>(
    socket: &UdpSocket,
    log: &mut dyn Write,
    mut handle: impl FnMut(&UdpSocket) -> io::Result<T>,
) -> io::Result<()> {
    // TODO: a loop; `if let Err(e) = handle(socket)` then log it.
    let _ = (log, &mut handle);
    todo!("serve({socket:?})")
}

/// A socket for talking to `server`: bound to the wildcard address of the same family and a
/// port the kernel picks, as Go's `DialUDP` does with a nil local address.
pub fn client_socket(server: SocketAddr) -> io::Result<UdpSocket> {
    let any: SocketAddr = match server {
        SocketAddr::V4(_) => (Ipv4Addr::UNSPECIFIED, 0).into(),
        SocketAddr::V6(_) => (Ipv6Addr::UNSPECIFIED, 0).into(),
    };
    UdpSocket::bind(any)
}

/// Whether `e` is an expired read timeout: `WouldBlock` on Unix, `TimedOut` on Windows.
pub fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

/// Sends `payload` to `server` and returns the answer.
///
/// - Make the socket with [`client_socket`]; give it a read timeout of `retry.timeout` so a
///   lost datagram cannot block you forever.
/// - `Mode::Connected`: `connect(server)` once, then `send`/`recv`.
///   `Mode::Unconnected`: `send_to(payload, server)`/`recv_from`, ignoring datagrams that do
///   not come from `server`. Strangers must not make the attempt longer: it ends
///   `retry.timeout` after the send, so give each `recv_from` only the time left
///   (`Instant::now() + retry.timeout` is the attempt's deadline).
/// - Up to `retry.attempts` attempts: send, then wait for one answer. A timeout (see
///   [`is_timeout`]) means "try again"; any other error (ConnectionRefused) is returned at once.
/// - Out of attempts: an error of kind `TimedOut` whose message is
///   `no answer from {server} after {attempts} attempts of {timeout:?}`.
/// - Receive into a buffer of [`CLIENT_BUF`] bytes and return exactly what arrived.
pub fn request(
    server: SocketAddr,
    mode: Mode,
    payload: &[u8],
    retry: Retry,
) -> io::Result<Vec<u8>> {
    // TODO
    todo!("request({server}, {mode:?}, {payload:?}, {retry:?})")
}

/// Newmarch's UDPDaytimeClient: asks `server` for the time with [`request`] over a
/// connected socket (any short request will do) and returns the answer as text. An answer
/// that is not UTF-8 is an error of kind `InvalidData`.
pub fn daytime_client(server: SocketAddr, retry: Retry) -> io::Result<String> {
    // TODO
    todo!("daytime_client({server}, {retry:?})")
}

/// Binds a server socket on `addr` and says where it listens.
fn bind_server(addr: &str, what: &str, out: &mut dyn Write) -> Result<UdpSocket> {
    let socket = UdpSocket::bind(resolve_udp_addr(addr)?)?;
    writeln!(out, "{what} listening on udp {}", socket.local_addr()?)?;
    out.flush()?;
    Ok(socket)
}

/// A refusal gets a sentence that says what it means: the kernel at `server` answered
/// "port unreachable", so nothing listens there.
fn explain(server: SocketAddr, e: io::Error) -> io::Error {
    if e.kind() != io::ErrorKind::ConnectionRefused {
        return e;
    }
    let message = format!("{server} refused the datagram: no UDP server listens there ({e})");
    io::Error::new(e.kind(), message)
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
            for message in &messages {
                let answer = request(server, mode, message.as_bytes(), Retry::from(&retry))
                    .map_err(|e| explain(server, e))?;
                writeln!(out, "{}", String::from_utf8_lossy(&answer))?;
            }
        }
    }
    Ok(())
}

fn main() -> std::process::ExitCode {
    netlings::program::main(run)
}
