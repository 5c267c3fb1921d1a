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
    // SAFETY: TIOCGWINSZ fills the winsize struct we pass; on failure we ignore it.
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut ws) } == 0;
    if ok && ws.ws_col > 0 && ws.ws_row > 0 {
        (usize::from(ws.ws_col), usize::from(ws.ws_row))
    } else {
        (80, 24)
    }
}

/// While alive, keys arrive one at a time without echo; dropping it restores the terminal.
pub struct RawMode {
    saved: libc::termios,
}

impl RawMode {
    /// Turns off line buffering, echo and signal keys (Ctrl-C arrives as byte 3, so the watch
    /// view can restore the terminal before it quits).
    pub fn enable() -> std::io::Result<RawMode> {
        // SAFETY: tcgetattr/tcsetattr on stdin with a termios we own.
        unsafe {
            let mut saved: libc::termios = std::mem::zeroed();
            if libc::tcgetattr(libc::STDIN_FILENO, &mut saved) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            let mut raw = saved;
            raw.c_lflag &= !(libc::ICANON | libc::ECHO | libc::ISIG);
            raw.c_cc[libc::VMIN] = 1;
            raw.c_cc[libc::VTIME] = 0;
            if libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &raw) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(RawMode { saved })
        }
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        // SAFETY: restores the settings saved in `enable`.
        unsafe {
            libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &self.saved);
        }
    }
}
