//! `netlings grade`: every declared test of the course, each in its own process with its own
//! deadline, verdicts from exit statuses and libtest's logfile, points per step.
//!
//! - `netlings grade STUDENT_DIR...` is the **trusted grader**. It builds the course's own tree
//!   at a pinned commit (its tests, snapshots, harness, library, `Cargo.toml`, `Cargo.lock`,
//!   `.cargo/`), read from the course repository's object store into a work directory of its
//!   own, lays over it only each student's step files (those the catalog names), and grades.
//!   Nothing else from a student's repository is built or run; what differs is reported. All
//!   students share one work tree and one target directory, so a batch compiles the course
//!   once and then only each student's test targets.
//! - `netlings grade` alone grades the tree it runs in, in place: a self-check for learners
//!   and maintainers (`--solutions`), with the same verdicts and points but no trust.
//!
//! Submodules: `course` (the pinned tree), `student` (what is taken and what is reported),
//! `scan` (step files that reach for the reference answers), `engine` (build and run),
//! `verdict` (one test, one process), `report` (text, JSON, JUnit, class CSV and JSON).

pub mod course;
mod engine;
mod report;
mod scan;
pub mod student;
mod verdict;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Instant;

use netlings::catalog::{self, EXERCISES, Exercise};

use super::Format;
use super::process::become_subreaper;
use super::term;
use course::{CourseTree, is_full_sha, materialize, read_tree, resolve, write_if_changed};
use engine::{Progress, StepStatus, Tree};
use report::{EXIT_ERROR, EXIT_FAIL, EXIT_PASS, Report, class_csv, class_json};
use student::FileState;

/// The catalog this grader was built with: it must be the catalog of the course it grades.
const OWN_CATALOG: &str = include_str!("../../catalog.rs");

/// What `netlings grade` was asked to do.
pub struct Options {
    pub students: Vec<PathBuf>,
    pub course: Option<PathBuf>,
    pub rev: Option<String>,
    pub format: Format,
    pub out: Option<PathBuf>,
    pub steps: Vec<String>,
    pub jobs: Option<usize>,
    pub target_dir: Option<PathBuf>,
    pub solutions: bool,
}

/// Prints `report` in `format` on stdout.
fn print(report: &Report, format: Format) {
    print!("{}", render(report, format));
}

fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Text => report.text(term::colors()),
        Format::Json => report.json(),
        Format::Junit => report.junit(),
    }
}

/// `netlings grade`.
pub fn command(root: &Path, opts: Options) -> ExitCode {
    become_subreaper();
    let fail = |why: String| {
        print(&Report::could_not_grade("", "", None, why), opts.format);
        ExitCode::from(EXIT_ERROR)
    };
    let steps: Vec<&'static Exercise> = if opts.steps.is_empty() {
        EXERCISES.iter().collect()
    } else {
        let mut chosen = Vec::new();
        for name in &opts.steps {
            match catalog::find(name) {
                Some(e) => chosen.push(e),
                None => return fail(format!("there is no step `{name}`")),
            }
        }
        // Course order, each once.
        EXERCISES
            .iter()
            .filter(|e| chosen.iter().any(|c| c.name == e.name))
            .collect()
    };
    let jobs = opts.jobs.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2)
    });
    let result = if opts.students.is_empty() {
        Ok(in_place(root, &opts, &steps, jobs))
    } else if opts.solutions {
        Err("--solutions grades the tree netlings runs in; it cannot be combined with student directories".to_string())
    } else {
        trusted(root, &opts, &steps, jobs)
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(why) => fail(why),
    }
}

/// A progress line on stderr, rewritten in place on a terminal; silent otherwise (a grader in
/// CI keeps stderr for real errors).
fn progress_line(prefix: &str) -> impl Fn(Progress) + Sync + '_ {
    let live = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let last = Mutex::new(Instant::now());
    move |p: Progress| {
        if !live {
            return;
        }
        let text = match p {
            Progress::Building(n) => format!("building {n} chapter(s)"),
            Progress::Rebuilding(chapter) => {
                format!("rebuilding chapter `{chapter}` without the steps that do not compile")
            }
            Progress::Testing { done, total } => {
                let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
                if done != total && last.elapsed().as_millis() < 100 {
                    return;
                }
                *last = Instant::now();
                format!("testing: {done}/{total} tests")
            }
        };
        eprint!("\r\x1b[2K{prefix}{text}");
    }
}

fn clear_progress() {
    if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        eprint!("\r\x1b[2K");
    }
}

/// Grades the tree netlings runs in, as it is.
fn in_place(root: &Path, opts: &Options, steps: &[&'static Exercise], jobs: usize) -> u8 {
    let start = Instant::now();
    let tree = Tree {
        root,
        target_dir: opts.target_dir.as_deref(),
        solutions: opts.solutions,
        stub: None,
        jobs,
    };
    let progress = progress_line("");
    let graded = engine::grade(&tree, steps, &progress);
    clear_progress();
    let report = Report {
        student: if opts.solutions {
            "the reference solutions".to_string()
        } else {
            "this tree".to_string()
        },
        dir: root.display().to_string(),
        course_commit: None,
        submission: None,
        steps: graded,
        warnings: Vec::new(),
        error: None,
        seconds: start.elapsed().as_secs_f64(),
    };
    if let Some(out) = &opts.out
        && let Err(why) = write_report(out, &report)
    {
        eprintln!("netlings: {why}");
    }
    print(&report, opts.format);
    report.exit_code()
}

fn absolute(path: &Path) -> PathBuf {
    path.canonicalize()
        .unwrap_or_else(|_| std::env::current_dir().unwrap_or_default().join(path))
}

/// Holds an exclusive lock on `path` (created if needed) while it lives: one grader at a time
/// uses a work tree.
struct Lock {
    _file: File,
}

fn lock(path: &Path) -> Result<Lock, String> {
    use std::os::fd::AsRawFd;
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(|e| format!("cannot open the lock file {}: {e}", path.display()))?;
    // SAFETY: flock(2) on a file descriptor we own.
    unsafe {
        if libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) != 0 {
            eprintln!(
                "netlings: waiting for another `netlings grade` that uses {}",
                path.parent().unwrap_or(path).display()
            );
            if libc::flock(file.as_raw_fd(), libc::LOCK_EX) != 0 {
                return Err(format!("cannot lock {}", path.display()));
            }
        }
    }
    Ok(Lock { _file: file })
}

/// The trusted grader: each student's step files in the course's own tree at a pinned commit.
fn trusted(
    root: &Path,
    opts: &Options,
    steps: &[&'static Exercise],
    jobs: usize,
) -> Result<u8, String> {
    let batch_start = Instant::now();
    let course_dir = absolute(opts.course.as_deref().unwrap_or(root));
    let rev = opts.rev.as_deref().unwrap_or("HEAD");
    let students: Vec<PathBuf> = opts.students.iter().map(|d| absolute(d)).collect();
    let built_from = absolute(Path::new(env!("CARGO_MANIFEST_DIR")));
    for dir in &students {
        if course_dir.starts_with(dir) && !is_full_sha(rev) {
            return Err(format!(
                "the course repository {} is the student's own repository {}: its refs are the \
                 student's to move. Point --course at your own clone of the course, or pin --rev \
                 to a full commit id (40 hex digits), which names the same content anywhere.",
                course_dir.display(),
                dir.display()
            ));
        }
        if built_from.starts_with(dir) {
            return Err(format!(
                "this netlings was built from {}, a student's repository being graded: its code \
                 would grade itself. Build the grader from the course (`cargo run --manifest-path \
                 <course>/Cargo.toml -- grade ...`).",
                built_from.display()
            ));
        }
    }
    let commit = resolve(&course_dir, rev)?;
    let tree = read_tree(&course_dir, &commit)?;
    if tree.text("src/catalog.rs") != OWN_CATALOG {
        return Err(format!(
            "this netlings was built with another catalog than the course's at {commit} \
             (src/catalog.rs differs): its steps, points and deadlines would not be the course's. \
             Build the grader from that commit."
        ));
    }
    // The grader's own directory: the course's tree (`course/`) and a cargo target directory
    // (`target/`) that no other tree builds in. cargo names a path package's artifacts the same
    // wherever its tree is, and trusts their dep-info's file times: a target directory shared
    // with another copy of the course could hand the grader a binary built from that copy.
    let grading = absolute(
        &opts
            .target_dir
            .clone()
            .unwrap_or_else(|| course_dir.join("target")),
    )
    .join("netlings-grade");
    if let Some(dir) = students.iter().find(|d| grading.starts_with(d)) {
        return Err(format!(
            "the grader's directory {} is inside the student's repository {}: cargo would read the \
             student's configuration. Choose another with --target-dir.",
            grading.display(),
            dir.display()
        ));
    }
    std::fs::create_dir_all(&grading)
        .map_err(|e| format!("cannot create {}: {e}", grading.display()))?;
    let _lock = lock(&grading.join("lock"))?;
    let work = grading.join("course");
    let target_dir = grading.join("target");
    materialize(&tree.files, &work, &[])?;

    let batch = students.len() > 1;
    let out = match (&opts.out, batch) {
        (Some(out), _) => Some(out.clone()),
        (None, true) => Some(PathBuf::from("netlings-grades")),
        (None, false) => None,
    };
    let names = student::names(&students);
    let mut reports = Vec::new();
    for (i, (dir, name)) in students.iter().zip(&names).enumerate() {
        let prefix = if batch {
            format!("[{}/{}] {name}: ", i + 1, students.len())
        } else {
            String::new()
        };
        let report = grade_student(&tree, &work, &target_dir, name, dir, steps, jobs, &prefix);
        clear_progress();
        if batch {
            eprintln!(
                "{prefix}{} {}/{} points, {}/{} steps ({:.1} s)",
                report.status(),
                report.points(),
                report.max_points(),
                report
                    .steps
                    .iter()
                    .filter(|s| s.status == StepStatus::Pass)
                    .count(),
                report.steps.len(),
                report.seconds
            );
        }
        if let Some(out) = &out {
            write_report(&out.join(name), &report)?;
        }
        reports.push(report);
    }
    if batch {
        let out = out.expect("a batch always has an output directory");
        let csv = class_csv(&reports, steps);
        let json = class_json(&reports, steps, &commit);
        write_if_changed(&out.join("grades.csv"), csv.as_bytes())?;
        write_if_changed(&out.join("grades.json"), json.as_bytes())?;
        match opts.format {
            Format::Json => print!("{json}"),
            _ => print!(
                "{}",
                class_table(&reports, batch_start.elapsed().as_secs_f64())
            ),
        }
        eprintln!(
            "Wrote {} (and each student's results.json, report.txt, junit.xml) in {} s.",
            out.join("grades.csv").display(),
            batch_start.elapsed().as_secs()
        );
    } else if let Some(report) = reports.first() {
        print(report, opts.format);
    }
    let code = if reports.iter().any(|r| r.error.is_some()) {
        EXIT_ERROR
    } else if reports.iter().all(|r| r.status() == "pass") {
        EXIT_PASS
    } else {
        EXIT_FAIL
    };
    Ok(code)
}

/// One student in the shared work tree.
#[allow(clippy::too_many_arguments)]
fn grade_student(
    tree: &CourseTree,
    work: &Path,
    target_dir: &Path,
    name: &str,
    dir: &Path,
    steps: &[&'static Exercise],
    jobs: usize,
    prefix: &str,
) -> Report {
    let start = Instant::now();
    let shown = dir.display().to_string();
    let sub = match student::read(dir, tree) {
        Ok(sub) => sub,
        Err(why) => {
            return Report::could_not_grade(name, &shown, Some(tree.commit.clone()), why);
        }
    };
    for (e, _, bytes) in &sub.steps {
        if let Err(why) = write_if_changed(&work.join(e.exercise_path()), bytes) {
            return Report::could_not_grade(name, &shown, Some(tree.commit.clone()), why);
        }
    }
    let stub = |e: &Exercise| tree.get(&e.exercise_path()).unwrap_or_default().to_vec();
    let grader = Tree {
        root: work,
        target_dir: Some(target_dir),
        solutions: false,
        stub: Some(&stub),
        jobs,
    };
    let progress = progress_line(prefix);
    let mut graded = engine::grade(&grader, steps, &progress);
    for step in &mut graded {
        let Some((e, state, bytes)) = sub
            .steps
            .iter()
            .find(|(e, _, _)| e.name == step.exercise.name)
        else {
            continue;
        };
        match state {
            FileState::Changed | FileState::Reference => {
                let found = scan::scan(
                    e,
                    &String::from_utf8_lossy(bytes),
                    &String::from_utf8_lossy(&stub(e)),
                );
                step.warnings.extend(found.warnings);
                if !found.refusals.is_empty() {
                    step.refuse(format!("not graded: {}", found.refusals.join("; ")));
                }
                if *state == FileState::Reference {
                    step.warnings.push(
                        "it is the course's reference solution, give or take white space"
                            .to_string(),
                    );
                }
            }
            FileState::Missing => step
                .warnings
                .push("the file is missing: graded as the stub".to_string()),
            FileState::Stub | FileState::NotRead => {}
        }
    }
    Report {
        student: name.to_string(),
        dir: shown,
        course_commit: Some(tree.commit.clone()),
        warnings: sub.refused_files.clone(),
        submission: Some(sub),
        steps: graded,
        error: None,
        seconds: start.elapsed().as_secs_f64(),
    }
}

/// Writes a student's `results.json`, `report.txt` and `junit.xml` into `dir`.
fn write_report(dir: &Path, report: &Report) -> Result<(), String> {
    write_if_changed(&dir.join("results.json"), report.json().as_bytes())?;
    write_if_changed(
        &dir.join("report.txt"),
        report.text(term::Colors::none()).as_bytes(),
    )?;
    write_if_changed(&dir.join("junit.xml"), report.junit().as_bytes())
}

/// The class at a glance.
fn class_table(reports: &[Report], seconds: f64) -> String {
    let mut s = format!(
        " {:<20} {:<7} {:>9} {:>7} {:>8}\n",
        "student", "status", "points", "steps", "time"
    );
    for r in reports {
        let passed = r
            .steps
            .iter()
            .filter(|s| s.status == StepStatus::Pass)
            .count();
        s.push_str(&format!(
            " {:<20} {:<7} {:>9} {:>7} {:>7.1}s\n",
            r.student,
            r.status(),
            format!("{}/{}", r.points(), r.max_points()),
            format!("{passed}/{}", r.steps.len()),
            r.seconds
        ));
    }
    s.push_str(&format!(
        "\n{} students graded in {seconds:.1} s\n",
        reports.len()
    ));
    s
}
