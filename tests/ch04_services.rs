//! Grading tests for chapter 4, services and ports: one module per step, in course order.
//! `cargo test --test ch04_services` runs them against `exercises/ch04_services/`, and with
//! `--features solutions` against `solutions/ch04_services/`.
//!
//! Every lookup reads `tests/fixtures/services`, never the machine's /etc/services, except one
//! sanity check whose answer Go's built-in table guarantees on any machine.

// BEGIN STEPS
// The steps under test: `exercises/ch04_services/`, or `solutions/ch04_services/` with `--features solutions`.
// Generated from the catalog by `cargo dev update`. A step's `main` and the helpers its tests do
// not call are unused here, hence `allow(dead_code)`.
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch04_services/1_parse_services.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ch04_services/1_parse_services.rs"
)]
#[allow(dead_code)]
pub mod step1_parse_services;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch04_services/2_lookup_port.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ch04_services/2_lookup_port.rs"
)]
#[allow(dead_code)]
pub mod step2_lookup_port;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch04_services/3_services.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ch04_services/3_services.rs"
)]
#[allow(dead_code)]
pub mod step3_services;
mod steps {
    pub use super::step1_parse_services as parse_services;
    pub use super::step2_lookup_port as lookup_port;
    pub use super::step3_services as services;
}
// END STEPS

use std::path::{Path, PathBuf};

/// The fixture, relative to the package root (where `cargo test` runs).
const FIXTURE: &str = "tests/fixtures/services";

fn fixture_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE)
}

fn fixture_text() -> String {
    std::fs::read_to_string(fixture_path()).expect("the fixture file is part of the repository")
}

mod parse_services {
    use insta::assert_snapshot;
    use netlings::harness::{DEADLINE, Rng, Table, expect_eq, within};
    use netlings::support::ports::{ServiceEntry, SkippedLine};

    use crate::steps::parse_services::{parse_line, parse_services};

    pub fn entry(name: &str, port: u16, protocol: &str, aliases: &[&str]) -> ServiceEntry {
        ServiceEntry {
            name: name.to_string(),
            port,
            protocol: protocol.to_string(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
        }
    }

    #[test]
    fn parse_line_reads_name_port_protocol_and_aliases() {
        expect_eq(
            "parse_line(\"http\\t80/tcp\\twww www-http\\t# WorldWideWeb HTTP\")",
            parse_line("http\t80/tcp\twww www-http\t# WorldWideWeb HTTP"),
            Ok(Some(entry("http", 80, "tcp", &["www", "www-http"]))),
        );
    }

    #[test]
    fn parse_line_skips_blank_and_comment_lines() {
        for line in ["", "   ", "\t", "# a comment", "   # indented comment"] {
            expect_eq(format!("parse_line({line:?})"), parse_line(line), Ok(None));
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
            table.row(format!("parse_line({line:?})"), || parse_line(line));
        }
        assert_snapshot!(table);
    }

    #[test]
    fn parse_services_numbers_the_lines_it_skips_from_one() {
        let parsed = parse_services("http 80/tcp\nlonely\n\nntp 123/udp\n");
        expect_eq(
            "parse_services(\"http 80/tcp\\nlonely\\n\\nntp 123/udp\\n\").entries",
            parsed.entries,
            vec![entry("http", 80, "tcp", &[]), entry("ntp", 123, "udp", &[])],
        );
        expect_eq(
            "parse_services(\"http 80/tcp\\nlonely\\n\\nntp 123/udp\\n\").skipped",
            parsed.skipped,
            vec![SkippedLine {
                line: 2,
                reason: "a name but no port/protocol",
            }],
        );
    }

    #[test]
    fn parse_services_keeps_every_good_line_and_notes_every_bad_one() {
        let parsed = parse_services(&crate::fixture_text());
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
            "parse-services",
            "parse_services of 3000 random files",
            DEADLINE,
            || {
                let mut rng = Rng::new(41);
                for _ in 0..3000 {
                    let text = rng.string("ab09/#\t \n\r+-tcpud\u{e9}", 120);
                    let parsed = parse_services(&text);
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
            "parse-services",
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
                        parse_line(&line),
                        Ok(Some(expected)),
                    );
                }
            },
        );
    }
}

mod lookup_port {
    use insta::assert_snapshot;
    use netlings::given::services::parse_services::parse_services;
    use netlings::harness::{Table, expect_eq};
    use netlings::support::ports::{PortError, Services};

    use crate::steps::lookup_port::{lookup_port_in, parse_port};

    fn fixture() -> Services {
        parse_services(&crate::fixture_text())
    }

    #[test]
    fn parse_port_reads_a_number() {
        expect_eq("parse_port(\"80\")", parse_port("80"), Ok(Some(80)));
    }

    #[test]
    fn parse_port_tells_numbers_from_names_like_go() {
        let mut table = Table::new();
        for service in [
            "80",
            "0",
            "",
            "+80",
            "-0",
            "-1",
            "+",
            "-",
            "65535",
            "65536",
            "0065535",
            "99999999999999999999",
            "http",
            "8o",
            "-http",
            "--80",
            "+-80",
            " 80",
            "٣",
        ] {
            table.row(format!("parse_port({service:?})"), || parse_port(service));
        }
        assert_snapshot!(table);
    }

    #[test]
    fn parse_port_reads_every_port_number_with_or_without_a_plus() {
        for port in 0..=u16::MAX {
            for text in [port.to_string(), format!("+{port}")] {
                expect_eq(
                    format!("parse_port({text:?})"),
                    parse_port(&text),
                    Ok(Some(port)),
                );
            }
        }
    }

    #[test]
    fn lookup_port_in_finds_telnet_on_23() {
        expect_eq(
            "lookup_port_in(fixture, \"tcp\", \"telnet\")",
            lookup_port_in(&fixture(), "tcp", "telnet"),
            Ok(23),
        );
    }

    #[test]
    fn lookup_port_in_keeps_tcp_and_udp_apart() {
        let table = fixture();
        expect_eq(
            "lookup_port_in(fixture, \"udp\", \"ntp\")",
            lookup_port_in(&table, "udp", "ntp"),
            Ok(123),
        );
        expect_eq(
            "lookup_port_in(fixture, \"tcp\", \"ntp\") (ntp is udp only)",
            lookup_port_in(&table, "tcp", "ntp"),
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
                || lookup_port_in(&table, network, service),
            );
        }
        assert_snapshot!(table_out);
    }

    #[test]
    fn the_first_of_two_lines_for_a_name_wins() {
        expect_eq(
            "lookup_port_in(fixture, \"tcp\", \"http\") (80 first, 8000 later)",
            lookup_port_in(&fixture(), "tcp", "http"),
            Ok(80),
        );
    }

    #[test]
    fn go_s_built_in_table_answers_what_the_file_does_not() {
        expect_eq(
            "lookup_port_in(fixture without gopher, \"tcp\", \"gopher\")",
            lookup_port_in(&fixture(), "tcp", "gopher"),
            Ok(70),
        );
        let empty = Services::default();
        expect_eq(
            "lookup_port_in(empty, \"tcp\", \"https\")",
            lookup_port_in(&empty, "tcp", "https"),
            Ok(443),
        );
        expect_eq(
            "lookup_port_in(empty, \"udp\", \"domain\")",
            lookup_port_in(&empty, "udp", "domain"),
            Ok(53),
        );
        expect_eq(
            "lookup_port_in(empty, \"tcp\", \"echo\") (not built in)",
            lookup_port_in(&empty, "tcp", "echo"),
            Err(PortError::UnknownPort {
                network: "tcp".into(),
                service: "echo".into(),
            }),
        );
    }

    #[test]
    fn the_file_wins_over_go_s_built_in_table_and_tcp_comes_before_udp() {
        let table = parse_services("https 8443/tcp\nsplit 1000/tcp\nsplit 2000/udp\n");
        expect_eq(
            "lookup_port_in(\"https 8443/tcp\", \"tcp\", \"https\") (the file first, then Go's table)",
            lookup_port_in(&table, "tcp", "https"),
            Ok(8443),
        );
        expect_eq(
            "lookup_port_in(split on 1000/tcp and 2000/udp, \"\", \"split\") (no network: tcp, then udp)",
            lookup_port_in(&table, "", "split"),
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
                || lookup_port_in(&table, network, service).map_err(|e| e.to_string()),
            );
        }
        assert_snapshot!(out);
    }
}

mod services {
    use std::ffi::CString;
    use std::io;
    use std::path::{Path, PathBuf};
    use std::time::Duration;

    use insta::assert_snapshot;
    use netlings::given::services::parse_services::parse_services;
    use netlings::harness::{expect_eq, run_program, within};
    use netlings::support::ports::PortError;
    use netlings::support::services::MAX_SERVICES_FILE;
    use netlings::support::tempdir::TempDir;

    use crate::steps::services::{lookup_port, lookup_port_with, read_services, run};
    use crate::{FIXTURE, fixture_path};

    fn missing() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/no-such-services-file")
    }

    #[test]
    fn read_services_parses_the_file_it_is_given() {
        expect_eq(
            format!("read_services({FIXTURE:?})"),
            read_services(&fixture_path()).ok(),
            Some(parse_services(&crate::fixture_text())),
        );
    }

    #[test]
    fn read_services_of_a_missing_file_is_an_error_that_says_so() {
        expect_eq(
            "read_services(a missing file): the error's kind",
            read_services(&missing()).map_err(|e| e.kind()),
            Err(io::ErrorKind::NotFound),
        );
    }

    /// What `read_services` said about `path`, waiting at most a few seconds: a FIFO that
    /// blocks the open, or a device read to the end, fails by timing out.
    fn refusal(path: PathBuf) -> Result<usize, String> {
        let shown = path.display().to_string();
        within(
            "services",
            &format!("read_services({shown:?}) to refuse it"),
            Duration::from_secs(5),
            move || {
                read_services(&path)
                    .map(|s| s.entries.len())
                    .map_err(|e| e.to_string())
            },
        )
    }

    #[test]
    fn read_services_refuses_a_fifo_a_directory_and_a_device_without_blocking() {
        let dir = TempDir::new("services").expect("a temporary directory");
        let fifo = dir.join("fifo");
        let c_path = CString::new(fifo.as_os_str().as_encoded_bytes()).expect("no NUL");
        // SAFETY: mkfifo with a NUL-terminated path we own.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0, "mkfifo");
        for (path, why) in [
            (fifo, "a FIFO (a named pipe), not a regular file"),
            (dir.path().to_path_buf(), "a directory, not a regular file"),
            (
                PathBuf::from("/dev/zero"),
                "a character device, not a regular file",
            ),
        ] {
            let shown = format!("read_services({:?})", path.display().to_string());
            expect_eq(shown, refusal(path), Err(why.to_string()));
        }
    }

    #[test]
    fn read_services_stops_at_its_size_limit() {
        let dir = TempDir::new("services").expect("a temporary directory");
        let path = dir.join("huge");
        let line = b"http 80/tcp\n";
        let lines = MAX_SERVICES_FILE as usize / line.len() + 1;
        std::fs::write(&path, line.repeat(lines)).expect("writable");
        expect_eq(
            format!("read_services(a file of {} bytes)", lines * line.len()),
            refusal(path),
            Err(format!("larger than {MAX_SERVICES_FILE} bytes")),
        );
    }

    #[test]
    fn read_services_keeps_a_file_with_a_byte_that_is_not_utf8() {
        let dir = TempDir::new("services").expect("a temporary directory");
        let path = dir.join("services");
        // "café" in Latin-1: 0xe9 alone is not UTF-8.
        std::fs::write(&path, b"http 80/tcp # caf\xe9\nntp 123/udp\n").expect("writable");
        let parsed = read_services(&path).expect("a readable file");
        let names: Vec<&str> = parsed.entries.iter().map(|e| e.name.as_str()).collect();
        expect_eq(
            "read_services(\"http 80/tcp # caf\\xe9\\nntp 123/udp\\n\"): the names",
            names,
            vec!["http", "ntp"],
        );
    }

    #[test]
    fn lookup_port_with_reads_the_file_it_is_given() {
        let path = fixture_path();
        expect_eq(
            format!("lookup_port_with({FIXTURE:?}, \"tcp\", \"http-alt\")"),
            lookup_port_with(&path, "tcp", "http-alt"),
            Ok(8080),
        );
        expect_eq(
            format!("lookup_port_with({FIXTURE:?}, \"tcp\", \"webcache\")"),
            lookup_port_with(&path, "tcp", "webcache"),
            Ok(8080),
        );
    }

    #[test]
    fn a_missing_services_file_leaves_the_built_in_table() {
        expect_eq(
            "lookup_port_with(a missing file, \"tcp\", \"ssh\")",
            lookup_port_with(&missing(), "tcp", "ssh"),
            Ok(22),
        );
        expect_eq(
            "lookup_port_with(a missing file, \"tcp\", \"http-alt\")",
            lookup_port_with(&missing(), "tcp", "http-alt"),
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
            lookup_port("tcp", "ssh"),
            Ok(22),
        );
    }

    fn transcript(argv: &[&str]) -> String {
        run_program("services", argv, run).to_string()
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

    #[test]
    fn program_says_why_a_file_that_never_ends_was_not_used() {
        assert_snapshot!(transcript(&[
            "services",
            "tcp",
            "https",
            "--file",
            "/dev/zero"
        ]));
    }
}
