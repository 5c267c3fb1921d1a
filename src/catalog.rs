//! The course catalog: the single source of truth for the exercises.
//!
//! Everything else is derived from this list or checked against it by `tests/course.rs` and
//! `netlings dev check`: the file names in `exercises/`, `solutions/` and `tests/`, the example
//! targets in `Cargo.toml`, the chapters in `book/src/SUMMARY.md`, and the order of the course.
//!
//! Adding an exercise: add an entry here, create the four files named by [`Exercise::file`], then
//! run `cargo run -- dev update` (it writes the `Cargo.toml` targets and the stub hash).

/// One exercise: one chapter of the book, one program, one test target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exercise {
    /// The name learners type: `netlings run ip`.
    pub name: &'static str,
    /// The chapter number in the book; the course order.
    pub chapter: u8,
    /// The chapter's title.
    pub title: &'static str,
    /// The common file stem: `exercises/<file>.rs`, `solutions/<file>.rs`, `tests/<file>.rs`,
    /// `book/src/<file>.md`.
    pub file: &'static str,
    /// The Go API the chapter ports, as it appears in the notes.
    pub go: &'static [&'static str],
    /// Shown by `netlings hint`: a nudge, not the answer.
    pub hint: &'static str,
    /// Git blob id of the pristine stub, so `netlings reset` can restore it from history.
    pub stub: &'static str,
    /// How long the exercise's tests may run before the harness gives up on them.
    pub timeout_secs: u64,
}

impl Exercise {
    /// The learner's file.
    pub fn exercise_path(&self) -> String {
        format!("exercises/{}.rs", self.file)
    }
    /// The reference solution.
    pub fn solution_path(&self) -> String {
        format!("solutions/{}.rs", self.file)
    }
    /// The grading tests.
    pub fn test_path(&self) -> String {
        format!("tests/{}.rs", self.file)
    }
    /// The chapter, relative to `book/src/`.
    pub fn book_path(&self) -> String {
        format!("{}.md", self.file)
    }
    /// The cargo example that runs the learner's program.
    pub fn example(&self) -> String {
        self.name.to_string()
    }
    /// The cargo example that runs the reference program (needs `--features solutions`).
    pub fn solution_example(&self) -> String {
        format!("{}-solution", self.name)
    }
}

/// Looks an exercise up by name (`ip`) or by file stem (`ch01_ip`).
pub fn find(name: &str) -> Option<&'static Exercise> {
    EXERCISES.iter().find(|e| e.name == name || e.file == name)
}

/// The course, in order.
pub static EXERCISES: &[Exercise] = &[
    Exercise {
        name: "ip",
        chapter: 1,
        title: "IP addresses",
        file: "ch01_ip",
        go: &[
            "ParseIP",
            "IP.String",
            "IP.IsLoopback",
            "IP.IsPrivate",
            "IP.IsGlobalUnicast",
        ],
        hint: "std already parses addresses: `s.parse::<IpAddr>()`. What it returns for \
               `::ffff:1.2.3.4` differs from Go: look at `IpAddr::to_canonical`. For the \
               properties, turn the address into bits (`u32::from(v4)`, `u128::from(v6)`) and \
               compare prefixes.",
        stub: "ca9d016388b9cf610f1dc4e99f815a7d635280bc",
        timeout_secs: 20,
    },
    Exercise {
        name: "mask",
        chapter: 2,
        title: "Masks and networks",
        file: "ch02_mask",
        go: &[
            "IPMask",
            "IPv4Mask",
            "CIDRMask",
            "IP.DefaultMask",
            "IP.Mask",
            "IPMask.Size",
            "ParseCIDR",
        ],
        hint: "A mask is a number with ones on the left: work on `u32`/`u128` bits. \
               `leading_ones` gives the prefix length and the mask is canonical exactly when \
               `ones + trailing_zeros == bits`. Network = address & mask, broadcast = network | !mask.",
        stub: "f09a7ab2cf508778485ef97e8c63cba2a0f945fa",
        timeout_secs: 20,
    },
    Exercise {
        name: "lookup",
        chapter: 3,
        title: "Host lookup and DNS",
        file: "ch03_lookup",
        go: &["IPAddr", "ResolveIPAddr", "LookupHost"],
        hint: "std's resolver is `(host, 0).to_socket_addrs()`: keep the IPs, drop the port. \
               For DNS, write the query byte by byte with `Header` and length-prefixed labels; \
               read names with `.get()` on every index, and only let compression pointers jump \
               backwards. Use a connected `UdpSocket` with a read timeout, and keep reading until \
               the id and question match.",
        stub: "64fcd2c3331fcde624d45a47ee3d1a7517646f28",
        timeout_secs: 30,
    },
    Exercise {
        name: "services",
        chapter: 4,
        title: "Services and ports",
        file: "ch04_services",
        go: &["LookupPort"],
        hint: "Cut each line at '#', then `split_whitespace`: name, port/protocol, aliases. A bad \
               line is skipped, not an error. In `lookup_port_in`, numbers come first (whatever \
               the network), then tcp4/tcp6 become tcp, then the file, then Go's built-in table.",
        stub: "9745207cab9634d68215498a28f7ea7f77fdcb44",
        timeout_secs: 20,
    },
    Exercise {
        name: "tcp-addr",
        chapter: 5,
        title: "TCP addresses",
        file: "ch05_tcp_addr",
        go: &["TCPAddr", "ResolveTCPAddr", "SplitHostPort"],
        hint: "Split at the last ':' unless the host starts with '['. The port is a number or a \
               name for `names.port(\"tcp\", ..)`. A `%zone` needs a number for `SocketAddrV6`: \
               parse it, or ask `interface_index`. Filter the resolver's answers by family and \
               prefer IPv4 for plain \"tcp\".",
        stub: "3e9d7b79f1a6e981df7d5b7ea88669671f4ea469",
        timeout_secs: 20,
    },
    Exercise {
        name: "tcp-client",
        chapter: 6,
        title: "A TCP client",
        file: "ch06_tcp_client",
        go: &[
            "ResolveTCPAddr",
            "DialTCP",
            "TCPConn.Write",
            "TCPConn.Read",
            "ioutil.ReadAll",
        ],
        hint: "TCP carries bytes, not messages: one `read` returns whatever has arrived, so read \
               until it returns 0 (EOF), which is what `read_to_end` does. `write` may send part \
               of the buffer; `write_all` sends it all. Connect with `TcpStream::connect_timeout` \
               and set read and write timeouts so a silent server cannot hang you.",
        stub: "9d6eb0f4059b62ec40d0e4fed3a80114f29c3a9d",
        timeout_secs: 20,
    },
    Exercise {
        name: "echo-server",
        chapter: 7,
        title: "A concurrent TCP server",
        file: "ch07_echo_server",
        go: &[
            "ListenTCP",
            "TCPListener.Accept",
            "go handleClient(conn)",
            "TCPConn.Close",
        ],
        hint: "In `echo`, `Ok(0)` is EOF: return. Retry `Interrupted`, give up on any other error, \
               and echo with `write_all`. In `serve`, spawn a thread per connection and keep the \
               loop going whatever one client does. `accept` cannot time out: to stop, set the \
               flag and connect to the listener yourself so `accept` returns.",
        stub: "ebb12dedeb8da545727ec86ed5b2c287e31d42bb",
        timeout_secs: 30,
    },
    Exercise {
        name: "timeouts",
        chapter: 8,
        title: "Timeouts, deadlines and keepalive",
        file: "ch08_timeouts",
        go: &[
            "TCPConn.SetTimeout",
            "TCPConn.SetDeadline",
            "TCPConn.SetKeepAlive",
            "DialTimeout",
        ],
        hint: "std's timeouts are per call and relative; Go's deadlines are absolute. Keep an \
               `Instant` and set the socket timeout to the time left before every call. An \
               expired timeout is `WouldBlock` on Unix. Keepalive is not in std: \
               `socket2::SockRef::from(&stream)` reaches it.",
        stub: "db37ae877868e352315d6d1ceff91dbabc35be81",
        timeout_secs: 30,
    },
    Exercise {
        name: "udp",
        chapter: 9,
        title: "UDP",
        file: "ch09_udp",
        go: &[
            "ResolveUDPAddr",
            "DialUDP",
            "ListenUDP",
            "UDPConn.ReadFromUDP",
            "UDPConn.WriteToUDP",
            "UDPConn.Read",
            "UDPConn.Write",
        ],
        hint: "A server needs only `recv_from` and `send_to`: the address that came with the \
               datagram is the way back. A client must never wait forever: `set_read_timeout`, \
               then resend a bounded number of times. A read timeout shows up as `WouldBlock` \
               on Unix, and a connected socket reports a closed port as `ConnectionRefused`.",
        stub: "b35c38fa26903b771a2121deccd174363ec42e02",
        timeout_secs: 30,
    },
    Exercise {
        name: "conn",
        chapter: 10,
        title: "One interface: Conn, Dial, Listen",
        file: "ch10_conn",
        go: &["Conn", "Dial", "Listen", "Listener.Accept"],
        hint: "Rust has no interface that TCP, UDP and Unix sockets share, but the set of \
               networks is closed: an enum with one variant per socket type, and `impl Read` / \
               `impl Write` that `match` on it. `UdpSocket` has `send`/`recv` where the others \
               have `write`/`read`. Write `echo` once, generic over `S: Read + Write`.",
        stub: "87d6affaef22c3a8dc3eb38e2d5f99e80fb32877",
        timeout_secs: 30,
    },
    Exercise {
        name: "packet",
        chapter: 11,
        title: "Packet connections",
        file: "ch11_packet",
        go: &[
            "PacketConn",
            "ListenPacket",
            "PacketConn.ReadFrom",
            "PacketConn.WriteTo",
        ],
        hint: "Each impl forwards to the socket's own methods; call them by path \
               (`UdpSocket::recv_from(self, buf)`) so you do not call the trait method itself. \
               A Unix datagram reply goes out with `send_to_addr`. The echo server is written \
               once, generic over `P: PacketConn`, and a failed reply must not stop it.",
        stub: "c0ee34192220c00762320e7834b2e2853a5b5126",
        timeout_secs: 30,
    },
    Exercise {
        name: "ping",
        chapter: 12,
        title: "Raw sockets and ICMP ping",
        file: "ch12_ping",
        go: &[
            "DialIP(\"ip4:icmp\")",
            "IPConn.Write",
            "IPConn.Read",
            "checkSum",
        ],
        hint: "Start with `checksum`: add the message as big-endian u16 words into a u32, pad an \
               odd last byte with a zero, fold the carries (`(s & 0xFFFF) + (s >> 16)`) and \
               invert. A raw IPv4 socket hands you the IP header first: its length is \
               `(first_byte & 0x0F) * 4`. On loopback the first thing you read is your own \
               request (type 8): skip it.",
        stub: "de3617f5e5896728d34ed2924cd690f01749cf58",
        timeout_secs: 30,
    },
];
