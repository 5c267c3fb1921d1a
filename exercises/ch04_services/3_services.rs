//! Step 4.3 · `services` — the chapter's program: Newmarch's `LookupPort.go`, reading a file.
//!
//! Read: chapter 4, "Step 3" (book/src/ch04_services.md).   Check: `cargo run -- check services`
//! Run: `cargo run -- run services -- tcp telnet --file tests/fixtures/services`
//!
//! Steps 1 and 2 are given (from `netlings::given::services`), so this step works even if you
//! skipped them. You write `read_services` and `run`.

// Your code will use these imports and parameters; until it does, some are unused.
#![allow(unused_imports, unused_variables)]

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::Parser;
use netlings::given::services::lookup_port::lookup_port_in;
use netlings::given::services::parse_services::parse_services;
use netlings::program::Result;
use netlings::support::files::read_bounded;
use netlings::support::ports::{PortError, Services};
use netlings::support::services::MAX_SERVICES_FILE;

/// Find the port of a service, the way Go's net.LookupPort does.
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

// ANCHOR: read_services
/// Reads and parses the services file at `path`, never trusting the path: at most
/// `MAX_SERVICES_FILE` bytes, from a regular file only (a FIFO would block forever, `/dev/zero`
/// never ends; `read_bounded` refuses both). A byte that is not UTF-8 (a stray Latin-1 letter
/// in a comment) must not lose the whole file. The error says why the file cannot be used.
pub fn read_services(path: &Path) -> io::Result<Services> {
    // TODO: read_bounded the bytes; parse them with parse_services.
    todo!("read_services({})", path.display())
}
// ANCHOR_END: read_services

/// `LookupPort` with the services file at `path`; a file that cannot be used counts as empty,
/// as it does for Go.
pub fn lookup_port_with(path: &Path, network: &str, service: &str) -> Result<u16, PortError> {
    lookup_port_in(&read_services(path).unwrap_or_default(), network, service)
}

/// Go's `LookupPort(network, service)`, reading /etc/services.
pub fn lookup_port(network: &str, service: &str) -> Result<u16, PortError> {
    lookup_port_with(Path::new(DEFAULT_SERVICES), network, service)
}

// ANCHOR: run
/// Prints the port of the service, like Newmarch's LookupPort.go: `Service port 23`. When
/// `args.file` cannot be used (`read_services` fails) it first prints a note with the reason,
/// then answers from Go's table alone, so `services tcp https --file /nonexistent` prints
/// exactly:
///
/// ```text
/// note: cannot read /nonexistent: No such file or directory (os error 2); using Go's built-in table only
/// Service port 443
/// ```
///
/// A failed lookup is the program's error (`address udp/quake: unknown port`).
pub fn run(args: Args, out: &mut dyn Write) -> Result {
    // TODO: read_services, or a note and an empty table; then lookup_port_in.
    todo!("run({args:?})")
}
// ANCHOR_END: run

fn main() -> std::process::ExitCode {
    netlings::program::main(run)
}
