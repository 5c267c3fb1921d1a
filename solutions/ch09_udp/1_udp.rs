//! Chapter 9 — UDP: Newmarch's UDP daytime server and client, and a UDP echo, with sockets
//! that are unconnected (`send_to`/`recv_from`) or connected (`connect`, then `send`/`recv`).
//!
//! Run it: `netlings run udp --solution -- server` in one terminal and
//! `netlings run udp --solution -- client 127.0.0.1:1200` in another.

use std::io::{self, Write};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs, UdpSocket};
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};
use netlings::program::Result;
use netlings::support::clock::{Clock, SystemClock, go_time_string};

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

// ANCHOR: daytime_once
/// Answers one datagram with the time: Newmarch's server loop body. Returns who asked.
pub fn daytime_once(socket: &UdpSocket, clock: &dyn Clock) -> io::Result<SocketAddr> {
    // The request's content does not matter, only its source address: UDP has no
    // connection, so the address that came with the datagram is the only way back.
    let mut buf = [0; SERVER_BUF];
    let (_, from) = socket.recv_from(&mut buf)?;
    // Read the clock per request, not once when the server starts.
    let now = go_time_string(clock.now());
    socket.send_to(now.as_bytes(), from)?;
    Ok(from)
}
// ANCHOR_END: daytime_once

// ANCHOR: echo_once
/// Sends one datagram back to its sender. Returns its length and the sender.
pub fn echo_once(socket: &UdpSocket) -> io::Result<(usize, SocketAddr)> {
    let mut buf = [0; SERVER_BUF];
    let (n, from) = socket.recv_from(&mut buf)?;
    // `n` may be 0 (an empty datagram is a message, not an end of file) and is at most
    // SERVER_BUF: the kernel drops the rest of a longer datagram. Echo exactly what arrived.
    socket.send_to(&buf[..n], from)?;
    Ok((n, from))
}
// ANCHOR_END: echo_once

// ANCHOR: serve
/// Runs `handle` for one datagram after another, forever. An error concerns one datagram,
/// never the server: it is written to `log` and the loop goes on. Returns only if writing to
/// `log` fails.
pub fn serve<T>(
    socket: &UdpSocket,
    log: &mut dyn Write,
    mut handle: impl FnMut(&UdpSocket) -> io::Result<T>,
) -> io::Result<()> {
    loop {
        if let Err(e) = handle(socket) {
            // Newmarch's second edition calls log.Fatal here: one stray ICMP error or one
            // bad datagram and the service is gone for every client.
            writeln!(log, "udp server: {e} (still serving)")?;
        }
    }
}
// ANCHOR_END: serve

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

// ANCHOR: exchange
/// One attempt: send `payload`, wait at most `timeout` for one answer from `server`. Returns
/// its length.
fn exchange(
    socket: &UdpSocket,
    mode: Mode,
    server: SocketAddr,
    payload: &[u8],
    timeout: Duration,
    buf: &mut [u8],
) -> io::Result<usize> {
    match mode {
        // The kernel remembers the peer: `recv` only returns its datagrams, and an ICMP
        // "port unreachable" for it comes back as ConnectionRefused on a later call.
        Mode::Connected => {
            socket.send(payload)?;
            socket.recv(buf)
        }
        // Anyone may send to an unconnected socket, so check who answered; ICMP errors are
        // not reported at all, so a closed port looks exactly like a lost datagram.
        Mode::Unconnected => {
            socket.send_to(payload, server)?;
            // A read timeout restarts with every read: give each read only the time left, or
            // a stranger writing every few milliseconds keeps this attempt alive forever.
            let deadline = Instant::now() + timeout;
            loop {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Err(io::ErrorKind::WouldBlock.into());
                }
                socket.set_read_timeout(Some(left))?;
                let (n, from) = socket.recv_from(buf)?;
                if from == server {
                    return Ok(n);
                }
            }
        }
    }
}
// ANCHOR_END: exchange

// ANCHOR: request
/// Sends `payload` to `server` and returns the answer, resending up to `retry.attempts`
/// times when no answer comes within `retry.timeout`. Any error other than a timeout (such as
/// ConnectionRefused) ends it at once; running out of attempts is a `TimedOut` error.
pub fn request(
    server: SocketAddr,
    mode: Mode,
    payload: &[u8],
    retry: Retry,
) -> io::Result<Vec<u8>> {
    let socket = client_socket(server)?;
    // Without a timeout a lost datagram blocks `recv` forever: UDP never retransmits.
    socket.set_read_timeout(Some(retry.timeout))?;
    if mode == Mode::Connected {
        socket.connect(server)?;
    }
    let mut buf = vec![0; CLIENT_BUF];
    for _ in 0..retry.attempts {
        match exchange(&socket, mode, server, payload, retry.timeout, &mut buf) {
            Ok(n) => {
                buf.truncate(n);
                return Ok(buf);
            }
            Err(e) if is_timeout(&e) => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::TimedOut,
        format!(
            "no answer from {server} after {} attempts of {:?}",
            retry.attempts, retry.timeout
        ),
    ))
}
// ANCHOR_END: request

// ANCHOR: daytime_client
/// Newmarch's UDPDaytimeClient: asks `server` for the time over a connected socket.
pub fn daytime_client(server: SocketAddr, retry: Retry) -> io::Result<String> {
    let answer = request(server, Mode::Connected, b"what time is it?", retry)?;
    String::from_utf8(answer).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{server} answered with bytes that are not text"),
        )
    })
}
// ANCHOR_END: daytime_client

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
