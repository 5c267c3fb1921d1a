//! Chapter 4 — Services and ports: Go's `LookupPort` and the services(5) file behind it.
//!
//! Run it: `netlings run services --solution -- tcp telnet --file tests/fixtures/services`

use std::fmt;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Parser;
use netlings::program::Result;

/// Find the port number of a service, the way Go's net.LookupPort does.
#[derive(Parser, Debug)]
#[command(name = "services")]
pub struct Args {
    /// tcp, tcp4, tcp6, udp, udp4 or udp6
    pub network: String,
    /// A service name such as telnet, or a port number
    pub service: String,
    /// The services(5) file to read
    #[arg(long, value_name = "PATH", default_value = DEFAULT_SERVICES)]
    pub file: PathBuf,
}

/// Where Unix systems keep the table of service names (the notes say `/etc/service`: a typo).
pub const DEFAULT_SERVICES: &str = "/etc/services";

/// The table Go compiles into every program (`net/lookup.go`), consulted when the services file
/// does not name the service: (protocol, name, port).
pub const GO_BUILTIN_SERVICES: &[(&str, &str, u16)] = &[
    ("udp", "domain", 53),
    ("tcp", "ftp", 21),
    ("tcp", "ftps", 990),
    ("tcp", "gopher", 70),
    ("tcp", "http", 80),
    ("tcp", "https", 443),
    ("tcp", "imap2", 143),
    ("tcp", "imap3", 220),
    ("tcp", "imaps", 993),
    ("tcp", "pop3", 110),
    ("tcp", "pop3s", 995),
    ("tcp", "smtp", 25),
    ("tcp", "submissions", 465),
    ("tcp", "ssh", 22),
    ("tcp", "telnet", 23),
];

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

/// The errors of [`lookup_port`], worded like Go's.
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

// ANCHOR: parse_line
/// One line of a services file: `Ok(None)` for a blank or comment-only line, `Err(reason)` for
/// a line that is not `name port/protocol [aliases...] [# comment]`.
pub fn parse_line(line: &str) -> Result<Option<ServiceEntry>, &'static str> {
    // Everything from '#' on is a comment, even right after a word.
    let content = line.split_once('#').map_or(line, |(before, _)| before);
    // split_whitespace handles any mix of tabs and spaces.
    let mut fields = content.split_whitespace();
    let Some(name) = fields.next() else {
        return Ok(None);
    };
    let port_protocol = fields.next().ok_or("a name but no port/protocol")?;
    let (port, protocol) = port_protocol
        .split_once('/')
        .ok_or("no '/' between the port and the protocol")?;
    let port = parse_file_port(port).ok_or("the port is not a number from 1 to 65535")?;
    if protocol.is_empty() {
        return Err("no protocol after the '/'");
    }
    Ok(Some(ServiceEntry {
        name: name.to_string(),
        port,
        protocol: protocol.to_string(),
        aliases: fields.map(str::to_string).collect(),
    }))
}

/// A port in a services file: decimal digits only, 1 to 65535 (port 0 means "any port" to the
/// kernel, so no service lives there).
fn parse_file_port(text: &str) -> Option<u16> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<u16>().ok().filter(|&port| port > 0)
}
// ANCHOR_END: parse_line

// ANCHOR: parse_services
/// Every line of a services file. A bad line is skipped and noted, never fatal: one typo in
/// /etc/services must not break every program on the machine.
pub fn parse_services(text: &str) -> Services {
    let mut services = Services::default();
    for (index, line) in text.lines().enumerate() {
        match parse_line(line) {
            Ok(Some(entry)) => services.entries.push(entry),
            Ok(None) => {}
            Err(reason) => services.skipped.push(SkippedLine {
                line: index + 1,
                reason,
            }),
        }
    }
    services
}
// ANCHOR_END: parse_services

// ANCHOR: parse_port
/// Go's `parsePort`: `Ok(Some(port))` for a number (an optional sign, then digits; empty is
/// port 0), `Ok(None)` for a name to look up, `Err` for a number that is not a port.
pub fn parse_port(service: &str) -> Result<Option<u16>, PortError> {
    if service.is_empty() {
        return Ok(Some(0));
    }
    let (negative, digits) = match service.as_bytes()[0] {
        b'+' => (false, &service[1..]),
        b'-' => (true, &service[1..]),
        _ => (false, service),
    };
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    // Saturate instead of overflowing: "99999999999999999999" is simply too big.
    let value = digits.bytes().fold(0u32, |n, d| {
        n.saturating_mul(10).saturating_add(u32::from(d - b'0'))
    });
    match u16::try_from(value) {
        Ok(port) if !negative || port == 0 => Ok(Some(port)),
        _ => Err(PortError::InvalidPort(service.to_string())),
    }
}
// ANCHOR_END: parse_port

// ANCHOR: lookup_port_in
/// Go's `LookupPort(network, service)` against a parsed services table, then Go's built-in
/// table. A number is a port whatever the network; a name is matched against names and aliases
/// without regard to ASCII case, and the first matching line wins (as with the C library's
/// `getservbyname`).
///
/// Networks: `tcp`, `tcp4`, `tcp6` use the tcp entries, `udp`, `udp4`, `udp6` the udp ones, and
/// `""` tries tcp then udp (and is shown as `ip` in errors). Errors: `InvalidPort` from
/// [`parse_port`], `UnknownNetwork`, `UnknownPort`.
pub fn lookup_port_in(services: &Services, network: &str, service: &str) -> Result<u16, PortError> {
    if let Some(port) = parse_port(service)? {
        return Ok(port);
    }
    // tcp and udp have separate port spaces; the 4 and 6 variants share them. With no network
    // Go tries tcp, then udp.
    let (protocols, shown): (&[&str], &str) = match network {
        "tcp" | "tcp4" | "tcp6" => (&["tcp"], "tcp"),
        "udp" | "udp4" | "udp6" => (&["udp"], "udp"),
        "" => (&["tcp", "udp"], "ip"),
        other => return Err(PortError::UnknownNetwork(other.to_string())),
    };
    for protocol in protocols {
        if let Some(port) =
            find_in_file(services, protocol, service).or_else(|| find_builtin(protocol, service))
        {
            return Ok(port);
        }
    }
    Err(PortError::UnknownPort {
        network: shown.to_string(),
        service: service.to_string(),
    })
}

fn find_in_file(services: &Services, protocol: &str, service: &str) -> Option<u16> {
    services
        .entries
        .iter()
        .filter(|entry| entry.protocol == protocol)
        .find(|entry| {
            entry.name.eq_ignore_ascii_case(service)
                || entry
                    .aliases
                    .iter()
                    .any(|alias| alias.eq_ignore_ascii_case(service))
        })
        .map(|entry| entry.port)
}

fn find_builtin(protocol: &str, service: &str) -> Option<u16> {
    GO_BUILTIN_SERVICES
        .iter()
        .find(|(p, name, _)| *p == protocol && name.eq_ignore_ascii_case(service))
        .map(|(_, _, port)| *port)
}
// ANCHOR_END: lookup_port_in

// ANCHOR: lookup_port
/// Reads and parses a services file. A file that cannot be read counts as empty, as in Go:
/// many containers have no /etc/services at all.
pub fn read_services(path: &Path) -> Services {
    match fs::read(path) {
        // Lossy: a stray Latin-1 byte in a comment must not lose the whole file.
        Ok(bytes) => parse_services(&String::from_utf8_lossy(&bytes)),
        Err(_) => Services::default(),
    }
}

/// `LookupPort` with the services file at `path`.
pub fn lookup_port_with(path: &Path, network: &str, service: &str) -> Result<u16, PortError> {
    lookup_port_in(&read_services(path), network, service)
}

/// Go's `LookupPort(network, service)`, reading /etc/services.
pub fn lookup_port(network: &str, service: &str) -> Result<u16, PortError> {
    lookup_port_with(Path::new(DEFAULT_SERVICES), network, service)
}
// ANCHOR_END: lookup_port

// ANCHOR: run
/// Prints the port of the service, like Newmarch's LookupPort.go.
pub fn run(args: Args, out: &mut dyn Write) -> Result {
    if let Err(e) = fs::metadata(&args.file) {
        writeln!(
            out,
            "note: cannot read {}: {e}; using Go's built-in table only",
            args.file.display()
        )?;
    }
    let port = lookup_port_with(&args.file, &args.network, &args.service)?;
    writeln!(out, "Service port {port}")?;
    Ok(())
}
// ANCHOR_END: run

fn main() -> std::process::ExitCode {
    netlings::program::main(run)
}
