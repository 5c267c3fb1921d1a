//! How fast is the reference echo server (chapter 7), and how fast could it be?
//!
//! `cargo bench --bench echo` runs four bounded phases on loopback, each a few seconds
//! (`NETLINGS_BENCH_SECS` changes the length), and prints one line each:
//!
//! 1. ping-pong: 50 connections, each sending 512 bytes and waiting for their echo, in a loop,
//!    against a bare echo loop (the ceiling for this load) and against `solutions/`' server
//!    (`solutions/ch07_echo_server/3_accept_loop.rs`, which serves with step 7.1's
//!    `handle_client`);
//! 2. bulk: one connection streaming 64 KiB writes while reading the echo, against a plain sink
//!    (one-way: the loopback ceiling) and against `solutions/`' server.
//!
//! Client and server share the machine's CPUs, so absolute numbers move from run to run; the
//! ratio to the ceiling measured in the same run is the number to compare. Every echoed byte is
//! checked.

#[path = "../solutions/ch07_echo_server/3_accept_loop.rs"]
#[allow(dead_code)]
mod accept_loop;

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use netlings::given::echo_server::stop_handle::StopHandle;

const CONNECTIONS: usize = 50;
const MESSAGE: usize = 512;
const CHUNK: usize = 64 * 1024;

fn phase_length() -> Duration {
    let secs = std::env::var("NETLINGS_BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2.0);
    Duration::from_secs_f64(f64::max(secs, 0.2))
}

fn listener() -> io::Result<(TcpListener, SocketAddr)> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    Ok((listener, addr))
}

/// A loopback server that runs `handle` on its own thread for every connection.
fn thread_per_connection(handle: fn(TcpStream)) -> io::Result<SocketAddr> {
    let (listener, addr) = listener()?;
    thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            thread::spawn(move || handle(conn));
        }
    });
    Ok(addr)
}

/// The thinnest echo server: read → write_all until EOF or an error.
fn bare_echo() -> io::Result<SocketAddr> {
    thread_per_connection(|mut conn| {
        let mut buf = vec![0u8; CHUNK];
        while let Ok(n @ 1..) = conn.read(&mut buf) {
            if conn.write_all(&buf[..n]).is_err() {
                return;
            }
        }
    })
}

/// A sink: reads and discards. One-way throughput into it is what loopback can carry.
fn sink() -> io::Result<SocketAddr> {
    thread_per_connection(|mut conn| {
        let mut buf = vec![0u8; CHUNK];
        while let Ok(1..) = conn.read(&mut buf) {}
    })
}

/// The reference server from `solutions/ch07_echo_server/3_accept_loop.rs`, with its stop
/// handle. Its log (connection errors) is thrown away: the clients here end cleanly.
fn reference_echo() -> io::Result<(SocketAddr, StopHandle, thread::JoinHandle<()>)> {
    let (listener, addr) = listener()?;
    let stop = StopHandle::new(&listener)?;
    let handle = stop.clone();
    let thread = thread::spawn(move || accept_loop::serve(listener, &handle, &mut io::sink()));
    Ok((addr, stop, thread))
}

fn connect(addr: SocketAddr) -> io::Result<TcpStream> {
    let conn = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
    conn.set_read_timeout(Some(Duration::from_secs(5)))?;
    conn.set_write_timeout(Some(Duration::from_secs(5)))?;
    // Each 512-byte message should leave at once rather than wait for the previous echo.
    conn.set_nodelay(true)?;
    Ok(conn)
}

/// Round trips per second over `CONNECTIONS` connections of `MESSAGE`-byte ping-pong.
fn ping_pong(addr: SocketAddr, length: Duration) -> io::Result<f64> {
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..CONNECTIONS)
        .map(|i| {
            let stop = Arc::clone(&stop);
            thread::spawn(move || -> io::Result<u64> {
                let mut conn = connect(addr)?;
                let message: Vec<u8> = (0..MESSAGE).map(|b| (b + i) as u8).collect();
                let mut echo = vec![0u8; MESSAGE];
                let mut trips = 0;
                while !stop.load(Ordering::Relaxed) {
                    conn.write_all(&message)?;
                    conn.read_exact(&mut echo)?;
                    if echo != message {
                        return Err(io::Error::other(format!("connection {i} got a wrong echo")));
                    }
                    trips += 1;
                }
                Ok(trips)
            })
        })
        .collect();
    let started = Instant::now();
    thread::sleep(length); // the measurement window: nothing to synchronise with
    stop.store(true, Ordering::Relaxed);
    let mut trips = 0;
    for client in clients {
        trips += client
            .join()
            .map_err(|_| io::Error::other("a client panicked"))??;
    }
    Ok(trips as f64 / started.elapsed().as_secs_f64())
}

/// MB/s through one connection: a thread writes `CHUNK`-byte blocks for `length`, then
/// half-closes; this thread reads until EOF (checking the pattern if `echoed`).
fn bulk(addr: SocketAddr, length: Duration, echoed: bool) -> io::Result<f64> {
    let conn = connect(addr)?;
    let mut writer = conn.try_clone()?;
    let started = Instant::now();
    let sender = thread::spawn(move || -> io::Result<u64> {
        let block: Vec<u8> = (0..CHUNK).map(|i| i as u8).collect();
        let mut sent = 0;
        while started.elapsed() < length {
            writer.write_all(&block)?;
            sent += CHUNK as u64;
        }
        writer.shutdown(Shutdown::Write)?;
        Ok(sent)
    });
    let mut received = 0u64;
    if echoed {
        let mut buf = vec![0u8; CHUNK];
        let mut reader = &conn;
        loop {
            let n = reader.read(&mut buf)?;
            if n == 0 {
                break;
            }
            // The pattern repeats every CHUNK bytes and every 256 within it: byte k is k as u8.
            if buf[..n]
                .iter()
                .enumerate()
                .any(|(i, &b)| b != (received as usize + i) as u8)
            {
                return Err(io::Error::other("the bulk echo is corrupted"));
            }
            received += n as u64;
        }
    }
    let sent = sender
        .join()
        .map_err(|_| io::Error::other("the sender panicked"))??;
    if echoed && received != sent {
        return Err(io::Error::other(format!(
            "sent {sent} bytes, got {received} back"
        )));
    }
    Ok(sent as f64 / 1e6 / started.elapsed().as_secs_f64())
}

/// One line of results, in columns.
fn report(load: &str, server: &str, value: f64, unit: &str, ratio: Option<f64>) {
    let ratio = ratio
        .map(|r| format!("  {:>3.0}% of the ceiling", 100.0 * r))
        .unwrap_or_default();
    println!("{load:<38} {server:<32} {value:>9.0} {unit}{ratio}");
}

fn main() -> io::Result<()> {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not: then just check it builds.
    if !std::env::args().any(|a| a == "--bench") {
        return Ok(());
    }
    let length = phase_length();
    let cpus = thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "echo benchmark: loopback, {cpus} CPUs shared by clients and servers, {length:?} a phase"
    );

    let ping = format!("ping-pong, {CONNECTIONS} connections x {MESSAGE} B");
    let ceiling = ping_pong(bare_echo()?, length)?;
    report(&ping, "bare echo loop (ceiling)", ceiling, "msg/s", None);
    let (addr, stop, server) = reference_echo()?;
    let reference = ping_pong(addr, length)?;
    report(
        &ping,
        "solutions/ch07 server",
        reference,
        "msg/s",
        Some(reference / ceiling),
    );

    let stream = format!("bulk, 1 connection, {} KiB writes", CHUNK / 1024);
    let one_way = bulk(sink()?, length, false)?;
    report(
        &stream,
        "one way into a sink (ceiling)",
        one_way,
        "MB/s",
        None,
    );
    let echoed = bulk(addr, length, true)?;
    report(
        &stream,
        "solutions/ch07 echo (both ways)",
        echoed,
        "MB/s",
        Some(echoed / one_way),
    );

    stop.stop();
    server
        .join()
        .map_err(|_| io::Error::other("the server panicked"))?;
    Ok(())
}
