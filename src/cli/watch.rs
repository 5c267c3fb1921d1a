//! The watch view: `cargo run` in a terminal.
//!
//! It checks the first unsolved exercise, shows the first failure (a panic message, a snapshot
//! diff or a compiler error), and checks again every time the file is saved. Keys: `h` hint,
//! `n` next exercise, `p` previous, `l` list, `r` re-check, `q` quit. Three threads feed one
//! channel: key presses, file changes (the file's modification time, polled), and finished
//! checks, so the view stays responsive while a check runs.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use netlings::catalog::{EXERCISES, Exercise};

use super::cargo::Source;
use super::i18n::{self, tr, width};
use super::outcome::Outcome;
use super::runner;
use super::state::Progress;
use super::term::{self, Colors, RawMode};

enum Event {
    /// A key, as the letter of its command: arrows become `n`/`p`, Ctrl-C and Ctrl-D `q`.
    Key(char),
    /// The terminal changed size: draw again.
    Resized,
    Saved,
    Checked(&'static str, Outcome),
}

#[derive(PartialEq, Eq)]
enum View {
    Check,
    Hint,
    List,
}

/// Opens the watch view, or, without a terminal, prints progress and the next step.
pub fn start(root: &Path, name: Option<&str>) -> Result<ExitCode, String> {
    let progress = Progress::load(root);
    if !term::interactive() {
        print!("{}", progress.render_list(Colors::none()));
        println!(
            "{}",
            tr!(
                "\nNo terminal here, so no watch mode. In a terminal, `cargo run` watches your \
                 step and re-checks it on every save; `cargo run -- check` checks it once.",
                "\n这里没有终端，所以没有监视模式。在终端里，`cargo run` 会监视你当前的步骤，\
                 每次保存都重新检查；`cargo run -- check` 检查一次。"
            )
        );
        return Ok(ExitCode::SUCCESS);
    }
    let first = match name {
        Some(n) => super::exercise(n)?,
        None => progress.first_unsolved().unwrap_or(&EXERCISES[0]),
    };
    let raw = RawMode::enable().map_err(|e| {
        tr!(
            format!("cannot read single keys from this terminal: {e}"),
            format!("无法从这个终端逐键读取：{e}")
        )
    })?;
    Watch::new(root, first).run();
    print!("\x1b[2J\x1b[H");
    drop(raw);
    println!(
        "{}",
        tr!(
            "Bye! Your progress is saved; `cargo run` picks up where you left off.",
            "再见！进度已保存；下次 `cargo run` 会从这里继续。"
        )
    );
    Ok(ExitCode::SUCCESS)
}

struct Watch {
    root: PathBuf,
    current: &'static Exercise,
    watched: Arc<Mutex<PathBuf>>,
    outcome: Option<Outcome>,
    checking: bool,
    recheck: bool,
    view: View,
    tx: Sender<Event>,
    rx: mpsc::Receiver<Event>,
}

impl Watch {
    fn new(root: &Path, first: &'static Exercise) -> Watch {
        let (tx, rx) = mpsc::channel();
        Watch {
            root: root.to_path_buf(),
            current: first,
            watched: Arc::new(Mutex::new(root.join(first.exercise_path()))),
            outcome: None,
            checking: false,
            recheck: false,
            view: View::Check,
            tx,
            rx,
        }
    }

    fn run(mut self) {
        spawn_keys(self.tx.clone());
        // Kept alive for as long as the view runs; without file events, `r` still re-checks.
        let _watcher = spawn_file_watch(&self.root, self.tx.clone(), Arc::clone(&self.watched));
        self.start_check();
        loop {
            self.draw();
            let Ok(event) = self.rx.recv() else { return };
            match event {
                Event::Key('q') => return,
                Event::Key(key) if self.view != View::Check => {
                    self.view = View::Check;
                    if key == 'n' {
                        self.next();
                    }
                }
                Event::Key('h') => self.view = View::Hint,
                Event::Key('l') => self.view = View::List,
                Event::Key('n') => self.next(),
                Event::Key('p') => self.previous(),
                Event::Key('r') | Event::Saved => self.start_check(),
                Event::Key(_) | Event::Resized => {}
                Event::Checked(name, outcome) => {
                    self.checking = false;
                    if name == self.current.name {
                        Progress::record(&self.root, self.current, &outcome);
                        self.outcome = Some(outcome);
                    }
                    if std::mem::take(&mut self.recheck) {
                        self.start_check();
                    }
                }
            }
        }
    }

    fn start_check(&mut self) {
        if self.checking {
            self.recheck = true; // saved again mid-check: check once more when it ends
            return;
        }
        self.checking = true;
        let (tx, root, e) = (self.tx.clone(), self.root.clone(), self.current);
        thread::spawn(move || {
            let outcome = runner::check_step(&root, e, Source::Exercise);
            let _ = tx.send(Event::Checked(e.name, outcome));
        });
    }

    fn previous(&mut self) {
        let at = EXERCISES.iter().position(|e| e.name == self.current.name);
        if let Some(before) = at.and_then(|i| i.checked_sub(1)) {
            self.go_to(&EXERCISES[before]);
        }
    }

    fn next(&mut self) {
        let at = EXERCISES.iter().position(|e| e.name == self.current.name);
        if let Some(next) = at.and_then(|i| EXERCISES.get(i + 1)) {
            self.go_to(next);
        }
    }

    /// Watches and checks `e` from now on.
    fn go_to(&mut self, e: &'static Exercise) {
        self.current = e;
        self.outcome = None;
        if let Ok(mut watched) = self.watched.lock() {
            *watched = self.root.join(e.exercise_path());
        }
        self.start_check();
    }

    fn draw(&self) {
        let c = term::colors();
        let (cols, rows) = term::size();
        let e = self.current;
        let progress = Progress::load(&self.root);
        let lang = i18n::lang();
        let (label, name) = (e.number_label(), e.name);
        let step_title = netlings::i18n::step_title(name, lang);
        let title = tr!(
            format!("netlings · step {label} `{name}`: {step_title}"),
            format!("netlings · 第 {label} 步 `{name}`：{step_title}")
        );
        let (bar, done, all) = (progress.bar(20), progress.done(), EXERCISES.len());
        let status = tr!(
            format!("{bar} {done}/{all} steps"),
            format!("{bar} {done}/{all} 步")
        );
        let (chapter, file, page) = (e.chapter.number, e.exercise_path(), e.chapter.book_path());
        let files = tr!(
            format!("chapter {chapter} · edit {file} · read {page}"),
            format!("第 {chapter} 章 · 编辑 {file} · 阅读 {page}")
        );
        // Lines are wrapped before they are styled, so an escape sequence is never cut.
        let mut header: Vec<String> = wrap(&format!("{title}  {status}"), cols)
            .into_iter()
            .map(|l| c.bold(&l))
            .collect();
        header.extend(wrap(&files, cols).into_iter().map(|l| c.dim(&l)));
        let mut screen = header.join("\n") + "\n\n";
        let body = match self.view {
            View::Hint => format!(
                "{}\n\n{}",
                c.yellow(tr!("Hint", "提示")),
                netlings::i18n::hint(name, lang)
            ),
            View::List => progress.render_list(c),
            View::Check => match (&self.outcome, self.checking) {
                (None, _) if first_build(&self.root) => tr!(
                    format!(
                        "Checking `{name}`… The first check also compiles the course's \
                         dependencies: give it a minute."
                    ),
                    format!("正在检查 `{name}`……第一次检查还要编译课程的依赖：请稍等一分钟。")
                ),
                (None, _) => tr!(
                    format!("Checking `{name}`…"),
                    format!("正在检查 `{name}`……")
                ),
                (Some(outcome), checking) => {
                    let mut report = outcome.report(e, c);
                    if outcome.passed() {
                        report.push_str(&format!(
                            "\n\n{}",
                            progress
                                .after_pass(e, tr!("Press n for the next step", "按 n 进入下一步"))
                        ));
                    }
                    if checking {
                        let again = tr!("(checking again…)", "（正在重新检查……）");
                        report = format!("{}\n{report}", c.dim(again));
                    }
                    report
                }
            },
        };
        let footer = match self.view {
            View::Check => tr!(
                "[h] hint  [n] next  [p] previous  [l] list  [r] re-check  [q] quit  · saving re-checks",
                "[h] 提示  [n] 下一步  [p] 上一步  [l] 列表  [r] 重新检查  [q] 退出  · 保存即重新检查"
            ),
            _ => tr!(
                "any key: back  ·  [n] next  ·  [q] quit",
                "任意键：返回  ·  [n] 下一步  ·  [q] 退出"
            ),
        };
        let footer = wrap(footer, cols);
        // Leave room for the header, the footer and three more lines: a blank line after the
        // header, one before the footer, and the "more lines" line.
        let room = rows.saturating_sub(header.len() + footer.len() + 3).max(3);
        let rows: Vec<String> = body.lines().flat_map(|line| wrap(line, cols)).collect();
        for row in rows.iter().take(room) {
            screen.push_str(row);
            screen.push('\n');
        }
        if rows.len() > room {
            let more = rows.len() - room;
            screen.push_str(&c.dim(&tr!(
                format!("… {more} more lines: `cargo run -- check {name}` shows them all\n"),
                format!("……还有 {more} 行：`cargo run -- check {name}` 可以看到全部\n")
            )));
        }
        screen.push('\n');
        screen.push_str(
            &footer
                .iter()
                .map(|l| c.dim(l))
                .collect::<Vec<_>>()
                .join("\n"),
        );
        let mut out = std::io::stdout().lock();
        // Raw mode turns off the terminal's output processing too: a line feed no longer
        // returns the cursor to the first column, so each line ends in \r\n.
        let _ = write!(out, "\x1b[2J\x1b[H{}", screen.replace('\n', "\r\n"));
        let _ = out.flush();
    }
}

/// Whether nothing has been compiled yet (no insta in `target/debug/deps`), so the first check
/// will take a while.
fn first_build(root: &Path) -> bool {
    let deps = root.join("target/debug/deps");
    !fs::read_dir(deps)
        .into_iter()
        .flatten()
        .flatten()
        .any(|entry| entry.file_name().to_string_lossy().starts_with("libinsta"))
}

/// `line` split into rows of at most `cols` characters, at spaces where it can be, so the view
/// knows how many rows it fills. Colored lines are our own short status lines: left whole.
fn wrap(line: &str, cols: usize) -> Vec<String> {
    let cols = cols.max(10);
    if line.contains('\x1b') || width(line) <= cols {
        return vec![line.to_string()];
    }
    let mut rows = Vec::new();
    let mut row = String::new();
    for word in line.split(' ') {
        if !row.is_empty() && width(&row) + 1 + width(word) > cols {
            rows.push(std::mem::take(&mut row));
        }
        if !row.is_empty() {
            row.push(' ');
        }
        row.push_str(word);
        // A word longer than a row (or Chinese, which has no spaces) is cut where the row ends,
        // counting a CJK character as the two columns it takes.
        while width(&row) > cols {
            let mut cut = String::new();
            let mut rest = row.chars();
            for c in rest.by_ref() {
                if width(&cut) + width(c.encode_utf8(&mut [0; 4])) > cols {
                    row = std::iter::once(c).chain(rest).collect();
                    break;
                }
                cut.push(c);
            }
            rows.push(cut);
        }
    }
    rows.push(row);
    rows
}

/// Reads the terminal's events and sends the ones the view acts on.
fn spawn_keys(tx: Sender<Event>) {
    use crossterm::event::{self, KeyCode, KeyEventKind, KeyModifiers};
    thread::spawn(move || {
        while let Ok(ev) = event::read() {
            let sent = match ev {
                event::Event::Key(key) if key.kind == KeyEventKind::Press => {
                    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
                    match key.code {
                        KeyCode::Char('c' | 'd') if ctrl => tx.send(Event::Key('q')),
                        KeyCode::Char(c) => tx.send(Event::Key(c.to_ascii_lowercase())),
                        KeyCode::Right => tx.send(Event::Key('n')),
                        KeyCode::Left => tx.send(Event::Key('p')),
                        _ => Ok(()),
                    }
                }
                event::Event::Resize(..) => tx.send(Event::Resized),
                _ => Ok(()),
            };
            if sent.is_err() {
                return;
            }
        }
    });
}

/// Watches `exercises/` and sends `Saved` when the watched file changes. Editors save in
/// different ways (write in place, or write a new file and rename it over the old one), so
/// the whole directory is watched and any event naming the file counts. Where the system's
/// file events are unavailable (some containers, network file systems), it polls instead.
fn spawn_file_watch(
    root: &Path,
    tx: Sender<Event>,
    watched: Arc<Mutex<PathBuf>>,
) -> notify::Result<Box<dyn notify::Watcher + Send>> {
    use notify::{Config, EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};
    let handler = move |res: notify::Result<notify::Event>| {
        let Ok(event) = res else { return };
        if matches!(event.kind, EventKind::Access(_)) {
            return;
        }
        let Ok(path) = watched.lock().map(|p| p.clone()) else {
            return;
        };
        if event.paths.contains(&path) {
            let _ = tx.send(Event::Saved);
        }
    };
    let dir = root.join("exercises");
    let mut watcher: Box<dyn Watcher + Send> =
        match RecommendedWatcher::new(handler.clone(), Config::default()) {
            Ok(w) => Box::new(w),
            Err(_) => Box::new(PollWatcher::new(
                handler,
                Config::default().with_poll_interval(Duration::from_millis(250)),
            )?),
        };
    watcher.watch(&dir, RecursiveMode::Recursive)?;
    Ok(watcher)
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wrap_breaks_at_spaces_and_cuts_words_longer_than_a_row() {
        assert_eq!(wrap("short", 10), ["short"]);
        assert_eq!(wrap("one two three four", 10), ["one two", "three four"]);
        assert_eq!(
            wrap("abcdefghijklmnopqrstuvwxyz", 10),
            ["abcdefghij", "klmnopqrst", "uvwxyz"]
        );
        assert_eq!(
            wrap("一二三四五六七八九十一二", 10),
            ["一二三四五", "六七八九十", "一二"]
        );
    }
}
