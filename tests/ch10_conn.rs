//! Grading tests for chapter 10, one interface: `Conn`, `Dial`, `Listen`. One module per step,
//! in course order. `cargo test --test ch10_conn` runs them against `exercises/ch10_conn/`, and
//! with `--features solutions` against `solutions/ch10_conn/`.

// BEGIN STEPS
// The steps under test: `exercises/ch10_conn/`, or `solutions/ch10_conn/` with `--features solutions`.
// Generated from the catalog by `cargo dev update`. A step's `main` and the helpers its tests do
// not call are unused here, hence `allow(dead_code)`.
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch10_conn/1_networks.rs"
)]
#[cfg_attr(feature = "solutions", path = "../solutions/ch10_conn/1_networks.rs")]
#[allow(dead_code)]
pub mod step1_networks;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch10_conn/2_any_stream.rs"
)]
#[cfg_attr(feature = "solutions", path = "../solutions/ch10_conn/2_any_stream.rs")]
#[allow(dead_code)]
pub mod step2_any_stream;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/ch10_conn/3_dial_listen.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../solutions/ch10_conn/3_dial_listen.rs"
)]
#[allow(dead_code)]
pub mod step3_dial_listen;
#[cfg_attr(not(feature = "solutions"), path = "../exercises/ch10_conn/4_conn.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/ch10_conn/4_conn.rs")]
#[allow(dead_code)]
pub mod step4_conn;
mod steps {
    pub use super::step1_networks as networks;
    pub use super::step2_any_stream as any_stream;
    pub use super::step3_dial_listen as dial_listen;
    pub use super::step4_conn as conn;
}
// END STEPS

mod networks {
    use std::io;
    use std::net::SocketAddr;

    use insta::assert_snapshot;
    use netlings::harness::{Table, expect_eq};
    use netlings::support::network::{Family, Network};

    use crate::steps::networks as conn;

    #[test]
    fn parse_network_knows_tcp() {
        expect_eq(
            "parse_network(\"tcp\")",
            conn::parse_network("tcp"),
            Some(Network::Tcp),
        );
    }

    #[test]
    fn parse_network_knows_gos_names_and_only_those() {
        let mut table = Table::new();
        for name in [
            "tcp", "tcp4", "tcp6", "udp", "udp4", "udp6", "unix", "TCP", "tcp5", "", "ip4:icmp",
            "unixgram",
        ] {
            table.row(format!("parse_network({name:?})"), || {
                conn::parse_network(name)
            });
        }
        assert_snapshot!(table);
    }

    #[test]
    fn resolve_gives_back_an_ip_address_and_its_port() {
        let expected: SocketAddr = "127.0.0.1:7000".parse().expect("a valid socket address");
        expect_eq(
            "resolve(Any, \"127.0.0.1:7000\")",
            conn::resolve(Family::Any, "127.0.0.1:7000").map_err(|e| e.to_string()),
            Ok(vec![expected]),
        );
    }

    #[test]
    fn resolve_keeps_the_addresses_the_family_allows() {
        let mut table = Table::new();
        let cases = [
            (Family::Any, "127.0.0.1:80"),
            (Family::V4, "127.0.0.1:80"),
            (Family::V6, "127.0.0.1:80"),
            (Family::Any, "[::1]:80"),
            (Family::V4, "[::1]:80"),
            (Family::V6, "[::1]:80"),
            (Family::Any, ":80"),
            (Family::V6, ":80"),
            (Family::Any, "127.0.0.1"),
            (Family::Any, "127.0.0.1:99999"),
        ];
        for (family, address) in cases {
            table.row(format!("resolve({family:?}, {address:?})"), || {
                conn::resolve(family, address).map_err(|e| e.to_string())
            });
        }
        assert_snapshot!(table);
    }

    #[test]
    fn resolve_says_invalid_input_for_what_no_network_can_use() {
        for (family, address) in [
            (Family::Any, "127.0.0.1"),
            (Family::V4, "[::1]:80"),
            (Family::V6, "127.0.0.1:80"),
        ] {
            expect_eq(
                format!("resolve({family:?}, {address:?}): the error's kind"),
                conn::resolve(family, address).map_err(|e| e.kind()),
                Err(io::ErrorKind::InvalidInput),
            );
        }
    }
}

mod any_stream {
    use std::io::{self, Read, Write};
    use std::net::Shutdown;
    use std::os::unix::net::UnixStream;
    use std::thread;

    use netlings::harness::{DEADLINE, connected_udp_pair, expect_eq, tcp_pair, within};

    use crate::steps::any_stream as conn;
    use conn::Conn;

    /// Writes `message` through `conn`, then reads the peer's `answer` back through it: both
    /// on a thread, within the deadline. Returns what `conn` read.
    fn write_then_read(mut conn: Conn, message: &'static [u8], answer_len: usize) -> Vec<u8> {
        within(
            "any-stream",
            "a write and a read through a Conn",
            DEADLINE,
            move || {
                conn.set_read_timeout(Some(DEADLINE))
                    .expect("a non-zero timeout is accepted");
                let n = conn
                    .write(message)
                    .unwrap_or_else(|e| panic!("Conn::write({message:?}) failed: {e}"));
                assert_eq!(
                    n,
                    message.len(),
                    "Conn::write({message:?}) should report every byte written"
                );
                conn.flush().expect("Conn::flush has nothing to do");
                let mut buf = vec![0; answer_len];
                conn.read_exact(&mut buf)
                    .unwrap_or_else(|e| panic!("Conn::read of the answer failed: {e}"));
                buf
            },
        )
    }

    /// The peer of a stream: reads `len` bytes, answers them upper-cased.
    fn upper_case_peer<S: Read + Write + Send + 'static>(mut peer: S, len: usize) {
        thread::spawn(move || {
            let mut buf = vec![0; len];
            if peer.read_exact(&mut buf).is_ok() {
                let _ = peer.write_all(&buf.to_ascii_uppercase());
            }
        });
    }

    #[test]
    fn a_tcp_conn_writes_and_reads_its_stream() {
        let (client, peer) = tcp_pair("any-stream");
        peer.set_read_timeout(Some(DEADLINE)).unwrap();
        upper_case_peer(peer, 5);
        expect_eq(
            "what Conn::Tcp read back after writing \"hello\"",
            write_then_read(Conn::Tcp(client), b"hello", 5),
            b"HELLO".to_vec(),
        );
    }

    #[test]
    fn a_unix_conn_writes_and_reads_its_stream() {
        let (client, peer) = UnixStream::pair().expect("a socket pair can be made");
        peer.set_read_timeout(Some(DEADLINE)).unwrap();
        upper_case_peer(peer, 4);
        expect_eq(
            "what Conn::Unix read back after writing \"unix\"",
            write_then_read(Conn::Unix(client), b"unix", 4),
            b"UNIX".to_vec(),
        );
    }

    #[test]
    fn a_udp_conn_sends_a_datagram_and_reads_one_at_a_time() {
        let (peer, client) = connected_udp_pair();
        let me = client.local_addr().unwrap();
        let got = within(
            "any-stream",
            "a datagram out and two back through Conn::Udp",
            DEADLINE,
            move || {
                let mut conn = Conn::Udp(client);
                conn.set_read_timeout(Some(DEADLINE)).unwrap();
                let written = conn
                    .write(b"ping")
                    .unwrap_or_else(|e| panic!("Conn::write on Conn::Udp failed: {e}"));
                let mut buf = [0; 64];
                let (n, from) = peer
                    .recv_from(&mut buf)
                    .expect("the datagram Conn::write sent");
                let sent = buf[..n].to_vec();
                peer.send_to(b"one", from).unwrap();
                peer.send_to(b"two", from).unwrap();
                let first = conn.read(&mut buf).expect("reading the first datagram");
                let first = buf[..first].to_vec();
                let second = conn.read(&mut buf).expect("reading the second datagram");
                (written, sent, from, first, buf[..second].to_vec())
            },
        );
        expect_eq(
            "Conn::Udp: (bytes written, the datagram sent, its sender, then two reads of one \
             datagram each)",
            got,
            (4, b"ping".to_vec(), me, b"one".to_vec(), b"two".to_vec()),
        );
    }

    #[test]
    fn echo_serves_any_stream_that_can_read_and_write() {
        // The same generic function, over a Unix socket pair and over TCP.
        let (mut client, server) = UnixStream::pair().expect("a socket pair can be made");
        client.set_read_timeout(Some(DEADLINE)).unwrap();
        client.write_all(b"over a unix pair").unwrap();
        client.shutdown(Shutdown::Write).unwrap();
        let echoed = within(
            "any-stream",
            "echo over a UnixStream to end after the peer's EOF",
            DEADLINE,
            move || conn::echo(server),
        );
        let mut back = String::new();
        client.read_to_string(&mut back).expect("reading the echo");
        expect_eq(
            "echo(UnixStream): bytes echoed",
            echoed.map_err(|e| e.to_string()),
            Ok(16),
        );
        expect_eq(
            "echo(UnixStream): what came back",
            back,
            "over a unix pair".to_string(),
        );

        let (mut client, server) = tcp_pair("any-stream");
        let big: Vec<u8> = (0..100_000u32).map(|i| (i % 253) as u8).collect();
        let expected = big.clone();
        let writer = {
            let mut client = client.try_clone().unwrap();
            thread::spawn(move || {
                let _ = client.write_all(&big);
                let _ = client.shutdown(Shutdown::Write);
            })
        };
        let echoed = within(
            "any-stream",
            "echo over a TcpStream to end after the peer's EOF",
            DEADLINE,
            move || conn::echo(server),
        );
        let mut back = Vec::new();
        client.read_to_end(&mut back).expect("reading the echo");
        let _ = writer.join();
        expect_eq(
            "echo(TcpStream): bytes echoed",
            echoed.map_err(|e| e.to_string()),
            Ok(100_000),
        );
        assert!(
            back == expected,
            "echo(TcpStream): the 100000 bytes that came back differ from those sent ({} bytes back)",
            back.len()
        );
    }

    /// A stream as awkward as the real ones can be, without a socket: its first read is
    /// interrupted by a signal (`Interrupted`), each later read returns at most 5 bytes, and each
    /// write takes at most 3 bytes, as a full socket buffer would.
    struct Awkward {
        input: Vec<u8>,
        interrupted: bool,
        output: Vec<u8>,
    }

    impl Read for Awkward {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if !self.interrupted {
                self.interrupted = true;
                return Err(io::Error::from(io::ErrorKind::Interrupted));
            }
            let n = buf.len().min(5).min(self.input.len());
            buf[..n].copy_from_slice(&self.input[..n]);
            self.input.drain(..n);
            Ok(n)
        }
    }

    impl Write for Awkward {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            let n = buf.len().min(3);
            self.output.extend_from_slice(&buf[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn echo_retries_an_interrupted_read_and_sends_every_byte_of_a_short_write() {
        let message = b"a signal, then short reads and short writes";
        let mut stream = Awkward {
            input: message.to_vec(),
            interrupted: false,
            output: Vec::new(),
        };
        let echoed = conn::echo(&mut stream);
        expect_eq(
            "echo(): bytes echoed when the first read fails with Interrupted (a signal: read again)",
            echoed.map_err(|e| e.to_string()),
            Ok(message.len() as u64),
        );
        expect_eq(
            "echo(): what was written back when write() takes 3 bytes at a time (use write_all)",
            String::from_utf8_lossy(&stream.output).into_owned(),
            String::from_utf8_lossy(message).into_owned(),
        );
    }

    #[test]
    fn echo_serves_a_conn_as_well() {
        let (mut client, server) = UnixStream::pair().expect("a socket pair can be made");
        client.set_read_timeout(Some(DEADLINE)).unwrap();
        client.write_all(b"through Conn").unwrap();
        client.shutdown(Shutdown::Write).unwrap();
        let echoed = within(
            "any-stream",
            "echo over a Conn::Unix to end after the peer's EOF",
            DEADLINE,
            move || conn::echo(Conn::Unix(server)),
        );
        let mut back = String::new();
        client.read_to_string(&mut back).expect("reading the echo");
        expect_eq(
            "echo(Conn::Unix): (bytes echoed, what came back)",
            (echoed.map_err(|e| e.to_string()), back),
            (Ok(12), "through Conn".to_string()),
        );
    }
}

mod dial_listen {
    use std::io::{self, Read, Write};
    use std::net::{TcpListener, UdpSocket};
    use std::os::unix::net::UnixListener;
    use std::thread;

    use insta::assert_snapshot;
    use netlings::fixtures::loopback::{closed_tcp_port, ipv6_loopback};
    use netlings::given::conn::any_stream::{Conn, echo};
    use netlings::harness::{DEADLINE, Table, expect_eq, normalize, skip, tcp_listener, within};
    use netlings::support::tempdir::TempDir;

    use crate::steps::dial_listen as conn;

    /// Starts a TCP echo server for one connection on `listener` (test-side, std only).
    pub fn tcp_echo_once(listener: TcpListener) {
        thread::spawn(move || {
            if let Ok((mut stream, _)) = listener.accept() {
                let _ = stream.set_read_timeout(Some(DEADLINE));
                let mut buf = [0; 1024];
                while let Ok(n @ 1..) = stream.read(&mut buf) {
                    let _ = stream.write_all(&buf[..n]);
                }
            }
        });
    }

    /// Starts a UDP echo server for a few datagrams on `socket` (test-side, std only).
    fn udp_echo(socket: UdpSocket) {
        thread::spawn(move || {
            let _ = socket.set_read_timeout(Some(DEADLINE));
            let mut buf = [0; 1024];
            while let Ok((n, from)) = socket.recv_from(&mut buf) {
                let _ = socket.send_to(&buf[..n], from);
            }
        });
    }

    /// Dials `network`/`address` with the step's `dial`, sends `message` and reads the echo:
    /// all within the deadline.
    fn dial_and_echo(network: &'static str, address: String, message: &'static str) -> String {
        let waiting_for = format!("dial({network:?}, {address:?}) and an echo of {message:?}");
        within("dial-listen", &waiting_for.clone(), DEADLINE, move || {
            let mut conn =
                conn::dial(network, &address).unwrap_or_else(|e| panic!("{waiting_for}: {e}"));
            conn.set_read_timeout(Some(DEADLINE))
                .expect("a non-zero timeout is accepted");
            conn.write_all(message.as_bytes())
                .unwrap_or_else(|e| panic!("writing to the Conn: {e}"));
            conn.flush()
                .unwrap_or_else(|e| panic!("flushing the Conn (there is nothing to flush): {e}"));
            let mut buf = vec![0; message.len()];
            conn.read_exact(&mut buf)
                .unwrap_or_else(|e| panic!("reading the echo from the Conn: {e}"));
            String::from_utf8_lossy(&buf).into_owned()
        })
    }

    /// Runs `f` unless this machine has no IPv6 loopback, in which case it says so on stderr.
    fn with_ipv6(f: impl FnOnce()) {
        match ipv6_loopback() {
            Ok(()) => f(),
            Err(why) => skip(&format!("this machine has no IPv6 loopback ({why})")),
        }
    }
    #[test]
    fn dial_tcp_reaches_a_tcp_server() {
        let listener = tcp_listener();
        let addr = listener.local_addr().unwrap().to_string();
        tcp_echo_once(listener);
        expect_eq(
            "the echo through dial(\"tcp\", ...)",
            dial_and_echo("tcp", addr, "hello tcp"),
            "hello tcp".to_string(),
        );
    }

    #[test]
    fn dial_tcp4_reaches_an_ipv4_server() {
        let listener = tcp_listener();
        let addr = listener.local_addr().unwrap().to_string();
        tcp_echo_once(listener);
        expect_eq(
            "the echo through dial(\"tcp4\", ...)",
            dial_and_echo("tcp4", addr, "hello tcp4"),
            "hello tcp4".to_string(),
        );
    }

    #[test]
    fn dial_tcp6_reaches_an_ipv6_server() {
        with_ipv6(|| {
            let listener = TcpListener::bind("[::1]:0").expect("[::1] is available");
            let addr = listener.local_addr().unwrap().to_string();
            tcp_echo_once(listener);
            expect_eq(
                "the echo through dial(\"tcp6\", ...)",
                dial_and_echo("tcp6", addr, "hello tcp6"),
                "hello tcp6".to_string(),
            );
        });
    }

    #[test]
    fn dial_udp_and_udp4_reach_a_udp_server() {
        for network in ["udp", "udp4"] {
            let socket = UdpSocket::bind("127.0.0.1:0").expect("binding 127.0.0.1:0 always works");
            let addr = socket.local_addr().unwrap().to_string();
            udp_echo(socket);
            let message = if network == "udp" {
                "hello udp"
            } else {
                "hello udp4"
            };
            expect_eq(
                format!("the echo through dial({network:?}, ...)"),
                dial_and_echo(network, addr, message),
                message.to_string(),
            );
        }
    }

    #[test]
    fn dial_udp6_reaches_an_ipv6_udp_server() {
        with_ipv6(|| {
            let socket = UdpSocket::bind("[::1]:0").expect("[::1] is available");
            let addr = socket.local_addr().unwrap().to_string();
            udp_echo(socket);
            expect_eq(
                "the echo through dial(\"udp6\", ...)",
                dial_and_echo("udp6", addr, "hello udp6"),
                "hello udp6".to_string(),
            );
        });
    }

    #[test]
    fn dial_unix_reaches_a_unix_stream_server() {
        let dir = TempDir::new("conn").expect("a temporary directory can be made");
        let path = dir.join("echo.sock");
        let listener = UnixListener::bind(&path).expect("binding a fresh path works");
        thread::spawn(move || {
            if let Ok((mut stream, _)) = listener.accept() {
                let _ = stream.set_read_timeout(Some(DEADLINE));
                let mut buf = [0; 1024];
                while let Ok(n @ 1..) = stream.read(&mut buf) {
                    let _ = stream.write_all(&buf[..n]);
                }
            }
        });
        let address = path.to_string_lossy().into_owned();
        expect_eq(
            "the echo through dial(\"unix\", ...)",
            dial_and_echo("unix", address, "hello unix"),
            "hello unix".to_string(),
        );
    }

    #[test]
    fn dial_to_a_closed_port_is_refused_and_says_where() {
        let addr = closed_tcp_port().to_string();
        let result = within(
            "dial-listen",
            "dial to a closed port to fail",
            DEADLINE,
            move || conn::dial("tcp", &addr).map(drop),
        );
        let err = result.expect_err("dial(\"tcp\", closed port) must fail");
        expect_eq(
            "dial(\"tcp\", closed port): error kind",
            err.kind(),
            io::ErrorKind::ConnectionRefused,
        );
        let text = normalize(&err.to_string());
        assert!(
            text.starts_with("dial tcp 127.0.0.1:[port]: "),
            "the error should start like Go's, `dial tcp 127.0.0.1:[port]: `, got `{text}`"
        );
    }

    #[test]
    fn a_dialed_udp_conn_reads_one_datagram_at_a_time() {
        let socket = UdpSocket::bind("127.0.0.1:0").expect("binding 127.0.0.1:0 always works");
        let addr = socket.local_addr().unwrap().to_string();
        let got = within(
            "dial-listen",
            "two datagrams through a udp Conn",
            DEADLINE,
            move || {
                let mut conn = conn::dial("udp", &addr).expect("dial udp to a bound socket");
                conn.set_read_timeout(Some(DEADLINE)).unwrap();
                let Conn::Udp(local) = &conn else {
                    panic!("dial(\"udp\", ...) must return Conn::Udp, got {conn:?}")
                };
                let me = local.local_addr().unwrap();
                socket.send_to(b"one", me).unwrap();
                socket.send_to(b"two", me).unwrap();
                let mut buf = [0; 64];
                let first = conn.read(&mut buf).expect("reading the first datagram");
                let first = buf[..first].to_vec();
                let second = conn.read(&mut buf).expect("reading the second datagram");
                (first, buf[..second].to_vec())
            },
        );
        expect_eq(
            "two reads on a udp Conn (one datagram each)",
            got,
            (b"one".to_vec(), b"two".to_vec()),
        );
    }

    #[test]
    fn dial_explains_what_it_cannot_dial_like_go() {
        let mut table = Table::new();
        let cases = [
            ("foo", "127.0.0.1:80"),
            ("TCP", "127.0.0.1:80"),
            ("", "127.0.0.1:80"),
            ("ip4:icmp", "127.0.0.1"),
            ("tcp", "127.0.0.1"),
            ("tcp", "127.0.0.1:99999"),
            ("tcp4", "[::1]:80"),
            ("udp6", "127.0.0.1:80"),
            ("unix", ""),
        ];
        for (network, address) in cases {
            table.row(format!("dial({network:?}, {address:?})"), || {
                within("dial-listen", "dial to fail", DEADLINE, move || {
                    conn::dial(network, address)
                        .map(drop)
                        .map_err(|e| e.to_string())
                })
            });
        }
        assert_snapshot!(table);
    }

    /// Accepts one connection on the step's listener and serves it with the given `echo`.
    fn accept_and_echo(listener: conn::Listener) -> thread::JoinHandle<io::Result<u64>> {
        thread::spawn(move || echo(listener.accept()?))
    }

    #[test]
    fn listen_tcp_accepts_a_connection_that_echo_serves() {
        let listener = within(
            "dial-listen",
            "listen(\"tcp\", \"127.0.0.1:0\")",
            DEADLINE,
            || conn::listen("tcp", "127.0.0.1:0"),
        )
        .unwrap_or_else(|e| panic!("listen(\"tcp\", \"127.0.0.1:0\") failed: {e}"));
        let addr = listener.addr().expect("a listener has an address");
        let served = accept_and_echo(listener);
        expect_eq(
            "the echo through listen(\"tcp\") + accept",
            dial_and_echo("tcp", addr, "accepted"),
            "accepted".to_string(),
        );
        let _ = served;
    }

    #[test]
    fn listen_unix_accepts_a_connection_that_the_same_echo_serves() {
        let dir = TempDir::new("conn").expect("a temporary directory can be made");
        let path = dir.join("listen.sock").to_string_lossy().into_owned();
        let p = path.clone();
        let listener = within(
            "dial-listen",
            "listen(\"unix\", path)",
            DEADLINE,
            move || conn::listen("unix", &p),
        )
        .unwrap_or_else(|e| panic!("listen(\"unix\", {path:?}) failed: {e}"));
        expect_eq(
            "Listener::addr() of a unix listener",
            listener.addr().ok(),
            Some(path.clone()),
        );
        let served = accept_and_echo(listener);
        expect_eq(
            "the echo through listen(\"unix\") + accept",
            dial_and_echo("unix", path, "over unix"),
            "over unix".to_string(),
        );
        let _ = served;
    }

    #[test]
    fn listen_tcp6_accepts_on_the_ipv6_loopback() {
        with_ipv6(|| {
            let listener = within(
                "dial-listen",
                "listen(\"tcp6\", \"[::1]:0\")",
                DEADLINE,
                || conn::listen("tcp6", "[::1]:0"),
            )
            .unwrap_or_else(|e| panic!("listen(\"tcp6\", \"[::1]:0\") failed: {e}"));
            let addr = listener.addr().expect("a listener has an address");
            assert!(
                addr.starts_with("[::1]:"),
                "a tcp6 listener on [::1] should say so, got {addr}"
            );
            let _served = accept_and_echo(listener);
            expect_eq(
                "the echo through listen(\"tcp6\")",
                dial_and_echo("tcp6", addr, "six"),
                "six".to_string(),
            );
        });
    }

    #[test]
    fn listen_explains_what_it_cannot_listen_on() {
        let mut table = Table::new();
        for (network, address) in [
            ("udp", "127.0.0.1:0"),
            ("foo", "127.0.0.1:0"),
            ("tcp4", "[::1]:0"),
            ("tcp", "127.0.0.1"),
            // Linux would bind an empty path to a random name no client can find.
            ("unix", ""),
        ] {
            table.row(format!("listen({network:?}, {address:?})"), || {
                within("dial-listen", "listen to fail", DEADLINE, move || {
                    conn::listen(network, address)
                        .map(drop)
                        .map_err(|e| e.to_string())
                })
            });
        }
        assert_snapshot!(table);
    }

    #[test]
    fn dropping_a_unix_listener_removes_its_socket_file() {
        let dir = TempDir::new("conn").expect("a temporary directory can be made");
        let path = dir.join("gone.sock");
        let p = path.to_string_lossy().into_owned();
        let listener = within(
            "dial-listen",
            "listen(\"unix\", path)",
            DEADLINE,
            move || conn::listen("unix", &p),
        )
        .unwrap_or_else(|e| panic!("listen(\"unix\", ...) failed: {e}"));
        assert!(
            path.exists(),
            "listen(\"unix\", path) should create the socket file {}",
            path.display()
        );
        drop(listener);
        assert!(
            !path.exists(),
            "dropping the listener should remove {} (Go's Close does)",
            path.display()
        );
    }
}

mod conn {
    use std::io::{self, Read, Write};
    use std::net::{SocketAddr, TcpStream, UdpSocket};
    use std::os::unix::net::{UnixListener, UnixStream};
    use std::time::{Duration, Instant};

    use insta::assert_snapshot;
    use netlings::fixtures::child::{ChildServer, Shortage};
    use netlings::fixtures::loopback::{Background, closed_udp_port, drip_echo};
    use netlings::given::conn::any_stream::{Conn, echo};
    use netlings::given::conn::dial_listen::listen;
    use netlings::harness::{
        DEADLINE, connected_udp_pair, expect_eq, normalize, run_program, tcp_listener, within,
    };
    use netlings::support::tempdir::TempDir;

    use crate::dial_listen::tcp_echo_once;
    use crate::steps::conn;

    /// Sends `message` on `stream` and reads its echo, checking first that the server still runs.
    fn echo_of(server: &mut Background, stream: &mut TcpStream, message: &str) -> String {
        server.check_alive();
        stream.write_all(message.as_bytes()).unwrap();
        let mut buf = vec![0; message.len()];
        if let Err(e) = stream.read_exact(&mut buf) {
            server.explain_failure(&format!(
                "no echo of {message:?} within {DEADLINE:?} ({e}): does serve run each \
                 connection on its own thread?"
            ));
        }
        String::from_utf8_lossy(&buf).into_owned()
    }

    #[test]
    fn serve_answers_a_client_with_the_handler() {
        let listener = listen("tcp", "127.0.0.1:0").expect("the given listen works");
        let addr: SocketAddr = listener.addr().unwrap().parse().unwrap();
        let mut server = Background::spawn("conn", "serve", move || {
            conn::serve(&listener, &mut io::sink(), echo)
        });
        let mut client = server.connect(addr, "a client");
        expect_eq(
            "the echo through serve(listener, log, echo)",
            echo_of(&mut server, &mut client, "hello"),
            "hello".to_string(),
        );
    }

    #[test]
    fn serve_gives_each_connection_its_own_thread() {
        let listener = listen("tcp", "127.0.0.1:0").expect("the given listen works");
        let addr: SocketAddr = listener.addr().unwrap().parse().unwrap();
        let mut server = Background::spawn("conn", "serve", move || {
            conn::serve(&listener, &mut io::sink(), echo)
        });
        // The first client stays connected and silent: a server that serves one connection
        // at a time is stuck with it and never answers the second.
        let mut first = server.connect(addr, "the first client");
        let mut second = server.connect(addr, "the second client");
        expect_eq(
            "the echo for a second client while the first is still connected",
            echo_of(&mut server, &mut second, "second"),
            "second".to_string(),
        );
        expect_eq(
            "the echo for the first client, after the second",
            echo_of(&mut server, &mut first, "first"),
            "first".to_string(),
        );
    }

    /// A UDP peer and a `Conn::Udp` connected to it; reads on either give up after [`DEADLINE`].
    fn udp_pair() -> (UdpSocket, Conn) {
        let (peer, client) = connected_udp_pair();
        (peer, Conn::Udp(client))
    }

    /// A `Conn::Unix` whose reads give up after [`DEADLINE`], and on the other end a peer that
    /// reads `len` bytes, answers `answer` and closes.
    fn unix_peer_answering(len: usize, answer: &'static [u8]) -> Conn {
        let (client, mut peer) = UnixStream::pair().expect("a socket pair can be made");
        client.set_read_timeout(Some(DEADLINE)).unwrap();
        std::thread::spawn(move || {
            let mut buf = vec![0; len];
            if peer.read_exact(&mut buf).is_ok() {
                let _ = peer.write_all(answer);
            }
            // Dropping `peer` closes it: the client's next read returns 0.
        });
        Conn::Unix(client)
    }

    /// `exchange(conn, network, address, message, limit)` on a thread of its own, within
    /// [`DEADLINE`]; `with` names the peer in the timeout message.
    fn exchange(
        mut conn: Conn,
        (network, address): (&'static str, &'static str),
        message: &'static str,
        limit: Duration,
        with: &str,
    ) -> io::Result<String> {
        let waiting_for = format!("exchange() {with}");
        within("conn", &waiting_for, DEADLINE, move || {
            conn::exchange(&mut conn, network, address, message, limit)
        })
    }

    #[test]
    fn exchange_returns_the_echo() {
        let client = unix_peer_answering(5, b"hello");
        let got = exchange(
            client,
            ("unix", "/some.sock"),
            "hello",
            DEADLINE,
            "over a Unix stream",
        )
        .map_err(|e| e.to_string());
        expect_eq(
            "exchange(Conn::Unix, \"unix\", \"/some.sock\", \"hello\")",
            got,
            Ok("hello".to_string()),
        );
    }

    #[test]
    fn exchange_reads_until_the_whole_echo_has_come() {
        // Over UDP each read is one datagram: an answer in two datagrams needs two reads.
        let (peer, client) = udp_pair();
        std::thread::spawn(move || {
            let mut buf = [0; 64];
            if let Ok((_, from)) = peer.recv_from(&mut buf) {
                let _ = peer.send_to(b"hel", from);
                let _ = peer.send_to(b"lo", from);
            }
        });
        let got = exchange(
            client,
            ("udp", "127.0.0.1:7"),
            "hello",
            DEADLINE,
            "of an echo in two parts",
        )
        .map_err(|e| e.to_string());
        expect_eq(
            "exchange(..., \"hello\") when the echo comes as \"hel\", then \"lo\"",
            got,
            Ok("hello".to_string()),
        );
    }

    #[test]
    fn exchange_returns_what_came_when_the_peer_closes() {
        let client = unix_peer_answering(5, b"hel");
        let got = exchange(
            client,
            ("unix", "/some.sock"),
            "hello",
            DEADLINE,
            "with a peer that closes",
        )
        .map_err(|e| e.to_string());
        expect_eq(
            "exchange(..., \"hello\") when the peer answers \"hel\" and closes",
            got,
            Ok("hel".to_string()),
        );
    }

    #[test]
    fn exchange_says_when_no_answer_came_in_time() {
        let (peer, client) = udp_pair();
        let limit = Duration::from_millis(100);
        let got = exchange(
            client,
            ("udp", "127.0.0.1:7"),
            "anyone?",
            limit,
            "with a silent peer",
        )
        .map_err(|e| (e.kind(), e.to_string()));
        drop(peer);
        expect_eq(
            "exchange(.., \"anyone?\", 100ms) with a silent peer: (kind, message)",
            got,
            Err((
                io::ErrorKind::TimedOut,
                "read udp 127.0.0.1:7: no answer within 100ms".to_string(),
            )),
        );
    }

    #[test]
    fn exchange_ends_at_its_limit_however_the_peer_drips() {
        // The peer sends the echo back one byte every 50 ms: each read gets a byte long before a
        // 300 ms timeout would fire, so only a limit on the whole exchange stops at 300 ms.
        let (client, peer) = UnixStream::pair().expect("a socket pair can be made");
        let message = "twenty bytes, slowly";
        drip_echo(peer, message.len(), Duration::from_millis(50));
        let limit = Duration::from_millis(300);
        let started = Instant::now();
        let got = exchange(
            Conn::Unix(client),
            ("unix", "/drip.sock"),
            message,
            limit,
            "with a dripping peer",
        )
        .map_err(|e| (e.kind(), e.to_string()));
        let elapsed = started.elapsed();
        expect_eq(
            format!(
                "exchange(.., {message:?}, 300ms) with a peer that echoes a byte every 50 ms \
                 (returned after {elapsed:?}; set each read's timeout to the time left until \
                 the end, fixed once)"
            ),
            got,
            Err((
                io::ErrorKind::TimedOut,
                "read unix /drip.sock: no answer within 300ms".to_string(),
            )),
        );
    }

    #[test]
    fn the_program_dials_and_prints_the_echoes() {
        let listener = tcp_listener();
        let addr: SocketAddr = listener.local_addr().unwrap();
        tcp_echo_once(listener);
        let addr = addr.to_string();
        let transcript = run_program(
            "conn",
            &["conn", "dial", "tcp", &addr, "hello", "world"],
            conn::run,
        );
        assert_snapshot!(normalize(&transcript.to_string()));
    }

    #[test]
    fn the_program_says_which_read_a_closed_udp_port_refused() {
        let addr = closed_udp_port().to_string();
        let transcript = run_program("conn", &["conn", "dial", "udp", &addr, "hello"], conn::run);
        assert!(
            !transcript.success(),
            "a closed UDP port is an error:\n{transcript}"
        );
        assert_snapshot!(normalize(&transcript.to_string()));
    }

    #[test]
    fn the_program_explains_a_unix_path_that_is_taken() {
        let dir = TempDir::new("conn").expect("a temporary directory can be made");
        let path = dir.join("taken.sock");
        // A listener that died without removing its file leaves exactly this behind.
        let stale = UnixListener::bind(&path).expect("binding a fresh path works");
        drop(stale);
        let path = path.to_string_lossy().into_owned();
        let transcript = run_program("conn", &["conn", "listen", "unix", &path], conn::run);
        assert!(
            !transcript.success(),
            "listening on a taken path is an error:\n{transcript}"
        );
        assert_snapshot!(transcript.to_string().replace(&path, "[path]"));
    }

    #[test]
    fn the_program_never_suggests_removing_a_file_that_is_not_a_socket() {
        let dir = TempDir::new("conn").expect("a temporary directory can be made");
        let path = dir.join("notes.txt");
        std::fs::write(&path, "not a socket").expect("writing a file in our own directory");
        let path = path.to_string_lossy().into_owned();
        let transcript = run_program("conn", &["conn", "listen", "unix", &path], conn::run);
        assert!(
            !transcript.success(),
            "listening on a path that is a regular file is an error:\n{transcript}"
        );
        assert_snapshot!(transcript.to_string().replace(&path, "[path]"));
    }

    #[test]
    fn the_program_reports_an_unknown_network() {
        let transcript = run_program("conn", &["conn", "dial", "foo", "127.0.0.1:80"], conn::run);
        assert!(
            !transcript.success(),
            "an unknown network is an error:\n{transcript}"
        );
        assert_snapshot!(transcript);
    }

    /// Starts `serve` with `echo` on a TCP listener, in a child process short of `shortage`
    /// (`None`: this system cannot make that shortage, and the test is skipped).
    fn child_server(shortage: Shortage) -> Option<ChildServer> {
        ChildServer::builder("conn")
            .short_of(shortage)
            .start(|out| {
                let listener = listen("tcp", "127.0.0.1:0")?;
                writeln!(out, "listening on {}", listener.addr()?)?;
                conn::serve(&listener, out, echo)
            })
    }

    #[test]
    fn serve_closes_only_the_connection_it_has_no_thread_for() {
        // The child has room for three more threads, and each client needs one.
        let Some(mut server) = child_server(Shortage::Threads(3)) else {
            return;
        };
        // No thread can be started for the fourth: `thread::spawn` panics, which ends the
        // accept loop (and the program). Only this client should go.
        let mut held = server.expect_one_client_too_many_closed(
            3,
            ": is each connection served on a thread of its own?",
        );
        // One leaves; its thread ends, and a new client is served again.
        held.pop();
        server.expect_room_again();
    }

    #[test]
    fn serve_waits_out_a_shortage_of_descriptors_without_spinning() {
        // Five descriptors for clients; ten connect. The kernel completes every handshake and
        // queues the last five, and every `accept` fails with EMFILE until a client leaves.
        let Some(mut server) = child_server(Shortage::Descriptors(6)) else {
            return;
        };
        // Measured over 800 ms: a loop that retries at once logs thousands of lines and burns
        // a CPU.
        server.expect_descriptor_shortage_waited_out(
            5,
            5,
            Duration::from_millis(800),
            3,
            ": log the line AcceptBackoff::failed gives (once per burst) and sleep as long as it \
             says",
        );
    }
}
