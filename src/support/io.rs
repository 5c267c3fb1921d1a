//! Small facts about `std::io` errors that every network chapter needs.

use std::io;

/// Whether `e` is what an expired socket timeout looks like: `WouldBlock` on Unix (the
/// `EAGAIN` that `SO_RCVTIMEO`/`SO_SNDTIMEO` produce), `TimedOut` on Windows. std documents
/// both; a portable program checks for either.
///
/// ```
/// use std::io::{Error, ErrorKind};
/// use netlings::support::io::is_timeout;
///
/// assert!(is_timeout(&Error::from(ErrorKind::WouldBlock)));
/// assert!(is_timeout(&Error::from(ErrorKind::TimedOut)));
/// assert!(!is_timeout(&Error::from(ErrorKind::ConnectionReset)));
/// ```
pub fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}
