//! The learner's progress: the last result of each step, in `.netlings-state` at the
//! course root. Plain text, one `name result` line each, so it is easy to read, copy to
//! another machine, or delete (the next check rebuilds it).

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use netlings::catalog::{CHAPTERS, EXERCISES, Exercise};

use super::i18n::{self, pad, tr};
use super::outcome::{Outcome, Status};
use super::term::Colors;

const FILE: &str = ".netlings-state";

/// What the last checks said.
#[derive(Debug, Default)]
pub struct Progress {
    last: HashMap<String, Status>,
}

fn path(root: &Path) -> PathBuf {
    root.join(FILE)
}

impl Progress {
    /// Reads the progress file; a missing or garbled file is simply no progress yet.
    pub fn load(root: &Path) -> Progress {
        let text = fs::read_to_string(path(root)).unwrap_or_default();
        let last = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let (name, word) = l.split_once(' ')?;
                Some((name.to_string(), Status::from_word(word.trim())?))
            })
            .collect();
        Progress { last }
    }

    /// Records one check's result. Progress is a convenience: failing to save it is not an error.
    pub fn record(root: &Path, e: &Exercise, outcome: &Outcome) {
        let mut progress = Progress::load(root);
        progress.last.insert(e.name.to_string(), outcome.status);
        let _ = fs::write(path(root), progress.to_text());
    }

    fn to_text(&self) -> String {
        let mut s = String::from(
            "# netlings progress: the last result of each exercise. Safe to delete.\n",
        );
        for e in EXERCISES.iter() {
            if let Some(status) = self.last.get(e.name) {
                s.push_str(&format!("{} {}\n", e.name, status.word()));
            }
        }
        s
    }

    /// The last known result of `e`, if it was ever checked.
    pub fn status(&self, e: &Exercise) -> Option<Status> {
        self.last.get(e.name).copied()
    }

    /// How many exercises passed their last check.
    pub fn done(&self) -> usize {
        EXERCISES
            .iter()
            .filter(|e| self.status(e) == Some(Status::Pass))
            .count()
    }

    /// The last step, in course order, whose last check passed.
    pub fn last_passed(&self) -> Option<&'static Exercise> {
        EXERCISES
            .iter()
            .rev()
            .find(|e| self.status(e) == Some(Status::Pass))
    }

    /// The first step, in course order, that has not passed.
    pub fn first_unsolved(&self) -> Option<&'static Exercise> {
        EXERCISES
            .iter()
            .find(|e| self.status(e) != Some(Status::Pass))
    }

    /// A bar of `width` cells, filled in proportion to the steps done.
    pub fn bar(&self, width: usize) -> String {
        let filled = self.done() * width / EXERCISES.len().max(1);
        format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
    }

    /// What to say when step `e` has just passed: where its reference solution is, and what is
    /// next. `next` is how to move on ("Press n for the next step").
    pub fn after_pass(&self, e: &Exercise, next: &str) -> String {
        let (done, all, name) = (self.done(), EXERCISES.len(), e.name);
        let page = e.chapter.solutions_page();
        let mut s = tr!(
            format!(
                "Done: {done} of {all} steps. Compare with the reference: \
                 `cargo run -- solution {name}` (or {page})."
            ),
            format!(
                "已完成 {all} 步中的 {done} 步。和参考答案对照一下：`cargo run -- solution {name}`\
                 （或 {page}）。"
            )
        );
        let chapter = e.chapter.number;
        match self.first_unsolved() {
            None => s.push_str(tr!(
                "\n\nEvery step of every chapter passes: you have finished the course! \
                 `cargo run -- list` shows it all.",
                "\n\n所有章节的所有步骤都通过了：你学完了整个课程！`cargo run -- list` 可以看到全部。"
            )),
            Some(_) if e.is_program() => s.push_str(&tr!(
                format!(
                    "\n\nChapter {chapter}'s program is complete: try it with \
                     `cargo run -- run {name} -- --help`. {next}."
                ),
                format!(
                    "\n\n第 {chapter} 章的程序完成了：用 `cargo run -- run {name} -- --help` \
                     试试看。{next}。"
                )
            )),
            Some(_) => s.push_str(&tr!(format!("\n\n{next}."), format!("\n\n{next}。"))),
        }
        s
    }

    /// The `netlings list` table: the steps grouped by chapter, with their last result.
    pub fn render_list(&self, c: Colors) -> String {
        let (done, all, bar) = (self.done(), EXERCISES.len(), self.bar(30));
        let mut s = tr!(
            format!("Progress: {done} of {all} steps pass  {bar}\n"),
            format!("进度：{all} 步中已通过 {done} 步  {bar}\n")
        );
        for chapter in CHAPTERS {
            let steps: Vec<&Exercise> = EXERCISES
                .iter()
                .filter(|e| std::ptr::eq(e.chapter, chapter))
                .collect();
            let done = steps
                .iter()
                .filter(|e| self.status(e) == Some(Status::Pass))
                .count();
            s.push_str(&c.bold(&format!(
                "\n{:>2}. {}  ({done}/{})\n",
                chapter.number,
                netlings::i18n::chapter_title(chapter.number, i18n::lang()),
                steps.len()
            )));
            for e in steps {
                let status = match self.status(e) {
                    Some(Status::Pass) => c.green(&pad(tr!("✓ pass", "✓ 通过"), 16)),
                    Some(other) => c.red(&pad(&format!("✗ {}", other.shown()), 16)),
                    None => c.dim(&pad(tr!("· not checked", "· 未检查"), 16)),
                };
                s.push_str(&format!(
                    "  {:<5} {:<16} {status} {}\n",
                    e.number_label(),
                    e.name,
                    netlings::i18n::step_title(e.name, i18n::lang())
                ));
            }
        }
        if let Some(next) = self.first_unsolved() {
            let (name, page, file) = (next.name, next.chapter.book_path(), next.exercise_path());
            s.push_str(&tr!(
                format!(
                    "\nNext: `{name}`. Read {page}, edit {file}, then `cargo run -- check` \
                     (or just `cargo run`).\n"
                ),
                format!(
                    "\n下一步：`{name}`。阅读 {page}，编辑 {file}，然后运行 `cargo run -- check`\
                     （或者直接 `cargo run`）。\n"
                )
            ));
        } else {
            s.push_str(tr!(
                "\nEvery step passes. `cargo run -- grade` prints the score table.\n",
                "\n所有步骤都通过了。`cargo run -- grade` 会打印成绩表。\n"
            ));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_survives_a_round_trip_and_ignores_garbage() {
        let dir = std::env::temp_dir().join(format!("netlings-state-{}", std::process::id()));
        fs::create_dir_all(&dir).expect("temp dir");
        fs::write(
            path(&dir),
            format!(
                "# comment\n{} pass\n{} fail\nbogus line\nping maybe\n",
                EXERCISES[0].name, EXERCISES[1].name
            ),
        )
        .expect("write");
        let progress = Progress::load(&dir);
        assert_eq!(progress.status(&EXERCISES[0]), Some(Status::Pass));
        assert_eq!(progress.done(), 1);
        assert_eq!(
            progress.first_unsolved().map(|e| e.name),
            EXERCISES.get(1).map(|e| e.name)
        );
        assert!(
            progress
                .to_text()
                .contains(&format!("{} pass\n", EXERCISES[0].name))
        );
        fs::remove_dir_all(&dir).expect("cleanup");
    }
}
