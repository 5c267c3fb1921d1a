//! What a step file may not do in a trusted grade, read from its tokens (comments and string
//! literals set apart, so a word in a doc comment is not code).
//!
//! The trusted grader builds the course's reference `given` module, so that later steps can
//! use earlier pieces. A step file that reaches into `given` for *its own* answer (or a later
//! one), or that pulls another file in with `include!`/`#[path]` (the grader's tree has
//! `solutions/`), would be graded on the course's code: the step is **refused**. Words that
//! suggest an attack on the grader (ending the process, reading `/proc`, the logfile) are only
//! **warnings** for the teacher to look at. Either counts only what the pristine stub does not
//! already have.

use netlings::catalog::{EXERCISES, Exercise};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Ident(String),
    Punct(char),
    /// `::`
    Path,
    Str(String),
}

/// The tokens of Rust `source`: identifiers (raw ones without `r#`), string literals' contents,
/// punctuation; comments, numbers and char literals dropped.
fn tokens(source: &str) -> Vec<Token> {
    let b: Vec<char> = source.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let ident_char = |c: char| c.is_alphanumeric() || c == '_';
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if (c == 'r' || c == 'b')
            && (next == Some('"') || next == Some('#') || (c == 'b' && next == Some('r')))
            && raw_or_byte_string(&b, i).is_some()
        {
            let (text, end) = raw_or_byte_string(&b, i).expect("checked");
            out.push(Token::Str(text));
            i = end;
        } else if c == '"' {
            let mut text = String::new();
            i += 1;
            while i < b.len() && b[i] != '"' {
                if b[i] == '\\' {
                    i += 1;
                }
                if let Some(&ch) = b.get(i) {
                    text.push(ch);
                }
                i += 1;
            }
            i += 1;
            out.push(Token::Str(text));
        } else if c == '\'' {
            // A char literal ('a', '\n', '\u{1F600}') or a lifetime ('a): skip either.
            if next == Some('\\') {
                i += 3;
                while i < b.len() && b[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if b.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
                while i < b.len() && ident_char(b[i]) {
                    i += 1;
                }
            }
        } else if c.is_ascii_digit() {
            while i < b.len() && (ident_char(b[i]) || b[i] == '.') {
                i += 1;
            }
        } else if ident_char(c) {
            let start = i;
            while i < b.len() && ident_char(b[i]) {
                i += 1;
            }
            let mut word: String = b[start..i].iter().collect();
            if word == "r" && b.get(i) == Some(&'#') {
                i += 1;
                let start = i;
                while i < b.len() && ident_char(b[i]) {
                    i += 1;
                }
                word = b[start..i].iter().collect();
            }
            out.push(Token::Ident(word));
        } else if c == ':' && next == Some(':') {
            out.push(Token::Path);
            i += 2;
        } else if !c.is_whitespace() {
            out.push(Token::Punct(c));
            i += 1;
        } else {
            i += 1;
        }
    }
    out
}

/// A raw string (`r"…"`, `r#"…"#`), a byte string (`b"…"`) or a raw byte string starting at
/// `i`: its content and the index after it.
fn raw_or_byte_string(b: &[char], mut i: usize) -> Option<(String, usize)> {
    let mut raw = false;
    if b[i] == 'b' {
        i += 1;
    }
    if b.get(i) == Some(&'r') {
        raw = true;
        i += 1;
    }
    let mut hashes = 0;
    while raw && b.get(i) == Some(&'#') {
        hashes += 1;
        i += 1;
    }
    if b.get(i) != Some(&'"') {
        return None;
    }
    i += 1;
    let mut text = String::new();
    while i < b.len() {
        if b[i] == '"' && (0..hashes).all(|k| b.get(i + 1 + k) == Some(&'#')) {
            return Some((text, i + 1 + hashes));
        }
        if !raw && b[i] == '\\' {
            i += 1;
        }
        if let Some(&ch) = b.get(i) {
            text.push(ch);
        }
        i += 1;
    }
    Some((text, i))
}

/// Each use of `given` in `toks`: the step modules it names (`Err` for a form that does not
/// name them one by one: a glob, an alias of the chapter, `given` alone).
fn given_uses(toks: &[Token]) -> Vec<Result<Vec<String>, String>> {
    let mut uses = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if *t != Token::Ident("given".into()) {
            continue;
        }
        let rest = &toks[i + 1..];
        let named = match rest {
            [
                Token::Path,
                Token::Ident(_chapter),
                Token::Path,
                Token::Ident(step),
                ..,
            ] => Ok(vec![step.clone()]),
            [
                Token::Path,
                Token::Ident(_chapter),
                Token::Path,
                Token::Punct('{'),
                ..,
            ] => brace_heads(&rest[4..]),
            _ => Err("`given` used other than as `given::<chapter>::<step>`".to_string()),
        };
        uses.push(named);
    }
    uses
}

/// The first identifier of every item of a `{ a::x, b, c::{y, z} }` list whose opening brace
/// was just passed.
fn brace_heads(toks: &[Token]) -> Result<Vec<String>, String> {
    let mut heads = Vec::new();
    let mut depth = 1;
    let mut at_item_start = true;
    for t in toks {
        match t {
            Token::Punct('{') => depth += 1,
            Token::Punct('}') => {
                depth -= 1;
                if depth == 0 {
                    return Ok(heads);
                }
            }
            Token::Punct(',') if depth == 1 => {
                at_item_start = true;
                continue;
            }
            Token::Punct('*') if depth == 1 => {
                return Err("a glob import of a chapter of `given`".to_string());
            }
            Token::Ident(name) if depth == 1 && at_item_start => {
                if name == "self" {
                    return Err("`self` of a chapter of `given`".to_string());
                }
                heads.push(name.clone());
            }
            _ => {}
        }
        at_item_start = false;
    }
    Ok(heads)
}

fn count_macro(toks: &[Token], names: &[&str]) -> usize {
    toks.windows(2)
        .filter(|w| matches!(&w[0], Token::Ident(n) if names.contains(&n.as_str())))
        .filter(|w| w[1] == Token::Punct('!'))
        .count()
}

fn count_path_attr(toks: &[Token]) -> usize {
    toks.windows(3)
        .filter(|w| {
            w[0] == Token::Punct('#')
                && w[1] == Token::Punct('[')
                && w[2] == Token::Ident("path".into())
        })
        .count()
}

/// How often `a::b` appears.
fn count_path(toks: &[Token], a: &str, b: &str) -> usize {
    toks.windows(3)
        .filter(|w| {
            w[0] == Token::Ident(a.into()) && w[1] == Token::Path && w[2] == Token::Ident(b.into())
        })
        .count()
}

/// How often `name(` appears: a call.
fn count_call(toks: &[Token], name: &str) -> usize {
    toks.windows(2)
        .filter(|w| w[0] == Token::Ident(name.into()) && w[1] == Token::Punct('('))
        .count()
}

fn count_ident(toks: &[Token], name: &str) -> usize {
    toks.iter()
        .filter(|t| matches!(t, Token::Ident(n) if n == name))
        .count()
}

fn count_in_strings(toks: &[Token], needle: &str) -> usize {
    toks.iter()
        .filter(|t| matches!(t, Token::Str(s) if s.contains(needle)))
        .count()
}

/// What the trusted grader thinks of a step file: reasons to refuse it, and warnings.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Scan {
    pub refusals: Vec<String>,
    pub warnings: Vec<String>,
}

/// Reads the step file `text` of step `e` against its pristine `stub`.
pub fn scan(e: &Exercise, text: &str, stub: &str) -> Scan {
    let (toks, base) = (tokens(text), tokens(stub));
    let mut s = Scan::default();
    // The modules `given` may provide to this step: the non-program steps before it.
    let index = EXERCISES.iter().position(|x| x.name == e.name).unwrap_or(0);
    let earlier: Vec<String> = EXERCISES[..index]
        .iter()
        .filter(|x| !x.is_program())
        .map(|x| x.module())
        .collect();
    let later: Vec<String> = EXERCISES[index..]
        .iter()
        .filter(|x| !x.is_program())
        .map(|x| x.module())
        .collect();
    for found in given_uses(&toks) {
        match found {
            Ok(modules) => {
                for m in modules {
                    if later.contains(&m) {
                        s.refusals.push(format!(
                            "it uses `given::…::{m}`, the course's reference answer to {} step \
                             `{}`: a step's own work cannot come from `given`",
                            if m == e.module() { "this" } else { "a later" },
                            m.replace('_', "-")
                        ));
                    } else if !earlier.contains(&m) {
                        s.refusals.push(format!(
                            "it uses `given::…::{m}`, which is not an earlier step's module"
                        ));
                    }
                }
            }
            Err(why) => s.refusals.push(format!(
                "{why}: the grader cannot tell which reference answers it reaches, so it refuses it \
                 (name each earlier step's module, e.g. `use netlings::given::ip::parse_ip::parse_ip;`)"
            )),
        }
    }
    let more = |f: &dyn Fn(&[Token]) -> usize| f(&toks) > f(&base);
    if more(&|t| count_macro(t, &["include", "include_str", "include_bytes"])) {
        s.refusals.push(
            "it pulls in another file with `include!`/`include_str!`/`include_bytes!`: only the \
             step file itself is graded"
                .to_string(),
        );
    }
    if more(&count_path_attr) {
        s.refusals.push(
            "it loads a module from another file with `#[path]`: only the step file itself is graded"
                .to_string(),
        );
    }
    type Count = fn(&[Token]) -> usize;
    let suspicious: [(Count, &str); 10] = [
        (|t| count_call(t, "exit"), "ends the process (`exit`)"),
        (|t| count_call(t, "abort"), "aborts the process"),
        (
            |t| count_ident(t, "setsid"),
            "detaches a process (`setsid`)",
        ),
        (|t| count_ident(t, "fork"), "forks"),
        (
            |t| count_path(t, "env", "args") + count_path(t, "env", "args_os"),
            "reads the process's arguments",
        ),
        (
            |t| count_path(t, "env", "var") + count_path(t, "env", "vars"),
            "reads the environment",
        ),
        (|t| count_ident(t, "Command"), "starts programs (`Command`)"),
        (|t| count_ident(t, "unsafe"), "has `unsafe` code"),
        (|t| count_ident(t, "libc"), "calls libc directly"),
        (|t| count_ident(t, "asm"), "has inline assembly"),
    ];
    for (count, why) in suspicious {
        if count(&toks) > count(&base) {
            s.warnings
                .push(format!("it {why}, which the stub does not"));
        }
    }
    for needle in [
        "/proc",
        "logfile",
        "snapshots",
        ".snap",
        "solutions",
        "... ok",
    ] {
        if count_in_strings(&toks, needle) > count_in_strings(&base, needle) {
            s.warnings.push(format!(
                "a string in it mentions `{needle}`, which the stub's do not"
            ));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use netlings::catalog::find;

    fn refusals(step: &str, text: &str) -> Vec<String> {
        scan(find(step).unwrap(), text, "").refusals
    }

    #[test]
    fn tokens_set_comments_and_strings_apart() {
        let toks = tokens(
            "// given::ip::parse_ip\n/* given /* nested */ */ let s = r#\"given::x\"#; 'a'; fn f<'a>() { b\"x\" }",
        );
        assert_eq!(count_ident(&toks, "given"), 0);
        assert_eq!(count_in_strings(&toks, "given::x"), 1);
        assert_eq!(count_ident(&toks, "f"), 1);
    }

    #[test]
    fn a_step_may_use_earlier_steps_from_given_and_nothing_else() {
        let earlier = "use netlings::given::ip::parse_ip::parse_ip;\nuse netlings::given::ip::{parse_ip::parse_ip, properties::{is_private}};";
        assert!(
            refusals("ip", earlier).is_empty(),
            "{:?}",
            refusals("ip", earlier)
        );
        let own = "pub use netlings::given::ip::parse_ip::*;";
        assert_eq!(refusals("parse-ip", own).len(), 1);
        assert!(refusals("parse-ip", own)[0].contains("this step"));
        let later = "use netlings::given::ip::properties::is_private;";
        assert!(refusals("parse-ip", later)[0].contains("a later step"));
        for sneaky in [
            "use netlings::given as g;",
            "use netlings::given::ip as chapter;",
            "use netlings::given::ip::*;",
            "use netlings::given::ip::{self};",
            "use netlings::{given};",
            "pub use r#given::ip::properties::*;",
        ] {
            assert!(
                !refusals("properties", sneaky).is_empty(),
                "not refused: {sneaky}"
            );
        }
    }

    #[test]
    fn includes_and_path_attributes_the_stub_does_not_have_are_refused() {
        assert_eq!(
            refusals(
                "parse-ip",
                "include!(\"../../solutions/ch01_ip/1_parse_ip.rs\");"
            )
            .len(),
            1
        );
        assert_eq!(refusals("parse-ip", "#[path = \"x.rs\"]\nmod x;").len(), 1);
        let stub = "#[path = \"x.rs\"]\nmod x;";
        assert!(
            scan(find("parse-ip").unwrap(), stub, stub)
                .refusals
                .is_empty()
        );
    }

    #[test]
    fn attacks_on_the_grader_are_warnings() {
        let text =
            "fn f() { std::process::exit(0); let _ = std::fs::read(\"/proc/self/cmdline\"); }";
        let s = scan(find("parse-ip").unwrap(), text, "");
        assert!(s.refusals.is_empty());
        assert_eq!(s.warnings.len(), 2, "{:?}", s.warnings);
    }
}
