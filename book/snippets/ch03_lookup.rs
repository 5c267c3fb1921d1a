//! Snippets for chapter 3, compiled and run by `cargo test` (tests/book.rs).

use std::net::{IpAddr, Ipv4Addr, SocketAddr, SocketAddrV6, ToSocketAddrs, UdpSocket};
use std::time::{Duration, Instant};

use netlings::support::dns::{Header, RecordFields, WireError, flags};
use netlings::support::io::is_timeout;

#[test]
fn std_resolver() {
    // ANCHOR: std_resolver
    // std has no "look up a host" function: a (host, port) pair can be turned into socket
    // addresses, which runs getaddrinfo (/etc/hosts, then DNS) and blocks until it answers.
    let addrs: Vec<SocketAddr> = ("localhost", 0).to_socket_addrs().unwrap().collect();
    let ips: Vec<IpAddr> = addrs.iter().map(|a| a.ip()).collect();
    assert!(ips.contains(&IpAddr::V4(Ipv4Addr::LOCALHOST)));

    // A literal is parsed, not looked up; a zone is not part of an IpAddr.
    assert!("fe80::1%eth0".parse::<IpAddr>().is_err());
    // ANCHOR_END: std_resolver
}

#[test]
fn scope_id() {
    // ANCHOR: scope_id
    // Where std keeps a zone: in an IPv6 *socket* address, as the interface's number.
    let addr: SocketAddrV6 = "[fe80::1%2]:53".parse().unwrap();
    assert_eq!(
        (addr.ip().to_string(), addr.scope_id()),
        ("fe80::1".into(), 2)
    );
    // A name is not a number: std leaves turning `eth0` into its index to you.
    assert!("[fe80::1%eth0]:53".parse::<SocketAddrV6>().is_err());
    // ANCHOR_END: scope_id
}

#[test]
fn header_bytes() {
    // ANCHOR: header_bytes
    // The 12-byte header of a query: id 0x1234, flags 0x0100 (RD, "recursion desired"),
    // one question, no answers, no authority or additional records.
    let header: [u8; 12] = [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];
    // Every field is big-endian ("network byte order").
    let id = u16::from_be_bytes([header[0], header[1]]);
    let flags = u16::from_be_bytes([header[2], header[3]]);
    assert_eq!((id, flags & 0x8000, flags & 0x0100), (0x1234, 0, 0x0100));
    // ANCHOR_END: header_bytes
}

#[test]
fn view_write() {
    // ANCHOR: view_write
    // A view writes as well as it reads. Here, the header of a *response*: "no such name"
    // (rcode 3) to query 0xBEEF, echoing its one question.
    let mut message = vec![0u8; 12];
    let mut header = Header::new_checked(&mut message[..]).unwrap();
    header.set_id(0xBEEF);
    header.set_flags(flags::QR | flags::RD | 3);
    header.set_counts(1, 0, 0, 0);
    assert_eq!(message, [0xBE, 0xEF, 0x81, 0x03, 0, 1, 0, 0, 0, 0, 0, 0]);

    // Reading it back: every accessor is safe because new_checked checked the length once.
    let header = Header::new_checked(&message[..]).unwrap();
    assert!(header.is_response() && header.rcode() == 3);
    assert_eq!(
        Header::new_checked(&message[..5]).err(),
        Some(WireError::Truncated)
    );
    // ANCHOR_END: view_write
}

#[test]
fn name_bytes() {
    // ANCHOR: name_bytes
    // "www.example.test" on the wire: each label prefixed by its length, then a zero byte.
    let name = b"\x03www\x07example\x04test\x00";
    assert_eq!(name.len(), 18);
    // A compression pointer: the top two bits set, then a 14-bit offset into the message.
    // 0xC00C means "the rest of this name is the one at offset 12" (the question's name).
    let pointer = [0xC0u8, 0x0C];
    let offset = u16::from_be_bytes([pointer[0] & 0x3F, pointer[1]]);
    assert_eq!(offset, 12);
    // ANCHOR_END: name_bytes
}

// ANCHOR: length_prefixed
/// TLS's list of application protocols (ALPN, RFC 7301) is another length-prefixed format:
/// each name is one length byte then its bytes. A length byte cannot say 0 here, nor more
/// than 255, so both are refused before anything is written.
fn encode_alpn(protocols: &[&str]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    for p in protocols {
        let len = u8::try_from(p.len()).ok().filter(|&n| n > 0)?;
        out.push(len);
        out.extend_from_slice(p.as_bytes());
    }
    Some(out)
}
// ANCHOR_END: length_prefixed

// ANCHOR: read_prefixed
/// The other way, on bytes from the network: every index goes through `.get()`, so a length
/// byte that promises more than there is becomes `None`, never a panic.
fn decode_alpn(mut bytes: &[u8]) -> Option<Vec<String>> {
    let mut names = Vec::new();
    while let Some((&len, rest)) = bytes.split_first() {
        let name = rest.get(..usize::from(len))?;
        names.push(String::from_utf8_lossy(name).into_owned());
        bytes = &rest[usize::from(len)..];
    }
    Some(names)
}
// ANCHOR_END: read_prefixed

#[test]
fn length_prefixed() {
    let wire = encode_alpn(&["h2", "http/1.1"]).unwrap();
    assert_eq!(wire, b"\x02h2\x08http/1.1");
    assert_eq!(encode_alpn(&[""]), None);
    assert_eq!(encode_alpn(&[&"x".repeat(256)]), None);
    assert_eq!(decode_alpn(&wire).unwrap(), ["h2", "http/1.1"]);
    assert_eq!(decode_alpn(b"\x05h2"), None);
}

// ANCHOR: falling
/// A chain of links inside a byte array: `links[i]` is the index of the element before `i`,
/// and 0xFF ends the chain. Bytes from outside could make a circle, so each link must go
/// strictly below the last one: the indices fall at every step, and a falling walk through a
/// finite array must stop.
fn chain_from(links: &[u8], start: usize) -> Option<Vec<usize>> {
    let mut walked = vec![start];
    let mut at = start;
    loop {
        let next = *links.get(at)?;
        if next == 0xFF {
            return Some(walked);
        }
        let next = usize::from(next);
        if next >= at {
            return None; // not strictly backwards: a loop, or a jump forwards
        }
        walked.push(next);
        at = next;
    }
}
// ANCHOR_END: falling

#[test]
fn falling() {
    assert_eq!(chain_from(&[0xFF, 0, 1], 2), Some(vec![2, 1, 0]));
    assert_eq!(chain_from(&[1, 0], 1), None); // 1 -> 0 -> 1 -> ...
    assert_eq!(chain_from(&[0xFF, 1], 1), None); // a link to itself
}

#[test]
fn record_view() {
    // ANCHOR: record_view
    // The fixed fields of an MX record (type 15) and its data: a preference, then a name.
    #[rustfmt::skip]
    let bytes = [
        0, 15, 0, 1, 0, 0, 14, 16, 0, 4, // type 15, class IN, ttl 3600, 4 bytes of data
        0, 10, 0xC0, 12,                 // preference 10, then a pointer to a name
        0xFF,                            // the next record starts here
    ];
    let record = RecordFields::new_checked(&bytes[..]).unwrap();
    assert_eq!(
        (record.rtype(), record.ttl(), record.data_len()),
        (15, 3600, 4)
    );
    // A slice becomes a fixed-size array only if its length is right: the check is the
    // conversion. Ipv4Addr and Ipv6Addr are built From [u8; 4] and [u8; 16] the same way.
    let preference = <[u8; 2]>::try_from(&record.data()[..2]).map(u16::from_be_bytes);
    assert_eq!(preference.ok(), Some(10));
    assert!(<[u8; 4]>::try_from(&record.data()[..3]).is_err());
    // Where the next record starts, counted from where this one's fields start.
    assert_eq!(bytes[record.total_len()], 0xFF);
    // ANCHOR_END: record_view
}

// ANCHOR: deadline
/// Waits for a datagram that `wanted` accepts, ignoring the others, until `deadline`: one
/// deadline for the whole wait, and each read is given only what is left of it. A read
/// timeout set once would start again with every unwanted datagram.
fn recv_wanted(
    socket: &UdpSocket,
    deadline: Instant,
    wanted: impl Fn(&[u8]) -> bool,
) -> std::io::Result<Option<Vec<u8>>> {
    let mut buf = [0u8; 512];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Ok(None);
        }
        socket.set_read_timeout(Some(left))?;
        match socket.recv(&mut buf) {
            Ok(n) if wanted(&buf[..n]) => return Ok(Some(buf[..n].to_vec())),
            Ok(_) => continue, // not ours: keep waiting, but not past the deadline
            Err(e) if is_timeout(&e) => return Ok(None),
            Err(e) => return Err(e),
        }
    }
}
// ANCHOR_END: deadline

#[test]
fn deadline() {
    let peer = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let socket = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    socket.connect(peer.local_addr().unwrap()).unwrap();
    let me = socket.local_addr().unwrap();
    for datagram in [&b"noise"[..], b"tag:1", b"tag:2"] {
        peer.send_to(datagram, me).unwrap();
    }
    let deadline = Instant::now() + Duration::from_secs(2);
    let got = recv_wanted(&socket, deadline, |d| d.starts_with(b"tag:")).unwrap();
    assert_eq!(got.as_deref(), Some(&b"tag:1"[..]));
    let soon = Instant::now() + Duration::from_millis(50);
    let got = recv_wanted(&socket, soon, |d| d == b"never").unwrap();
    assert_eq!(got, None);
}

#[test]
fn connected_udp() {
    // ANCHOR: connected_udp
    // A port where nothing listens: bind one, note it, close it.
    let closed = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|s| s.local_addr())
        .unwrap();
    let socket = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(2)))
        .unwrap();
    // connect() on UDP sends nothing: it fixes the peer. From then on the kernel drops
    // datagrams from anyone else, and hands this socket the ICMP errors about its peer.
    socket.connect(closed).unwrap();
    socket.send(b"anyone there?").unwrap();
    let err = socket.recv(&mut [0u8; 64]).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::ConnectionRefused);
    // ANCHOR_END: connected_udp
}

#[test]
fn redirects() {
    // ANCHOR: redirects
    // Following a chain of redirects (from, to) with a bound and a memory: the same two
    // guards a chain of aliases needs. `windows(2)` then walks it in pairs.
    let redirects = [("/a", "/b"), ("/b", "/c"), ("/x", "/y"), ("/y", "/x")];
    let follow = |start: &str, max: usize| -> Option<Vec<String>> {
        let mut chain = vec![start.to_string()];
        while let Some(&(_, to)) = chain
            .last()
            .and_then(|last| redirects.iter().find(|(from, _)| from == last))
        {
            if chain.len() > max || chain.iter().any(|seen| seen == to) {
                return None; // too long, or a circle
            }
            chain.push(to.to_string());
        }
        Some(chain)
    };
    let chain = follow("/a", 5).unwrap();
    let hops: Vec<String> = chain
        .windows(2)
        .map(|w| format!("{} -> {}", w[0], w[1]))
        .collect();
    assert_eq!(hops, ["/a -> /b", "/b -> /c"]);
    assert_eq!(follow("/x", 5), None);
    assert_eq!(follow("/a", 1), None);
    // ANCHOR_END: redirects
}
