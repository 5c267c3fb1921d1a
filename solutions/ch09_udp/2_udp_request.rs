//! Step 9.2 · `udp-request` — Go's `DialUDP` with `Write`/`Read`, or `WriteToUDP`/`ReadFromUDP`:
//! a client that asks, waits a bounded time, and asks again.

use std::io;
use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use netlings::support::io::is_timeout;
use netlings::support::udp::client_socket;

/// The clients' receive buffer: the largest payload any UDP datagram carries (65 527 bytes,
/// over IPv6; 65 507 over IPv4), so no answer is ever cut to fit.
pub const CLIENT_BUF: usize = 65_527;

/// A client's patience: each attempt sends the request once and waits `timeout` for an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    /// How long one attempt waits for the answer.
    pub timeout: Duration,
    /// How many attempts before giving up.
    pub attempts: u32,
}

/// How a client talks to its server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `connect` once, then `send`/`recv`: Go's `DialUDP` plus `Write`/`Read`.
    Connected,
    /// `send_to`/`recv_from` with the address on every call: Go's `WriteToUDP`/`ReadFromUDP`.
    Unconnected,
}

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
        // Anyone may send to an unconnected socket, so check who answered. (Linux does not
        // report ICMP errors to an unconnected socket unless it asked with IP_RECVERR, so
        // here a closed port looks like a lost datagram.)
        Mode::Unconnected => {
            socket.send_to(payload, server)?;
            // A read timeout restarts with every read: give each read only the time left, or
            // a stranger writing every few milliseconds keeps this attempt alive forever.
            let deadline = Instant::now() + timeout;
            loop {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Err(io::ErrorKind::TimedOut.into());
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
