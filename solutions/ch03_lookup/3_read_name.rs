//! Step 3.3 · `read-name` — names on the wire and compression pointers (RFC 1035 §4.1.4).

use std::fmt::Write as _;

use netlings::support::dns::{MAX_NAME, WireError};

/// The name that starts at `start` in `message`, following compression pointers, and the offset
/// just after it (after the first pointer, if there was one). Labels are joined with dots, with
/// no trailing dot; the root alone is `"."`.
///
/// Errors: `Truncated` when the message ends inside the name; `BadLabelType` for a length byte
/// starting with bits 01 or 10; `BadPointer` for a pointer that does not jump strictly below
/// both `start` and every earlier pointer's target (this rules out loops and forward jumps);
/// `NameTooLong` once the name passes 255 bytes on the wire.
pub fn read_name(message: &[u8], start: usize) -> Result<(String, usize), WireError> {
    let mut name = String::new();
    let mut at = start;
    let mut end = None; // where the name ends in place, once we have jumped away
    let mut wire_len = 0;
    // Each pointer must jump before the name's start and before the previous pointer's
    // target: the targets strictly decrease, so a loop is impossible and the walk ends.
    let mut lowest = start;
    loop {
        let len = *message.get(at).ok_or(WireError::Truncated)?;
        // The top two bits of a length byte say what it is: 00 a label, 11 a pointer.
        match len >> 6 {
            0b00 if len == 0 => {
                let end = end.unwrap_or(at + 1);
                if name.is_empty() {
                    name.push('.');
                }
                return Ok((name, end));
            }
            0b00 => {
                let len = usize::from(len);
                let label = message
                    .get(at + 1..at + 1 + len)
                    .ok_or(WireError::Truncated)?;
                // The length byte and the label, plus 1 for the root still to come.
                wire_len += 1 + len;
                if wire_len + 1 > MAX_NAME {
                    return Err(WireError::NameTooLong);
                }
                if !name.is_empty() {
                    name.push('.');
                }
                push_label(&mut name, label);
                at += 1 + len;
            }
            0b11 => {
                let low = *message.get(at + 1).ok_or(WireError::Truncated)?;
                let target = usize::from(u16::from_be_bytes([len & 0x3F, low]));
                if target >= lowest {
                    return Err(WireError::BadPointer);
                }
                end.get_or_insert(at + 2);
                lowest = target;
                at = target;
            }
            _ => return Err(WireError::BadLabelType(len)),
        }
    }
}

/// Appends a label as text; bytes that would be ambiguous or unprintable are written `\DDD`
/// in decimal, as `dig` does.
fn push_label(name: &mut String, label: &[u8]) {
    for &b in label {
        if b.is_ascii_graphic() && b != b'.' && b != b'\\' {
            name.push(char::from(b));
        } else {
            // Writing to a String cannot fail.
            let _ = write!(name, "\\{b:03}");
        }
    }
}
