//! One student's grade as text, JSON (in the spirit of Exercism's `results.json`) or JUnit XML,
//! and a class's grades as CSV and JSON.
//!
//! JSON, version 2 (the book's teacher's guide documents every field):
//! `status` is `pass` (every step earned its points), `fail` (graded, some did not) or `error`
//! (could not grade; `message` says why). `tests` lists every declared test with Exercism's
//! `status` (pass, fail, error, skip), netlings' finer `verdict` (pass, fail, timeout, error,
//! skipped), a `message` and bounded `output` for the ones that did not pass; passing tests
//! carry neither.

use std::fmt::Write as _;

use super::super::json::quote;
use super::super::outcome::{bounded, clip};
use super::super::term::Colors;
use super::engine::{StepGrade, StepStatus};
use super::student::Submission;
use super::verdict::{Verdict, summary_line};

/// Exit status: graded, every step passes.
pub const EXIT_PASS: u8 = 0;
/// Exit status: graded, some step did not earn its points.
pub const EXIT_FAIL: u8 = 1;
/// Exit status: could not grade (a refused revision, a grader that does not match the course,
/// a build that could not start). clap's usage errors keep 2.
pub const EXIT_ERROR: u8 = 3;

/// One student's grade.
#[derive(Debug, Clone)]
pub struct Report {
    pub student: String,
    pub dir: String,
    /// The course commit graded against; `None` when a tree was graded in place.
    pub course_commit: Option<String>,
    pub submission: Option<Submission>,
    pub steps: Vec<StepGrade>,
    pub warnings: Vec<String>,
    /// Why it could not be graded.
    pub error: Option<String>,
    pub seconds: f64,
}

impl Report {
    /// A report that says only why grading was not possible.
    pub fn could_not_grade(
        student: &str,
        dir: &str,
        course: Option<String>,
        why: String,
    ) -> Report {
        Report {
            student: student.to_string(),
            dir: dir.to_string(),
            course_commit: course,
            submission: None,
            steps: Vec::new(),
            warnings: Vec::new(),
            error: Some(why),
            seconds: 0.0,
        }
    }

    pub fn status(&self) -> &'static str {
        if self.error.is_some() {
            "error"
        } else if self.steps.iter().all(|s| s.status == StepStatus::Pass) {
            "pass"
        } else {
            "fail"
        }
    }

    pub fn exit_code(&self) -> u8 {
        match self.status() {
            "pass" => EXIT_PASS,
            "fail" => EXIT_FAIL,
            _ => EXIT_ERROR,
        }
    }

    pub fn points(&self) -> u32 {
        self.steps.iter().map(|s| s.points).sum()
    }

    pub fn max_points(&self) -> u32 {
        self.steps.iter().map(|s| s.exercise.points).sum()
    }

    fn count(&self, v: Verdict) -> usize {
        self.steps.iter().map(|s| s.count(v)).sum()
    }

    fn tests(&self) -> usize {
        self.steps.iter().map(|s| s.tests.len()).sum()
    }

    fn file_state(&self, step: &StepGrade) -> Option<&'static str> {
        let sub = self.submission.as_ref()?;
        sub.steps
            .iter()
            .find(|(e, _, _)| e.name == step.exercise.name)
            .map(|(_, state, _)| state.word())
    }

    /// Everything a teacher should look at besides the verdicts: per-step warnings first.
    fn all_warnings(&self) -> Vec<String> {
        let mut all: Vec<String> = self
            .steps
            .iter()
            .flat_map(|s| {
                s.warnings
                    .iter()
                    .map(move |w| format!("{}: {w}", s.exercise.exercise_path()))
            })
            .collect();
        all.extend(self.warnings.iter().cloned());
        all
    }

    /// The report for a person.
    pub fn text(&self, c: Colors) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{} {} ({})",
            c.bold("netlings grade:"),
            self.student,
            self.dir
        );
        match &self.course_commit {
            Some(commit) => {
                let _ = writeln!(
                    s,
                    "  course {commit}: its own tests, snapshots, harness and build files; only \
                     the student's exercises/ step files are taken"
                );
            }
            None => {
                let _ = writeln!(
                    s,
                    "  graded in place: this tree's own tests and build files (a self-check, not \
                     a trusted grade: `netlings grade --course ...` gives one)"
                );
            }
        }
        if let Some(sub) = &self.submission
            && let Some(head) = &sub.head
        {
            let _ = writeln!(
                s,
                "  graded commit {head}{} ({})",
                if sub.dirty {
                    ", with uncommitted changes in exercises/ (graded as they are)"
                } else {
                    ""
                },
                sub.layout.word()
            );
        }
        if let Some(why) = &self.error {
            let _ = writeln!(s, "\n{} could not grade: {why}", c.red("✗"));
            return s;
        }
        s.push('\n');
        s.push_str(&c.bold(&format!(
            " {:<5} {:<16} {:>7}  {:<14} {:>7} {:>7}\n",
            "step", "name", "tests", "result", "points", "time"
        )));
        for step in &self.steps {
            let passed = step.count(Verdict::Pass);
            let word = format!("{:<14}", step.status.word());
            let result = match step.status {
                StepStatus::Pass => c.green(&word),
                StepStatus::Skipped => c.yellow(&word),
                _ => c.red(&word),
            };
            let _ = writeln!(
                s,
                " {:<5} {:<16} {:>7}  {result} {:>7} {:>6.1}s",
                step.exercise.number_label(),
                step.exercise.name,
                format!("{passed}/{}", step.tests.len()),
                format!("{}/{}", step.points, step.exercise.points),
                step.seconds()
            );
        }
        let steps_passed = self
            .steps
            .iter()
            .filter(|s| s.status == StepStatus::Pass)
            .count();
        let _ = writeln!(
            s,
            "\n{} {}/{} · steps {steps_passed}/{} pass · tests {}/{} pass, {} fail, {} timeout, {} error, {} skipped · {:.1} s",
            c.bold("points:"),
            self.points(),
            self.max_points(),
            self.steps.len(),
            self.count(Verdict::Pass),
            self.tests(),
            self.count(Verdict::Fail),
            self.count(Verdict::Timeout),
            self.count(Verdict::Error),
            self.count(Verdict::Skipped),
            self.seconds
        );
        let failing: Vec<&StepGrade> = self
            .steps
            .iter()
            .filter(|s| !matches!(s.status, StepStatus::Pass | StepStatus::Skipped))
            .collect();
        if !failing.is_empty() {
            let _ = writeln!(s, "\n{}", c.bold("Why steps did not pass:"));
        }
        for step in failing {
            let bad: Vec<_> = step
                .tests
                .iter()
                .filter(|t| !matches!(t.verdict, Verdict::Pass | Verdict::Skipped))
                .collect();
            let _ = writeln!(
                s,
                "\n── {} {} ({}): {}, {} of {} tests",
                step.exercise.number_label(),
                step.exercise.name,
                step.exercise.exercise_path(),
                step.status.word(),
                bad.len(),
                step.tests.len()
            );
            match (&step.message, bad.first()) {
                (Some(message), _) => s.push_str(&indent(&clip(message, 25, 3000))),
                (None, Some(first)) => {
                    let _ = writeln!(s, "   {} ({})", first.name, first.verdict.word());
                    s.push_str(&indent(&clip(&first.message, 15, 2000)));
                    if !first.output.is_empty() {
                        let _ = writeln!(s, "   what the code printed (its last lines):");
                        s.push_str(&indent(&bounded(&first.output, 8, 1000)));
                    }
                    if bad.len() > 1 {
                        let rest: Vec<String> = bad[1..]
                            .iter()
                            .map(|t| format!("{} ({})", t.name, t.verdict.word()))
                            .collect();
                        let _ = writeln!(s, "   also: {}", rest.join(", "));
                    }
                }
                (None, None) => {}
            }
        }
        let skipped: Vec<_> = self
            .steps
            .iter()
            .flat_map(|s| s.tests.iter())
            .filter(|t| t.verdict == Verdict::Skipped)
            .collect();
        if !skipped.is_empty() {
            let _ = writeln!(
                s,
                "\n{}",
                c.bold(
                    "Skipped, so their steps earn nothing (grant what they need and grade again):"
                )
            );
            for t in skipped {
                let _ = writeln!(s, "   {}: {}", t.name, t.message);
            }
        }
        if let Some(sub) = &self.submission
            && !sub.findings.is_empty()
        {
            let _ = writeln!(
                s,
                "\n{}",
                c.bold("Not used for grading (differs from what the student was handed):")
            );
            for f in &sub.findings {
                let _ = writeln!(
                    s,
                    "   {:<9} {}{}",
                    f.change,
                    f.path,
                    if f.affects_grading {
                        "  (would affect grading if it were used)"
                    } else {
                        ""
                    }
                );
            }
        }
        let warnings = self.all_warnings();
        if !warnings.is_empty() {
            let _ = writeln!(s, "\n{}", c.bold("For the teacher to look at:"));
            for w in warnings {
                let _ = writeln!(s, "   {w}");
            }
        }
        s
    }

    /// The report as JSON (see the module's documentation).
    pub fn json(&self) -> String {
        let opt = |v: &Option<String>| v.as_deref().map_or("null".to_string(), quote);
        let mut steps = Vec::new();
        let mut tests = Vec::new();
        for step in &self.steps {
            let e = step.exercise;
            steps.push(format!(
                "{{\"name\":{},\"number\":{},\"chapter\":{},\"file\":{},\"file_state\":{},\"status\":\"{}\",\"points\":{},\"max_points\":{},\"tests_passed\":{},\"tests\":{},\"seconds\":{:.3},\"message\":{},\"warnings\":[{}]}}",
                quote(e.name),
                quote(&e.number_label()),
                e.chapter.number,
                quote(&e.exercise_path()),
                self.file_state(step).map_or("null".to_string(), quote),
                step.status.word(),
                step.points,
                e.points,
                step.count(Verdict::Pass),
                step.tests.len(),
                step.seconds(),
                opt(&step.message.as_deref().map(|m| clip(m, 40, 4000))),
                step.warnings.iter().map(|w| quote(w)).collect::<Vec<_>>().join(","),
            ));
            for t in &step.tests {
                let (message, output) = if t.verdict == Verdict::Pass {
                    ("null".to_string(), "null".to_string())
                } else {
                    (
                        quote(&clip(&t.message, 60, 4000)),
                        if t.output.is_empty() {
                            "null".to_string()
                        } else {
                            quote(&bounded(&t.output, 20, 1000))
                        },
                    )
                };
                tests.push(format!(
                    "{{\"name\":{},\"step\":{},\"status\":\"{}\",\"verdict\":\"{}\",\"message\":{message},\"output\":{output},\"seconds\":{:.3}}}",
                    quote(&t.name),
                    quote(e.name),
                    t.verdict.status(),
                    t.verdict.word(),
                    t.seconds,
                ));
            }
        }
        let submission = match &self.submission {
            None => "null".to_string(),
            Some(sub) => format!(
                "{{\"layout\":\"{}\",\"graded_commit\":{},\"dirty\":{},\"findings\":[{}]}}",
                sub.layout.word(),
                opt(&sub.head),
                sub.dirty,
                sub.findings
                    .iter()
                    .map(|f| format!(
                        "{{\"path\":{},\"change\":\"{}\",\"affects_grading\":{}}}",
                        quote(&f.path),
                        f.change,
                        f.affects_grading
                    ))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        };
        let steps_passed = self
            .steps
            .iter()
            .filter(|s| s.status == StepStatus::Pass)
            .count();
        format!(
            "{{\"version\":2,\"status\":\"{}\",\"message\":{},\"netlings_version\":{},\"trusted\":{},\"course_commit\":{},\"graded_commit\":{},\"student\":{},\"dir\":{},\"points\":{},\"max_points\":{},\"summary\":{{\"steps\":{},\"steps_passed\":{steps_passed},\"tests\":{},\"passed\":{},\"failed\":{},\"timeouts\":{},\"errors\":{},\"skipped\":{}}},\"seconds\":{:.3},\"steps\":[{}],\"tests\":[{}],\"submission\":{submission},\"warnings\":[{}]}}\n",
            self.status(),
            opt(&self.error),
            quote(env!("CARGO_PKG_VERSION")),
            self.course_commit.is_some(),
            opt(&self.course_commit),
            opt(&self.submission.as_ref().and_then(|s| s.head.clone())),
            quote(&self.student),
            quote(&self.dir),
            self.points(),
            self.max_points(),
            self.steps.len(),
            self.tests(),
            self.count(Verdict::Pass),
            self.count(Verdict::Fail),
            self.count(Verdict::Timeout),
            self.count(Verdict::Error),
            self.count(Verdict::Skipped),
            self.seconds,
            steps.join(","),
            tests.join(","),
            self.all_warnings()
                .iter()
                .map(|w| quote(w))
                .collect::<Vec<_>>()
                .join(","),
        )
    }

    /// The report as JUnit XML: a suite per step (its points as properties), a case per test;
    /// `<failure>` for a failed assertion, `<error>` for a timeout, a crash or a compile error,
    /// `<skipped/>` for a skip; totals on `<testsuites>`.
    pub fn junit(&self) -> String {
        let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        if let Some(why) = &self.error {
            let _ = write!(
                s,
                "<testsuites name=\"netlings\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\" time=\"0\">\n  <testsuite name=\"netlings grade\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\" time=\"0\">\n    <testcase classname=\"netlings\" name=\"grade\" time=\"0\">\n      <error message=\"could not grade\">{}</error>\n    </testcase>\n  </testsuite>\n</testsuites>\n",
                xml(why)
            );
            return s;
        }
        let errors = |st: &StepGrade| st.count(Verdict::Error) + st.count(Verdict::Timeout);
        let _ = writeln!(
            s,
            "<testsuites name=\"netlings\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{:.3}\">",
            self.tests(),
            self.count(Verdict::Fail),
            self.count(Verdict::Error) + self.count(Verdict::Timeout),
            self.count(Verdict::Skipped),
            self.seconds
        );
        for step in &self.steps {
            let e = step.exercise;
            let _ = writeln!(
                s,
                "  <testsuite name=\"{} {}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{:.3}\">",
                e.number_label(),
                xml(e.name),
                step.tests.len(),
                step.count(Verdict::Fail),
                errors(step),
                step.count(Verdict::Skipped),
                step.seconds()
            );
            let _ = writeln!(
                s,
                "    <properties>\n      <property name=\"status\" value=\"{}\"/>\n      <property name=\"points\" value=\"{}\"/>\n      <property name=\"max_points\" value=\"{}\"/>\n    </properties>",
                step.status.word(),
                step.points,
                e.points
            );
            for t in &step.tests {
                let _ = write!(
                    s,
                    "    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3}\"",
                    xml(e.name),
                    xml(&t.name),
                    t.seconds
                );
                let first = xml(&summary_line(&t.message));
                let body = xml(&clip(
                    format!("{}\n{}", t.message, t.output).trim_end(),
                    80,
                    8000,
                ));
                match t.verdict {
                    Verdict::Pass => s.push_str("/>\n"),
                    Verdict::Skipped => {
                        let _ = writeln!(
                            s,
                            ">\n      <skipped message=\"{first}\"/>\n    </testcase>"
                        );
                    }
                    Verdict::Fail => {
                        let _ = writeln!(
                            s,
                            ">\n      <failure message=\"{first}\">{body}</failure>\n    </testcase>"
                        );
                    }
                    Verdict::Timeout | Verdict::Error => {
                        let kind = match (t.verdict, step.status) {
                            (Verdict::Timeout, _) => "timeout",
                            (_, StepStatus::CompileError) => "compile-error",
                            _ => "crash",
                        };
                        let body = match (&step.message, step.status) {
                            (Some(m), StepStatus::CompileError) => xml(&clip(m, 80, 8000)),
                            _ => body,
                        };
                        let _ = writeln!(
                            s,
                            ">\n      <error type=\"{kind}\" message=\"{first}\">{body}</error>\n    </testcase>"
                        );
                    }
                }
            }
            s.push_str("  </testsuite>\n");
        }
        s.push_str("</testsuites>\n");
        s
    }
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("     {l}\n")).collect()
}

/// Text safe inside XML attributes and elements.
pub fn xml(s: &str) -> String {
    s.chars()
        .filter(|&c| c == '\n' || c == '\t' || c >= ' ')
        .map(|c| match c {
            '&' => "&amp;".to_string(),
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '"' => "&quot;".to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// The class's grades as CSV: a row per student, a column per step's points.
pub fn class_csv(reports: &[Report], steps: &[&'static netlings::catalog::Exercise]) -> String {
    let field = |s: &str| {
        if s.contains([',', '"', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    let mut s = String::from("student,status,points,max_points,graded_commit");
    for e in steps {
        let _ = write!(s, ",{}", e.name);
    }
    s.push('\n');
    for r in reports {
        let head = r
            .submission
            .as_ref()
            .and_then(|sub| sub.head.clone())
            .unwrap_or_default();
        let max: u32 = steps.iter().map(|e| e.points).sum();
        let _ = write!(
            s,
            "{},{},{},{max},{head}",
            field(&r.student),
            r.status(),
            r.points()
        );
        for e in steps {
            match r.steps.iter().find(|g| g.exercise.name == e.name) {
                Some(g) => {
                    let _ = write!(s, ",{}", g.points);
                }
                None => s.push(','),
            }
        }
        s.push('\n');
    }
    s
}

/// The class's grades as JSON: the steps with their points, then a row per student.
pub fn class_json(
    reports: &[Report],
    steps: &[&'static netlings::catalog::Exercise],
    course_commit: &str,
) -> String {
    let step_list: Vec<String> = steps
        .iter()
        .map(|e| {
            format!(
                "{{\"name\":{},\"number\":{},\"max_points\":{}}}",
                quote(e.name),
                quote(&e.number_label()),
                e.points
            )
        })
        .collect();
    let students: Vec<String> = reports
        .iter()
        .map(|r| {
            let points: Vec<String> = r
                .steps
                .iter()
                .map(|g| {
                    format!(
                        "{}:{{\"points\":{},\"status\":\"{}\"}}",
                        quote(g.exercise.name),
                        g.points,
                        g.status.word()
                    )
                })
                .collect();
            format!(
                "{{\"student\":{},\"dir\":{},\"status\":\"{}\",\"message\":{},\"points\":{},\"graded_commit\":{},\"report\":{},\"steps\":{{{}}}}}",
                quote(&r.student),
                quote(&r.dir),
                r.status(),
                r.error.as_deref().map_or("null".to_string(), quote),
                r.points(),
                r.submission
                    .as_ref()
                    .and_then(|s| s.head.as_deref())
                    .map_or("null".to_string(), quote),
                quote(&format!("{}/results.json", r.student)),
                points.join(",")
            )
        })
        .collect();
    format!(
        "{{\"version\":2,\"netlings_version\":{},\"course_commit\":{},\"max_points\":{},\"steps\":[{}],\"students\":[{}]}}\n",
        quote(env!("CARGO_PKG_VERSION")),
        quote(course_commit),
        steps.iter().map(|e| e.points).sum::<u32>(),
        step_list.join(","),
        students.join(",")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_text_escapes_markup_and_drops_control_characters() {
        assert_eq!(
            xml("<a href=\"x\">&\u{1b}[31m</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;[31m&lt;/a&gt;"
        );
    }

    #[test]
    fn a_report_that_could_not_grade_says_why_in_every_format() {
        let r = Report::could_not_grade("alice", "/s/alice", None, "no such commit".into());
        assert_eq!(r.exit_code(), EXIT_ERROR);
        let json = super::super::super::json::parse(&r.json()).expect("valid JSON");
        assert_eq!(json.get("status").and_then(|v| v.as_str()), Some("error"));
        assert_eq!(
            json.get("message").and_then(|v| v.as_str()),
            Some("no such commit")
        );
        assert!(
            r.junit()
                .contains("<error message=\"could not grade\">no such commit</error>")
        );
        assert!(
            r.text(Colors::none())
                .contains("could not grade: no such commit")
        );
    }
}
