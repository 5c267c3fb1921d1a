//! Chapter 12, `ping`: a link-local address keeps its zone (without a packet leaving the
//! host), and a peer that floods other datagrams does not stretch the wait for a reply.

#[path = "../../solutions/ch12_ping/5_ping.rs"]
#[allow(dead_code)]
mod ping;

use std::net::UdpSocket;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use clap::Parser;
use netlings::harness::{DEADLINE, skip, within};
use netlings::support::icmp::{Family, Matcher, SocketKind};
use socket2::{Domain, Protocol, Socket, Type};

#[test]
fn ping_keeps_the_zone_of_a_link_local_address() {
    // SAFETY: a NUL-terminated name; if_nametoindex only reads it.
    let lo = unsafe { libc::if_nametoindex(c"lo".as_ptr()) };
    if lo == 0 {
        return skip("no interface named lo");
    }
    let message = within("ping", "ping fe80::1%lo", DEADLINE, || {
        let args = ping::Args::try_parse_from(["ping", "fe80::1%lo", "-c", "1", "-W", "0.05"])
            .expect("valid arguments");
        let mut out = Vec::new();
        // A UDP socket in place of the ICMP one: its connect looks the route up, as ICMP's does.
        let result = ping::ping(args, &mut out, &AtomicBool::new(false), |_, _| {
            Socket::new(Domain::IPV6, Type::DGRAM, Some(Protocol::UDP))
        });
        let error = result.err().map(|e| e.to_string()).unwrap_or_default();
        format!("{}{error}", String::from_utf8_lossy(&out))
    });
    assert!(message.contains(&format!("fe80::1%{lo}")), "{message}");
    assert!(!message.contains("Invalid argument"), "{message}");
}

#[test]
fn a_flood_of_other_datagrams_does_not_stretch_the_wait_for_a_reply() {
    // The host is a UDP peer that answers the request with a datagram every millisecond, none
    // of them the reply; ping_once must still give up when its timeout is over.
    let peer = UdpSocket::bind("127.0.0.1:0").expect("binding 127.0.0.1:0");
    peer.set_read_timeout(Some(DEADLINE)).expect("a timeout");
    let socket = Socket::new(Domain::IPV4, Type::DGRAM, Some(Protocol::UDP)).expect("a socket");
    socket
        .connect(&peer.local_addr().expect("an address").into())
        .expect("connecting a UDP socket sends nothing");
    std::thread::spawn(move || {
        let mut buf = [0; 256];
        let Ok((_, client)) = peer.recv_from(&mut buf) else {
            return;
        };
        let end = Instant::now() + Duration::from_secs(2);
        while Instant::now() < end {
            let _ = peer.send_to(b"\x00\x00\x00\x00not a reply", client);
            // The pause is the flood's rate, not synchronisation.
            std::thread::sleep(Duration::from_millis(1));
        }
    });
    let matcher = Matcher {
        family: Family::V4,
        kind: SocketKind::Datagram,
        ident: 7,
    };
    let started = Instant::now();
    let got = within("ping", "ping_once during a flood", DEADLINE, move || {
        ping::ping_once(&socket, &matcher, 1, b"data", Duration::from_millis(200))
            .map_err(|e| e.to_string())
    });
    let took = started.elapsed();
    assert_eq!(got, Ok(None));
    assert!(took < Duration::from_secs(1), "a 200 ms wait took {took:?}");
}
