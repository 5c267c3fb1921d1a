//! Step 2.4 · `mask` — the chapter's program: Newmarch's `Mask.go` grown up, and `ParseCIDR`.
//!
//! Read: chapter 2, "Step 4" (book/src/ch02_mask.md).   Check: `cargo run -- check mask`
//! Run: `cargo run -- run mask -- 192.168.1.3/24`
//!
//! Steps 1 to 3 are given (from `netlings::given::mask`), so this step works even if you
//! skipped them, and so are the types and `parse_mask` (`netlings::support::mask`). You write
//! `parse_cidr`; `run` prints the table and is written for you.

// Your `parse_cidr` will use these imports; until it does, some are unused.
#![allow(unused_imports)]

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr};

use clap::Parser;
use netlings::given::mask::apply_mask::{mask, network, size};
use netlings::given::mask::hosts::{broadcast, host_count, hosts};
use netlings::given::mask::masks::{cidr_mask, default_mask};
use netlings::program::Result;
use netlings::support::mask::{CidrError, IpMask, IpNet, parse_mask};

/// Show the network, broadcast address and host range of an address and its mask.
#[derive(Parser, Debug)]
#[command(name = "mask")]
pub struct Args {
    /// An address, optionally with a prefix length: 192.168.1.3, 10.1.2.3/8, 2001:db8::1/64
    #[arg(value_name = "ADDR[/PREFIX]")]
    pub addr: String,
    /// A mask, dotted (255.255.255.0) or hex as Go prints it (ffffff00); default: the class mask
    #[arg(value_name = "MASK")]
    pub mask: Option<String>,
}

// ANCHOR: parse_cidr
/// Go's `ParseCIDR`: `"192.168.1.3/24"` → the address and its network, built with `cidr_mask`
/// and `network`. The address comes back canonical (`::ffff:10.1.2.3/104` gives 10.1.2.3);
/// the prefix's limit is that of the family as written (32 for IPv4, 128 for IPv6).
///
/// Errors: no `/` is `MissingPrefix`; an address part std cannot parse is `BadAddress`; a
/// prefix that is not plain decimal digits (`+8`, `-1`, empty) or too long is `BadPrefix`.
pub fn parse_cidr(s: &str) -> std::result::Result<(IpAddr, IpNet), CidrError> {
    // TODO: split at '/', parse both halves, then use cidr_mask and network.
    todo!("parse_cidr({s:?})")
}
// ANCHOR_END: parse_cidr

/// The address and mask the arguments describe.
fn address_and_mask(args: &Args) -> Result<(IpAddr, IpMask)> {
    if args.addr.contains('/') {
        if args.mask.is_some() {
            return Err("give a prefix length or a mask, not both".into());
        }
        let (ip, net) = parse_cidr(&args.addr).map_err(|e| format!("{}: {e}", args.addr))?;
        return Ok((ip, net.mask));
    }
    let ip = args
        .addr
        .parse::<IpAddr>()
        .map_err(|_| format!("{:?} is not an IP address", args.addr))?
        .to_canonical();
    let m = match &args.mask {
        Some(text) => parse_mask(text)?,
        None => default_mask(ip)
            .ok_or("IPv6 has no default mask: give a prefix length, e.g. 2001:db8::1/64")?,
    };
    Ok((ip, m))
}

/// Prints the table Newmarch's Mask.go prints, and the network's host range.
pub fn run(args: Args, out: &mut dyn Write) -> Result {
    let (ip, m) = address_and_mask(&args)?;
    let masked = mask(ip, &m).ok_or_else(|| {
        format!(
            "a {}-bit mask does not fit the address {ip}",
            m.bytes().len() * 8
        )
    })?;
    writeln!(out, "address       {ip}")?;
    match m {
        IpMask::V4(b) => writeln!(out, "mask          {} (hex {m})", Ipv4Addr::from(b))?,
        IpMask::V6(_) => writeln!(out, "mask          {m}")?,
    }
    if let Some(default) = default_mask(ip) {
        writeln!(out, "default mask  {default} (/{})", size(&default).0)?;
    }
    let (ones, bits) = size(&m);
    let Some(net) = network(ip, m) else {
        writeln!(
            out,
            "mask size     ({ones}, {bits}): not contiguous, so no prefix length"
        )?;
        writeln!(out, "network       {masked}")?;
        writeln!(out, "hosts         none: a network needs a contiguous mask")?;
        return Ok(());
    };
    let prefix = size(&net.mask).0;
    writeln!(out, "mask size     {ones} ones of {bits} bits")?;
    writeln!(out, "network       {}/{prefix}", net.ip)?;
    match broadcast(&net) {
        Some(b) => writeln!(out, "broadcast     {b}")?,
        None if ip.is_ipv6() => writeln!(out, "broadcast     none: IPv6 uses multicast")?,
        None => writeln!(out, "broadcast     none: /{prefix} has no room for one")?,
    }
    let (first, last) = hosts(&net);
    writeln!(out, "hosts         {first} - {last}")?;
    match host_count(&net) {
        // ::/0 holds 2^128 addresses, one more than a u128 can count.
        u128::MAX if prefix == 0 => writeln!(out, "host count    2^128")?,
        count => writeln!(out, "host count    {count}")?,
    }
    Ok(())
}

fn main() -> std::process::ExitCode {
    netlings::program::main(run)
}
