//! Step 12.4 · `choose-socket` — raw if allowed, else the ping socket, else say how to allow one.

use std::io;

use netlings::support::icmp::{Family, OpenError, SocketKind};

/// Opens the best ICMP socket the process may have: raw first, the datagram socket when the
/// raw one is refused. `open` does the opening (the real one is
/// `netlings::support::icmp::open_socket`); tests pass one that fails on purpose.
///
/// Only a permission error moves on to the next kind; any other error is reported as it is.
pub fn choose_socket<S>(
    family: Family,
    mut open: impl FnMut(SocketKind) -> io::Result<S>,
) -> Result<(S, SocketKind), OpenError> {
    // EPERM (no CAP_NET_RAW) and EACCES (group outside ping_group_range) are both this kind.
    let denied = |e: &io::Error| e.kind() == io::ErrorKind::PermissionDenied;
    let raw = match open(SocketKind::Raw) {
        Ok(socket) => return Ok((socket, SocketKind::Raw)),
        Err(e) if denied(&e) => e,
        Err(error) => {
            return Err(OpenError::Other {
                kind: SocketKind::Raw,
                error,
            });
        }
    };
    match open(SocketKind::Datagram) {
        Ok(socket) => Ok((socket, SocketKind::Datagram)),
        // Both refusals go into the error: each says what would allow its socket.
        Err(datagram) if denied(&datagram) => Err(OpenError::NoPermission {
            family,
            raw,
            datagram,
        }),
        Err(error) => Err(OpenError::Other {
            kind: SocketKind::Datagram,
            error,
        }),
    }
}
