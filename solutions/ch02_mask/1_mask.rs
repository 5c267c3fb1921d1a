//! Chapter 2 — Masks and networks: Go's `IPMask`, `IPv4Mask`, `CIDRMask`, `DefaultMask`,
//! `IP.Mask`, `IPMask.Size` and `ParseCIDR`.
//!
//! Run it: `netlings run mask --solution -- 192.168.1.3/24`

use std::fmt;
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

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

    // ANCHOR: size
    /// Go's `IPMask.Size`: `(ones, bits)` for a canonical mask (ones, then only zeros), and
    /// `(0, 0)` for one that is not, such as 255.0.255.0.
    pub fn size(&self) -> (u32, u32) {
        let (bits, value) = match self {
            IpMask::V4(b) => (32, u128::from(u32::from_be_bytes(*b)) << 96),
            IpMask::V6(b) => (128, u128::from_be_bytes(*b)),
        };
        // Shifted to the top of a u128, a canonical mask is `ones` ones followed by zeros only.
        let ones = value.leading_ones();
        if value.checked_shl(ones).unwrap_or(0) == 0 {
            (ones, bits)
        } else {
            (0, 0)
        }
    }
    // ANCHOR_END: size
}

/// Go prints a mask as hex digits without separators: `ffffff00`.
impl fmt::Display for IpMask {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.bytes().iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

// ANCHOR: constructors
/// Go's `IPv4Mask(a, b, c, d)`.
pub fn ipv4_mask(a: u8, b: u8, c: u8, d: u8) -> IpMask {
    IpMask::V4([a, b, c, d])
}

/// Go's `CIDRMask(ones, bits)`: `ones` one-bits followed by zeros, for `bits` = 32 or 128.
/// `None` for any other length or when `ones > bits` (Go returns nil).
pub fn cidr_mask(ones: u32, bits: u32) -> Option<IpMask> {
    if ones > bits {
        return None;
    }
    // checked_shl: shifting a u128 by 128 (a /0 mask) is not defined, and means "no ones".
    let value = u128::MAX.checked_shl(128 - ones).unwrap_or(0);
    match bits {
        32 => Some(IpMask::V4(((value >> 96) as u32).to_be_bytes())),
        128 => Some(IpMask::V6(value.to_be_bytes())),
        _ => None,
    }
}
// ANCHOR_END: constructors

// ANCHOR: default_mask
/// Go's `IP.DefaultMask`: the mask of the address's class, from the days before CIDR.
/// Class A (first bit 0) is /8, class B (10) is /16, everything else /24. IPv6 has no classes.
pub fn default_mask(ip: IpAddr) -> Option<IpMask> {
    let IpAddr::V4(v4) = ip.to_canonical() else {
        return None;
    };
    let ones = match v4.octets()[0] {
        0..=127 => 8,
        128..=191 => 16,
        _ => 24, // Go gives class D and E addresses (224.0.0.0 and up) a class C mask too.
    };
    cidr_mask(ones, 32)
}
// ANCHOR_END: default_mask

// ANCHOR: mask
/// Go's `IP.Mask`: the address ANDed with the mask, which is the network the address is in.
/// `None` when the families do not fit. Like Go, an IPv4 address takes a 16-byte mask whose
/// first 12 bytes are all ones, and an IPv4-mapped IPv6 address takes a 4-byte mask.
pub fn mask(ip: IpAddr, m: &IpMask) -> Option<IpAddr> {
    match (ip.to_canonical(), m) {
        (IpAddr::V4(v4), IpMask::V4(b)) => Some(and_v4(v4, *b)),
        (IpAddr::V4(v4), IpMask::V6(b)) if b[..12].iter().all(|&x| x == 0xff) => {
            Some(and_v4(v4, [b[12], b[13], b[14], b[15]]))
        }
        (IpAddr::V6(v6), IpMask::V6(b)) => Some(IpAddr::V6(Ipv6Addr::from(
            u128::from(v6) & u128::from_be_bytes(*b),
        ))),
        _ => None,
    }
}

fn and_v4(ip: Ipv4Addr, mask: [u8; 4]) -> IpAddr {
    IpAddr::V4(ip & Ipv4Addr::from(mask))
}
// ANCHOR_END: mask

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

// ANCHOR: parse_cidr
/// Go's `ParseCIDR`: `"192.168.1.3/24"` → the address (canonical) and its network, built
/// with [`IpNet::new`].
pub fn parse_cidr(s: &str) -> std::result::Result<(IpAddr, IpNet), CidrError> {
    let (addr, prefix) = s.split_once('/').ok_or(CidrError::MissingPrefix)?;
    let ip: IpAddr = addr.parse().map_err(|_| CidrError::BadAddress)?;
    // Digits only: `u32::from_str` would also take "+8".
    if prefix.is_empty() || prefix.len() > 3 || !prefix.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CidrError::BadPrefix);
    }
    let bits = if ip.is_ipv4() { 32 } else { 128 };
    let ones = prefix.parse().map_err(|_| CidrError::BadPrefix)?;
    let m = cidr_mask(ones, bits).ok_or(CidrError::BadPrefix)?;
    let network = IpNet::new(ip, m).ok_or(CidrError::BadPrefix)?;
    Ok((ip.to_canonical(), network))
}
// ANCHOR_END: parse_cidr

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

    /// The host part of the mask: ones where the mask has zeros.
    fn host_bits(&self) -> u128 {
        let (ones, bits) = self.mask.size();
        u128::MAX.checked_shr(128 - (bits - ones)).unwrap_or(0)
    }

    /// The last address of the network: all host bits one.
    fn last(&self) -> IpAddr {
        match self.ip {
            IpAddr::V4(v4) => IpAddr::V4(Ipv4Addr::from(u32::from(v4) | self.host_bits() as u32)),
            IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(u128::from(v6) | self.host_bits())),
        }
    }

    // ANCHOR: hosts
    /// The IPv4 broadcast address: the network with every host bit set. IPv6 has no broadcast
    /// (it uses multicast), and /31 and /32 networks have none either (RFC 3021).
    pub fn broadcast(&self) -> Option<IpAddr> {
        match self.ip {
            IpAddr::V4(_) if self.prefix() <= 30 => Some(self.last()),
            _ => None,
        }
    }

    /// The first and last address a host may use. In IPv4 the network and broadcast addresses
    /// are reserved, except in /31 (a point-to-point link, RFC 3021) and /32 (one host).
    /// In IPv6 every address counts.
    pub fn hosts(&self) -> (IpAddr, IpAddr) {
        match (self.ip, self.last()) {
            (IpAddr::V4(first), IpAddr::V4(last)) if self.prefix() <= 30 => (
                IpAddr::V4(Ipv4Addr::from(u32::from(first) + 1)),
                IpAddr::V4(Ipv4Addr::from(u32::from(last) - 1)),
            ),
            (first, last) => (first, last),
        }
    }

    /// How many hosts fit: the addresses between `hosts().0` and `hosts().1`, inclusive.
    /// (Saturates at `u128::MAX` for `::/0`, whose 2^128 addresses do not fit in a u128.)
    pub fn host_count(&self) -> u128 {
        let addresses = self.host_bits().saturating_add(1);
        match self.broadcast() {
            Some(_) => addresses - 2,
            None => addresses,
        }
    }
    // ANCHOR_END: hosts
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

// ANCHOR: run
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
// ANCHOR_END: run

fn main() -> std::process::ExitCode {
    netlings::program::main(run)
}
