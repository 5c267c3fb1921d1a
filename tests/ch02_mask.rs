//! Grading tests for chapter 2, masks and networks: one module per step, in course order.
//! `cargo test --test ch02_mask` runs them against `exercises/ch02_mask/`, and with
//! `--features solutions` against `solutions/ch02_mask/`. A step's tests use the earlier steps'
//! functions from `netlings::given`, so each step is graded on its own.

// BEGIN STEPS
// The steps under test: `exercises/ch02_mask/`, or `solutions/ch02_mask/` with `--features solutions`.
// Generated from the catalog by `cargo dev update`. A step's `main` and the helpers its tests do
// not call are unused here, hence `allow(dead_code)`.
#[cfg_attr(not(feature = "solutions"), path = "../exercises/ch02_mask/1_masks.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/ch02_mask/1_masks.rs")]
#[allow(dead_code)]
pub mod step1_masks;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch02_mask/2_apply_mask.rs"
)]
#[cfg_attr(feature = "solutions", path = "../solutions/ch02_mask/2_apply_mask.rs")]
#[allow(dead_code)]
pub mod step2_apply_mask;
#[cfg_attr(not(feature = "solutions"), path = "../exercises/ch02_mask/3_hosts.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/ch02_mask/3_hosts.rs")]
#[allow(dead_code)]
pub mod step3_hosts;
#[cfg_attr(not(feature = "solutions"), path = "../exercises/ch02_mask/4_mask.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/ch02_mask/4_mask.rs")]
#[allow(dead_code)]
pub mod step4_mask;
mod steps {
    pub use super::step1_masks as masks;
    pub use super::step2_apply_mask as apply_mask;
    pub use super::step3_hosts as hosts;
    pub use super::step4_mask as mask;
}
// END STEPS

/// Every (ones, bits) pair `cidr_mask` accepts, for the tests that go through all of them.
fn every_prefix() -> impl Iterator<Item = (u32, u32)> {
    [32, 128]
        .into_iter()
        .flat_map(|bits| (0..=bits).map(move |ones| (ones, bits)))
}

/// A random address of either family, and its width in bits.
fn random_address(rng: &mut netlings::harness::Rng) -> (std::net::IpAddr, u32) {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
    if rng.below(2) == 0 {
        (IpAddr::V4(Ipv4Addr::from(rng.next_u64() as u32)), 32)
    } else {
        let high = u128::from(rng.next_u64()) << 64;
        (
            IpAddr::V6(Ipv6Addr::from(high | u128::from(rng.next_u64()))),
            128,
        )
    }
}

mod masks {
    use std::net::{IpAddr, Ipv4Addr};

    use insta::assert_snapshot;
    use netlings::harness::{Table, expect_eq};
    use netlings::support::mask::IpMask;

    use crate::steps::masks::{cidr_mask, default_mask, ipv4_mask};

    #[test]
    fn ipv4_mask_keeps_the_bytes_in_order() {
        expect_eq(
            "ipv4_mask(255, 255, 255, 0)",
            ipv4_mask(255, 255, 255, 0),
            IpMask::V4([255, 255, 255, 0]),
        );
    }

    #[test]
    fn a_mask_prints_as_hex_like_go() {
        expect_eq(
            "ipv4_mask(255, 255, 255, 0).to_string()",
            ipv4_mask(255, 255, 255, 0).to_string(),
            "ffffff00".to_string(),
        );
    }

    #[test]
    fn cidr_mask_of_24_bits_out_of_32_is_255_255_255_0() {
        expect_eq(
            "cidr_mask(24, 32)",
            cidr_mask(24, 32),
            Some(IpMask::V4([255, 255, 255, 0])),
        );
    }

    #[test]
    fn cidr_mask_builds_prefix_masks_and_rejects_bad_lengths() {
        let mut table = Table::new();
        for (ones, bits) in [
            (0, 32),
            (1, 32),
            (8, 32),
            (12, 32),
            (24, 32),
            (31, 32),
            (32, 32),
            (33, 32),
            (24, 44),
            (0, 128),
            (64, 128),
            (127, 128),
            (128, 128),
            (129, 128),
        ] {
            table.row(format!("cidr_mask({ones}, {bits})"), || {
                cidr_mask(ones, bits).map(|m| m.to_string())
            });
        }
        assert_snapshot!(table);
    }

    #[test]
    fn cidr_mask_sets_exactly_the_first_ones_bits_for_every_length() {
        for (ones, bits) in crate::every_prefix() {
            // Bit by bit, the slow and obvious way.
            let mut bytes = vec![0u8; bits as usize / 8];
            for bit in 0..ones as usize {
                bytes[bit / 8] |= 0x80 >> (bit % 8);
            }
            let expected = match bytes.try_into() {
                Ok(v4) => IpMask::V4(v4),
                Err(bytes) => IpMask::V6(bytes.try_into().expect("16 bytes")),
            };
            expect_eq(
                format!("cidr_mask({ones}, {bits})"),
                cidr_mask(ones, bits),
                Some(expected),
            );
        }
    }

    #[test]
    fn cidr_mask_rejects_lengths_longer_than_the_mask() {
        for (ones, bits) in [(33, 32), (129, 128), (200, 300), (u32::MAX, 32), (8, 0)] {
            expect_eq(
                format!("cidr_mask({ones}, {bits})"),
                cidr_mask(ones, bits),
                None,
            );
        }
    }

    #[test]
    fn default_mask_follows_the_old_address_classes() {
        let mut table = Table::new();
        for s in [
            "127.0.0.1",
            "10.1.2.3",
            "0.0.0.0",
            "127.255.255.255",
            "128.0.0.1",
            "172.16.0.1",
            "191.255.0.1",
            "192.0.2.1",
            "223.255.255.255",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "2001:db8::1",
        ] {
            let ip: IpAddr = s.parse().expect("test addresses are valid");
            table.row(format!("default_mask({s})"), || {
                default_mask(ip).map(|m| m.to_string())
            });
        }
        let mapped = IpAddr::V6(Ipv4Addr::new(10, 0, 0, 1).to_ipv6_mapped());
        table.row("default_mask(::ffff:10.0.0.1 as IPv6)", || {
            default_mask(mapped).map(|m| m.to_string())
        });
        assert_snapshot!(table);
    }
}

mod apply_mask {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

    use insta::assert_snapshot;
    use netlings::given::mask::masks::cidr_mask;
    use netlings::harness::{Rng, Table, expect_eq};
    use netlings::support::mask::{IpMask, IpNet};

    use crate::steps::apply_mask::{mask, network, size};

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("test addresses are valid")
    }

    /// A 16-byte mask: `ones` bytes of 0xff, then the rest as given.
    fn v6_mask(ones: usize, rest: &[u8]) -> IpMask {
        let mut b = [0u8; 16];
        b[..ones].fill(0xff);
        b[ones..ones + rest.len()].copy_from_slice(rest);
        IpMask::V6(b)
    }

    #[test]
    fn size_of_255_255_255_0_is_24_of_32() {
        expect_eq(
            "size(ffffff00)",
            size(&IpMask::V4([255, 255, 255, 0])),
            (24, 32),
        );
    }

    #[test]
    fn size_counts_ones_and_gives_zero_zero_for_non_canonical_masks() {
        let mut table = Table::new();
        let masks = [
            [255, 255, 255, 0],
            [255, 0, 0, 0],
            [0, 0, 0, 0],
            [255, 255, 255, 255],
            [255, 255, 255, 254],
            [255, 255, 240, 0],
            [255, 0, 255, 0],
            [0, 255, 255, 255],
            [255, 255, 255, 1],
            [254, 255, 255, 255],
        ];
        for m in masks {
            let mask = IpMask::V4(m);
            table.row(format!("size of {mask}"), || size(&mask));
        }
        let mut v6 = [0xff; 16];
        v6[8..].fill(0);
        table.row("size of ffff…ff0…0 (/64)", || size(&IpMask::V6(v6)));
        v6[15] = 1;
        table.row("size of ffff…ff0…01", || size(&IpMask::V6(v6)));
        table.row("size of ff…ff (/128)", || size(&IpMask::V6([0xff; 16])));
        table.row("size of 00…00 (/0, IPv6)", || size(&IpMask::V6([0; 16])));
        assert_snapshot!(table);
    }

    #[test]
    fn size_of_every_prefix_mask_is_its_length() {
        for (ones, bits) in crate::every_prefix() {
            let m = cidr_mask(ones, bits).expect("a valid prefix length");
            expect_eq(
                format!("size({m}) (cidr_mask({ones}, {bits}))"),
                size(&m),
                (ones, bits),
            );
        }
    }

    #[test]
    fn a_mask_with_a_hole_has_no_size() {
        let mut rng = Rng::new(9);
        for _ in 0..1000 {
            // Put a zero bit somewhere before the last one bit: never a prefix mask.
            let ones = 1 + rng.below(31) as u32;
            let hole = rng.below(u64::from(ones)) as u32;
            let m = (u32::MAX << (32 - ones)) & !(1 << (31 - hole));
            let mask = IpMask::V4(m.to_be_bytes());
            if m.leading_ones() + m.trailing_zeros() != 32 {
                expect_eq(format!("size({mask})"), size(&mask), (0, 0));
            }
        }
    }

    #[test]
    fn mask_of_192_168_1_3_under_ffffff00_is_192_168_1_0() {
        expect_eq(
            "mask(192.168.1.3, ffffff00)",
            mask(ip("192.168.1.3"), &IpMask::V4([255, 255, 255, 0])),
            Some(ip("192.168.1.0")),
        );
    }

    #[test]
    fn mask_finds_the_network_and_checks_families_like_go() {
        let v4 = IpMask::V4;
        let cases: Vec<(&str, IpAddr, IpMask)> = vec![
            (
                "192.168.1.3 & ffffff00",
                ip("192.168.1.3"),
                v4([255, 255, 255, 0]),
            ),
            ("127.0.0.1 & ff000000", ip("127.0.0.1"), v4([255, 0, 0, 0])),
            ("10.1.2.3 & 00000000", ip("10.1.2.3"), v4([0, 0, 0, 0])),
            ("10.1.2.3 & ffffffff", ip("10.1.2.3"), v4([255; 4])),
            ("10.1.2.3 & ff00ff00", ip("10.1.2.3"), v4([255, 0, 255, 0])),
            (
                "::ffff:10.1.2.3 (as IPv6) & ffff0000",
                IpAddr::V6(Ipv4Addr::new(10, 1, 2, 3).to_ipv6_mapped()),
                v4([255, 255, 0, 0]),
            ),
            (
                // 12 bytes of ones, then 255.255.0.0: fits IPv4 in Go.
                "10.1.2.3 & ff…ffffff0000 (16 bytes)",
                ip("10.1.2.3"),
                v6_mask(14, &[]),
            ),
            ("10.1.2.3 & /64 (16 bytes)", ip("10.1.2.3"), v6_mask(8, &[])),
            (
                "2001:db8:1:2::3 & /64",
                ip("2001:db8:1:2::3"),
                v6_mask(8, &[]),
            ),
            (
                "2001:db8::3 & ffffff00 (4 bytes)",
                ip("2001:db8::3"),
                v4([255, 255, 255, 0]),
            ),
        ];
        let mut table = Table::new();
        for (label, addr, m) in cases {
            table.row(format!("mask({label})"), || mask(addr, &m));
        }
        assert_snapshot!(table);
    }

    #[test]
    fn mask_ands_every_bit_and_masking_twice_changes_nothing() {
        let mut rng = Rng::new(7);
        for _ in 0..2000 {
            let (addr, bits) = crate::random_address(&mut rng);
            let ones = rng.below(u64::from(bits) + 1) as u32;
            let m = cidr_mask(ones, bits).expect("a valid prefix length");
            // The AND, computed on integers here, from the mask's bytes.
            let expected = match addr {
                IpAddr::V4(a) => {
                    let m = u32::from_be_bytes(m.bytes().try_into().expect("4 bytes"));
                    IpAddr::V4(Ipv4Addr::from(u32::from(a) & m))
                }
                IpAddr::V6(a) => {
                    let m = u128::from_be_bytes(m.bytes().try_into().expect("16 bytes"));
                    IpAddr::V6(Ipv6Addr::from(u128::from(a) & m))
                }
            };
            let call = format!("mask({addr}, {m})");
            expect_eq(&call, mask(addr, &m), Some(expected));
            expect_eq(
                format!("mask(mask({addr}, /{ones}), /{ones})"),
                mask(expected, &m),
                Some(expected),
            );
        }
    }

    #[test]
    fn network_pairs_the_masked_address_with_the_mask() {
        expect_eq(
            "network(192.168.1.3, ffffff00)",
            network(ip("192.168.1.3"), IpMask::V4([255, 255, 255, 0])),
            Some(IpNet {
                ip: ip("192.168.1.0"),
                mask: IpMask::V4([255, 255, 255, 0]),
            }),
        );
    }

    #[test]
    fn network_refuses_a_mask_with_a_hole() {
        expect_eq(
            "network(10.0.0.1, ff00ff00)",
            network(ip("10.0.0.1"), IpMask::V4([255, 0, 255, 0])),
            None,
        );
    }

    #[test]
    fn network_gives_an_ipv4_network_a_4_byte_mask() {
        expect_eq(
            "network(10.1.2.3, ff…ffffff0000 (16 bytes))",
            network(ip("10.1.2.3"), v6_mask(14, &[])),
            Some(IpNet {
                ip: ip("10.1.0.0"),
                mask: IpMask::V4([255, 255, 0, 0]),
            }),
        );
    }

    #[test]
    fn network_follows_go() {
        let v4 = IpMask::V4;
        let cases: Vec<(&str, IpAddr, IpMask)> = vec![
            ("10.1.2.3, ff000000", ip("10.1.2.3"), v4([255, 0, 0, 0])),
            ("10.1.2.3, 00000000", ip("10.1.2.3"), v4([0; 4])),
            ("10.1.2.3, ffffffff", ip("10.1.2.3"), v4([255; 4])),
            ("10.1.2.3, ff00ff00", ip("10.1.2.3"), v4([255, 0, 255, 0])),
            ("10.1.2.3, 00ffffff", ip("10.1.2.3"), v4([0, 255, 255, 255])),
            (
                "::ffff:10.1.2.3 (as IPv6), ffff0000",
                IpAddr::V6(Ipv4Addr::new(10, 1, 2, 3).to_ipv6_mapped()),
                v4([255, 255, 0, 0]),
            ),
            (
                "10.1.2.3, ff…fff0000000 (16 bytes)",
                ip("10.1.2.3"),
                v6_mask(12, &[0xf0]),
            ),
            (
                "10.1.2.3, ff…ff00ff0000 (16 bytes, a hole)",
                ip("10.1.2.3"),
                v6_mask(12, &[0xff, 0, 0xff]),
            ),
            ("10.1.2.3, /64 (16 bytes)", ip("10.1.2.3"), v6_mask(8, &[])),
            (
                "2001:db8:1:2::3, /64",
                ip("2001:db8:1:2::3"),
                v6_mask(8, &[]),
            ),
            (
                "2001:db8:1:2::3, /0",
                ip("2001:db8:1:2::3"),
                IpMask::V6([0; 16]),
            ),
            (
                "2001:db8:1:2::3, /128",
                ip("2001:db8:1:2::3"),
                IpMask::V6([0xff; 16]),
            ),
            (
                "2001:db8::3, ffffff00 (4 bytes)",
                ip("2001:db8::3"),
                v4([255, 255, 255, 0]),
            ),
        ];
        let mut table = Table::new();
        for (label, addr, m) in cases {
            table.row(format!("network({label})"), || {
                network(addr, m).map(|n| format!("{} with mask {}", n.ip, n.mask))
            });
        }
        assert_snapshot!(table);
    }

    #[test]
    fn every_network_is_the_masked_address_and_its_mask() {
        let mut rng = Rng::new(7);
        for _ in 0..2000 {
            let (addr, bits) = crate::random_address(&mut rng);
            let ones = rng.below(u64::from(bits) + 1) as u32;
            let m = cidr_mask(ones, bits).expect("a valid prefix length");
            let masked = mask(addr, &m).expect("same family");
            expect_eq(
                format!("network({addr}, {m})"),
                network(addr, m),
                Some(IpNet {
                    ip: masked,
                    mask: m,
                }),
            );
        }
    }
}

mod hosts {
    use std::net::IpAddr;

    use insta::assert_snapshot;
    use netlings::given::mask::apply_mask::network;
    use netlings::given::mask::masks::cidr_mask;
    use netlings::harness::{Rng, Table, expect_eq};
    use netlings::support::mask::IpNet;

    use crate::steps::hosts::{broadcast, host_count, hosts};

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("test addresses are valid")
    }

    /// The network `addr` is in with a prefix of `ones` bits.
    fn net(addr: &str, ones: u32) -> IpNet {
        let ip = ip(addr);
        let bits = if ip.is_ipv4() { 32 } else { 128 };
        cidr_mask(ones, bits)
            .and_then(|m| network(ip, m))
            .unwrap_or_else(|| panic!("{addr}/{ones} is a network"))
    }

    #[test]
    fn broadcast_of_192_168_1_0_24_is_192_168_1_255() {
        expect_eq(
            "broadcast(192.168.1.0/24)",
            broadcast(&net("192.168.1.0", 24)),
            Some(ip("192.168.1.255")),
        );
    }

    #[test]
    fn a_24_has_hosts_1_to_254() {
        let n = net("192.168.1.0", 24);
        expect_eq(
            "hosts(192.168.1.0/24)",
            hosts(&n),
            (ip("192.168.1.1"), ip("192.168.1.254")),
        );
        expect_eq("host_count(192.168.1.0/24)", host_count(&n), 254);
    }

    #[test]
    fn networks_know_their_broadcast_address_and_host_range() {
        let mut table = Table::new();
        for (addr, ones) in [
            ("192.168.1.3", 24),
            ("10.1.2.3", 8),
            ("172.16.5.4", 12),
            ("0.0.0.0", 0),
            ("10.0.0.1", 30),
            ("10.0.0.1", 31),
            ("10.0.0.1", 32),
            ("2001:db8::1", 64),
            ("2001:db8::1", 127),
            ("2001:db8::1", 128),
            ("::", 0),
        ] {
            let n = net(addr, ones);
            let s = format!("{addr}/{ones}");
            table.row(format!("{s:<15} broadcast"), || broadcast(&n));
            table.row(format!("{s:<15} hosts"), || hosts(&n));
            table.row(format!("{s:<15} host_count"), || host_count(&n));
        }
        assert_snapshot!(table);
    }

    #[test]
    fn host_count_matches_the_host_range() {
        let mut rng = Rng::new(8);
        for _ in 0..1000 {
            let addr = std::net::Ipv4Addr::from(rng.next_u64() as u32);
            let ones = rng.below(33) as u32;
            let n = net(&addr.to_string(), ones);
            let (IpAddr::V4(first), IpAddr::V4(last)) = hosts(&n) else {
                panic!("hosts({addr}/{ones}) must be IPv4 addresses");
            };
            let span = u128::from(u32::from(last) - u32::from(first)) + 1;
            expect_eq(
                format!("host_count({addr}/{ones}) vs hosts() = ({first}, {last})"),
                host_count(&n),
                span,
            );
        }
    }
}

mod mask {
    use insta::assert_snapshot;
    use netlings::given::mask::apply_mask::mask;
    use netlings::given::mask::masks::cidr_mask;
    use netlings::harness::{Rng, Table, expect_eq, run_program};
    use netlings::support::mask::{IpMask, IpNet};

    use crate::steps::mask::{parse_cidr, run};

    #[test]
    fn parse_cidr_splits_an_ipv4_address_and_its_network() {
        expect_eq(
            "parse_cidr(\"192.168.1.3/24\")",
            parse_cidr("192.168.1.3/24"),
            Ok((
                "192.168.1.3".parse().unwrap(),
                IpNet {
                    ip: "192.168.1.0".parse().unwrap(),
                    mask: IpMask::V4([255, 255, 255, 0]),
                },
            )),
        );
    }

    #[test]
    fn parse_cidr_splits_address_and_network() {
        let mut table = Table::new();
        for s in [
            "192.168.1.3/24",
            "10.1.2.3/8",
            "0.0.0.0/0",
            "10.1.2.3/32",
            "10.1.2.3/31",
            "2001:db8::1/64",
            "::1/128",
            "::/0",
            "::ffff:10.1.2.3/104",
            "10.0.0.0",
            "10.0.0.0/",
            "10.0.0.0/33",
            "10.0.0.0/+8",
            "10.0.0.0/-1",
            "10.0.0.0/8/8",
            "10.0.0.0/1000",
            "::1/129",
            "1.2.3/8",
            "010.0.0.0/8",
            "[::1]/64",
            "/8",
        ] {
            table.row(format!("parse_cidr({s:?})"), || {
                parse_cidr(s).map(|(addr, n)| format!("{addr} in {}/{}", n.ip, n.mask))
            });
        }
        assert_snapshot!(table);
    }

    #[test]
    fn every_address_lies_in_its_network() {
        let mut rng = Rng::new(7);
        for _ in 0..2000 {
            let (addr, bits) = crate::random_address(&mut rng);
            let ones = rng.below(u64::from(bits) + 1) as u32;
            let m = cidr_mask(ones, bits).expect("a valid prefix length");
            let network = mask(addr, &m).expect("same family");
            let text = format!("{addr}/{ones}");
            let parsed = parse_cidr(&text).map(|(a, n)| (a, n.ip));
            expect_eq(
                format!("parse_cidr({text:?})"),
                parsed,
                Ok((addr.to_canonical(), network)),
            );
        }
    }

    #[test]
    fn parse_cidr_refuses_a_huge_prefix_without_overflowing() {
        let s = format!("10.0.0.0/{}", "9".repeat(40));
        expect_eq(
            format!("parse_cidr({s:?})"),
            parse_cidr(&s).map(|_| ()),
            Err(netlings::support::mask::CidrError::BadPrefix),
        );
    }

    #[test]
    fn program_prints_newmarchs_table_for_the_default_mask() {
        let transcript = run_program("mask", &["mask", "127.0.0.1"], run);
        assert_snapshot!(transcript);
    }

    #[test]
    fn program_explains_each_kind_of_network() {
        let mut all = String::new();
        for args in [
            &["mask", "192.168.1.3/24"][..],
            &["mask", "192.168.1.3", "255.255.0.0"],
            &["mask", "10.0.0.1", "ff00ff00"],
            &["mask", "10.0.0.1", "ffffffffffffffffffffffffffff0000"],
            &["mask", "10.0.0.1/31"],
            &["mask", "2001:db8::1/64"],
            &["mask", "::/0"],
        ] {
            let transcript = run_program("mask", args, run);
            assert!(
                transcript.success(),
                "this command must succeed:\n{transcript}"
            );
            all.push_str(&transcript.to_string());
            all.push('\n');
        }
        assert_snapshot!(all);
    }

    #[test]
    fn program_rejects_bad_masks_and_prefixes_with_clear_errors() {
        let mut all = String::new();
        for args in [
            &["mask", "10.0.0.1/33"][..],
            &["mask", "10.0.0.1/8", "255.0.0.0"],
            &["mask", "::1"],
            &["mask", "10.0.0.1", "ffff"],
            &["mask", "10.0.0.1", "255.255.255.256"],
            &["mask", "2001:db8::1", "255.255.255.0"],
            &["mask", "not-an-address"],
            &["mask"],
        ] {
            let transcript = run_program("mask", args, run);
            assert!(
                !transcript.success(),
                "this command must fail:\n{transcript}"
            );
            all.push_str(&transcript.to_string());
            all.push('\n');
        }
        assert_snapshot!(all);
    }
}
