//! `netlings classroom template DIR`: the repository a teacher hands out, written from the
//! course at a pinned commit, and the GitHub Classroom workflow that grades it.
//!
//! The template is the course without its answers: no `solutions/`, no solution pages in the
//! book, no maintainer files; a README for students; and `.github/workflows/classroom.yml`,
//! generated from the catalog, one autograding test per step worth the step's points.
//!
//! **`given` in the template.** In the course, `src/given.rs` compiles the reference solutions
//! of every non-program step (`#[path = "../solutions/..."]`), so later steps can use earlier
//! pieces. A template without `solutions/` would not build with it, and shipping those files
//! would hand out the answers. So the template's `given.rs` points at the student's own
//! `exercises/` files instead: later steps use the student's own earlier work while they work.
//! The trusted grader never uses that file: it grades in the course's own tree, with the
//! course's `given` (the reference), so a step the student could not finish never costs the
//! next one its points. [`template_files`] is a pure function of the course's tree, so the
//! grader can tell which differences a template repository is expected to have.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use netlings::catalog::{CHAPTERS, EXERCISES, Exercise};
use netlings::course::{anchor_body, includes, squeeze, todo_answers, with_block};

use super::grade::course::{CourseTree, materialize, read_tree, resolve};
use super::libtest::declared_tests;

/// The files of the course that a class repository does not get: the answers, the maintainer's
/// tools and checks, and the teacher's guide.
fn left_out(path: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "solutions/",
        "book/src/solutions/",
        "benches/",
        ".ci/",
        ".github/",
        "tests/snapshots/cli__",
    ];
    const FILES: &[&str] = &[
        "CONTRIBUTING.md",
        "tests/course.rs",
        "tests/cli.rs",
        "tests/grading.rs",
        TEACHERS_PAGE,
    ];
    PREFIXES.iter().any(|p| path.starts_with(p)) || FILES.contains(&path)
}

/// The teacher's guide: in the course's book, not in the students'.
pub const TEACHERS_PAGE: &str = "book/src/teaching.md";

/// Where the workflow goes in the template.
pub const WORKFLOW: &str = ".github/workflows/classroom.yml";

/// The files of the class repository for the course `tree`, whose workflow checks out the
/// course from the GitHub repository `course_repo` (`owner/name`).
pub fn template_files(tree: &CourseTree, course_repo: &str) -> BTreeMap<String, (bool, Vec<u8>)> {
    let mut files: BTreeMap<String, (bool, Vec<u8>)> = tree
        .files
        .iter()
        .filter(|(path, _)| !left_out(path))
        .map(|(p, f)| (p.clone(), f.clone()))
        .collect();
    let mut put = |path: &str, text: String| {
        files.insert(path.to_string(), (false, text.into_bytes()));
    };
    put("src/given.rs", given_rs());
    put("Cargo.toml", cargo_toml(&tree.text("Cargo.toml")));
    put(
        "book/src/SUMMARY.md",
        summary(&tree.text("book/src/SUMMARY.md")),
    );
    put(
        "book/book.toml",
        tree.text("book/book.toml")
            .replace(", \"../solutions\"", ""),
    );
    put("README.md", readme(tree));
    put(WORKFLOW, workflow(tree, course_repo));
    files
}

/// The template's `src/given.rs`: the course's, pointing at the student's own files.
pub fn given_rs() -> String {
    let body: String = netlings::course::given_rs()
        .lines()
        .skip_while(|l| l.starts_with("//!"))
        .map(|l| format!("{l}\n"))
        .collect();
    format!(
        "//! What earlier steps build, given to the later ones.\n\
         //!\n\
         //! A step may use the functions of the steps before it in its chapter, from here. In this\n\
         //! class repository they are your own files in `exercises/`: later steps use your earlier\n\
         //! work. The grader uses the course's reference versions instead, so a step you could not\n\
         //! finish never costs the next one its points.\n\
         //!\n\
         //! Written by `netlings classroom template`.\n{}",
        body.replace("#[path = \"../solutions/", "#[path = \"../exercises/")
            // A stub's helpers are unused until the student's code calls them.
            .replace("    #[path = ", "    #[allow(dead_code)]\n    #[path = ")
    )
}

/// `Cargo.toml` without the reference programs and the benchmark (both build `solutions/`).
fn cargo_toml(course: &str) -> String {
    // The course's generated targets, less the reference programs (each `[[example]]` table
    // named `*-solution`): the learner's programs keep their required features, and a chapter's
    // test target that needs a feature keeps its `[[test]]` table.
    let examples: Vec<String> = netlings::course::cargo_examples()
        .split("\n\n")
        .filter(|table| !table.contains("-solution\""))
        .map(|table| table.trim_end().to_string())
        .collect();
    let examples = examples.join("\n\n") + "\n";
    let text = with_block(course, "EXAMPLES", &examples).unwrap_or_else(|| course.to_string());
    // Drop each `[[bench]]` table with the comment lines just above it.
    let mut kept: Vec<&str> = Vec::new();
    let mut in_bench = false;
    for line in text.lines() {
        if line.trim() == "[[bench]]" {
            while kept.last().is_some_and(|l| l.starts_with('#')) {
                kept.pop();
            }
            in_bench = true;
            continue;
        }
        if in_bench && line.starts_with('[') {
            in_bench = false;
        }
        if !in_bench {
            kept.push(line);
        }
    }
    while kept.last().is_some_and(|l| l.trim().is_empty()) {
        kept.pop();
    }
    format!("{}\n", kept.join("\n"))
}

/// `SUMMARY.md` without the solutions part and the teacher's guide.
fn summary(course: &str) -> String {
    let mut out = Vec::new();
    let mut in_solutions = false;
    let page = TEACHERS_PAGE.trim_start_matches("book/src/");
    for line in course.lines() {
        if line.starts_with("# ") {
            in_solutions = line.trim() == "# Solutions";
        }
        if in_solutions || line.contains(&format!("]({page})")) {
            continue;
        }
        out.push(line);
    }
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    format!("{}\n", out.join("\n"))
}

fn readme(tree: &CourseTree) -> String {
    let mut s = String::from(
        "# netlings: your class repository\n\n\
         Learn network programming in Rust by porting Go's `net` package, one small step at a \
         time.\nThis repository is yours: write each step in `exercises/`, push, and the \
         autograder gives each step its points.\n\n\
         ## Working\n\n\
         ```console\n\
         $ cargo run                     # watch your first unsolved step; re-checks on every save\n\
         $ cargo run -- check parse-ip   # one step's tests\n\
         $ cargo run -- hint             # a nudge\n\
         $ cargo run -- list             # your progress\n\
         $ cargo run -- grade            # every step, as the autograder counts it (in place)\n\
         ```\n\n\
         The book is in `book/src/` (`mdbook serve book` shows it in a browser); \
         `book/src/checking.md` explains every command.\n\
         You need Rust 1.88 or newer on Linux or macOS. Chapter 12's live ping needs permission \
         to open ICMP sockets; without it those tests say `SKIPPED`.\n\n\
         ## How you are graded\n\n\
         Every push runs `.github/workflows/classroom.yml`: one autograding test per step. A step \
         earns its points when **every one of its tests passes**.\n\n\
         - Only your step files in `exercises/` are graded. The grader builds them inside the \
         course's own tree (its tests, snapshots, harness and build files, at a pinned commit): \
         a change anywhere else is not used, and your teacher sees it in the report.\n\
         - Later steps use earlier ones through `netlings::given`. Here, `src/given.rs` points at \
         your own earlier files; the grader uses the course's reference versions instead, so a \
         step you could not finish never costs the next one. A step may use only *earlier* \
         steps from `given`.\n\
         - Each test runs on its own with a deadline. Tests you add yourself are welcome but not \
         graded.\n\n\
         | Step | Name | Points |\n|---|---|---|\n",
    );
    for e in EXERCISES.iter() {
        let _ = writeln!(
            s,
            "| {} | `{}`: {} | {} |",
            e.number_label(),
            e.name,
            e.title,
            e.points
        );
    }
    let total: u32 = EXERCISES.iter().map(|e| e.points).sum();
    let _ = writeln!(
        s,
        "\nTotal: {total} points. Course commit: `{}`.",
        tree.commit
    );
    s
}

/// How long the autograding test of step `e` may take, in minutes: a cold build of the course,
/// then each of its tests up to its deadline.
pub fn timeout_minutes(e: &Exercise, tests: usize) -> u64 {
    let tests_secs = tests as u64 * e.chapter.timeout_secs;
    (5 + tests_secs.div_ceil(60)).min(60)
}

/// The number of declared tests of each step, from the course's test files at the commit.
fn test_counts(tree: &CourseTree) -> BTreeMap<&'static str, usize> {
    let mut counts = BTreeMap::new();
    for chapter in CHAPTERS {
        let declared = declared_tests(&tree.text(&chapter.test_path()));
        for e in EXERCISES
            .iter()
            .filter(|e| std::ptr::eq(e.chapter, chapter))
        {
            let n = declared
                .iter()
                .filter(|t| t.starts_with(&e.test_prefix()))
                .count();
            counts.insert(e.name, n);
        }
    }
    counts
}

/// `.github/workflows/classroom.yml`: the course checked out at the pinned commit, its grader
/// built from it, ICMP allowed for chapter 12, one `autograding-command-grader` test per step
/// with its points and timeout, then the reporter. The command grader passes only `PATH` and
/// `HOME` to its command, so every path is spelled out with `${{ }}` expressions.
pub fn workflow(tree: &CourseTree, course_repo: &str) -> String {
    let sha = &tree.commit;
    let counts = test_counts(tree);
    let grader = "${{ runner.temp }}/netlings-grader/debug/netlings";
    let mut s = format!(
        "# Generated by `netlings classroom template` from the course's catalog at\n\
         # {course_repo}@{sha}.\n\
         # One autograding test per step, worth the step's points. The grader and the tests come\n\
         # from the course at that commit; only this repository's exercises/ step files are graded.\n\
         name: Autograding Tests\n\
         'on':\n  - push\n  - repository_dispatch\n  - workflow_dispatch\n\
         permissions:\n  checks: write\n  actions: read\n  contents: read\n\
         jobs:\n  run-autograding-tests:\n    runs-on: ubuntu-latest\n\
         \x20   if: github.actor != 'github-classroom[bot]'\n\
         \x20   steps:\n\
         \x20     - name: Check out the submission\n\
         \x20       uses: actions/checkout@v4\n\
         \x20       with:\n\
         \x20         path: submission\n\
         \x20     - name: Check out the course at the pinned commit\n\
         \x20       uses: actions/checkout@v4\n\
         \x20       with:\n\
         \x20         repository: {course_repo}\n\
         \x20         ref: {sha}\n\
         \x20         path: course\n\
         \x20         persist-credentials: false\n\
         \x20     - name: Allow ICMP echo sockets (chapter 12's live ping)\n\
         \x20       run: sudo sysctl -w net.ipv4.ping_group_range=\"0 2147483647\"\n\
         \x20     - name: Build the grader from the course\n\
         \x20       run: cargo build --locked --quiet --manifest-path course/Cargo.toml --bin netlings --target-dir \"${{{{ runner.temp }}}}/netlings-grader\"\n",
    );
    for e in EXERCISES.iter() {
        let tests = counts.get(e.name).copied().unwrap_or(0);
        let _ = write!(
            s,
            "      - name: {label} {name}\n\
             \x20       id: {name}\n\
             \x20       uses: classroom-resources/autograding-command-grader@v1\n\
             \x20       with:\n\
             \x20         test-name: {label} {name}\n\
             \x20         command: {grader} grade \"${{{{ github.workspace }}}}/submission\" --course \"${{{{ github.workspace }}}}/course\" --rev {sha} --target-dir \"${{{{ runner.temp }}}}/netlings-target\" --step {name}\n\
             \x20         timeout: {timeout}\n\
             \x20         max-score: {points}\n",
            label = e.number_label(),
            name = e.name,
            timeout = timeout_minutes(e, tests),
            points = e.points,
        );
    }
    s.push_str(
        "      - name: Autograding Reporter\n\
         \x20       uses: classroom-resources/autograding-grading-reporter@v1\n\
         \x20       env:\n",
    );
    for e in EXERCISES.iter() {
        let _ = writeln!(
            s,
            "          {}_RESULTS: \"${{{{ steps.{}.outputs.result }}}}\"",
            e.name.to_uppercase(),
            e.name
        );
    }
    let ids: Vec<&str> = EXERCISES.iter().map(|e| e.name).collect();
    let _ = writeln!(s, "        with:\n          runners: {}", ids.join(","));
    s
}

/// The `owner/name` of a GitHub repository in a remote URL (`https://github.com/o/n.git`,
/// `git@github.com:o/n.git`).
pub fn github_repo(url: &str) -> Option<String> {
    let rest = url
        .split_once("github.com/")
        .or_else(|| url.split_once("github.com:"))?
        .1;
    let rest = rest.trim_end_matches('/').trim_end_matches(".git");
    let mut parts = rest.split('/');
    let (owner, name) = (parts.next()?, parts.next()?);
    (parts.next().is_none() && !owner.is_empty() && !name.is_empty())
        .then(|| format!("{owner}/{name}"))
}

/// The pages of the template's book that show a step's answer (the body of a function that is
/// a `todo!()` in its stub) or include a file the template does not have (a solution), as
/// `page: what` lines.
pub fn pages_with_answers(
    files: &BTreeMap<String, (bool, Vec<u8>)>,
    tree: &CourseTree,
) -> Vec<String> {
    let mut answers = Vec::new();
    for e in EXERCISES.iter() {
        let (stub, solution) = (tree.text(&e.exercise_path()), tree.text(&e.solution_path()));
        for (function, body) in todo_answers(&stub, &solution) {
            answers.push((function, body));
        }
    }
    let text = |path: &str| {
        files
            .get(path)
            .and_then(|(_, b)| std::str::from_utf8(b).ok())
            .unwrap_or_default()
            .to_string()
    };
    let mut found = Vec::new();
    for page in files
        .keys()
        .filter(|p| p.starts_with("book/src/") && p.ends_with(".md"))
    {
        let rel = &page["book/src/".len()..];
        let page_text = text(page);
        let mut shown = page_text.clone();
        for inc in includes(Path::new("book/src"), rel, &page_text) {
            let file = normalize(&inc.file.to_string_lossy());
            if !files.contains_key(&file) {
                let line = format!("{page}: includes {file}, which the template does not have");
                if !found.contains(&line) {
                    found.push(line);
                }
                continue;
            }
            let source = text(&file);
            match &inc.anchor {
                Some(anchor) => shown.push_str(&anchor_body(&source, anchor).unwrap_or_default()),
                None => shown.push_str(&source),
            }
        }
        let shown = squeeze(&shown);
        for (function, body) in &answers {
            let line = format!("{page}: shows the answer `{function}`");
            if shown.contains(body.as_str()) && !found.contains(&line) {
                found.push(line);
            }
        }
    }
    found
}

/// `a/b/../c` → `a/c`.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// `netlings classroom template DIR`.
pub fn template_command(
    course: &Path,
    rev: &str,
    course_repo: Option<&str>,
    dir: &Path,
) -> Result<ExitCode, String> {
    let commit = resolve(course, rev)?;
    let repo = match course_repo {
        Some(r) if r.split('/').count() == 2 => r.to_string(),
        Some(r) => return Err(format!("`{r}` is not a GitHub repository (owner/name)")),
        None => {
            let url =
                super::git::git_text(course, &["remote", "get-url", "origin"]).unwrap_or_default();
            github_repo(&url).ok_or(
                "name the course's GitHub repository with --course-repo OWNER/NAME (the \
                 workflow checks the course out from there)",
            )?
        }
    };
    if dir.exists()
        && std::fs::read_dir(dir)
            .map_err(|e| e.to_string())?
            .next()
            .is_some()
    {
        return Err(format!(
            "{} is not empty: the template goes into a new directory",
            dir.display()
        ));
    }
    let tree = read_tree(course, &commit)?;
    let files = template_files(&tree, &repo);
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    materialize(&files, dir, &[])?;
    println!(
        "Wrote the class repository for {repo}@{} to {} ({} files, {} steps, {} points).",
        &commit[..12],
        dir.display(),
        files.len(),
        EXERCISES.len(),
        EXERCISES.iter().map(|e| e.points).sum::<u32>()
    );
    let leaks = pages_with_answers(&files, &tree);
    if !leaks.is_empty() {
        println!(
            "\nWarning: these pages of its book show answers; edit them in the course (or \
             delete them from the template) before handing it out:\n  {}",
            leaks.join("\n  ")
        );
    }
    println!(
        "\nNext: `git init && git add . && git commit` in it, push it to GitHub, mark it a \
         template repository, and use it as the starter code of a GitHub Classroom assignment. \
         {WORKFLOW} grades every push (see the book's teacher's guide)."
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_repositories_are_read_from_remote_urls() {
        for url in [
            "https://github.com/o/n.git",
            "https://github.com/o/n",
            "git@github.com:o/n.git",
            "ssh://git@github.com/o/n/",
        ] {
            assert_eq!(github_repo(url).as_deref(), Some("o/n"), "{url}");
        }
        assert_eq!(github_repo("https://gitlab.com/o/n"), None);
        assert_eq!(github_repo("https://github.com/o"), None);
    }

    #[test]
    fn the_template_cargo_toml_builds_no_solution() {
        let toml = "[package]\n# BEGIN EXAMPLES\nold\n# END EXAMPLES\n\n# Not a test: a bench\n# more\n[[bench]]\nname = \"echo\"\nharness = false\n";
        let out = cargo_toml(toml);
        assert!(!out.contains("solution"), "{out}");
        assert!(!out.contains("bench"), "{out}");
        assert!(out.contains("name = \"ip\"\npath = \"exercises/ch01_ip/3_ip.rs\""));
        assert!(out.ends_with("# END EXAMPLES\n"), "{out}");
    }

    #[test]
    fn the_template_summary_has_no_solutions_and_no_teachers_guide() {
        let s = "# Summary\n\n[Intro](introduction.md)\n[Teaching](teaching.md)\n\n# The notes\n\n- [1](ch01_ip.md)\n\n# Solutions\n\n- [1](solutions/ch01_ip.md)\n";
        assert_eq!(
            summary(s),
            "# Summary\n\n[Intro](introduction.md)\n\n# The notes\n\n- [1](ch01_ip.md)\n"
        );
    }

    #[test]
    fn the_template_given_points_at_the_students_files() {
        let given = given_rs();
        assert!(!given.contains("solutions/"), "{given}");
        if EXERCISES.iter().any(|e| !e.is_program()) {
            assert!(given.contains("#[path = \"../exercises/"), "{given}");
        }
    }

    #[test]
    fn paths_are_normalized() {
        assert_eq!(normalize("book/src/../../exercises/x.rs"), "exercises/x.rs");
    }
}
