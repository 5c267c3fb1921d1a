//! The grader as a teacher uses it: `netlings grade STUDENT...` against a course repository,
//! `netlings classroom template`, and the refusals that protect a grade.
//!
//! Every test works on a *course repository* made from this checkout's files (a temporary git
//! repository with one commit), so it grades the course as it is now, committed or not.
//!
//! The fixture set, one student tree per way a grade can go wrong, builds chapter 1 for each
//! student: it is `#[ignore]`d so a learner's `cargo test` stays fast, and CI runs it with
//! `cargo test --test grading -- --ignored` (see `.ci/run`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use netlings::catalog::{DEFAULT_POINTS, EXERCISES};

const CHAPTER_1: [&str; 6] = ["--step", "parse-ip", "--step", "properties", "--step", "ip"];

fn scratch() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("netlings-grading")
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=netlings",
            "-c",
            "user.email=netlings@example.invalid",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "tag.gpgsign=false",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?} in {}: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The files of this checkout that git would commit (tracked or not ignored).
fn course_files() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let listed = git(
        root,
        &[
            "ls-files",
            "--cached",
            "--others",
            "--exclude-standard",
            "-z",
        ],
    );
    listed
        .split('\0')
        .filter(|p| !p.is_empty() && root.join(p).is_file())
        .map(str::to_string)
        .collect()
}

/// Copies this checkout's files into `dir`.
fn copy_course(dir: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for path in course_files() {
        let to = dir.join(&path);
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::copy(root.join(&path), &to).unwrap();
    }
}

/// A git repository holding this checkout's files in one commit: the course as a teacher pins
/// it. Made once per test process, at `name`.
fn course_repo(name: &str) -> PathBuf {
    let dir = scratch().join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    copy_course(&dir);
    git(&dir, &["init", "-q", "-b", "main"]);
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "-q", "-m", "the course"]);
    dir
}

fn netlings(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_netlings"))
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("CARGO_TARGET_DIR")
        .output()
        .expect("netlings runs")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}[exit {:?}]",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
        out.status.code()
    )
}

fn s(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

#[test]
fn every_step_has_points_and_the_default_is_documented() {
    const { assert!(DEFAULT_POINTS > 0) };
    for e in EXERCISES.iter() {
        assert!(
            e.points > 0,
            "step `{}` is worth no points: give it `.worth(n)` with n > 0 in src/catalog.rs",
            e.name
        );
    }
}

#[test]
fn a_ref_a_student_could_shadow_is_refused_and_a_full_sha_is_not() {
    let course = course_repo("shadow");
    let head = git(&course, &["rev-parse", "HEAD"]);
    // `upstream/main` as a remote branch of the course, and a tag of the same name on a commit
    // whose tests were tampered with: git would pick the tag.
    git(
        &course,
        &["update-ref", "refs/remotes/upstream/main", &head],
    );
    fs::write(course.join("tests/ch01_ip.rs"), "// no tests any more\n").unwrap();
    git(&course, &["commit", "-q", "-am", "tampered"]);
    git(&course, &["tag", "upstream/main"]);
    git(&course, &["reset", "-q", "--hard", &head]);
    let student = scratch().join("shadow-student");
    let _ = fs::remove_dir_all(&student);
    fs::create_dir_all(&student).unwrap();
    let out = netlings(&[
        "grade",
        s(&student),
        "--course",
        s(&course),
        "--rev",
        "upstream/main",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with(
            "{\"version\":2,\"status\":\"error\",\"message\":\"`upstream/main` is ambiguous"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("refs/tags/upstream/main"), "{stdout}");
    // An abbreviated id is refused too; the full one resolves (and then the empty student tree
    // fails to be graded for its own reasons, not for the revision).
    let out = netlings(&[
        "grade",
        s(&student),
        "--course",
        s(&course),
        "--rev",
        &head[..12],
        "--step",
        "parse-ip",
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert!(
        text(&out).contains("is neither a full commit id"),
        "{}",
        text(&out)
    );
}

#[test]
fn a_course_that_is_the_students_own_repository_needs_a_full_sha() {
    let course = course_repo("own");
    let out = netlings(&["grade", s(&course), "--course", s(&course), "--rev", "main"]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert!(
        text(&out).contains("is the student's own repository"),
        "{}",
        text(&out)
    );
}

#[test]
fn a_grader_built_with_another_catalog_refuses_to_grade() {
    let course = course_repo("catalog");
    let catalog = course.join("src/catalog.rs");
    let changed = fs::read_to_string(&catalog)
        .unwrap()
        .replace("timeout_secs: 20,", "timeout_secs: 21,");
    fs::write(&catalog, changed).unwrap();
    git(&course, &["commit", "-q", "-am", "a new deadline"]);
    let student = scratch().join("catalog-student");
    fs::create_dir_all(&student).unwrap();
    let out = netlings(&["grade", s(&student), "--course", s(&course)]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert!(
        text(&out).contains("built with another catalog"),
        "{}",
        text(&out)
    );
}

#[test]
fn the_removed_verify_tests_flag_says_what_replaces_it() {
    let out = netlings(&["grade", "--verify-tests", "upstream/main"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("netlings grade --course"),
        "{}",
        text(&out)
    );
}

/// The class repository of the course, written once per test process.
fn template() -> &'static (PathBuf, PathBuf) {
    static TEMPLATE: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let course = course_repo("template-course");
        let dir = scratch().join("template");
        let _ = fs::remove_dir_all(&dir);
        let out = netlings(&[
            "classroom",
            "template",
            s(&dir),
            "--course",
            s(&course),
            "--course-repo",
            "teacher/netlings",
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        (course, dir)
    })
}

#[test]
fn the_template_holds_no_answers_and_builds_without_solutions() {
    let (_, dir) = template();
    for gone in [
        "solutions",
        "book/src/solutions",
        "benches",
        "CONTRIBUTING.md",
        "tests/course.rs",
        "book/src/teaching.md",
    ] {
        assert!(!dir.join(gone).exists(), "the template has {gone}");
    }
    let given = fs::read_to_string(dir.join("src/given.rs")).unwrap();
    assert!(!given.contains("solutions/"), "{given}");
    let toml = fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(
        !toml.contains("path = \"solutions/") && !toml.contains("[[bench]]"),
        "{toml}"
    );
    let summary = fs::read_to_string(dir.join("book/src/SUMMARY.md")).unwrap();
    assert!(!summary.contains("solutions/"), "{summary}");
    let readme = fs::read_to_string(dir.join("README.md")).unwrap();
    for e in EXERCISES.iter() {
        assert!(
            readme.contains(&format!("| {} | `{}`", e.number_label(), e.name)),
            "the README does not list step {}",
            e.name
        );
    }
    for e in EXERCISES.iter() {
        assert!(
            dir.join(e.exercise_path()).is_file(),
            "{}",
            e.exercise_path()
        );
    }
}

/// The `with:` inputs of the workflow step whose `id:` is `id`.
fn step_inputs(workflow: &str, id: &str) -> Vec<(String, String)> {
    let mut lines = workflow
        .lines()
        .skip_while(|l| l.trim() != format!("id: {id}"));
    lines.next();
    lines
        .skip_while(|l| l.trim() != "with:")
        .skip(1)
        .take_while(|l| l.starts_with("          "))
        .filter_map(|l| l.trim().split_once(": "))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn the_classroom_workflow_grades_every_step_of_the_catalog_for_its_points() {
    let (_, dir) = template();
    let workflow = fs::read_to_string(dir.join(".github/workflows/classroom.yml")).unwrap();
    let head = git(&template().0, &["rev-parse", "HEAD"]);
    assert!(workflow.contains(&format!("ref: {head}")), "{workflow}");
    assert!(workflow.contains("repository: teacher/netlings"));
    assert!(
        workflow.contains("sysctl -w net.ipv4.ping_group_range=\"0 2147483647\""),
        "chapter 12's live ping needs ICMP sockets"
    );
    for e in EXERCISES.iter() {
        let inputs = step_inputs(&workflow, e.name);
        let get = |k: &str| {
            inputs
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.as_str())
                .unwrap_or_else(|| panic!("step `{}` has no `{k}` input:\n{workflow}", e.name))
        };
        assert_eq!(get("max-score"), e.points.to_string(), "{}", e.name);
        assert_eq!(get("test-name"), format!("{} {}", e.number_label(), e.name));
        let minutes: u64 = get("timeout").parse().expect("minutes");
        assert!((5..=60).contains(&minutes), "{}: {minutes} min", e.name);
        let command = get("command");
        assert!(
            command.ends_with(&format!("--step {}", e.name))
                && command.contains(&format!("--rev {head}"))
                && command.contains(" grade "),
            "{command}"
        );
        assert!(
            workflow.contains(&format!(
                "{}_RESULTS: \"${{{{ steps.{}.outputs.result }}}}\"",
                e.name.to_uppercase(),
                e.name
            )),
            "the reporter does not read step {}",
            e.name
        );
    }
    let names: Vec<&str> = EXERCISES.iter().map(|e| e.name).collect();
    assert!(
        workflow.ends_with(&format!("runners: {}\n", names.join(","))),
        "the reporter's runners are not the catalog's steps, in order"
    );
    assert_eq!(
        workflow.matches("autograding-command-grader@v1").count(),
        EXERCISES.len()
    );
}

// ---------------------------------------------------------------------------------------------
// The fixture set: a student tree per way a grade can go wrong, graded in one batch.

/// What the fixture does to a fresh copy of the course (whose `exercises/` are the stubs).
struct Fixture {
    name: &'static str,
    setup: fn(&Path),
    /// Points of parse-ip, properties, ip.
    points: [u32; 3],
}

fn read(dir: &Path, path: &str) -> String {
    fs::read_to_string(dir.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn write(dir: &Path, path: &str, text: &str) {
    fs::create_dir_all(dir.join(path).parent().unwrap()).unwrap();
    fs::write(dir.join(path), text).unwrap();
}

const PARSE_IP: &str = "exercises/ch01_ip/1_parse_ip.rs";
const PROPERTIES: &str = "exercises/ch01_ip/2_properties.rs";

/// Chapter 1's reference solutions in `exercises/`.
fn solve(dir: &Path) {
    for file in ["1_parse_ip.rs", "2_properties.rs", "3_ip.rs"] {
        let text = read(dir, &format!("solutions/ch01_ip/{file}"));
        write(dir, &format!("exercises/ch01_ip/{file}"), &text);
    }
}

/// `solve`, then `find` replaced by `with` in `path` (which must contain it).
fn solve_but(dir: &Path, path: &str, find: &str, with: &str) {
    solve(dir);
    let text = read(dir, path);
    assert!(text.contains(find), "{path} has no `{find}`");
    write(dir, path, &text.replacen(find, with, 1));
}

const PARSE_IP_BODY: &str = "pub fn parse_ip(s: &str) -> Option<IpAddr> {\n";
const IS_PRIVATE_BODY: &str = "pub fn is_private(ip: IpAddr) -> bool {\n";

fn fixtures() -> Vec<Fixture> {
    vec![
        Fixture {
            name: "stubs",
            setup: |_| {},
            points: [0, 0, 0],
        },
        Fixture {
            name: "solved",
            setup: solve,
            points: [10, 10, 10],
        },
        Fixture {
            // Its own step costs points; the others still compile and pass, and `ip` uses the
            // course's `parse_ip`, not this one.
            name: "compile-error",
            setup: |d| {
                solve_but(
                    d,
                    PARSE_IP,
                    PARSE_IP_BODY,
                    &format!("{PARSE_IP_BODY}    let broken: u8 = \"not a number\";\n"),
                )
            },
            points: [0, 10, 10],
        },
        Fixture {
            name: "panic",
            setup: |d| {
                solve_but(
                    d,
                    PROPERTIES,
                    IS_PRIVATE_BODY,
                    &format!(
                        "{IS_PRIVATE_BODY}    if ip.is_loopback() {{ panic!(\"is_private gave up on {{ip}}\"); }}\n"
                    ),
                )
            },
            points: [10, 0, 10],
        },
        Fixture {
            name: "stack-overflow",
            setup: |d| {
                solve_but(
                    d,
                    PROPERTIES,
                    IS_PRIVATE_BODY,
                    &format!(
                        "{IS_PRIVATE_BODY}    fn deeper(n: u64) -> u64 {{ if n == u64::MAX {{ n }} else {{ deeper(std::hint::black_box(n + 1)) + 1 }} }}\n    if ip.is_loopback() {{ return deeper(0) == 7; }}\n"
                    ),
                )
            },
            points: [10, 0, 10],
        },
        Fixture {
            // One input hangs: one test times out at its own deadline, its neighbours pass.
            name: "hang",
            setup: |d| {
                solve_but(
                    d,
                    PARSE_IP,
                    PARSE_IP_BODY,
                    &format!(
                        "{PARSE_IP_BODY}    if s == \"0x7f.0.0.1\" {{ loop {{ std::thread::sleep(std::time::Duration::from_secs(60)); }} }}\n"
                    ),
                )
            },
            points: [0, 10, 10],
        },
        Fixture {
            // A detached `sleep` outlives the test: it must not stretch anything.
            name: "detached",
            setup: |d| {
                solve_but(
                    d,
                    PARSE_IP,
                    PARSE_IP_BODY,
                    &format!(
                        "{PARSE_IP_BODY}    static ONCE: std::sync::Once = std::sync::Once::new();\n    ONCE.call_once(|| {{ let _ = std::process::Command::new(\"setsid\").args([\"sleep\", \"61.25\"]).spawn(); }});\n"
                    ),
                )
            },
            points: [10, 10, 10],
        },
        Fixture {
            // Passing code that writes to stdout without a newline, between libtest's lines.
            name: "debug-output",
            setup: |d| {
                solve_but(
                    d,
                    PARSE_IP,
                    PARSE_IP_BODY,
                    &format!(
                        "{PARSE_IP_BODY}    {{ use std::io::Write; let _ = write!(std::io::stdout(), \"[{{s}}]\"); }}\n"
                    ),
                )
            },
            points: [10, 10, 10],
        },
        Fixture {
            // Prints libtest's success lines for every test, then exits 0.
            name: "fake-ok",
            setup: |d| {
                let mut body = String::from("    for name in [");
                for t in [
                    "parse_ip_accepts_a_plain_ipv4_address",
                    "parse_ip_accepts_what_go_accepts",
                    "parse_ip_rejects_what_go_rejects",
                ] {
                    body.push_str(&format!("\"parse_ip::{t}\", "));
                }
                body.push_str("] { println!(\"test {name} ... ok\"); }\n    println!(\"\\ntest result: ok. 7 passed; 0 failed\");\n    std::process::exit(0)\n");
                let stub = read(d, PARSE_IP);
                let start = stub.find("    // TODO").expect("the stub's TODO");
                let end = stub[start..].find("\n}").unwrap() + start;
                write(
                    d,
                    PARSE_IP,
                    &format!("{}{body}{}", &stub[..start], &stub[end + 1..]),
                );
            },
            points: [0, 0, 0],
        },
        Fixture {
            name: "own-tests",
            setup: |d| {
                let mut text = read(d, PARSE_IP);
                text.push_str("\n#[cfg(test)]\nmod mine {\n");
                for i in 0..50 {
                    text.push_str(&format!("    #[test]\n    fn mine_{i}() {{}}\n"));
                }
                text.push_str("}\n");
                write(d, PARSE_IP, &text);
            },
            points: [0, 0, 0],
        },
        Fixture {
            name: "build-rs",
            setup: |d| {
                write(
                    d,
                    "build.rs",
                    "fn main() {\n    println!(\"cargo::rustc-cfg=feature=\\\"solutions\\\"\");\n}\n",
                )
            },
            points: [0, 0, 0],
        },
        Fixture {
            // Tests emptied, a snapshot rewritten, the grader told to give full marks.
            name: "tampered",
            setup: |d| {
                let tests = read(d, "tests/ch01_ip.rs").replace("#[test]", "");
                write(d, "tests/ch01_ip.rs", &tests);
                let snap =
                    "tests/snapshots/ch01_ip__parse_ip__parse_ip_accepts_what_go_accepts.snap";
                write(
                    d,
                    snap,
                    "---\nsource: tests/ch01_ip.rs\nexpression: table\n---\nanything\n",
                );
                let engine = read(d, "src/cli/grade/engine.rs")
                    .replace("if status == StepStatus::Pass {", "if true {");
                write(d, "src/cli/grade/engine.rs", &engine);
            },
            points: [0, 0, 0],
        },
        Fixture {
            // The step's own answer taken from the course's `given`: refused. `ip` may use
            // earlier steps from `given`, as its stub does.
            name: "given-own",
            setup: |d| {
                solve(d);
                write(
                    d,
                    PARSE_IP,
                    "pub use netlings::given::ip::parse_ip::parse_ip;\n",
                );
                write(
                    d,
                    PROPERTIES,
                    "pub use netlings::given::ip::{properties::*};\n",
                );
            },
            points: [0, 0, 10],
        },
        Fixture {
            // A step file that is a link to the reference: not followed.
            name: "symlink",
            setup: |d| {
                let target = d.join("solutions/ch01_ip/1_parse_ip.rs");
                fs::remove_file(d.join(PARSE_IP)).unwrap();
                std::os::unix::fs::symlink(target, d.join(PARSE_IP)).unwrap();
            },
            points: [0, 0, 0],
        },
        Fixture {
            // Answers pulled in from the grader's copy of solutions/.
            name: "include-solution",
            setup: |d| {
                write(
                    d,
                    PARSE_IP,
                    "include!(\"../../solutions/ch01_ip/1_parse_ip.rs\");\n",
                )
            },
            points: [0, 0, 0],
        },
    ]
}

/// What a fixture's `results.json` says about each test: `name → verdict`.
fn verdicts(results: &str) -> Vec<(String, String)> {
    results
        .split("{\"name\":\"")
        .skip(1)
        .filter(|t| t.contains("\"verdict\":\""))
        .map(|t| {
            let name = t.split('"').next().unwrap().to_string();
            let verdict = t
                .split("\"verdict\":\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .to_string();
            (name, verdict)
        })
        .collect()
}

fn detached_sleeps() -> usize {
    fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| fs::read(e.path().join("cmdline")).ok())
        .filter(|c| c.as_slice() == b"sleep\x0061.25\x00")
        .count()
}

#[test]
#[ignore = "builds chapter 1 for every fixture (about a minute); CI runs it with --ignored"]
fn each_fixture_gets_the_grade_it_deserves() {
    let course = course_repo("fixtures-course");
    let students = scratch().join("students");
    let _ = fs::remove_dir_all(&students);
    let mut dirs = Vec::new();
    let fixtures = fixtures();
    for f in &fixtures {
        let dir = students.join(f.name);
        fs::create_dir_all(&dir).unwrap();
        copy_course(&dir);
        (f.setup)(&dir);
        dirs.push(dir);
    }
    // A class repository made from the template, without the course's history.
    let from_template = students.join("template-solved");
    let out = netlings(&[
        "classroom",
        "template",
        s(&from_template),
        "--course",
        s(&course),
        "--course-repo",
        "teacher/netlings",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    git(&from_template, &["init", "-q"]);
    git(&from_template, &["add", "-A"]);
    git(&from_template, &["commit", "-q", "-m", "starter"]);
    for file in ["1_parse_ip.rs", "2_properties.rs", "3_ip.rs"] {
        fs::copy(
            course.join("solutions/ch01_ip").join(file),
            from_template.join("exercises/ch01_ip").join(file),
        )
        .unwrap();
    }
    dirs.push(from_template.clone());

    let grader = scratch().join("grader");
    let out_dir = scratch().join("grades");
    let _ = fs::remove_dir_all(&out_dir);
    let mut args = vec![
        "grade".to_string(),
        "--course".into(),
        s(&course).into(),
        "--target-dir".into(),
        s(&grader).into(),
        "--out".into(),
        s(&out_dir).into(),
    ];
    args.extend(CHAPTER_1.iter().map(|a| a.to_string()));
    args.extend(dirs.iter().map(|d| s(d).to_string()));
    let started = std::time::Instant::now();
    let out = netlings(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let batch_secs = started.elapsed().as_secs_f64();
    assert_eq!(
        out.status.code(),
        Some(1),
        "graded, some failed:\n{}",
        text(&out)
    );
    eprintln!(
        "{} students graded in {batch_secs:.1} s:\n{}",
        dirs.len(),
        text(&out)
    );
    assert_eq!(
        detached_sleeps(),
        0,
        "a detached sleep outlived the grading"
    );

    let csv = fs::read_to_string(out_dir.join("grades.csv")).unwrap();
    let mut expected: Vec<(&str, [u32; 3])> = fixtures.iter().map(|f| (f.name, f.points)).collect();
    expected.push(("template-solved", [10, 10, 10]));
    let mut wrong = Vec::new();
    for (name, points) in &expected {
        let row = csv
            .lines()
            .find(|l| l.starts_with(&format!("{name},")))
            .unwrap_or_else(|| panic!("no row for {name} in\n{csv}"));
        let cells: Vec<&str> = row.split(',').collect();
        let got: Vec<u32> = cells[5..8].iter().map(|c| c.parse().unwrap()).collect();
        if got != points {
            wrong.push(format!(
                "{name}: expected {points:?}, got {got:?}\n{}",
                fs::read_to_string(out_dir.join(name).join("report.txt")).unwrap_or_default()
            ));
        }
    }
    assert!(wrong.is_empty(), "wrong grades:\n{}", wrong.join("\n"));

    let results = |name: &str| fs::read_to_string(out_dir.join(name).join("results.json")).unwrap();
    let count = |name: &str, verdict: &str| {
        verdicts(&results(name))
            .iter()
            .filter(|(_, v)| v == verdict)
            .count()
    };
    // The denominator is the course's 13 declared tests, whatever the tree does.
    for (name, _) in &expected {
        assert_eq!(
            verdicts(&results(name)).len(),
            13,
            "{name}: {}",
            results(name)
        );
    }
    assert_eq!(
        count("compile-error", "error"),
        7,
        "{}",
        results("compile-error")
    );
    assert!(results("compile-error").contains("\"status\":\"compile-error\""));
    // One hanging input costs its own tests; every other test of the tree still passes.
    let hung = count("hang", "timeout");
    assert!(hung >= 1, "{}", results("hang"));
    assert_eq!(count("hang", "pass"), 13 - hung, "{}", results("hang"));
    assert!(
        count("stack-overflow", "error") >= 1,
        "{}",
        results("stack-overflow")
    );
    assert!(
        results("stack-overflow").contains("signal"),
        "{}",
        results("stack-overflow")
    );
    assert_eq!(count("fake-ok", "error"), 7, "{}", results("fake-ok"));
    assert!(results("own-tests").contains("declares 50 test(s) of its own"));
    assert!(results("given-own").contains("\"status\":\"refused\""));
    assert!(results("include-solution").contains("\"status\":\"refused\""));
    assert!(results("solved").contains("\"file_state\":\"reference\""));
    assert!(results("symlink").contains("\"file_state\":\"not-read\""));
    assert!(
        results("detached").contains("starts programs"),
        "{}",
        results("detached")
    );
    let detached_secs: f64 = results("detached")
        .split("\"seconds\":")
        .nth(1)
        .and_then(|x| x.split(',').next())
        .and_then(|x| x.parse().ok())
        .unwrap();
    assert!(
        detached_secs < 30.0,
        "the detached sleep stretched the grade: {detached_secs} s"
    );
    for (name, path) in [
        ("build-rs", "build.rs"),
        ("tampered", "tests/ch01_ip.rs"),
        ("tampered", "src/cli/grade/engine.rs"),
    ] {
        assert!(
            results(name).contains(&format!(
                "{{\"path\":\"{path}\",\"change\":\"{}\",\"affects_grading\":true}}",
                if path == "build.rs" {
                    "added"
                } else {
                    "modified"
                }
            )),
            "{name} should report {path}: {}",
            results(name)
        );
    }
    assert!(
        results("template-solved").contains("\"layout\":\"template\"")
            && results("template-solved").contains("\"findings\":[]"),
        "{}",
        results("template-solved")
    );
    let junit = fs::read_to_string(out_dir.join("hang/junit.xml")).unwrap();
    assert!(junit.contains("<error type=\"timeout\""), "{junit}");
    assert!(
        junit.starts_with(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"netlings\" tests=\"13\""
        ),
        "{junit}"
    );

    // The same verdicts one test at a time as several at once.
    let one_at_a_time = scratch().join("grades-jobs-1");
    let out = netlings(&[
        "grade",
        "--course",
        s(&course),
        "--target-dir",
        s(&grader),
        "--out",
        s(&one_at_a_time),
        "--jobs",
        "1",
        "--step",
        "parse-ip",
        "--step",
        "properties",
        "--step",
        "ip",
        s(&students.join("hang")),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let again = fs::read_to_string(one_at_a_time.join("hang/results.json")).unwrap();
    assert_eq!(verdicts(&again), verdicts(&results("hang")));
}
