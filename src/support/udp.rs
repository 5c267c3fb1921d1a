//! UDP addresses and client sockets (chapter 9): Go's `ResolveUDPAddr`, and the local end
//! Go's `DialUDP` binds when it is given no local address.
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

#[cfg(test)]
mod tests {
    use super::{client_socket, resolve_udp_addr};
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
