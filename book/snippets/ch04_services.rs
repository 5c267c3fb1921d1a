//! Snippets for chapter 4, compiled and run by `cargo test` (tests/book.rs).

use std::collections::HashMap;
use std::net::ToSocketAddrs;

#[test]
fn std_refuses_names() {
    // ANCHOR: std_refuses_names
    // Go's net.Dial("tcp", "127.0.0.1:ssh") looks "ssh" up; std only takes numbers.
    let err = "127.0.0.1:ssh".to_socket_addrs().unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    assert!("127.0.0.1:22".to_socket_addrs().is_ok());
    // ANCHOR_END: std_refuses_names
}

#[test]
fn hosts_line() {
    // ANCHOR: hosts_line
    // /etc/hosts has the same shape as services(5): fields, then an optional comment.
    let line = "127.0.1.1\tbuild-box  build\t# this machine";
    let content = match line.find('#') {
        Some(at) => &line[..at],
        None => line,
    };
    // split_whitespace deals with any mix of tabs and spaces, and skips the empty strings
    // that split(' ') would give between two blanks.
    let mut fields = content.split_whitespace();
    assert_eq!(fields.next(), Some("127.0.1.1"));
    let names: Vec<&str> = fields.collect(); // what is left of the iterator
    assert_eq!(names, ["build-box", "build"]);
    // A blank line has no fields at all.
    assert_eq!("   \t ".split_whitespace().next(), None);
    // ANCHOR_END: hosts_line
}

#[test]
fn strict_numbers() {
    // ANCHOR: strict_numbers
    // Rust's integer parser takes a leading '+'; a file format may not.
    assert_eq!("+5".parse::<u16>(), Ok(5));
    assert!("0x50".parse::<u16>().is_err());
    assert!("70000".parse::<u16>().is_err()); // too big for a u16: an error, not a wrap
    let digits_only = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    assert!(!digits_only("+5"));
    assert!(digits_only("80"));
    // Line numbers: enumerate() counts from 0, people count from 1.
    let numbered: Vec<(usize, &str)> = "a\nb".lines().enumerate().collect();
    assert_eq!(numbered, [(0, "a"), (1, "b")]);
    // ANCHOR_END: strict_numbers
}

#[test]
fn saturating() {
    // ANCHOR: saturating
    // Checked arithmetic says "overflow" with None; saturating arithmetic sticks at the limit,
    // and stays there however much more comes.
    assert_eq!(u32::MAX.checked_mul(10), None);
    assert_eq!(u32::MAX.saturating_mul(10), u32::MAX);
    assert_eq!(u32::MAX.saturating_mul(10).saturating_add(9), u32::MAX);
    // A u32 that does not fit a u16 is an error, not a wrap.
    assert!(u16::try_from(70_000u32).is_err());
    // One leading sign, at most:
    assert_eq!("-7".strip_prefix(['+', '-']), Some("7"));
    assert_eq!("--7".strip_prefix(['+', '-']), Some("-7"));
    // ANCHOR_END: saturating
}

#[test]
fn first_answer() {
    // ANCHOR: first_answer
    // The user's table first, the built-in one for what it lacks; names in any case.
    let user = [("Teal", "#008080")];
    let builtin = HashMap::from([("red", "#ff0000"), ("teal", "#00ffff")]);
    let color = |name: &str| {
        user.iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, hex)| *hex)
            .or_else(|| builtin.get(name.to_ascii_lowercase().as_str()).copied())
    };
    assert_eq!(color("TEAL"), Some("#008080")); // the user's table wins
    assert_eq!(color("Red"), Some("#ff0000")); // the built-in table fills the gap
    assert_eq!(color("mauve"), None);
    // ANCHOR_END: first_answer
}

#[test]
fn lossy() {
    // ANCHOR: lossy
    // "café" written by an old editor in Latin-1: 0xe9 alone is not UTF-8.
    let bytes = b"caf\xe9 80/tcp".to_vec();
    assert!(String::from_utf8(bytes.clone()).is_err()); // strict: the whole text is refused
    // Lossy: the bad byte becomes U+FFFD and the rest survives.
    assert_eq!(String::from_utf8_lossy(&bytes), "caf\u{fffd} 80/tcp");
    // A file that is not there is an error you can look at, and then decide about.
    let err = std::fs::read("/no/such/services").unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::NotFound);
    // ANCHOR_END: lossy
}
