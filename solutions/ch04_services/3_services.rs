//! Step 4.3 · `services` — the chapter's program: Newmarch's `LookupPort.go`, reading a file.
//!
//! Run it: `cargo run -- run services --solution -- tcp telnet --file tests/fixtures/services`

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

/// Reads and parses a services file: at most `MAX_SERVICES_FILE` bytes of a regular file.
pub fn read_services(path: &Path) -> io::Result<Services> {
    // A user-named path can be a FIFO (the open blocks forever) or /dev/zero (the read never
    // ends): `read_bounded` refuses what is not a regular file and stops at the limit.
    let bytes = read_bounded(path, MAX_SERVICES_FILE)?;
    // Lossy: a stray Latin-1 byte in a comment must not lose the whole file.
    Ok(parse_services(&String::from_utf8_lossy(&bytes)))
}

/// `LookupPort` with the services file at `path`; a file that cannot be used counts as empty,
/// as it does for Go.
pub fn lookup_port_with(path: &Path, network: &str, service: &str) -> Result<u16, PortError> {
    lookup_port_in(&read_services(path).unwrap_or_default(), network, service)
}

/// Go's `LookupPort(network, service)`, reading /etc/services.
pub fn lookup_port(network: &str, service: &str) -> Result<u16, PortError> {
    lookup_port_with(Path::new(DEFAULT_SERVICES), network, service)
}

/// Prints the port of the service, like Newmarch's LookupPort.go.
pub fn run(args: Args, out: &mut dyn Write) -> Result {
    // A file that cannot be used is no error (Go answers from its own table; many containers
    // have no /etc/services), but the user named it: say why it was not used.
    let services = match read_services(&args.file) {
        Ok(services) => services,
        Err(e) => {
            let file = args.file.display();
            writeln!(
                out,
                "note: cannot read {file}: {e}; using Go's built-in table only"
            )?;
            Services::default()
        }
    };
    let port = lookup_port_in(&services, &args.network, &args.service)?;
    writeln!(out, "Service port {port}")?;
    Ok(())
}

fn main() -> std::process::ExitCode {
    netlings::program::main(run)
}
