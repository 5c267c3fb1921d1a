//! The learner's progress: the last result of each exercise, in `.netlings-state` at the
//! course root. Plain text, one `name result` line each, so it is easy to read, copy to
//! another machine, or delete (the next check rebuilds it).

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use netlings::catalog::{EXERCISES, Exercise};

use super::runner::{Outcome, Status};
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
        for e in EXERCISES {
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

    /// The first exercise, in course order, that has not passed.
    pub fn first_unsolved(&self) -> Option<&'static Exercise> {
        EXERCISES
            .iter()
            .find(|e| self.status(e) != Some(Status::Pass))
    }

    /// A bar of `width` cells, filled in proportion to the exercises done.
    pub fn bar(&self, width: usize) -> String {
        let filled = self.done() * width / EXERCISES.len().max(1);
        format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
    }

    /// The `netlings list` table.
    pub fn render_list(&self, c: Colors) -> String {
        let mut s = format!(
            "Progress: {} of {} exercises pass  {}\n\n",
            self.done(),
            EXERCISES.len(),
            self.bar(EXERCISES.len())
        );
        s.push_str(&c.bold(&format!(
            " ch  {:<13} {:<16} {}\n",
            "exercise", "last check", "chapter"
        )));
        for e in EXERCISES {
            let status = match self.status(e) {
                Some(Status::Pass) => c.green(&format!("{:<16}", "✓ pass")),
                Some(other) => c.red(&format!("{:<16}", format!("✗ {}", other.word()))),
                None => c.dim(&format!("{:<16}", "· not checked")),
            };
            s.push_str(&format!(
                " {:>2}  {:<13} {status} {}\n",
                e.chapter, e.name, e.title
            ));
        }
        if let Some(next) = self.first_unsolved() {
            s.push_str(&format!(
                "\nNext: `{}`. Read book/src/{}, edit {}, then `cargo run -- check {}` (or just `cargo run`).\n",
                next.name,
                next.book_path(),
                next.exercise_path(),
                next.name
            ));
        } else {
            s.push_str("\nEvery exercise passes. `cargo run -- grade` prints the score table.\n");
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
            "# comment\nip pass\nmask fail\nbogus line\nping maybe\n",
        )
        .expect("write");
        let progress = Progress::load(&dir);
        assert_eq!(progress.status(&EXERCISES[0]), Some(Status::Pass));
        assert_eq!(progress.done(), 1);
        assert_eq!(
            progress.first_unsolved().map(|e| e.name),
            EXERCISES.get(1).map(|e| e.name)
        );
        assert!(progress.to_text().contains("ip pass\n"));
        fs::remove_dir_all(&dir).expect("cleanup");
    }
}
