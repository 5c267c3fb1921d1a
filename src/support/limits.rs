//! The limit on open files (`RLIMIT_NOFILE`), which caps how many connections a process can
//! hold (the chapter *Thousands of clients*).
//!
//! Every socket is a file descriptor, and the kernel refuses a process more descriptors than its
//! **soft** limit: `accept` and `connect` then fail with `EMFILE` ("Too many open files"). A
//! process may raise its own soft limit up to its **hard** limit without any privilege; only
//! root may raise the hard one. Shells commonly start programs with a soft limit of 1024, far
//! below the hard one, which is why servers raise theirs at startup (Go's runtime has done so on
//! its own since Go 1.19; Rust's std does not).
//!
//! These are the two system calls, made safe: [`open_files`] reads both limits and
//! [`set_open_files`] sets the soft one. Deciding *what* to set is the program's business; a
//! [`FilesPlan`] is its decision.

use std::io;

/// The process's limits on open file descriptors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenFiles {
    /// What the kernel enforces now; the process may move it anywhere up to `hard`.
    pub soft: u64,
    /// The ceiling for `soft`; only a privileged process may raise it. `u64::MAX` means
    /// "unlimited" (`RLIM_INFINITY`).
    pub hard: u64,
}

/// What a program decides to do with its soft limit, for the open files it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilesPlan {
    /// The soft limit already allows what is needed: leave it alone.
    Enough,
    /// Raise the soft limit to `to`, exactly what is needed.
    Raise { to: u64 },
    /// The hard limit is below what is needed: the soft limit goes up to it (`to`, the hard
    /// limit, which may be the soft limit already), and the program says it falls short.
    Short { to: u64 },
}

/// This process's `RLIMIT_NOFILE` (getrlimit(2)).
///
/// ```
/// let limits = netlings::support::limits::open_files().unwrap();
/// assert!(limits.soft <= limits.hard);
/// ```
pub fn open_files() -> io::Result<OpenFiles> {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes one `rlimit` into memory we own.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(OpenFiles {
        soft: lim.rlim_cur,
        hard: lim.rlim_max,
    })
}

/// Sets this process's soft limit on open files to `soft`, keeping the hard limit (setrlimit(2)).
/// Fails with `InvalidInput` (`EINVAL`) when `soft` is above the hard limit.
pub fn set_open_files(soft: u64) -> io::Result<()> {
    let hard = open_files()?.hard;
    let lim = libc::rlimit {
        rlim_cur: soft,
        rlim_max: hard,
    };
    // SAFETY: setrlimit reads one `rlimit` from memory we own.
    if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &lim) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Carries out `plan` for a program that needs `needed` open files, and returns what to tell the
/// user: nothing when the limit is already enough, what was raised, or that the hard limit falls
/// short and what that means.
pub fn apply(plan: FilesPlan, needed: u64) -> io::Result<Option<String>> {
    let before = open_files()?;
    Ok(match plan {
        FilesPlan::Enough => None,
        FilesPlan::Raise { to } => {
            set_open_files(to)?;
            Some(format!(
                "open files: soft limit raised from {} to {to}",
                before.soft
            ))
        }
        FilesPlan::Short { to } => {
            set_open_files(to)?;
            Some(format!(
                "open files: {needed} needed, but the hard limit is {to}: past it, `accept` fails \
                 (\"Too many open files\") and clients wait unserved. Root can raise it \
                 (`ulimit -Hn`, or LimitNOFILE= for a service)"
            ))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_soft_limit_is_at_most_the_hard_one() {
        let limits = open_files().unwrap();
        assert!(limits.soft <= limits.hard, "{limits:?}");
        assert!(limits.soft > 0, "{limits:?}");
    }

    #[test]
    fn setting_the_soft_limit_to_itself_changes_nothing() {
        let before = open_files().unwrap();
        set_open_files(before.soft).unwrap();
        assert_eq!(open_files().unwrap(), before);
    }

    #[test]
    fn applying_a_plan_says_what_it_did() {
        let limits = open_files().unwrap();
        assert_eq!(apply(FilesPlan::Enough, 1).unwrap(), None);
        assert_eq!(open_files().unwrap(), limits);
        // Raising to the current soft limit changes nothing, and still says so.
        let said = apply(FilesPlan::Raise { to: limits.soft }, limits.soft).unwrap();
        assert_eq!(
            said.as_deref(),
            Some(format!("open files: soft limit raised from {0} to {0}", limits.soft).as_str())
        );
        let short = apply(FilesPlan::Short { to: limits.soft }, limits.soft + 1).unwrap();
        let short = short.unwrap();
        assert!(
            short.starts_with(&format!(
                "open files: {} needed, but the hard limit is {}",
                limits.soft + 1,
                limits.soft
            )),
            "{short}"
        );
        assert_eq!(open_files().unwrap(), limits);
    }

    #[test]
    fn a_soft_limit_above_the_hard_one_is_refused() {
        let limits = open_files().unwrap();
        if limits.hard == u64::MAX {
            return; // unlimited: nothing is above it
        }
        let err = set_open_files(limits.hard + 1).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput, "{err}");
        assert_eq!(open_files().unwrap(), limits);
    }
}
