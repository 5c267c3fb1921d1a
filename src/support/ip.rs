//! IP address texts (chapter 1).

/// Why `s` is not an IP address, for a text that `parse_ip` rejected: the first problem found,
/// in words a learner can act on, pointing at the chapter that handles what `s` really is (a
/// host name, a TCP address, a CIDR prefix).
///
/// ```
/// use netlings::support::ip::why_invalid;
/// assert_eq!(why_invalid("127.0.0.1:80"), "has a port: that is a TCP or UDP address (chapter 5)");
/// assert_eq!(why_invalid("010.0.0.1"), "an IPv4 part has a leading zero");
/// ```
pub fn why_invalid(s: &str) -> &'static str {
    if s.is_empty() {
        return "empty";
    }
    if s.contains('%') {
        return "has a zone: zones belong to IPAddr (chapter 3), not to an IP";
    }
    if s.starts_with('[') {
        return "has brackets: they only wrap an IPv6 address in host:port";
    }
    if s.contains('/') {
        return "has a prefix length: that is CIDR notation (chapter 2)";
    }
    if s.contains('.') && s.matches(':').count() == 1 {
        return "has a port: that is a TCP or UDP address (chapter 5)";
    }
    if s.contains(':') {
        return "not a valid IPv6 address";
    }
    if s.bytes().any(|b| b.is_ascii_alphabetic()) {
        return "a host name, not an address: resolve it first (chapter 3)";
    }
    if !s.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return "not an IP address";
    }
    let parts: Vec<&str> = s.split('.').collect();
    if parts.len() != 4 {
        return "an IPv4 address has exactly four parts";
    }
    if parts.iter().any(|p| p.is_empty()) {
        return "an IPv4 part is empty";
    }
    if parts.iter().any(|p| p.len() > 1 && p.starts_with('0')) {
        // 010 is 8 to inet_aton (octal) and 10 to a human: Go 1.17+ and Rust refuse to guess.
        return "an IPv4 part has a leading zero";
    }
    // Four non-empty runs of digits that do not parse: one is too big. Nothing here parses the
    // digits, so a part of any length ("99999999999") is no overflow.
    "an IPv4 part is greater than 255"
}

#[cfg(test)]
mod tests {
    use super::why_invalid;
    use crate::harness::Rng;

    #[test]
    fn each_reason_is_found_first_for_its_kind_of_text() {
        let cases = [
            ("", "empty"),
            (
                "fe80::1%eth0",
                "has a zone: zones belong to IPAddr (chapter 3), not to an IP",
            ),
            (
                "[::1]",
                "has brackets: they only wrap an IPv6 address in host:port",
            ),
            (
                "10.0.0.0/8",
                "has a prefix length: that is CIDR notation (chapter 2)",
            ),
            (
                "127.0.0.1:80",
                "has a port: that is a TCP or UDP address (chapter 5)",
            ),
            ("1:2:3:4:5:6:7:8:9", "not a valid IPv6 address"),
            (
                "localhost",
                "a host name, not an address: resolve it first (chapter 3)",
            ),
            (" 1.2.3.4", "not an IP address"),
            ("1.2.3", "an IPv4 address has exactly four parts"),
            ("1..2.3", "an IPv4 part is empty"),
            ("010.0.0.1", "an IPv4 part has a leading zero"),
            ("256.0.0.1", "an IPv4 part is greater than 255"),
            ("1.2.3.99999999999", "an IPv4 part is greater than 255"),
        ];
        for (text, reason) in cases {
            assert_eq!(why_invalid(text), reason, "why_invalid({text:?})");
        }
    }

    #[test]
    fn no_text_makes_it_panic() {
        let mut rng = Rng::new(7);
        for _ in 0..20_000 {
            let s = rng.string("0123456789abcdef.:%[]/ x", 24);
            assert!(!why_invalid(&s).is_empty(), "why_invalid({s:?})");
        }
    }
}
