//! Grading tests for chapter 14, DNS over TCP: one module per step, in course order.
//! `cargo test --test ch14_dns_tcp` runs them against `exercises/ch14_dns_tcp/`, and with
//! `--features solutions` against `solutions/ch14_dns_tcp/`.
//!
//! Step 1 reads and writes through a `Trickle` (`netlings::fixtures::trickle`), a stream that
//! moves one byte, or a few cut at random, per call; a hostile length is measured with a
//! counting allocator. Steps 2 and 3 ask the in-process DNS server of
//! `netlings::fixtures::dns` on 127.0.0.1, which answers over UDP and TCP on one port,
//! truncates what does not fit in 512 bytes, and misbehaves over TCP on cue.

use netlings::fixtures::alloc::CountingAlloc;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

// BEGIN STEPS
// The steps under test: `exercises/ch14_dns_tcp/`, or `solutions/ch14_dns_tcp/` with `--features solutions`.
// Generated from the catalog by `cargo dev update`. A step's `main` and the helpers its tests do
// not call are unused here, hence `allow(dead_code)`.
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch14_dns_tcp/1_tcp_exchange.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ch14_dns_tcp/1_tcp_exchange.rs"
)]
#[allow(dead_code)]
pub mod step1_tcp_exchange;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch14_dns_tcp/2_query_tcp.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ch14_dns_tcp/2_query_tcp.rs"
)]
#[allow(dead_code)]
pub mod step2_query_tcp;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch14_dns_tcp/3_lookup_tcp.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ch14_dns_tcp/3_lookup_tcp.rs"
)]
#[allow(dead_code)]
pub mod step3_lookup_tcp;
mod steps {
    pub use super::step1_tcp_exchange as tcp_exchange;
    pub use super::step2_query_tcp as query_tcp;
    pub use super::step3_lookup_tcp as lookup_tcp;
}
// END STEPS

/// What more than one step's tests use: the fixture's records, options, and errors that print
/// and compare well.
mod shared {
    use std::net::{IpAddr, Ipv4Addr};
    use std::time::Duration;

    pub use netlings::fixtures::dns::{EXAMPLE_V4, EXAMPLE_V4_TOO, EXAMPLE_V6};
    use netlings::fixtures::dns::{Zone, answer_addresses};
    use netlings::support::dns::{LookupError, QueryOptions, Response};
    use netlings::support::dns_tcp::TcpOptions;

    /// A name with 60 A records: its answer takes 987 bytes, too many for a 512-byte datagram.
    pub const MANY: &str = "many.test";

    /// The 60 addresses of `many.test`, in the order the server gives them.
    pub fn many_addrs() -> Vec<IpAddr> {
        (1..=60)
            .map(|i| IpAddr::V4(Ipv4Addr::new(198, 51, 100, i)))
            .collect()
    }

    /// What the fixture answers for `example.test A`.
    pub fn example_addrs() -> Vec<IpAddr> {
        vec![IpAddr::V4(EXAMPLE_V4), IpAddr::V4(EXAMPLE_V4_TOO)]
    }

    /// The records the fixture DNS server serves: [`Zone::example`], an alias of each of
    /// `example.test` and `many.test`, a name with only an A record, and `many.test`.
    pub fn zone() -> Zone {
        let mut zone = Zone::example()
            .cname("www.example.test", "example.test")
            .cname("www.many.test", MANY)
            .a("v4only.test", Ipv4Addr::new(203, 0, 113, 1));
        for ip in many_addrs() {
            if let IpAddr::V4(ip) = ip {
                zone = zone.a(MANY, ip);
            }
        }
        zone
    }

    /// For answers that come at once, over UDP: a loaded machine may be slow to schedule the
    /// fixture, and a timeout is not what these tests are about.
    pub const PATIENT_UDP: QueryOptions = QueryOptions {
        timeout: Duration::from_secs(2),
        attempts: 2,
    };

    /// For answers that come at once, over TCP; any size a two-byte length can announce.
    pub const PATIENT_TCP: TcpOptions = TcpOptions {
        timeout: Duration::from_secs(3),
        max_len: 65_535,
    };

    /// For exchanges that must end at the deadline.
    pub const SHORT_TCP: TcpOptions = TcpOptions {
        timeout: Duration::from_millis(400),
        max_len: 65_535,
    };

    /// `message` with its length in two bytes in front: a DNS message over TCP.
    pub fn framed(message: &[u8]) -> Vec<u8> {
        let len = u16::try_from(message.len()).expect("test messages fit a two-byte length");
        [&len.to_be_bytes()[..], message].concat()
    }

    /// An error, comparable and printable: its `Debug`, except that an `Io` error shows only
    /// its kind (its text is the implementation's to choose).
    pub fn error(e: &LookupError) -> String {
        match e {
            LookupError::Io(e) => format!("Io(kind: {:?})", e.kind()),
            other => format!("{other:?}"),
        }
    }

    /// The addresses in a response's answers, in order, whatever name they belong to; an
    /// error as [`error`] shows it.
    pub fn addresses(response: &Result<Response, LookupError>) -> Result<Vec<IpAddr>, String> {
        response.as_ref().map(answer_addresses).map_err(error)
    }
}

mod tcp_exchange {
    use std::io::{self, Read, Write};

    use netlings::fixtures::alloc::largest_allocation;
    use netlings::fixtures::trickle::Trickle;
    use netlings::given::lookup::encode_query::encode_query;
    use netlings::harness::{DEADLINE, expect_eq, within};
    use netlings::support::dns::{LookupError, RecordType, Response};

    use crate::shared::{MANY, addresses, error, framed, many_addrs, zone};
    use crate::steps::tcp_exchange;

    const EXERCISE: &str = "tcp-exchange";

    /// The id of every query in this module's tests.
    const ID: u16 = 0xD15C;

    fn query(name: &str, record_type: RecordType) -> Vec<u8> {
        encode_query(ID, name, record_type).expect("the tests' names can be sent")
    }

    /// The fixture's whole answer to `name` and `record_type`, for the id `ID`.
    fn answer(name: &str, record_type: RecordType) -> Vec<u8> {
        zone()
            .answer(&query(name, record_type))
            .expect("the fixture reads its own queries")
    }

    /// `exchange(query, limit)` over `stream`, on its own thread with a deadline: the answer
    /// or the error, and the stream afterwards.
    fn exchange(
        mut stream: Trickle,
        query: Vec<u8>,
        limit: usize,
    ) -> (Result<Vec<u8>, String>, Trickle) {
        let waiting_for = format!("exchange({} bytes, limit {limit})", query.len());
        within(EXERCISE, &waiting_for, DEADLINE, move || {
            let got = tcp_exchange::exchange(&mut stream, &query, limit);
            (got.map_err(|e| error(&e)), stream)
        })
    }

    /// `query_stream(ID, name, record_type, limit)` over `stream`, with a deadline.
    fn query_stream(
        mut stream: Trickle,
        name: &str,
        record_type: RecordType,
        limit: usize,
    ) -> (Result<Response, LookupError>, Trickle) {
        let name = name.to_string();
        let waiting_for = format!("query_stream({ID:#06x}, {name:?}, {record_type}, {limit})");
        within(EXERCISE, &waiting_for, DEADLINE, move || {
            let got = tcp_exchange::query_stream(&mut stream, ID, &name, record_type, limit);
            (got, stream)
        })
    }

    #[test]
    fn exchange_sends_the_query_with_its_length_in_two_bytes_and_returns_the_answer() {
        let (q, a) = (
            query("example.test", RecordType::A),
            answer("example.test", RecordType::A),
        );
        // One byte per read and per write: nothing may assume a call moves more.
        let (got, stream) = exchange(Trickle::new(framed(&a)), q.clone(), 65_535);
        expect_eq(
            "exchange(a query for example.test A, limit 65535): the answer (the message after \
             its two-byte length)",
            got,
            Ok(a),
        );
        expect_eq(
            "exchange(a query for example.test A): the bytes written (the query's length in two \
             bytes, big-endian, then the query)",
            stream.written().to_vec(),
            framed(&q),
        );
    }

    #[test]
    fn exchange_reads_no_byte_past_the_answer() {
        let a = answer("example.test", RecordType::A);
        let next = framed(&answer("example.test", RecordType::Aaaa));
        let (got, stream) = exchange(
            Trickle::new([framed(&a), next].concat()),
            query("example.test", RecordType::A),
            65_535,
        );
        expect_eq(
            "exchange(..) with a second message after the answer",
            got,
            Ok(a.clone()),
        );
        expect_eq(
            format!(
                "bytes exchange took from the stream for an answer of 2 + {} bytes",
                a.len()
            ),
            stream.consumed(),
            2 + a.len(),
        );
    }

    #[test]
    fn exchange_reports_each_way_the_stream_can_end_early() {
        let cases: [(&str, Vec<u8>, &str); 4] = [
            (
                "nothing (the server closed instead of answering)",
                vec![],
                "Io(kind: UnexpectedEof)",
            ),
            ("one byte of the length", vec![0x00], "Frame(Truncated)"),
            (
                "the length 40, then nothing",
                vec![0x00, 40],
                "Frame(Truncated)",
            ),
            (
                "the length 40, then 20 bytes",
                [&[0x00, 40][..], &[0xAB; 20]].concat(),
                "Frame(Truncated)",
            ),
        ];
        for (what, input, expected) in cases {
            let (got, _) = exchange(
                Trickle::new(input),
                query("example.test", RecordType::A),
                512,
            );
            expect_eq(
                format!("exchange(..) on a stream that holds {what}"),
                got,
                Err(expected.to_string()),
            );
        }
    }

    #[test]
    fn exchange_accepts_an_answer_of_its_limit_and_refuses_one_byte_more() {
        let a = answer("example.test", RecordType::A);
        let q = query("example.test", RecordType::A);
        let (got, _) = exchange(Trickle::new(framed(&a)), q.clone(), a.len());
        expect_eq(
            format!("exchange(.., limit {}) on an answer of {0} bytes", a.len()),
            got,
            Ok(a.clone()),
        );
        let (got, _) = exchange(Trickle::new(framed(&a)), q, a.len() - 1);
        expect_eq(
            format!(
                "exchange(.., limit {}) on an answer of {} bytes",
                a.len() - 1,
                a.len()
            ),
            got,
            Err(format!(
                "Frame(FrameTooLong {{ len: {}, limit: {} }})",
                a.len(),
                a.len() - 1
            )),
        );
    }

    #[test]
    fn exchange_refuses_a_hostile_length_without_allocating_it() {
        let q = query("example.test", RecordType::A);
        let (got, largest, consumed) = within(
            EXERCISE,
            "exchange of a 64 KiB answer",
            DEADLINE,
            move || {
                let mut stream = Trickle::new([&[0xFF, 0xFF][..], &[0; 100]].concat());
                let (got, largest) =
                    largest_allocation(|| tcp_exchange::exchange(&mut stream, &q, 512));
                (got.map_err(|e| error(&e)), largest, stream.consumed())
            },
        );
        expect_eq(
            "exchange(.., limit 512) on the length ff ff",
            got,
            Err("Frame(FrameTooLong { len: 65535, limit: 512 })".to_string()),
        );
        assert!(
            largest <= 2 * 512 + 4096,
            "exchange with a limit of 512 allocated {largest} bytes at once for a length of \
             65535: compare the length with the limit before making the buffer"
        );
        expect_eq(
            "bytes exchange took from the stream before refusing the length ff ff",
            consumed,
            2,
        );
    }

    /// A stream that keeps what is written in a buffer until `flush`, like a `BufWriter`, and
    /// fails a read while some of it waits there: the peer has not seen it yet.
    struct Buffered {
        inner: Trickle,
        pending: Vec<u8>,
    }

    impl Read for Buffered {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if !self.pending.is_empty() {
                return Err(io::Error::other(
                    "a read while the query waits in a buffer, unsent: flush before reading",
                ));
            }
            self.inner.read(buf)
        }
    }

    impl Write for Buffered {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.pending.extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            self.inner.write_all(&self.pending)?;
            self.pending.clear();
            Ok(())
        }
    }

    #[test]
    fn exchange_flushes_the_query_before_it_waits_for_the_answer() {
        let (q, a) = (
            query("example.test", RecordType::A),
            answer("example.test", RecordType::A),
        );
        let expected = a.clone();
        let (got, written) = within(
            EXERCISE,
            "exchange over a buffered stream",
            DEADLINE,
            move || {
                let mut stream = Buffered {
                    inner: Trickle::new(framed(&a)),
                    pending: Vec::new(),
                };
                let got = tcp_exchange::exchange(&mut stream, &q, 65_535);
                (got.map_err(|e| e.to_string()), stream.inner.written().len())
            },
        );
        expect_eq(
            "exchange(..) over a stream that buffers writes",
            got,
            Ok(expected),
        );
        assert!(written > 0, "nothing reached the stream");
    }

    #[test]
    fn answers_cut_at_random_points_arrive_whole() {
        let q = query(MANY, RecordType::A);
        let a = answer(MANY, RecordType::A);
        for seed in 0..40 {
            // Reads and writes of 1 to 9 bytes, and every 7th call interrupted by a signal.
            let stream = Trickle::random(framed(&a), seed, 9).interrupting(7);
            let (got, stream) = exchange(stream, q.clone(), 65_535);
            expect_eq(
                format!(
                    "exchange(a query for many.test A) over a stream cut at random (seed {seed})"
                ),
                got,
                Ok(a.clone()),
            );
            expect_eq(
                format!("the bytes exchange wrote (seed {seed})"),
                stream.written().to_vec(),
                framed(&q),
            );
        }
    }

    #[test]
    fn query_stream_returns_the_decoded_answer() {
        let (got, _) = query_stream(
            Trickle::new(framed(&answer(MANY, RecordType::A))),
            MANY,
            RecordType::A,
            65_535,
        );
        expect_eq(
            "query_stream(.., \"many.test\", A, ..): the addresses in the answer",
            addresses(&got),
            Ok(many_addrs()),
        );
        expect_eq(
            "query_stream(0xd15c, ..): the id of the response",
            got.map(|r| r.id).map_err(|e| error(&e)),
            Ok(ID),
        );
    }

    #[test]
    fn query_stream_sends_the_question_with_the_id_it_is_given() {
        let (got, stream) = query_stream(
            Trickle::new(framed(&answer("example.test", RecordType::Aaaa))),
            "example.test",
            RecordType::Aaaa,
            65_535,
        );
        expect_eq(
            "query_stream(0xd15c, \"example.test\", AAAA, ..): the bytes written",
            stream.written().to_vec(),
            framed(&query("example.test", RecordType::Aaaa)),
        );
        assert!(got.is_ok(), "query_stream(.., AAAA) failed: {got:?}");
    }

    #[test]
    fn query_stream_rejects_a_message_that_is_not_the_answer() {
        let a = answer("example.test", RecordType::A);
        let mut wrong_id = a.clone();
        wrong_id[..2].copy_from_slice(&(ID + 1).to_be_bytes());
        let mut not_a_response = a.clone();
        not_a_response[2] &= 0x7F; // the QR bit
        let cases = [
            ("another id", wrong_id),
            ("no QR bit (a query, not a response)", not_a_response),
            ("another name", answer("v4only.test", RecordType::A)),
            ("another type", answer("example.test", RecordType::Aaaa)),
        ];
        for (what, message) in cases {
            let (got, _) = query_stream(
                Trickle::new(framed(&message)),
                "example.test",
                RecordType::A,
                65_535,
            );
            expect_eq(
                format!("query_stream(0xd15c, \"example.test\", A, ..) on a message with {what}"),
                addresses(&got),
                Err("NotTheAnswer".to_string()),
            );
        }
    }

    #[test]
    fn query_stream_reports_a_malformed_answer() {
        #[rustfmt::skip]
        let looping = [
            &ID.to_be_bytes()[..], &[0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0],
            &[7], b"example", &[4], b"test", &[0], &[0, 1, 0, 1],
            &[0xC0, 30], // offset 30: the answer's name is a pointer to itself
            &[0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 10],
        ]
        .concat();
        let (got, _) = query_stream(
            Trickle::new(framed(&looping)),
            "example.test",
            RecordType::A,
            65_535,
        );
        expect_eq(
            "query_stream(..) on an answer whose record name is a pointer to itself",
            addresses(&got),
            Err("Wire(BadPointer)".to_string()),
        );
    }

    #[test]
    fn query_stream_writes_nothing_for_a_name_it_cannot_send() {
        let (got, stream) = query_stream(Trickle::new(Vec::new()), "a..test", RecordType::A, 512);
        expect_eq(
            "query_stream(.., \"a..test\", ..)",
            addresses(&got),
            Err("Wire(EmptyLabel)".to_string()),
        );
        expect_eq(
            "bytes query_stream wrote for a name it cannot send",
            stream.written().len(),
            0,
        );
    }

    #[test]
    fn query_stream_passes_on_the_errors_of_exchange() {
        let (got, _) = query_stream(Trickle::new(Vec::new()), "example.test", RecordType::A, 512);
        expect_eq(
            "query_stream(..) on a stream that ends before the answer",
            addresses(&got),
            Err("Io(kind: UnexpectedEof)".to_string()),
        );
        let (got, _) = query_stream(
            Trickle::new(framed(&answer(MANY, RecordType::A))),
            MANY,
            RecordType::A,
            512,
        );
        expect_eq(
            "query_stream(.., \"many.test\", A, limit 512) on an answer of 987 bytes",
            addresses(&got),
            Err("Frame(FrameTooLong { len: 987, limit: 512 })".to_string()),
        );
    }
}

mod query_tcp {
    use std::net::SocketAddr;
    use std::time::{Duration, Instant};

    use netlings::fixtures::dns::{DnsServer, Reply, TYPE_A, TYPE_AAAA, TcpReply};
    use netlings::fixtures::loopback::closed_tcp_port;
    use netlings::harness::{DEADLINE, expect_eq, within};
    use netlings::support::dns::{LookupError, QueryOptions, RecordType, Response};
    use netlings::support::dns_tcp::{TcpOptions, Transport};

    use crate::shared::{
        MANY, PATIENT_TCP, PATIENT_UDP, SHORT_TCP, addresses, error, example_addrs, many_addrs,
        zone,
    };
    use crate::steps::query_tcp as client;

    const EXERCISE: &str = "query-tcp";

    /// `query_tcp(server, name, type, options)` on its own thread with a deadline, and how long
    /// it took.
    fn ask(
        server: SocketAddr,
        name: &str,
        record_type: RecordType,
        options: TcpOptions,
    ) -> (Result<Response, LookupError>, Duration) {
        let name = name.to_string();
        let waiting_for = format!("query_tcp({name:?}, {record_type}) against the fixture");
        within(EXERCISE, &waiting_for, DEADLINE, move || {
            let started = Instant::now();
            let got = client::query_tcp(server, &name, record_type, options);
            (got, started.elapsed())
        })
    }

    /// `query_with_fallback(server, name, type, udp, tcp)` with a deadline: the addresses of the
    /// response and its transport.
    fn fallback(
        server: SocketAddr,
        name: &str,
        record_type: RecordType,
        udp: QueryOptions,
        tcp: TcpOptions,
    ) -> Result<(Vec<std::net::IpAddr>, Transport), String> {
        let name = name.to_string();
        let waiting_for =
            format!("query_with_fallback({name:?}, {record_type}) against the fixture");
        let got = within(EXERCISE, &waiting_for, DEADLINE, move || {
            client::query_with_fallback(server, &name, record_type, udp, tcp)
        });
        let (response, transport) = got.map_err(|e| error(&e))?;
        Ok((addresses(&Ok(response))?, transport))
    }

    /// `Timeout { attempts: 1 }` at `server` after `SHORT_TCP`'s wait, as `error` shows it.
    fn timeout(server: SocketAddr) -> String {
        error(&LookupError::Timeout {
            server,
            attempts: 1,
            timeout: SHORT_TCP.timeout,
        })
    }

    /// Fails unless `took` is about `deadline`: not before it, not long after.
    fn assert_on_time(what: &str, took: Duration, deadline: Duration) {
        assert!(
            took >= deadline.mul_f32(0.75) && took < deadline + Duration::from_millis(1500),
            "{what}: gave up after {took:?}, with a timeout of {deadline:?}: the whole exchange \
             must end by one deadline, no sooner and not much later"
        );
    }

    #[test]
    fn query_tcp_returns_the_answer_from_the_server() {
        let server = DnsServer::start(zone());
        let (got, _) = ask(server.addr(), "example.test", RecordType::A, PATIENT_TCP);
        expect_eq(
            "query_tcp(\"example.test\", A): the addresses",
            addresses(&got),
            Ok(example_addrs()),
        );
    }

    #[test]
    fn query_tcp_asks_its_question_over_tcp_only() {
        let server = DnsServer::start(zone());
        let _ = ask(server.addr(), "example.test", RecordType::Aaaa, PATIENT_TCP);
        let questions: Vec<_> = server
            .tcp_queries()
            .into_iter()
            .map(|q| q.question)
            .collect();
        expect_eq(
            "the questions the server received over TCP from query_tcp(\"example.test\", AAAA)",
            questions,
            vec![Some(("example.test".to_string(), TYPE_AAAA))],
        );
        expect_eq(
            "the questions the server received over UDP from query_tcp",
            server.queries().len(),
            0,
        );
    }

    #[test]
    fn query_tcp_returns_every_record_of_an_answer_too_big_for_udp() {
        let server = DnsServer::start(zone());
        let (got, _) = ask(server.addr(), MANY, RecordType::A, PATIENT_TCP);
        expect_eq(
            "query_tcp(\"many.test\", A): the 60 addresses",
            addresses(&got),
            Ok(many_addrs()),
        );
    }

    #[test]
    fn query_tcp_uses_a_fresh_id_for_each_question() {
        let server = DnsServer::start(zone());
        for _ in 0..8 {
            let (got, _) = ask(server.addr(), "example.test", RecordType::A, PATIENT_TCP);
            assert!(
                got.is_ok(),
                "query_tcp(\"example.test\", A) failed: {got:?}"
            );
        }
        let ids: Vec<u16> = server
            .tcp_queries()
            .iter()
            .map(|q| u16::from_be_bytes([q.bytes[0], q.bytes[1]]))
            .collect();
        assert!(
            ids.iter().any(|id| *id != ids[0]),
            "8 questions over TCP all had the id {:#06x}: whoever guesses an id can forge the \
             answer; use random_id() for each",
            ids[0]
        );
    }

    #[test]
    fn query_tcp_reports_a_closed_port_as_refused() {
        let closed = closed_tcp_port();
        let (got, _) = ask(closed, "example.test", RecordType::A, PATIENT_TCP);
        expect_eq(
            "query_tcp(..) to a port where nothing listens",
            got.map(|_| ()).map_err(|e| error(&e)),
            Err(error(&LookupError::Refused(closed))),
        );
    }

    #[test]
    fn query_tcp_gives_up_on_a_silent_server_at_its_deadline() {
        let server = DnsServer::start(zone().then_tcp(TcpReply::Silent));
        let (got, took) = ask(server.addr(), "example.test", RecordType::A, SHORT_TCP);
        expect_eq(
            "query_tcp(.., timeout 400ms) to a server that never answers",
            got.map(|_| ()).map_err(|e| error(&e)),
            Err(timeout(server.addr())),
        );
        assert_on_time("a silent server", took, SHORT_TCP.timeout);
    }

    #[test]
    fn the_deadline_bounds_the_whole_exchange_not_each_read() {
        // A byte every 40 ms: 64 bytes take 2.5 s, though no read waits more than 40 ms.
        let server = DnsServer::start(zone().then_tcp(TcpReply::Drip(Duration::from_millis(40))));
        let (got, took) = ask(server.addr(), "example.test", RecordType::A, SHORT_TCP);
        expect_eq(
            "query_tcp(.., timeout 400ms) to a server that drips its answer for 2.5 s",
            got.map(|_| ()).map_err(|e| error(&e)),
            Err(timeout(server.addr())),
        );
        assert_on_time("a dripping server", took, SHORT_TCP.timeout);
    }

    #[test]
    fn query_tcp_reads_an_answer_that_drips_in_before_the_deadline() {
        let server = DnsServer::start(zone().then_tcp(TcpReply::Drip(Duration::from_millis(2))));
        let (got, _) = ask(server.addr(), "example.test", RecordType::A, PATIENT_TCP);
        expect_eq(
            "query_tcp(.., timeout 3s) to a server that sends a byte every 2 ms",
            addresses(&got),
            Ok(example_addrs()),
        );
    }

    #[test]
    fn query_tcp_reports_each_way_a_server_can_hang_up_early() {
        let cases = [
            (
                TcpReply::Close,
                "closes without a byte",
                "Io(kind: UnexpectedEof)",
            ),
            (
                TcpReply::ShortLength,
                "sends one byte of the length",
                "Frame(Truncated)",
            ),
            (
                TcpReply::CloseMidMessage,
                "closes in the middle of the answer",
                "Frame(Truncated)",
            ),
        ];
        for (reply, what, expected) in cases {
            let server = DnsServer::start(zone().then_tcp(reply));
            let (got, _) = ask(server.addr(), "example.test", RecordType::A, PATIENT_TCP);
            expect_eq(
                format!("query_tcp(..) to a server that {what}"),
                addresses(&got),
                Err(expected.to_string()),
            );
        }
    }

    #[test]
    fn query_tcp_stops_waiting_for_the_rest_of_an_answer_at_its_deadline() {
        // The length says 100 bytes more than follow, and the connection stays open.
        let server = DnsServer::start(zone().then_tcp(TcpReply::LongerThanSent));
        let (got, took) = ask(server.addr(), "example.test", RecordType::A, SHORT_TCP);
        expect_eq(
            "query_tcp(.., timeout 400ms) to a server whose length promises more than it sends",
            got.map(|_| ()).map_err(|e| error(&e)),
            Err(timeout(server.addr())),
        );
        assert_on_time("a length larger than what follows", took, SHORT_TCP.timeout);
    }

    #[test]
    fn query_tcp_refuses_an_answer_over_its_limit() {
        let server = DnsServer::start(zone());
        let small = TcpOptions {
            max_len: 500,
            ..PATIENT_TCP
        };
        let (got, _) = ask(server.addr(), MANY, RecordType::A, small);
        expect_eq(
            "query_tcp(\"many.test\", A, max_len 500): the answer takes 987 bytes",
            addresses(&got),
            Err("Frame(FrameTooLong { len: 987, limit: 500 })".to_string()),
        );
        let hostile = [&[0xFF, 0xFF][..], &[0; 200]].concat();
        let server = DnsServer::start(zone().then_tcp(TcpReply::Raw(hostile)));
        let (got, _) = ask(server.addr(), "example.test", RecordType::A, small);
        expect_eq(
            "query_tcp(.., max_len 500) to a server that announces 65535 bytes and sends 200",
            addresses(&got),
            Err("Frame(FrameTooLong { len: 65535, limit: 500 })".to_string()),
        );
    }

    #[test]
    fn query_tcp_rejects_an_answer_with_another_id() {
        let server = DnsServer::start(zone().then_tcp(TcpReply::WrongId));
        let (got, _) = ask(server.addr(), "example.test", RecordType::A, PATIENT_TCP);
        expect_eq(
            "query_tcp(..) answered with another id",
            addresses(&got),
            Err("NotTheAnswer".to_string()),
        );
    }

    #[test]
    fn query_with_fallback_answers_over_udp_when_the_answer_fits() {
        let server = DnsServer::start(zone());
        let got = fallback(
            server.addr(),
            "example.test",
            RecordType::A,
            PATIENT_UDP,
            PATIENT_TCP,
        );
        expect_eq(
            "query_with_fallback(\"example.test\", A): the addresses and the transport",
            got,
            Ok((example_addrs(), Transport::Udp)),
        );
        expect_eq(
            "questions asked over TCP when the UDP answer fitted",
            server.tcp_queries().len(),
            0,
        );
    }

    #[test]
    fn query_with_fallback_asks_again_over_tcp_after_a_truncated_answer() {
        let server = DnsServer::start(zone());
        let got = fallback(server.addr(), MANY, RecordType::A, PATIENT_UDP, PATIENT_TCP);
        expect_eq(
            "query_with_fallback(\"many.test\", A): 987 bytes do not fit in a datagram",
            got,
            Ok((many_addrs(), Transport::Tcp)),
        );
        let asked = |queries: Vec<netlings::fixtures::dns::Query>| -> Vec<_> {
            queries.into_iter().map(|q| q.question).collect()
        };
        let question = Some((MANY.to_string(), TYPE_A));
        expect_eq(
            "the questions asked over UDP, then over TCP",
            (asked(server.queries()), asked(server.tcp_queries())),
            (vec![question.clone()], vec![question]),
        );
    }

    #[test]
    fn query_with_fallback_asks_over_tcp_after_an_empty_truncated_answer() {
        let server = DnsServer::start(zone().then(&[Reply::Truncated]));
        let got = fallback(
            server.addr(),
            "example.test",
            RecordType::A,
            PATIENT_UDP,
            PATIENT_TCP,
        );
        expect_eq(
            "query_with_fallback(\"example.test\", A) after a UDP answer with TC and no records",
            got,
            Ok((example_addrs(), Transport::Tcp)),
        );
    }

    #[test]
    fn query_with_fallback_reports_a_server_that_truncates_and_refuses_tcp() {
        let server = DnsServer::start(zone().without_tcp());
        let got = fallback(server.addr(), MANY, RecordType::A, PATIENT_UDP, PATIENT_TCP);
        expect_eq(
            "query_with_fallback(\"many.test\", A) to a server that does not listen on TCP",
            got,
            Err(error(&LookupError::Refused(server.addr()))),
        );
    }

    #[test]
    fn query_with_fallback_does_not_ask_over_tcp_after_a_udp_timeout() {
        let server = DnsServer::start(zone().then(&[]).then(&[]));
        let quick = QueryOptions {
            timeout: Duration::from_millis(200),
            attempts: 2,
        };
        let got = fallback(
            server.addr(),
            "example.test",
            RecordType::A,
            quick,
            PATIENT_TCP,
        );
        expect_eq(
            "query_with_fallback(..) to a server that drops both UDP questions",
            got,
            Err(error(&LookupError::Timeout {
                server: server.addr(),
                attempts: 2,
                timeout: quick.timeout,
            })),
        );
        expect_eq(
            "questions asked over TCP after UDP timed out (only TC sends a client to TCP)",
            server.tcp_queries().len(),
            0,
        );
    }

    #[test]
    fn query_with_fallback_reports_the_errors_of_tcp() {
        let server = DnsServer::start(zone().then_tcp(TcpReply::CloseMidMessage));
        let got = fallback(server.addr(), MANY, RecordType::A, PATIENT_UDP, PATIENT_TCP);
        expect_eq(
            "query_with_fallback(\"many.test\", A) when the TCP answer is cut off",
            got,
            Err("Frame(Truncated)".to_string()),
        );
    }
}

mod lookup_tcp {
    use std::net::{IpAddr, SocketAddr};

    use insta::assert_snapshot;
    use netlings::fixtures::dns::{DnsServer, Reply, TcpReply, Zone, poisoned_response};
    use netlings::harness::{DEADLINE, expect_eq, normalize, run_program, within};
    use netlings::support::dns::{LookupError, RecordType};
    use netlings::support::dns_tcp::Transport;

    use crate::shared::{
        EXAMPLE_V4, EXAMPLE_V6, MANY, PATIENT_TCP, PATIENT_UDP, error, example_addrs, framed,
        many_addrs, zone,
    };
    use crate::steps::lookup_tcp::{self as program, Lookup, MAX_ALIASES, Options};

    const EXERCISE: &str = "lookup-tcp";

    fn options(tcp_only: bool) -> Options {
        Options {
            udp: PATIENT_UDP,
            tcp: PATIENT_TCP,
            tcp_only,
        }
    }

    /// `lookup(server, name, type, options)` on its own thread with a deadline.
    fn ask(
        server: SocketAddr,
        name: &str,
        record_type: RecordType,
        options: Options,
    ) -> Result<Lookup, String> {
        let name = name.to_string();
        let waiting_for = format!("lookup({name:?}, {record_type}) against the fixture");
        within(EXERCISE, &waiting_for, DEADLINE, move || {
            program::lookup(server, &name, record_type, options).map_err(|e| error(&e))
        })
    }

    #[test]
    fn lookup_returns_all_60_addresses_of_a_name_too_big_for_udp() {
        let server = DnsServer::start(zone());
        expect_eq(
            "lookup(\"many.test\", A)",
            ask(server.addr(), MANY, RecordType::A, options(false)),
            Ok(Lookup {
                names: vec![MANY.to_string()],
                addrs: many_addrs(),
                transport: Transport::Tcp,
            }),
        );
    }

    #[test]
    fn lookup_answers_over_udp_when_the_answer_fits() {
        let server = DnsServer::start(zone());
        expect_eq(
            "lookup(\"example.test\", A)",
            ask(server.addr(), "example.test", RecordType::A, options(false)),
            Ok(Lookup {
                names: vec!["example.test".to_string()],
                addrs: example_addrs(),
                transport: Transport::Udp,
            }),
        );
        expect_eq("questions asked over TCP", server.tcp_queries().len(), 0);
    }

    #[test]
    fn lookup_asks_over_tcp_only_when_told() {
        let server = DnsServer::start(zone());
        let got = ask(
            server.addr(),
            "example.test",
            RecordType::Aaaa,
            options(true),
        );
        expect_eq(
            "lookup(\"example.test\", AAAA, tcp_only)",
            got.map(|l| (l.addrs, l.transport)),
            Ok((vec![IpAddr::V6(EXAMPLE_V6)], Transport::Tcp)),
        );
        expect_eq(
            "questions asked over UDP with tcp_only",
            server.queries().len(),
            0,
        );
    }

    #[test]
    fn lookup_follows_the_cname_chain_of_an_answer_that_came_over_tcp() {
        let server = DnsServer::start(zone());
        let got = ask(
            server.addr(),
            "www.many.test",
            RecordType::A,
            options(false),
        );
        expect_eq(
            "lookup(\"www.many.test\", A)",
            got,
            Ok(Lookup {
                names: vec!["www.many.test".to_string(), MANY.to_string()],
                addrs: many_addrs(),
                transport: Transport::Tcp,
            }),
        );
    }

    #[test]
    fn lookup_reads_the_rcode_and_the_records_of_a_tcp_answer() {
        let server = DnsServer::start(zone());
        let cases = [
            (
                "nowhere.test",
                RecordType::A,
                "NoSuchHost(\"nowhere.test\")",
            ),
            (
                "v4only.test",
                RecordType::Aaaa,
                "NoAddresses { name: \"v4only.test\", record_type: Aaaa }",
            ),
            ("loop1.test", RecordType::A, "AliasLoop(\"loop1.test\")"),
        ];
        for (name, record_type, expected) in cases {
            expect_eq(
                format!("lookup({name:?}, {record_type}, tcp_only)"),
                ask(server.addr(), name, record_type, options(true)),
                Err(expected.to_string()),
            );
        }
    }

    #[test]
    fn lookup_follows_max_aliases_aliases_and_no_more() {
        // ok0 -> ok1 -> ... -> ok{n}: n aliases, then an address; and one more for long0.
        let server = DnsServer::start(
            Zone::new()
                .alias_chain("ok", MAX_ALIASES, EXAMPLE_V4)
                .alias_chain("long", MAX_ALIASES + 1, EXAMPLE_V4),
        );
        let got = ask(server.addr(), "ok0.test", RecordType::A, options(true));
        expect_eq(
            format!("lookup(\"ok0.test\") through {MAX_ALIASES} aliases: the number of names"),
            got.map(|l| l.names.len()),
            Ok(MAX_ALIASES + 1),
        );
        let got = ask(server.addr(), "long0.test", RecordType::A, options(true));
        expect_eq(
            format!("lookup(\"long0.test\") through {} aliases", MAX_ALIASES + 1),
            got.map(|l| l.names.len()),
            Err("AliasLoop(\"long0.test\")".to_string()),
        );
    }

    #[test]
    fn lookup_reports_servfail() {
        let server = DnsServer::start(zone().then(&[Reply::ServerFailure]));
        expect_eq(
            "lookup(\"example.test\") from a server answering SERVFAIL over UDP",
            ask(server.addr(), "example.test", RecordType::A, options(false)),
            Err("ServerFailure(2)".to_string()),
        );
    }

    #[test]
    fn lookup_ignores_records_for_names_it_did_not_ask_about() {
        // A poisoning attempt over TCP: an extra A record for another name.
        let message = framed(&poisoned_response());
        let server = DnsServer::start(zone().then_tcp(TcpReply::Raw(message)));
        let got = ask(server.addr(), "example.test", RecordType::A, options(true));
        expect_eq(
            "lookup(\"example.test\", tcp_only) with an extra record for bank.test",
            got.map(|l| l.addrs),
            Ok(vec![IpAddr::V4(EXAMPLE_V4)]),
        );
    }

    #[test]
    fn lookup_passes_on_the_errors_of_tcp() {
        let server = DnsServer::start(zone().then_tcp(TcpReply::ShortLength));
        expect_eq(
            "lookup(\"many.test\", A) when the server sends one byte of the TCP length",
            ask(server.addr(), MANY, RecordType::A, options(false)),
            Err("Frame(Truncated)".to_string()),
        );
        let server = DnsServer::start(zone().without_tcp());
        expect_eq(
            "lookup(\"many.test\", A) from a server that does not listen on TCP",
            ask(server.addr(), MANY, RecordType::A, options(false)),
            Err(error(&LookupError::Refused(server.addr()))),
        );
    }

    fn transcript(argv: &[&str]) -> String {
        normalize(&run_program(EXERCISE, argv, program::run).to_string())
    }

    #[test]
    fn program_prints_all_60_addresses_after_retrying_over_tcp() {
        let server = DnsServer::start(zone());
        let addr = server.addr().to_string();
        assert_snapshot!(transcript(&["lookup-tcp", MANY, "--server", &addr]));
    }

    #[test]
    fn program_asks_over_tcp_only_with_the_tcp_flag() {
        let server = DnsServer::start(zone());
        let addr = server.addr().to_string();
        assert_snapshot!(transcript(&[
            "lookup-tcp",
            "www.example.test",
            "--server",
            &addr,
            "--tcp"
        ]));
        assert_eq!(server.queries().len(), 0, "--tcp asked over UDP");
    }

    #[test]
    fn program_reports_an_answer_over_its_max_size() {
        let server = DnsServer::start(zone());
        let addr = server.addr().to_string();
        assert_snapshot!(transcript(&[
            "lookup-tcp",
            MANY,
            "--server",
            &addr,
            "--max-size",
            "512"
        ]));
    }

    #[test]
    fn program_reports_a_server_that_hangs_up_in_the_middle_of_the_answer() {
        let server = DnsServer::start(zone().then_tcp(TcpReply::CloseMidMessage));
        let addr = server.addr().to_string();
        assert_snapshot!(transcript(&["lookup-tcp", MANY, "--server", &addr]));
    }

    #[test]
    fn program_reports_a_server_that_truncates_and_refuses_tcp() {
        let server = DnsServer::start(zone().without_tcp());
        let addr = server.addr().to_string();
        assert_snapshot!(transcript(&["lookup-tcp", MANY, "--server", &addr]));
    }
}
