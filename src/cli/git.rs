//! Running git: `reset` reads pristine stubs from its object store, `dev` hashes stubs, and
//! `grade --verify-tests` compares the grading files with a revision.

use std::path::Path;
use std::process::Command;

/// Runs `git <args>` in `root` and returns its standard output, or an error that says which
/// command failed and what git said.
pub fn git(root: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .current_dir(root)
        .args(args)
        .output()
        .map_err(|e| format!("this needs git, and git cannot be run: {e}"))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(format!(
            "`git {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// [`git`], its output as text with surrounding white space trimmed.
pub fn git_text(root: &Path, args: &[&str]) -> Result<String, String> {
    git(root, args).map(|out| String::from_utf8_lossy(&out).trim().to_string())
}
