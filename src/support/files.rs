//! Reading a small text file a user names, without trusting the name: a path can be a FIFO
//! that blocks forever, a device that never ends (`/dev/zero`), or a directory.

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

/// The bytes of the regular file at `path`, if it holds at most `limit` bytes.
///
/// - Anything but a regular file is refused with `InvalidInput`, saying what it is. The file is
///   opened with `O_NONBLOCK`, so even a FIFO swapped in after the check cannot block the open.
/// - A file longer than `limit` is refused with `InvalidData` after reading `limit + 1` bytes,
///   never more: a file that grows or never ends costs at most that.
///
/// ```
/// use netlings::support::files::read_bounded;
/// let err = read_bounded(std::path::Path::new("/dev/zero"), 1024).unwrap_err();
/// assert_eq!(err.to_string(), "a character device, not a regular file");
/// ```
pub fn read_bounded(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    refuse_special(&std::fs::metadata(path)?)?;
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    // Check again what was actually opened: the path may have changed since.
    refuse_special(&file.metadata()?)?;
    read_at_most(file, limit)
}

fn refuse_special(meta: &std::fs::Metadata) -> io::Result<()> {
    let t = meta.file_type();
    let what = if t.is_file() {
        return Ok(());
    } else if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a FIFO (a named pipe)"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "something else"
    };
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("{what}, not a regular file"),
    ))
}

fn read_at_most(file: File, limit: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("larger than {limit} bytes"),
        ));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::tempdir::TempDir;

    #[test]
    fn a_small_regular_file_is_read_whole() {
        let dir = TempDir::new("files").expect("a temporary directory");
        let path = dir.join("f");
        std::fs::write(&path, b"http 80/tcp\n").expect("writable");
        assert_eq!(read_bounded(&path, 12).expect("fits"), b"http 80/tcp\n");
        let err = read_bounded(&path, 11).expect_err("one byte too long");
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert_eq!(err.to_string(), "larger than 11 bytes");
    }

    #[test]
    fn special_files_are_refused_without_blocking_or_reading_forever() {
        let dir = TempDir::new("files").expect("a temporary directory");
        let fifo = dir.join("fifo");
        let c_path = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).expect("no NUL");
        // SAFETY: mkfifo with a NUL-terminated path we own.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0, "mkfifo");
        for (path, what) in [
            (fifo.as_path(), "a FIFO (a named pipe)"),
            (dir.path(), "a directory"),
            (Path::new("/dev/zero"), "a character device"),
        ] {
            let err = read_bounded(path, 1 << 20).expect_err("refused");
            assert_eq!(
                err.kind(),
                io::ErrorKind::InvalidInput,
                "{}",
                path.display()
            );
            assert!(err.to_string().contains(what), "{err}");
        }
        let missing = read_bounded(&dir.join("missing"), 10).expect_err("missing");
        assert_eq!(missing.kind(), io::ErrorKind::NotFound);
    }
}
