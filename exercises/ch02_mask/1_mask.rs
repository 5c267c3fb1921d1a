//! Chapter 2 — Masks and networks: Go's `IPMask`, `IPv4Mask`, `CIDRMask`, `DefaultMask`,
//! `IP.Mask`, `IPMask.Size` and `ParseCIDR`.
//!
//! Read: book chapter 2 (book/src/ch02_mask.md).
//! Check: `cargo run -- check mask`   Run: `cargo run -- run mask -- 192.168.1.3/24`
//!
//! Fill in the functions marked TODO: the constructors, `IpMask::size`, `default_mask`, `mask`,
//! `parse_cidr` and the three `IpNet` methods. The program (`run`) already uses them.

use std::fmt;
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr};

use clap::Parser;
use netlings::program::Result;

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

/// Go's `IPMask`: 4 bytes for IPv4, 16 for IPv6, ones first (when canonical).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IpMask {
    V4([u8; 4]),
    V6([u8; 16]),
}

impl IpMask {
    /// The mask's bytes, as Go stores them.
    pub fn bytes(&self) -> &[u8] {
        match self {
            IpMask::V4(b) => b,
            IpMask::V6(b) => b,
        }
    }
    /// Go's `IPMask.Size`: `(ones, bits)` for a canonical mask (ones, then only zeros), and
    /// `(0, 0)` for one that is not, such as 255.0.255.0.
    pub fn size(&self) -> (u32, u32) {
        // TODO: count the leading ones; (0, 0) if a one follows a zero.
        todo!("IpMask::size({self})")
    }
}

/// Go prints a mask as hex digits without separators: `ffffff00`.
impl fmt::Display for IpMask {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.bytes().iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}
/// Go's `IPv4Mask(a, b, c, d)`.
pub fn ipv4_mask(a: u8, b: u8, c: u8, d: u8) -> IpMask {
    // TODO: the four bytes, in order.
    todo!("ipv4_mask({a}, {b}, {c}, {d})")
}

/// Go's `CIDRMask(ones, bits)`: `ones` one-bits followed by zeros, for `bits` = 32 or 128.
/// `None` for any other length or when `ones > bits` (Go returns nil).
pub fn cidr_mask(ones: u32, bits: u32) -> Option<IpMask> {
    // TODO: build `ones` one-bits from the left in a u32 or u128.
    todo!("cidr_mask({ones}, {bits})")
}
/// Go's `IP.DefaultMask`: the mask of the address's class, from the days before CIDR.
/// Class A (first bit 0) is /8, class B (10) is /16, everything else /24. IPv6 has no classes.
pub fn default_mask(ip: IpAddr) -> Option<IpMask> {
    // TODO: look at the first byte of the (canonical) IPv4 address.
    todo!("default_mask({ip})")
}
/// Go's `IP.Mask`: the address ANDed with the mask, which is the network the address is in.
/// `None` when the families do not fit. Like Go, an IPv4 address takes a 16-byte mask whose
/// first 12 bytes are all ones, and an IPv4-mapped IPv6 address takes a 4-byte mask.
pub fn mask(ip: IpAddr, m: &IpMask) -> Option<IpAddr> {
    // TODO: AND byte by byte (or as integers); mind the IPv4/IPv6 cases.
    todo!("mask({ip}, {m})")
}

/// A network: its first address and a canonical mask. Go's `IPNet`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpNet {
    /// The network address (all host bits zero).
    pub ip: IpAddr,
    /// The mask; always canonical.
    pub mask: IpMask,
}

/// Why a text is not CIDR notation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CidrError {
    /// No `/` in the text.
    MissingPrefix,
    /// The part before `/` is not an IP address.
    BadAddress,
    /// The part after `/` is not a number from 0 to 32 (IPv4) or 128 (IPv6).
    BadPrefix,
}

impl fmt::Display for CidrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CidrError::MissingPrefix => "no prefix length: write ADDR/N, e.g. 10.0.0.0/8",
            CidrError::BadAddress => "the part before '/' is not an IP address",
            CidrError::BadPrefix => "the prefix length must be 0-32 for IPv4, 0-128 for IPv6",
        })
    }
}

impl std::error::Error for CidrError {}
/// Go's `ParseCIDR`: `"192.168.1.3/24"` → the address (canonical) and its network, built
/// with [`IpNet::new`].
pub fn parse_cidr(s: &str) -> std::result::Result<(IpAddr, IpNet), CidrError> {
    // TODO: split at '/', parse both halves, then use cidr_mask and mask.
    todo!("parse_cidr({s:?})")
}

impl IpNet {
    /// The network `ip` is in under `m`, or `None` when the mask is not canonical or the
    /// families do not fit. An IPv4 network keeps only the last 4 bytes of a 16-byte mask, so
    /// it prints as `10.0.0.0/8` the way Go prints it.
    pub fn new(ip: IpAddr, m: IpMask) -> Option<IpNet> {
        if m.size() == (0, 0) {
            return None;
        }
        let network = mask(ip, &m)?;
        let m = match (network, m) {
            (IpAddr::V4(_), IpMask::V6(b)) => IpMask::V4([b[12], b[13], b[14], b[15]]),
            _ => m,
        };
        Some(IpNet {
            ip: network,
            mask: m,
        })
    }

    /// The prefix length: the number of ones in the mask.
    pub fn prefix(&self) -> u32 {
        self.mask.size().0
    }

    /// The IPv4 broadcast address: the network with every host bit set. IPv6 has no broadcast
    /// (it uses multicast), and /31 and /32 networks have none either (RFC 3021).
    pub fn broadcast(&self) -> Option<IpAddr> {
        // TODO: the network with every host bit set; None for IPv6, /31 and /32.
        todo!("IpNet::broadcast({}/{})", self.ip, self.prefix())
    }

    /// The first and last address a host may use. In IPv4 the network and broadcast addresses
    /// are reserved, except in /31 (a point-to-point link, RFC 3021) and /32 (one host).
    /// In IPv6 every address counts.
    pub fn hosts(&self) -> (IpAddr, IpAddr) {
        // TODO: the first and last usable address.
        todo!("IpNet::hosts({}/{})", self.ip, self.prefix())
    }

    /// How many hosts fit: the addresses between `hosts().0` and `hosts().1`, inclusive.
    /// (Saturates at `u128::MAX` for `::/0`, whose 2^128 addresses do not fit in a u128.)
    pub fn host_count(&self) -> u128 {
        // TODO: how many addresses hosts() spans.
        todo!("IpNet::host_count({}/{})", self.ip, self.prefix())
    }
}

/// A mask from the command line: dotted (`255.255.255.0`) or Go's hex form (`ffffff00`).
pub fn parse_mask(s: &str) -> Result<IpMask> {
    if let Ok(v4) = s.parse::<Ipv4Addr>() {
        return Ok(IpMask::V4(v4.octets()));
    }
    let bad = || format!("{s:?} is not a mask: write 255.255.255.0 or ffffff00");
    if !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad().into());
    }
    let bytes: Vec<u8> = (0..s.len() / 2)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16))
        .collect::<std::result::Result<_, _>>()
        .map_err(|_| bad())?;
    match (
        s.len(),
        bytes.as_slice().try_into(),
        bytes.as_slice().try_into(),
    ) {
        (8, Ok(v4), _) => Ok(IpMask::V4(v4)),
        (32, _, Ok(v6)) => Ok(IpMask::V6(v6)),
        _ => Err(bad().into()),
    }
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
    let network = mask(ip, &m).ok_or_else(|| {
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
        writeln!(out, "default mask  {default} (/{})", default.size().0)?;
    }
    let (ones, bits) = m.size();
    let Some(net) = IpNet::new(ip, m) else {
        writeln!(
            out,
            "mask size     ({ones}, {bits}): not contiguous, so no prefix length"
        )?;
        writeln!(out, "network       {network}")?;
        writeln!(out, "hosts         none: a network needs a contiguous mask")?;
        return Ok(());
    };
    writeln!(out, "mask size     {ones} ones of {bits} bits")?;
    writeln!(out, "network       {}/{}", net.ip, net.prefix())?;
    match net.broadcast() {
        Some(b) => writeln!(out, "broadcast     {b}")?,
        None if ip.is_ipv6() => writeln!(out, "broadcast     none: IPv6 uses multicast")?,
        None => writeln!(
            out,
            "broadcast     none: /{} has no room for one",
            net.prefix()
        )?,
    }
    let (first, last) = net.hosts();
    writeln!(out, "hosts         {first} - {last}")?;
    match net.host_count() {
        // ::/0 holds 2^128 addresses, one more than a u128 can count.
        u128::MAX if net.prefix() == 0 => writeln!(out, "host count    2^128")?,
        count => writeln!(out, "host count    {count}")?,
    }
    Ok(())
}

fn main() -> std::process::ExitCode {
    netlings::program::main(run)
}
