//! Chapter 6 — A TCP client: Newmarch's GetHeadInfo (`DialTCP`, `Write`, `ReadAll`) and a
//! daytime client.
//!
//! Run it: `netlings run tcp-client --solution -- head 127.0.0.1:8080`

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
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

// ANCHOR: resolve_tcp_addr
/// Go's `ResolveTCPAddr("tcp4", service)`: the first IPv4 address `service` (host:port) names.
pub fn resolve_tcp_addr(service: &str) -> io::Result<SocketAddr> {
    // `to_socket_addrs` parses literals and asks the system resolver for names (getaddrinfo).
    // A name can have several addresses of both families; "tcp4" keeps the first IPv4 one.
    service
        .to_socket_addrs()?
        .find(SocketAddr::is_ipv4)
        .ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::NotFound,
                format!("no IPv4 address for {service}"),
            )
        })
}
// ANCHOR_END: resolve_tcp_addr

// ANCHOR: dial_tcp
/// Go's `DialTCP`: connects to `addr`, giving up after `timeout`. The connection's reads and
/// writes give up after `timeout` too.
pub fn dial_tcp(addr: SocketAddr, timeout: Duration) -> io::Result<TcpStream> {
    // Without a timeout, `connect` to a host that drops packets waits for the kernel's SYN
    // retries: more than two minutes on Linux.
    let conn = TcpStream::connect_timeout(&addr, timeout)?;
    // A server that accepts and then says nothing would otherwise block `read` forever.
    conn.set_read_timeout(Some(timeout))?;
    conn.set_write_timeout(Some(timeout))?;
    Ok(conn)
}
// ANCHOR_END: dial_tcp

// ANCHOR: get_head_info
/// GetHeadInfo's conversation: sends [`HEAD_REQUEST`] and returns everything the server sends
/// back until it closes the connection.
pub fn get_head_info<S: Read + Write>(conn: &mut S) -> io::Result<String> {
    // `write` may take only part of the buffer; `write_all` loops until every byte is sent.
    conn.write_all(HEAD_REQUEST)?;
    conn.flush()?;
    // TCP carries bytes, not messages: the reply can arrive in any number of pieces. HTTP/1.0
    // ends it by closing the connection, which `read` reports as 0 bytes (EOF); `read_to_end`
    // is Go's `io.ReadAll`: read until EOF.
    let mut reply = Vec::new();
    conn.read_to_end(&mut reply)?;
    Ok(String::from_utf8_lossy(&reply).into_owned())
}
// ANCHOR_END: get_head_info

// ANCHOR: daytime
/// A daytime client (RFC 867): the server talks first, sends the time as text and closes.
pub fn daytime<S: Read>(conn: &mut S) -> io::Result<String> {
    let mut text = Vec::new();
    conn.read_to_end(&mut text)?;
    Ok(String::from_utf8_lossy(&text).into_owned())
}
// ANCHOR_END: daytime

/// Resolves and connects, with errors that say which step failed.
fn connect(service: &str, timeout: Duration) -> Result<TcpStream> {
    let addr = resolve_tcp_addr(service).map_err(|e| format!("cannot resolve {service:?}: {e}"))?;
    let conn = dial_tcp(addr, timeout).map_err(|e| format!("cannot connect to {addr}: {e}"))?;
    Ok(conn)
}

// ANCHOR: run
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
// ANCHOR_END: run

fn main() -> std::process::ExitCode {
    netlings::program::main(run)
}
