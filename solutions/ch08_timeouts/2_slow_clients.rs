//! Step 8.2 · `slow-clients` — chapter 7's echo server with two limits: an idle timeout and a
//! deadline for the whole connection.

use std::io;
use std::net::{Shutdown, TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use netlings::given::timeouts::deadlines::{read_by, write_by};
use netlings::support::duration::show;

/// How long a server lets one client take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The longest silence between two reads.
    pub idle: Duration,
    /// The longest a connection may last, from accept to close.
    pub deadline: Duration,
}

/// Echoes until EOF, but drops the client after `limits.idle` without data or `limits.deadline`
/// after it arrived, whichever comes first. Returns the bytes echoed, or why the client was cut.
pub fn handle_client(mut conn: TcpStream, limits: Limits) -> io::Result<u64> {
    // One absolute end for the whole connection: sending a byte now and then resets the idle
    // timer but never this one, so a slow-drip client cannot stay forever.
    let end = Instant::now() + limits.deadline;
    let mut buf = [0u8; 16 * 1024];
    let mut total = 0;
    loop {
        let idle_end = Instant::now() + limits.idle;
        let n = read_by(&mut conn, &mut buf, idle_end.min(end)).map_err(|e| {
            if e.kind() != io::ErrorKind::TimedOut {
                return e;
            }
            // Whichever limit came first is the one that cut the client.
            let why = if idle_end < end {
                format!("idle for {}", show(limits.idle))
            } else {
                format!("connected for {}", show(limits.deadline))
            };
            io::Error::new(io::ErrorKind::TimedOut, format!("dropped: {why}"))
        })?;
        if n == 0 {
            conn.shutdown(Shutdown::Both)?;
            return Ok(total);
        }
        // The echo is bounded by the connection's end too: a client that never reads would
        // otherwise hold us in a blocked write, where no read deadline helps.
        write_by(&mut conn, &buf[..n], end)?;
        total += n as u64;
    }
}

/// Accepts forever, one thread per client. Every connection ends by its deadline, so there is
/// no client this server can be stuck with. (The client threads outlive any `&mut` log this
/// function could borrow, so they report on stderr.)
pub fn serve(listener: TcpListener, limits: Limits) -> io::Result<()> {
    for conn in listener.incoming() {
        let conn = match conn {
            Ok(conn) => conn,
            Err(e) => {
                eprintln!("timeouts: accept: {e}");
                // Out of file descriptors, say: give other connections time to end.
                thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        // A client that already reset has no peer address any more: that is its problem only.
        let peer = conn
            .peer_addr()
            .map_or_else(|e| format!("?({e})"), |a| a.to_string());
        thread::spawn(move || {
            if let Err(e) = handle_client(conn, limits) {
                eprintln!("timeouts: client {peer}: {e}");
            }
        });
    }
    Ok(())
}
