//! The `netlings` command line, run as a learner runs it, for the commands that do not drive
//! cargo (those are proven by `netlings dev check` in CI). Each run uses an empty course root in
//! a temporary directory, so no one's progress file changes the output.

use std::path::PathBuf;
use std::process::{Command, Output};

use insta::assert_snapshot;

/// A course root with no progress: the catalog is compiled in, the root only holds state.
fn empty_root(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("netlings-cli-{name}-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("src")).expect("a temporary directory");
    std::fs::write(dir.join("src/catalog.rs"), "").expect("marker file");
    std::fs::write(dir.join("Cargo.toml"), "").expect("marker file");
    dir
}

fn netlings(name: &str, args: &[&str]) -> Output {
    netlings_in("C", name, args)
}

/// `netlings` with `LANG=lang`.
fn netlings_in(lang: &str, name: &str, args: &[&str]) -> Output {
    let root = empty_root(name);
    let output = Command::new(env!("CARGO_BIN_EXE_netlings"))
        .args(args)
        .current_dir(&root)
        .env("NO_COLOR", "1")
        // English unless asked, whatever the machine's locale.
        .env("LANG", lang)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("the netlings binary runs");
    std::fs::remove_dir_all(&root).expect("cleanup");
    output
}

fn text(output: &Output) -> String {
    format!(
        "{}{}[exit {}]",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
        output.status.code().unwrap_or(-1)
    )
}

#[test]
fn without_a_terminal_cargo_run_prints_progress_and_the_next_step() {
    let output = netlings("plain", &[]);
    assert!(output.status.success(), "{}", text(&output));
    assert_snapshot!(text(&output));
}

#[test]
fn list_shows_every_chapter_in_order() {
    let output = netlings("list", &["list"]);
    assert!(output.status.success(), "{}", text(&output));
    assert_snapshot!(text(&output));
}

#[test]
fn hint_names_the_file_the_go_api_and_the_chapter() {
    let output = netlings("hint", &["hint", "echo-server"]);
    assert!(output.status.success(), "{}", text(&output));
    assert_snapshot!(text(&output));
}

#[test]
fn an_unknown_step_is_an_error_that_lists_the_real_ones() {
    for command in ["check", "hint", "reset", "run"] {
        let output = netlings(command, &[command, "nope"]);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{command}: {}",
            text(&output)
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(
                "there is no step `nope`; the steps are: parse-ip, properties, ip, masks,"
            ),
            "{command}: {stderr}"
        );
    }
}

#[test]
fn a_solution_stays_closed_until_the_step_passes() {
    let output = netlings("solution", &["solution", "parse-ip"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert_snapshot!(text(&output));
    // --force reads the file, so it runs in the course itself (its progress does not matter).
    let forced = Command::new(env!("CARGO_BIN_EXE_netlings"))
        .args(["solution", "parse-ip", "--force"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the netlings binary runs");
    assert!(forced.status.success(), "{}", text(&forced));
    let shown = String::from_utf8_lossy(&forced.stdout);
    assert!(
        shown.starts_with("// solutions/ch01_ip/1_parse_ip.rs")
            && shown.contains("pub fn parse_ip"),
        "{shown}"
    );
}

#[test]
fn hint_defaults_to_the_first_step_not_yet_passed() {
    let output = netlings("hint-default", &["hint"]);
    assert!(output.status.success(), "{}", text(&output));
    let shown = String::from_utf8_lossy(&output.stdout);
    assert!(shown.starts_with("Hint for step 1.1 `parse-ip`"), "{shown}");
}

#[test]
fn bad_arguments_get_clap_usage_and_exit_2() {
    let output = netlings("usage", &["grade", "--format", "yaml"]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert_snapshot!(text(&output));
}

/// Runs of three or more English words in `text`, outside code spans, paths and names: prose
/// that a Chinese reader would meet untranslated.
fn english_prose(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        // Code spans, and a failing test's own output (test names, the harness's messages).
        let outside: String = line.split('`').step_by(2).collect::<Vec<_>>().join(" ");
        let mut run: Vec<&str> = Vec::new();
        for word in outside.split(|c: char| {
            !(c.is_ascii_alphabetic()
                || c == '-'
                || c == '\''
                || c == '/'
                || c == '.'
                || c == '_'
                || c == ':')
        }) {
            // Step names (`parse-ip`, `ip`) are names, not prose.
            let name = netlings::catalog::EXERCISES.iter().any(|e| e.name == word);
            let plain = !word.is_empty()
                && !name
                && word.chars().all(|c| c.is_ascii_lowercase() || c == '\'')
                && word.len() > 1;
            if plain {
                run.push(word);
            } else if !word.is_empty() {
                if run.len() >= 3 {
                    found.push(run.join(" "));
                }
                run.clear();
            }
        }
        if run.len() >= 3 {
            found.push(run.join(" "));
        }
    }
    found
}

#[test]
fn english_prose_is_found_and_names_are_not() {
    assert_eq!(
        english_prose("Next: `cargo run -- check` checks the next step"),
        ["checks the next step"]
    );
    assert!(
        english_prose("下一步：`cargo run -- check` 会检查 parse-ip 与 book/src/ch01_ip.md")
            .is_empty()
    );
}

#[test]
fn a_chinese_locale_gets_chinese_lists_hints_and_messages() {
    let runs: [(&str, &[&str]); 5] = [
        ("zh-list", &["list"]),
        ("zh-hint", &["hint"]),
        ("zh-hint-echo", &["hint", "echo-server"]),
        ("zh-solution", &["solution", "parse-ip"]),
        ("zh-unknown", &["check", "nope"]),
    ];
    for (name, args) in runs {
        let output = netlings_in("zh_CN.UTF-8", name, args);
        let shown = text(&output);
        assert!(
            shown
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "netlings {}: no Chinese at all:\n{shown}",
            args.join(" ")
        );
        let english = english_prose(&shown);
        assert!(
            english.is_empty(),
            "netlings {} in Chinese still says, in English: {english:?}\n{shown}",
            args.join(" ")
        );
    }
    // --lang wins over the locale, both ways.
    let asked = netlings_in("zh_CN.UTF-8", "lang-en", &["--lang", "en", "list"]);
    assert!(text(&asked).starts_with("Progress:"), "{}", text(&asked));
    let asked = netlings_in("C", "lang-zh", &["--lang", "zh-CN", "list"]);
    assert!(text(&asked).starts_with("进度："), "{}", text(&asked));
}

#[test]
fn reset_restores_the_stub_without_git_and_keeps_the_learners_version() {
    let root = empty_root("reset");
    let file = root.join("exercises/ch01_ip/1_parse_ip.rs");
    std::fs::create_dir_all(file.parent().expect("a parent")).expect("a directory");
    std::fs::write(&file, "my work in progress\n").expect("writable");
    let output = Command::new(env!("CARGO_BIN_EXE_netlings"))
        .args(["reset", "parse-ip"])
        .current_dir(&root)
        .env("LANG", "C")
        .output()
        .expect("the netlings binary runs");
    let pristine = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("exercises/ch01_ip/1_parse_ip.rs"),
    )
    .expect("the course's stub");
    let restored = std::fs::read_to_string(&file).expect("the reset file");
    let kept = std::fs::read_to_string(file.with_extension("rs.bak")).expect("the backup");
    std::fs::remove_dir_all(&root).expect("cleanup");
    assert!(output.status.success(), "{}", text(&output));
    assert_eq!(restored, pristine, "reset did not write the pristine stub");
    assert_eq!(
        kept, "my work in progress\n",
        "reset lost the learner's version"
    );
    assert!(
        text(&output).contains("1_parse_ip.rs.bak"),
        "reset must say where the learner's version went: {}",
        text(&output)
    );
}
