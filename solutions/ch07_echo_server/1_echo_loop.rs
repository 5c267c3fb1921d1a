//! Step 7.1 · `echo-loop` — the notes' `handleClient`, done right: echo until EOF, then close.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};

/// How much one `read` may take. Newmarch uses 512 bytes; bigger buffers mean fewer system
/// calls per megabyte (see `cargo bench --bench echo`).
pub const BUF_SIZE: usize = 16 * 1024;

/// Sends back every byte read from `conn` until the peer's EOF, and returns how many bytes were
/// echoed.
pub fn echo<S: Read + Write>(conn: &mut S) -> io::Result<u64> {
    let mut buf = [0u8; BUF_SIZE];
    let mut total = 0;
    loop {
        let n = match conn.read(&mut buf) {
            // A read of 0 bytes is EOF: the client closed (or half-closed) its side and will
            // send nothing more. Every later read would return 0 again, at once.
            Ok(0) => return Ok(total),
            Ok(n) => n,
            // A signal interrupted the call before any data arrived: just try again.
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            // Reset, timeout, ...: this connection is over. The caller decides what to log.
            Err(e) => return Err(e),
        };
        // `write` may send only part of the buffer when the socket's send buffer is full.
        conn.write_all(&buf[..n])?;
        total += n as u64;
    }
}

/// Go's `handleClient(conn)`: echoes, then ends the connection so the client sees EOF too.
pub fn handle_client(conn: &TcpStream) -> io::Result<u64> {
    // `Read` and `Write` are implemented for `&TcpStream`: a shared reference to the stream
    // reads and writes, and `echo` borrows that reference mutably, not the stream.
    let mut stream = conn;
    let total = echo(&mut stream)?;
    // `shutdown` sends our FIN now, whoever else holds the socket (the server keeps it in its
    // list of open connections, to end it on stop); a handle going away would not.
    conn.shutdown(Shutdown::Both)?;
    Ok(total)
}
