//! Masks and networks (chapter 2): Go's `IPMask` and `IPNet` as Rust types, the errors of
//! `ParseCIDR`, and a mask read from the command line.
//!
//! The chapter's steps write what computes with these (building a mask, its size, applying it,
//! a network's hosts); the types are plain data, given so that every step shares them.
//!
//! ```
//! use netlings::support::mask::{IpMask, parse_mask};
//!
//! let m = parse_mask("255.255.255.0").unwrap();
//! assert_eq!(m, IpMask::V4([255, 255, 255, 0]));
//! assert_eq!(m.to_string(), "ffffff00"); // Go prints a mask in hex...
//! assert_eq!(parse_mask("ffffff00").unwrap(), m); // ...and the program reads that form too.
//! ```

use std::fmt;
use std::net::{IpAddr, Ipv4Addr};

/// Go's `IPMask`: 4 bytes for IPv4, 16 for IPv6. A *canonical* mask is ones, then only zeros;
/// Go allows any bytes, and so does this type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IpMask {
    /// An IPv4 mask, such as 255.255.255.0.
    V4([u8; 4]),
    /// An IPv6 mask, such as the /64 `ffff:ffff:ffff:ffff::`.
    V6([u8; 16]),
}

impl IpMask {
    /// The mask's bytes, as Go stores them: most significant first.
    pub fn bytes(&self) -> &[u8] {
        match self {
            IpMask::V4(b) => b,
            IpMask::V6(b) => b,
        }
    }
}

/// Go prints a mask as hex digits without separators: `ffffff00`.
impl fmt::Display for IpMask {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.bytes().iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

/// A network, Go's `IPNet`: its first address (every host bit zero) and its mask.
///
/// Built by the chapter's `network` (step 2), the mask is canonical and of the address's
/// family: 4 bytes for an IPv4 network, 16 for IPv6.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpNet {
    /// The network address.
    pub ip: IpAddr,
    /// The mask.
    pub mask: IpMask,
}

/// Why a text is not CIDR notation (`ADDR/N`): the errors of the chapter's `parse_cidr`.
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

/// A text that [`parse_mask`] cannot read as a mask.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaskSyntaxError(pub String);

impl fmt::Display for MaskSyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a mask: write 255.255.255.0 or ffffff00",
            self.0
        )
    }
}

impl std::error::Error for MaskSyntaxError {}

/// A mask as a person types it: dotted like an IPv4 address (`255.255.255.0`), or in Go's hex
/// form, 8 digits for IPv4 (`ffffff00`) and 32 for IPv6. Any bytes are accepted, canonical or
/// not (`255.0.255.0`), as Go's `IPMask` accepts them.
pub fn parse_mask(s: &str) -> Result<IpMask, MaskSyntaxError> {
    if let Ok(v4) = s.parse::<Ipv4Addr>() {
        return Ok(IpMask::V4(v4.octets()));
    }
    let bad = || MaskSyntaxError(s.to_string());
    // ASCII hex digits only, so slicing by two bytes below never splits a character.
    if !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad());
    }
    let bytes: Vec<u8> = (0..s.len() / 2)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16))
        .collect::<Result<_, _>>()
        .map_err(|_| bad())?;
    match s.len() {
        8 => bytes.try_into().map(IpMask::V4).map_err(|_| bad()),
        32 => bytes.try_into().map(IpMask::V6).map_err(|_| bad()),
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::{CidrError, IpMask, MaskSyntaxError, parse_mask};

    #[test]
    fn a_mask_prints_its_bytes_in_hex_like_go() {
        assert_eq!(IpMask::V4([255, 255, 240, 0]).to_string(), "fffff000");
        let mut v6 = [0u8; 16];
        v6[..8].fill(0xff);
        assert_eq!(
            IpMask::V6(v6).to_string(),
            "ffffffffffffffff0000000000000000"
        );
        assert_eq!(IpMask::V4([0, 1, 10, 255]).bytes(), [0, 1, 10, 255]);
    }

    #[test]
    fn parse_mask_reads_dotted_and_hex_masks_of_either_family() {
        assert_eq!(parse_mask("255.0.255.0"), Ok(IpMask::V4([255, 0, 255, 0])));
        assert_eq!(parse_mask("FFFF0000"), Ok(IpMask::V4([255, 255, 0, 0])));
        let mut v6 = [0xff; 16];
        v6[14..].fill(0);
        assert_eq!(
            parse_mask("ffffffffffffffffffffffffffff0000"),
            Ok(IpMask::V6(v6))
        );
    }

    #[test]
    fn parse_mask_rejects_what_is_not_a_mask_and_says_what_to_write() {
        for bad in [
            "",
            "ffff",
            "fffffff",
            "ffffff000",
            "255.255.255.256",
            "0xffffff00",
            "ffffff0g",
            "ffffffé",
            "/24",
        ] {
            assert_eq!(
                parse_mask(bad),
                Err(MaskSyntaxError(bad.to_string())),
                "{bad:?}"
            );
        }
        assert_eq!(
            MaskSyntaxError("ffff".into()).to_string(),
            "\"ffff\" is not a mask: write 255.255.255.0 or ffffff00"
        );
    }

    #[test]
    fn each_cidr_error_says_what_to_write() {
        assert!(CidrError::MissingPrefix.to_string().contains("ADDR/N"));
        assert!(
            CidrError::BadAddress
                .to_string()
                .contains("not an IP address")
        );
        assert!(CidrError::BadPrefix.to_string().contains("0-32"));
    }
}
