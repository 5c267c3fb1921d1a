//! Chapter 10, `conn`: `listen` against a shortage of threads or descriptors, and paths that
//! are not sockets; `dial` against servers that flood or drip.

#[path = "../../solutions/ch10_conn/4_conn.rs"]
#[allow(dead_code)]
mod conn;

use std::io::Write;
use std::net::TcpListener;
use std::os::unix::net::UnixStream;
use std::thread;
use std::time::{Duration, Instant};

use clap::Parser;
use netlings::fixtures::child::{ChildServer, Shortage};
use netlings::fixtures::loopback::drip_echo;
use netlings::given::conn::any_stream::Conn;
use netlings::harness::{DEADLINE, run_program};
use netlings::support::tempdir::TempDir;

const STEP: &str = "conn";

/// `conn listen tcp 127.0.0.1:0`, in a child process short of `shortage`.
fn listen(shortage: Shortage) -> Option<ChildServer> {
    ChildServer::builder(STEP).short_of(shortage).start(|out| {
        let args = conn::Args::try_parse_from(["conn", "listen", "tcp", "127.0.0.1:0"])
            .map_err(|e| e.to_string())?;
        conn::run(args, out).map_err(|e| e.to_string())
    })
}

#[test]
fn a_shortage_of_threads_costs_one_connection() {
    let Some(mut server) = listen(Shortage::Threads(3)) else {
        return;
    };
    let mut held = server.expect_one_client_too_many_closed(3, "");
    held.pop();
    server.expect_room_again();
}

#[test]
fn a_shortage_of_descriptors_is_waited_out_without_spinning() {
    let Some(mut server) = listen(Shortage::Descriptors(4)) else {
        return;
    };
    server.expect_descriptor_shortage_waited_out(3, 3, Duration::from_millis(500), 2, "");
}

#[test]
fn listen_unix_removes_nothing_that_is_not_a_socket_and_needs_a_path() {
    let dir = TempDir::new("robust-conn").expect("a temporary directory can be made");
    let file = dir.join("passwd");
    std::fs::write(&file, "root:x:0:0").expect("writing in our own directory");
    for (path, what) in [
        (file.to_string_lossy().into_owned(), "a regular file"),
        (dir.path().to_string_lossy().into_owned(), "a directory"),
    ] {
        let transcript = run_program(STEP, &["conn", "listen", "unix", &path], conn::run);
        assert!(
            transcript
                .stderr
                .contains(&format!("({what} is at that path, not a socket"))
                && !transcript.stderr.contains("rm "),
            "{transcript}"
        );
    }
    assert!(file.exists());
    for op in ["listen", "dial"] {
        let transcript = run_program(STEP, &["conn", op, "unix", ""], conn::run);
        assert!(
            transcript.stderr
                == format!(
                    "error: {op} unix: the address of a unix socket is a file path, and it is empty"
                ),
            "{transcript}"
        );
    }
}

#[test]
fn dial_reads_no_more_than_the_echo_from_a_flooding_server() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binding loopback works");
    let addr = listener
        .local_addr()
        .expect("a bound listener has an address");
    thread::spawn(move || {
        if let Ok((mut conn, _)) = listener.accept() {
            let _ = conn.set_write_timeout(Some(DEADLINE));
            let chunk = vec![b'x'; 64 * 1024];
            // 8 MiB, bounded: more than the client should ever hold for a 5-byte message.
            for _ in 0..128 {
                if conn.write_all(&chunk).is_err() {
                    return;
                }
            }
        }
    });
    let addr = addr.to_string();
    let transcript = run_program(STEP, &["conn", "dial", "tcp", &addr, "hello"], conn::run);
    assert!(
        transcript.success() && transcript.stdout.ends_with("\nxxxxx\n"),
        "{transcript}"
    );
}

#[test]
fn exchange_gives_a_dripping_server_one_deadline() {
    let (client, peer) = UnixStream::pair().expect("a socket pair can be made");
    drip_echo(peer, 20, Duration::from_millis(50));
    let started = Instant::now();
    let limit = Duration::from_millis(300);
    let result = conn::exchange(
        &mut Conn::Unix(client),
        "unix",
        "/drip.sock",
        "twenty bytes, slowly",
        limit,
    );
    let elapsed = started.elapsed();
    assert!(
        result.is_err() && elapsed < limit + Duration::from_millis(700),
        "{result:?} after {elapsed:?}"
    );
}
