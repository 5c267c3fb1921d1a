//! The little terminal handling the watch view needs: colors, the window size, and a mode in
//! which single key presses arrive without Enter. Plain ANSI and termios through libc.

use std::io::IsTerminal;

/// ANSI colors, or none when the output is not a terminal (or `NO_COLOR` is set).
#[derive(Debug, Clone, Copy)]
pub struct Colors {
    on: bool,
}

/// Colors for stdout.
pub fn colors() -> Colors {
    Colors {
        on: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    }
}

impl Colors {
    /// No colors at all, for files and machine-readable output.
    pub fn none() -> Colors {
        Colors { on: false }
    }

    fn paint(self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn green(self, text: &str) -> String {
        self.paint("32", text)
    }

    pub fn red(self, text: &str) -> String {
        self.paint("31", text)
    }

    pub fn yellow(self, text: &str) -> String {
        self.paint("33", text)
    }

    pub fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }

    pub fn dim(self, text: &str) -> String {
        self.paint("2", text)
    }
}

/// Whether both ends of the conversation are a person at a terminal.
pub fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

/// The terminal's size as (columns, rows), or a classic 80×24 if it cannot be asked.
pub fn size() -> (usize, usize) {
    match crossterm::terminal::size() {
        Ok((cols, rows)) if cols > 0 && rows > 0 => (usize::from(cols), usize::from(rows)),
        _ => (80, 24),
    }
}

/// While alive, keys arrive one at a time without echo, and Ctrl-C arrives as a key (so the
/// watch view can restore the terminal before it quits); dropping it restores the terminal.
pub struct RawMode(());

impl RawMode {
    pub fn enable() -> std::io::Result<RawMode> {
        crossterm::terminal::enable_raw_mode()?;
        Ok(RawMode(()))
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        let _ = crossterm::terminal::disable_raw_mode();
    }
}
