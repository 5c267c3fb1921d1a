//! The course as the grader trusts it: the tree of one commit of the course's repository, read
//! from git's object store (never from a working copy), resolved without letting anyone else's
//! refs redirect it, and written out as the grader's own work tree.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write as _;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::super::git::{git, git_text};

/// One commit's files: path → (executable?, content).
#[derive(Debug, Clone)]
pub struct CourseTree {
    /// The commit, as 40 hex digits.
    pub commit: String,
    pub files: BTreeMap<String, (bool, Vec<u8>)>,
}

impl CourseTree {
    /// The content of `path` at the commit, if the commit has it.
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(|(_, bytes)| bytes.as_slice())
    }

    /// The content of `path` as text (empty if missing or not UTF-8).
    pub fn text(&self, path: &str) -> String {
        self.get(path)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or_default()
            .to_string()
    }
}

/// Whether `rev` is a full commit id: 40 hex digits. A full id names the same content in any
/// repository, the student's included; a shorter one can be ambiguous.
pub fn is_full_sha(rev: &str) -> bool {
    rev.len() == 40 && rev.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The commit `rev` names in the course repository `repo`: a full SHA, `HEAD`, or a ref name
/// resolved among the course's own refs. A name that more than one kind of ref answers to
/// (a tag `upstream/main` beside the remote branch `upstream/main`) is refused rather than
/// guessed: git would prefer the tag.
pub fn resolve(repo: &Path, rev: &str) -> Result<String, String> {
    let commit_of = |name: &str| {
        git_text(
            repo,
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                "--end-of-options",
                &format!("{name}^{{commit}}"),
            ],
        )
        .ok()
        .filter(|sha| is_full_sha(sha))
    };
    if is_full_sha(rev) {
        return commit_of(rev).ok_or_else(|| {
            format!(
                "the course repository {} has no commit {rev}: fetch it there first",
                repo.display()
            )
        });
    }
    if rev.is_empty() || rev.starts_with('-') || rev.contains("..") {
        return Err(format!("`{rev}` is not a revision"));
    }
    if rev == "HEAD" {
        return commit_of("HEAD")
            .ok_or_else(|| format!("the course repository {} has no commit yet", repo.display()));
    }
    let candidates: Vec<String> = if rev.starts_with("refs/") {
        vec![rev.to_string()]
    } else {
        ["refs/heads/", "refs/remotes/", "refs/tags/", "refs/"]
            .iter()
            .map(|p| format!("{p}{rev}"))
            .collect()
    };
    let found: Vec<(String, String)> = candidates
        .into_iter()
        .filter_map(|r| commit_of(&r).map(|sha| (r, sha)))
        .collect();
    match found.as_slice() {
        [] => Err(format!(
            "`{rev}` is neither a full commit id (40 hex digits) nor a branch, remote branch or \
             tag of the course repository {}",
            repo.display()
        )),
        [(_, sha)] => Ok(sha.clone()),
        many => Err(format!(
            "`{rev}` is ambiguous in {}: it names {}. Pin the course by its full commit id \
             instead (`git rev-parse` it in a clone you trust).",
            repo.display(),
            many.iter()
                .map(|(r, sha)| format!("{r} ({})", &sha[..12]))
                .collect::<Vec<_>>()
                .join(" and ")
        )),
    }
}

/// Reads every file of `commit` from the object store of `repo`.
pub fn read_tree(repo: &Path, commit: &str) -> Result<CourseTree, String> {
    let listing = git(repo, &["ls-tree", "-r", "-z", "--full-tree", commit])?;
    let mut entries: Vec<(String, bool, String)> = Vec::new();
    for entry in listing.split(|&b| b == 0).filter(|e| !e.is_empty()) {
        let entry = String::from_utf8_lossy(entry);
        let Some((meta, path)) = entry.split_once('\t') else {
            continue;
        };
        let mut meta = meta.split(' ');
        let (Some(mode), Some(kind), Some(id)) = (meta.next(), meta.next(), meta.next()) else {
            continue;
        };
        // Files only: a symbolic link or a submodule is not part of what the course builds.
        if kind == "blob" && (mode == "100644" || mode == "100755") {
            entries.push((path.to_string(), mode == "100755", id.to_string()));
        }
    }
    let mut child = Command::new("git")
        .current_dir(repo)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("this needs git, and git cannot be run: {e}"))?;
    let ids: String = entries.iter().map(|(_, _, id)| format!("{id}\n")).collect();
    let mut stdin = child.stdin.take().expect("piped stdin");
    let writer = std::thread::spawn(move || stdin.write_all(ids.as_bytes()));
    let out = child
        .wait_with_output()
        .map_err(|e| format!("git cat-file failed: {e}"))?;
    let _ = writer.join();
    let mut files = BTreeMap::new();
    let mut rest = out.stdout.as_slice();
    for (path, exec, _) in entries {
        let header_end = rest
            .iter()
            .position(|&b| b == b'\n')
            .ok_or("git cat-file ended early")?;
        let header = String::from_utf8_lossy(&rest[..header_end]).to_string();
        let size: usize = header
            .rsplit(' ')
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("git cat-file said `{header}`"))?;
        let body = rest
            .get(header_end + 1..header_end + 1 + size)
            .ok_or("git cat-file ended early")?;
        files.insert(path, (exec, body.to_vec()));
        rest = &rest[(header_end + 2 + size).min(rest.len())..];
    }
    Ok(CourseTree {
        commit: commit.to_string(),
        files,
    })
}

/// Makes `dir` hold exactly `files`: a file whose content is already right is left alone (its
/// time stamp too, so cargo's cache stays valid), the others are written, and files that are
/// not in the set are removed. `keep` names top-level entries of `dir` that are not the tree's.
pub fn materialize(
    files: &BTreeMap<String, (bool, Vec<u8>)>,
    dir: &Path,
    keep: &[&str],
) -> Result<(), String> {
    for (path, (exec, bytes)) in files {
        write_if_changed(&dir.join(path), bytes)?;
        if *exec {
            let _ = fs::set_permissions(dir.join(path), fs::Permissions::from_mode(0o755));
        }
    }
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        for entry in fs::read_dir(dir.join(&rel)).into_iter().flatten().flatten() {
            let path = rel.join(entry.file_name());
            let name = path.to_string_lossy().replace('\\', "/");
            if rel.as_os_str().is_empty() && keep.contains(&name.as_str()) {
                continue;
            }
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(path);
            } else if !files.contains_key(&name) {
                fs::remove_file(entry.path())
                    .map_err(|e| format!("cannot remove {}: {e}", entry.path().display()))?;
            }
        }
    }
    Ok(())
}

/// Writes `bytes` to `path` unless it already holds them; creates the directories.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<(), String> {
    if fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_forty_hex_digits_are_a_full_commit_id() {
        assert!(is_full_sha("0123456789abcdef0123456789ABCDEF01234567"));
        assert!(!is_full_sha("0123456"));
        assert!(!is_full_sha("upstream/main"));
        assert!(!is_full_sha("g123456789abcdef0123456789abcdef01234567"));
    }

    #[test]
    fn materialize_writes_what_changed_and_removes_what_is_not_in_the_tree() {
        let dir = crate::cli::process::scratch_path("materialize");
        fs::create_dir_all(dir.join("a")).unwrap();
        fs::write(dir.join("a/same.txt"), "same").unwrap();
        fs::write(dir.join("a/extra.rs"), "x").unwrap();
        fs::create_dir_all(dir.join("kept")).unwrap();
        fs::write(dir.join("kept/x"), "x").unwrap();
        let before = fs::metadata(dir.join("a/same.txt"))
            .unwrap()
            .modified()
            .unwrap();
        let mut files = BTreeMap::new();
        files.insert("a/same.txt".to_string(), (false, b"same".to_vec()));
        files.insert("b/new.txt".to_string(), (true, b"new".to_vec()));
        materialize(&files, &dir, &["kept"]).unwrap();
        assert_eq!(fs::read(dir.join("b/new.txt")).unwrap(), b"new");
        assert!(!dir.join("a/extra.rs").exists());
        assert!(dir.join("kept/x").exists());
        let after = fs::metadata(dir.join("a/same.txt"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(before, after, "an unchanged file was rewritten");
        fs::remove_dir_all(&dir).unwrap();
    }
}
