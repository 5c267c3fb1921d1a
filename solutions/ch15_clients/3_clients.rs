//! Step 15.3 · `clients` — the chapter's program: the echo server three ways, with the limit on
//! open files raised to what the chosen way needs.
//!
//! Run it: `cargo run -- run clients --solution -- serve --model async`, then load it from a
//! second terminal: `cargo run --release -- bench 127.0.0.1:7007 --idle 10000`

use std::future::Future;
use std::io::{self, Write};
use std::net::TcpListener;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};
use netlings::given::clients::async_echo::serve;
use netlings::given::clients::worker_pool::{PoolConfig, serve_pool};
use netlings::given::echo_server::accept_loop::serve as serve_threads;
use netlings::given::echo_server::stop_handle::StopHandle;
use netlings::program::Result;
use netlings::support::limits::{self, FilesPlan, OpenFiles};

/// An echo server three ways: a thread per client, a pool of threads, or async tasks.
#[derive(Parser, Debug)]
#[command(name = "clients")]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Echo every byte back to every client, until killed (the async model stops on Ctrl-C)
    Serve {
        /// How clients are served
        #[arg(long, value_enum, default_value_t = Model::Async)]
        model: Model,
        /// The address to listen on
        #[arg(long, default_value = "127.0.0.1:7007")]
        addr: String,
        /// The clients to be ready for: the limit on open files is raised to fit them
        #[arg(long, default_value_t = 10_000)]
        max_clients: u64,
        /// Threads of the pool model
        #[arg(long, default_value_t = 8)]
        workers: usize,
        /// Clients that may wait for a worker of the pool model; one more is refused
        #[arg(long, default_value_t = 64)]
        queue: usize,
    },
}

/// The three ways to serve many clients.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Model {
    /// A thread per client (chapter 7's server)
    Thread,
    /// A fixed pool of threads and a bounded queue (step 1)
    Pool,
    /// A task per client on a tokio runtime (step 2)
    Async,
}

/// Descriptors kept for what is not a client: stdin, stdout, stderr, the listener, the runtime's
/// epoll and wake-up descriptors, the stop handle's connection, and some to spare.
pub const RESERVED_FILES: u64 = 64;

/// How long a client of the pool may hold its worker without a word.
pub const POOL_IO_TIMEOUT: Duration = Duration::from_secs(30);

/// The open files `model` needs to hold `max_clients` at once, [`RESERVED_FILES`] included.
pub fn files_needed(model: Model, max_clients: u64, pool: &PoolConfig) -> u64 {
    let for_clients = match model {
        // The connection's socket, and the second handle `OpenConns` keeps to close it on stop.
        Model::Thread => 2 * max_clients,
        // The same two, but only for the clients a worker serves or the queue holds: the
        // others are refused at once, whatever `max_clients` says.
        Model::Pool => 2 * (pool.workers + pool.queue) as u64,
        // The socket, and nothing else: the runtime's own descriptors are in the reserve.
        Model::Async => max_clients,
    };
    for_clients + RESERVED_FILES
}

/// What to do with `limits` for a process that needs `needed` open files. Never lowers the soft
/// limit, and never asks for more than the hard one allows.
pub fn plan_open_files(needed: u64, limits: OpenFiles) -> FilesPlan {
    if limits.soft >= needed {
        FilesPlan::Enough
    } else if limits.hard >= needed {
        FilesPlan::Raise { to: needed }
    } else {
        FilesPlan::Short { to: limits.hard }
    }
}

/// Serves `listener` with step 2's `serve` on a multi-threaded tokio runtime until `shutdown`
/// completes; fails if the runtime cannot be built or the listener not handed over to it.
pub fn run_async(
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
    log: &mut (dyn Write + Send),
) -> io::Result<()> {
    // One thread per CPU, I/O and timers: what `#[tokio::main]` would build, said out loud.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    // A std listener blocks in `accept`; the runtime needs one that says "not yet" instead.
    listener.set_nonblocking(true)?;
    runtime.block_on(async {
        // Registering the socket with the runtime's reactor needs the runtime: inside `block_on`.
        let listener = tokio::net::TcpListener::from_std(listener)?;
        serve(listener, shutdown, log).await;
        Ok(())
    })
}

/// `clients serve`: raises the limit on open files to what `model` needs, listens, and serves
/// until killed, logging on stderr.
pub fn run(args: Args, out: &mut dyn Write) -> Result {
    let Command::Serve {
        model,
        addr,
        max_clients,
        workers,
        queue,
    } = args.command;
    let pool = PoolConfig {
        workers,
        queue,
        io_timeout: Some(POOL_IO_TIMEOUT),
    };
    let listener =
        TcpListener::bind(&addr).map_err(|e| format!("cannot listen on {addr:?}: {e}"))?;
    writeln!(out, "listening on {}", listener.local_addr()?)?;
    let needed = files_needed(model, max_clients, &pool);
    if let Some(said) = limits::apply(plan_open_files(needed, limits::open_files()?), needed)? {
        writeln!(out, "{said}")?;
    }
    out.flush()?;
    let (log, stop) = (&mut io::stderr(), StopHandle::new(&listener)?);
    match model {
        Model::Thread => serve_threads(listener, &stop, log),
        Model::Pool => serve_pool(listener, &stop, pool, log),
        // Ctrl-C ends the async server cleanly; the others are killed.
        Model::Async => run_async(listener, ctrl_c(), log)?,
    }
    Ok(())
}

/// Completes on Ctrl-C; never, where signals cannot be caught.
async fn ctrl_c() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}

fn main() -> std::process::ExitCode {
    netlings::program::main(run)
}
