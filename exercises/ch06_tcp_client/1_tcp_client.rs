//! Chapter 6 — A TCP client: Newmarch's GetHeadInfo (`DialTCP`, `Write`, `ReadAll`) and a
//! daytime client.
//!
//! Read: book chapter 6 (`mdbook serve book`, or book/src/ch06_tcp_client.md).
//! Check: `cargo run -- check tcp-client`   Run: `cargo run -- run tcp-client -- head 127.0.0.1:8080`
//!
//! Fill in the four functions marked TODO; `run` already uses them.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use clap::{Parser, Subcommand};
use netlings::program::Result;

/// Ask a server for something over TCP and print the whole answer.
#[derive(Parser, Debug)]
#[command(name = "tcp-client")]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
    /// Give up connecting, or waiting for the server, after this many milliseconds
    #[arg(long, global = true, default_value_t = 5000, value_name = "MS")]
    pub timeout_ms: u64,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Send `HEAD / HTTP/1.0` and print the response headers (Newmarch's GetHeadInfo)
    Head {
        /// The web server, as host:port (e.g. 127.0.0.1:8080)
        service: String,
    },
    /// Print what a daytime server (RFC 867, port 13) sends
    Daytime {
        /// The daytime server, as host:port
        service: String,
    },
}

/// The request GetHeadInfo sends: a request line and the empty line that ends the head.
pub const HEAD_REQUEST: &[u8] = b"HEAD / HTTP/1.0\r\n\r\n";

/// Go's `ResolveTCPAddr("tcp4", service)`: the first IPv4 address `service` (host:port) names.
pub fn resolve_tcp_addr(service: &str) -> io::Result<SocketAddr> {
    // TODO: `to_socket_addrs` (import `std::net::ToSocketAddrs`) gives every address; keep the
    // first IPv4 one, or return an `io::ErrorKind::NotFound` error when there is none.
    todo!("resolve_tcp_addr({service:?})")
}

/// Go's `DialTCP`: connects to `addr`, giving up after `timeout`. The connection's reads and
/// writes must give up after `timeout` too (`set_read_timeout`, `set_write_timeout`), so a
/// server that accepts and says nothing cannot block the client forever.
pub fn dial_tcp(addr: SocketAddr, timeout: Duration) -> io::Result<TcpStream> {
    // TODO: connect with a timeout, then set the read and write timeouts.
    todo!("dial_tcp({addr}, {timeout:?})")
}

/// GetHeadInfo's conversation: sends [`HEAD_REQUEST`] and returns everything the server sends
/// back until it closes the connection. The reply arrives in pieces: one `read` is not one
/// message. Invalid UTF-8 becomes U+FFFD (`String::from_utf8_lossy`).
pub fn get_head_info<S: Read + Write>(conn: &mut S) -> io::Result<String> {
    // TODO: send every byte of the request, then read until the server closes (EOF).
    let _ = conn;
    todo!("get_head_info(conn)")
}

/// A daytime client (RFC 867): the server talks first, sends the time as text and closes.
pub fn daytime<S: Read>(conn: &mut S) -> io::Result<String> {
    // TODO: read until EOF.
    let _ = conn;
    todo!("daytime(conn)")
}

/// Resolves and connects, with errors that say which step failed.
fn connect(service: &str, timeout: Duration) -> Result<TcpStream> {
    let addr = resolve_tcp_addr(service).map_err(|e| format!("cannot resolve {service:?}: {e}"))?;
    let conn = dial_tcp(addr, timeout).map_err(|e| format!("cannot connect to {addr}: {e}"))?;
    Ok(conn)
}

/// Connects, has one conversation and prints the answer exactly as it arrived.
pub fn run(args: Args, out: &mut dyn Write) -> Result {
    if args.timeout_ms == 0 {
        return Err("--timeout-ms must be at least 1".into());
    }
    let timeout = Duration::from_millis(args.timeout_ms);
    let (service, reply) = match &args.command {
        Command::Head { service } => (service, get_head_info(&mut connect(service, timeout)?)),
        Command::Daytime { service } => (service, daytime(&mut connect(service, timeout)?)),
    };
    let reply = reply.map_err(|e| format!("talking to {service}: {e}"))?;
    out.write_all(reply.as_bytes())?;
    Ok(())
}

fn main() -> std::process::ExitCode {
    netlings::program::main(run)
}
