//! Chapter 7's `echo-server` against hostile peers and exhausted limits. The server, run as the
//! program runs (`echo-server serve`, logging to stderr) in a child process with few file
//! descriptors: one descriptor per client, none kept after a client leaves, a pause and one log
//! line when `accept` fails, and a stderr that is a broken pipe stops nothing. The client:
//! bounded in bytes and in time, and what came back before a reset is printed.

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use netlings::fixtures::child::{ChildServer, Shortage};
use netlings::fixtures::hostile::{HostileServer, Request};
use netlings::harness::{DEADLINE, run_program};
use socket2::SockRef;

#[path = "../../solutions/ch07_echo_server/4_echo_server.rs"]
#[allow(dead_code)]
mod echo_server;

const PROGRAM: &str = "echo-server";

/// `echo-server serve --addr 127.0.0.1:0`, as the program runs it, in a child process with at
/// most `open_files` descriptors (and a stderr that is a closed pipe when `broken_stderr`). It
/// prints `listening on <addr>` first, and the parent waits for that line. In the child, this
/// runs the server and never returns.
fn start_server(open_files: u64, broken_stderr: bool) -> (ChildServer, SocketAddr) {
    let mut builder = ChildServer::builder(PROGRAM)
        .short_of(Shortage::OpenFiles(open_files))
        .keep_log();
    if broken_stderr {
        builder = builder.broken_stderr();
    }
    let server = builder
        .start(|out| {
            let args = ["echo-server", "serve", "--addr", "127.0.0.1:0"];
            let args = <echo_server::Args as clap::Parser>::parse_from(args);
            echo_server::run(args, out)
        })
        .expect("only a shortage of threads is ever skipped");
    let addr = server.addr();
    (server, addr)
}

fn connect(addr: SocketAddr) -> TcpStream {
    let conn = TcpStream::connect_timeout(&addr, DEADLINE).expect("connecting on loopback");
    conn.set_read_timeout(Some(DEADLINE)).expect("a timeout");
    conn.set_write_timeout(Some(DEADLINE)).expect("a timeout");
    conn
}

/// Sends a line and reads its echo, leaving the connection open.
fn hello(conn: &TcpStream, i: usize) -> Result<(), String> {
    let line = format!("client {i:03}\n");
    (&*conn)
        .write_all(line.as_bytes())
        .map_err(|e| format!("client {i}: {e}"))?;
    let mut echo = vec![0; line.len()];
    (&*conn)
        .read_exact(&mut echo)
        .map_err(|e| format!("client {i} got no echo: {e}"))?;
    if echo != line.as_bytes() {
        return Err(format!("client {i} got {echo:?}"));
    }
    Ok(())
}

/// Half-closes every client, then reads each to the server's EOF within one deadline.
fn finish(clients: &[TcpStream]) -> Result<(), String> {
    let deadline = Instant::now() + DEADLINE;
    for conn in clients {
        let _ = conn.shutdown(Shutdown::Write);
    }
    for (i, conn) in clients.iter().enumerate() {
        let left = deadline.saturating_duration_since(Instant::now());
        conn.set_read_timeout(Some(left.max(Duration::from_millis(1))))
            .map_err(|e| e.to_string())?;
        let mut rest = Vec::new();
        (&*conn)
            .read_to_end(&mut rest)
            .map_err(|e| format!("client {i} saw no end: {e}"))?;
    }
    Ok(())
}

#[test]
fn each_client_costs_the_server_one_descriptor() {
    // 50 clients served at once under a limit of 64: with two descriptors a client, only
    // about 29 would be.
    let (mut server, addr) = start_server(64, false);
    let clients: Vec<TcpStream> = (0..50).map(|_| connect(addr)).collect();
    let served = clients
        .iter()
        .enumerate()
        .try_for_each(|(i, conn)| hello(conn, i))
        .and_then(|()| finish(&clients));
    server.finish();
    served.unwrap_or_else(|e| panic!("{e}\nthe server's stderr:\n{}", server.stderr()));
}

#[test]
fn resets_with_stderr_a_broken_pipe_cost_nothing_that_lasts() {
    // Every reset makes the server log a line to a stderr nobody reads (EPIPE). 60 of them
    // under a limit of 32 descriptors: a descriptor kept for each would leave none.
    let (mut server, addr) = start_server(32, true);
    for i in 0..60 {
        let conn = connect(addr);
        hello(&conn, i).unwrap_or_else(|e| panic!("{e}"));
        SockRef::from(&conn)
            .set_linger(Some(Duration::ZERO))
            .expect("SO_LINGER");
        // Sent but never echoed when the reset comes: the server's next read or write fails.
        let _ = (&conn).write_all(&[b'x'; 100_000]);
        drop(conn);
    }
    let clients: Vec<TcpStream> = (0..20).map(|_| connect(addr)).collect();
    let served = clients
        .iter()
        .enumerate()
        .try_for_each(|(i, conn)| hello(conn, i))
        .and_then(|()| finish(&clients));
    let usage = server.finish();
    served.unwrap_or_else(|e| panic!("after 60 resets, with stderr a broken pipe: {e}"));
    // Exit code 0: it was still serving, and left when told (a panic would be 101).
    assert_eq!(usage.code, Some(0), "{usage:?}");
}

#[test]
fn a_server_out_of_descriptors_pauses_and_logs_once() {
    let (mut server, addr) = start_server(32, false);
    // 60 clients under a limit of 32: about half wait in the accept queue.
    let clients: Vec<TcpStream> = (0..60)
        .map(|i| {
            let conn = connect(addr);
            let _ = (&conn).write_all(format!("client {i}\n").as_bytes());
            conn
        })
        .collect();
    server
        .expect_stderr("accept: ", DEADLINE)
        .unwrap_or_else(|e| panic!("{e}"));
    // A period to measure what the server does while out of descriptors.
    let out_for = Duration::from_millis(500);
    thread::sleep(out_for);
    let served = finish(&clients);
    let usage = server.finish();
    let log = server.stderr();
    served.unwrap_or_else(|e| panic!("{e}\nthe server's stderr:\n{log}"));
    let lines = log.lines().filter(|l| l.contains("accept: ")).count();
    assert!(lines <= 3, "{lines} lines about accept:\n{log}");
    assert!(usage.cpu < out_for / 2, "{usage:?}\n{log}");
}

#[test]
fn the_client_reads_no_more_than_it_sent_when_a_server_floods() {
    // In the child, the flood is not started: only the client runs (and stays alive until the
    // parent has read its peak memory).
    let server =
        (!ChildServer::is_child()).then(|| HostileServer::flood(256 << 20, Request::UntilEof));
    let addr = server
        .as_ref()
        .map(|s| s.addr().to_string())
        .unwrap_or_default();
    let mut client = ChildServer::builder(PROGRAM)
        .env("NETLINGS_SERVER", &addr)
        .start_client(|out| {
            let server = std::env::var("NETLINGS_SERVER").expect("the parent names the server");
            let args = ["echo-server", "client", server.as_str(), "hello"];
            let args = <echo_server::Args as clap::Parser>::parse_from(args);
            let outcome = echo_server::run(args, &mut io::sink()).map_err(|e| e.to_string());
            let _ = writeln!(out, "outcome: {outcome:?}");
        })
        .expect("only a shortage of threads is ever skipped");
    let outcome = client
        .expect_line("outcome: ", DEADLINE)
        .unwrap_or_else(|e| panic!("{e}"));
    let peak = client.peak_memory_kib().unwrap_or_else(|e| panic!("{e}"));
    client.finish();
    assert_eq!(
        outcome,
        format!(
            "Err(\"talking to {addr} (6 of 6 bytes came back): more than the 6 bytes sent came \
             back\")"
        )
    );
    // The test binary itself takes a few MiB; reading the whole flood would take hundreds.
    assert!(peak < 32 * 1024, "the client peaked at {peak} KiB");
}

#[test]
fn the_client_ends_by_its_timeout_when_a_server_drips() {
    // 12 bytes, one every 400 ms: 4.8 s in all, each read well within 600 ms.
    let server = HostileServer::drip(
        b"hello there\n",
        Duration::from_millis(400),
        Request::UntilEof,
    );
    let addr = server.addr().to_string();
    let started = Instant::now();
    let transcript = run_program(
        PROGRAM,
        &[
            "echo-server",
            "client",
            "--timeout-ms",
            "600",
            &addr,
            "hello",
            "there",
        ],
        echo_server::run,
    );
    assert!(
        started.elapsed() < Duration::from_millis(3000),
        "{transcript}"
    );
    assert!(
        transcript.stderr.ends_with("the deadline passed"),
        "{transcript}"
    );
}

#[test]
fn the_client_prints_what_came_back_before_a_reset() {
    let server = HostileServer::reset_after(b"hel", Request::UntilEof);
    let addr = server.addr().to_string();
    let transcript = run_program(
        PROGRAM,
        &["echo-server", "client", &addr, "hello"],
        echo_server::run,
    );
    assert_eq!(transcript.stdout, "hel", "{transcript}");
    assert!(
        transcript
            .stderr
            .contains("(3 of 6 bytes came back): Connection reset"),
        "{transcript}"
    );
}
