//! The book and the command line in more than one language.
//!
//! The book is translated with gettext: `book/po/messages.pot` holds every message of the
//! English pages (`cargo dev i18n` extracts it), `book/po/zh-CN.po` their Chinese, and the
//! `gettext` preprocessor of mdbook-i18n-helpers swaps them in when the book is built with
//! `book.language = "zh-CN"`. This module reads those files so the tests can prove every message
//! is translated, and gives the command line what it shows in Chinese: chapter and step titles
//! and the hints (`book/src/hints/zh-CN/<step>.md`, the same files the Chinese book includes).

use crate::catalog::{CHAPTERS, EXERCISES};

/// A language the course speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    ZhCn,
}

impl Lang {
    /// The language asked for by name (`zh-CN`, `zh`, `en`), in any case.
    pub fn parse(name: &str) -> Option<Lang> {
        let name = name.to_ascii_lowercase().replace('_', "-");
        match name.as_str() {
            "en" | "en-us" | "en-gb" | "c" | "posix" => Some(Lang::En),
            "zh" | "zh-cn" | "zh-hans" | "zh-sg" => Some(Lang::ZhCn),
            _ => None,
        }
    }

    /// The language of a locale as the environment names it (`LANG=zh_CN.UTF-8`): Chinese for
    /// any `zh` locale, English for everything else.
    pub fn from_locale(locale: &str) -> Lang {
        if locale.to_ascii_lowercase().starts_with("zh") {
            Lang::ZhCn
        } else {
            Lang::En
        }
    }

    /// The language of this process's environment: `LC_ALL`, then `LC_MESSAGES`, then `LANG`,
    /// the order POSIX gives them.
    pub fn from_env() -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .find(|v| !v.is_empty())
            .map_or(Lang::En, |v| Lang::from_locale(&v))
    }
}

/// One entry of a PO file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Message {
    pub msgid: String,
    pub msgstr: String,
    /// Marked `#, fuzzy`: a guess gettext made, not a translation.
    pub fuzzy: bool,
    /// Where the message comes from (`src/ch01_ip.md:12`).
    pub references: Vec<String>,
}

/// The entries of a PO (or POT) file, without its header entry (the empty msgid) and without
/// obsolete (`#~`) ones. Enough of the format for what `msgmerge` and mdbook-xgettext write.
pub fn parse_po(text: &str) -> Result<Vec<Message>, String> {
    #[derive(PartialEq)]
    enum Field {
        None,
        Id,
        Str,
    }
    let mut messages = Vec::new();
    let mut current = Message::default();
    let mut field = Field::None;
    let mut finish = |m: &mut Message, field: &mut Field| {
        if *field != Field::None && !m.msgid.is_empty() {
            messages.push(std::mem::take(m));
        }
        *m = Message::default();
        *field = Field::None;
    };
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() {
            finish(&mut current, &mut field);
        } else if let Some(flags) = line.strip_prefix("#,") {
            if field != Field::None {
                finish(&mut current, &mut field);
            }
            current.fuzzy |= flags.split(',').any(|f| f.trim() == "fuzzy");
        } else if let Some(refs) = line.strip_prefix("#:") {
            if field != Field::None {
                finish(&mut current, &mut field);
            }
            current
                .references
                .extend(refs.split_whitespace().map(str::to_string));
        } else if line.starts_with('#') {
            // Other comments, and obsolete entries (`#~`), carry nothing we need.
        } else if let Some(rest) = line.strip_prefix("msgid ") {
            if field != Field::None {
                finish(&mut current, &mut field);
            }
            current.msgid = unquote(rest).map_err(|e| format!("line {}: {e}", n + 1))?;
            field = Field::Id;
        } else if let Some(rest) = line.strip_prefix("msgstr ") {
            current.msgstr = unquote(rest).map_err(|e| format!("line {}: {e}", n + 1))?;
            field = Field::Str;
        } else if line.starts_with('"') {
            let more = unquote(line).map_err(|e| format!("line {}: {e}", n + 1))?;
            match field {
                Field::Id => current.msgid.push_str(&more),
                Field::Str => current.msgstr.push_str(&more),
                Field::None => return Err(format!("line {}: a string outside an entry", n + 1)),
            }
        } else {
            return Err(format!("line {}: not PO syntax: {line}", n + 1));
        }
    }
    finish(&mut current, &mut field);
    Ok(messages)
}

/// The text of a PO string literal (`"a \"b\"\n"`).
fn unquote(literal: &str) -> Result<String, String> {
    let inner = literal
        .trim()
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .ok_or_else(|| format!("not a quoted string: {literal}"))?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('"') => out.push('"'),
            Some('\\') => out.push('\\'),
            other => return Err(format!("an unknown escape \\{}", other.unwrap_or(' '))),
        }
    }
    Ok(out)
}

/// What is wrong with `translation` for the template `template`: messages missing, empty or
/// fuzzy, and translations that lost a code span or an include (code must stay as it is). An
/// empty list means the book is fully translated.
pub fn translation_problems(template: &[Message], translation: &[Message]) -> Vec<String> {
    let mut problems = Vec::new();
    for m in template {
        let place = m.references.first().map_or("?", String::as_str);
        let short: String = m.msgid.chars().take(60).collect();
        match translation.iter().find(|t| t.msgid == m.msgid) {
            None => problems.push(format!("{place}: not in the .po file: {short:?}")),
            Some(t) if t.msgstr.trim().is_empty() => {
                problems.push(format!("{place}: not translated: {short:?}"))
            }
            Some(t) if t.fuzzy => {
                problems.push(format!("{place}: fuzzy (check and unmark it): {short:?}"))
            }
            Some(t) => {
                for span in code_spans(&m.msgid) {
                    let hinted = span.replace("{{#include hints/", "{{#include hints/zh-CN/");
                    if !t.msgstr.contains(span) && !t.msgstr.contains(&hinted) {
                        problems.push(format!("{place}: the translation lost {span}: {short:?}"));
                    }
                }
            }
        }
    }
    problems
}

/// The parts of a message that must come through a translation unchanged: code spans with
/// their backticks (`` `x` ``) and mdBook directives (`{{#include ...}}`).
fn code_spans(text: &str) -> Vec<&str> {
    let mut spans = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("{{#") {
        let Some(end) = rest[at..].find("}}") else {
            break;
        };
        spans.push(&rest[at..at + end + 2]);
        rest = &rest[at + end + 2..];
    }
    let mut rest = text;
    while let Some(open) = rest.find('`') {
        let Some(close) = rest[open + 1..].find('`') else {
            break;
        };
        if close > 0 {
            spans.push(&rest[open..open + close + 2]);
        }
        rest = &rest[open + close + 2..];
    }
    spans
}

/// A chapter's title in `lang`.
pub fn chapter_title(number: u8, lang: Lang) -> &'static str {
    let english = CHAPTERS
        .iter()
        .find(|c| c.number == number)
        .map_or("", |c| c.title);
    title_in(lang, english, ZH_CHAPTER_TITLES, number)
}

/// A step's title in `lang`.
pub fn step_title(name: &str, lang: Lang) -> &'static str {
    let english = EXERCISES
        .iter()
        .find(|e| e.name == name)
        .map_or("", |e| e.title);
    title_in(lang, english, ZH_STEP_TITLES, name)
}

/// `english` in `lang`: in Chinese, the title `zh` gives for `key`, or `english` where it has
/// none.
fn title_in<K: PartialEq<Q>, Q>(
    lang: Lang,
    english: &'static str,
    zh: &'static [(K, &'static str)],
    key: Q,
) -> &'static str {
    match lang {
        Lang::En => english,
        Lang::ZhCn => zh
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(english, |(_, t)| t),
    }
}

/// A step's hint in `lang` (the English one where a translation is missing; a test makes sure
/// none is).
pub fn hint(name: &str, lang: Lang) -> &'static str {
    let english = EXERCISES
        .iter()
        .find(|e| e.name == name)
        .map_or("", |e| e.hint);
    match lang {
        Lang::En => english,
        Lang::ZhCn => zh_hint(name).unwrap_or(english),
    }
}

/// The Chinese chapter titles, by chapter number.
pub static ZH_CHAPTER_TITLES: &[(u8, &str)] = &[
    (1, "IP 地址"),
    (2, "掩码与网络"),
    (3, "主机查找与 DNS"),
    (4, "服务与端口"),
    (5, "TCP 地址"),
    (6, "TCP 客户端"),
    (7, "并发 TCP 服务器"),
    (8, "超时、截止时间与存活检测"),
    (9, "UDP"),
    (10, "统一接口：Conn、Dial、Listen"),
    (11, "数据包连接"),
    (12, "原始套接字与 ICMP ping"),
    (13, "分帧与部分读写"),
    (14, "基于 TCP 的 DNS"),
    (15, "数以千计的客户端"),
];

/// The Chinese step titles, by step name.
pub static ZH_STEP_TITLES: &[(&str, &str)] = &[
    ("parse-ip", "解析地址"),
    ("properties", "向地址提问"),
    ("ip", "程序：ip"),
    ("masks", "构造掩码"),
    ("apply-mask", "从掩码到网络"),
    ("hosts", "广播地址与主机"),
    ("mask", "程序：mask"),
    ("system-resolver", "询问系统解析器"),
    ("encode-query", "写出一个查询"),
    ("read-name", "域名与压缩指针"),
    ("parse-response", "读取应答"),
    ("dns-query", "通过 UDP 查询"),
    ("lookup", "程序：lookup"),
    ("parse-services", "读取 services(5)"),
    ("lookup-port", "Go 的 LookupPort"),
    ("services", "程序：services"),
    ("split-host-port", "拆分主机与端口"),
    ("resolve-port", "端口：数字或名字"),
    ("resolve-host", "主机：空、区域、字面量或名字"),
    ("tcp-addr", "程序：tcp-addr"),
    ("dial-tcp", "解析并连接"),
    ("get-head-info", "全部写出，读到 EOF"),
    ("tcp-client", "程序：tcp-client"),
    ("echo-loop", "回显直到 EOF"),
    ("stop-handle", "唤醒阻塞的 accept"),
    ("accept-loop", "每个客户端一个线程"),
    ("echo-server", "程序：echo-server"),
    ("deadlines", "从超时到截止时间"),
    ("slow-clients", "断开慢客户端的服务器"),
    ("keepalive", "连接超时与存活检测"),
    ("timeouts", "程序：timeouts"),
    ("udp-server", "应答数据报"),
    ("udp-request", "会放弃的客户端"),
    ("udp", "程序：udp"),
    ("networks", "网络名与地址"),
    ("any-stream", "一个类型，三种套接字"),
    ("dial-listen", "Dial 与 Listen"),
    ("conn", "程序：conn"),
    ("packet-conn", "数据报套接字的 trait"),
    ("packet-echo", "写一次，适用于任何套接字"),
    ("packet", "程序：packet"),
    ("checksum", "互联网校验和"),
    ("echo-message", "读写回显消息"),
    ("match-reply", "认出我们的应答"),
    ("choose-socket", "原始套接字还是数据报套接字：谁可以 ping"),
    ("ping", "程序：ping"),
    ("delimited", "带上限地读取一行"),
    ("frames", "长度前缀的帧"),
    ("framing", "程序：framing"),
    ("tcp-exchange", "在流上问一个问题"),
    ("query-tcp", "通过 TCP 查询，以及何时这样做"),
    ("lookup-tcp", "程序：lookup-tcp"),
    ("worker-pool", "有界的线程池"),
    ("async-echo", "用任务代替线程"),
    ("clients", "程序：clients"),
];

/// The Chinese hint of step `name`: `book/src/hints/zh-CN/<name>.md`, the file the Chinese book
/// includes too.
fn zh_hint(name: &str) -> Option<&'static str> {
    Some(match name {
        // BEGIN HINTS
        "parse-ip" => include_str!("../book/src/hints/zh-CN/parse-ip.md"),
        "properties" => include_str!("../book/src/hints/zh-CN/properties.md"),
        "ip" => include_str!("../book/src/hints/zh-CN/ip.md"),
        "masks" => include_str!("../book/src/hints/zh-CN/masks.md"),
        "apply-mask" => include_str!("../book/src/hints/zh-CN/apply-mask.md"),
        "hosts" => include_str!("../book/src/hints/zh-CN/hosts.md"),
        "mask" => include_str!("../book/src/hints/zh-CN/mask.md"),
        "system-resolver" => include_str!("../book/src/hints/zh-CN/system-resolver.md"),
        "encode-query" => include_str!("../book/src/hints/zh-CN/encode-query.md"),
        "read-name" => include_str!("../book/src/hints/zh-CN/read-name.md"),
        "parse-response" => include_str!("../book/src/hints/zh-CN/parse-response.md"),
        "dns-query" => include_str!("../book/src/hints/zh-CN/dns-query.md"),
        "lookup" => include_str!("../book/src/hints/zh-CN/lookup.md"),
        "parse-services" => include_str!("../book/src/hints/zh-CN/parse-services.md"),
        "lookup-port" => include_str!("../book/src/hints/zh-CN/lookup-port.md"),
        "services" => include_str!("../book/src/hints/zh-CN/services.md"),
        "split-host-port" => include_str!("../book/src/hints/zh-CN/split-host-port.md"),
        "resolve-port" => include_str!("../book/src/hints/zh-CN/resolve-port.md"),
        "resolve-host" => include_str!("../book/src/hints/zh-CN/resolve-host.md"),
        "tcp-addr" => include_str!("../book/src/hints/zh-CN/tcp-addr.md"),
        "dial-tcp" => include_str!("../book/src/hints/zh-CN/dial-tcp.md"),
        "get-head-info" => include_str!("../book/src/hints/zh-CN/get-head-info.md"),
        "tcp-client" => include_str!("../book/src/hints/zh-CN/tcp-client.md"),
        "echo-loop" => include_str!("../book/src/hints/zh-CN/echo-loop.md"),
        "stop-handle" => include_str!("../book/src/hints/zh-CN/stop-handle.md"),
        "accept-loop" => include_str!("../book/src/hints/zh-CN/accept-loop.md"),
        "echo-server" => include_str!("../book/src/hints/zh-CN/echo-server.md"),
        "deadlines" => include_str!("../book/src/hints/zh-CN/deadlines.md"),
        "slow-clients" => include_str!("../book/src/hints/zh-CN/slow-clients.md"),
        "keepalive" => include_str!("../book/src/hints/zh-CN/keepalive.md"),
        "timeouts" => include_str!("../book/src/hints/zh-CN/timeouts.md"),
        "udp-server" => include_str!("../book/src/hints/zh-CN/udp-server.md"),
        "udp-request" => include_str!("../book/src/hints/zh-CN/udp-request.md"),
        "udp" => include_str!("../book/src/hints/zh-CN/udp.md"),
        "networks" => include_str!("../book/src/hints/zh-CN/networks.md"),
        "any-stream" => include_str!("../book/src/hints/zh-CN/any-stream.md"),
        "dial-listen" => include_str!("../book/src/hints/zh-CN/dial-listen.md"),
        "conn" => include_str!("../book/src/hints/zh-CN/conn.md"),
        "packet-conn" => include_str!("../book/src/hints/zh-CN/packet-conn.md"),
        "packet-echo" => include_str!("../book/src/hints/zh-CN/packet-echo.md"),
        "packet" => include_str!("../book/src/hints/zh-CN/packet.md"),
        "checksum" => include_str!("../book/src/hints/zh-CN/checksum.md"),
        "echo-message" => include_str!("../book/src/hints/zh-CN/echo-message.md"),
        "match-reply" => include_str!("../book/src/hints/zh-CN/match-reply.md"),
        "choose-socket" => include_str!("../book/src/hints/zh-CN/choose-socket.md"),
        "ping" => include_str!("../book/src/hints/zh-CN/ping.md"),
        "delimited" => include_str!("../book/src/hints/zh-CN/delimited.md"),
        "frames" => include_str!("../book/src/hints/zh-CN/frames.md"),
        "framing" => include_str!("../book/src/hints/zh-CN/framing.md"),
        "tcp-exchange" => include_str!("../book/src/hints/zh-CN/tcp-exchange.md"),
        "query-tcp" => include_str!("../book/src/hints/zh-CN/query-tcp.md"),
        "lookup-tcp" => include_str!("../book/src/hints/zh-CN/lookup-tcp.md"),
        "worker-pool" => include_str!("../book/src/hints/zh-CN/worker-pool.md"),
        "async-echo" => include_str!("../book/src/hints/zh-CN/async-echo.md"),
        "clients" => include_str!("../book/src/hints/zh-CN/clients.md"),
        // END HINTS
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PO: &str = r#"
msgid ""
msgstr ""
"Language: zh_CN\n"

#: src/ch01_ip.md:3
msgid "The notes open with `ParseIP`."
msgstr "笔记从 `ParseIP` 开始。"

#: src/ch01_ip.md:9 src/ch02_mask.md:1
#, fuzzy
msgid ""
"Two \"lines\"\n"
"here"
msgstr "两行"

#~ msgid "old"
#~ msgstr "旧"

#: src/ch01_ip.md:12
msgid "{{#include hints/ip.md}}"
msgstr "{{#include hints/zh-CN/ip.md}}"
"#;

    #[test]
    fn a_po_file_reads_as_its_entries() {
        let messages = parse_po(PO).expect("valid PO");
        assert_eq!(messages.len(), 3, "{messages:#?}");
        assert_eq!(messages[0].msgstr, "笔记从 `ParseIP` 开始。");
        assert_eq!(messages[1].msgid, "Two \"lines\"\nhere");
        assert!(messages[1].fuzzy && !messages[0].fuzzy);
        assert_eq!(
            messages[1].references,
            ["src/ch01_ip.md:9", "src/ch02_mask.md:1"]
        );
        assert!(parse_po("msgid \"unclosed\n").is_err());
        assert!(parse_po("msgid \"bad \\q escape\"\n").is_err());
    }

    #[test]
    fn problems_name_what_is_missing_fuzzy_or_broken() {
        let template = parse_po(PO).expect("valid PO");
        let mut translation = template.clone();
        assert_eq!(
            translation_problems(&template, &translation),
            ["src/ch01_ip.md:9: fuzzy (check and unmark it): \"Two \\\"lines\\\"\\nhere\""]
        );
        translation[1].fuzzy = false;
        assert!(translation_problems(&template, &translation).is_empty());
        translation[0].msgstr = "笔记从 ParseIP 开始。".into();
        translation.pop();
        let problems = translation_problems(&template, &translation);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("lost `ParseIP`:"), "{problems:?}");
        assert!(problems[1].contains("not in the .po file"), "{problems:?}");
    }

    #[test]
    fn locales_and_names_choose_a_language() {
        assert_eq!(Lang::from_locale("zh_CN.UTF-8"), Lang::ZhCn);
        assert_eq!(Lang::from_locale("zh_TW.UTF-8"), Lang::ZhCn);
        assert_eq!(Lang::from_locale("en_US.UTF-8"), Lang::En);
        assert_eq!(Lang::from_locale("C"), Lang::En);
        assert_eq!(Lang::parse("zh-CN"), Some(Lang::ZhCn));
        assert_eq!(Lang::parse("zh_cn"), Some(Lang::ZhCn));
        assert_eq!(Lang::parse("en"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }
}
