//! What a check found, and how it reads to a person: the verdict first, what to fix, then what
//! the learner's code printed, bounded.

use std::time::Duration;

use netlings::catalog::Exercise;

use super::i18n::tr;
use super::term::Colors;

/// How a check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Every test passed.
    Pass,
    /// It compiled, and at least one test failed.
    Fail,
    /// The exercise (or its tests) did not compile.
    CompileError,
    /// The tests did not finish before the exercise's deadline.
    TimedOut,
    /// cargo itself could not be started or said something unexpected.
    Error,
}

impl Status {
    /// The word used in lists and reports.
    pub fn word(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::CompileError => "compile-error",
            Status::TimedOut => "timeout",
            Status::Error => "error",
        }
    }

    /// The word in the learner's language, for lists (`word` is what the progress file keeps).
    pub fn shown(self) -> &'static str {
        match self {
            Status::Pass => tr!("pass", "通过"),
            Status::Fail => tr!("fail", "失败"),
            Status::CompileError => tr!("compile-error", "编译错误"),
            Status::TimedOut => tr!("timeout", "超时"),
            Status::Error => tr!("error", "出错"),
        }
    }

    /// The inverse of [`Status::word`].
    pub fn from_word(word: &str) -> Option<Status> {
        [
            Status::Pass,
            Status::Fail,
            Status::CompileError,
            Status::TimedOut,
            Status::Error,
        ]
        .into_iter()
        .find(|s| s.word() == word)
    }
}

/// One test's result, as libtest printed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestResult {
    /// `module::function`: the step's module, then the test.
    pub name: String,
    pub passed: bool,
    /// What the test printed when it failed (its panic message, a snapshot diff).
    pub output: String,
    /// Why the test did not run (no ICMP permission, no IPv6 loopback), if it said so: it
    /// passed without checking anything, and is shown as skipped, never as a pass.
    pub skipped: Option<String>,
}

/// The result of one check.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub status: Status,
    pub tests: Vec<TestResult>,
    /// Compiler errors, or the test binary's full output.
    pub output: String,
    pub elapsed: Duration,
}

impl Outcome {
    pub fn passed(&self) -> bool {
        self.status == Status::Pass
    }

    pub fn count_passed(&self) -> usize {
        self.tests
            .iter()
            .filter(|t| t.passed && t.skipped.is_none())
            .count()
    }

    /// The tests that said they did not run.
    pub fn skipped(&self) -> impl Iterator<Item = &TestResult> {
        self.tests.iter().filter(|t| t.skipped.is_some())
    }

    /// A report for a person: the verdict, then what to fix.
    pub fn report(&self, e: &Exercise, c: Colors) -> String {
        let total = self.tests.len();
        let secs = self.elapsed.as_secs_f64();
        match self.status {
            Status::Pass => {
                let skipped: Vec<&TestResult> = self.skipped().collect();
                let (passed, name) = (total - skipped.len(), e.name);
                let mut s = format!(
                    "{} {}",
                    c.green("✓"),
                    tr!(
                        format!("{passed} of {total} tests of `{name}` pass ({secs:.1} s)"),
                        format!("`{name}` 的 {total} 个测试中有 {passed} 个通过（{secs:.1} 秒）")
                    )
                );
                for t in skipped {
                    let (why, test) = (t.skipped.as_deref().unwrap_or_default(), &t.name);
                    let line = tr!(
                        format!("skipped {test}: {why}"),
                        format!("已跳过 {test}：{why}")
                    );
                    s.push_str(&format!("\n{} {line}", c.dim("·")));
                }
                s
            }
            Status::Fail => {
                let failing: Vec<&TestResult> = self.tests.iter().filter(|t| !t.passed).collect();
                let (failed, name) = (failing.len(), e.name);
                let mut s = format!(
                    "{} {}\n",
                    c.red("✗"),
                    tr!(
                        format!("{failed} of {total} tests of `{name}` fail ({secs:.1} s)"),
                        format!("`{name}` 的 {total} 个测试中有 {failed} 个失败（{secs:.1} 秒）")
                    )
                );
                if let Some(first) = failing.first() {
                    let (verdict, printed) = verdict_first(&first.output);
                    s.push_str(&format!(
                        "\n{} {}\n{}\n",
                        c.bold("──"),
                        c.bold(&first.name),
                        verdict.trim_end()
                    ));
                    if !printed.trim().is_empty() {
                        s.push_str(&format!(
                            "\n{}\n{}\n",
                            c.dim(tr!(
                                "What your code printed before it failed (the last lines):",
                                "失败之前你的代码打印的内容（最后几行）："
                            )),
                            bounded(printed.trim_end(), 15, 2000)
                        ));
                    }
                }
                if failing.len() > 1 {
                    let rest: Vec<&str> = failing[1..].iter().map(|t| t.name.as_str()).collect();
                    let rest = rest.join(", ");
                    s.push_str(&tr!(
                        format!("\nAlso failing: {rest}\n"),
                        format!("\n同样失败的还有：{rest}\n")
                    ));
                }
                s
            }
            Status::CompileError => format!(
                "{} {}\n\n{}",
                c.red("✗"),
                tr!(
                    format!("`{}` does not compile:", e.name),
                    format!("`{}` 编译不通过：", e.name)
                ),
                self.output.trim_end()
            ),
            Status::TimedOut => {
                let unfinished: Vec<&str> = self
                    .tests
                    .iter()
                    .filter(|t| t.output.starts_with("did not finish"))
                    .map(|t| t.name.as_str())
                    .collect();
                let (name, limit) = (e.name, e.chapter.timeout_secs);
                let unfinished = unfinished.join(", ");
                format!(
                    "{} {}\n\n{}",
                    c.red("✗"),
                    tr!(
                        format!(
                            "the tests of `{name}` did not finish within {limit} s: something \
                             blocks forever (a read with no timeout, a server that never returns, \
                             a loop that never ends).\nUnfinished when stopped (the first hang; \
                             the others may not have had a free test thread): {unfinished}"
                        ),
                        format!(
                            "`{name}` 的测试没有在 {limit} 秒内结束：有东西永远阻塞住了（没有超时的\
                             读取、永不返回的服务器、永不结束的循环）。\n被停止时仍未结束的测试\
                             （第一个就是卡住的那个，其余的可能只是没轮到线程）：{unfinished}"
                        )
                    ),
                    tail(&self.output, 30)
                )
            }
            Status::Error => format!(
                "{} {} {}",
                c.red("✗"),
                tr!(
                    format!("could not check `{}`:", e.name),
                    format!("无法检查 `{}`：", e.name)
                ),
                self.output.trim_end()
            ),
        }
    }
}

/// A failing test's output split into the verdict and what the test's code printed before it,
/// so the learner's own prints cannot bury the verdict. The verdict starts at insta's snapshot
/// summary (insta 1.x prints its diff before it panics) or else at the panic line.
pub fn verdict_first(output: &str) -> (&str, &str) {
    let line_starts = std::iter::once(0).chain(output.match_indices('\n').map(|(i, _)| i + 1));
    let is_verdict = |line: &str| {
        line.contains("━ Snapshot Summary ━")
            || (line.starts_with("thread '")
                && (line.contains(" panicked at ") || line.ends_with(" failed:")))
    };
    let at = line_starts
        .filter(|&i| i < output.len())
        .find(|&i| output[i..].lines().next().is_some_and(is_verdict));
    match at {
        Some(i) => (&output[i..], &output[..i]),
        None => (output, ""),
    }
}

/// At most the last `lines` lines and `chars` characters of `text`, saying what was left out.
pub fn bounded(text: &str, lines: usize, chars: usize) -> String {
    let mut kept = tail(text, lines);
    if kept.len() > chars {
        let mut cut = kept.len() - chars;
        while !kept.is_char_boundary(cut) {
            cut += 1;
        }
        kept = kept[cut..].to_string();
    }
    if kept.len() < text.len() {
        format!(
            "[... {} bytes before this left out]\n{kept}",
            text.len() - kept.len()
        )
    } else {
        kept
    }
}

/// At most the first `lines` lines and `chars` characters of `text`, saying what was left out:
/// for messages, whose beginning (the first error, the panic line) matters most.
pub fn clip(text: &str, lines: usize, chars: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    let mut kept = all[..all.len().min(lines)].join("\n");
    if kept.len() > chars {
        let mut cut = chars;
        while !kept.is_char_boundary(cut) {
            cut -= 1;
        }
        kept.truncate(cut);
    }
    if kept.len() < text.trim_end().len() {
        format!(
            "{kept}\n[... {} more bytes left out]",
            text.trim_end().len() - kept.len()
        )
    } else {
        kept
    }
}

/// The last `n` lines of `text`.
fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verdict_comes_before_what_the_code_printed() {
        let output = "debug 1\ndebug 2\nthread 'a::x' panicked at tests/ch01_ip.rs:3:5:\nboom\n";
        let (verdict, printed) = verdict_first(output);
        assert!(verdict.starts_with("thread 'a::x' panicked"), "{verdict}");
        assert_eq!(printed, "debug 1\ndebug 2\n");
        let insta = "mine\n━━━ Snapshot Summary ━━━\n-expected\n+yours\nthread 'a::x' failed:\n";
        assert_eq!(
            verdict_first(insta),
            (
                "━━━ Snapshot Summary ━━━\n-expected\n+yours\nthread 'a::x' failed:\n",
                "mine\n"
            )
        );
        let long = "x\n".repeat(100);
        let shown = bounded(&long, 15, 2000);
        assert!(
            shown.starts_with("[... 171 bytes before this left out]"),
            "{shown}"
        );
        assert_eq!(shown.lines().count(), 16);
    }
}
