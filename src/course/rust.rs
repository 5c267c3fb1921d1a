//! The little of Rust's syntax the course checks read: public items, and function bodies (to
//! tell whether a page shows an answer). Line- and brace-based, enough for the course's own
//! files.

/// The public items a Rust file declares, one normalised signature each (`pub fn f(x: u8) -> u8`).
pub fn public_api(source: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut current: Option<String> = None;
    for line in source.lines() {
        let trimmed = line.trim();
        if current.is_none() && trimmed.starts_with("pub ") {
            current = Some(String::new());
        }
        if let Some(sig) = current.as_mut() {
            if !sig.is_empty() && !sig.ends_with('(') {
                sig.push(' ');
            }
            sig.push_str(trimmed);
            // A signature ends where its body, its fields or its `;` start.
            if let Some(end) = sig
                .find([';', '{'])
                .or_else(|| (trimmed.ends_with(',') && !sig.contains('(')).then_some(sig.len()))
            {
                let mut done: String = sig[..end].trim().trim_end_matches(',').to_string();
                done = done
                    .replace("( ", "(")
                    .replace(", )", ")")
                    .replace(",)", ")");
                items.push(done);
                current = None;
            }
        }
    }
    items
}

/// For each function whose body in `stub` contains `todo!(`, its name and its squeezed body in
/// `solution` (when that has at least 12 characters that are not white space).
pub fn todo_answers(stub: &str, solution: &str) -> Vec<(String, String)> {
    functions(stub)
        .into_iter()
        .filter(|(_, body)| body.contains("todo!("))
        .filter_map(|(name, _)| {
            let (_, body) = functions(solution).into_iter().find(|(n, _)| *n == name)?;
            let body = squeeze(&body);
            (body.chars().filter(|c| !c.is_whitespace()).count() >= 12).then_some((name, body))
        })
        .collect()
}

/// The functions in Rust `source`: each `fn name` with the text between its body's braces.
/// A brace counter that skips string and char literals and comments is enough for the course's
/// own files.
fn functions(source: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut offset = 0;
    while offset < source.len() {
        let rest = &source[offset..];
        let line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let line = &rest[..line_end];
        // A declaration: only qualifiers before `fn` on its line (not a comment or an expression).
        let decl = line.find("fn ").filter(|&at| {
            line[..at].split_whitespace().all(|w| {
                [
                    "pub",
                    "pub(crate)",
                    "pub(super)",
                    "const",
                    "async",
                    "unsafe",
                ]
                .contains(&w)
            })
        });
        let Some(at) = decl else {
            offset += line_end;
            continue;
        };
        let after = &rest[at + 3..];
        let name: String = after
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        match (after.find('{'), after.find(';')) {
            (Some(open), semi) if !name.is_empty() && semi.is_none_or(|s| s > open) => {
                let body_start = offset + at + 3 + open + 1;
                let len = matching_brace(&source[body_start..]);
                found.push((name, source[body_start..body_start + len].to_string()));
                offset = body_start + len;
            }
            _ => offset += line_end,
        }
    }
    found
}

/// The length of `text` up to the `}` that closes a block already opened.
fn matching_brace(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (mut depth, mut i) = (1usize, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'\'' if bytes.get(i + 2) == Some(&b'\'') => i += 2,
            b'\'' if bytes.get(i + 1) == Some(&b'\\') => {
                while i + 1 < bytes.len() && bytes[i + 1] != b'\'' {
                    i += 1;
                }
                i += 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    text.len()
}

/// `text` with every run of white space turned into one space, so a body matches however it
/// is indented.
pub fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
