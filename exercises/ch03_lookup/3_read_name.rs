//! Step 3.3 · `read-name` — names on the wire and compression pointers (RFC 1035 §4.1.4).
//!
//! Read: chapter 3, "Step 3" (book/src/ch03_lookup.md).   Check: `cargo run -- check read-name`
//!
//! The bytes come from the network: whoever can send you a datagram chooses them. Your
//! function must return an error, never panic or loop, whatever they are.

// Your code will use these imports; until it does, they are unused.
#![allow(unused_imports)]

use netlings::support::dns::{MAX_NAME, WireError};

// ANCHOR: contract
/// The name that starts at `start` in `message`, following compression pointers, and the offset
/// just after it (after the first pointer, if there was one). Labels are joined with dots, with
/// no trailing dot; the root alone is `"."`.
///
/// Errors: `Truncated` when the message ends inside the name; `BadLabelType` for a length byte
/// starting with bits 01 or 10; `BadPointer` for a pointer that does not jump strictly below
/// both `start` and every earlier pointer's target (this rules out loops and forward jumps);
/// `NameTooLong` once the name passes 255 bytes on the wire.
pub fn read_name(message: &[u8], start: usize) -> Result<(String, usize), WireError> {
    // TODO: read labels until the zero byte; a length byte with the top two bits set (0xC0) is
    // a pointer: 14 bits of offset. Check every index with `.get()`, and make sure a pointer
    // can never lead back to where you have been.
    todo!("read_name({} bytes, {start})", message.len())
}
// ANCHOR_END: contract
