//! Step 9.1 · `udp-server` — Go's `ListenUDP`, `ReadFromUDP` and `WriteToUDP`: Newmarch's UDP
//! daytime server, a UDP echo server, and the loop that keeps them serving.

use std::io::{self, Write};
use std::net::{SocketAddr, UdpSocket};

use netlings::support::clock::{Clock, go_time_string};

/// The servers' receive buffer, Newmarch's 512 bytes: a longer datagram is cut to this size.
pub const SERVER_BUF: usize = 512;

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

/// Sends one datagram back to its sender. Returns its length and the sender.
pub fn echo_once(socket: &UdpSocket) -> io::Result<(usize, SocketAddr)> {
    let mut buf = [0; SERVER_BUF];
    let (n, from) = socket.recv_from(&mut buf)?;
    // `n` may be 0 (an empty datagram is a message, not an end of file) and is at most
    // SERVER_BUF: the kernel drops the rest of a longer datagram. Echo exactly what arrived.
    socket.send_to(&buf[..n], from)?;
    Ok((n, from))
}

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
            // Newmarch's second edition calls log.Fatal here: one stray ICMP error (Windows
            // reports one on the next receive after an answer to a client that has gone) or
            // one failed send, and the service is gone for every client.
            writeln!(log, "udp server: {e} (still serving)")?;
        }
    }
}
