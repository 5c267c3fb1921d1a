//! Step 4.1 · `parse-services` — reading a services(5) file, line by line.
//!
//! Read: chapter 4, "Step 1" (book/src/ch04_services.md).
//! Check: `cargo run -- check parse-services`
//!
//! The types come from the library (`netlings::support::ports`): `ServiceEntry` (one line),
//! `SkippedLine` (a line number and a reason) and `Services` (the whole file).

// Your code will use these imports; until it does, some are unused.
#![allow(unused_imports)]

use netlings::support::ports::{ServiceEntry, Services, SkippedLine};

// ANCHOR: contract
/// One line of a services file: `Ok(Some(entry))` for `name port/protocol [aliases...]`,
/// `Ok(None)` for a blank or comment-only line, `Err(reason)` for any other line.
///
/// - A `#` starts a comment that runs to the end of the line, even right after a word.
/// - Fields are separated by any mix of spaces and tabs.
/// - The port is decimal digits only, 1 to 65535: no sign, no `0x`, not 0.
///
/// The reasons, checked in this order, word for word: `"a name but no port/protocol"`,
/// `"no '/' between the port and the protocol"`, `"the port is not a number from 1 to
/// 65535"`, `"no protocol after the '/'"`.
pub fn parse_line(line: &str) -> Result<Option<ServiceEntry>, &'static str> {
    // TODO: cut the comment, split on whitespace, then name, "port/protocol", aliases.
    todo!("parse_line({line:?})")
}

/// Every line of a services file: each entry in `entries`, in file order, and for each bad
/// line a `SkippedLine` with its number (from 1) and `parse_line`'s reason. A bad line is
/// never fatal: one typo in /etc/services must not break every program on the machine.
pub fn parse_services(text: &str) -> Services {
    // TODO: parse_line on every line.
    todo!("parse_services({} bytes)", text.len())
}
// ANCHOR_END: contract
