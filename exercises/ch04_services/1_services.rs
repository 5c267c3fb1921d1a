//! Chapter 4 — Services and ports: Go's `LookupPort` and the services(5) file behind it.
//!
//! Read: book chapter 4 (`mdbook serve book`, or book/src/ch04_services.md).
//! Check: `cargo run -- check services`
//! Run: `cargo run -- run services -- tcp telnet --file tests/fixtures/services`
//!
//! Fill in the four functions marked TODO; reading the file and `run` are written for you.

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

/// One line of a services file: `Ok(None)` for a blank or comment-only line, `Err(reason)` for
/// a line that is not `name port/protocol [aliases...] [# comment]`.
pub fn parse_line(line: &str) -> Result<Option<ServiceEntry>, &'static str> {
    // TODO: cut the comment at '#', split on whitespace (tabs or spaces), then name,
    // "port/protocol", aliases. Each way a line can be wrong has its own reason text: see the
    // snapshot in tests/snapshots/ch04_services__parse_line_handles_every_shape_of_line.snap.
    todo!("parse_line({line:?})")
}

/// Every line of a services file. A bad line is skipped and noted, never fatal: one typo in
/// /etc/services must not break every program on the machine.
pub fn parse_services(text: &str) -> Services {
    // TODO: parse_line on every line; line numbers count from 1.
    todo!("parse_services({} bytes)", text.len())
}

/// Go's `parsePort`: `Ok(Some(port))` for a number (an optional sign, then digits; empty is
/// port 0), `Ok(None)` for a name to look up, `Err` for a number that is not a port.
pub fn parse_port(service: &str) -> Result<Option<u16>, PortError> {
    // TODO: "" is 0; strip one '+' or '-'; all digits left means a number (range-check it,
    // without overflowing on long inputs); anything else is a name.
    todo!("parse_port({service:?})")
}

/// Go's `LookupPort(network, service)` against a parsed services table, then Go's built-in
/// table. A number is a port whatever the network; a name is matched against names and aliases
/// without regard to ASCII case, and the first matching line wins (as with the C library's
/// `getservbyname`).
///
/// Networks: `tcp`, `tcp4`, `tcp6` use the tcp entries, `udp`, `udp4`, `udp6` the udp ones, and
/// `""` tries tcp then udp (and is shown as `ip` in errors). Errors: `InvalidPort` from
/// [`parse_port`], `UnknownNetwork`, `UnknownPort`.
pub fn lookup_port_in(services: &Services, network: &str, service: &str) -> Result<u16, PortError> {
    // TODO: numbers first (parse_port), then the network (tcp4/tcp6 are tcp, udp4/udp6 are udp,
    // "" tries tcp then udp), then the file's entries, then GO_BUILTIN_SERVICES.
    todo!(
        "lookup_port_in({} entries, {network:?}, {service:?})",
        services.entries.len()
    )
}

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

fn main() -> std::process::ExitCode {
    netlings::program::main(run)
}
