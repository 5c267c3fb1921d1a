//! Grading tests for chapter 5, TCP addresses: one module per step, in course order.
//! `cargo test --test ch05_tcp_addr` runs them against `exercises/ch05_tcp_addr/`, and with
//! `--features solutions` against `solutions/ch05_tcp_addr/`.
//!
//! Service names come from `tests/fixtures/services` (or a table made in the test), host names
//! are only `localhost`: nothing here depends on the machine's /etc/services or on DNS.

// BEGIN STEPS
// The steps under test: `exercises/ch05_tcp_addr/`, or `solutions/ch05_tcp_addr/` with `--features solutions`.
// Generated from the catalog by `cargo dev update`. A step's `main` and the helpers its tests do
// not call are unused here, hence `allow(dead_code)`.
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch05_tcp_addr/1_split_host_port.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ch05_tcp_addr/1_split_host_port.rs"
)]
#[allow(dead_code)]
pub mod step1_split_host_port;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch05_tcp_addr/2_resolve_port.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ch05_tcp_addr/2_resolve_port.rs"
)]
#[allow(dead_code)]
pub mod step2_resolve_port;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch05_tcp_addr/3_resolve_host.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ch05_tcp_addr/3_resolve_host.rs"
)]
#[allow(dead_code)]
pub mod step3_resolve_host;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch05_tcp_addr/4_tcp_addr.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ch05_tcp_addr/4_tcp_addr.rs"
)]
#[allow(dead_code)]
pub mod step4_tcp_addr;
mod steps {
    pub use super::step1_split_host_port as split_host_port;
    pub use super::step2_resolve_port as resolve_port;
    pub use super::step3_resolve_host as resolve_host;
    pub use super::step4_tcp_addr as tcp_addr;
}
// END STEPS

use std::path::Path;

use netlings::support::services::ServicesTable;
use netlings::support::tcp_addr::PortNames;

const FIXTURE: &str = "tests/fixtures/services";

fn fixture() -> ServicesTable {
    ServicesTable::from_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE))
        .expect("the fixture file is part of the repository")
}

/// Port names that know one service: gopher, on 7070.
struct OnlyGopher;

impl PortNames for OnlyGopher {
    fn port(&self, protocol: &str, name: &str) -> Option<u16> {
        (protocol == "tcp" && name == "gopher").then_some(7070)
    }
}

mod split_host_port {
    use insta::assert_snapshot;
    use netlings::harness::{DEADLINE, Rng, Table, expect_eq, within};

    use crate::steps::split_host_port::split_host_port;

    #[test]
    fn split_host_port_splits_at_the_last_colon() {
        expect_eq(
            "split_host_port(\"127.0.0.1:80\")",
            split_host_port("127.0.0.1:80"),
            Ok(("127.0.0.1", "80")),
        );
    }

    #[test]
    fn split_host_port_takes_the_brackets_off_an_ipv6_host() {
        expect_eq(
            "split_host_port(\"[fe80::1%lo]:http\")",
            split_host_port("[fe80::1%lo]:http"),
            Ok(("fe80::1%lo", "http")),
        );
    }

    #[test]
    fn split_host_port_agrees_with_go() {
        let cases = [
            "localhost:80",
            "[::1]:80",
            ":80",
            "localhost:",
            ":",
            "[]:80",
            "[localhost]:80",
            "",
            "localhost",
            "::1",
            "::1:80",
            "[::1]",
            "[::1]80",
            "[::1]:80:90",
            "[::1]]:80",
            "[::1:80",
            "::1]:80",
            "a[b]:80",
            "[a[b]:80",
            "host:80]",
        ];
        let mut table = Table::new();
        for address in cases {
            table.row(format!("split_host_port({address:?})"), || {
                split_host_port(address)
            });
        }
        assert_snapshot!(table);
    }

    #[test]
    fn split_host_port_never_panics_on_punctuation_soup() {
        within(
            "split-host-port",
            "split_host_port of 5000 random strings",
            DEADLINE,
            || {
                let mut rng = Rng::new(51);
                for _ in 0..5000 {
                    let address = rng.string("[]:%1a.", 12);
                    if let Ok((host, port)) = split_host_port(&address) {
                        assert!(
                            !port.contains(':') && !host.contains(['[', ']']),
                            "split_host_port({address:?}) = ({host:?}, {port:?}): a colon in the port or a bracket in the host"
                        );
                    }
                }
            },
        );
    }
}

mod resolve_port {
    use insta::assert_snapshot;
    use netlings::harness::{Table, expect_eq};
    use netlings::support::tcp_addr::AddrError;

    use crate::steps::resolve_port::resolve_port;
    use crate::{OnlyGopher, fixture};

    #[test]
    fn resolve_port_reads_a_number() {
        expect_eq(
            "resolve_port(\"8099\", fixture)",
            resolve_port("8099", &fixture()),
            Ok(8099),
        );
    }

    #[test]
    fn resolve_port_asks_the_port_names_it_is_given() {
        expect_eq(
            "resolve_port(\"gopher\", names with gopher = 7070)",
            resolve_port("gopher", &OnlyGopher),
            Ok(7070),
        );
        expect_eq(
            "resolve_port(\"http\", names without http)",
            resolve_port("http", &OnlyGopher),
            Err(AddrError::UnknownPort("http".into())),
        );
    }

    #[test]
    fn resolve_port_agrees_with_go() {
        let names = fixture();
        let mut table = Table::new();
        for port in [
            "80",
            "0",
            "",
            "+80",
            "-0",
            "-1",
            "+",
            "65535",
            "65536",
            "99999999999999999999",
            "http",
            "WWW",
            "kerberos-sec",
            "ntp",
            "nosuch",
            "-http",
            "8o",
            "--80",
        ] {
            table.row(format!("resolve_port({port:?}, fixture)"), || {
                resolve_port(port, &names).map_err(|e| e.to_string())
            });
        }
        assert_snapshot!(table);
    }

    #[test]
    fn resolve_port_reads_every_port_number() {
        let names = fixture();
        for port in 0..=u16::MAX {
            let text = port.to_string();
            expect_eq(
                format!("resolve_port({text:?}, fixture)"),
                resolve_port(&text, &names),
                Ok(port),
            );
        }
    }
}

mod resolve_host {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

    use insta::assert_snapshot;
    use netlings::harness::{DEADLINE, Table, expect_eq, within};
    use netlings::support::tcp_addr::{AddrError, Family, interface_index};

    use crate::steps::resolve_host::resolve_host;

    /// `resolve_host` for a network's family, on its own thread with a deadline (a host name
    /// goes to the system resolver).
    fn host(
        host: &'static str,
        bracketed: bool,
        network: &'static str,
    ) -> Result<(IpAddr, u32), AddrError> {
        let family = Family::of_tcp_network(network).expect("a TCP network");
        let waiting_for = call(host, bracketed, network);
        within("resolve-host", &waiting_for, DEADLINE, move || {
            resolve_host(host, bracketed, family, network)
        })
    }

    fn call(host: &str, bracketed: bool, network: &str) -> String {
        let family = Family::of_tcp_network(network).expect("a TCP network");
        format!("resolve_host({host:?}, {bracketed}, {family:?}, {network:?})")
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("test addresses are valid")
    }

    #[test]
    fn resolve_host_of_a_literal_address_is_itself() {
        expect_eq(
            call("127.0.0.1", false, "tcp"),
            host("127.0.0.1", false, "tcp"),
            Ok((ip("127.0.0.1"), 0)),
        );
    }

    #[test]
    fn resolve_host_with_no_host_means_every_address() {
        let v4 = Ok((IpAddr::V4(Ipv4Addr::UNSPECIFIED), 0));
        expect_eq(call("", false, "tcp"), host("", false, "tcp"), v4.clone());
        expect_eq(call("", false, "tcp4"), host("", false, "tcp4"), v4);
        expect_eq(
            call("", false, "tcp6"),
            host("", false, "tcp6"),
            Ok((IpAddr::V6(Ipv6Addr::UNSPECIFIED), 0)),
        );
    }

    #[test]
    fn resolve_host_turns_a_zone_into_a_scope_id() {
        let lo = interface_index("lo").expect("Linux names its loopback interface lo");
        expect_eq(
            call("fe80::1%lo", true, "tcp6"),
            host("fe80::1%lo", true, "tcp6"),
            Ok((ip("fe80::1"), lo)),
        );
        expect_eq(
            call("fe80::1%7", true, "tcp"),
            host("fe80::1%7", true, "tcp"),
            Ok((ip("fe80::1"), 7)),
        );
    }

    #[test]
    fn resolve_host_treats_an_ipv4_mapped_address_as_ipv4() {
        // Go keeps IPv4 addresses in IPv6 form: ::ffff:127.0.0.1 *is* 127.0.0.1 to it.
        expect_eq(
            format!(
                "{} (an IPv4-mapped address is the IPv4 address inside: `IpAddr::to_canonical`)",
                call("::ffff:127.0.0.1", true, "tcp4")
            ),
            host("::ffff:127.0.0.1", true, "tcp4"),
            Ok((ip("127.0.0.1"), 0)),
        );
    }

    #[test]
    fn resolve_host_resolves_localhost_preferring_ipv4() {
        // Whether localhost also has ::1 here does not matter: "tcp" picks IPv4 first, like Go.
        expect_eq(
            call("localhost", false, "tcp"),
            host("localhost", false, "tcp"),
            Ok((ip("127.0.0.1"), 0)),
        );
        expect_eq(
            call("localhost", false, "tcp4"),
            host("localhost", false, "tcp4"),
            Ok((ip("127.0.0.1"), 0)),
        );
    }

    #[test]
    fn resolve_host_agrees_with_go() {
        let cases = [
            ("127.0.0.1", false, "tcp"),
            ("::1", true, "tcp"),
            ("2001:db8::1", true, "tcp6"),
            ("", false, "tcp"),
            ("", false, "tcp6"),
            ("fe80::1%7", true, "tcp"),
            ("fe80::1%7", true, "tcp6"),
            ("fe80::1%1", true, "tcp4"),
            ("fe80::1%no-such-interface", true, "tcp"),
            ("fe80::1%", true, "tcp"),
            ("127.0.0.1%1", false, "tcp"),
            ("localhost%1", false, "tcp"),
            ("::ffff:127.0.0.1", true, "tcp"),
            ("::ffff:127.0.0.1", true, "tcp4"),
            ("::ffff:127.0.0.1", true, "tcp6"),
            ("127.0.0.1", true, "tcp"),
            ("localhost", true, "tcp"),
            ("::1", true, "tcp4"),
            ("127.0.0.1", false, "tcp6"),
            ("localhost", false, "tcp"),
            ("localhost", false, ""),
        ];
        let mut table = Table::new();
        for (h, bracketed, network) in cases {
            table.row(call(h, bracketed, network), move || {
                host(h, bracketed, network).map_err(|e| e.to_string())
            });
        }
        assert_snapshot!(table);
    }
}

mod tcp_addr {
    use std::net::{Ipv4Addr, SocketAddr, SocketAddrV6};

    use insta::assert_snapshot;
    use netlings::harness::{DEADLINE, Table, expect_eq, run_program, within};
    use netlings::support::tcp_addr::{AddrError, interface_index};

    use crate::steps::tcp_addr::{resolve_tcp_addr, run};
    use crate::{FIXTURE, OnlyGopher, fixture};

    /// `resolve_tcp_addr` with the fixture's service names, on its own thread with a deadline
    /// (a host name goes to the system resolver).
    fn resolve(network: &'static str, address: &'static str) -> Result<SocketAddr, AddrError> {
        let waiting_for = format!("resolve_tcp_addr({network:?}, {address:?})");
        within("tcp-addr", &waiting_for, DEADLINE, move || {
            resolve_tcp_addr(network, address, &fixture())
        })
    }

    fn call(network: &str, address: &str) -> String {
        format!("resolve_tcp_addr({network:?}, {address:?})")
    }

    #[test]
    fn resolve_tcp_addr_takes_an_ipv4_address_and_a_port() {
        expect_eq(
            call("tcp", "127.0.0.1:8099"),
            resolve("tcp", "127.0.0.1:8099"),
            Ok("127.0.0.1:8099".parse().unwrap()),
        );
    }

    #[test]
    fn resolve_tcp_addr_takes_an_ipv6_address_in_brackets() {
        expect_eq(
            call("tcp6", "[::1]:8099"),
            resolve("tcp6", "[::1]:8099"),
            Ok("[::1]:8099".parse().unwrap()),
        );
    }

    #[test]
    fn resolve_tcp_addr_turns_a_service_name_into_its_port() {
        expect_eq(
            call("tcp", "127.0.0.1:http"),
            resolve("tcp", "127.0.0.1:http"),
            Ok("127.0.0.1:80".parse().unwrap()),
        );
        expect_eq(
            call("tcp", "127.0.0.1:WWW"),
            resolve("tcp", "127.0.0.1:WWW"),
            Ok("127.0.0.1:80".parse().unwrap()),
        );
    }

    #[test]
    fn resolve_tcp_addr_resolves_localhost_preferring_ipv4() {
        // Whether localhost also has ::1 here does not matter: "tcp" picks IPv4 first, like Go.
        expect_eq(
            call("tcp", "localhost:http"),
            resolve("tcp", "localhost:http"),
            Ok("127.0.0.1:80".parse().unwrap()),
        );
        expect_eq(
            call("tcp4", "localhost:8099"),
            resolve("tcp4", "localhost:8099"),
            Ok("127.0.0.1:8099".parse().unwrap()),
        );
    }

    #[test]
    fn resolve_tcp_addr_asks_the_port_names_it_is_given() {
        let got = within(
            "tcp-addr",
            "resolve_tcp_addr with a custom PortNames",
            DEADLINE,
            || {
                let gopher = resolve_tcp_addr("tcp", "127.0.0.1:gopher", &OnlyGopher);
                let http = resolve_tcp_addr("tcp", "127.0.0.1:http", &OnlyGopher);
                (gopher, http)
            },
        );
        expect_eq(
            "resolve_tcp_addr(\"tcp\", \"127.0.0.1:gopher\", names with gopher = 7070)",
            got.0,
            Ok("127.0.0.1:7070".parse().unwrap()),
        );
        expect_eq(
            "resolve_tcp_addr(\"tcp\", \"127.0.0.1:http\", names without http)",
            got.1,
            Err(AddrError::UnknownPort("http".into())),
        );
    }

    #[test]
    fn resolve_tcp_addr_turns_an_interface_name_into_a_scope_id() {
        let lo = interface_index("lo").expect("Linux names its loopback interface lo");
        let expected = SocketAddr::V6(SocketAddrV6::new("fe80::1".parse().unwrap(), 80, 0, lo));
        expect_eq(
            call("tcp6", "[fe80::1%lo]:80"),
            resolve("tcp6", "[fe80::1%lo]:80"),
            Ok(expected),
        );
        let numeric = SocketAddr::V6(SocketAddrV6::new("fe80::1".parse().unwrap(), 80, 0, 7));
        expect_eq(
            call("tcp", "[fe80::1%7]:http"),
            resolve("tcp", "[fe80::1%7]:http"),
            Ok(numeric),
        );
    }

    #[test]
    fn resolve_tcp_addr_treats_an_ipv4_mapped_address_as_ipv4() {
        // Go keeps IPv4 addresses in IPv6 form: ::ffff:127.0.0.1 *is* 127.0.0.1 to it.
        expect_eq(
            format!(
                "{} (an IPv4-mapped address is the IPv4 address inside: `IpAddr::to_canonical`)",
                call("tcp4", "[::ffff:127.0.0.1]:80")
            ),
            resolve("tcp4", "[::ffff:127.0.0.1]:80"),
            Ok("127.0.0.1:80".parse().unwrap()),
        );
    }

    #[test]
    fn resolve_tcp_addr_rejects_the_notes_typo_ip4() {
        // The notes call ResolceTCPAddr("ip4", ...): "ip4" is a network for IP addresses, not TCP.
        expect_eq(
            call("ip4", "127.0.0.1:8099"),
            resolve("ip4", "127.0.0.1:8099"),
            Err(AddrError::UnknownNetwork("ip4".into())),
        );
    }

    #[test]
    fn resolve_tcp_addr_checks_the_network_before_the_address() {
        expect_eq(
            call("udp", "no colon here"),
            resolve("udp", "no colon here"),
            Err(AddrError::UnknownNetwork("udp".into())),
        );
    }

    #[test]
    fn resolve_tcp_addr_with_no_host_means_every_address() {
        expect_eq(
            call("tcp", ":8099"),
            resolve("tcp", ":8099"),
            Ok((Ipv4Addr::UNSPECIFIED, 8099).into()),
        );
        expect_eq(
            call("tcp6", ":8099"),
            resolve("tcp6", ":8099"),
            Ok("[::]:8099".parse().unwrap()),
        );
    }

    #[test]
    fn resolve_tcp_addr_agrees_with_go() {
        let cases = [
            ("tcp", "127.0.0.1:80"),
            ("tcp", "[::1]:80"),
            ("tcp", "[2001:db8::1]:https"),
            ("tcp", "127.0.0.1:ssh"),
            ("tcp", "127.0.0.1:kerberos-sec"),
            ("tcp", "127.0.0.1:ntp"),
            ("tcp", "127.0.0.1:nosuch"),
            ("tcp", "127.0.0.1:"),
            ("tcp", "127.0.0.1:0"),
            ("tcp", "127.0.0.1:+80"),
            ("tcp", "127.0.0.1:65535"),
            ("tcp", "127.0.0.1:65536"),
            ("tcp", "127.0.0.1:-1"),
            ("tcp", "127.0.0.1:99999999999999999999"),
            ("tcp", "127.0.0.1"),
            ("tcp", "::1:80"),
            ("tcp", "[::1]"),
            ("tcp", "[127.0.0.1]:80"),
            ("tcp", "[localhost]:80"),
            ("tcp", "[fe80::1%no-such-interface]:80"),
            ("tcp4", "[::1]:80"),
            ("tcp6", "127.0.0.1:80"),
            ("tcp4", "[fe80::1%1]:80"),
            ("tcp", "[::ffff:127.0.0.1]:80"),
            ("tcp4", "[::ffff:127.0.0.1]:80"),
            ("tcp6", "[::ffff:127.0.0.1]:80"),
            ("tcp", ""),
            ("", "127.0.0.1:80"),
            ("udp", "127.0.0.1:80"),
            ("ip4", "127.0.0.1:80"),
            ("TCP", "127.0.0.1:80"),
        ];
        let mut table = Table::new();
        for (network, address) in cases {
            table.row(call(network, address), move || {
                resolve(network, address).map_err(|e| e.to_string())
            });
        }
        assert_snapshot!(table);
    }

    fn transcript(argv: &[&str]) -> String {
        // No normalize(): these ports are the ones asked for, not ephemeral ones.
        run_program("tcp-addr", argv, run).to_string()
    }

    #[test]
    fn program_resolves_a_host_and_a_service_name() {
        assert_snapshot!(transcript(&[
            "tcp-addr",
            "tcp",
            "localhost:telnet",
            "--services",
            FIXTURE
        ]));
    }

    #[test]
    fn program_shows_the_scope_id_of_a_numeric_zone() {
        assert_snapshot!(transcript(&[
            "tcp-addr",
            "tcp6",
            "[fe80::1%3]:webcache",
            "--services",
            FIXTURE
        ]));
    }

    #[test]
    fn program_reports_a_missing_port() {
        assert_snapshot!(transcript(&[
            "tcp-addr",
            "tcp",
            "127.0.0.1",
            "--services",
            FIXTURE
        ]));
    }

    #[test]
    fn program_reports_the_notes_typo() {
        assert_snapshot!(transcript(&[
            "tcp-addr",
            "ip4",
            "127.0.0.1:8099",
            "--services",
            FIXTURE
        ]));
    }
}
