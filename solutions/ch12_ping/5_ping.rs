//! Step 12.5 · `ping` — the chapter's program: the notes' ICMP echo, grown into ping(8).
//!
//! Run it: `cargo run -- run ping --solution -- 127.0.0.1 -c 3` (or `::1`). It needs a raw
//! socket (root or CAP_NET_RAW) or an ICMP datagram socket (`net.ipv4.ping_group_range`); the
//! error message says how to get one.

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
    let request = build_echo_request(matcher.family, matcher.ident, seq, data);
    let sent = Instant::now();
    socket.send(&request)?;
    // One deadline for the whole wait: each read gets only the time left, so a stream of
    // datagrams that are not our reply cannot keep us waiting past it.
    let deadline = sent + timeout;
    let mut buf = vec![0; ipv4::MAX_HEADER_LEN + request.len()];
    loop {
        let Some(left) = deadline
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
        else {
            return Ok(None);
        };
        socket.set_read_timeout(Some(left))?;
        let n = match (&*socket).read(&mut buf) {
            Ok(n) => n,
            Err(e) if is_timeout(&e) || e.kind() == io::ErrorKind::Interrupted => return Ok(None),
            Err(e) => return Err(e),
        };
        if let Ok(reply) = parse_reply(matcher, &buf[..n], seq) {
            return Ok(Some((sent.elapsed(), reply.ttl)));
        }
    }
}

/// The summary of the round-trip times, in milliseconds, or `None` without replies.
pub fn rtt_summary(rtts: &[Duration]) -> Option<RttSummary> {
    let ms: Vec<f64> = rtts.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
    let n = ms.len() as f64;
    let min = ms.iter().copied().reduce(f64::min)?;
    let max = ms.iter().copied().fold(min, f64::max);
    let avg = ms.iter().sum::<f64>() / n;
    let mean_of_squares = ms.iter().map(|x| x * x).sum::<f64>() / n;
    // Rounding can make the difference a hair below zero.
    let mdev = (mean_of_squares - avg * avg).max(0.0).sqrt();
    Some(RttSummary {
        min,
        avg,
        max,
        mdev,
    })
}

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
