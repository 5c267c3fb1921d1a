//! The client end of a Unix datagram exchange (chapter 11): an address the server can answer,
//! that nothing outlives, and the longest datagram the socket may send.

use std::io;
use std::os::unix::net::UnixDatagram;

use crate::support::tempdir::TempDir;

/// A Unix datagram socket for a client, bound to an address of its own: a client that never
/// binds one arrives *unnamed*, and the server has nowhere to send its answer. Returns the
/// socket and what must live as long as it.
///
/// On Linux the address is a name in the abstract namespace (`@netlings-packet-<pid>-<n>` as
/// `ss -x` shows it): no file is made, and the kernel frees the name with the socket, so a
/// client killed by Ctrl-C, `kill` or even `kill -9` leaves nothing behind. Elsewhere it is a
/// path in a fresh temporary directory, removed when the client ends on its own (but not when
/// it is killed).
///
/// ```
/// let (client, _keep) = netlings::support::unixgram::bind_client().unwrap();
/// assert!(!client.local_addr().unwrap().is_unnamed());
/// ```
pub fn bind_client() -> io::Result<(UnixDatagram, Option<TempDir>)> {
    #[cfg(target_os = "linux")]
    {
        use std::os::linux::net::SocketAddrExt;
        use std::os::unix::net::SocketAddr;
        use std::sync::atomic::{AtomicU64, Ordering};

        // The process id tells programs apart; the counter, clients inside one (the tests).
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let name = format!("netlings-packet-{}-{n}", std::process::id());
        let addr = SocketAddr::from_abstract_name(name.as_bytes())?;
        Ok((UnixDatagram::bind_addr(&addr)?, None))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let dir = TempDir::new("packet-client")?;
        let client = UnixDatagram::bind(dir.join("client.sock"))?;
        Ok((client, Some(dir)))
    }
}

/// The longest datagram `socket` may send. Linux refuses one longer than the socket's send
/// buffer (`SO_SNDBUF`, as the kernel reports it) less 32 bytes, with a bare "Message too
/// long".
///
/// ```
/// let (client, _keep) = netlings::support::unixgram::bind_client().unwrap();
/// assert!(netlings::support::unixgram::max_datagram_len(&client).unwrap() > 2048);
/// ```
pub fn max_datagram_len(socket: &UnixDatagram) -> io::Result<usize> {
    let buffer = socket2::SockRef::from(socket).send_buffer_size()?;
    Ok(buffer.saturating_sub(32))
}

#[cfg(test)]
mod tests {
    use super::{bind_client, max_datagram_len};
    use crate::support::tempdir::TempDir;
    use std::os::unix::net::UnixDatagram;

    #[test]
    fn two_clients_in_one_process_have_their_own_addresses() {
        let (a, _keep_a) = bind_client().unwrap();
        let (b, _keep_b) = bind_client().unwrap();
        let (a, b) = (a.local_addr().unwrap(), b.local_addr().unwrap());
        assert_ne!(format!("{a:?}"), format!("{b:?}"));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn on_linux_the_address_is_abstract_and_no_file_is_made() {
        use std::os::linux::net::SocketAddrExt;
        let (client, keep) = bind_client().unwrap();
        let addr = client.local_addr().unwrap();
        assert!(keep.is_none());
        assert_eq!(addr.as_pathname(), None);
        let name = addr.as_abstract_name().expect("an abstract name");
        assert!(name.starts_with(b"netlings-packet-"), "{name:?}");
    }

    #[test]
    fn the_longest_datagram_goes_and_one_byte_more_is_refused() {
        let dir = TempDir::new("unixgram").unwrap();
        let server = UnixDatagram::bind(dir.join("server.sock")).unwrap();
        let (client, _keep) = bind_client().unwrap();
        let limit = max_datagram_len(&client).unwrap();
        let path = dir.join("server.sock");
        assert_eq!(client.send_to(&vec![0; limit], &path).unwrap(), limit);
        let err = client.send_to(&vec![0; limit + 1], &path).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::EMSGSIZE), "{err}");
        drop(server);
    }
}
