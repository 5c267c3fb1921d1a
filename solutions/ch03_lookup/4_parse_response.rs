//! Step 3.4 · `parse-response` — a whole answer: header, question, records (RFC 1035 §4.1).

use netlings::given::lookup::read_name::read_name;
use netlings::support::dns::{
    HEADER_LEN, Header, QUESTION_LEN, Question, QuestionFields, RECORD_LEN, Record, RecordData,
    RecordFields, Response, TYPE_A, TYPE_AAAA, TYPE_CNAME, WireError,
};

/// Decodes a whole response: header, questions (the first becomes `question`), answers. The
/// authority and additional sections are not read.
///
/// Record data by type: A is 4 bytes, AAAA 16, CNAME a name (which may use pointers into the
/// whole message) that fills the data exactly; any other type is `Other(type)`. A wrong length
/// is `BadRecordLength`; a message that ends early is `Truncated`.
pub fn parse_response(message: &[u8]) -> Result<Response, WireError> {
    let header = Header::new_checked(message)?;
    let mut at = HEADER_LEN;
    let mut question = None;
    for _ in 0..header.question_count() {
        // read_name never returns an offset past the end, so slicing from it cannot panic.
        let (name, next) = read_name(message, at)?;
        let fields = QuestionFields::new_checked(&message[next..])?;
        question.get_or_insert(Question {
            name,
            qtype: fields.qtype(),
        });
        at = next + QUESTION_LEN;
    }
    // No capacity from the count: a forged count must not make us allocate.
    let mut answers = Vec::new();
    for _ in 0..header.answer_count() {
        let (record, next) = read_record(message, at)?;
        answers.push(record);
        at = next;
    }
    Ok(Response {
        id: header.id(),
        rcode: header.rcode(),
        truncated: header.is_truncated(),
        question,
        answers,
    })
}

/// The record at `start` and the offset of the next one.
fn read_record(message: &[u8], start: usize) -> Result<(Record, usize), WireError> {
    let (name, at) = read_name(message, start)?;
    let fields = RecordFields::new_checked(&message[at..])?;
    let data = fields.data();
    let bad_length = WireError::BadRecordLength {
        rtype: fields.rtype(),
        len: data.len(),
    };
    let data = match fields.rtype() {
        TYPE_A => RecordData::A(<[u8; 4]>::try_from(data).map_err(|_| bad_length)?.into()),
        TYPE_AAAA => RecordData::Aaaa(<[u8; 16]>::try_from(data).map_err(|_| bad_length)?.into()),
        // The target may be compressed, so it is read from the whole message.
        TYPE_CNAME => {
            let (target, end) = read_name(message, at + RECORD_LEN)?;
            if end != at + fields.total_len() {
                return Err(bad_length);
            }
            RecordData::Cname(target)
        }
        other => RecordData::Other(other),
    };
    let record = Record {
        name,
        ttl: fields.ttl(),
        data,
    };
    Ok((record, at + fields.total_len()))
}
