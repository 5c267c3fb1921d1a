//! TCP addresses (chapter 5): what `ResolveTCPAddr` is given and what it can say.
//!
//! - [`PortNames`]: where a service name's port comes from. The chapter's code asks it rather
//!   than a file, so it works without chapter 4 and the tests can hand it a fixture.
//! - [`AddrError`]: every way resolving can fail, most in Go's words.
//! - [`Family`]: which address families a network allows (`tcp4`: IPv4 only).
//! - [`interface_index`]: the number the kernel gives a network interface, which an IPv6
//!   socket address needs for a zone such as `%lo`.
//!
//! ```
//! use std::net::IpAddr;
//! use netlings::support::tcp_addr::{AddrError, Family};
//!
//! let v4: IpAddr = "127.0.0.1".parse().unwrap();
//! assert_eq!(Family::of_tcp_network("tcp6"), Some(Family::V6));
//! assert!(!Family::V6.allows(v4));
//! assert_eq!(Family::of_tcp_network("ip4"), None); // not a TCP network
//! assert_eq!(AddrError::UnknownNetwork("ip4".into()).to_string(), "unknown network ip4");
//! ```

use std::ffi::CString;
use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::OnceLock;

use crate::support::services::ServicesTable;

/// Where a service name's port comes from: `names.port("tcp", "http")` is `Some(80)` for a
/// table that knows http.
pub trait PortNames {
    /// The port of service `name` over `protocol` (`tcp`), if there is one.
    fn port(&self, protocol: &str, name: &str) -> Option<u16>;
}

/// The services file at a path, read the first time a name is asked for, so a numeric port
/// never opens it; Go's built-in table fills the gaps, and answers alone when the file cannot be
/// read (as in Go).
#[derive(Debug)]
pub struct ServicesFile {
    path: PathBuf,
    table: OnceLock<ServicesTable>,
}

impl ServicesFile {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            table: OnceLock::new(),
        }
    }
}

impl PortNames for ServicesFile {
    fn port(&self, protocol: &str, name: &str) -> Option<u16> {
        self.table
            .get_or_init(|| ServicesTable::file_then_go_builtin(&self.path))
            .port(protocol, name)
    }
}

/// A services(5) table answers by name or alias, in any ASCII case.
impl PortNames for ServicesTable {
    fn port(&self, protocol: &str, name: &str) -> Option<u16> {
        ServicesTable::port(self, protocol, name)
    }
}

/// The errors of resolving a TCP address; most read like Go's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddrError {
    /// The network is not tcp, tcp4 or tcp6.
    UnknownNetwork(String),
    /// The address cannot be split into host and port; `problem` is Go's wording.
    Syntax {
        /// The whole address.
        address: String,
        /// What is wrong: "missing port in address", "too many colons in address", ...
        problem: &'static str,
    },
    /// The port is a number outside 0..=65535.
    InvalidPort(String),
    /// The port is a name the services table does not have.
    UnknownPort(String),
    /// Brackets around something that is not an IPv6 address.
    BracketsWithoutIpv6(String),
    /// A `%zone` on something that is not an IPv6 address.
    ZoneWithoutIpv6(String),
    /// A zone that is neither a number nor the name of a network interface here.
    UnknownZone(String),
    /// The host has addresses, but none of the network's family.
    NoSuitableAddress {
        /// The host.
        host: String,
        /// The network.
        network: String,
    },
    /// The system resolver failed.
    Lookup {
        /// The host.
        host: String,
        /// What the resolver said.
        reason: String,
    },
}

impl fmt::Display for AddrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownNetwork(n) => write!(f, "unknown network {n}"),
            Self::Syntax { address, problem } => write!(f, "address {address}: {problem}"),
            Self::InvalidPort(p) => write!(f, "address {p}: invalid port"),
            Self::UnknownPort(p) => write!(f, "address tcp/{p}: unknown port"),
            Self::BracketsWithoutIpv6(h) => {
                write!(f, "address [{h}]: brackets are only for IPv6 addresses")
            }
            Self::ZoneWithoutIpv6(h) => write!(f, "address {h}: only an IPv6 address has a zone"),
            Self::UnknownZone(z) => write!(f, "zone {z}: no network interface has this name"),
            Self::NoSuitableAddress { host, network } => {
                write!(f, "address {host}: no suitable address found for {network}")
            }
            Self::Lookup { host, reason } => write!(f, "lookup {host}: {reason}"),
        }
    }
}

impl std::error::Error for AddrError {}

/// Which address families a TCP network allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// `tcp` (or `""`, Go's old wildcard): IPv4 or IPv6.
    Any,
    /// `tcp4`: IPv4 only.
    V4,
    /// `tcp6`: IPv6 only.
    V6,
}

impl Family {
    /// The family of a TCP network: `tcp` and `""` allow either, `tcp4` and `tcp6` one. `None`
    /// for anything else (`udp`, `ip4`, `TCP`): not a TCP network.
    pub fn of_tcp_network(network: &str) -> Option<Family> {
        match network {
            "tcp" | "" => Some(Family::Any),
            "tcp4" => Some(Family::V4),
            "tcp6" => Some(Family::V6),
            _ => None,
        }
    }

    /// Whether an address of `ip`'s family is allowed. (An IPv4-mapped IPv6 address is IPv6
    /// here: make it canonical first if it should count as IPv4.)
    pub fn allows(self, ip: IpAddr) -> bool {
        match self {
            Family::Any => true,
            Family::V4 => ip.is_ipv4(),
            Family::V6 => ip.is_ipv6(),
        }
    }
}

/// The index of the network interface called `name` (`lo` is usually 1), from the kernel's
/// `if_nametoindex`; `None` if no interface has that name. Go keeps zones as names; a socket
/// address needs the number.
pub fn interface_index(name: &str) -> Option<u32> {
    let name = CString::new(name).ok()?;
    // SAFETY: `name` is a valid NUL-terminated string that outlives the call.
    let index = unsafe { libc::if_nametoindex(name.as_ptr()) };
    (index != 0).then_some(index)
}

#[cfg(test)]
mod tests {
    use std::net::IpAddr;

    use super::{AddrError, Family, PortNames, ServicesFile, interface_index};
    use crate::support::services::ServicesTable;
    use crate::support::tempdir::TempDir;

    #[test]
    fn a_services_file_is_read_once_and_only_when_a_name_is_asked_for() {
        let dir = TempDir::new("svc").expect("a temporary directory");
        let path = dir.join("services");
        std::fs::write(&path, "http 8080/tcp\n").expect("writable");
        let names = ServicesFile::new(&path);
        // Not read yet: what the file says at the first question is what counts...
        std::fs::write(&path, "http 9090/tcp\n").expect("writable");
        assert_eq!(names.port("tcp", "http"), Some(9090));
        // ...and only then.
        std::fs::write(&path, "http 7070/tcp\n").expect("writable");
        assert_eq!(names.port("tcp", "http"), Some(9090));
        // A file that cannot be used leaves Go's table.
        assert_eq!(ServicesFile::new("/dev/zero").port("tcp", "ssh"), Some(22));
    }

    #[test]
    fn a_services_table_gives_port_names() {
        let table = ServicesTable::from_text("http 80/tcp www\n");
        let names: &dyn PortNames = &table;
        assert_eq!(names.port("tcp", "WWW"), Some(80));
        assert_eq!(names.port("udp", "http"), None);
    }

    #[test]
    fn each_tcp_network_has_its_family_and_nothing_else_is_one() {
        assert_eq!(Family::of_tcp_network("tcp"), Some(Family::Any));
        assert_eq!(Family::of_tcp_network(""), Some(Family::Any));
        assert_eq!(Family::of_tcp_network("tcp4"), Some(Family::V4));
        assert_eq!(Family::of_tcp_network("tcp6"), Some(Family::V6));
        for other in ["udp", "ip4", "TCP", "tcp5", "unix"] {
            assert_eq!(Family::of_tcp_network(other), None, "{other}");
        }
        let v4: IpAddr = "10.0.0.1".parse().unwrap();
        let v6: IpAddr = "::1".parse().unwrap();
        assert!(Family::Any.allows(v4) && Family::Any.allows(v6));
        assert!(Family::V4.allows(v4) && !Family::V4.allows(v6));
        assert!(Family::V6.allows(v6) && !Family::V6.allows(v4));
    }

    #[test]
    fn errors_read_like_go() {
        let syntax = AddrError::Syntax {
            address: "::1:80".into(),
            problem: "too many colons in address",
        };
        assert_eq!(
            syntax.to_string(),
            "address ::1:80: too many colons in address"
        );
        assert_eq!(
            AddrError::UnknownPort("nosuch".into()).to_string(),
            "address tcp/nosuch: unknown port"
        );
        let none = AddrError::NoSuitableAddress {
            host: "::1".into(),
            network: "tcp4".into(),
        };
        assert_eq!(
            none.to_string(),
            "address ::1: no suitable address found for tcp4"
        );
    }

    #[test]
    fn interface_index_knows_loopback_and_not_a_made_up_name() {
        assert!(interface_index("lo").is_some_and(|i| i > 0));
        assert_eq!(interface_index("no-such-interface"), None);
        assert_eq!(interface_index("lo\0"), None); // not a C string
    }
}
