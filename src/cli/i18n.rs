//! The language the command line speaks to a learner: English, or Chinese when the locale says
//! so (`LANG=zh_CN.UTF-8`) or when asked (`--lang zh-CN`).
//!
//! Every message a learner reads is written as `tr!(english, chinese)`, so none can exist in one
//! language only; `tests/cli.rs` runs the learner's commands in Chinese and fails on English
//! prose that slipped through. The maintainer's and the teacher's commands (`dev`, `grade`,
//! `bench`) speak English.

use std::sync::OnceLock;

pub use netlings::i18n::Lang;

static LANG: OnceLock<Lang> = OnceLock::new();

/// Sets the language for the rest of the run (the first call wins).
pub fn set(lang: Lang) {
    let _ = LANG.set(lang);
}

/// The language of this run.
pub fn lang() -> Lang {
    *LANG.get_or_init(Lang::from_env)
}

/// Whether this run speaks Chinese.
pub fn zh() -> bool {
    lang() == Lang::ZhCn
}

/// The English or the Chinese form, whichever this run speaks: `tr!("Next", "下一步")`, or with
/// `format!` on each side. Only the chosen side is evaluated.
macro_rules! tr {
    ($en:expr, $zh:expr $(,)?) => {
        if $crate::cli::i18n::zh() { $zh } else { $en }
    };
}
pub(crate) use tr;

/// How many terminal columns `text` takes: CJK characters take two.
pub fn width(text: &str) -> usize {
    text.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F
            | 0x2E80..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6 => 2,
            _ => 1,
        })
        .sum()
}

/// `text` padded with spaces to `columns` terminal columns.
pub fn pad(text: &str, columns: usize) -> String {
    format!("{text}{}", " ".repeat(columns.saturating_sub(width(text))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_takes_two_columns_a_character() {
        assert_eq!(width("pass"), 4);
        assert_eq!(width("✓ 通过"), 6);
        assert_eq!(pad("未检查", 10), "未检查    ");
        assert_eq!(pad("too long", 3), "too long");
    }
}
