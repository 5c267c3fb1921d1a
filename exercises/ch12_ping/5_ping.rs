//! Step 12.5 · `ping` — the chapter's program: the notes' ICMP echo, grown into ping(8).
//!
//! Read: chapter 12, "Step 5" (book/src/ch12_ping.md).   Check: `cargo run -- check ping`
//! Run: `cargo run -- run ping -- 127.0.0.1 -c 3` (root, or a group in ping_group_range)
//!
//! Steps 1 to 4 are given (`netlings::given::ping`), so this step works even if you skipped
//! them. The sockets, Ctrl-C and the summary come from the library (`netlings::support`).
//! `ping`, which runs the loop, is written for you: it calls your two functions.

// Your code will use these imports and parameters; until it does, they are unused.
#![allow(unused_imports, unused_variables)]

use std::io::{self, Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use clap::Parser;
use netlings::given::ping::choose_socket::choose_socket;
use netlings::given::ping::echo_message::build_echo_request;
use netlings::given::ping::match_reply::parse_reply;
use netlings::program::Result;
use netlings::support::icmp::{
    Family, HEADER_LEN, MAX_DATA, Matcher, SocketKind, connect, ipv4, open_socket,
};
use netlings::support::io::is_timeout;
use netlings::support::ping::{
    INTERRUPTED, RttSummary, install_sigint_handler, resolve, seconds, shown, wait_until,
    write_summary,
};
use socket2::Socket;

/// Send ICMP echo requests to a host and report the replies, like ping(8).
#[derive(Parser, Debug)]
#[command(name = "ping")]
pub struct Args {
    /// The host to ping: an IP address (127.0.0.1, ::1) or a name
    #[arg(value_name = "HOST")]
    pub host: String,
    /// Stop after sending COUNT requests (default: until Ctrl-C)
    #[arg(short = 'c', value_name = "COUNT", value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,
    /// Seconds between requests (at least 0.01)
    #[arg(short = 'i', value_name = "INTERVAL", default_value = "1", value_parser = seconds(0.01))]
    pub interval: Duration,
    /// Seconds to wait for each reply
    #[arg(short = 'W', value_name = "TIMEOUT", default_value = "1", value_parser = seconds(0.001))]
    pub timeout: Duration,
    /// Bytes of data after the 8-byte ICMP header
    #[arg(short = 's', value_name = "SIZE", default_value_t = 56,
          value_parser = clap::value_parser!(u16).range(..=MAX_DATA as i64))]
    pub size: u16,
}

// ANCHOR: contract
/// Sends request `seq` and waits at most `timeout` for its reply, skipping everything else
/// the socket receives (our own request, other pings, late replies). Returns the round-trip
/// time and the TTL (raw IPv4 only); `Ok(None)` when no reply came in time or a signal
/// (Ctrl-C) interrupted the wait.
pub fn ping_once(
    socket: &Socket,
    matcher: &Matcher,
    seq: u16,
    data: &[u8],
    timeout: Duration,
) -> io::Result<Option<(Duration, Option<u8>)>> {
    // TODO: build and send the request, then read until the deadline (the time of sending +
    // `timeout`): before each read set the read timeout to the time left, and skip whatever
    // parse_reply refuses. The buffer needs room for an IPv4 header in front of the echo.
    // To read: `(&*socket).read(&mut buf)` (`std::io::Read`).
    todo!(
        "ping_once({matcher:?}, seq {seq}, {} bytes of data, {timeout:?})",
        data.len()
    )
}

/// The summary of the round-trip times, in milliseconds, or `None` without replies.
pub fn rtt_summary(rtts: &[Duration]) -> Option<RttSummary> {
    // TODO: min, avg and max in milliseconds (as_secs_f64() * 1000.0); mdev is the
    // standard deviation: sqrt(mean of squares - square of mean). No replies: None.
    todo!("rtt_summary({rtts:?})")
}
// ANCHOR_END: contract

/// The whole program, with the socket opener and the stop flag passed in so tests can
/// replace them. Returns an error when no reply came back at all (ping(8) exits 1 then too).
pub fn ping(
    args: Args,
    out: &mut dyn Write,
    stop: &AtomicBool,
    mut open: impl FnMut(Family, SocketKind) -> io::Result<Socket>,
) -> Result {
    // A socket address, for the zone of a link-local address (`fe80::1%eth0`); `ip` is how
    // the lines below show it.
    let peer = resolve(&args.host)?;
    let (family, ip) = (Family::of(peer.ip()), shown(peer));
    let (socket, kind) = choose_socket(family, |kind| open(family, kind))?;
    // Connecting sends nothing, but it is where the kernel looks for a route: say to where.
    let matcher = connect(&socket, peer, kind).map_err(|e| format!("cannot reach {ip}: {e}"))?;
    let data: Vec<u8> = (0..args.size).map(|i| i as u8).collect();
    let (host, size) = (&args.host, args.size);
    let total = usize::from(size) + HEADER_LEN + ipv4::MIN_HEADER_LEN; // the whole datagram
    match family {
        Family::V4 => writeln!(out, "PING {host} ({ip}) {size}({total}) bytes of data.")?,
        Family::V6 => writeln!(out, "PING {host} ({ip}) {size} data bytes")?,
    }
    let started = Instant::now();
    let (mut transmitted, mut rtts) = (0, Vec::new());
    for n in 1u64.. {
        if stop.load(Ordering::SeqCst) || args.count.is_some_and(|c| n > c) {
            break;
        }
        let round = Instant::now();
        let seq = n as u16; // wraps after 65535 requests, as in ping(8)
        transmitted += 1;
        match ping_once(&socket, &matcher, seq, &data, args.timeout)? {
            Some((rtt, ttl)) => {
                rtts.push(rtt);
                let ttl = ttl.map(|t| format!(" ttl={t}")).unwrap_or_default();
                let (bytes, ms) = (data.len() + HEADER_LEN, rtt.as_secs_f64() * 1000.0);
                writeln!(
                    out,
                    "{bytes} bytes from {ip}: icmp_seq={seq}{ttl} time={ms:.3} ms"
                )?;
            }
            None if stop.load(Ordering::SeqCst) => break,
            None => writeln!(out, "no reply to icmp_seq={seq} within {:?}", args.timeout)?,
        }
        if args.count != Some(n) {
            wait_until(round + args.interval, stop);
        }
    }
    let (received, rtt) = (rtts.len() as u64, rtt_summary(&rtts));
    write_summary(out, host, transmitted, received, rtt, started.elapsed())?;
    if received == 0 {
        return Err(format!("no reply from {ip}").into());
    }
    Ok(())
}

/// Pings with the real sockets until COUNT replies or Ctrl-C.
pub fn run(args: Args, out: &mut dyn Write) -> Result {
    ping(args, out, &INTERRUPTED, open_socket)
}

fn main() -> std::process::ExitCode {
    if let Err(e) = install_sigint_handler() {
        eprintln!("warning: Ctrl-C will not print the summary: {e}");
    }
    netlings::program::main(run)
}
