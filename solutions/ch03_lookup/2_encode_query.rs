//! Step 3.2 · `encode-query` — a DNS question, byte by byte (RFC 1035 §4.1).

use netlings::support::dns::{
    CLASS_IN, HEADER_LEN, Header, MAX_LABEL, MAX_NAME, QUESTION_LEN, QuestionFields, RecordType,
    WireError, flags, name_labels,
};

/// A query for `name` and `record_type` with the given id: the header (flags: only RD, "recurse
/// for me"; one question), the name as labels, then the type and class IN. `name` is text in
/// presentation format (`name_labels` reads it: `\.` is a dot inside a label, `\032` a space).
///
/// Errors: those of `name_labels` (`EmptyLabel` for `a..b` or `.a`, `BadEscape`),
/// `LabelTooLong` (over 63 bytes), `NameTooLong` (over 255 bytes on the wire, length bytes and
/// the root's zero included). A trailing dot is optional.
pub fn encode_query(id: u16, name: &str, record_type: RecordType) -> Result<Vec<u8>, WireError> {
    let mut message = vec![0; HEADER_LEN];
    let mut header = Header::new_checked(&mut message[..])?;
    header.set_id(id);
    header.set_flags(flags::RD);
    header.set_counts(1, 0, 0, 0);
    write_name(&mut message, name)?;
    let mut question = [0; QUESTION_LEN];
    let mut fields = QuestionFields::new_checked(&mut question[..])?;
    fields.set_qtype(record_type.code());
    fields.set_qclass(CLASS_IN);
    message.extend_from_slice(&question);
    Ok(message)
}

/// Appends `name` in wire form: each label as a length byte and its bytes, then a zero byte
/// (the root).
fn write_name(out: &mut Vec<u8>, name: &str) -> Result<(), WireError> {
    let start = out.len();
    // The same reading of the text as `same_name`'s, which compares the question the server
    // echoes with ours: a name that escapes or has a byte outside ASCII still matches.
    for label in name_labels(name)? {
        if label.len() > MAX_LABEL {
            return Err(WireError::LabelTooLong);
        }
        // The length fits in a byte: MAX_LABEL is 63.
        out.push(label.len() as u8);
        out.extend_from_slice(&label);
    }
    out.push(0);
    if out.len() - start > MAX_NAME {
        return Err(WireError::NameTooLong);
    }
    Ok(())
}
