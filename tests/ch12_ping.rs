//! Grading tests for chapter 12, raw sockets and ICMP ping: one module per step, in course
//! order. `cargo test --test ch12_ping` runs them against `exercises/ch12_ping/`, and with
//! `--features solutions` against `solutions/ch12_ping/`.
//!
//! Most tests are byte vectors: the checksum, the packets we build and the replies we parse
//! need no socket at all. The live tests ping only 127.0.0.1 and ::1, and only when this
//! process may open an ICMP socket; otherwise they print why they were skipped.

// BEGIN STEPS
// The steps under test: `exercises/ch12_ping/`, or `solutions/ch12_ping/` with `--features solutions`.
// Generated from the catalog by `cargo dev update`. A step's `main` and the helpers its tests do
// not call are unused here, hence `allow(dead_code)`.
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch12_ping/1_checksum.rs"
)]
#[cfg_attr(feature = "solutions", path = "../solutions/ch12_ping/1_checksum.rs")]
#[allow(dead_code)]
pub mod step1_checksum;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch12_ping/2_echo_message.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ch12_ping/2_echo_message.rs"
)]
#[allow(dead_code)]
pub mod step2_echo_message;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch12_ping/3_match_reply.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ch12_ping/3_match_reply.rs"
)]
#[allow(dead_code)]
pub mod step3_match_reply;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch12_ping/4_choose_socket.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ch12_ping/4_choose_socket.rs"
)]
#[allow(dead_code)]
pub mod step4_choose_socket;
#[cfg_attr(not(feature = "solutions"), path = "../exercises/ch12_ping/5_ping.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/ch12_ping/5_ping.rs")]
#[allow(dead_code)]
pub mod step5_ping;
mod steps {
    pub use super::step1_checksum as checksum;
    pub use super::step2_echo_message as echo_message;
    pub use super::step3_match_reply as match_reply;
    pub use super::step4_choose_socket as choose_socket;
    pub use super::step5_ping as ping;
}
// END STEPS
/// What the steps' tests share: an independent checksum and hand-made datagrams, so that no test
/// trusts the code under test to build what it is tested against.
mod common {
    use std::fmt;

    use netlings::support::icmp::{Family, Matcher, SocketKind};

    /// The ones' complement sum of `data` as 16-bit big-endian words, computed the slow obvious
    /// way.
    pub fn ones_complement_sum(data: &[u8]) -> u16 {
        let mut sum: u64 = 0;
        for (i, byte) in data.iter().enumerate() {
            sum += if i % 2 == 0 {
                u64::from(*byte) << 8
            } else {
                u64::from(*byte)
            };
        }
        while sum > 0xFFFF {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        sum as u16
    }

    /// An ICMP message with a correct IPv4 checksum: type, code, identifier, sequence, data.
    pub fn icmp(msg_type: u8, code: u8, ident: u16, seq: u16, data: &[u8]) -> Vec<u8> {
        let mut bytes = vec![msg_type, code, 0, 0];
        bytes.extend_from_slice(&ident.to_be_bytes());
        bytes.extend_from_slice(&seq.to_be_bytes());
        bytes.extend_from_slice(data);
        let sum = !ones_complement_sum(&bytes);
        bytes[2..4].copy_from_slice(&sum.to_be_bytes());
        bytes
    }

    /// An IPv4 header of `words` 32-bit words (5 = no options) in front of `payload`, as a raw
    /// socket delivers it: 127.0.0.1 to 127.0.0.1, the given TTL and protocol.
    pub fn ipv4(words: u8, ttl: u8, protocol: u8, payload: &[u8]) -> Vec<u8> {
        let header_len = usize::from(words) * 4;
        let total = (header_len + payload.len()) as u16;
        let mut h = vec![0x40 | words, 0];
        h.extend_from_slice(&total.to_be_bytes());
        h.extend_from_slice(&[0x12, 0x34, 0x40, 0x00, ttl, protocol, 0, 0]);
        h.extend_from_slice(&[127, 0, 0, 1, 127, 0, 0, 1]);
        h.resize(header_len, 1); // options: NOP (1) bytes
        let sum = !ones_complement_sum(&h);
        h[10..12].copy_from_slice(&sum.to_be_bytes());
        h.extend_from_slice(payload);
        h
    }

    /// Bytes as `08 00 f7 cd ...`, 16 to a line.
    pub fn hex(bytes: &[u8]) -> String {
        bytes
            .chunks(16)
            .map(|line| {
                line.iter()
                    .map(|b| format!("{b:02x}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect::<Vec<_>>()
            .join("\n    ")
    }

    /// A checksum that failure messages show in hex (`0xf7cd`), as the book writes them.
    #[derive(Clone, Copy, PartialEq, Eq)]
    pub struct Hex(pub u16);

    impl fmt::Debug for Hex {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "{:#06x}", self.0)
        }
    }

    pub const RAW_V4: Matcher = Matcher {
        family: Family::V4,
        kind: SocketKind::Raw,
        ident: 13,
    };
    pub const DGRAM_V4: Matcher = Matcher {
        family: Family::V4,
        kind: SocketKind::Datagram,
        ident: 56076,
    };
    pub const RAW_V6: Matcher = Matcher {
        family: Family::V6,
        kind: SocketKind::Raw,
        ident: 13,
    };
    pub const DGRAM_V6: Matcher = Matcher {
        family: Family::V6,
        kind: SocketKind::Datagram,
        ident: 56076,
    };

    /// The Go book's request: echo (8), code 0, checksum to fill, identifier 13, sequence 37.
    pub const GO_BOOK_REQUEST: [u8; 8] = [0x08, 0x00, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x25];
}

mod checksum {
    use netlings::harness::{Rng, expect_eq};
    use netlings::support::icmp::Packet;

    use crate::common::{GO_BOOK_REQUEST, Hex, hex, icmp, ones_complement_sum};
    use crate::steps::checksum as ping;

    #[test]
    fn checksum_of_the_go_books_echo_request_is_0xf7cd() {
        // 0x0800 + 0x0000 + 0x000d + 0x0025 = 0x0832, complement 0xF7CD: the book prints
        // "8 0 247 205 0 13 0 37". (Its first edition's loop gives 0xF2FF and no host answers.)
        expect_eq(
            "checksum(08 00 00 00 00 0d 00 25)",
            Hex(ping::checksum(&GO_BOOK_REQUEST)),
            Hex(0xF7CD),
        );
    }

    #[test]
    fn checksum_of_the_rfc_1071_example_is_0x220d() {
        // RFC 1071 section 3: the words add up to 0xDDF2, whose complement is 0x220D.
        let data = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
        expect_eq(
            "checksum(00 01 f2 03 f4 f5 f6 f7)",
            Hex(ping::checksum(&data)),
            Hex(0x220D),
        );
    }

    #[test]
    fn checksum_of_the_go_books_echo_reply_is_0xffcd() {
        // The reply only changes the type from 8 to 0: 0x0800 less in the sum, 0x0800 more in the
        // complement. The book prints "0 0 255 205 0 13 0 37".
        let reply = [0x00, 0x00, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x25];
        expect_eq(
            "checksum(00 00 00 00 00 0d 00 25)",
            Hex(ping::checksum(&reply)),
            Hex(0xFFCD),
        );
    }

    #[test]
    fn checksum_of_nothing_is_0xffff() {
        expect_eq("checksum([])", Hex(ping::checksum(&[])), Hex(0xFFFF));
    }

    #[test]
    fn checksum_pads_an_odd_last_byte_with_a_zero_on_the_right() {
        // `ff` counts as the word 0xff00, not 0x00ff: the complement is 0x00FF.
        expect_eq("checksum(ff)", Hex(ping::checksum(&[0xff])), Hex(0x00FF));
        expect_eq(
            "checksum(00 01 f2)",
            Hex(ping::checksum(&[0x00, 0x01, 0xf2])),
            Hex(!0xf201),
        );
    }

    #[test]
    fn checksum_folds_the_carries_back_in() {
        // 0xffff + 0x0001 = 0x10000: folding gives 0x0001, complement 0xFFFE. A sum that drops the
        // carry instead gets 0x0000 and complements it to 0xFFFF.
        expect_eq(
            "checksum(ff ff 00 01)",
            Hex(ping::checksum(&[0xff, 0xff, 0x00, 0x01])),
            Hex(0xFFFE),
        );
    }

    #[test]
    fn checksum_agrees_with_a_plain_sum_on_random_messages() {
        let mut rng = Rng::new(12);
        for _ in 0..2000 {
            let len = rng.below(200) as usize;
            let data: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
            expect_eq(
                format!("checksum({})", hex(&data)),
                Hex(ping::checksum(&data)),
                Hex(!ones_complement_sum(&data)),
            );
        }
    }

    #[test]
    fn a_message_with_its_checksum_inside_sums_to_0xffff() {
        let mut rng = Rng::new(1071);
        for _ in 0..2000 {
            let len = 4 + rng.below(120) as usize;
            let mut msg: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
            msg[2..4].fill(0);
            let sum = ping::checksum(&msg);
            msg[2..4].copy_from_slice(&sum.to_be_bytes());
            expect_eq(
                format!(
                    "the ones' complement sum of {} (checksum {sum:#06x} inside)",
                    hex(&msg)
                ),
                Hex(ones_complement_sum(&msg)),
                Hex(0xFFFF),
            );
            expect_eq(
                format!("checksum({})", hex(&msg)),
                Hex(ping::checksum(&msg)),
                Hex(0),
            );
        }
    }

    #[test]
    fn verify_checksum_accepts_the_go_books_reply() {
        let reply = [0x00, 0x00, 0xff, 0xcd, 0x00, 0x0d, 0x00, 0x25];
        expect_eq(
            "verify_checksum(00 00 ff cd 00 0d 00 25)",
            ping::verify_checksum(&Packet::new_unchecked(&reply[..])),
            true,
        );
    }

    #[test]
    fn verify_checksum_rejects_a_message_that_does_not_add_up() {
        // The Go book's reply checksum, but two bytes of data after it that it does not cover.
        let bytes = [0x00, 0x00, 0xff, 0xcd, 0x00, 0x0d, 0x00, 0x25, b'h', b'i'];
        expect_eq(
            "verify_checksum(00 00 ff cd 00 0d 00 25 68 69)",
            ping::verify_checksum(&Packet::new_unchecked(&bytes[..])),
            false,
        );
        let good = icmp(0, 0, 13, 37, b"hi");
        expect_eq(
            format!("verify_checksum({}) of a correct reply", hex(&good)),
            ping::verify_checksum(&Packet::new_unchecked(&good[..])),
            true,
        );
        let mut rng = Rng::new(71);
        for _ in 0..500 {
            let mut damaged = good.clone();
            let at = rng.below(damaged.len() as u64) as usize;
            damaged[at] ^= 1 + rng.below(255) as u8;
            expect_eq(
                format!("verify_checksum({}), byte {at} changed", hex(&damaged)),
                ping::verify_checksum(&Packet::new_unchecked(&damaged[..])),
                false,
            );
        }
    }

    #[test]
    fn fill_checksum_writes_the_go_books_checksum() {
        let mut packet = Packet::new_unchecked(GO_BOOK_REQUEST.to_vec());
        packet.set_checksum(0xdead); // whatever is there must not count
        ping::fill_checksum(&mut packet);
        expect_eq(
            "fill_checksum() on 08 00 de ad 00 0d 00 25",
            Hex(packet.checksum()),
            Hex(0xF7CD),
        );
    }

    #[test]
    fn fill_checksum_makes_any_message_add_up_and_changes_nothing_else() {
        let mut rng = Rng::new(1624);
        for _ in 0..500 {
            let len = 8 + rng.below(100) as usize;
            let before: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
            let mut packet = Packet::new_unchecked(before.clone());
            ping::fill_checksum(&mut packet);
            let after = packet.into_inner();
            expect_eq(
                format!(
                    "the ones' complement sum after fill_checksum({})",
                    hex(&before)
                ),
                Hex(ones_complement_sum(&after)),
                Hex(0xFFFF),
            );
            expect_eq(
                format!(
                    "the bytes other than the checksum after fill_checksum({})",
                    hex(&before)
                ),
                (hex(&after[..2]), hex(&after[4..])),
                (hex(&before[..2]), hex(&before[4..])),
            );
        }
    }
}

mod echo_message {
    use insta::assert_snapshot;
    use netlings::harness::{Rng, Table, expect_eq};
    use netlings::support::icmp::{Family, Packet, ReplyError};

    use crate::common::{hex, icmp};
    use crate::steps::echo_message as ping;
    use ping::{EchoKind, EchoRepr};

    #[test]
    fn build_echo_request_reproduces_the_go_books_message() {
        expect_eq(
            "build_echo_request(V4, ident 13, seq 37, no data)",
            hex(&ping::build_echo_request(Family::V4, 13, 37, &[])),
            "08 00 f7 cd 00 0d 00 25".to_string(),
        );
    }

    #[test]
    fn an_echo_request_is_type_8_for_ipv4_and_128_for_ipv6() {
        expect_eq(
            "build_echo_request(V4, ..)[0]",
            ping::build_echo_request(Family::V4, 1, 1, b"x")[0],
            8,
        );
        expect_eq(
            "build_echo_request(V6, ..)[0]",
            ping::build_echo_request(Family::V6, 1, 1, b"x")[0],
            128,
        );
    }

    #[test]
    fn built_packets() {
        let data56: Vec<u8> = (0..56).collect();
        let cases: [(&str, Family, u16, u16, &[u8]); 5] = [
            ("the Go book's message", Family::V4, 13, 37, &[]),
            ("ping(8)'s 56 bytes of data", Family::V4, 0x1234, 1, &data56),
            (
                "odd-length data \"abc\"",
                Family::V4,
                0xbeef,
                0xffff,
                b"abc",
            ),
            (
                "ICMPv6: type 128, checksum left to the kernel",
                Family::V6,
                13,
                37,
                &[],
            ),
            ("ICMPv6 with data", Family::V6, 0x1234, 2, b"ping"),
        ];
        let mut text = String::new();
        for (what, family, ident, seq, data) in cases {
            let bytes = ping::build_echo_request(family, ident, seq, data);
            text.push_str(&format!(
                "# {what}\nbuild_echo_request({family:?}, {ident:#06x}, {seq}, {} bytes) =>\n    {}\n\n",
                data.len(),
                hex(&bytes)
            ));
        }
        assert_snapshot!(text);
    }

    #[test]
    fn every_built_ipv4_request_carries_a_valid_checksum() {
        let mut rng = Rng::new(8);
        for _ in 0..500 {
            let data: Vec<u8> = (0..rng.below(100)).map(|_| rng.next_u64() as u8).collect();
            let (ident, seq) = (rng.next_u64() as u16, rng.next_u64() as u16);
            let bytes = ping::build_echo_request(Family::V4, ident, seq, &data);
            expect_eq(
                format!(
                    "the checksum of build_echo_request(V4, {ident}, {seq}, {} bytes) = {}",
                    data.len(),
                    hex(&bytes)
                ),
                hex(&bytes),
                hex(&icmp(8, 0, ident, seq, &data)),
            );
        }
    }

    #[test]
    fn emit_writes_every_field_over_whatever_the_buffer_held() {
        // A buffer full of 0xff: emit must set the code to 0 and not count the old checksum.
        let repr = EchoRepr {
            kind: EchoKind::Reply,
            ident: 13,
            seq: 37,
            data: b"hi",
        };
        let mut packet = Packet::new_unchecked(vec![0xff; repr.buffer_len()]);
        repr.emit(&mut packet, Family::V4);
        expect_eq(
            format!("emit({repr:?}, V4) into ff ff ff ff ff ff ff ff ff ff"),
            hex(&packet.into_inner()),
            hex(&icmp(0, 0, 13, 37, b"hi")),
        );
        let mut packet = Packet::new_unchecked(vec![0xff; repr.buffer_len()]);
        repr.emit(&mut packet, Family::V6);
        expect_eq(
            format!("emit({repr:?}, V6) into ff ff ff ff ff ff ff ff ff ff"),
            hex(&packet.into_inner()),
            "81 00 00 00 00 0d 00 25 68 69".to_string(),
        );
    }

    #[test]
    fn parse_reads_the_go_books_reply() {
        let bytes = [0x00, 0x00, 0xff, 0xcd, 0x00, 0x0d, 0x00, 0x25];
        expect_eq(
            "EchoRepr::parse(00 00 ff cd 00 0d 00 25, V4)",
            EchoRepr::parse(Packet::new_unchecked(&bytes[..]), Family::V4),
            Ok(EchoRepr {
                kind: EchoKind::Reply,
                ident: 13,
                seq: 37,
                data: &[],
            }),
        );
    }

    #[test]
    fn parse_rejects_a_wrong_checksum_and_says_what_it_should_be() {
        let mut bytes = icmp(0, 0, 13, 37, &[]);
        bytes[3] ^= 0x01; // 0xffcd becomes 0xffcc
        expect_eq(
            "EchoRepr::parse(00 00 ff cc 00 0d 00 25, V4)",
            EchoRepr::parse(Packet::new_unchecked(&bytes[..]), Family::V4),
            Err(ReplyError::BadChecksum {
                found: 0xffcc,
                expected: 0xffcd,
            }),
        );
    }

    #[test]
    fn parse_verdicts() {
        let mut bad_sum = icmp(0, 0, 13, 37, b"hi");
        bad_sum[2] = 0;
        let mut v6_reply = icmp(129, 0, 13, 37, b"six");
        v6_reply[2..4].copy_from_slice(&0x7f89u16.to_be_bytes()); // the kernel's, with addresses
        let cases: Vec<(&str, Family, Vec<u8>)> = vec![
            ("v4 echo request", Family::V4, icmp(8, 0, 13, 37, b"hi")),
            ("v4 echo reply", Family::V4, icmp(0, 0, 13, 37, b"hi")),
            ("v4 wrong checksum", Family::V4, bad_sum),
            ("v4 code 1", Family::V4, icmp(0, 1, 13, 37, &[])),
            (
                "v4 destination unreachable",
                Family::V4,
                icmp(3, 1, 0, 0, &[]),
            ),
            (
                "v4 type 129 (an ICMPv6 type)",
                Family::V4,
                icmp(129, 0, 13, 37, &[]),
            ),
            ("v6 echo request", Family::V6, icmp(128, 0, 13, 37, &[])),
            (
                "v6 echo reply, checksum not ours to check",
                Family::V6,
                v6_reply,
            ),
            ("v6 code 1", Family::V6, icmp(129, 1, 13, 37, &[])),
            (
                "v6 type 0 (an ICMP type)",
                Family::V6,
                icmp(0, 0, 13, 37, &[]),
            ),
            (
                "v6 neighbour solicitation",
                Family::V6,
                icmp(135, 0, 0, 0, &[0; 16]),
            ),
        ];
        let mut table = Table::new();
        for (what, family, bytes) in &cases {
            table.row(format!("parse({what})"), || {
                EchoRepr::parse(Packet::new_unchecked(&bytes[..]), *family).map(|e| {
                    (
                        e.kind,
                        e.ident,
                        e.seq,
                        String::from_utf8_lossy(e.data).into_owned(),
                    )
                })
            });
        }
        assert_snapshot!(table);
    }

    #[test]
    fn emit_then_parse_gives_back_the_same_echo() {
        let mut rng = Rng::new(792);
        for _ in 0..500 {
            let data: Vec<u8> = (0..rng.below(64)).map(|_| rng.next_u64() as u8).collect();
            let family = if rng.below(2) == 0 {
                Family::V4
            } else {
                Family::V6
            };
            let kind = if rng.below(2) == 0 {
                EchoKind::Request
            } else {
                EchoKind::Reply
            };
            let repr = EchoRepr {
                kind,
                ident: rng.next_u64() as u16,
                seq: rng.next_u64() as u16,
                data: &data,
            };
            let mut packet = Packet::new_unchecked(vec![0; repr.buffer_len()]);
            repr.emit(&mut packet, family);
            let bytes = packet.into_inner();
            expect_eq(
                format!(
                    "EchoRepr::parse(emit({repr:?}, {family:?}) = {})",
                    hex(&bytes)
                ),
                EchoRepr::parse(Packet::new_unchecked(&bytes[..]), family),
                Ok(repr),
            );
        }
    }
}

mod match_reply {
    use insta::assert_snapshot;
    use netlings::given::ping::echo_message::{EchoKind, EchoRepr, build_echo_request};
    use netlings::harness::{DEADLINE, Rng, Table, expect_eq, within};
    use netlings::support::icmp::{Family, Matcher, ReplyError};

    use crate::common::{DGRAM_V4, DGRAM_V6, GO_BOOK_REQUEST, RAW_V4, RAW_V6, hex, icmp, ipv4};
    use crate::steps::match_reply as ping;
    use ping::parse_reply;

    #[test]
    fn strip_ipv4_header_skips_20_bytes_and_reads_the_ttl() {
        let reply = icmp(0, 0, 13, 37, &[]);
        let datagram = ipv4(5, 64, 1, &reply);
        let stripped = ping::strip_ipv4_header(&datagram).expect("a valid IPv4 datagram");
        expect_eq("strip_ipv4_header(..).ttl", stripped.ttl, 64);
        expect_eq(
            "strip_ipv4_header(..).payload",
            hex(stripped.payload),
            hex(&reply),
        );
    }

    #[test]
    fn strip_ipv4_header_reads_the_header_length_instead_of_assuming_20() {
        // IHL = 6: 24 bytes of header, 4 of them options. A fixed 20 would start at the options.
        let reply = icmp(0, 0, 13, 37, b"data");
        let datagram = ipv4(6, 63, 1, &reply);
        let stripped =
            ping::strip_ipv4_header(&datagram).expect("a valid IPv4 datagram with options");
        expect_eq(
            "strip_ipv4_header(IHL 6).payload",
            hex(stripped.payload),
            hex(&reply),
        );
        expect_eq("strip_ipv4_header(IHL 6).ttl", stripped.ttl, 63);
    }

    #[test]
    fn strip_ipv4_header_rejects_what_is_not_an_ipv4_header() {
        let reply = icmp(0, 0, 13, 37, &[]);
        let mut v6 = ipv4(5, 64, 1, &reply);
        v6[0] = 0x65;
        let mut ihl4 = ipv4(5, 64, 1, &reply);
        ihl4[0] = 0x44;
        let mut ihl15 = ipv4(5, 64, 1, &reply);
        ihl15[0] = 0x4f;
        let cases: [(&str, Vec<u8>); 6] = [
            ("nothing", vec![]),
            ("version 6", v6),
            ("IHL 4 (16 bytes, below the minimum)", ihl4),
            ("IHL 15 (60 bytes) but 28 bytes long", ihl15),
            ("19 bytes", ipv4(5, 64, 1, &[])[..19].to_vec()),
            ("TCP (protocol 6)", ipv4(5, 64, 6, &reply)),
        ];
        let mut table = Table::new();
        for (what, bytes) in &cases {
            table.row(format!("strip_ipv4_header({what})"), || {
                ping::strip_ipv4_header(bytes).map(|p| p.ttl)
            });
        }
        assert_snapshot!(table);
    }

    #[test]
    fn parse_reply_accepts_the_reply_a_raw_socket_receives() {
        let datagram = ipv4(5, 64, 1, &icmp(0, 0, 13, 37, b"hello"));
        let reply = parse_reply(&RAW_V4, &datagram, 37).expect("the reply to ident 13, seq 37");
        expect_eq("parse_reply(RAW_V4, ..).ttl", reply.ttl, Some(64));
        expect_eq(
            "parse_reply(RAW_V4, ..).echo",
            reply.echo,
            EchoRepr {
                kind: EchoKind::Reply,
                ident: 13,
                seq: 37,
                data: b"hello",
            },
        );
    }

    #[test]
    fn parse_reply_skips_our_own_request_seen_on_loopback() {
        let own = ipv4(5, 64, 1, &build_echo_request(Family::V4, 13, 37, b"hello"));
        expect_eq(
            "parse_reply(RAW_V4, our own request)",
            parse_reply(&RAW_V4, &own, 37).err(),
            Some(ReplyError::EchoRequest),
        );
    }

    #[test]
    fn parse_reply_rejects_a_reply_to_someone_elses_identifier() {
        let other = ipv4(5, 64, 1, &icmp(0, 0, 14, 37, &[]));
        expect_eq(
            "parse_reply(RAW_V4 (ident 13), reply to ident 14)",
            parse_reply(&RAW_V4, &other, 37).err(),
            Some(ReplyError::OtherIdentifier { got: 14, want: 13 }),
        );
    }

    #[test]
    fn parse_reply_on_a_datagram_socket_expects_no_ip_header_and_the_kernels_identifier() {
        // The kernel replaced our identifier with the socket's "port" (56076 here) and delivers the
        // ICMP message alone.
        let message = icmp(0, 0, 56076, 1, b"abc");
        let reply = parse_reply(&DGRAM_V4, &message, 1).expect("a datagram socket's reply");
        expect_eq("parse_reply(DGRAM_V4, ..).ttl", reply.ttl, None);
        expect_eq(
            "parse_reply(DGRAM_V4, ..).echo.ident",
            reply.echo.ident,
            56076,
        );
        expect_eq(
            "parse_reply(DGRAM_V4, ..).echo.data",
            reply.echo.data,
            &b"abc"[..],
        );
    }

    #[test]
    fn parse_reply_for_icmpv6_accepts_type_129_without_checking_the_checksum() {
        // The kernel verified it: the ICMPv6 checksum covers the IPv6 addresses too.
        let mut message = icmp(129, 0, 13, 37, b"six");
        message[2..4].copy_from_slice(&0x7f89u16.to_be_bytes());
        let reply = parse_reply(&RAW_V6, &message, 37).expect("an ICMPv6 echo reply");
        expect_eq(
            "parse_reply(RAW_V6, ..).echo.kind",
            reply.echo.kind,
            EchoKind::Reply,
        );
        expect_eq("parse_reply(RAW_V6, ..).ttl", reply.ttl, None);
    }

    #[test]
    fn parse_reply_verdicts() {
        let go_reply = icmp(0, 0, 13, 37, &[]);
        let mut bad_sum = go_reply.clone();
        bad_sum[2] = 0;
        let unreachable = icmp(3, 1, 0, 0, &ipv4(5, 64, 1, &GO_BOOK_REQUEST));
        let cases: Vec<(&str, Matcher, Vec<u8>)> = vec![
            (
                "raw v4: the Go book's reply behind an IP header",
                RAW_V4,
                ipv4(5, 64, 1, &go_reply),
            ),
            (
                "raw v4: our own request",
                RAW_V4,
                ipv4(5, 64, 1, &icmp(8, 0, 13, 37, &[])),
            ),
            ("raw v4: wrong checksum", RAW_V4, ipv4(5, 64, 1, &bad_sum)),
            (
                "raw v4: reply to identifier 14",
                RAW_V4,
                ipv4(5, 64, 1, &icmp(0, 0, 14, 37, &[])),
            ),
            (
                "raw v4: reply to sequence 36",
                RAW_V4,
                ipv4(5, 64, 1, &icmp(0, 0, 13, 36, &[])),
            ),
            (
                "raw v4: destination unreachable",
                RAW_V4,
                ipv4(5, 64, 1, &unreachable),
            ),
            (
                "raw v4: echo reply with code 1",
                RAW_V4,
                ipv4(5, 64, 1, &icmp(0, 1, 13, 37, &[])),
            ),
            (
                "raw v4: 5 bytes of ICMP",
                RAW_V4,
                ipv4(5, 64, 1, &go_reply[..5]),
            ),
            ("raw v4: nothing", RAW_V4, vec![]),
            (
                "raw v4: text, not a packet",
                RAW_V4,
                b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n".to_vec(),
            ),
            (
                "raw v4: the ICMP message without its IP header",
                RAW_V4,
                go_reply.clone(),
            ),
            (
                "datagram v4: the kernel's identifier",
                DGRAM_V4,
                icmp(0, 0, 56076, 37, &[]),
            ),
            (
                "datagram v4: the identifier we chose",
                DGRAM_V4,
                go_reply.clone(),
            ),
            (
                "datagram v4: an IP header in front",
                DGRAM_V4,
                ipv4(5, 64, 1, &icmp(0, 0, 56076, 37, &[])),
            ),
            (
                "raw v6: echo reply (129)",
                RAW_V6,
                icmp(129, 0, 13, 37, &[]),
            ),
            (
                "raw v6: our own request (128)",
                RAW_V6,
                icmp(128, 0, 13, 37, &[]),
            ),
            (
                "raw v6: neighbour solicitation (135)",
                RAW_V6,
                icmp(135, 0, 0, 0, &[0; 16]),
            ),
            ("raw v6: an ICMPv4 reply (type 0)", RAW_V6, go_reply.clone()),
            (
                "datagram v6: the kernel's identifier",
                DGRAM_V6,
                icmp(129, 0, 56076, 37, &[]),
            ),
        ];
        let mut table = Table::new();
        for (what, matcher, bytes) in &cases {
            table.row(format!("{what} (seq 37)"), || {
                parse_reply(matcher, bytes, 37)
                    .map(|r| (r.ttl, r.echo.ident, r.echo.seq, r.echo.data.len()))
            });
        }
        assert_snapshot!(table);
    }

    #[test]
    fn random_bytes_never_panic() {
        // One deadline for all cases: a parser that loops on some input fails instead of hanging.
        within(
            "match-reply",
            "parse_reply of 5000 random datagrams",
            DEADLINE,
            || {
                let mut rng = Rng::new(6);
                for _ in 0..5000 {
                    let len = rng.below(90) as usize;
                    let mut bytes: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
                    if rng.below(2) == 0 && !bytes.is_empty() {
                        // Often look like IPv4 (version 4), to get past the first check.
                        bytes[0] = 0x40 | (bytes[0] & 0x0f);
                    }
                    for matcher in [RAW_V4, DGRAM_V4, RAW_V6, DGRAM_V6] {
                        let seq = rng.next_u64() as u16;
                        if let Ok(reply) = parse_reply(&matcher, &bytes, seq) {
                            // Whatever it accepts must really answer (ident, seq).
                            assert_eq!(
                                (reply.echo.ident, reply.echo.seq),
                                (matcher.ident, seq),
                                "{}",
                                hex(&bytes)
                            );
                        }
                    }
                }
            },
        );
    }

    #[test]
    fn changing_any_byte_of_an_ipv4_reply_is_caught() {
        // A one-byte change moves the sum by at most 255 * 256 < 0xFFFF, so the checksum always
        // notices it: a raw socket never mistakes a damaged message for our reply.
        let reply = icmp(0, 0, 13, 37, b"abcdefgh");
        let mut rng = Rng::new(4);
        for i in 0..reply.len() {
            for _ in 0..20 {
                let mut damaged = reply.clone();
                damaged[i] ^= 1 + rng.below(255) as u8;
                let datagram = ipv4(5, 64, 1, &damaged);
                let verdict = parse_reply(&RAW_V4, &datagram, 37);
                assert!(
                    verdict.is_err(),
                    "parse_reply accepted a reply whose byte {i} was changed ({}): {verdict:?}",
                    hex(&damaged)
                );
            }
        }
    }
}

mod choose_socket {
    use std::io;

    use insta::assert_snapshot;
    use netlings::harness::expect_eq;
    use netlings::support::icmp::{Family, OpenError, SocketKind};

    use crate::steps::choose_socket as ping;

    fn denied() -> io::Error {
        io::Error::from_raw_os_error(libc::EPERM)
    }

    fn refused_by_ping_group_range() -> io::Error {
        io::Error::from_raw_os_error(libc::EACCES)
    }

    #[test]
    fn choose_socket_takes_a_raw_socket_when_allowed() {
        let mut tried = vec![];
        let chosen = ping::choose_socket(Family::V4, |kind| {
            tried.push(kind);
            Ok("raw socket")
        });
        expect_eq(
            "choose_socket(raw allowed)",
            chosen.ok(),
            Some(("raw socket", SocketKind::Raw)),
        );
        expect_eq(
            "the sockets choose_socket tried",
            tried,
            vec![SocketKind::Raw],
        );
    }

    #[test]
    fn choose_socket_falls_back_to_a_datagram_socket_without_cap_net_raw() {
        let chosen = ping::choose_socket(Family::V4, |kind| match kind {
            SocketKind::Raw => Err(denied()),
            SocketKind::Datagram => Ok("datagram socket"),
        });
        expect_eq(
            "choose_socket(raw denied)",
            chosen.ok(),
            Some(("datagram socket", SocketKind::Datagram)),
        );
    }

    #[test]
    fn choose_socket_explains_how_to_allow_one_when_both_are_refused() {
        let chosen = ping::choose_socket(Family::V4, |kind| -> io::Result<()> {
            match kind {
                SocketKind::Raw => Err(denied()),
                SocketKind::Datagram => Err(refused_by_ping_group_range()),
            }
        });
        let Err(error) = chosen else {
            panic!("choose_socket succeeded although both sockets were refused")
        };
        assert!(
            matches!(error, OpenError::NoPermission { .. }),
            "expected NoPermission, got {error:?}"
        );
        let message = error.to_string();
        for needle in ["setcap cap_net_raw+ep", "net.ipv4.ping_group_range"] {
            assert!(
                message.contains(needle),
                "the message must tell how to allow pings ({needle}):\n{message}"
            );
        }
        assert_snapshot!(message);
    }

    #[test]
    fn choose_socket_reports_other_errors_without_trying_the_other_socket() {
        // IPv6 disabled: EAFNOSUPPORT is not about permission, a datagram socket would fail too.
        let mut tried = vec![];
        let chosen = ping::choose_socket(Family::V6, |kind| -> io::Result<()> {
            tried.push(kind);
            Err(io::Error::from_raw_os_error(libc::EAFNOSUPPORT))
        });
        assert!(
            matches!(
                chosen,
                Err(OpenError::Other {
                    kind: SocketKind::Raw,
                    ..
                })
            ),
            "choose_socket(raw: EAFNOSUPPORT) should report it as is, got {chosen:?}"
        );
        expect_eq(
            "the sockets choose_socket tried",
            tried,
            vec![SocketKind::Raw],
        );
    }

    #[test]
    fn choose_socket_reports_a_datagram_error_that_is_not_about_permission() {
        let chosen = ping::choose_socket(Family::V4, |kind| -> io::Result<()> {
            match kind {
                SocketKind::Raw => Err(denied()),
                SocketKind::Datagram => Err(io::Error::from_raw_os_error(libc::EMFILE)),
            }
        });
        assert!(
            matches!(
                chosen,
                Err(OpenError::Other {
                    kind: SocketKind::Datagram,
                    ..
                })
            ),
            "choose_socket(datagram: EMFILE) should report EMFILE, got {chosen:?}"
        );
    }
}

mod ping {
    use std::io::{self, Write};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    use clap::Parser;
    use insta::assert_snapshot;
    use netlings::harness::{DEADLINE, expect_eq, run_program, skip, within};
    use netlings::support::icmp::{Family, SocketKind, open_socket};
    use netlings::support::ping::write_summary;

    use crate::common::{DGRAM_V4, hex, icmp};
    use crate::steps::ping;

    // ---------------------------------------------------------------------------------------------
    // ping_once without privileges: a UDP socket stands in for the ICMP datagram socket. It is
    // connected, `send` and `read` work the same, and no IP header comes in front of what it reads.

    /// A connected socket2 UDP socket for `ping_once`, and the UDP peer that plays the host.
    fn ping_once_pair() -> (socket2::Socket, std::net::UdpSocket) {
        use socket2::{Domain, Protocol, Socket, Type};
        let peer =
            std::net::UdpSocket::bind("127.0.0.1:0").expect("binding 127.0.0.1:0 always works");
        peer.set_read_timeout(Some(DEADLINE))
            .expect("a non-zero timeout is accepted");
        let socket = Socket::new(Domain::IPV4, Type::DGRAM, Some(Protocol::UDP))
            .expect("a UDP socket can be made");
        socket
            .connect(&peer.local_addr().unwrap().into())
            .expect("connecting a UDP socket sends nothing");
        (socket, peer)
    }

    /// Waits for the request `ping_once` sent and returns it with the address to answer.
    fn request_at(peer: &std::net::UdpSocket) -> (Vec<u8>, std::net::SocketAddr) {
        let mut buf = [0; 2048];
        let (n, from) = peer
            .recv_from(&mut buf)
            .expect("ping_once should send its echo request first");
        (buf[..n].to_vec(), from)
    }

    #[test]
    fn ping_once_returns_when_its_reply_comes() {
        let (socket, peer) = ping_once_pair();
        let host = std::thread::spawn(move || {
            let (_, client) = request_at(&peer);
            let _ = peer.send_to(&icmp(0, 0, DGRAM_V4.ident, 3, b"abc"), client);
        });
        let started = Instant::now();
        let result = within(
            "ping",
            "ping_once to return the reply the host sent at once",
            DEADLINE,
            move || {
                ping::ping_once(&socket, &DGRAM_V4, 3, b"abc", Duration::from_secs(3))
                    .map(|reply| reply.map(|(rtt, ttl)| (rtt < Duration::from_secs(3), ttl)))
                    .map_err(|e| e.to_string())
            },
        );
        let waited = started.elapsed();
        let _ = host.join();
        expect_eq(
            "ping_once(seq 3, the reply comes at once): Some((a round-trip time within the \
             timeout, no TTL without an IP header))",
            result,
            Ok(Some((true, None))),
        );
        assert!(
            waited < Duration::from_secs(2),
            "ping_once took {waited:?} although the reply came at once: return as soon as it is read"
        );
    }

    #[test]
    fn ping_once_sends_the_request_and_returns_none_when_no_reply_comes() {
        let (socket, peer) = ping_once_pair();
        let started = Instant::now();
        let result = within(
            "ping",
            "ping_once with a 200 ms timeout and nobody answering",
            DEADLINE,
            move || {
                ping::ping_once(&socket, &DGRAM_V4, 7, b"abc", Duration::from_millis(200))
                    .map(|reply| reply.is_some())
                    .map_err(|e| e.to_string())
            },
        );
        let waited = started.elapsed();
        expect_eq(
            "ping_once(no reply within 200 ms): Ok(None) means \"no reply\", it is not an error",
            result,
            Ok(false),
        );
        assert!(
            waited >= Duration::from_millis(150),
            "ping_once gave up after {waited:?}: it should wait the whole 200 ms timeout"
        );
        let (request, _) = request_at(&peer);
        expect_eq(
            "the request ping_once sent (build_echo_request(V4, our ident, seq 7, b\"abc\"))",
            hex(&request),
            hex(&icmp(8, 0, DGRAM_V4.ident, 7, b"abc")),
        );
    }

    #[test]
    fn ping_once_skips_what_is_not_its_reply() {
        let (socket, peer) = ping_once_pair();
        let host = std::thread::spawn(move || {
            let (request, client) = request_at(&peer);
            let ident = DGRAM_V4.ident;
            // Everything parse_reply refuses comes first, then the reply.
            for noise in [
                b"garbage".to_vec(),
                request,
                icmp(0, 0, ident.wrapping_add(1), 7, b"abc"),
                icmp(0, 0, ident, 6, b"abc"),
                icmp(0, 0, ident, 7, b"abc"),
            ] {
                let _ = peer.send_to(&noise, client);
            }
        });
        let result = within(
            "ping",
            "ping_once to find its reply behind four other datagrams",
            DEADLINE,
            move || {
                ping::ping_once(&socket, &DGRAM_V4, 7, b"abc", Duration::from_secs(2))
                    .map(|reply| reply.map(|(_, ttl)| ttl))
                    .map_err(|e| e.to_string())
            },
        );
        let _ = host.join();
        expect_eq(
            "ping_once after garbage, its own request, a reply to another identifier and one to \
             another sequence, then its reply (skip what parse_reply refuses; no TTL without an IP \
             header)",
            result,
            Ok(Some(None)),
        );
    }

    #[test]
    fn ping_once_timeout_counts_from_the_request_not_from_the_last_datagram() {
        let (socket, peer) = ping_once_pair();
        let stop = Arc::new(AtomicBool::new(false));
        let quiet = stop.clone();
        // A busy host: a foreign datagram every 20 ms, until the test ends (or a deadline).
        let host = std::thread::spawn(move || {
            let (_, client) = request_at(&peer);
            let end = Instant::now() + DEADLINE + Duration::from_secs(1);
            while !quiet.load(Ordering::SeqCst) && Instant::now() < end {
                let _ = peer.send_to(b"not an echo reply", client);
                std::thread::sleep(Duration::from_millis(20));
            }
        });
        let started = Instant::now();
        let result = within(
            "ping",
            "ping_once with a 200 ms timeout while foreign datagrams keep arriving \
             (each read must wait only for the time left, not a fresh 200 ms)",
            DEADLINE,
            move || {
                ping::ping_once(&socket, &DGRAM_V4, 1, b"", Duration::from_millis(200))
                    .map(|reply| reply.is_some())
                    .map_err(|e| e.to_string())
            },
        );
        let waited = started.elapsed();
        stop.store(true, Ordering::SeqCst);
        let _ = host.join();
        expect_eq("ping_once on a busy host with no reply", result, Ok(false));
        assert!(
            waited < Duration::from_secs(2),
            "ping_once took {waited:?} for a 200 ms timeout: the deadline is the request's time + \
             timeout"
        );
    }

    // ---------------------------------------------------------------------------------------------
    // The summary

    fn ms(values: &[u64]) -> Vec<Duration> {
        values.iter().map(|v| Duration::from_micros(*v)).collect()
    }

    #[test]
    fn rtt_summary_gives_min_avg_max_and_mdev() {
        // Out of order, as replies come: neither the first nor the last is the min or the max.
        let r = ping::rtt_summary(&ms(&[3000, 1000, 4000, 2000])).expect("four replies");
        let got = format!("{:.3}/{:.3}/{:.3}/{:.3}", r.min, r.avg, r.max, r.mdev);
        // mdev = sqrt(mean of squares - square of mean) = sqrt(7.5 - 6.25) = 1.118
        expect_eq(
            "rtt_summary(3, 1, 4, 2 ms) as min/avg/max/mdev",
            got,
            "1.000/2.500/4.000/1.118".to_string(),
        );
    }

    #[test]
    fn rtt_summary_without_replies_is_none() {
        expect_eq("rtt_summary(no replies)", ping::rtt_summary(&[]), None);
    }

    #[test]
    fn summaries_look_like_ping8() {
        let cases = [
            ("all answered", 3, ms(&[45, 61, 52]), 2003),
            ("one lost", 3, ms(&[1500, 500]), 2004),
            ("one answer, no spread", 1, ms(&[80]), 0),
            ("none answered", 2, vec![], 1001),
            ("one in seven lost", 7, ms(&[100; 6]), 6006),
        ];
        let mut text = String::new();
        for (what, transmitted, rtts, elapsed) in cases {
            let mut out = Vec::new();
            write_summary(
                &mut out,
                "127.0.0.1",
                transmitted,
                rtts.len() as u64,
                ping::rtt_summary(&rtts),
                Duration::from_millis(elapsed),
            )
            .expect("writes to a Vec");
            text.push_str(&format!("# {what}{}\n", String::from_utf8_lossy(&out)));
        }
        assert_snapshot!(text);
    }

    // ---------------------------------------------------------------------------------------------
    // The program

    #[test]
    fn program_rejects_bad_arguments() {
        let mut text = String::new();
        for argv in [
            &["ping"][..],
            &["ping", "127.0.0.1", "-c", "0"],
            &["ping", "127.0.0.1", "-i", "0.001"],
            &["ping", "127.0.0.1", "-W", "soon"],
            &["ping", "127.0.0.1", "-s", "65508"],
        ] {
            let transcript = run_program("ping", argv, ping::run);
            assert_eq!(
                transcript.status, 2,
                "bad arguments must exit 2:\n{transcript}"
            );
            text.push_str(&transcript.to_string());
        }
        assert_snapshot!(text);
    }

    fn denied() -> io::Error {
        io::Error::from_raw_os_error(libc::EPERM)
    }

    fn refused_by_ping_group_range() -> io::Error {
        io::Error::from_raw_os_error(libc::EACCES)
    }

    #[test]
    fn program_explains_how_to_allow_pings_when_no_socket_is_allowed() {
        let message = within(
            "ping",
            "the program to give up without sockets",
            DEADLINE,
            || {
                let args = ping::Args::try_parse_from(["ping", "::1", "-c", "1"])
                    .expect("valid arguments");
                let mut out = Vec::new();
                let never = AtomicBool::new(false);
                let result = ping::ping(args, &mut out, &never, |_, kind| match kind {
                    SocketKind::Raw => Err(denied()),
                    SocketKind::Datagram => Err(refused_by_ping_group_range()),
                });
                match result {
                    Ok(()) => panic!("ping succeeded without any socket"),
                    Err(e) => format!("{}error: {e}", String::from_utf8_lossy(&out)),
                }
            },
        );
        assert!(
            !message.contains("error: Permission denied"),
            "a bare permission error:\n{message}"
        );
        assert_snapshot!(message);
    }

    #[test]
    fn program_keeps_the_zone_of_a_link_local_address() {
        // `fe80::1` is on every link: only the zone says which. A UDP socket stands in for the
        // ICMP socket; nothing leaves the host (the zone is `lo`). Without the zone the kernel
        // refuses the address outright: "Invalid argument".
        // SAFETY: a NUL-terminated name; if_nametoindex only reads it.
        let lo = unsafe { libc::if_nametoindex(c"lo".as_ptr()) };
        if lo == 0 {
            return skip("this machine has no interface named lo");
        }
        let message = within(
            "ping",
            "ping fe80::1%lo with a UDP socket in place of the ICMP one",
            DEADLINE,
            || {
                let args =
                    ping::Args::try_parse_from(["ping", "fe80::1%lo", "-c", "1", "-W", "0.05"])
                        .expect("valid arguments");
                let mut out = Vec::new();
                let never = AtomicBool::new(false);
                let result = ping::ping(args, &mut out, &never, |_, _| {
                    use socket2::{Domain, Protocol, Socket, Type};
                    Socket::new(Domain::IPV6, Type::DGRAM, Some(Protocol::UDP))
                });
                let error = result.err().map(|e| e.to_string()).unwrap_or_default();
                format!("{}error: {error}", String::from_utf8_lossy(&out))
            },
        );
        assert!(
            message.contains(&format!("fe80::1%{lo}")) && !message.contains("Invalid argument"),
            "`ping fe80::1%lo` must keep the zone (the scope id {lo} of lo) through resolve and \
             connect, and show it:\n{message}"
        );
    }

    /// Replaces what varies from run to run: round-trip times and the elapsed time.
    fn normalize_times(text: &str) -> String {
        text.lines()
            .map(|line| {
                if let Some(at) = line.find(" time=") {
                    format!("{} time=[rtt] ms", &line[..at])
                } else if let Some(at) = line.find(", time ") {
                    format!("{}, time [elapsed]ms", &line[..at])
                } else if line.starts_with("rtt min/avg/max/mdev = ") {
                    "rtt min/avg/max/mdev = [min]/[avg]/[max]/[mdev] ms".to_string()
                } else {
                    line.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Which ICMP socket this process may open, asked of the kernel directly (not through the
    /// code under test), or why none.
    fn allowed_socket(family: Family) -> Result<SocketKind, String> {
        use socket2::{Domain, Protocol, Socket, Type};
        let (domain, protocol) = match family {
            Family::V4 => (Domain::IPV4, Protocol::ICMPV4),
            Family::V6 => (Domain::IPV6, Protocol::ICMPV6),
        };
        let raw = match Socket::new(domain, Type::RAW, Some(protocol)) {
            Ok(_) => return Ok(SocketKind::Raw),
            Err(e) => e,
        };
        match Socket::new(domain, Type::DGRAM, Some(protocol)) {
            Ok(_) => Ok(SocketKind::Datagram),
            Err(dgram) => Err(format!(
                "no ICMP socket for {family:?}: raw: {raw} (needs root or CAP_NET_RAW); \
                 datagram: {dgram} (net.ipv4.ping_group_range does not include this group)"
            )),
        }
    }

    /// Says loudly that a live test did not run, and how to let it run.
    fn skipped(why: &str) {
        netlings::harness::skip(&format!(
            "{why}.\n  To run it: as root, or `sudo setcap cap_net_raw+ep` on the test binary, or \
             `sudo sysctl -w net.ipv4.ping_group_range=\"0 2147483647\"`."
        ));
    }

    /// The program with a stop flag nobody sets (`run` uses the process-wide Ctrl-C flag).
    fn run_without_ctrl_c(args: ping::Args, out: &mut dyn Write) -> netlings::program::Result {
        static NEVER: AtomicBool = AtomicBool::new(false);
        ping::ping(args, out, &NEVER, open_socket)
    }

    fn live_ping(host: &str, family: Family) {
        let kind = match allowed_socket(family) {
            Ok(kind) => kind,
            Err(why) => {
                skipped(&format!("the live ping of {host}: {why}"));
                return;
            }
        };
        let argv = ["ping", host, "-c", "3", "-i", "0.05", "-W", "1"];
        let transcript = run_program("ping", &argv, run_without_ctrl_c);
        assert!(
            transcript.success(),
            "ping {host} over a {kind:?} socket failed:\n{transcript}"
        );
        let text = transcript.to_string();
        for seq in 1..=3 {
            assert!(
                text.contains(&format!("64 bytes from {host}: icmp_seq={seq} ")),
                "no line for the reply to icmp_seq={seq}:\n{text}"
            );
        }
        assert!(
            text.contains("3 packets transmitted, 3 received, 0% packet loss"),
            "the summary is wrong:\n{text}"
        );
        // A raw IPv4 socket shows the TTL; the others cannot (the IP header is not delivered).
        let name = format!(
            "live_ping_{}_{kind:?}",
            if family == Family::V4 { "ipv4" } else { "ipv6" }
        );
        insta::assert_snapshot!(name, normalize_times(&text));
    }

    #[test]
    fn live_ping_of_127_0_0_1() {
        live_ping("127.0.0.1", Family::V4);
    }

    #[test]
    fn live_ping_of_ipv6_loopback() {
        if let Err(why) = netlings::fixtures::loopback::ipv6_loopback() {
            netlings::harness::skip(&format!("this machine has no IPv6 loopback ({why})"));
            return;
        }
        live_ping("::1", Family::V6);
    }

    /// An output that raises the stop flag once it has seen `trigger`, as Ctrl-C would.
    struct StopAfter {
        seen: Arc<Mutex<String>>,
        trigger: &'static str,
        stop: &'static AtomicBool,
    }

    impl Write for StopAfter {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
            seen.push_str(&String::from_utf8_lossy(buf));
            if seen.contains(self.trigger) {
                self.stop.store(true, Ordering::SeqCst);
            }
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn ctrl_c_stops_pinging_and_prints_the_summary() {
        static STOP: AtomicBool = AtomicBool::new(false);
        if let Err(why) = allowed_socket(Family::V4) {
            skipped(&why);
            return;
        }
        let seen = Arc::new(Mutex::new(String::new()));
        let mut out = StopAfter {
            seen: seen.clone(),
            trigger: "icmp_seq=2 ",
            stop: &STOP,
        };
        // No -c: without the flag this would ping forever; the deadline turns that into a failure.
        within(
            "ping",
            "ping 127.0.0.1 to stop after Ctrl-C",
            DEADLINE,
            move || {
                let args = ping::Args::try_parse_from(["ping", "127.0.0.1", "-i", "0.05"])
                    .expect("valid arguments");
                ping::ping(args, &mut out, &STOP, open_socket)
                    .unwrap_or_else(|e| panic!("ping 127.0.0.1 failed: {e}"));
            },
        );
        let text = seen.lock().unwrap_or_else(|e| e.into_inner()).clone();
        assert!(
            text.contains("2 packets transmitted, 2 received, 0% packet loss"),
            "after Ctrl-C following the 2nd reply, ping should send nothing more and print the \
             summary:\n{text}"
        );
    }
}
