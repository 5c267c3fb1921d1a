//! A temporary directory that cleans up after itself: where programs and tests put Unix socket
//! paths (chapters 10 and 11).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// A directory under the system's temporary directory, removed with everything in it when
/// dropped: where Unix socket paths go.
///
/// ```
/// let dir = netlings::support::tempdir::TempDir::new("doc").unwrap();
/// let path = dir.path().to_path_buf();
/// assert!(path.is_dir());
/// drop(dir);
/// assert!(!path.exists());
/// ```
#[derive(Debug)]
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    /// Creates a fresh directory named after `label`, the process id and a counter, so tests
    /// running in parallel never share one.
    pub fn new(label: &str) -> io::Result<Self> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        // Unix socket paths are limited to about 108 bytes: keep the name short.
        let path =
            std::env::temp_dir().join(format!("netlings-{label}-{}-{n}", std::process::id()));
        fs::create_dir(&path)?;
        Ok(Self { path })
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A path inside the directory.
    pub fn join(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.path);
    }
}
