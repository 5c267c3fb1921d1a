//! Grading tests for chapter 1, IP addresses: one module per step, in course order.
//! `cargo test --test ch01_ip` runs them against `exercises/ch01_ip/`, and with
//! `--features solutions` against `solutions/ch01_ip/`.

// BEGIN STEPS
// The steps under test: `exercises/ch01_ip/`, or `solutions/ch01_ip/` with `--features solutions`.
// Generated from the catalog by `cargo dev update`. A step's `main` and the helpers its tests do
// not call are unused here, hence `allow(dead_code)`.
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch01_ip/1_parse_ip.rs"
)]
#[cfg_attr(feature = "solutions", path = "../solutions/ch01_ip/1_parse_ip.rs")]
#[allow(dead_code)]
pub mod step1_parse_ip;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch01_ip/2_properties.rs"
)]
#[cfg_attr(feature = "solutions", path = "../solutions/ch01_ip/2_properties.rs")]
#[allow(dead_code)]
pub mod step2_properties;
#[cfg_attr(not(feature = "solutions"), path = "../exercises/ch01_ip/3_ip.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/ch01_ip/3_ip.rs")]
#[allow(dead_code)]
pub mod step3_ip;
mod steps {
    pub use super::step1_parse_ip as parse_ip;
    pub use super::step2_properties as properties;
    pub use super::step3_ip as ip;
}
// END STEPS

mod parse_ip {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

    use insta::assert_snapshot;
    use netlings::harness::{Rng, Table, expect_eq};

    use crate::steps::parse_ip as ip;

    const VALID: &[&str] = &[
        "127.0.0.1",
        "0.0.0.0",
        "255.255.255.255",
        "192.168.1.254",
        "::1",
        "::",
        "0:0:0:0:0:0:0:1",
        "2001:db8::1",
        "2001:DB8:0:0:0:0:0:1",
        "fe80::1",
        "::ffff:127.1.2.3",
        "::ffff:7f01:0203",
        "::127.0.0.1",
        "64:ff9b::192.0.2.33",
    ];

    const INVALID: &[&str] = &[
        "",
        "127.001.002.003",
        "010.0.0.1",
        "1.2.3",
        "1.2.3.4.5",
        "1..2.3",
        "256.0.0.1",
        "1.2.3.-4",
        " 1.2.3.4",
        "1.2.3.4 ",
        "0x7f.0.0.1",
        "localhost",
        "fe80::1%eth0",
        "fe80::1%1",
        "[::1]",
        "127.0.0.1:80",
        "10.0.0.0/8",
        "2001:db8::/32",
        "1:2:3:4:5:6:7:8:9",
        "::1::",
        "12345::",
        "::ffff:1.2.3",
    ];

    #[test]
    fn parse_ip_accepts_a_plain_ipv4_address() {
        expect_eq(
            "parse_ip(\"127.0.0.1\")",
            ip::parse_ip("127.0.0.1"),
            Some(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        );
    }

    #[test]
    fn parse_ip_shows_an_ipv4_mapped_address_as_ipv4_like_go() {
        expect_eq(
            "parse_ip(\"::ffff:10.1.2.3\")",
            ip::parse_ip("::ffff:10.1.2.3"),
            Some(IpAddr::V4(Ipv4Addr::new(10, 1, 2, 3))),
        );
    }

    #[test]
    fn parse_ip_accepts_what_go_accepts() {
        let mut table = Table::new();
        for s in VALID {
            table.row(format!("parse_ip({s:?})"), || ip::parse_ip(s));
        }
        assert_snapshot!(table);
    }

    #[test]
    fn parse_ip_rejects_what_go_rejects() {
        for s in INVALID {
            expect_eq(format!("parse_ip({s:?})"), ip::parse_ip(s), None);
        }
    }

    #[test]
    fn every_ipv4_address_round_trips_through_its_text() {
        let mut rng = Rng::new(1);
        for _ in 0..2000 {
            let addr = Ipv4Addr::from(rng.next_u64() as u32);
            let text = addr.to_string();
            expect_eq(
                format!("parse_ip({text:?})"),
                ip::parse_ip(&text),
                Some(IpAddr::V4(addr)),
            );
            let mapped = addr.to_ipv6_mapped().to_string();
            expect_eq(
                format!("parse_ip({mapped:?})"),
                ip::parse_ip(&mapped),
                Some(IpAddr::V4(addr)),
            );
        }
    }

    #[test]
    fn every_ipv6_address_round_trips_through_its_text() {
        let mut rng = Rng::new(2);
        for _ in 0..2000 {
            // Keep the top bits busy so these are not IPv4-mapped (those become IPv4).
            let addr = Ipv6Addr::from(
                u128::from(rng.next_u64()) << 64 | u128::from(rng.next_u64()) | 1 << 127,
            );
            let text = addr.to_string();
            expect_eq(
                format!("parse_ip({text:?})"),
                ip::parse_ip(&text),
                Some(IpAddr::V6(addr)),
            );
        }
    }

    #[test]
    fn parse_ip_never_panics_and_parses_only_what_std_parses() {
        let mut rng = Rng::new(3);
        for _ in 0..5000 {
            let s = rng.string("0123456789abcdefABCDEF.:%[]/ x", 20);
            let expected = s.parse::<IpAddr>().ok().map(|ip| ip.to_canonical());
            expect_eq(format!("parse_ip({s:?})"), ip::parse_ip(&s), expected);
        }
    }
}

mod properties {
    use std::net::{IpAddr, Ipv4Addr};

    use insta::assert_snapshot;
    use netlings::harness::{Table, expect_eq};

    use crate::steps::properties as ip;

    /// Each private or link-local prefix with its neighbours just outside it, so a prefix length
    /// that is one bit off shows.
    pub const CASES: &[&str] = &[
        "0.0.0.0",
        "127.0.0.1",
        "9.255.255.255",
        "10.1.2.3",
        "11.0.0.1",
        "172.15.255.255",
        "172.16.0.1",
        "172.31.255.255",
        "172.32.0.1",
        "192.167.255.255",
        "192.168.0.1",
        "192.169.0.1",
        "169.253.255.255",
        "169.254.1.1",
        "169.255.0.1",
        "224.0.0.1",
        "255.255.255.255",
        "8.8.8.8",
        "::",
        "::1",
        "fbff::1",
        "fc00::1",
        "fd12:3456::1",
        "fe00::1",
        "fe80::1",
        "febf::1",
        "fec0::1",
        "ff02::1",
        "2001:db8::1",
    ];

    #[test]
    fn each_question_follows_go() {
        let mut table = Table::new();
        for s in CASES {
            let addr: IpAddr = s.parse().expect("test cases are valid addresses");
            table.row(format!("private, link-local, global unicast ({s})"), || {
                (
                    ip::is_private(addr),
                    ip::is_link_local_unicast(addr),
                    ip::is_global_unicast(addr),
                )
            });
        }
        assert_snapshot!(table);
    }

    #[test]
    fn an_ipv4_mapped_address_has_the_properties_of_its_ipv4_address() {
        let mapped = IpAddr::V6(Ipv4Addr::new(10, 0, 0, 1).to_ipv6_mapped());
        expect_eq("is_private(::ffff:10.0.0.1)", ip::is_private(mapped), true);
        let mapped = IpAddr::V6(Ipv4Addr::new(169, 254, 0, 1).to_ipv6_mapped());
        expect_eq(
            "is_link_local_unicast(::ffff:169.254.0.1)",
            ip::is_link_local_unicast(mapped),
            true,
        );
        let mapped = IpAddr::V6(Ipv4Addr::LOCALHOST.to_ipv6_mapped());
        expect_eq(
            "is_global_unicast(::ffff:127.0.0.1)",
            ip::is_global_unicast(mapped),
            false,
        );
    }
}

mod ip {
    use std::net::IpAddr;

    use insta::assert_snapshot;
    use netlings::harness::{Table, run_program};

    use crate::steps::ip;

    #[test]
    fn properties_are_named_in_a_fixed_order() {
        let mut table = Table::new();
        for s in crate::properties::CASES {
            let addr: IpAddr = s.parse().expect("test cases are valid addresses");
            table.row(format!("properties({s})"), || ip::properties(addr));
        }
        assert_snapshot!(table);
    }

    #[test]
    fn program_reports_each_address() {
        let transcript = run_program(
            "ip",
            &[
                "ip",
                "127.0.0.1",
                "::ffff:192.168.0.1",
                "2001:db8::1",
                "ff02::1",
            ],
            ip::run,
        );
        assert!(
            transcript.success(),
            "all four arguments are valid:\n{transcript}"
        );
        assert_snapshot!(transcript);
    }

    #[test]
    fn program_reports_bad_arguments_and_exits_non_zero() {
        let transcript = run_program(
            "ip",
            &[
                "ip",
                "10.0.0.1",
                "127.001.0.1",
                "fe80::1%eth0",
                "example.com",
            ],
            ip::run,
        );
        assert!(
            !transcript.success(),
            "three of four arguments are invalid:\n{transcript}"
        );
        assert_snapshot!(transcript);
    }

    #[test]
    fn program_without_arguments_prints_usage() {
        let transcript = run_program("ip", &["ip"], ip::run);
        assert_snapshot!(transcript);
    }
}
