//! Step 2.4 · `mask` — the chapter's program: Newmarch's `Mask.go` grown up, and `ParseCIDR`.
//!
//! Run it: `cargo run -- run mask --solution -- 192.168.1.3/24`

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

/// Go's `ParseCIDR`: `"192.168.1.3/24"` → the address (canonical) and its network.
pub fn parse_cidr(s: &str) -> std::result::Result<(IpAddr, IpNet), CidrError> {
    let (addr, prefix) = s.split_once('/').ok_or(CidrError::MissingPrefix)?;
    let ip: IpAddr = addr.parse().map_err(|_| CidrError::BadAddress)?;
    // Digits only: `u32::from_str` would also take "+8". (Empty or overlong fails to parse.)
    if !prefix.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CidrError::BadPrefix);
    }
    let ones: u32 = prefix.parse().map_err(|_| CidrError::BadPrefix)?;
    // The limit is the family's as written: `::ffff:10.1.2.3/104` is an IPv6 prefix.
    let bits = if ip.is_ipv4() { 32 } else { 128 };
    let net = cidr_mask(ones, bits)
        .and_then(|m| network(ip, m))
        .ok_or(CidrError::BadPrefix)?;
    Ok((ip.to_canonical(), net))
}

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
