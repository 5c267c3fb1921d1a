//! Snippets for chapter 5, compiled and run by `cargo test` (tests/book.rs).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV6, ToSocketAddrs};

#[test]
fn socket_addr() {
    // ANCHOR: socket_addr
    // Go's TCPAddr{IP, Port, Zone} is std's SocketAddr: an enum of V4 and V6.
    let v4: SocketAddr = "127.0.0.1:8099".parse().unwrap();
    assert_eq!(v4.port(), 8099);
    let v6: SocketAddr = "[::1]:8099".parse().unwrap();
    assert!(v6.is_ipv6());
    // std's parser takes numbers only: no host names, no service names.
    assert!("localhost:8099".parse::<SocketAddr>().is_err());
    assert!("127.0.0.1:http".parse::<SocketAddr>().is_err());
    // ANCHOR_END: socket_addr
}

#[test]
fn cutting_text() {
    // ANCHOR: cutting_text
    // The last separator: rfind. A file's extension follows its last dot.
    let name = "backup.tar.gz";
    let dot = name.rfind('.').unwrap();
    assert_eq!((&name[..dot], &name[dot + 1..]), ("backup.tar", "gz"));
    // A bracketed part: strip the '[' and find the ']' that closes it.
    let line = "[10:42:07] link up";
    let rest = line.strip_prefix('[').unwrap();
    let close = rest.find(']').unwrap();
    assert_eq!(&rest[..close], "10:42:07"); // colons inside are no separators
    assert_eq!(&rest[close + 1..], " link up");
    // Byte positions from find/rfind index the &str they were found in.
    // ANCHOR_END: cutting_text
}

#[test]
fn option_to_result() {
    // ANCHOR: option_to_result
    #[derive(Debug, PartialEq)]
    enum ConfigError {
        TooLarge(String),
        Unknown(String),
    }
    // A u16 refuses what does not fit, however many digits: no overflow to handle.
    let level = |text: &str| -> Result<u16, ConfigError> {
        if text.bytes().all(|b| b.is_ascii_digit()) {
            return text.parse().map_err(|_| ConfigError::TooLarge(text.into()));
        }
        // A name: an Option from a table, turned into an error that names the input.
        let named = [("low", 1), ("high", 9)];
        named
            .iter()
            .find(|(n, _)| *n == text)
            .map(|(_, v)| *v)
            .ok_or_else(|| ConfigError::Unknown(text.into()))
    };
    assert_eq!(level("7"), Ok(7));
    assert_eq!(
        level("99999999"),
        Err(ConfigError::TooLarge("99999999".into()))
    );
    assert_eq!(level("high"), Ok(9));
    assert_eq!(level("max"), Err(ConfigError::Unknown("max".into())));
    // ANCHOR_END: option_to_result
}

#[test]
fn scope_id() {
    // ANCHOR: scope_id
    // The zone of a link-local address is a number in Rust: the interface's index.
    let addr: SocketAddrV6 = "[fe80::1%2]:80".parse().unwrap();
    assert_eq!(addr.scope_id(), 2);
    // A zone written as an interface name, which Go accepts, is not understood by std.
    assert!("[fe80::1%lo]:80".parse::<SocketAddrV6>().is_err());
    // Nor does an IpAddr have a zone: split it off first.
    assert!("fe80::1%2".parse::<IpAddr>().is_err());
    assert_eq!("fe80::1%2".split_once('%'), Some(("fe80::1", "2")));
    // ANCHOR_END: scope_id
}

#[test]
fn resolver() {
    // ANCHOR: resolver
    // The system resolver (getaddrinfo): a host and a port in, every socket address out.
    // /etc/hosts answers for localhost, so this never leaves the machine.
    let found: Vec<SocketAddr> = ("localhost", 0).to_socket_addrs().unwrap().collect();
    assert!(
        found
            .iter()
            .any(|a| a.ip() == IpAddr::V4(Ipv4Addr::LOCALHOST))
    );
    // Some systems list ::1 too, in either order: a caller that wants one family filters.
    let v4_only: Vec<IpAddr> = found
        .iter()
        .map(|a| a.ip())
        .filter(|ip| ip.is_ipv4())
        .collect();
    assert!(!v4_only.is_empty());
    // An IPv4-mapped address is IPv6 to std until you make it canonical.
    let mapped: IpAddr = "::ffff:127.0.0.1".parse().unwrap();
    assert!(mapped.is_ipv6() && mapped.to_canonical().is_ipv4());
    // ANCHOR_END: resolver
}

#[test]
fn building() {
    // ANCHOR: building
    // From parts to a socket address. SocketAddr::new takes either family, but an IPv6
    // address with a zone needs SocketAddrV6::new(ip, port, flowinfo, scope_id).
    let plain = SocketAddr::new(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)), 8080);
    assert_eq!(plain.to_string(), "10.0.0.1:8080");
    let link_local = "fe80::2".parse::<Ipv6Addr>().unwrap();
    let zoned = SocketAddr::V6(SocketAddrV6::new(link_local, 8080, 0, 3));
    assert_eq!(zoned.to_string(), "[fe80::2%3]:8080");
    // ANCHOR_END: building
}
