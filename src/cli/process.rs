//! Running a process with a deadline that holds: nothing it starts can stretch the wait.
//!
//! - It runs in its own process group, and the whole group is killed at the deadline and again
//!   when the process ends, so a helper it left running in the background dies with it.
//! - Its output goes to unlinked temporary files, never to pipes: a descendant that detached
//!   itself (`setsid sleep 60`) and kept the output open cannot make us wait for an end of
//!   file. Reading pipes is what let a detached `sleep` stretch a 20 s check to 60 s.
//! - On Linux netlings makes itself a *child subreaper* ([`become_subreaper`]): a detached
//!   descendant whose parent died is re-parented to netlings instead of to init, and
//!   [`reap_orphans`] kills it, after every run.
//! - Optionally ([`Limits`]) the process may not write files larger than a bound (a test that
//!   prints forever is stopped by `SIGXFSZ` instead of filling the disk) and dumps no core.

use std::collections::HashSet;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// What a finished (or killed) process left behind.
#[derive(Debug)]
pub struct Finished {
    /// It exited with status 0.
    pub success: bool,
    /// It was killed at the deadline.
    pub timed_out: bool,
    /// How it ended (`None` only if it could not be waited for).
    pub status: Option<ExitStatus>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Finished {
    /// The signal that ended the process, if one did.
    pub fn signal(&self) -> Option<i32> {
        self.status.and_then(|s| s.signal())
    }
}

/// Bounds on what the process may do besides run.
#[derive(Debug, Clone, Copy, Default)]
pub struct Limits {
    /// The largest file it may write, its output included (`RLIMIT_FSIZE`); `None`: no bound.
    /// Builds need none (an rlib is large); a test needs one.
    pub file_bytes: Option<u64>,
}

/// The process groups we started and have not finished with: [`reap_orphans`] leaves them be.
static RUNNING: Mutex<Option<HashSet<u32>>> = Mutex::new(None);

fn running(update: impl FnOnce(&mut HashSet<u32>)) {
    let mut guard = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
    update(guard.get_or_insert_with(HashSet::new));
}

/// A fresh path in the temporary directory, unique in this process: `.netlings-<what>-<pid>-<n>`.
pub fn scratch_path(what: &str) -> std::path::PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!(".netlings-{what}-{}-{n}", std::process::id()))
}

/// An unlinked temporary file: the child writes to it, we read it back, nothing is left behind.
fn scratch_file() -> std::io::Result<File> {
    let path = scratch_path("out");
    let file = File::options()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&path)?;
    std::fs::remove_file(&path)?;
    Ok(file)
}

/// What `file` holds, as text (invalid UTF-8 replaced).
fn read_back(mut file: File) -> String {
    let mut buf = Vec::new();
    let _ = file.seek(SeekFrom::Start(0));
    let _ = file.read_to_end(&mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

/// Runs `cmd` in its own process group with its output in files, and kills the whole group if
/// it is still running after `limit`.
pub fn run_with_deadline(cmd: Command, limit: Duration) -> std::io::Result<Finished> {
    run_limited(cmd, limit, Limits::default())
}

/// [`run_with_deadline`] with [`Limits`].
pub fn run_limited(mut cmd: Command, limit: Duration, limits: Limits) -> std::io::Result<Finished> {
    let out = scratch_file()?;
    let err = scratch_file()?;
    cmd.stdin(Stdio::null())
        .stdout(Stdio::from(out.try_clone()?))
        .stderr(Stdio::from(err.try_clone()?));
    // A new process group, so the deadline can kill the process and what it started.
    cmd.process_group(0);
    if let Some(bytes) = limits.file_bytes {
        // SAFETY: setrlimit(2) is async-signal-safe, and the closure touches no shared state.
        unsafe {
            cmd.pre_exec(move || {
                let fsize = libc::rlimit {
                    rlim_cur: bytes as libc::rlim_t,
                    rlim_max: bytes as libc::rlim_t,
                };
                let no_core = libc::rlimit {
                    rlim_cur: 0,
                    rlim_max: 0,
                };
                if libc::setrlimit(libc::RLIMIT_FSIZE, &fsize) != 0
                    || libc::setrlimit(libc::RLIMIT_CORE, &no_core) != 0
                {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    let start = Instant::now();
    // Spawned and registered under the lock [`reap_orphans`] takes, so another thread's sweep
    // cannot mistake this new child for an orphan.
    let mut child = {
        let mut guard = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
        let child = cmd.spawn()?;
        guard.get_or_insert_with(HashSet::new).insert(child.id());
        child
    };
    let pid = child.id();
    let mut timed_out = false;
    let mut pause = Duration::from_millis(1);
    loop {
        if exited(pid) {
            break;
        }
        if start.elapsed() > limit {
            timed_out = true;
            break;
        }
        thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(10));
    }
    // The process has ended (or is about to be killed) but is not yet reaped, so its group id
    // cannot have been reused: kill everything still in the group, then reap it.
    // SAFETY: kill(2) with a negative pid signals the process group we created above.
    unsafe { libc::kill(-(pid as i32), libc::SIGKILL) };
    let status = child.wait().ok();
    let elapsed = start.elapsed();
    running(|set| {
        set.remove(&pid);
    });
    reap_orphans();
    Ok(Finished {
        success: !timed_out && status.is_some_and(|s| s.success()),
        timed_out,
        status,
        stdout: read_back(out),
        stderr: read_back(err),
        elapsed,
    })
}

/// Whether process `pid` (our child) has ended, without reaping it.
fn exited(pid: u32) -> bool {
    // SAFETY: a zeroed siginfo_t is a valid out-parameter; WNOWAIT leaves the child waitable.
    unsafe {
        let mut info: libc::siginfo_t = std::mem::zeroed();
        let r = libc::waitid(
            libc::P_PID,
            pid as libc::id_t,
            &mut info,
            libc::WEXITED | libc::WNOHANG | libc::WNOWAIT,
        );
        if r != 0 {
            // ECHILD: there is no such child any more. EINTR: ask again.
            return std::io::Error::last_os_error().raw_os_error() != Some(libc::EINTR);
        }
        info.si_pid() != 0
    }
}

/// Makes this process the reaper of its orphaned descendants (Linux), so [`reap_orphans`] can
/// find a helper a check detached from its process group. Elsewhere it does nothing: such a
/// helper then outlives the check, but it still cannot stretch the deadline.
pub fn become_subreaper() {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl(PR_SET_CHILD_SUBREAPER) only sets a flag on this process.
    unsafe {
        libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    }
}

/// Kills and reaps the children we did not start ourselves: descendants of a check, orphaned
/// and re-parented to us because we are a subreaper. A child in our own process group (git,
/// started without a group of its own) and the groups still running are left alone.
pub fn reap_orphans() {
    #[cfg(target_os = "linux")]
    {
        let me = std::process::id();
        // SAFETY: getpgrp(2) cannot fail.
        let own_group = unsafe { libc::getpgrp() } as u32;
        // Held for the whole sweep: no child of ours is spawned meanwhile.
        let guard = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
        let live = guard.clone().unwrap_or_default();
        for (pid, ppid, pgrp) in processes() {
            if ppid != me || pgrp == own_group || live.contains(&pid) || live.contains(&pgrp) {
                continue;
            }
            // SAFETY: `pid` is our child (its parent is us), so it cannot be reaped and reused
            // by anyone else before we wait for it here.
            unsafe {
                libc::kill(pid as i32, libc::SIGKILL);
                libc::waitpid(pid as i32, std::ptr::null_mut(), 0);
            }
        }
    }
}

/// Every process as `(pid, parent, process group)`, from `/proc/<pid>/stat`.
#[cfg(target_os = "linux")]
fn processes() -> Vec<(u32, u32, u32)> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.flatten()
        .filter_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
            let (ppid, pgrp) = parse_stat(&stat)?;
            Some((pid, ppid, pgrp))
        })
        .collect()
}

/// The parent and the process group in a `/proc/<pid>/stat` line. The command name between
/// parentheses may itself hold spaces and parentheses, so the fields are counted from the last `)`.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn parse_stat(stat: &str) -> Option<(u32, u32)> {
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace();
    let _state = fields.next()?;
    let ppid = fields.next()?.parse().ok()?;
    let pgrp = fields.next()?.parse().ok()?;
    Some((ppid, pgrp))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deadline_kills_a_process_that_runs_too_long() {
        let mut cmd = Command::new("sleep");
        cmd.arg("30");
        let start = Instant::now();
        let finished = run_with_deadline(cmd, Duration::from_millis(200)).expect("sleep runs");
        assert!(finished.timed_out && !finished.success);
        assert!(start.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn output_is_collected_from_both_streams() {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "echo out; echo err >&2; exit 3"]);
        let finished = run_with_deadline(cmd, Duration::from_secs(20)).expect("sh runs");
        assert_eq!(
            (finished.stdout.as_str(), finished.stderr.as_str()),
            ("out\n", "err\n")
        );
        assert_eq!(finished.status.and_then(|s| s.code()), Some(3));
        assert!(!finished.success && !finished.timed_out);
    }

    #[test]
    fn a_detached_descendant_holding_the_output_cannot_stretch_the_wait() {
        // `setsid` leaves the process group, so only the files-not-pipes design (and, on Linux,
        // the subreaper) keeps this from lasting 30 s.
        become_subreaper();
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "setsid sleep 30 & echo started"]);
        let start = Instant::now();
        let finished = run_with_deadline(cmd, Duration::from_secs(20)).expect("sh runs");
        assert!(finished.success, "{finished:?}");
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "waited {:?} for a detached sleep",
            start.elapsed()
        );
    }

    #[test]
    fn a_process_that_writes_too_much_is_stopped() {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "yes netlings"]);
        let finished = run_limited(
            cmd,
            Duration::from_secs(20),
            Limits {
                file_bytes: Some(1 << 16),
            },
        )
        .expect("sh runs");
        assert!(!finished.timed_out, "yes ran until the deadline");
        assert!(finished.stdout.len() <= 1 << 16);
    }

    #[test]
    fn stat_lines_are_read_from_the_last_parenthesis() {
        assert_eq!(
            parse_stat("42 (a (b) c) S 7 42 42 0 -1 4194560"),
            Some((7, 42))
        );
        assert_eq!(parse_stat("garbage"), None);
    }
}
