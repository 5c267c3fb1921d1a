//! Step 3.4 · `parse-response` — a whole answer: header, question, records (RFC 1035 §4.1).
//!
//! Read: chapter 3, "Step 4" (book/src/ch03_lookup.md).   Check: `cargo run -- check parse-response`
//!
//! `read_name` is given (step 3's reference, from `netlings::given`); the views, the decoded
//! types (`Response`, `Record`, `RecordData`, `Question`) and the record types come from the
//! library (`netlings::support::dns`).

// Your code will use these imports; until it does, they are unused.
#![allow(unused_imports)]

use netlings::given::lookup::read_name::read_name;
use netlings::support::dns::{
    HEADER_LEN, Header, QUESTION_LEN, Question, QuestionFields, RECORD_LEN, Record, RecordData,
    RecordFields, Response, TYPE_A, TYPE_AAAA, TYPE_CNAME, WireError,
};

// ANCHOR: contract
/// Decodes a whole response: header, questions (the first becomes `question`), answers. The
/// authority and additional sections are not read.
///
/// Record data by type: A is 4 bytes, AAAA 16, CNAME a name (which may use pointers into the
/// whole message) that fills the data exactly; any other type is `Other(type)`. A wrong length
/// is `BadRecordLength`; a message that ends early is `Truncated`.
pub fn parse_response(message: &[u8]) -> Result<Response, WireError> {
    // TODO: `Header::new_checked`, then each question (a name, then `QuestionFields`), then each
    // answer: its name, `RecordFields::new_checked`, and data by type. A CNAME's target may be
    // compressed, so read it from the whole message and check where it ends.
    todo!("parse_response({} bytes)", message.len())
}
// ANCHOR_END: contract
