//! Grading tests for chapter 3, Host lookup and DNS: one module per step, in course order.
//! `cargo test --test ch03_lookup` runs them against `exercises/ch03_lookup/`, and with
//! `--features solutions` against `solutions/ch03_lookup/`.
//!
//! The system resolver is only asked about `localhost` and address literals; every DNS question
//! goes to the in-process server of `netlings::fixtures::dns` on 127.0.0.1.

// BEGIN STEPS
// The steps under test: `exercises/ch03_lookup/`, or `solutions/ch03_lookup/` with `--features solutions`.
// Generated from the catalog by `cargo dev update`. A step's `main` and the helpers its tests do
// not call are unused here, hence `allow(dead_code)`.
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch03_lookup/1_system_resolver.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ch03_lookup/1_system_resolver.rs"
)]
#[allow(dead_code)]
pub mod step1_system_resolver;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch03_lookup/2_encode_query.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ch03_lookup/2_encode_query.rs"
)]
#[allow(dead_code)]
pub mod step2_encode_query;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch03_lookup/3_read_name.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ch03_lookup/3_read_name.rs"
)]
#[allow(dead_code)]
pub mod step3_read_name;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch03_lookup/4_parse_response.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ch03_lookup/4_parse_response.rs"
)]
#[allow(dead_code)]
pub mod step4_parse_response;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch03_lookup/5_dns_query.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ch03_lookup/5_dns_query.rs"
)]
#[allow(dead_code)]
pub mod step5_dns_query;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch03_lookup/6_lookup.rs"
)]
#[cfg_attr(feature = "solutions", path = "../solutions/ch03_lookup/6_lookup.rs")]
#[allow(dead_code)]
pub mod step6_lookup;
mod steps {
    pub use super::step1_system_resolver as system_resolver;
    pub use super::step2_encode_query as encode_query;
    pub use super::step3_read_name as read_name;
    pub use super::step4_parse_response as parse_response;
    pub use super::step5_dns_query as dns_query;
    pub use super::step6_lookup as lookup;
}
// END STEPS

/// What more than one step's tests use: the fixture's records, a sample response, and how
/// long to wait.
mod shared {
    use std::net::Ipv4Addr;
    use std::time::Duration;

    use netlings::fixtures::dns::Zone;
    pub use netlings::fixtures::dns::{EXAMPLE_V4, EXAMPLE_V4_TOO, EXAMPLE_V6, ODD_NAMES};
    use netlings::harness::Rng;
    use netlings::support::dns::QueryOptions;

    /// For answers that come at once: a loaded CI machine may take a while to schedule the
    /// fixture's thread, and a timeout is not what these tests are about.
    pub const PATIENT: QueryOptions = QueryOptions {
        timeout: Duration::from_secs(2),
        attempts: 2,
    };

    /// For tests where an attempt must time out: short, with a spare attempt in case a loaded
    /// machine is slow to answer the retry.
    pub const RETRYING: QueryOptions = QueryOptions {
        timeout: Duration::from_millis(300),
        attempts: 3,
    };

    /// One attempt that gives up soon: for answers that must be ignored.
    pub const ONCE_SHORT: QueryOptions = QueryOptions {
        timeout: Duration::from_millis(300),
        attempts: 1,
    };

    /// One attempt with time to spare: the real answer follows the junk at once.
    pub const ONCE_PATIENT: QueryOptions = QueryOptions {
        timeout: Duration::from_secs(2),
        attempts: 1,
    };

    /// The records the fixture DNS server serves: [`Zone::example`], two aliases in a row to
    /// `example.test`, and a name with only an A record.
    pub fn zone() -> Zone {
        Zone::example()
            .cname("www.example.test", "web.example.test")
            .cname("web.example.test", "example.test")
            .a("v4only.test", Ipv4Addr::new(198, 51, 100, 1))
    }

    /// A response to `example.test A` (id 0xBEEF) whose answer names are compressed pointers.
    #[rustfmt::skip]
    pub fn example_response() -> Vec<u8> {
        [
            &[0xBE, 0xEF, 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 0][..], // response, RD, RA; 1 question, 2 answers
            &[7], b"example", &[4], b"test", &[0], &[0, 1, 0, 1],   // question at offset 12: example.test A IN
            &[3], b"www", &[0xC0, 12],                              // offset 30: www + pointer to 12
            &[0, 5, 0, 1, 0, 0, 1, 44, 0, 2], &[0xC0, 12],          // CNAME IN ttl 300, data: pointer to 12
            &[0xC0, 12],                                            // example.test
            &[0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 10],        // A IN ttl 60: 192.0.2.10
        ]
        .concat()
    }

    /// 20000 random messages, each with an offset in it to read a name at: many headers with
    /// small counts, and pointer-like bytes, to get past the header. The same every run.
    pub fn random_messages() -> impl Iterator<Item = (Vec<u8>, usize)> {
        let mut rng = Rng::new(33);
        (0..20_000).map(move |_| {
            let len = rng.below(80) as usize;
            let mut bytes: Vec<u8> = (0..len)
                .map(|_| match rng.below(4) {
                    0 => 0xC0,
                    1 => rng.below(16) as u8,
                    _ => rng.next_u64() as u8,
                })
                .collect();
            if bytes.len() >= 12 {
                bytes[4..8].copy_from_slice(&[0, 1, 0, rng.below(4) as u8]);
            }
            let start = rng.below(len as u64 + 1) as usize;
            (bytes, start)
        })
    }
}

mod system_resolver {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

    use insta::assert_snapshot;
    use netlings::harness::{DEADLINE, Table, expect_eq, within};
    use netlings::support::dns::{LookupError, ZonedIp};

    use crate::steps::system_resolver as resolver;

    fn system<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
        within(
            "system-resolver",
            &format!("{what} (system resolver)"),
            DEADLINE,
            f,
        )
    }

    fn shown<T: std::fmt::Display, E: std::fmt::Display>(r: Result<T, E>) -> String {
        match r {
            Ok(v) => format!("Ok {v}"),
            Err(e) => format!("Err {e}"),
        }
    }

    #[test]
    fn resolve_ip_addr_returns_an_ipv4_literal_as_it_is() {
        let got = system("resolve_ip_addr(\"ip\", \"127.0.0.1\")", || {
            resolver::resolve_ip_addr("ip", "127.0.0.1").map_err(|e| e.to_string())
        });
        let expected = ZonedIp {
            ip: IpAddr::V4(Ipv4Addr::LOCALHOST),
            zone: None,
        };
        expect_eq("resolve_ip_addr(\"ip\", \"127.0.0.1\")", got, Ok(expected));
    }

    #[test]
    fn resolve_ip_addr_keeps_the_zone_of_an_ipv6_literal() {
        let got = system("resolve_ip_addr(\"ip6\", \"fe80::1%eth0\")", || {
            resolver::resolve_ip_addr("ip6", "fe80::1%eth0").map_err(|e| e.to_string())
        });
        let expected = ZonedIp {
            ip: "fe80::1".parse().unwrap(),
            zone: Some("eth0".to_string()),
        };
        expect_eq(
            "resolve_ip_addr(\"ip6\", \"fe80::1%eth0\")",
            got,
            Ok(expected),
        );
    }

    #[test]
    fn resolve_ip_addr_finds_localhost_for_ip4() {
        let got = system("resolve_ip_addr(\"ip4\", \"localhost\")", || {
            resolver::resolve_ip_addr("ip4", "localhost")
                .map(|a| a.ip)
                .map_err(|e| e.to_string())
        });
        expect_eq(
            "resolve_ip_addr(\"ip4\", \"localhost\")",
            got,
            Ok(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        );
    }

    #[test]
    fn resolve_ip_addr_prefers_ipv4_for_network_ip_like_go() {
        // Whether this machine also maps localhost to ::1 does not matter: "ip" picks IPv4 first.
        let got = system("resolve_ip_addr(\"ip\", \"localhost\")", || {
            resolver::resolve_ip_addr("ip", "localhost")
                .map(|a| a.ip)
                .map_err(|e| e.to_string())
        });
        expect_eq(
            "resolve_ip_addr(\"ip\", \"localhost\")",
            got,
            Ok(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        );
    }

    #[test]
    fn resolve_ip_addr_rejects_networks_that_are_not_ip_ip4_ip6() {
        for network in ["tcp", "udp4", "ip5", "IP"] {
            let got = system("resolve_ip_addr with a bad network", move || {
                resolver::resolve_ip_addr(network, "127.0.0.1")
            });
            assert!(
                matches!(&got, Err(LookupError::UnknownNetwork(n)) if n == network),
                "resolve_ip_addr({network:?}, \"127.0.0.1\")\n    expected: Err(UnknownNetwork({network:?}))\n         got: {got:?}"
            );
        }
    }

    #[test]
    fn resolve_ip_addr_filters_by_family() {
        let cases = [("ip6", "127.0.0.1"), ("ip4", "::1"), ("ip4", "fe80::1%lo")];
        for (network, host) in cases {
            let got = system("resolve_ip_addr with the wrong family", move || {
                resolver::resolve_ip_addr(network, host)
            });
            assert!(
                matches!(got, Err(LookupError::NoSuitableAddress { .. })),
                "resolve_ip_addr({network:?}, {host:?})\n    expected: Err(NoSuitableAddress {{ .. }})\n         got: {got:?}"
            );
        }
    }

    #[test]
    fn resolve_ip_addr_results_read_like_go() {
        let cases = [
            ("ip", "192.0.2.1"),
            ("ip4", "192.0.2.1"),
            ("ip6", "2001:db8::1"),
            ("ip", "fe80::1%eth0"),
            ("ip6", "fe80::1%2"),
            ("", "::1"),
            ("ip6", "192.0.2.1"),
            ("ip4", "2001:db8::1"),
            ("tcp", "192.0.2.1"),
            ("ip", "192.0.2.1%eth0"),
            ("ip", "localhost%eth0"),
        ];
        let mut table = Table::new();
        for (network, host) in cases {
            table.row(format!("resolve_ip_addr({network:?}, {host:?})"), || {
                shown(resolver::resolve_ip_addr(network, host))
            });
        }
        assert_snapshot!(table);
    }

    #[test]
    fn lookup_host_returns_a_literal_as_its_own_answer() {
        let got = system("lookup_host(\"::1\")", || {
            resolver::lookup_host("::1").map_err(|e| e.to_string())
        });
        expect_eq(
            "lookup_host(\"::1\")",
            got,
            Ok(vec![IpAddr::V6(Ipv6Addr::LOCALHOST)]),
        );
    }

    #[test]
    fn lookup_host_drops_the_zone_of_a_literal() {
        // No interface has this name: a literal must not go to the system resolver at all.
        let got = system("lookup_host(\"fe80::1%netlings0\")", || {
            resolver::lookup_host("fe80::1%netlings0").map_err(|e| e.to_string())
        });
        expect_eq(
            "lookup_host(\"fe80::1%netlings0\") (a literal is its own answer, without the zone)",
            got,
            Ok(vec!["fe80::1".parse::<IpAddr>().unwrap()]),
        );
    }

    #[test]
    fn lookup_host_finds_127_0_0_1_for_localhost() {
        let got = system("lookup_host(\"localhost\")", || {
            resolver::lookup_host("localhost")
        });
        let ips = got.unwrap_or_else(|e| panic!("lookup_host(\"localhost\") failed: {e}"));
        assert!(
            ips.contains(&IpAddr::V4(Ipv4Addr::LOCALHOST)),
            "lookup_host(\"localhost\") should include 127.0.0.1, got {ips:?}"
        );
        assert!(
            ips.iter().all(IpAddr::is_loopback),
            "localhost is loopback only, got {ips:?}"
        );
        let mut unique = ips.clone();
        unique.dedup();
        unique.sort();
        unique.dedup();
        expect_eq(
            "lookup_host(\"localhost\") without duplicates",
            ips.len(),
            unique.len(),
        );
    }
}

mod encode_query {
    use insta::assert_snapshot;
    use netlings::given::lookup::read_name::read_name;
    use netlings::harness::{DEADLINE, Rng, Table, expect_eq, within};
    use netlings::support::dns::{RecordType, WireError};

    use crate::steps::encode_query as query;

    #[test]
    #[rustfmt::skip]
    fn encode_query_writes_the_bytes_of_rfc_1035() {
        let expected: Vec<u8> = [
            &[0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0][..], // id, RD, one question
            &[7], b"example", &[4], b"test", &[0],                 // the name, label by label
            &[0, 1, 0, 1],                                         // type A, class IN
        ]
        .concat();
        expect_eq(
            "encode_query(0x1234, \"example.test\", A)",
            query::encode_query(0x1234, "example.test", RecordType::A),
            Ok(expected),
        );
    }

    #[test]
    fn encode_query_accepts_a_trailing_dot_and_asks_for_aaaa_with_type_28() {
        let got = query::encode_query(7, "a.b.", RecordType::Aaaa);
        let expected = vec![
            0, 7, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, b'a', 1, b'b', 0, 0, 28, 0, 1,
        ];
        expect_eq("encode_query(7, \"a.b.\", AAAA)", got, Ok(expected));
    }

    #[test]
    fn encode_query_rejects_names_that_cannot_be_sent() {
        let label63 = "a".repeat(63);
        let label64 = "a".repeat(64);
        // 3 x (1 + 63) + (1 + 61) + 1 = 255 bytes: the longest name there is.
        let longest = format!("{label63}.{label63}.{label63}.{}", "b".repeat(61));
        let too_long = format!("{longest}b");
        let mut table = Table::new();
        for (what, name) in [
            ("63-byte label", label63.as_str()),
            ("64-byte label", label64.as_str()),
            ("255-byte name", longest.as_str()),
            ("256-byte name", too_long.as_str()),
            ("a..b", "a..b"),
            (".a", ".a"),
            ("a.b..", "a.b.."),
            ("a\\ (a backslash that ends the name)", "a\\"),
            ("\\256 (no byte is 256)", "\\256"),
        ] {
            table.row(format!("encode_query({what})"), || {
                query::encode_query(1, name, RecordType::A).map(|q| q.len())
            });
        }
        assert_snapshot!(table);
    }

    #[test]
    fn encode_query_reads_names_as_dig_does() {
        // The question's name, on the wire: what the query holds between the header and the
        // type and class.
        let name_on_wire = |name: &str| {
            query::encode_query(1, name, RecordType::A).map(|q| q[12..q.len() - 4].to_vec())
        };
        for (name, wire) in [
            ("a\\.b.test", &b"\x03a.b\x04test\x00"[..]),
            ("a\\032b", b"\x03a b\x00"),
            ("a b", b"\x03a b\x00"),
            ("tab\t", b"\x04tab\t\x00"),
            ("back\\\\slash", b"\x0aback\\slash\x00"),
            ("\\195\\169t\\195\\169", "\x05été\x00".as_bytes()),
            ("été", "\x05été\x00".as_bytes()),
        ] {
            expect_eq(
                format!("the name in encode_query(1, {name:?}, A) (read it with name_labels)"),
                name_on_wire(name),
                Ok(wire.to_vec()),
            );
        }
    }

    /// `count` random names of 1 to 5 labels of 1 to 63 letters: some longer than 255 bytes.
    pub fn random_names(seed: u64, count: usize) -> Vec<String> {
        let mut rng = Rng::new(seed);
        (0..count)
            .map(|_| {
                let labels: Vec<String> = (0..1 + rng.below(5))
                    .map(|_| {
                        let len = 1 + rng.below(63) as usize;
                        (0..len)
                            .map(|_| char::from(b'a' + rng.below(26) as u8))
                            .collect()
                    })
                    .collect();
                labels.join(".")
            })
            .collect()
    }

    #[test]
    fn every_name_a_query_carries_reads_back() {
        // Your encode_query, read back by the reference read_name (step 3).
        within(
            "encode-query",
            "encode_query then read_name of 3000 names",
            DEADLINE,
            || {
                for name in random_names(36, 3000) {
                    let wire_len = name.len() + 2;
                    let query = query::encode_query(1, &name, RecordType::A);
                    if wire_len > 255 {
                        expect_eq(
                            format!("encode_query of a {wire_len}-byte name"),
                            query.map(|_| ()),
                            Err(WireError::NameTooLong),
                        );
                        continue;
                    }
                    let query =
                        query.unwrap_or_else(|e| panic!("encode_query({name:?}) failed: {e}"));
                    expect_eq(
                        format!("the length of encode_query({name:?})"),
                        query.len(),
                        12 + wire_len + 4,
                    );
                    expect_eq(
                        format!("read_name(encode_query({name:?}), 12)"),
                        read_name(&query, 12),
                        Ok((name.clone(), 12 + wire_len)),
                    );
                }
            },
        );
    }
}

mod read_name {
    use insta::assert_snapshot;
    use netlings::given::lookup::encode_query::encode_query;
    use netlings::harness::{DEADLINE, Rng, Table, expect_eq, within};
    use netlings::support::dns::{RecordType, WireError, same_name};

    use crate::shared::{example_response, random_messages};
    use crate::steps::read_name as names;

    #[test]
    fn read_name_reads_labels_up_to_the_root() {
        let message = example_response();
        expect_eq(
            "read_name(example_response(), 12)",
            names::read_name(&message, 12),
            Ok(("example.test".to_string(), 26)),
        );
    }

    #[test]
    fn read_name_follows_a_compression_pointer_and_returns_the_offset_after_it() {
        let message = example_response();
        expect_eq(
            "read_name(example_response(), 30) (\"www\" then a pointer to 12)",
            names::read_name(&message, 30),
            Ok(("www.example.test".to_string(), 36)),
        );
    }

    #[test]
    fn read_name_reads_the_root_as_a_dot() {
        expect_eq(
            "read_name([0], 0)",
            names::read_name(&[0], 0),
            Ok((".".to_string(), 1)),
        );
    }

    #[test]
    fn read_name_rejects_nasty_names() {
        let mut long_chain = vec![0u8; 12];
        // Five 63-byte labels, each followed by a pointer to the one before: 320 bytes of name.
        let mut previous = None;
        for i in 0..5 {
            let at = long_chain.len();
            long_chain.push(63);
            long_chain.extend(std::iter::repeat_n(b'a' + i, 63));
            match previous {
                Some(p) => long_chain.extend_from_slice(&[0xC0, p as u8]),
                None => long_chain.push(0),
            }
            previous = Some(at);
        }
        let last = previous.unwrap_or_default();
        let cases: Vec<(&str, Vec<u8>, usize)> = vec![
            ("empty message", vec![], 0),
            ("label runs past the end", vec![5, b'a', b'b'], 0),
            ("no root byte", vec![1, b'a'], 0),
            ("pointer to itself", vec![0xC0, 0], 0),
            ("pointer forwards", vec![0xC0, 2, 0], 0),
            ("pointer past the end", vec![0, 0, 0xC0, 0x40], 2),
            ("two pointers in a loop", vec![0xC0, 2, 0xC0, 0], 2),
            // Each pointer lands before `start`, but the third goes back up to the second's target.
            (
                "three pointers in a loop",
                vec![0xC0, 2, 0xC0, 0, 0xC0, 2],
                4,
            ),
            ("label then pointer back to it", vec![1, b'a', 0xC0, 0], 0),
            ("half a pointer", vec![0, 0xC0], 1),
            ("label type 01", vec![0x41, 0], 0),
            ("label type 10", vec![0x80, 0], 0),
            ("320 bytes through pointers", long_chain, last),
        ];
        let mut table = Table::new();
        for (what, message, start) in cases {
            table.row(format!("read_name({what})"), move || {
                within(
                    "read-name",
                    &format!("read_name({what})"),
                    DEADLINE,
                    move || names::read_name(&message, start),
                )
            });
        }
        assert_snapshot!(table);
    }

    #[test]
    fn read_name_accepts_255_bytes_on_the_wire_and_rejects_256() {
        // Three 63-byte labels and one of `last` bytes: 3 x (1 + 63) + (1 + last) + 1 (the root).
        let wire = |last: usize| {
            let mut bytes = Vec::new();
            for (letter, len) in [(b'a', 63), (b'b', 63), (b'c', 63), (b'd', last)] {
                bytes.push(len as u8);
                bytes.extend(std::iter::repeat_n(letter, len));
            }
            bytes.push(0);
            bytes
        };
        let longest = wire(61);
        let name_len =
            |r: Result<(String, usize), WireError>| r.map(|(name, end)| (name.len(), end));
        expect_eq(
            "read_name(a 255-byte name, 0): (length of the name text, end)",
            name_len(names::read_name(&longest, 0)),
            Ok((63 * 3 + 61 + 3, 255)),
        );
        expect_eq(
            "read_name(a 256-byte name, 0) (255 bytes is the limit, length bytes and root included)",
            name_len(names::read_name(&wire(62), 0)),
            Err(WireError::NameTooLong),
        );
    }

    #[test]
    fn read_name_reads_back_every_name_a_query_carries() {
        // The reference encode_query (step 2), read back by your read_name.
        within(
            "read-name",
            "read_name of 3000 names written by encode_query",
            DEADLINE,
            || {
                for name in crate::encode_query::random_names(36, 3000) {
                    let wire_len = name.len() + 2;
                    let Ok(query) = encode_query(1, &name, RecordType::A) else {
                        continue; // longer than 255 bytes: it cannot be sent
                    };
                    expect_eq(
                        format!("read_name(encode_query({name:?}), 12)"),
                        names::read_name(&query, 12),
                        Ok((name.clone(), 12 + wire_len)),
                    );
                }
            },
        );
    }

    #[test]
    fn read_name_writes_every_byte_so_that_the_name_reads_back() {
        // Each name goes out through the reference encode_query and comes back through your
        // read_name: `same_name` (which reads `\DDD` and `\X`) must find the name that was sent.
        for name in [
            "a b.test",
            "tab\t.test",
            "back\\\\slash.test",
            "dot\\.inside.test",
            "été.test",
            "\\000\\255.test",
        ] {
            let query = encode_query(1, name, RecordType::A).expect("a name that can be sent");
            let got = names::read_name(&query, 12).map(|(read, _)| read);
            assert!(
                got.as_deref().is_ok_and(|read| same_name(read, name)),
                "read_name(encode_query({name:?}), 12) = {got:?}: write a byte that is not \
                 printable ASCII, or is `.` or `\\`, as \\DDD (three decimal digits)"
            );
        }
    }

    #[test]
    fn read_name_of_random_bytes_never_panics_or_hangs() {
        within(
            "read-name",
            "read_name of 20000 random messages",
            DEADLINE,
            || {
                for (bytes, start) in random_messages() {
                    let _ = names::read_name(&bytes, start);
                }
            },
        );
    }

    #[test]
    fn read_name_ends_on_any_pointer_maze() {
        // Messages made only of pointers and short labels: the worst case for loops.
        within(
            "read-name",
            "read_name on 20000 pointer mazes",
            DEADLINE,
            || {
                let mut rng = Rng::new(35);
                for _ in 0..20_000 {
                    let len = 2 + rng.below(40) as usize;
                    let mut bytes = Vec::with_capacity(len);
                    while bytes.len() < len {
                        if rng.below(2) == 0 {
                            bytes.extend_from_slice(&[0xC0, rng.below(len as u64) as u8]);
                        } else {
                            bytes.extend_from_slice(&[1, b'x']);
                        }
                    }
                    let start = rng.below(len as u64) as usize;
                    if let Ok((name, end)) = names::read_name(&bytes, start) {
                        assert!(
                            end > start && end <= bytes.len(),
                            "read_name returned offset {end} for start {start} in {bytes:?}"
                        );
                        assert!(
                            name.len() <= 255,
                            "read_name returned a name of {} bytes",
                            name.len()
                        );
                    }
                }
            },
        );
    }
}

mod parse_response {
    use insta::assert_snapshot;
    use netlings::harness::{DEADLINE, Rng, expect_eq, within};
    use netlings::support::dns::WireError;

    use crate::shared::{example_response, random_messages};
    use crate::steps::parse_response as parse;

    #[test]
    fn parse_response_decodes_an_alias_and_an_address() {
        let response = parse::parse_response(&example_response())
            .unwrap_or_else(|e| panic!("parse_response(example_response()) failed: {e}"));
        assert_snapshot!(format!("{response:#?}"));
    }

    #[test]
    fn parse_response_rejects_an_a_record_that_is_not_4_bytes() {
        let mut message = example_response();
        let len_at = message.len() - 6;
        message[len_at..len_at + 2].copy_from_slice(&[0, 3]);
        message.pop();
        expect_eq(
            "parse_response(an A record of 3 bytes)",
            parse::parse_response(&message).map(|r| r.answers.len()),
            Err(WireError::BadRecordLength { rtype: 1, len: 3 }),
        );
    }

    #[test]
    fn parse_response_rejects_a_cname_that_does_not_fill_its_data() {
        // The CNAME's data is the 2-byte pointer plus one stray byte, and its length says 3.
        let mut message = example_response();
        message[44..46].copy_from_slice(&[0, 3]);
        message.insert(48, 0);
        expect_eq(
            "parse_response(a CNAME whose name ends 1 byte before its data does)",
            parse::parse_response(&message).map(|r| r.answers.len()),
            Err(WireError::BadRecordLength { rtype: 5, len: 3 }),
        );
    }

    #[test]
    fn parse_response_of_every_prefix_is_an_error_not_a_panic() {
        let message = example_response();
        let got = within(
            "parse-response",
            "parse_response of every prefix",
            DEADLINE,
            move || {
                (0..message.len())
                    .map(|n| parse::parse_response(&message[..n]).map(|_| ()))
                    .collect::<Vec<_>>()
            },
        );
        for (n, result) in got.iter().enumerate() {
            expect_eq(
                format!("parse_response(first {n} bytes of a valid response)"),
                result.clone(),
                Err(WireError::Truncated),
            );
        }
    }

    #[test]
    fn parse_response_of_random_bytes_never_panics_or_hangs() {
        within(
            "parse-response",
            "parse_response of 20000 random messages",
            DEADLINE,
            || {
                for (bytes, _) in random_messages() {
                    let _ = parse::parse_response(&bytes);
                }
            },
        );
    }

    #[test]
    fn parse_response_of_mutated_responses_never_panics_or_hangs() {
        within(
            "parse-response",
            "parse_response of 20000 mutated responses",
            DEADLINE,
            || {
                let mut rng = Rng::new(34);
                let valid = example_response();
                for _ in 0..20_000 {
                    let mut bytes = valid.clone();
                    for _ in 0..1 + rng.below(4) {
                        let i = rng.below(bytes.len() as u64) as usize;
                        bytes[i] = match rng.below(3) {
                            0 => rng.next_u64() as u8,
                            1 => 0xC0 | rng.below(64) as u8,
                            _ => bytes[i] ^ (1 << rng.below(8)),
                        };
                    }
                    bytes.truncate(rng.below(bytes.len() as u64 + 8) as usize);
                    let _ = parse::parse_response(&bytes);
                }
            },
        );
    }
}

mod dns_query {
    use std::net::{IpAddr, Ipv4Addr, SocketAddr};
    use std::time::{Duration, Instant};

    use netlings::fixtures::dns::{DnsServer, Reply, TYPE_A, TYPE_AAAA, answer_addresses};
    use netlings::fixtures::loopback::closed_udp_port;
    use netlings::harness::{DEADLINE, Rng, expect_eq, within};
    use netlings::support::dns::{
        LookupError, QueryOptions, RecordData, RecordType, Response, WireError,
    };

    use crate::shared::{
        EXAMPLE_V4, EXAMPLE_V4_TOO, ODD_NAMES, ONCE_PATIENT, ONCE_SHORT, PATIENT, RETRYING, zone,
    };
    use crate::steps::dns_query as client;

    /// `query(server, name, type, options)` on its own thread with a deadline.
    fn ask(
        server: SocketAddr,
        name: &str,
        record_type: RecordType,
        options: QueryOptions,
    ) -> Result<Response, LookupError> {
        let name = name.to_string();
        let waiting_for = format!("query({name:?}, {record_type}) against the fixture DNS server");
        within("dns-query", &waiting_for, DEADLINE, move || {
            client::query(server, &name, record_type, options)
        })
    }

    /// The addresses in a response's answers, in order, whatever name they belong to; an
    /// error as its message.
    fn addresses(response: Result<Response, LookupError>) -> Result<Vec<IpAddr>, String> {
        response
            .map(|r| answer_addresses(&r))
            .map_err(|e| e.to_string())
    }

    /// What the fixture answers for `example.test A`.
    fn example_addresses() -> Result<Vec<IpAddr>, String> {
        Ok(vec![IpAddr::V4(EXAMPLE_V4), IpAddr::V4(EXAMPLE_V4_TOO)])
    }

    /// A response to `question` (a name already in wire form, and a type) whose one answer says
    /// `example.test` is at 6.6.6.6, with these flags: how a forged or stray datagram looks.
    #[rustfmt::skip]
    fn forged(flags: u16, question: &[u8], qtype: u16) -> Vec<u8> {
        [
            &[0, 0][..], &flags.to_be_bytes(), &[0, 1, 0, 1, 0, 0, 0, 0],
            question, &qtype.to_be_bytes(), &[0, 1],
            &[7], b"example", &[4], b"test", &[0], &[0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 6, 6, 6, 6],
        ]
        .concat()
    }

    const EXAMPLE_TEST_WIRE: &[u8] = b"\x07example\x04test\x00";

    /// The id the `is_answer` tests give their messages.
    const ID: u16 = 0xD15C;

    /// `forged(..)` with id `ID`.
    fn with_id(mut message: Vec<u8>) -> Vec<u8> {
        message[..2].copy_from_slice(&ID.to_be_bytes());
        message
    }

    #[test]
    fn is_answer_accepts_the_answer_to_the_question() {
        let answer = with_id(forged(0x8180, EXAMPLE_TEST_WIRE, TYPE_A));
        expect_eq(
            "is_answer(a response with id 0xd15c to example.test A, 0xd15c, \"example.test\", A)",
            client::is_answer(&answer, ID, "example.test", RecordType::A),
            true,
        );
    }

    #[test]
    fn is_answer_compares_names_without_case_or_the_trailing_dot() {
        let answer = with_id(forged(0x8180, b"\x07EXAMPLE\x04test\x00", TYPE_AAAA));
        expect_eq(
            "is_answer(a response to EXAMPLE.test AAAA, 0xd15c, \"example.TEST.\", AAAA)",
            client::is_answer(&answer, ID, "example.TEST.", RecordType::Aaaa),
            true,
        );
    }

    #[test]
    fn is_answer_compares_the_bytes_a_name_stands_for() {
        // The server echoes the question's bytes; read_name writes a space as \032, a tab as
        // \009, a backslash as \092 and `é` as \195\169: the names are still the same.
        for (typed, bytes) in ODD_NAMES {
            let mut wire = Vec::new();
            for label in bytes.split('.') {
                wire.push(label.len() as u8);
                wire.extend_from_slice(label.as_bytes());
            }
            wire.push(0);
            let answer = with_id(forged(0x8180, &wire, TYPE_A));
            expect_eq(
                format!(
                    "is_answer(a response to {bytes:?} A, 0xd15c, {typed:?}, A) (compare with \
                     same_name, not as text)"
                ),
                client::is_answer(&answer, ID, typed, RecordType::A),
                true,
            );
        }
    }

    #[test]
    fn is_answer_rejects_whatever_is_not_the_answer() {
        let answer = with_id(forged(0x8180, EXAMPLE_TEST_WIRE, TYPE_A));
        let mut two_questions = answer.clone();
        two_questions[5] = 2;
        let mut no_question = answer.clone();
        no_question[5] = 0;
        let question_end = 12 + EXAMPLE_TEST_WIRE.len();
        #[rustfmt::skip]
        let looping_question = with_id([
            &[0, 0, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0][..],
            &[0xC0, 12], &[0, 1, 0, 1],
        ].concat());
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("another id", forged(0x8180, EXAMPLE_TEST_WIRE, TYPE_A)),
            (
                "the QR bit clear (a query)",
                with_id(forged(0x0100, EXAMPLE_TEST_WIRE, TYPE_A)),
            ),
            (
                "another name",
                with_id(forged(0x8180, b"\x04bank\x04test\x00", TYPE_A)),
            ),
            (
                "a longer name",
                with_id(forged(0x8180, b"\x03www\x07example\x04test\x00", TYPE_A)),
            ),
            (
                "another type",
                with_id(forged(0x8180, EXAMPLE_TEST_WIRE, TYPE_AAAA)),
            ),
            ("two questions", two_questions),
            ("no question", no_question),
            ("an empty message", vec![]),
            ("11 bytes of header", answer[..11].to_vec()),
            ("the header alone", answer[..12].to_vec()),
            ("a name cut short", answer[..16].to_vec()),
            (
                "no room for the type and class",
                answer[..question_end + 3].to_vec(),
            ),
            ("a question name that points at itself", looping_question),
        ];
        for (what, message) in cases {
            let got = within(
                "dns-query",
                &format!("is_answer({what})"),
                DEADLINE,
                move || client::is_answer(&message, ID, "example.test", RecordType::A),
            );
            expect_eq(
                format!("is_answer(a message with {what}, 0xd15c, \"example.test\", A)"),
                got,
                false,
            );
        }
    }

    #[test]
    fn is_answer_never_accepts_a_mutated_answer_with_another_id_or_no_qr_bit() {
        within(
            "dns-query",
            "is_answer of 20000 mutated answers",
            DEADLINE,
            || {
                let mut rng = Rng::new(37);
                let valid = with_id(forged(0x8180, EXAMPLE_TEST_WIRE, TYPE_A));
                for _ in 0..20_000 {
                    let mut bytes = valid.clone();
                    for _ in 0..1 + rng.below(3) {
                        let i = rng.below(bytes.len() as u64) as usize;
                        bytes[i] ^= 1 << rng.below(8);
                    }
                    bytes.truncate(rng.below(bytes.len() as u64 + 8) as usize);
                    if client::is_answer(&bytes, ID, "example.test", RecordType::A) {
                        let id = u16::from_be_bytes([bytes[0], bytes[1]]);
                        assert!(
                            id == ID && bytes[2] & 0x80 != 0,
                            "is_answer accepted a message with id {id:#06x} and flags byte \
                             {:#04x}: {bytes:?}",
                            bytes[2]
                        );
                    }
                }
            },
        );
    }

    #[test]
    fn query_returns_the_decoded_response() {
        let server = DnsServer::start(zone());
        let got = ask(server.addr(), "www.example.test", RecordType::A, PATIENT)
            .unwrap_or_else(|e| panic!("query(\"www.example.test\", A) failed: {e}"));
        expect_eq("the response's rcode", got.rcode, 0);
        expect_eq("the response's TC bit", got.truncated, false);
        let question = got.question.map(|q| (q.name, q.qtype));
        expect_eq(
            "the response's question",
            question,
            Some(("www.example.test".into(), TYPE_A)),
        );
        let data: Vec<RecordData> = got.answers.into_iter().map(|r| r.data).collect();
        expect_eq(
            "the answer records",
            data,
            vec![
                RecordData::Cname("web.example.test".into()),
                RecordData::Cname("example.test".into()),
                RecordData::A(EXAMPLE_V4),
                RecordData::A(EXAMPLE_V4_TOO),
            ],
        );
    }

    #[test]
    fn the_query_carries_the_name_the_type_and_the_rd_bit() {
        let server = DnsServer::start(zone());
        let _ = ask(server.addr(), "Example.TEST", RecordType::Aaaa, PATIENT);
        let queries = server.queries();
        assert!(
            !queries.is_empty(),
            "the fixture DNS server received no query"
        );
        expect_eq(
            "the question the server read",
            queries[0].question.clone(),
            Some(("Example.TEST".to_string(), TYPE_AAAA)),
        );
        expect_eq("the RD (recursion desired) bit", queries[0].bytes[2] & 1, 1);
    }

    #[test]
    fn query_retries_after_a_lost_datagram() {
        let server = DnsServer::start(zone().then(&[]));
        let got = ask(server.addr(), "example.test", RecordType::A, RETRYING);
        expect_eq(
            "query(\"example.test\", A) after the first query was dropped: the addresses",
            addresses(got),
            example_addresses(),
        );
        let sent = server.queries().len();
        assert!(
            sent >= 2,
            "the first query was dropped, so the client must ask again; the server got {sent} query"
        );
    }

    #[test]
    fn query_gives_up_after_every_attempt_timed_out() {
        let server = DnsServer::start(zone().then(&[]).then(&[]).then(&[]));
        let options = QueryOptions {
            timeout: Duration::from_millis(150),
            attempts: 3,
        };
        let started = Instant::now();
        let got = ask(server.addr(), "example.test", RecordType::A, options);
        let took = started.elapsed();
        assert!(
            matches!(got, Err(LookupError::Timeout { attempts: 3, .. })),
            "query to a server that drops everything\n    expected: Err(Timeout {{ attempts: 3, .. }})\n         got: {got:?}"
        );
        let queries = server.queries();
        expect_eq("queries the server received", queries.len(), 3);
        // Three equal random ids happen once in 2^32 runs; a fixed id happens every time.
        let ids: Vec<u16> = queries
            .iter()
            .filter_map(|q| {
                q.bytes
                    .get(..2)
                    .map(|id| u16::from_be_bytes([id[0], id[1]]))
            })
            .collect();
        assert!(
            ids.iter().any(|id| *id != ids[0]),
            "every attempt sent id {:#06x}: use a fresh random id for each attempt (random_id())",
            ids[0]
        );
        assert!(
            took >= Duration::from_millis(400),
            "three attempts of 150 ms each took only {took:?}: does each attempt wait for its timeout?"
        );
    }

    #[test]
    fn query_retries_when_the_answer_comes_too_late() {
        let late = [Reply::Delay(Duration::from_millis(1500)), Reply::Answer];
        let server = DnsServer::start(zone().then(&late));
        let started = Instant::now();
        let got = ask(server.addr(), "example.test", RecordType::A, RETRYING);
        let took = started.elapsed();
        expect_eq(
            "query(\"example.test\", A) when the first answer is 1500 ms late: the addresses",
            addresses(got),
            example_addresses(),
        );
        let sent = server.queries().len();
        assert!(
            sent >= 2,
            "the first answer came after the 300 ms timeout, so the client must ask again; the server got {sent} query"
        );
        assert!(
            took < Duration::from_millis(1500),
            "the query took {took:?}: it waited for the late answer instead of retrying after 300 ms"
        );
    }

    #[test]
    fn query_ignores_an_answer_with_the_wrong_id() {
        let server = DnsServer::start(zone().then(&[Reply::WrongId, Reply::Answer]));
        let got = ask(server.addr(), "example.test", RecordType::A, ONCE_PATIENT);
        expect_eq(
            "query(\"example.test\", A) with a wrong-id answer before the real one: the addresses",
            addresses(got),
            example_addresses(),
        );

        let server = DnsServer::start(zone().then(&[Reply::WrongId]));
        let got = ask(server.addr(), "example.test", RecordType::A, ONCE_SHORT);
        assert!(
            matches!(got, Err(LookupError::Timeout { .. })),
            "query whose only answer has the wrong id must wait for the right one and time out\n         got: {got:?}"
        );
    }

    #[test]
    fn query_ignores_a_message_that_is_not_a_response() {
        // Right id and question, but the QR bit is clear: a query, not an answer.
        let not_a_response = forged(0x0100, EXAMPLE_TEST_WIRE, TYPE_A);
        let server = DnsServer::start(zone().then(&[Reply::Raw(not_a_response), Reply::Answer]));
        let got = ask(server.addr(), "example.test", RecordType::A, ONCE_PATIENT);
        expect_eq(
            "query(\"example.test\", A) when a message with the QR bit clear comes first (check QR)",
            addresses(got),
            example_addresses(),
        );
    }

    #[test]
    fn query_ignores_an_answer_to_another_question() {
        // Right id, but the question is not ours: another name, then another type.
        let other_name = forged(0x8180, b"\x04bank\x04test\x00", TYPE_A);
        let other_type = forged(0x8180, EXAMPLE_TEST_WIRE, TYPE_AAAA);
        for (what, forged) in [("another name", other_name), ("another type", other_type)] {
            let server = DnsServer::start(zone().then(&[Reply::Raw(forged), Reply::Answer]));
            let got = ask(server.addr(), "example.test", RecordType::A, ONCE_PATIENT);
            expect_eq(
                format!(
                    "query(\"example.test\", A) when an answer for {what} comes first (compare the question)"
                ),
                addresses(got),
                example_addresses(),
            );
        }
    }

    #[test]
    fn the_timeout_bounds_the_whole_attempt_not_each_read() {
        // A wrong-id datagram every 100 ms for 2 s: a read timeout of 300 ms that starts again
        // after every datagram would never expire while they keep coming.
        let mut stream = Vec::new();
        for _ in 0..20 {
            stream.extend([Reply::WrongId, Reply::Delay(Duration::from_millis(100))]);
        }
        let server = DnsServer::start(zone().then(&stream));
        let started = Instant::now();
        let got = ask(server.addr(), "example.test", RecordType::A, ONCE_SHORT);
        let took = started.elapsed();
        assert!(
            matches!(got, Err(LookupError::Timeout { .. })),
            "query with one 300 ms attempt, while only wrong-id datagrams arrive\n    expected: Err(Timeout {{ .. }})\n         got: {got:?}"
        );
        assert!(
            took < Duration::from_millis(1500),
            "one 300 ms attempt took {took:?}: compute a deadline once per attempt and give each \
             read only the time that is left (Instant::now() + timeout, then the remainder)"
        );
    }

    #[test]
    fn query_ignores_garbage_and_keeps_waiting() {
        let replies = [
            Reply::Garbage(1),
            Reply::Garbage(2),
            Reply::Raw(vec![0, 0, 0x81]),
            Reply::Answer,
        ];
        let server = DnsServer::start(zone().then(&replies));
        let got = ask(server.addr(), "example.test", RecordType::A, ONCE_PATIENT);
        expect_eq(
            "query(\"example.test\", A) with garbage before the real answer: the addresses",
            addresses(got),
            example_addresses(),
        );
    }

    #[test]
    fn query_ignores_an_answer_from_another_address() {
        let server = DnsServer::start(zone().then(&[Reply::FromOtherPort]));
        let got = ask(server.addr(), "example.test", RecordType::A, ONCE_SHORT);
        assert!(
            matches!(got, Err(LookupError::Timeout { .. })),
            "an answer from another port is not from the server: it must be ignored\n    expected: Err(Timeout {{ .. }})\n         got: {got:?}"
        );
    }

    #[test]
    fn query_accepts_the_answer_for_a_name_with_any_bytes() {
        let mut zone = zone();
        for (_, stored) in ODD_NAMES {
            zone = zone.a(stored, EXAMPLE_V4);
        }
        let server = DnsServer::start(zone);
        for (typed, _) in ODD_NAMES {
            let got = ask(server.addr(), typed, RecordType::A, ONCE_PATIENT);
            expect_eq(
                format!(
                    "query({typed:?}, A): the server answers at once; the question it echoes is \
                     the one asked"
                ),
                addresses(got),
                Ok(vec![IpAddr::V4(EXAMPLE_V4)]),
            );
        }
    }

    #[test]
    fn query_reads_an_answer_longer_than_512_bytes() {
        // 40 A records, about 700 bytes, without the TC bit: a server that ignores the 512-byte
        // limit. Cut at 512 bytes, the answer reads as a malformed message.
        let mut raw = [
            &[0, 0, 0x81, 0x80, 0, 1, 0, 40, 0, 0, 0, 0][..],
            EXAMPLE_TEST_WIRE,
            &[0, 1, 0, 1],
        ]
        .concat();
        let expected: Vec<IpAddr> = (1..=40)
            .map(|i| IpAddr::V4(Ipv4Addr::new(192, 0, 2, i)))
            .collect();
        for ip in &expected {
            raw.extend_from_slice(&[0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4]);
            if let IpAddr::V4(v4) = ip {
                raw.extend_from_slice(&v4.octets());
            }
        }
        assert!(raw.len() > 512, "the forged answer is {} bytes", raw.len());
        let server = DnsServer::start(zone().then(&[Reply::Raw(raw)]));
        let got = ask(server.addr(), "example.test", RecordType::A, PATIENT);
        expect_eq(
            "query(\"example.test\", A) answered in 700 bytes without TC (read into MAX_MESSAGE bytes)",
            addresses(got),
            Ok(expected),
        );
    }

    #[test]
    fn query_reports_the_tc_bit() {
        let server = DnsServer::start(zone().then(&[Reply::Truncated]));
        let got = ask(server.addr(), "example.test", RecordType::A, PATIENT);
        assert!(
            matches!(got, Err(LookupError::Truncated(_))),
            "the server set TC (the answer did not fit)\n    expected: Err(Truncated(..))\n         got: {got:?}"
        );
    }

    #[test]
    fn query_rejects_an_answer_with_a_compression_loop() {
        #[rustfmt::skip]
        let raw = [
            &[0, 0, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0][..],
            &[7], b"example", &[4], b"test", &[0], &[0, 1, 0, 1],
            &[0xC0, 30], // offset 30: the answer's name is a pointer to itself
            &[0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 10],
        ]
        .concat();
        let server = DnsServer::start(zone().then(&[Reply::Raw(raw)]));
        let got = ask(server.addr(), "example.test", RecordType::A, PATIENT);
        assert!(
            matches!(got, Err(LookupError::Wire(WireError::BadPointer))),
            "an answer whose record name is a pointer to itself\n    expected: Err(Wire(BadPointer))\n         got: {got:?}"
        );
    }

    #[test]
    fn query_reports_a_closed_port_as_refused() {
        // Nothing listens there, so the kernel answers with ICMP port unreachable and a
        // connected UDP socket reports ConnectionRefused.
        let closed = closed_udp_port();
        let got = ask(closed, "example.test", RecordType::A, PATIENT);
        assert!(
            matches!(got, Err(LookupError::Refused(_))),
            "query to a port where nothing listens (connect the UDP socket to see ICMP errors)\n    expected: Err(Refused(..))\n         got: {got:?}"
        );
    }
}

mod lookup {
    use std::net::{IpAddr, SocketAddr};
    use std::time::Duration;

    use insta::assert_snapshot;
    use netlings::fixtures::dns::{DnsServer, Reply, Zone, poisoned_response};
    use netlings::harness::{DEADLINE, expect_eq, normalize, run_program, within};
    use netlings::support::dns::{LookupError, QueryOptions, RecordType};

    use crate::shared::{EXAMPLE_V4, EXAMPLE_V4_TOO, EXAMPLE_V6, ODD_NAMES, PATIENT, zone};
    use crate::steps::lookup;

    /// `lookup(server, name, type, options)` on its own thread with a deadline.
    fn ask(
        server: SocketAddr,
        name: &str,
        record_type: RecordType,
        options: QueryOptions,
    ) -> Result<lookup::Lookup, LookupError> {
        let name = name.to_string();
        let waiting_for = format!("lookup({name:?}, {record_type}) against the fixture DNS server");
        within("lookup", &waiting_for, DEADLINE, move || {
            lookup::lookup(server, &name, record_type, options)
        })
    }

    #[test]
    fn lookup_returns_the_a_records() {
        let server = DnsServer::start(zone());
        let got =
            ask(server.addr(), "example.test", RecordType::A, PATIENT).map_err(|e| e.to_string());
        let expected = lookup::Lookup {
            names: vec!["example.test".to_string()],
            addrs: vec![IpAddr::V4(EXAMPLE_V4), IpAddr::V4(EXAMPLE_V4_TOO)],
        };
        expect_eq("lookup(\"example.test\", A)", got, Ok(expected));
    }

    #[test]
    fn lookup_returns_the_aaaa_records() {
        let server = DnsServer::start(zone());
        let got = ask(server.addr(), "example.test", RecordType::Aaaa, PATIENT).map(|l| l.addrs);
        expect_eq(
            "lookup(\"example.test\", AAAA)",
            got.map_err(|e| e.to_string()),
            Ok(vec![IpAddr::V6(EXAMPLE_V6)]),
        );
    }

    #[test]
    fn lookup_follows_the_cname_chain() {
        let server = DnsServer::start(zone());
        let got = ask(server.addr(), "www.example.test", RecordType::A, PATIENT);
        let names = got.map(|l| l.names).map_err(|e| e.to_string());
        expect_eq(
            "lookup(\"www.example.test\", A): the chain of names",
            names,
            Ok(vec![
                "www.example.test".into(),
                "web.example.test".into(),
                "example.test".into(),
            ]),
        );
    }

    #[test]
    fn lookup_reports_nxdomain_as_no_such_host() {
        let server = DnsServer::start(zone());
        let got = ask(server.addr(), "nowhere.test", RecordType::A, PATIENT);
        assert!(
            matches!(&got, Err(LookupError::NoSuchHost(n)) if n == "nowhere.test"),
            "lookup(\"nowhere.test\"): the server answered NXDOMAIN (rcode 3)\n    expected: Err(NoSuchHost(\"nowhere.test\"))\n         got: {got:?}"
        );
    }

    #[test]
    fn lookup_reports_an_empty_answer_as_no_addresses() {
        let server = DnsServer::start(zone());
        let got = ask(server.addr(), "v4only.test", RecordType::Aaaa, PATIENT);
        assert!(
            matches!(
                got,
                Err(LookupError::NoAddresses {
                    record_type: RecordType::Aaaa,
                    ..
                })
            ),
            "lookup(\"v4only.test\", AAAA): the name exists, the answer section is empty\n    expected: Err(NoAddresses {{ .. }})\n         got: {got:?}"
        );
    }

    #[test]
    fn lookup_stops_on_an_alias_loop() {
        let server = DnsServer::start(zone());
        let addr = server.addr();
        // A shorter deadline than usual: a lookup that follows the loop forever also grows its
        // list of names forever, and its thread keeps running after the deadline until the
        // tests end.
        let got = within(
            "lookup",
            "lookup(\"loop1.test\", A): it must stop when a name comes back",
            Duration::from_secs(2),
            move || lookup::lookup(addr, "loop1.test", RecordType::A, PATIENT),
        );
        assert!(
            matches!(got, Err(LookupError::AliasLoop(_))),
            "lookup(\"loop1.test\"): loop1 -> loop2 -> loop1 ...\n    expected: Err(AliasLoop(..))\n         got: {got:?}"
        );
    }

    #[test]
    fn lookup_follows_max_aliases_aliases_and_no_more() {
        // ok0 -> ok1 -> ... -> ok{max}: max aliases, then an address; and one more for long0.
        let max = lookup::MAX_ALIASES;
        let server = DnsServer::start(Zone::new().alias_chain("ok", max, EXAMPLE_V4).alias_chain(
            "long",
            max + 1,
            EXAMPLE_V4,
        ));
        let got = ask(server.addr(), "ok0.test", RecordType::A, PATIENT);
        expect_eq(
            format!(
                "lookup(\"ok0.test\") through {max} aliases (MAX_ALIASES): the number of names"
            ),
            got.map(|l| l.names.len()).map_err(|e| e.to_string()),
            Ok(max + 1),
        );
        let got = ask(server.addr(), "long0.test", RecordType::A, PATIENT);
        assert!(
            matches!(got, Err(LookupError::AliasLoop(_))),
            "lookup(\"long0.test\") through {} aliases, one more than MAX_ALIASES\n    expected: Err(AliasLoop(..))\n         got: {got:?}",
            max + 1
        );
    }

    #[test]
    fn lookup_reports_servfail() {
        let server = DnsServer::start(zone().then(&[Reply::ServerFailure]));
        let got = ask(server.addr(), "example.test", RecordType::A, PATIENT);
        assert!(
            matches!(got, Err(LookupError::ServerFailure(2))),
            "lookup with a server answering SERVFAIL\n    expected: Err(ServerFailure(2))\n         got: {got:?}"
        );
    }

    #[test]
    fn lookup_ignores_records_for_names_it_did_not_ask_about() {
        // A poisoning attempt: an extra A record for another name in the answer section.
        let server = DnsServer::start(zone().then(&[Reply::Raw(poisoned_response())]));
        let got = ask(server.addr(), "example.test", RecordType::A, PATIENT).map(|l| l.addrs);
        expect_eq(
            "lookup(\"example.test\") with an extra record for bank.test",
            got.map_err(|e| e.to_string()),
            Ok(vec![IpAddr::V4(EXAMPLE_V4)]),
        );
    }

    #[test]
    fn lookup_finds_a_name_with_any_bytes() {
        let mut zone = zone();
        for (_, stored) in ODD_NAMES {
            zone = zone.a(stored, EXAMPLE_V4);
        }
        let server = DnsServer::start(zone);
        for (typed, _) in ODD_NAMES {
            let got = ask(server.addr(), typed, RecordType::A, PATIENT).map_err(|e| e.to_string());
            let expected = lookup::Lookup {
                names: vec![typed.to_string()],
                addrs: vec![IpAddr::V4(EXAMPLE_V4)],
            };
            expect_eq(
                format!(
                    "lookup({typed:?}, A): the record's name comes back escaped, as read_name writes it"
                ),
                got,
                Ok(expected),
            );
        }
    }

    fn transcript(argv: &[&str]) -> String {
        normalize(&run_program("lookup", argv, lookup::run).to_string())
    }

    #[test]
    fn program_asks_the_server_and_prints_the_aliases() {
        let server = DnsServer::start(zone());
        let addr = server.addr().to_string();
        assert_snapshot!(transcript(&[
            "lookup",
            "www.example.test",
            "--server",
            &addr
        ]));
    }

    #[test]
    fn program_asks_for_aaaa_records() {
        let server = DnsServer::start(zone());
        let addr = server.addr().to_string();
        assert_snapshot!(transcript(&[
            "lookup",
            "example.test",
            "--server",
            &addr,
            "--type",
            "AAAA"
        ]));
    }

    #[test]
    fn program_reports_a_name_that_does_not_exist() {
        let server = DnsServer::start(zone());
        let addr = server.addr().to_string();
        assert_snapshot!(transcript(&["lookup", "nowhere.test", "--server", &addr]));
    }

    #[test]
    fn program_reports_a_server_that_never_answers() {
        let server = DnsServer::start(zone().then(&[]).then(&[]));
        let addr = server.addr().to_string();
        let argv = [
            "lookup",
            "example.test",
            "--server",
            &addr,
            "--timeout",
            "100",
            "--attempts",
            "2",
        ];
        assert_snapshot!(transcript(&argv));
    }

    #[test]
    fn program_uses_the_system_resolver_without_a_server() {
        assert_snapshot!(transcript(&["lookup", "127.0.0.1"]));
    }

    #[test]
    fn program_keeps_the_system_resolvers_addresses_of_the_type_asked_for() {
        assert_snapshot!(transcript(&["lookup", "::1", "--type", "AAAA"]));
    }

    #[test]
    fn program_reports_no_address_of_the_type_asked_for() {
        assert_snapshot!(transcript(&["lookup", "127.0.0.1", "--type", "aaaa"]));
    }

    #[test]
    fn program_refuses_a_wait_without_bound() {
        // A client bounds how long the whole exchange takes: u64::MAX milliseconds is not a bound.
        let transcript = run_program(
            "lookup",
            &[
                "lookup",
                "example.test",
                "--server",
                "127.0.0.1",
                "--timeout",
                "18446744073709551615",
            ],
            lookup::run,
        );
        expect_eq(
            "the exit status of --timeout 18446744073709551615",
            transcript.status,
            2,
        );
    }

    #[test]
    fn program_rejects_a_server_that_is_not_an_address() {
        assert_snapshot!(transcript(&[
            "lookup",
            "example.test",
            "--server",
            "dns.example"
        ]));
    }
}
