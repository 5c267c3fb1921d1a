//! Snippets for the chapter "Thousands of clients", compiled and run by `cargo test` with the
//! `async` feature (tests/book.rs): they use tokio.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc::{self, TrySendError};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

#[test]
fn bounded_channel() {
    // ANCHOR: bounded_channel
    // A queue with room for two: `try_send` never waits, it says "full" and hands the value back.
    let (sender, receiver) = mpsc::sync_channel::<String>(2);
    sender.try_send("first".to_string()).unwrap();
    sender.try_send("second".to_string()).unwrap();
    match sender.try_send("third".to_string()) {
        Err(TrySendError::Full(back)) => assert_eq!(back, "third"), // ours again, to deal with
        other => panic!("a full queue took a third: {other:?}"),
    }
    // Taking one makes room for one.
    assert_eq!(receiver.recv().unwrap(), "first");
    sender.try_send("third".to_string()).unwrap();
    // When every sender is gone, `recv` drains what is left, then fails: "nothing more, ever".
    drop(sender);
    assert_eq!(receiver.recv().unwrap(), "second");
    assert_eq!(receiver.recv().unwrap(), "third");
    assert!(receiver.recv().is_err());
    // ANCHOR_END: bounded_channel
}

#[test]
fn shared_receiver() {
    // ANCHOR: shared_receiver
    // Three threads share one receiver behind a mutex, and square numbers until it is closed.
    let (jobs, queue) = mpsc::sync_channel::<u64>(8);
    let queue = Arc::new(Mutex::new(queue));
    let (results, squares) = mpsc::channel();
    let workers: Vec<_> = (0..3)
        .map(|_| {
            let (queue, results) = (Arc::clone(&queue), results.clone());
            thread::spawn(move || {
                loop {
                    // The guard is a temporary of this statement: the lock is let go as soon as
                    // `recv` returns, so the others can wait for the next number while this
                    // thread works on its own. (`let guard = queue.lock()...;` would keep it
                    // until the end of the loop body: one worker at a time.)
                    let job = queue.lock().unwrap().recv();
                    let Ok(n) = job else { return };
                    results.send(n * n).unwrap();
                }
            })
        })
        .collect();
    for n in 1..=6 {
        jobs.send(n).unwrap();
    }
    drop(jobs); // closes the queue: each worker's `recv` fails once it is empty
    for worker in workers {
        worker.join().unwrap();
    }
    drop(results);
    let mut got: Vec<u64> = squares.iter().collect();
    got.sort();
    assert_eq!(got, [1, 4, 9, 16, 25, 36]);
    // ANCHOR_END: shared_receiver
}

#[test]
fn what_a_thread_costs() {
    // ANCHOR: thread_cost
    // Each thread has a stack of its own: Rust reserves 2 MiB of address space for it by default
    // (memory backs only the pages it touches), and the kernel keeps some memory of its own for
    // every thread it schedules. A thread that only echoes can ask for a smaller reservation.
    let small = thread::Builder::new()
        .stack_size(64 * 1024)
        .spawn(|| {
            let buf = [1u8; 16 * 1024]; // an echo loop's buffer: 16 KiB of that stack, touched
            buf.iter().map(|&b| u64::from(b)).sum::<u64>()
        })
        .unwrap();
    assert_eq!(small.join().unwrap(), 16 * 1024);
    // ANCHOR_END: thread_cost
}

#[test]
fn runtime_by_hand() {
    // ANCHOR: runtime
    // What `#[tokio::main]` writes for you: a runtime, and a plain function blocking on a future.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all() // the reactor (sockets) and the timers
        .build()
        .unwrap();
    let total = runtime.block_on(async {
        // A thousand tasks cost a thousand small heap objects, not a thousand threads.
        let mut tasks = tokio::task::JoinSet::new();
        for n in 0..1000u64 {
            tasks.spawn(async move {
                tokio::time::sleep(Duration::from_millis(10)).await; // waits without a thread
                n
            });
        }
        // `join_next` gives each result as its task ends, in whatever order they end.
        let mut total = 0;
        while let Some(ended) = tasks.join_next().await {
            total += ended.unwrap();
        }
        total
    });
    assert_eq!(total, 999 * 1000 / 2);
    // ANCHOR_END: runtime
}

#[test]
fn select_and_abort() {
    // ANCHOR: select
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (mut stop, mut stopped) = (Some(stop), std::pin::pin!(stopped));
        let mut tasks = tokio::task::JoinSet::new();
        // A task that would run for an hour.
        tasks.spawn(tokio::time::sleep(Duration::from_secs(3600)));
        let mut ticks = 0;
        loop {
            // Waits for whichever comes first. `biased` polls the branches in order, so a stop
            // is seen before anything else; a branch whose pattern does not match is skipped.
            tokio::select! {
                biased;
                _ = &mut stopped => break,
                Some(ended) = tasks.join_next() => panic!("the hour passed: {ended:?}"),
                () = tokio::time::sleep(Duration::from_millis(1)) => {
                    ticks += 1;
                    if ticks == 3 {
                        // Someone asks us to stop; the next turn of the loop sees it.
                        if let Some(stop) = stop.take() {
                            let _ = stop.send(());
                        }
                    }
                }
            }
        }
        // Aborting a task drops its future where it waits: whatever it owns is dropped too.
        tasks.abort_all();
        let ended = tasks.join_next().await.unwrap();
        assert!(ended.unwrap_err().is_cancelled());
        assert!(tasks.join_next().await.is_none());
        assert_eq!(ticks, 3);
    });
    // ANCHOR_END: select
}

#[test]
fn std_socket_into_tokio() {
    // ANCHOR: from_std
    // A std socket handed to tokio must be non-blocking: the runtime's thread may never sit in
    // a system call for one socket while the others wait.
    let std_socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    std_socket.set_nonblocking(true).unwrap();
    let addr = std_socket.local_addr().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .unwrap();
    let got = runtime.block_on(async {
        // Registering with the runtime's reactor needs a running runtime: inside `block_on`.
        let socket = tokio::net::UdpSocket::from_std(std_socket).unwrap();
        socket.send_to(b"to myself", addr).await.unwrap();
        let mut buf = [0u8; 16];
        let (n, _) = socket.recv_from(&mut buf).await.unwrap();
        buf[..n].to_vec()
    });
    assert_eq!(got, b"to myself");
    // ANCHOR_END: from_std
}

#[test]
fn too_many_open_files() {
    // ANCHOR: nofile
    use netlings::support::limits;

    // Every socket is a descriptor, and the soft limit caps them: past it, `accept` and
    // `connect` fail with EMFILE, "Too many open files".
    let now = limits::open_files().unwrap();
    assert!(now.soft <= now.hard);
    // A connected pair on loopback costs three: the listener, and one socket for each end.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let mut client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (mut server, _) = listener.accept().unwrap();
    // And `try_clone` (chapter 7's `OpenConns` keeps one per connection) costs one more.
    let second = server.try_clone().unwrap();
    client.write_all(b"x").unwrap();
    let mut byte = [0u8; 1];
    server.read_exact(&mut byte).unwrap();
    drop(second);
    // ANCHOR_END: nofile
}
