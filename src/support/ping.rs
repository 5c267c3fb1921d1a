//! The program around the ICMP messages (chapter 12): what makes `ping` behave like ping(8)
//! without being about ICMP. Its command line's numbers of seconds, the host to ping, the wait
//! between requests, Ctrl-C, and the closing statistics.
//!
//! ```
//! use netlings::support::ping::{RttSummary, write_summary};
//! use std::time::Duration;
//!
//! let rtt = RttSummary { min: 0.045, avg: 0.053, max: 0.061, mdev: 0.007 };
//! let mut out = Vec::new();
//! write_summary(&mut out, "127.0.0.1", 3, 3, Some(rtt), Duration::from_millis(2003)).unwrap();
//! assert_eq!(
//!     String::from_utf8(out).unwrap(),
//!     "\n--- 127.0.0.1 ping statistics ---\n\
//!      3 packets transmitted, 3 received, 0% packet loss, time 2003ms\n\
//!      rtt min/avg/max/mdev = 0.045/0.053/0.061/0.007 ms\n"
//! );
//! ```

use std::io::{self, Write};
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use crate::program::Result;

/// A clap value parser for a number of seconds, at least `min` and at most an hour:
/// `#[arg(value_parser = seconds(0.01))]` accepts `-i 0.2` as 200 ms.
pub fn seconds(min: f64) -> impl Fn(&str) -> std::result::Result<Duration, String> + Clone {
    move |s| {
        let secs: f64 = s
            .parse()
            .map_err(|_| format!("{s:?} is not a number of seconds"))?;
        if !(min..=3600.0).contains(&secs) {
            return Err(format!("must be between {min} and 3600 seconds"));
        }
        Ok(Duration::from_secs_f64(secs))
    }
}

/// Resolves HOST to the address to ping: an IP literal as it is, a name through the system
/// resolver (chapter 3), its first address. ICMP has no ports, yet the answer is a
/// `SocketAddr` (port 0): for an IPv6 link-local address it carries the *scope id*, the
/// interface the `%zone` names (`fe80::1%eth0`), without which `connect` cannot tell which
/// link is meant and fails with "Invalid argument".
pub fn resolve(host: &str) -> Result<SocketAddr> {
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok(SocketAddr::new(ip, 0));
    }
    // getaddrinfo reads a zone (`%lo`, `%2`) and turns it into the scope id.
    let mut addrs = (host, 0)
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve {host:?}: {e}"))?;
    addrs
        .next()
        .ok_or_else(|| format!("{host:?} has no address").into())
}

/// How ping(8) shows the address it pings: the IP, and for a scoped IPv6 address the zone's
/// interface number after `%` (`fe80::1%2`).
///
/// ```
/// use netlings::support::ping::shown;
/// use std::net::{Ipv6Addr, SocketAddr, SocketAddrV6};
///
/// let scoped = SocketAddrV6::new("fe80::1".parse().unwrap(), 0, 0, 2);
/// assert_eq!(shown(SocketAddr::V6(scoped)), "fe80::1%2");
/// assert_eq!(shown("127.0.0.1:0".parse().unwrap()), "127.0.0.1");
/// ```
pub fn shown(peer: SocketAddr) -> String {
    match peer {
        SocketAddr::V6(v6) if v6.scope_id() != 0 => format!("{}%{}", v6.ip(), v6.scope_id()),
        _ => peer.ip().to_string(),
    }
}

/// Sleeps until `until`, in steps of at most 20 ms so that a raised `stop` (Ctrl-C) is noticed
/// quickly; returns at once when `stop` is raised or `until` has passed.
pub fn wait_until(until: Instant, stop: &AtomicBool) {
    while !stop.load(Ordering::SeqCst) {
        let Some(left) = until.checked_duration_since(Instant::now()) else {
            return;
        };
        thread::sleep(left.min(Duration::from_millis(20)));
    }
}

// ANCHOR: sigint
/// Set by the SIGINT handler: Ctrl-C ends the pinging and prints the summary.
pub static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_sigint(_signal: libc::c_int) {
    // Only async-signal-safe work in a handler: an atomic store is.
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// Makes Ctrl-C set [`INTERRUPTED`] instead of killing the process. Without `SA_RESTART`, a
/// blocked `recv` returns `EINTR` at once, so the program notices without waiting for a timeout.
pub fn install_sigint_handler() -> io::Result<()> {
    // SAFETY: a zeroed sigaction is valid (empty mask, no flags); the handler only touches an atomic.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_sigint as extern "C" fn(libc::c_int) as libc::sighandler_t;
        if libc::sigaction(libc::SIGINT, &action, std::ptr::null_mut()) != 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}
// ANCHOR_END: sigint

/// Round-trip times over all replies, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RttSummary {
    pub min: f64,
    pub avg: f64,
    pub max: f64,
    /// The standard deviation, which ping(8) calls mdev.
    pub mdev: f64,
}

/// A percentage the way C's `%g` prints it: up to six significant digits, no trailing zeros.
fn percent(part: u64, whole: u64) -> String {
    let value = part as f64 * 100.0 / whole.max(1) as f64;
    let int_digits = if value >= 100.0 {
        3
    } else if value >= 10.0 {
        2
    } else {
        1
    };
    let text = format!("{value:.*}", 6 - int_digits);
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Prints ping(8)'s closing lines: a blank line, the counts with the loss in percent and the
/// time since the first request, then the round-trip times when there were replies (`rtt`).
pub fn write_summary(
    out: &mut dyn Write,
    host: &str,
    transmitted: u64,
    received: u64,
    rtt: Option<RttSummary>,
    elapsed: Duration,
) -> io::Result<()> {
    writeln!(out, "\n--- {host} ping statistics ---")?;
    writeln!(
        out,
        "{transmitted} packets transmitted, {received} received, {}% packet loss, time {}ms",
        percent(transmitted.saturating_sub(received), transmitted),
        elapsed.as_millis()
    )?;
    if let Some(r) = rtt {
        writeln!(
            out,
            "rtt min/avg/max/mdev = {:.3}/{:.3}/{:.3}/{:.3} ms",
            r.min, r.avg, r.max, r.mdev
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_accepts_fractions_between_the_minimum_and_an_hour() {
        let parse = seconds(0.01);
        assert_eq!(parse("0.2"), Ok(Duration::from_millis(200)));
        assert_eq!(parse("0.01"), Ok(Duration::from_millis(10)));
        assert_eq!(parse("3600"), Ok(Duration::from_secs(3600)));
        assert_eq!(
            parse("0.001"),
            Err("must be between 0.01 and 3600 seconds".to_string())
        );
        assert_eq!(
            parse("3601"),
            Err("must be between 0.01 and 3600 seconds".to_string())
        );
        assert_eq!(
            parse("soon"),
            Err("\"soon\" is not a number of seconds".to_string())
        );
        assert!(parse("NaN").is_err(), "NaN is in no range");
    }

    #[test]
    fn resolve_takes_an_address_as_it_is() {
        assert_eq!(
            resolve("127.0.0.1").unwrap(),
            "127.0.0.1:0".parse().unwrap()
        );
        assert_eq!(resolve("::1").unwrap(), "[::1]:0".parse().unwrap());
    }

    #[test]
    fn resolve_keeps_the_zone_of_a_link_local_address() {
        // SAFETY: a NUL-terminated name; if_nametoindex only reads it.
        let lo = unsafe { libc::if_nametoindex(c"lo".as_ptr()) };
        let addr = resolve("fe80::1%lo").expect("lo is a zone on Linux");
        assert!(
            matches!(addr, SocketAddr::V6(v6) if v6.scope_id() == lo),
            "{addr:?}"
        );
        assert_eq!(shown(addr), format!("fe80::1%{lo}"));
        let numbered = resolve(&format!("fe80::1%{lo}")).expect("a zone by number");
        assert_eq!(numbered, addr);
    }

    #[test]
    fn resolve_looks_a_name_up() {
        // `localhost` is in /etc/hosts: no DNS server needed.
        let addr = resolve("localhost").expect("localhost resolves");
        assert!(addr.ip().is_loopback(), "localhost resolved to {addr}");
    }

    #[test]
    fn wait_until_returns_at_once_when_stopped_or_late() {
        let started = Instant::now();
        wait_until(started + Duration::from_secs(60), &AtomicBool::new(true));
        wait_until(started, &AtomicBool::new(false));
        assert!(started.elapsed() < Duration::from_secs(1));
    }

    #[test]
    fn wait_until_waits_until_the_instant() {
        let until = Instant::now() + Duration::from_millis(50);
        wait_until(until, &AtomicBool::new(false));
        assert!(Instant::now() >= until);
    }

    #[test]
    fn percent_prints_like_c_percent_g() {
        let cases = [
            ((0, 3), "0"),
            ((1, 3), "33.3333"),
            ((1, 7), "14.2857"),
            ((2, 2), "100"),
            ((1, 8), "12.5"),
            ((1, 1000), "0.1"),
            ((0, 0), "0"),
        ];
        for ((part, whole), want) in cases {
            assert_eq!(percent(part, whole), want, "percent({part}, {whole})");
        }
    }

    #[test]
    fn a_summary_without_replies_has_no_rtt_line() {
        let mut out = Vec::new();
        write_summary(&mut out, "::1", 2, 0, None, Duration::from_millis(1001)).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\n--- ::1 ping statistics ---\n\
             2 packets transmitted, 0 received, 100% packet loss, time 1001ms\n"
        );
    }

    #[test]
    fn the_sigint_handler_sets_the_flag_instead_of_killing_the_process() {
        install_sigint_handler().expect("sigaction(SIGINT) works");
        // SAFETY: raising a signal we now handle; the handler only stores to an atomic.
        let raised = unsafe { libc::raise(libc::SIGINT) };
        assert_eq!(raised, 0, "raise(SIGINT)");
        let set = INTERRUPTED.swap(false, Ordering::SeqCst);
        // SAFETY: restores the default action, so Ctrl-C ends the test run again.
        unsafe { libc::signal(libc::SIGINT, libc::SIG_DFL) };
        assert!(set, "INTERRUPTED after SIGINT");
    }
}
