//! Grading tests for chapter 4, exercise `services`: `exercises/ch04_services.rs`
//! (`cargo test --features solutions` runs them against `solutions/ch04_services.rs`).
//!
//! Every lookup reads `tests/fixtures/services`, never the machine's /etc/services, except one
//! sanity check whose answer Go's built-in table guarantees on any machine.

// BEGIN STEPS
// The steps under test: `exercises/ch04_services/`, or `solutions/ch04_services/` with `--features solutions`.
// Generated from the catalog by `cargo dev update`. A step's `main` and the helpers its tests do
// not call are unused here, hence `allow(dead_code)`.
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch04_services/1_services.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ch04_services/1_services.rs"
)]
#[allow(dead_code)]
pub mod step1_services;
mod steps {
    pub use super::step1_services as services;
}
// END STEPS

mod services {
    use crate::steps::services;

    use std::path::{Path, PathBuf};

    use insta::assert_snapshot;
    use netlings::harness::{DEADLINE, Rng, Table, expect_eq, run_program, within};
    use services::{PortError, ServiceEntry};

    /// The fixture, relative to the package root (where `cargo test` runs).
    const FIXTURE: &str = "tests/fixtures/services";

    fn fixture_path() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE)
    }

    fn fixture() -> services::Services {
        let text = std::fs::read_to_string(fixture_path())
            .expect("the fixture file is part of the repository");
        services::parse_services(&text)
    }

    fn entry(name: &str, port: u16, protocol: &str, aliases: &[&str]) -> ServiceEntry {
        ServiceEntry {
            name: name.to_string(),
            port,
            protocol: protocol.to_string(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Parsing services(5)
    // ---------------------------------------------------------------------------------------------

    #[test]
    fn parse_line_reads_name_port_protocol_and_aliases() {
        expect_eq(
            "parse_line(\"http\\t80/tcp\\twww www-http\\t# WorldWideWeb HTTP\")",
            services::parse_line("http\t80/tcp\twww www-http\t# WorldWideWeb HTTP"),
            Ok(Some(entry("http", 80, "tcp", &["www", "www-http"]))),
        );
    }

    #[test]
    fn parse_line_skips_blank_and_comment_lines() {
        for line in ["", "   ", "\t", "# a comment", "   # indented comment"] {
            expect_eq(
                format!("parse_line({line:?})"),
                services::parse_line(line),
                Ok(None),
            );
        }
    }

    #[test]
    fn parse_line_handles_every_shape_of_line() {
        let lines = [
            "telnet\t\t23/tcp",
            "smtp 25/tcp mail",
            "  indented   4242/tcp   spaced-alias   # comment",
            "trailing\t12/tcp#comment-without-space",
            "sctpsvc 9899/sctp",
            "max 65535/udp",
            "lonely",
            "nonumber abc/tcp",
            "noslash 25",
            "toobig 70000/tcp",
            "zero 0/tcp",
            "noproto 99/",
            "negative -5/tcp",
            "plus +5/tcp",
            "hex 0x50/tcp",
            "#http 80/tcp",
        ];
        let mut table = Table::new();
        for line in lines {
            table.row(format!("parse_line({line:?})"), || {
                services::parse_line(line)
            });
        }
        assert_snapshot!(table);
    }

    #[test]
    fn parse_services_keeps_every_good_line_and_notes_every_bad_one() {
        let parsed = fixture();
        let mut report = String::new();
        for e in &parsed.entries {
            report += &format!("{} {}/{} {:?}\n", e.name, e.port, e.protocol, e.aliases);
        }
        for s in &parsed.skipped {
            report += &format!("skipped line {}: {}\n", s.line, s.reason);
        }
        assert_snapshot!(report);
    }

    #[test]
    fn parse_services_of_random_text_never_panics() {
        within(
            "services",
            "parse_services of 3000 random files",
            DEADLINE,
            || {
                let mut rng = Rng::new(41);
                for _ in 0..3000 {
                    let text = rng.string("ab09/#\t \n\r+-tcpud\u{e9}", 120);
                    let parsed = services::parse_services(&text);
                    let lines = text.lines().count();
                    for e in &parsed.entries {
                        assert!(e.port > 0, "parse_services({text:?}) kept port 0: {e:?}");
                        assert!(
                            !e.protocol.is_empty(),
                            "parse_services({text:?}) kept an empty protocol: {e:?}"
                        );
                        assert!(
                            !e.name.contains(['#', ' ', '\t']),
                            "parse_services({text:?}) kept a name with a blank or '#': {e:?}"
                        );
                    }
                    for s in &parsed.skipped {
                        assert!(
                            s.line >= 1 && s.line <= lines,
                            "parse_services({text:?}) skipped line {}, but the text has {lines} lines",
                            s.line
                        );
                    }
                }
            },
        );
    }

    #[test]
    fn every_entry_survives_being_written_with_random_blanks_and_comments() {
        within(
            "services",
            "parse_line of 3000 written entries",
            DEADLINE,
            || {
                let mut rng = Rng::new(42);
                let word = |rng: &mut Rng| {
                    let mut w = rng.string("abcdefghijklmnopqrstuvwxyz-0123456789", 10);
                    w.insert(0, 'x');
                    w
                };
                let blank = |rng: &mut Rng| {
                    rng.string(" \t", 3) + if rng.below(2) == 0 { " " } else { "\t" }
                };
                for _ in 0..3000 {
                    let protocol = ["tcp", "udp", "sctp", "ddp"][rng.below(4) as usize];
                    let aliases: Vec<String> = (0..rng.below(4)).map(|_| word(&mut rng)).collect();
                    let alias_refs: Vec<&str> = aliases.iter().map(String::as_str).collect();
                    let expected = entry(
                        &word(&mut rng),
                        1 + rng.below(65535) as u16,
                        protocol,
                        &alias_refs,
                    );
                    let mut line = rng.string(" \t", 2);
                    line += &format!(
                        "{}{}{}/{}",
                        expected.name,
                        blank(&mut rng),
                        expected.port,
                        protocol
                    );
                    for alias in &expected.aliases {
                        line += &format!("{}{alias}", blank(&mut rng));
                    }
                    if rng.below(2) == 0 {
                        line += &format!("{}# {}", rng.string(" \t", 2), word(&mut rng));
                    }
                    expect_eq(
                        format!("parse_line({line:?})"),
                        services::parse_line(&line),
                        Ok(Some(expected)),
                    );
                }
            },
        );
    }

    // ---------------------------------------------------------------------------------------------
    // LookupPort
    // ---------------------------------------------------------------------------------------------

    #[test]
    fn lookup_port_in_finds_telnet_on_23() {
        expect_eq(
            "lookup_port_in(fixture, \"tcp\", \"telnet\")",
            services::lookup_port_in(&fixture(), "tcp", "telnet"),
            Ok(23),
        );
    }

    #[test]
    fn lookup_port_in_keeps_tcp_and_udp_apart() {
        let table = fixture();
        expect_eq(
            "lookup_port_in(fixture, \"udp\", \"ntp\")",
            services::lookup_port_in(&table, "udp", "ntp"),
            Ok(123),
        );
        expect_eq(
            "lookup_port_in(fixture, \"tcp\", \"ntp\") (ntp is udp only)",
            services::lookup_port_in(&table, "tcp", "ntp"),
            Err(PortError::UnknownPort {
                network: "tcp".into(),
                service: "ntp".into(),
            }),
        );
    }

    #[test]
    fn lookup_port_in_behaves_like_go() {
        let table = fixture();
        let cases = [
            ("tcp", "telnet"),
            ("tcp", "TELNET"),
            ("tcp", "www"),
            ("tcp", "WWW-HTTP"),
            ("tcp", "http"),
            ("tcp4", "ssh"),
            ("tcp6", "ssh"),
            ("udp", "domain"),
            ("udp6", "domain"),
            ("udp", "kerberos5"),
            ("tcp", "mail"),
            ("tcp", "indented"),
            ("tcp", "spaced-alias"),
            ("tcp", "mixedcase"),
            ("tcp", "mixed-alias"),
            ("tcp", "trailing"),
            ("", "ntp"),
            ("", "http"),
            ("tcp", "gopher"),
            ("tcp", "submissions"),
            ("udp", "http"),
            ("udp", "quake"),
            ("tcp", "toobig"),
            ("tcp", "sctpsvc"),
            ("tcp", "80"),
            ("tcp", "+80"),
            ("tcp", "0"),
            ("tcp", ""),
            ("tcp", "65535"),
            ("tcp", "65536"),
            ("tcp", "-1"),
            ("tcp", "-0"),
            ("tcp", "99999999999999999999"),
            ("tcp", "-http"),
            ("tcp", "--80"),
            ("sctp", "80"),
            ("sctp", "http"),
            ("ip", "http"),
            ("TCP", "http"),
        ];
        let mut table_out = Table::new();
        for (network, service) in cases {
            table_out.row(
                format!("lookup_port_in(fixture, {network:?}, {service:?})"),
                || services::lookup_port_in(&table, network, service),
            );
        }
        assert_snapshot!(table_out);
    }

    #[test]
    fn the_first_of_two_lines_for_a_name_wins() {
        expect_eq(
            "lookup_port_in(fixture, \"tcp\", \"http\") (80 first, 8000 later)",
            services::lookup_port_in(&fixture(), "tcp", "http"),
            Ok(80),
        );
    }

    #[test]
    fn go_s_built_in_table_answers_what_the_file_does_not() {
        expect_eq(
            "lookup_port_in(fixture without gopher, \"tcp\", \"gopher\")",
            services::lookup_port_in(&fixture(), "tcp", "gopher"),
            Ok(70),
        );
        let empty = services::parse_services("");
        expect_eq(
            "lookup_port_in(empty, \"tcp\", \"https\")",
            services::lookup_port_in(&empty, "tcp", "https"),
            Ok(443),
        );
        expect_eq(
            "lookup_port_in(empty, \"udp\", \"domain\")",
            services::lookup_port_in(&empty, "udp", "domain"),
            Ok(53),
        );
        expect_eq(
            "lookup_port_in(empty, \"tcp\", \"echo\") (not built in)",
            services::lookup_port_in(&empty, "tcp", "echo"),
            Err(PortError::UnknownPort {
                network: "tcp".into(),
                service: "echo".into(),
            }),
        );
    }

    #[test]
    fn the_file_wins_over_go_s_built_in_table_and_tcp_comes_before_udp() {
        let table = services::parse_services("https 8443/tcp\nsplit 1000/tcp\nsplit 2000/udp\n");
        expect_eq(
            "lookup_port_in(\"https 8443/tcp\", \"tcp\", \"https\") (the file first, then Go's table)",
            services::lookup_port_in(&table, "tcp", "https"),
            Ok(8443),
        );
        expect_eq(
            "lookup_port_in(split on 1000/tcp and 2000/udp, \"\", \"split\") (no network: tcp, then udp)",
            services::lookup_port_in(&table, "", "split"),
            Ok(1000),
        );
    }

    #[test]
    fn errors_read_like_go() {
        let table = fixture();
        let mut out = Table::new();
        for (network, service) in [
            ("tcp", "nosuch"),
            ("", "nosuch"),
            ("tcp6", "nosuch"),
            ("tcp", "70000"),
            ("unix", "http"),
        ] {
            out.row(
                format!("lookup_port_in(fixture, {network:?}, {service:?})"),
                || services::lookup_port_in(&table, network, service).map_err(|e| e.to_string()),
            );
        }
        assert_snapshot!(out);
    }

    #[test]
    fn lookup_port_with_reads_the_file_it_is_given() {
        let path = fixture_path();
        expect_eq(
            format!("lookup_port_with({FIXTURE:?}, \"tcp\", \"http-alt\")"),
            services::lookup_port_with(&path, "tcp", "http-alt"),
            Ok(8080),
        );
        expect_eq(
            format!("lookup_port_with({FIXTURE:?}, \"tcp\", \"webcache\")"),
            services::lookup_port_with(&path, "tcp", "webcache"),
            Ok(8080),
        );
    }

    #[test]
    fn a_missing_services_file_leaves_the_built_in_table() {
        let missing =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/no-such-services-file");
        expect_eq(
            "lookup_port_with(a missing file, \"tcp\", \"ssh\")",
            services::lookup_port_with(&missing, "tcp", "ssh"),
            Ok(22),
        );
        expect_eq(
            "lookup_port_with(a missing file, \"tcp\", \"http-alt\")",
            services::lookup_port_with(&missing, "tcp", "http-alt"),
            Err(PortError::UnknownPort {
                network: "tcp".into(),
                service: "http-alt".into(),
            }),
        );
    }

    #[test]
    fn lookup_port_on_this_machine_finds_ssh() {
        // The one test that reads /etc/services: Go's built-in table has ssh on 22, so the answer
        // is the same with or without the file (unless the file says otherwise, which no system does).
        expect_eq(
            "lookup_port(\"tcp\", \"ssh\")",
            services::lookup_port("tcp", "ssh"),
            Ok(22),
        );
    }

    // ---------------------------------------------------------------------------------------------
    // The program
    // ---------------------------------------------------------------------------------------------

    fn transcript(argv: &[&str]) -> String {
        run_program("services", argv, services::run).to_string()
    }

    #[test]
    fn program_prints_the_port_of_a_service() {
        assert_snapshot!(transcript(&[
            "services", "tcp", "telnet", "--file", FIXTURE
        ]));
    }

    #[test]
    fn program_reports_an_unknown_service() {
        assert_snapshot!(transcript(&["services", "udp", "quake", "--file", FIXTURE]));
    }

    #[test]
    fn program_reports_an_unknown_network() {
        assert_snapshot!(transcript(&["services", "ip4", "http", "--file", FIXTURE]));
    }

    #[test]
    fn program_falls_back_to_go_s_table_without_a_file() {
        assert_snapshot!(transcript(&[
            "services",
            "tcp",
            "https",
            "--file",
            "tests/fixtures/no-such-services-file"
        ]));
    }
}
