//! Loopback sockets for tests: ports from port 0, and timeouts so a hung peer fails the check
//! instead of the suite.

use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::time::Duration;

use super::deadline::DEADLINE;

/// A TCP listener on 127.0.0.1 with a port the kernel picks (port 0): how every test gets a
/// server address without clashing with anything else on the machine.
pub fn tcp_listener() -> TcpListener {
    TcpListener::bind("127.0.0.1:0").expect("binding 127.0.0.1:0 always works on loopback")
}

/// A UDP socket on 127.0.0.1, port picked by the kernel, whose reads give up after
/// [`DEADLINE`] so a lost or missing answer fails a check instead of hanging it.
pub fn udp_socket() -> UdpSocket {
    let socket = UdpSocket::bind("127.0.0.1:0").expect("binding 127.0.0.1:0 always works");
    socket
        .set_read_timeout(Some(DEADLINE))
        .expect("a non-zero timeout is accepted");
    socket
}

/// A TCP connection to `addr` made within [`DEADLINE`], with read and write timeouts of
/// [`DEADLINE`]: a server that never answers fails the check with a message naming `exercise`.
#[track_caller]
pub fn tcp_client(exercise: &str, addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect_timeout(&addr, DEADLINE)
        .unwrap_or_else(|e| panic!("[{exercise}] could not connect to the server at {addr}: {e}"));
    stream
        .set_read_timeout(Some(DEADLINE))
        .expect("a non-zero timeout is accepted");
    stream
        .set_write_timeout(Some(DEADLINE))
        .expect("a non-zero timeout is accepted");
    stream
}

/// A TCP connection on loopback and its other end: `(client, server side)`. The client is made
/// by [`tcp_client`] (timeouts of [`DEADLINE`]); the server side is as `accept` returns it, with
/// no timeouts, for the code under test to set its own.
#[track_caller]
pub fn tcp_pair(exercise: &str) -> (TcpStream, TcpStream) {
    let listener = tcp_listener();
    let addr = listener
        .local_addr()
        .expect("a bound listener has an address");
    let client = tcp_client(exercise, addr);
    let (server, _) = listener
        .accept()
        .expect("accepting the test's own connection on loopback works");
    (client, server)
}

/// Two UDP sockets on 127.0.0.1: `(peer, client)`, the client connected to the peer. Both made
/// by [`udp_socket`], so a read on either gives up after [`DEADLINE`].
pub fn connected_udp_pair() -> (UdpSocket, UdpSocket) {
    let peer = udp_socket();
    let client = udp_socket();
    client
        .connect(peer.local_addr().expect("a bound socket has an address"))
        .expect("connecting a UDP socket to a loopback address works");
    (peer, client)
}

/// A TCP listener on 127.0.0.1 whose accept queue is full: the kernel ignores new SYNs, so a
/// connect to [`FullListener::addr`] can only time out. This is how tests exercise connect
/// timeouts without sending a packet off the machine. Dropping it closes everything.
pub struct FullListener {
    /// Where a connect attempt will hang until its timeout.
    pub addr: SocketAddr,
    _socket: socket2::Socket,
    _queued: Vec<TcpStream>,
}

/// Fills a backlog-0 listener's queue. `Err` says why it could not, for the test's [`skip`]:
/// some kernels complete every connection anyway.
pub fn full_listener() -> Result<FullListener, String> {
    use socket2::{Domain, Socket, Type};
    let unsupported = || {
        "this system completed every connection to a listener with backlog 0, so no connect can \
         time out on loopback here (the test needs Linux's accept-queue behaviour)"
            .to_string()
    };
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).map_err(|e| e.to_string())?;
    let any: SocketAddr = "127.0.0.1:0".parse().expect("a valid socket address");
    socket.bind(&any.into()).map_err(|e| e.to_string())?;
    // A backlog of 0: Linux queues one finished handshake and drops SYNs after that.
    socket.listen(0).map_err(|e| e.to_string())?;
    let addr = socket
        .local_addr()
        .ok()
        .and_then(|a| a.as_socket())
        .ok_or_else(unsupported)?;
    let mut queued = Vec::new();
    for _ in 0..32 {
        match TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
            Ok(conn) => queued.push(conn),
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {
                return Ok(FullListener {
                    addr,
                    _socket: socket,
                    _queued: queued,
                });
            }
            Err(e) => return Err(format!("filling the accept queue failed: {e}")),
        }
    }
    Err(unsupported())
}
