//! Grading tests for chapter 2, exercise `mask`: `exercises/ch02_mask.rs`
//! (`cargo test --features solutions` runs them against `solutions/ch02_mask.rs`).

// BEGIN STEPS
// The steps under test: `exercises/ch02_mask/`, or `solutions/ch02_mask/` with `--features solutions`.
// Generated from the catalog by `cargo dev update`. A step's `main` and the helpers its tests do
// not call are unused here, hence `allow(dead_code)`.
#[cfg_attr(not(feature = "solutions"), path = "../exercises/ch02_mask/1_mask.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/ch02_mask/1_mask.rs")]
#[allow(dead_code)]
pub mod step1_mask;
mod steps {
    pub use super::step1_mask as mask;
}
// END STEPS

mod mask {
    use crate::steps::mask;

    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

    use insta::assert_snapshot;
    use mask::{IpMask, IpNet, cidr_mask, default_mask, ipv4_mask, parse_cidr};
    use netlings::harness::{Rng, Table, expect_eq, run_program};

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("test addresses are valid")
    }

    fn net(s: &str) -> IpNet {
        parse_cidr(s)
            .unwrap_or_else(|e| panic!("parse_cidr({s:?}) failed: {e}"))
            .1
    }

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
            table.row(format!("size of {mask}"), || mask.size());
        }
        let mut v6 = [0xff; 16];
        v6[8..].fill(0);
        table.row("size of ffff…ff0…0 (/64)", || IpMask::V6(v6).size());
        v6[15] = 1;
        table.row("size of ffff…ff0…01", || IpMask::V6(v6).size());
        table.row("size of ff…ff (/128)", || IpMask::V6([0xff; 16]).size());
        table.row("size of 00…00 (/0, IPv6)", || IpMask::V6([0; 16]).size());
        assert_snapshot!(table);
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
            table.row(format!("default_mask({s})"), || {
                default_mask(ip(s)).map(|m| m.to_string())
            });
        }
        let mapped = IpAddr::V6(Ipv4Addr::new(10, 0, 0, 1).to_ipv6_mapped());
        table.row("default_mask(::ffff:10.0.0.1 as IPv6)", || {
            default_mask(mapped).map(|m| m.to_string())
        });
        assert_snapshot!(table);
    }

    #[test]
    fn mask_finds_the_network_and_checks_families_like_go() {
        let v4 = IpMask::V4;
        let mut v6_of_v4 = [0xff; 16]; // 12 bytes of ones, then 255.255.0.0: fits IPv4 in Go
        v6_of_v4[14..].fill(0);
        let mut v6_64 = [0xff; 16];
        v6_64[8..].fill(0);
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
                "10.1.2.3 & ff…ffffff0000 (16 bytes)",
                ip("10.1.2.3"),
                IpMask::V6(v6_of_v4),
            ),
            (
                "10.1.2.3 & /64 (16 bytes)",
                ip("10.1.2.3"),
                IpMask::V6(v6_64),
            ),
            (
                "2001:db8:1:2::3 & /64",
                ip("2001:db8:1:2::3"),
                IpMask::V6(v6_64),
            ),
            (
                "2001:db8::3 & ffffff00 (4 bytes)",
                ip("2001:db8::3"),
                v4([255, 255, 255, 0]),
            ),
        ];
        let mut table = Table::new();
        for (label, addr, m) in cases {
            table.row(format!("mask({label})"), || mask::mask(addr, &m));
        }
        assert_snapshot!(table);
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
    fn networks_know_their_broadcast_address_and_host_range() {
        let mut table = Table::new();
        for s in [
            "192.168.1.3/24",
            "10.1.2.3/8",
            "172.16.5.4/12",
            "0.0.0.0/0",
            "10.0.0.1/30",
            "10.0.0.1/31",
            "10.0.0.1/32",
            "2001:db8::1/64",
            "2001:db8::1/127",
            "2001:db8::1/128",
            "::/0",
        ] {
            let n = net(s);
            table.row(format!("{s:<15} broadcast"), || n.broadcast());
            table.row(format!("{s:<15} hosts"), || n.hosts());
            table.row(format!("{s:<15} host_count"), || n.host_count());
        }
        assert_snapshot!(table);
    }

    #[test]
    fn every_address_lies_in_its_network() {
        let mut rng = Rng::new(7);
        for _ in 0..2000 {
            let (addr, bits) = if rng.below(2) == 0 {
                (IpAddr::V4(Ipv4Addr::from(rng.next_u64() as u32)), 32)
            } else {
                let high = u128::from(rng.next_u64()) << 64;
                (
                    IpAddr::V6(Ipv6Addr::from(high | u128::from(rng.next_u64()))),
                    128,
                )
            };
            let ones = rng.below(u64::from(bits) + 1) as u32;
            let m = cidr_mask(ones, bits).expect("a valid prefix length");
            expect_eq(
                format!("cidr_mask({ones}, {bits}).size()"),
                m.size(),
                (ones, bits),
            );
            let network = mask::mask(addr, &m).expect("same family");
            // Masking twice changes nothing, and the network is what parse_cidr finds.
            expect_eq(
                format!("mask(mask({addr}, /{ones}), /{ones})"),
                mask::mask(network, &m),
                Some(network),
            );
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
    fn host_count_matches_the_host_range() {
        let mut rng = Rng::new(8);
        for _ in 0..1000 {
            let addr = Ipv4Addr::from(rng.next_u64() as u32);
            let ones = rng.below(33) as u32;
            let n = net(&format!("{addr}/{ones}"));
            let (IpAddr::V4(first), IpAddr::V4(last)) = n.hosts() else {
                panic!("hosts() of the IPv4 network {addr}/{ones} must be IPv4 addresses");
            };
            let span = u128::from(u32::from(last) - u32::from(first)) + 1;
            expect_eq(
                format!("host_count({addr}/{ones}) vs hosts()"),
                n.host_count(),
                span,
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
                expect_eq(format!("{mask}.size()"), mask.size(), (0, 0));
            }
        }
    }

    #[test]
    fn program_prints_newmarchs_table_for_the_default_mask() {
        let transcript = run_program("mask", &["mask", "127.0.0.1"], mask::run);
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
            let transcript = run_program("mask", args, mask::run);
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
            let transcript = run_program("mask", args, mask::run);
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
