//! Just enough JSON for the command line: reading cargo's `--message-format=json` lines and
//! quoting strings in the reports `grade` writes.
//!
//! A small parser rather than a dependency: serde_json and serde would be most of the learner's
//! cold build of the CLI for what is one read of one field. It follows RFC 8259 and rejects what
//! it does not understand with an error instead of guessing.

use std::fmt::Write as _;

/// A parsed JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Value>),
    /// Members in the order they appear.
    Object(Vec<(String, Value)>),
}

impl Value {
    /// The member `key` of an object, if this is one and has it.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The text of a string value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
}

/// Parses one JSON text (leading and trailing white space allowed).
pub fn parse(text: &str) -> Result<Value, String> {
    let mut p = Parser {
        bytes: text.as_bytes(),
        at: 0,
        depth: 0,
    };
    let value = p.value()?;
    p.space();
    if p.at != p.bytes.len() {
        return Err(format!("unexpected text after the value at byte {}", p.at));
    }
    Ok(value)
}

/// How deeply arrays and objects may nest: cargo's messages need 5; a hostile text cannot
/// overflow the stack.
const MAX_DEPTH: usize = 64;

struct Parser<'a> {
    bytes: &'a [u8],
    at: usize,
    depth: usize,
}

impl Parser<'_> {
    fn space(&mut self) {
        while self
            .bytes
            .get(self.at)
            .is_some_and(|b| b" \t\r\n".contains(b))
        {
            self.at += 1;
        }
    }

    fn error<T>(&self, what: &str) -> Result<T, String> {
        Err(format!("{what} at byte {}", self.at))
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, String> {
        if self.bytes[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(value)
        } else {
            self.error("expected a value")
        }
    }

    fn value(&mut self) -> Result<Value, String> {
        self.space();
        match self.bytes.get(self.at) {
            None => self.error("unexpected end"),
            Some(b'n') => self.literal("null", Value::Null),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'"') => self.string().map(Value::String),
            Some(b'[') => self.nested(Self::array),
            Some(b'{') => self.nested(Self::object),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => self.error("expected a value"),
        }
    }

    fn nested(&mut self, f: fn(&mut Self) -> Result<Value, String>) -> Result<Value, String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.error("nested too deeply");
        }
        let value = f(self);
        self.depth -= 1;
        value
    }

    fn number(&mut self) -> Result<Value, String> {
        let start = self.at;
        while self
            .bytes
            .get(self.at)
            .is_some_and(|b| b"+-.eE0123456789".contains(b))
        {
            self.at += 1;
        }
        let text = std::str::from_utf8(&self.bytes[start..self.at]).unwrap_or_default();
        text.parse()
            .map(Value::Number)
            .or_else(|_| self.error("a malformed number"))
    }

    fn string(&mut self) -> Result<String, String> {
        self.at += 1; // the opening quote
        let mut out = Vec::new();
        loop {
            match self.bytes.get(self.at) {
                None => return self.error("an unterminated string"),
                Some(b'"') => break,
                Some(b'\\') => {
                    let escaped = match self.bytes.get(self.at + 1) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => self.unicode_escape()?,
                        _ => return self.error("a bad escape"),
                    };
                    let mut buf = [0; 4];
                    out.extend_from_slice(escaped.encode_utf8(&mut buf).as_bytes());
                    self.at += 2;
                }
                Some(&b) => {
                    out.push(b);
                    self.at += 1;
                }
            }
        }
        self.at += 1; // the closing quote
        String::from_utf8(out).or_else(|_| self.error("a string that is not UTF-8"))
    }

    /// `\uXXXX` (and a surrogate pair `\uD83D\uDE00`); leaves `at` on the last hex digit - 1.
    fn unicode_escape(&mut self) -> Result<char, String> {
        let hex = |p: &Self, from: usize| -> Option<u32> {
            let digits = p.bytes.get(from..from + 4)?;
            u32::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
        };
        let Some(first) = hex(self, self.at + 2) else {
            return self.error("a bad \\u escape");
        };
        self.at += 4;
        if (0xD800..0xDC00).contains(&first)
            && self.bytes.get(self.at + 2..self.at + 4) == Some(b"\\u")
            && let Some(second) = hex(self, self.at + 4)
            && (0xDC00..0xE000).contains(&second)
        {
            self.at += 6;
            let c = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
            return char::from_u32(c).map_or_else(|| self.error("a bad surrogate pair"), Ok);
        }
        Ok(char::from_u32(first).unwrap_or('\u{FFFD}'))
    }

    fn array(&mut self) -> Result<Value, String> {
        self.at += 1;
        let mut items = Vec::new();
        self.space();
        if self.bytes.get(self.at) == Some(&b']') {
            self.at += 1;
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value()?);
            self.space();
            match self.bytes.get(self.at) {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Value::Array(items));
                }
                _ => return self.error("expected , or ]"),
            }
        }
    }

    fn object(&mut self) -> Result<Value, String> {
        self.at += 1;
        let mut members = Vec::new();
        self.space();
        if self.bytes.get(self.at) == Some(&b'}') {
            self.at += 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.space();
            if self.bytes.get(self.at) != Some(&b'"') {
                return self.error("expected a member name");
            }
            let key = self.string()?;
            self.space();
            if self.bytes.get(self.at) != Some(&b':') {
                return self.error("expected :");
            }
            self.at += 1;
            members.push((key, self.value()?));
            self.space();
            match self.bytes.get(self.at) {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Value::Object(members));
                }
                _ => return self.error("expected , or }"),
            }
        }
    }
}

/// `s` as a JSON string literal.
pub fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cargo_artifact_message_parses_and_its_fields_are_found() {
        let line = r#"{"reason":"compiler-artifact","target":{"kind":["test"],"name":"ch01_ip","src_path":"/c/tests/ch01_ip.rs"},"profile":{"opt_level":"0","debuginfo":null,"test":true},"features":[],"filenames":["/t/deps/ch01_ip-abc"],"executable":"/t/deps/ch01_ip-abc","fresh":false}"#;
        let v = parse(line).expect("valid JSON");
        assert_eq!(
            v.get("reason").and_then(Value::as_str),
            Some("compiler-artifact")
        );
        let target = v.get("target").expect("a target");
        assert_eq!(target.get("name").and_then(Value::as_str), Some("ch01_ip"));
        assert_eq!(
            target.get("kind"),
            Some(&Value::Array(vec![Value::String("test".into())]))
        );
        assert_eq!(
            v.get("executable").and_then(Value::as_str),
            Some("/t/deps/ch01_ip-abc")
        );
        assert_eq!(
            v.get("profile").and_then(|p| p.get("debuginfo")),
            Some(&Value::Null)
        );
        assert_eq!(v.get("fresh"), Some(&Value::Bool(false)));
    }

    #[test]
    fn strings_round_trip_through_quote_and_parse() {
        for s in [
            "",
            "plain",
            "a \"quote\" and \\",
            "tab\tnew\nline\u{1}",
            "é ≠ 🦀",
            "/",
        ] {
            assert_eq!(parse(&quote(s)), Ok(Value::String(s.to_string())), "{s:?}");
        }
        assert_eq!(
            parse(r#""\ud83e\udd80 \u00e9""#),
            Ok(Value::String("🦀 é".into()))
        );
    }

    #[test]
    fn numbers_arrays_and_nesting_parse() {
        assert_eq!(parse(" -1.5e2 "), Ok(Value::Number(-150.0)));
        assert_eq!(
            parse("[1, [true], {}]"),
            Ok(Value::Array(vec![
                Value::Number(1.0),
                Value::Array(vec![Value::Bool(true)]),
                Value::Object(vec![]),
            ]))
        );
    }

    #[test]
    fn malformed_text_is_an_error_never_a_panic() {
        for bad in [
            "",
            "{",
            "[1,",
            "{\"a\" 1}",
            "\"open",
            "\"\\x\"",
            "\"\\u12\"",
            "tru",
            "1 2",
            "-",
            "{\"a\":}",
            "[,]",
            "\"\\ud800\"x",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} should not parse");
        }
        let deep = "[".repeat(10_000);
        assert_eq!(
            parse(&deep),
            Err("nested too deeply at byte 64".to_string())
        );
    }
}
