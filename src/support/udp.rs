//! UDP addresses and client sockets (chapter 9): Go's `ResolveUDPAddr`, the local end Go's
//! `DialUDP` binds when it is given no local address, and how long a datagram may be.
//!
//! ```
//! use netlings::support::udp::{client_socket, resolve_udp_addr};
//!
//! let server = resolve_udp_addr("127.0.0.1:1200").unwrap();
//! let socket = client_socket(server).unwrap();
//! assert!(socket.local_addr().unwrap().ip().is_unspecified());
//! ```

use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs, UdpSocket};

/// Go's `ResolveUDPAddr("udp", addr)`: the first address `host:port` stands for. A text
/// without a port is refused as Go refuses it, and every error names the text it concerns:
/// `resolve udp address "127.0.0.1": missing port in address`.
pub fn resolve_udp_addr(addr: &str) -> io::Result<SocketAddr> {
    if !addr.contains(':') {
        let message = format!("resolve udp address {addr:?}: missing port in address");
        return Err(io::Error::new(io::ErrorKind::InvalidInput, message));
    }
    let not_found = || io::Error::new(io::ErrorKind::NotFound, "no address found");
    addr.to_socket_addrs()
        .and_then(|mut addrs| addrs.next().ok_or_else(not_found))
        .map_err(|e| io::Error::new(e.kind(), format!("resolve udp address {addr:?}: {e}")))
}

/// A socket for talking to `server`: bound to the wildcard address of `server`'s family and
/// a port the kernel picks, as Go's `DialUDP` does with a nil local address. (An IPv4 socket
/// cannot send to an IPv6 address, nor the other way round, so the family must match.)
pub fn client_socket(server: SocketAddr) -> io::Result<UdpSocket> {
    let any: SocketAddr = match server {
        SocketAddr::V4(_) => (Ipv4Addr::UNSPECIFIED, 0).into(),
        SocketAddr::V6(_) => (Ipv6Addr::UNSPECIFIED, 0).into(),
    };
    UdpSocket::bind(any)
}

/// The longest payload one UDP datagram to `to` can carry: 65 507 bytes over IPv4 (the 16-bit
/// total length counts the 20-byte IP and 8-byte UDP headers too), 65 527 over IPv6 (its
/// 16-bit payload length counts only the UDP header). Longer, and `send` fails with a bare
/// "Message too long".
///
/// ```
/// use netlings::support::udp::max_payload;
///
/// assert_eq!(max_payload("127.0.0.1:7".parse().unwrap()), 65_507);
/// assert_eq!(max_payload("[::1]:7".parse().unwrap()), 65_527);
/// ```
pub fn max_payload(to: SocketAddr) -> usize {
    match to {
        SocketAddr::V4(_) => 65_507,
        SocketAddr::V6(_) => 65_527,
    }
}

/// Refuses, before anything is sent, a message longer than one datagram to `to` can carry
/// (`limit` bytes), with the sentence the kernel's "Message too long" lacks: which message,
/// its size and the limit. Messages are numbered from 1.
///
/// ```
/// use netlings::support::udp::check_datagram_sizes;
///
/// let messages = ["hi".to_string(), "x".repeat(70_000)];
/// let err = check_datagram_sizes(&messages, 65_507, "127.0.0.1:7").unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "message 2 is 70000 bytes: one datagram to 127.0.0.1:7 carries at most 65507"
/// );
/// assert!(check_datagram_sizes(&messages[..1], 65_507, "127.0.0.1:7").is_ok());
/// ```
pub fn check_datagram_sizes(
    messages: &[String],
    limit: usize,
    to: impl std::fmt::Display,
) -> io::Result<()> {
    for (i, message) in messages.iter().enumerate() {
        if message.len() > limit {
            let why = format!(
                "message {} is {} bytes: one datagram to {to} carries at most {limit}",
                i + 1,
                message.len()
            );
            return Err(io::Error::new(io::ErrorKind::InvalidInput, why));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{check_datagram_sizes, client_socket, max_payload, resolve_udp_addr};
    use std::io::ErrorKind;
    use std::net::SocketAddr;

    #[test]
    fn an_address_with_a_port_resolves_to_itself() {
        let v4: SocketAddr = "127.0.0.1:1200".parse().unwrap();
        assert_eq!(resolve_udp_addr("127.0.0.1:1200").unwrap(), v4);
        let v6: SocketAddr = "[::1]:53".parse().unwrap();
        assert_eq!(resolve_udp_addr("[::1]:53").unwrap(), v6);
    }

    #[test]
    fn errors_name_the_text_and_keep_their_kind() {
        let err = resolve_udp_addr("127.0.0.1").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert_eq!(
            err.to_string(),
            "resolve udp address \"127.0.0.1\": missing port in address"
        );
        let err = resolve_udp_addr("127.0.0.1:99999").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert_eq!(
            err.to_string(),
            "resolve udp address \"127.0.0.1:99999\": invalid port value"
        );
    }

    #[test]
    fn the_longest_payloads_are_what_the_kernel_sends() {
        // Loopback only: a datagram of exactly the limit goes, one byte more is refused.
        let receiver = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        let to = receiver.local_addr().unwrap();
        let sender = client_socket(to).unwrap();
        let limit = max_payload(to);
        assert_eq!(sender.send_to(&vec![0; limit], to).unwrap(), limit);
        let err = sender.send_to(&vec![0; limit + 1], to).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::EMSGSIZE), "{err}");
        let messages = [String::new(), "x".repeat(limit)];
        assert!(check_datagram_sizes(&messages, limit, to).is_ok());
    }

    #[test]
    fn a_client_socket_has_the_servers_family_and_a_port_of_its_own() {
        let local = client_socket("127.0.0.1:9".parse().unwrap())
            .and_then(|s| s.local_addr())
            .unwrap();
        assert_eq!(local.ip().to_string(), "0.0.0.0");
        assert_ne!(local.port(), 0);
        // A machine without IPv6 cannot bind [::]: nothing to check there.
        if let Ok(local) = client_socket("[::1]:9".parse().unwrap()).and_then(|s| s.local_addr()) {
            assert_eq!(local.ip().to_string(), "::");
            assert_ne!(local.port(), 0);
        }
    }
}
