//! Step 5.1 · `split-host-port` — Go's `SplitHostPort`: where the host ends and the port begins.

use netlings::support::tcp_addr::AddrError;

/// Go's `SplitHostPort`: `host:port`, `[host]:port` or `[host%zone]:port` into host (brackets
/// removed) and port. Neither part is checked beyond the punctuation.
pub fn split_host_port(address: &str) -> Result<(&str, &str), AddrError> {
    let fail = |problem| AddrError::Syntax {
        address: address.to_string(),
        problem,
    };
    // The port is whatever follows the last colon.
    let colon = address.rfind(':').ok_or(fail("missing port in address"))?;
    let (host, after_host) = if let Some(rest) = address.strip_prefix('[') {
        // An IPv6 host has colons of its own: the brackets say where it ends.
        let end = 1 + rest.find(']').ok_or(fail("missing ']' in address"))?;
        if end + 1 == address.len() {
            return Err(fail("missing port in address"));
        }
        if end + 1 != colon {
            let next_is_colon = address.as_bytes()[end + 1] == b':';
            return Err(fail(if next_is_colon {
                "too many colons in address"
            } else {
                "missing port in address"
            }));
        }
        (&address[1..end], end + 1)
    } else {
        let host = &address[..colon];
        if host.contains(':') {
            return Err(fail("too many colons in address"));
        }
        (host, 0)
    };
    // Brackets anywhere else are stray: a second '[', or a ']' after the host.
    let opening_from = usize::from(address.starts_with('['));
    if address[opening_from..].contains('[') {
        return Err(fail("unexpected '[' in address"));
    }
    if address[after_host..].contains(']') {
        return Err(fail("unexpected ']' in address"));
    }
    Ok((host, &address[colon + 1..]))
}
