//! Grading tests for chapter 5, exercise `tcp-addr`: `exercises/ch05_tcp_addr.rs`
//! (`cargo test --features solutions` runs them against `solutions/ch05_tcp_addr.rs`).
//!
//! Service names come from `tests/fixtures/services` (or a table made in the test), host names
//! are only `localhost`: nothing here depends on the machine's /etc/services or on DNS.

// BEGIN STEPS
// The steps under test: `exercises/ch05_tcp_addr/`, or `solutions/ch05_tcp_addr/` with `--features solutions`.
// Generated from the catalog by `cargo dev update`. A step's `main` and the helpers its tests do
// not call are unused here, hence `allow(dead_code)`.
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch05_tcp_addr/1_tcp_addr.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ch05_tcp_addr/1_tcp_addr.rs"
)]
#[allow(dead_code)]
pub mod step1_tcp_addr;
mod steps {
    pub use super::step1_tcp_addr as tcp_addr;
}
// END STEPS

mod tcp_addr {
    use crate::steps::tcp_addr;

    use std::net::{Ipv4Addr, SocketAddr, SocketAddrV6};
    use std::path::Path;

    use insta::assert_snapshot;
    use netlings::harness::{DEADLINE, Rng, Table, expect_eq, run_program, within};
    use netlings::support::services::ServicesTable;
    use tcp_addr::{AddrError, PortNames};

    const FIXTURE: &str = "tests/fixtures/services";

    fn fixture() -> ServicesTable {
        ServicesTable::from_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE))
            .expect("the fixture file is part of the repository")
    }

    /// `resolve_tcp_addr` with the fixture's service names, on its own thread with a deadline
    /// (a host name goes to the system resolver).
    fn resolve(network: &'static str, address: &'static str) -> Result<SocketAddr, AddrError> {
        let waiting_for = format!("resolve_tcp_addr({network:?}, {address:?})");
        within("tcp-addr", &waiting_for, DEADLINE, move || {
            tcp_addr::resolve_tcp_addr(network, address, &fixture())
        })
    }

    fn call(network: &str, address: &str) -> String {
        format!("resolve_tcp_addr({network:?}, {address:?})")
    }

    // ---------------------------------------------------------------------------------------------
    // SplitHostPort
    // ---------------------------------------------------------------------------------------------

    #[test]
    fn split_host_port_splits_at_the_last_colon() {
        expect_eq(
            "split_host_port(\"127.0.0.1:80\")",
            tcp_addr::split_host_port("127.0.0.1:80"),
            Ok(("127.0.0.1", "80")),
        );
    }

    #[test]
    fn split_host_port_takes_the_brackets_off_an_ipv6_host() {
        expect_eq(
            "split_host_port(\"[fe80::1%lo]:http\")",
            tcp_addr::split_host_port("[fe80::1%lo]:http"),
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
                tcp_addr::split_host_port(address)
            });
        }
        assert_snapshot!(table);
    }

    #[test]
    fn split_host_port_never_panics_on_punctuation_soup() {
        within(
            "tcp-addr",
            "split_host_port of 5000 random strings",
            DEADLINE,
            || {
                let mut rng = Rng::new(51);
                for _ in 0..5000 {
                    let address = rng.string("[]:%1a.", 12);
                    if let Ok((host, port)) = tcp_addr::split_host_port(&address) {
                        assert!(
                            !port.contains(':') && !host.contains(['[', ']']),
                            "split_host_port({address:?}) = ({host:?}, {port:?}): a colon in the port or a bracket in the host"
                        );
                    }
                }
            },
        );
    }

    // ---------------------------------------------------------------------------------------------
    // ResolveTCPAddr
    // ---------------------------------------------------------------------------------------------

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
        struct OnlyGopher;
        impl PortNames for OnlyGopher {
            fn port(&self, protocol: &str, name: &str) -> Option<u16> {
                (protocol == "tcp" && name == "gopher").then_some(7070)
            }
        }
        let got = within(
            "tcp-addr",
            "resolve_tcp_addr with a custom PortNames",
            DEADLINE,
            || {
                let gopher = tcp_addr::resolve_tcp_addr("tcp", "127.0.0.1:gopher", &OnlyGopher);
                let http = tcp_addr::resolve_tcp_addr("tcp", "127.0.0.1:http", &OnlyGopher);
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
        let lo = tcp_addr::interface_index("lo").expect("Linux names its loopback interface lo");
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

    // ---------------------------------------------------------------------------------------------
    // The program
    // ---------------------------------------------------------------------------------------------

    fn transcript(argv: &[&str]) -> String {
        // No normalize(): these ports are the ones asked for, not ephemeral ones.
        run_program("tcp-addr", argv, tcp_addr::run).to_string()
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
