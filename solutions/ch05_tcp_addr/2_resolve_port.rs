//! Step 5.2 · `resolve-port` — the port of a TCP address: a number, or a service name.

use netlings::support::tcp_addr::{AddrError, PortNames};

/// The port written after the colon: a number (Go allows one sign; empty is 0) or a service
/// name looked up for TCP in `names`.
pub fn resolve_port(port: &str, names: &dyn PortNames) -> Result<u16, AddrError> {
    let digits = port.strip_prefix(['+', '-']).unwrap_or(port);
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return names
            .port("tcp", port)
            .ok_or_else(|| AddrError::UnknownPort(port.to_string()));
    }
    if digits.is_empty() {
        return Ok(0);
    }
    // Too many digits for a u16 fails to parse: no overflow to worry about.
    let invalid = || AddrError::InvalidPort(port.to_string());
    let value: u16 = digits.parse().map_err(|_| invalid())?;
    if port.starts_with('-') && value != 0 {
        return Err(invalid());
    }
    Ok(value)
}
