//! Chapter 8, `timeouts serve`: clients that drip, flood or idle are cut at their limits, and
//! a shortage of threads or descriptors, a log that cannot be written or a limit too long for
//! the clock costs at most one connection.

#[path = "../../solutions/ch08_timeouts/4_timeouts.rs"]
#[allow(dead_code)]
mod timeouts;

use std::io::{Read, Write};
use std::thread;
use std::time::{Duration, Instant};

use clap::Parser;
use netlings::fixtures::child_server::{ChildServer, ChildServerBuilder, Shortage};
use netlings::harness::{DEADLINE, run_program};
use netlings::support::io::is_timeout;

const STEP: &str = "timeouts";

/// `timeouts serve --addr 127.0.0.1:0 <options>`, in a child process as `builder` says.
fn serve(builder: ChildServerBuilder, options: &'static [&'static str]) -> Option<ChildServer> {
    builder.start(move |out| {
        let argv = ["timeouts", "serve", "--addr", "127.0.0.1:0"];
        let args = timeouts::Args::try_parse_from(argv.iter().chain(options))
            .map_err(|e| e.to_string())?;
        timeouts::run(args, out).map_err(|e| e.to_string())
    })
}

#[test]
fn durations_too_long_for_the_clock_are_refused() {
    for option in ["--idle-timeout", "--deadline"] {
        for value in ["10000000000000000000s", "10081m"] {
            let argv = ["timeouts", "serve", option, value];
            let transcript = run_program(STEP, &argv, timeouts::run);
            assert!(
                transcript.status == 2 && transcript.stderr.contains("is too long"),
                "{transcript}"
            );
        }
    }
}

#[test]
fn a_shortage_of_threads_costs_one_connection() {
    let builder = ChildServer::builder(STEP).short_of(Shortage::Threads(3));
    let Some(mut server) = serve(builder, &["--idle-timeout", "30s"]) else {
        return;
    };
    server.expect_one_client_too_many_closed(3, "");
}

#[test]
fn a_shortage_of_descriptors_is_waited_out_without_spinning() {
    let builder = ChildServer::builder(STEP).short_of(Shortage::Descriptors(4));
    let Some(mut server) = serve(builder, &["--idle-timeout", "30s"]) else {
        return;
    };
    server.expect_descriptor_shortage_waited_out(3, 3, Duration::from_millis(500), 2, "");
}

#[test]
fn a_log_that_cannot_be_written_costs_nothing() {
    // stderr is a closed pipe: `eprintln!` would panic the thread of every client it logs.
    let builder = ChildServer::builder(STEP).broken_stderr();
    let Some(mut server) = serve(builder, &["--idle-timeout", "200ms"]) else {
        return;
    };
    let before = server.log_lines();
    let mut idle = server.client();
    let mut rest = Vec::new();
    // Cut for idling: the server logs it, or tries to.
    let _ = idle.read_to_end(&mut rest);
    // Nothing reaches stdout but a panic (reported there by the child): give one time to show.
    if server.wait_for_log(before, Duration::from_millis(500)) {
        server.fail("the server printed something while its stderr was a closed pipe");
    }
    let mut client = server.client();
    server.expect_echo(&mut client, "after a failed log line");
    server.check_alive();
}

#[test]
fn drip_and_flood_clients_are_cut_at_the_deadline() {
    let limit = Duration::from_millis(800);
    let Some(mut server) = serve(
        ChildServer::builder(STEP),
        &["--idle-timeout", "300ms", "--deadline", "800ms"],
    ) else {
        return;
    };
    let drip = server.client();
    let flood = server.client();
    let started = Instant::now();
    let dripper = thread::spawn(move || {
        let mut drip = drip;
        let mut echo = [0u8; 1];
        while started.elapsed() < DEADLINE {
            // A byte every 100 ms: the idle timeout never fires.
            thread::sleep(Duration::from_millis(100));
            if drip.write_all(b".").is_err() || !matches!(drip.read(&mut echo), Ok(1)) {
                return Some(started.elapsed());
            }
        }
        None
    });
    // Writes and never reads its echo, until the server cuts it: at most 64 MiB, though the
    // socket buffers stop it long before.
    let flooder = thread::spawn(move || {
        let flood = flood;
        let _ = flood.set_write_timeout(Some(Duration::from_millis(50)));
        let chunk = vec![b'x'; 64 * 1024];
        let mut sent = 0;
        while started.elapsed() < DEADLINE && sent < 64 << 20 {
            match (&flood).write(&chunk) {
                Ok(n) => sent += n,
                // The buffers are full: the server is not reading, as it should not.
                Err(e) if is_timeout(&e) => {}
                Err(_) => return Some(started.elapsed()),
            }
        }
        None
    });
    let late = limit + Duration::from_millis(1500);
    for (who, lasted) in [
        ("drip", dripper.join().ok().flatten()),
        ("flood", flooder.join().ok().flatten()),
    ] {
        match lasted {
            Some(lasted) if lasted <= late => {}
            _ => server.fail(&format!(
                "the {who} client was not cut by the {limit:?} deadline ({lasted:?})"
            )),
        }
    }
    server.check_alive();
}
