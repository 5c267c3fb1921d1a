//! Step 3.2 · `encode-query` — a DNS question, byte by byte (RFC 1035 §4.1).
//!
//! Read: chapter 3, "Step 2" (book/src/ch03_lookup.md).   Check: `cargo run -- check encode-query`
//!
//! The views `Header` and `QuestionFields`, the `flags` and the limits come from the library
//! (`netlings::support::dns`): they know where each field lives, so you never count bytes.

// Your code will use these imports; until it does, they are unused.
#![allow(unused_imports)]

use netlings::support::dns::{
    CLASS_IN, HEADER_LEN, Header, MAX_LABEL, MAX_NAME, QUESTION_LEN, QuestionFields, RecordType,
    WireError, flags, name_labels,
};

// ANCHOR: contract
/// A query for `name` and `record_type` with the given id: the header (flags: only RD, "recurse
/// for me"; one question), the name as labels, then the type and class IN. `name` is text in
/// presentation format, as `dig` reads it: `name_labels` (given) splits it into labels and
/// reads its escapes (`\.` is a dot inside a label, `\032` a space), so that the name you send
/// is the one `same_name` later compares with the server's echo of it.
///
/// Errors: those of `name_labels` (`EmptyLabel` for `a..b` or `.a`, `BadEscape`),
/// `LabelTooLong` (over 63 bytes), `NameTooLong` (over 255 bytes on the wire, length bytes and
/// the root's zero included). A trailing dot is optional.
pub fn encode_query(id: u16, name: &str, record_type: RecordType) -> Result<Vec<u8>, WireError> {
    // TODO: HEADER_LEN zero bytes, filled through `Header::new_checked(&mut message[..])`; then
    // each label of `name_labels(name)?` (a length byte, then the bytes) and a zero byte; then
    // QUESTION_LEN bytes filled through `QuestionFields`.
    todo!("encode_query({id}, {name:?}, {record_type})")
}
// ANCHOR_END: contract
