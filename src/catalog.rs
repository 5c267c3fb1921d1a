//! The course catalog: the single source of truth for the chapters and their steps.
//!
//! A chapter ports one section of the notes; it is a few **steps**, each one idea with at most
//! three functions to write, and its last step is the runnable program of the notes. Everything
//! else is derived from this list, or checked against it by `tests/course.rs` and
//! `netlings dev check`: the files of each step, the chapter's test target and its step modules,
//! `Cargo.toml`'s example targets, `src/given.rs`, `book/src/SUMMARY.md`, and the course order.
//!
//! A step named `parse-ip`, the first of chapter 1 (`slug: "ip"`), lives in:
//!
//! | file | what it is |
//! |---|---|
//! | `exercises/ch01_ip/1_parse_ip.rs` | the learner's stub: compiles, fails its tests |
//! | `solutions/ch01_ip/1_parse_ip.rs` | the reference: the same public API, complete |
//! | `tests/ch01_ip.rs`, module `parse_ip` | its grading tests (one test target per chapter) |
//! | `book/src/ch01_ip.md` | the chapter page, a section per step |
//! | `book/src/solutions/ch01_ip.md` | the solutions page, shown after the pass |
//! | `book/src/hints/parse-ip.md` | the hint: `netlings hint` and the book both show it |
//!
//! Adding a step: add it here, create its files, then run `cargo dev update` (it writes the
//! generated parts: `Cargo.toml`'s examples, `src/given.rs`, the test target's module list and
//! the stub ids).
//!
//! Grading: a step is worth [`DEFAULT_POINTS`] unless its entry says otherwise,
//! `step(...).worth(20)`. `netlings grade` awards them when every one of the step's tests
//! passes, and the GitHub Classroom workflow `netlings classroom template` writes gives each
//! step the same points.

use std::sync::LazyLock;

/// One chapter: a section of the notes, a page of the book, one test target.
#[derive(Debug, PartialEq, Eq)]
pub struct Chapter {
    /// The chapter number; the course order.
    pub number: u8,
    /// The short name: the chapter's directory is `ch<NN>_<slug with _ for ->`.
    pub slug: &'static str,
    /// The chapter's title.
    pub title: &'static str,
    /// The Go API the chapter ports, as it appears in the notes.
    pub go: &'static [&'static str],
    /// The cargo features the chapter's code needs (`async`: tokio), passed by `netlings check`
    /// and `netlings run` for its steps only, so no other chapter builds them. Empty for most.
    pub features: &'static [&'static str],
    /// How long one step's tests may run before the check gives up on them.
    pub timeout_secs: u64,
    /// The steps, in order; the last is the chapter's program.
    pub steps: &'static [Step],
}

impl Chapter {
    /// The stem shared by the chapter's directories, test target and pages: `ch01_ip`.
    pub fn dir(&self) -> String {
        format!("ch{:02}_{}", self.number, self.slug.replace('-', "_"))
    }
    /// The test target that grades every step of the chapter.
    pub fn test_path(&self) -> String {
        format!("tests/{}.rs", self.dir())
    }
    /// The chapter page.
    pub fn book_path(&self) -> String {
        format!("book/src/{}.md", self.dir())
    }
    /// The page with the chapter's solutions.
    pub fn solutions_page(&self) -> String {
        format!("book/src/solutions/{}.md", self.dir())
    }
    /// The cargo features a build of the chapter's steps needs: `solutions` for the reference
    /// files, then the chapter's own [`features`](Self::features). Empty for most chapters.
    pub fn cargo_features(&self, solution: bool) -> Vec<&'static str> {
        let own = self.features.iter().copied();
        solution
            .then_some("solutions")
            .into_iter()
            .chain(own)
            .collect()
    }
}

/// One step as the catalog lists it.
#[derive(Debug, PartialEq, Eq)]
pub struct Step {
    /// The name learners type (`netlings check parse-ip`); unique in the course. The last step
    /// of a chapter is named after its program.
    pub name: &'static str,
    /// What the step is about, in a few words.
    pub title: &'static str,
    /// A nudge, not the answer: `book/src/hints/<name>.md`.
    pub hint: &'static str,
    /// What the step is worth in a grade: all of it when every one of its tests passes, none
    /// otherwise (so tests a stub already passes carry nothing). [`DEFAULT_POINTS`] unless the
    /// catalog says otherwise with [`Step::worth`].
    pub points: u32,
}

/// The points of a step the catalog gives no other value (see [`Step::worth`]).
pub const DEFAULT_POINTS: u32 = 10;

/// A step worth [`DEFAULT_POINTS`].
const fn step(name: &'static str, title: &'static str, hint: &'static str) -> Step {
    Step {
        name,
        title,
        hint,
        points: DEFAULT_POINTS,
    }
}

impl Step {
    /// The same step worth `points` instead: `step("ip", "The program: ip", hint!("ip")).worth(20)`.
    pub const fn worth(self, points: u32) -> Step {
        Step { points, ..self }
    }
}

/// The hint of step `$name`, read from the book at compile time so it is written once.
macro_rules! hint {
    ($name:literal) => {
        include_str!(concat!("../book/src/hints/", $name, ".md"))
    };
}

/// One step with its place in the course: what the command line, the checks and the
/// generators work with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exercise {
    /// The step's name, e.g. `parse-ip`.
    pub name: &'static str,
    /// What the step is about.
    pub title: &'static str,
    /// The hint.
    pub hint: &'static str,
    /// What passing all its tests is worth in a grade.
    pub points: u32,
    /// The chapter it belongs to.
    pub chapter: &'static Chapter,
    /// Its number in the chapter, from 1.
    pub number: usize,
}

impl Exercise {
    /// The Rust module the step's code and its tests live in: `parse_ip`.
    pub fn module(&self) -> String {
        self.name.replace('-', "_")
    }
    /// The step's file name, the same in `exercises/` and `solutions/`: `1_parse_ip.rs`.
    pub fn file_name(&self) -> String {
        format!("{}_{}.rs", self.number, self.module())
    }
    /// The learner's file, from the course root.
    pub fn exercise_path(&self) -> String {
        format!("exercises/{}/{}", self.chapter.dir(), self.file_name())
    }
    /// The reference solution, from the course root.
    pub fn solution_path(&self) -> String {
        format!("solutions/{}/{}", self.chapter.dir(), self.file_name())
    }
    /// The cargo test target holding the step's tests (with the chapter's other steps).
    pub fn test_target(&self) -> String {
        self.chapter.dir()
    }
    /// The prefix of this step's test names in its chapter's target (`parse_ip::`).
    pub fn test_prefix(&self) -> String {
        format!("{}::", self.module())
    }
    /// Whether this is the chapter's program (its last step), a cargo example one can run.
    pub fn is_program(&self) -> bool {
        self.number == self.chapter.steps.len()
    }
    /// The cargo example that runs the learner's program (only for the program step).
    pub fn example(&self) -> String {
        self.name.to_string()
    }
    /// The cargo example that runs the reference program (needs `--features solutions`).
    pub fn solution_example(&self) -> String {
        format!("{}-solution", self.name)
    }
    /// "3.2" for the second step of chapter 3.
    pub fn number_label(&self) -> String {
        format!("{}.{}", self.chapter.number, self.number)
    }
}

/// Every step of the course, in order.
pub static EXERCISES: LazyLock<Vec<Exercise>> = LazyLock::new(|| {
    CHAPTERS
        .iter()
        .flat_map(|chapter| {
            chapter
                .steps
                .iter()
                .enumerate()
                .map(move |(i, step)| Exercise {
                    name: step.name,
                    title: step.title,
                    hint: step.hint,
                    points: step.points,
                    chapter,
                    number: i + 1,
                })
        })
        .collect()
});

/// Looks a step up by name (`parse-ip`) or number (`1.1`); a chapter's name alone (`ip`, `ch01`)
/// finds its program step, which is named after the chapter's program.
pub fn find(name: &str) -> Option<&'static Exercise> {
    EXERCISES.iter().find(|e| {
        e.name == name
            || e.number_label() == name
            || (e.is_program() && (e.chapter.dir() == name || e.chapter.dir()[..4] == *name))
    })
}

/// The course, in order.
pub static CHAPTERS: &[Chapter] = &[
    Chapter {
        number: 1,
        slug: "ip",
        title: "IP addresses",
        go: &[
            "ParseIP",
            "IP.String",
            "IP.IsLoopback",
            "IP.IsPrivate",
            "IP.IsGlobalUnicast",
        ],
        features: &[],
        timeout_secs: 20,
        steps: &[
            step("parse-ip", "Parsing an address", hint!("parse-ip")),
            step(
                "properties",
                "Asking an address questions",
                hint!("properties"),
            ),
            step("ip", "The program: ip", hint!("ip")),
        ],
    },
    Chapter {
        number: 2,
        slug: "mask",
        title: "Masks and networks",
        go: &[
            "IPMask",
            "IPv4Mask",
            "CIDRMask",
            "IP.DefaultMask",
            "IP.Mask",
            "IPMask.Size",
            "ParseCIDR",
        ],
        features: &[],
        timeout_secs: 20,
        steps: &[
            step("masks", "Building masks", hint!("masks")),
            step(
                "apply-mask",
                "From a mask to a network",
                hint!("apply-mask"),
            ),
            step("hosts", "Broadcast and hosts", hint!("hosts")),
            step("mask", "The program: mask", hint!("mask")),
        ],
    },
    Chapter {
        number: 3,
        slug: "lookup",
        title: "Host lookup and DNS",
        go: &["IPAddr", "ResolveIPAddr", "LookupHost"],
        features: &[],
        timeout_secs: 30,
        steps: &[
            step(
                "system-resolver",
                "Asking the system resolver",
                hint!("system-resolver"),
            ),
            step("encode-query", "Writing a question", hint!("encode-query")),
            step(
                "read-name",
                "Names and compression pointers",
                hint!("read-name"),
            ),
            step(
                "parse-response",
                "Reading an answer",
                hint!("parse-response"),
            ),
            step("dns-query", "Asking over UDP", hint!("dns-query")),
            step("lookup", "The program: lookup", hint!("lookup")),
        ],
    },
    Chapter {
        number: 4,
        slug: "services",
        title: "Services and ports",
        go: &["LookupPort"],
        features: &[],
        timeout_secs: 20,
        steps: &[
            step(
                "parse-services",
                "Reading services(5)",
                hint!("parse-services"),
            ),
            step("lookup-port", "Go's LookupPort", hint!("lookup-port")),
            step("services", "The program: services", hint!("services")),
        ],
    },
    Chapter {
        number: 5,
        slug: "tcp-addr",
        title: "TCP addresses",
        go: &["TCPAddr", "ResolveTCPAddr", "SplitHostPort"],
        features: &[],
        timeout_secs: 20,
        steps: &[
            step(
                "split-host-port",
                "Splitting host and port",
                hint!("split-host-port"),
            ),
            step(
                "resolve-port",
                "The port: a number or a name",
                hint!("resolve-port"),
            ),
            step(
                "resolve-host",
                "The host: empty, zone, literal or name",
                hint!("resolve-host"),
            ),
            step("tcp-addr", "The program: tcp-addr", hint!("tcp-addr")),
        ],
    },
    Chapter {
        number: 6,
        slug: "tcp-client",
        title: "A TCP client",
        go: &[
            "ResolveTCPAddr",
            "DialTCP",
            "TCPConn.Write",
            "TCPConn.Read",
            "ioutil.ReadAll",
        ],
        features: &[],
        timeout_secs: 20,
        steps: &[
            step("dial-tcp", "Resolving and connecting", hint!("dial-tcp")),
            step(
                "get-head-info",
                "Write everything, read until EOF",
                hint!("get-head-info"),
            ),
            step("tcp-client", "The program: tcp-client", hint!("tcp-client")),
        ],
    },
    Chapter {
        number: 7,
        slug: "echo-server",
        title: "A concurrent TCP server",
        go: &[
            "ListenTCP",
            "TCPListener.Accept",
            "go handleClient(conn)",
            "TCPConn.Close",
        ],
        features: &[],
        timeout_secs: 30,
        steps: &[
            step("echo-loop", "Echo until EOF", hint!("echo-loop")),
            step(
                "stop-handle",
                "Waking a blocked accept",
                hint!("stop-handle"),
            ),
            step("accept-loop", "One thread per client", hint!("accept-loop")),
            step(
                "echo-server",
                "The program: echo-server",
                hint!("echo-server"),
            ),
        ],
    },
    Chapter {
        number: 8,
        slug: "timeouts",
        title: "Timeouts, deadlines and keepalive",
        go: &[
            "TCPConn.SetTimeout",
            "TCPConn.SetDeadline",
            "TCPConn.SetKeepAlive",
            "DialTimeout",
        ],
        features: &[],
        timeout_secs: 30,
        steps: &[
            step("deadlines", "Deadlines from timeouts", hint!("deadlines")),
            step(
                "slow-clients",
                "A server that drops slow clients",
                hint!("slow-clients"),
            ),
            step(
                "keepalive",
                "Connect timeouts and keepalive",
                hint!("keepalive"),
            ),
            step("timeouts", "The program: timeouts", hint!("timeouts")),
        ],
    },
    Chapter {
        number: 9,
        slug: "udp",
        title: "UDP",
        go: &[
            "ResolveUDPAddr",
            "DialUDP",
            "ListenUDP",
            "UDPConn.ReadFromUDP",
            "UDPConn.WriteToUDP",
            "UDPConn.Read",
            "UDPConn.Write",
        ],
        features: &[],
        timeout_secs: 30,
        steps: &[
            step("udp-server", "Answering datagrams", hint!("udp-server")),
            step(
                "udp-request",
                "A client that gives up",
                hint!("udp-request"),
            ),
            step("udp", "The program: udp", hint!("udp")),
        ],
    },
    Chapter {
        number: 10,
        slug: "conn",
        title: "One interface: Conn, Dial, Listen",
        go: &["Conn", "Dial", "Listen", "Listener.Accept"],
        features: &[],
        timeout_secs: 30,
        steps: &[
            step("networks", "Network names and addresses", hint!("networks")),
            step(
                "any-stream",
                "One type for three sockets",
                hint!("any-stream"),
            ),
            step("dial-listen", "Dial and Listen", hint!("dial-listen")),
            step("conn", "The program: conn", hint!("conn")),
        ],
    },
    Chapter {
        number: 11,
        slug: "packet",
        title: "Packet connections",
        go: &[
            "PacketConn",
            "ListenPacket",
            "PacketConn.ReadFrom",
            "PacketConn.WriteTo",
        ],
        features: &[],
        timeout_secs: 30,
        steps: &[
            step(
                "packet-conn",
                "A trait for datagram sockets",
                hint!("packet-conn"),
            ),
            step(
                "packet-echo",
                "Written once for any socket",
                hint!("packet-echo"),
            ),
            step("packet", "The program: packet", hint!("packet")),
        ],
    },
    Chapter {
        number: 12,
        slug: "ping",
        title: "Raw sockets and ICMP ping",
        go: &[
            "DialIP(\"ip4:icmp\")",
            "IPConn.Write",
            "IPConn.Read",
            "checkSum",
        ],
        features: &[],
        timeout_secs: 30,
        steps: &[
            step("checksum", "The Internet checksum", hint!("checksum")),
            step(
                "echo-message",
                "Reading and writing an echo message",
                hint!("echo-message"),
            ),
            step("match-reply", "Recognising our reply", hint!("match-reply")),
            step(
                "choose-socket",
                "Raw or datagram: who may ping",
                hint!("choose-socket"),
            ),
            step("ping", "The program: ping", hint!("ping")),
        ],
    },
    Chapter {
        number: 13,
        slug: "framing",
        title: "Framing and partial I/O",
        go: &[
            "bufio.Reader.ReadString",
            "bufio.Reader.ReadLine",
            "io.ReadFull",
            "encoding/binary",
        ],
        features: &[],
        timeout_secs: 30,
        steps: &[
            step(
                "delimited",
                "Reading a line with a limit",
                hint!("delimited"),
            ),
            step("frames", "Length-prefixed frames", hint!("frames")),
            step("framing", "The program: framing", hint!("framing")),
        ],
    },
    Chapter {
        number: 14,
        slug: "dns-tcp",
        title: "DNS over TCP",
        go: &[
            "Resolver.LookupHost",
            "Conn.SetDeadline",
            "io.ReadFull",
            "binary.BigEndian.Uint16",
        ],
        features: &[],
        timeout_secs: 30,
        steps: &[
            step(
                "tcp-exchange",
                "One question over a stream",
                hint!("tcp-exchange"),
            ),
            step(
                "query-tcp",
                "Asking over TCP, and when to",
                hint!("query-tcp"),
            ),
            step("lookup-tcp", "The program: lookup-tcp", hint!("lookup-tcp")),
        ],
    },
    Chapter {
        number: 15,
        slug: "clients",
        title: "Thousands of clients",
        go: &[
            "go handleClient(conn)",
            "runtime netpoller",
            "syscall.Setrlimit(RLIMIT_NOFILE)",
        ],
        features: &["async"],
        timeout_secs: 60,
        steps: &[
            step(
                "worker-pool",
                "A bounded pool of threads",
                hint!("worker-pool"),
            ),
            step(
                "async-echo",
                "Tasks instead of threads",
                hint!("async-echo"),
            ),
            step("clients", "The program: clients", hint!("clients")),
        ],
    },
];
