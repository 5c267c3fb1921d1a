//! Chapter 8, `timeouts serve`: clients that drip, flood or idle are cut at their limits, and
//! a shortage of threads or descriptors, a log that cannot be written or a limit too long for
//! the clock costs at most one connection.

#[path = "../../solutions/ch08_timeouts/4_timeouts.rs"]
#[allow(dead_code)]
mod timeouts;

use std::io::Read;
use std::thread;
use std::time::{Duration, Instant};

use clap::Parser;
use netlings::fixtures::child::{ChildServer, ChildServerBuilder, Shortage};
use netlings::fixtures::loopback::{drip, flood};
use netlings::harness::{DEADLINE, run_program};

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
    let dripping = server.client();
    let flooding = server.client();
    let started = Instant::now();
    // A byte every 100 ms: the idle timeout never fires.
    let dripper = thread::spawn(move || {
        drip(
            dripping,
            started,
            Duration::from_millis(100),
            DEADLINE,
            true,
        )
    });
    // Writes and never reads its echo, until the server cuts it.
    let flooder = thread::spawn(move || flood(flooding, started, DEADLINE));
    let late = limit + Duration::from_millis(1500);
    for (who, ended) in [("drip", dripper.join()), ("flood", flooder.join())] {
        match ended {
            Ok((lasted, true)) if lasted <= late => {}
            _ => server.fail(&format!(
                "the {who} client was not cut by the {limit:?} deadline ({ended:?})"
            )),
        }
    }
    server.check_alive();
}
