//! The course holds together: the catalog, the files, `Cargo.toml` and `SUMMARY.md` agree, and
//! the checks behind that agreement catch what they should.

use std::path::Path;

use netlings::catalog::EXERCISES;
use netlings::course::{anchor_body, check_layout, public_api, with_cargo_examples};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_catalog_files_cargo_toml_and_summary_agree() {
    let problems = check_layout(root());
    assert!(
        problems.is_empty(),
        "the course is out of sync:\n- {}",
        problems.join("\n- ")
    );
}

#[test]
fn the_catalog_is_not_empty_and_every_exercise_has_a_hint() {
    assert!(!EXERCISES.is_empty());
    for e in EXERCISES {
        assert!(e.hint.len() > 40, "`{}` needs a real hint", e.name);
        assert!(
            !e.go.is_empty(),
            "`{}` must name the Go API it ports",
            e.name
        );
        assert!(
            (5..=300).contains(&e.timeout_secs),
            "`{}` has an odd timeout",
            e.name
        );
    }
}

#[test]
fn the_examples_section_is_rewritten_between_its_markers_only() {
    let toml = "[package]\n# BEGIN EXAMPLES\nstale\n# END EXAMPLES\n[tail]\n";
    let updated = with_cargo_examples(toml).expect("markers present");
    assert!(updated.starts_with("[package]\n# BEGIN EXAMPLES\n[[example]]\n"));
    assert!(updated.ends_with("# END EXAMPLES\n[tail]\n"));
    assert!(!updated.contains("stale"));
    assert_eq!(with_cargo_examples("no markers"), None);
}

#[test]
fn public_api_sees_multi_line_signatures_and_fields() {
    let source = "pub struct Args {\n    pub addr: String,\n}\n\npub fn run(\n    args: Args,\n    out: &mut dyn Write,\n) -> Result {\n    todo!()\n}\nfn private() {}\n";
    assert_eq!(
        public_api(source),
        [
            "pub struct Args",
            "pub addr: String",
            "pub fn run(args: Args, out: &mut dyn Write) -> Result"
        ]
    );
}

#[test]
fn anchor_body_finds_the_lines_between_markers() {
    let source = "a\n// ANCHOR: x\nb\nc\n// ANCHOR_END: x\nd\n";
    assert_eq!(anchor_body(source, "x").as_deref(), Some("b\nc"));
    assert_eq!(anchor_body(source, "y"), None);
    assert_eq!(anchor_body("// ANCHOR: x\nno end\n", "x"), None);
}
