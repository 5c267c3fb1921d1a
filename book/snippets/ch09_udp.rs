//! Snippets for chapter 9, compiled and run by `cargo test` (tests/book.rs).

use std::io::ErrorKind;
use std::net::UdpSocket;
use std::time::Duration;

use netlings::support::io::is_timeout;

#[test]
fn unconnected() {
    // ANCHOR: unconnected
    let server = UdpSocket::bind("127.0.0.1:0").unwrap();
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();

    // No handshake: the first datagram is the whole conversation's start.
    client
        .send_to(b"what time is it?", server.local_addr().unwrap())
        .unwrap();

    // The server learns who asked from the datagram itself...
    let mut buf = [0; 512];
    let (n, from) = server.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"what time is it?");
    assert_eq!(from, client.local_addr().unwrap());

    // ...and that address is the only way back.
    server.send_to(b"teatime", from).unwrap();
    let (n, _) = client.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"teatime");
    // ANCHOR_END: unconnected
}

#[test]
fn connected() {
    // ANCHOR: connected
    let server = UdpSocket::bind("127.0.0.1:0").unwrap();
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();

    // `connect` sends nothing: it records the peer in the kernel.
    client.connect(server.local_addr().unwrap()).unwrap();
    client.send(b"ping").unwrap(); // no address needed any more

    let mut buf = [0; 512];
    let (n, from) = server.recv_from(&mut buf).unwrap();
    server.send_to(&buf[..n], from).unwrap();
    let n = client.recv(&mut buf).unwrap(); // only the peer's datagrams get here
    assert_eq!(&buf[..n], b"ping");
    // ANCHOR_END: connected
}

#[test]
fn closed_port() {
    // ANCHOR: closed_port
    // A port nothing listens on: bind to get a free number, then close.
    let closed = UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let mut buf = [0; 512];

    // Connected: the send "works"; the kernel's ICMP "port unreachable" comes back and is
    // reported on the *next* call on the socket.
    let connected = UdpSocket::bind("127.0.0.1:0").unwrap();
    connected
        .set_read_timeout(Some(Duration::from_secs(2)))
        .unwrap();
    connected.connect(closed).unwrap();
    connected.send(b"anyone?").unwrap();
    let err = connected.recv(&mut buf).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ConnectionRefused);

    // Unconnected: the kernel knows which socket the ICMP message is for, but Linux tells an
    // unconnected socket nothing unless it asked (IP_RECVERR, below). All you see is silence.
    let unconnected = UdpSocket::bind("127.0.0.1:0").unwrap();
    unconnected
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    unconnected.send_to(b"anyone?", closed).unwrap();
    let err = unconnected.recv_from(&mut buf).unwrap_err();
    // An expired read timeout: WouldBlock on Linux and macOS. (Windows would have said
    // ConnectionReset instead: it reports the refusal to unconnected sockets too.)
    assert!(is_timeout(&err));
    // ANCHOR_END: closed_port
}

#[cfg(target_os = "linux")]
#[test]
fn recverr() {
    use std::os::fd::AsRawFd;
    // ANCHOR: recverr
    let closed = UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(2)))
        .unwrap();
    // Linux only: ask for the errors ICMP reports, connected or not. std and socket2 have no
    // method for IP_RECVERR, so this is the raw setsockopt(2).
    let on: libc::c_int = 1;
    // SAFETY: a valid descriptor, and a pointer to an int that outlives the call.
    let rc = unsafe {
        libc::setsockopt(
            socket.as_raw_fd(),
            libc::IPPROTO_IP,
            libc::IP_RECVERR,
            (&raw const on).cast(),
            size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    assert_eq!(rc, 0);

    socket.send_to(b"anyone?", closed).unwrap();
    // The next call fails with the refusal. Which destination refused is not in this error:
    // that waits on the socket's error queue (read with recvmsg and MSG_ERRQUEUE).
    let err = socket.recv_from(&mut [0; 512]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ConnectionRefused);
    // ANCHOR_END: recverr
}

#[test]
fn resend() {
    // ANCHOR: resend
    let server = UdpSocket::bind("127.0.0.1:0").unwrap();
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    client
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let to = server.local_addr().unwrap();
    let mut buf = [0; 512];

    // The first request is "lost": the server reads it and never answers.
    client.send_to(b"ping", to).unwrap();
    server.recv_from(&mut buf).unwrap();
    let err = client.recv_from(&mut buf).unwrap_err();
    assert!(is_timeout(&err)); // not a failure: a reason to ask again

    // The second time, an answer comes.
    client.send_to(b"ping", to).unwrap();
    let (n, from) = server.recv_from(&mut buf).unwrap();
    server.send_to(&buf[..n], from).unwrap();
    let (n, _) = client.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"ping");
    // ANCHOR_END: resend
}

#[test]
fn strangers() {
    // ANCHOR: strangers
    let server = UdpSocket::bind("127.0.0.1:0").unwrap();
    let stranger = UdpSocket::bind("127.0.0.1:0").unwrap();
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    let me = client.local_addr().unwrap();

    // Anyone who knows an unconnected socket's address can write to it.
    stranger.send_to(b"buy now", me).unwrap();
    server.send_to(b"the answer", me).unwrap();

    let mut buf = [0; 512];
    let (n, from) = client.recv_from(&mut buf).unwrap();
    assert_eq!(
        (&buf[..n], from),
        (&b"buy now"[..], stranger.local_addr().unwrap())
    );
    // Only the address that came with the datagram tells the two apart.
    let (n, from) = client.recv_from(&mut buf).unwrap();
    assert_eq!(
        (&buf[..n], from),
        (&b"the answer"[..], server.local_addr().unwrap())
    );
    // ANCHOR_END: strangers
}

#[test]
fn truncation() {
    // ANCHOR: truncation
    let server = UdpSocket::bind("127.0.0.1:0").unwrap();
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    let to = server.local_addr().unwrap();
    client.send_to(&[7; 1000], to).unwrap();
    client.send_to(b"next", to).unwrap();

    let mut buf = [0; 512];
    let (n, _) = server.recv_from(&mut buf).unwrap();
    assert_eq!(n, 512); // no error, no warning: the other 488 bytes are gone
    let (n, _) = server.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"next"); // the next read is the next datagram
    // ANCHOR_END: truncation
}

#[test]
fn boundaries() {
    // ANCHOR: boundaries
    let server = UdpSocket::bind("127.0.0.1:0").unwrap();
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    let to = server.local_addr().unwrap();
    for message in [&b"a"[..], b"bb", b"", b"ccc"] {
        client.send_to(message, to).unwrap();
    }
    let mut buf = [0; 512];
    let lengths: Vec<usize> = (0..4)
        .map(|_| server.recv_from(&mut buf).unwrap().0)
        .collect();
    // One read, one datagram, whole; even the empty one is there.
    assert_eq!(lengths, [1, 2, 0, 3]);
    // ANCHOR_END: boundaries
}
