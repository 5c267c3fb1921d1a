//! Step 4.1 · `parse-services` — reading a services(5) file, line by line.

use netlings::support::ports::{ServiceEntry, Services, SkippedLine};

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
    // `u16::from_str` alone would take "+5".
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<u16>().ok().filter(|&port| port > 0)
}

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
