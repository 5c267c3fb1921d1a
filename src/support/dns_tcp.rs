//! DNS over TCP (chapter 14): the options of a TCP question, and which transport answered.
//!
//! A DNS answer over UDP holds at most [`UDP_LIMIT`] bytes unless the client offers more with
//! EDNS0 (RFC 6891). A server whose answer does not fit sends what fits and sets the TC bit;
//! the client then asks again over TCP (RFC 1035 §4.2.2, RFC 7766), where every message has its
//! length in front in two bytes, big-endian: a frame of chapter 13 with
//! [`Prefix::U16`](crate::support::framing::Prefix::U16), so at most 65 535 bytes.
//!
//! A TCP question fails in ways a UDP one cannot, and [`LookupError`] says which:
//! `Frame` when the stream ends inside the answer or announces more than the client accepts,
//! `NotTheAnswer` when the one message on the connection answers another question.
//!
//! ```
//! use netlings::support::dns::LookupError;
//! use netlings::support::dns_tcp::{TcpOptions, Transport};
//! use netlings::support::framing::FrameError;
//!
//! assert_eq!(TcpOptions::default().max_len, 65_535);
//! assert_eq!(Transport::Tcp.to_string(), "TCP");
//! let cut: LookupError = FrameError::Truncated.into();
//! assert_eq!(cut.to_string(), "DNS over TCP: the stream ended in the middle of a message");
//! ```
//!
//! [`LookupError`]: crate::support::dns::LookupError

use std::fmt;
use std::time::Duration;

use crate::support::framing::Prefix;

/// The most bytes a DNS message over UDP may hold when the client offers no more (RFC 1035
/// §2.3.4): what a server truncates its answer to.
pub const UDP_LIMIT: usize = 512;

/// How long a question over TCP may take and how large an answer the client accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TcpOptions {
    /// The whole exchange, connecting included, ends by this long after it starts.
    pub timeout: Duration,
    /// The largest answer accepted, in bytes; a longer one is refused before it is read.
    pub max_len: usize,
}

impl Default for TcpOptions {
    /// 2 s, as long as one attempt over UDP (`QueryOptions::default()`), and any answer the
    /// two-byte length can announce: 65 535 bytes.
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(2),
            max_len: Prefix::U16.max_len(),
        }
    }
}

/// Which transport carried an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// One datagram each way (chapter 3).
    Udp,
    /// A connection, each message with a two-byte length in front (this chapter).
    Tcp,
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Transport::Udp => "UDP",
            Transport::Tcp => "TCP",
        })
    }
}

#[cfg(test)]
mod tests {
    use std::io;

    use super::*;
    use crate::support::dns::LookupError;
    use crate::support::framing::FrameError;

    #[test]
    fn the_default_accepts_any_answer_a_two_byte_length_can_announce() {
        let options = TcpOptions::default();
        assert_eq!(options.max_len, usize::from(u16::MAX));
        assert_eq!(options.timeout, Duration::from_secs(2));
    }

    #[test]
    fn transports_have_their_names() {
        assert_eq!(Transport::Udp.to_string(), "UDP");
        assert_eq!(Transport::Tcp.to_string(), "TCP");
    }

    #[test]
    fn a_codec_error_becomes_frame_and_a_stream_error_stays_io() {
        let too_long = LookupError::from(FrameError::FrameTooLong {
            len: 65_535,
            limit: 512,
        });
        assert!(matches!(
            too_long,
            LookupError::Frame(FrameError::FrameTooLong { .. })
        ));
        assert_eq!(
            too_long.to_string(),
            "DNS over TCP: a frame of 65535 bytes is over the limit of 512"
        );
        let reset = LookupError::from(FrameError::Io(io::ErrorKind::ConnectionReset.into()));
        assert!(matches!(&reset, LookupError::Io(e) if e.kind() == io::ErrorKind::ConnectionReset));
        assert_eq!(
            LookupError::NotTheAnswer.to_string(),
            "the server's message is not the answer to the question (another id or question)"
        );
    }
}
