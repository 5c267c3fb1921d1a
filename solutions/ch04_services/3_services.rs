//! Step 4.3 · `services` — the chapter's program: Newmarch's `LookupPort.go`, reading a file.
//!
//! Run it: `cargo run -- run services --solution -- tcp telnet --file tests/fixtures/services`

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Parser;
use netlings::given::services::lookup_port::lookup_port_in;
use netlings::given::services::parse_services::parse_services;
use netlings::program::Result;
use netlings::support::ports::{PortError, Services};

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

/// Reads and parses a services file. A file that cannot be read counts as empty, as in Go.
pub fn read_services(path: &Path) -> Services {
    match fs::read(path) {
        // Lossy: a stray Latin-1 byte in a comment must not lose the whole file.
        Ok(bytes) => parse_services(&String::from_utf8_lossy(&bytes)),
        // Many containers have no /etc/services at all; Go's own table still answers.
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
    // A missing file is no error, but the user asked for it: say it was not used.
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
