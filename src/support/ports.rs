//! Ports by name (chapter 4): what a parsed services(5) file holds, and the errors of Go's
//! `LookupPort`.
//!
//! Chapter 4's steps write the parser and the lookup; these are the shapes they fill in. (Go's
//! built-in table of service names is in [`crate::support::services`], with the plain table
//! the later chapters use.)
//!
//! ```
//! use netlings::support::ports::PortError;
//!
//! let e = PortError::UnknownPort { network: "udp".into(), service: "quake".into() };
//! assert_eq!(e.to_string(), "address udp/quake: unknown port"); // Go 1.19's words
//! ```

use std::fmt;

/// One line of a services file: `http 80/tcp www www-http # World Wide Web`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceEntry {
    /// The official name (`http`).
    pub name: String,
    /// The port number, 1 to 65535.
    pub port: u16,
    /// The protocol after the slash (`tcp`, `udp`, `sctp`, ...).
    pub protocol: String,
    /// Other names for the same service (`www`, `www-http`).
    pub aliases: Vec<String>,
}

/// A line the parser did not understand, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedLine {
    /// The line number, counting from 1.
    pub line: usize,
    /// What is wrong with it.
    pub reason: &'static str,
}

/// A whole services file: the entries in file order, and the lines that were skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Services {
    /// Every well-formed entry, in file order (so the first of two duplicates comes first).
    pub entries: Vec<ServiceEntry>,
    /// Every malformed line.
    pub skipped: Vec<SkippedLine>,
}

/// The errors of `LookupPort`, worded as Go 1.19 words them (an `*AddrError`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortError {
    /// The network is not one of tcp, tcp4, tcp6, udp, udp4, udp6 (or empty).
    UnknownNetwork(String),
    /// A number that is not a port: negative or above 65535.
    InvalidPort(String),
    /// No entry for this service name and protocol.
    UnknownPort {
        /// The network as Go reports it (`tcp`, `udp`, or `ip` for an empty network).
        network: String,
        /// The service that was looked up.
        service: String,
    },
}

impl fmt::Display for PortError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownNetwork(network) => write!(f, "address {network}: unknown network"),
            Self::InvalidPort(service) => write!(f, "address {service}: invalid port"),
            Self::UnknownPort { network, service } => {
                write!(f, "address {network}/{service}: unknown port")
            }
        }
    }
}

impl std::error::Error for PortError {}

#[cfg(test)]
mod tests {
    use super::PortError;

    #[test]
    fn each_error_reads_like_go_1_19() {
        assert_eq!(
            PortError::UnknownNetwork("ip4".into()).to_string(),
            "address ip4: unknown network"
        );
        assert_eq!(
            PortError::InvalidPort("70000".into()).to_string(),
            "address 70000: invalid port"
        );
        let unknown = PortError::UnknownPort {
            network: "ip".into(),
            service: "nosuch".into(),
        };
        assert_eq!(unknown.to_string(), "address ip/nosuch: unknown port");
    }
}
