//! The course holds together: the catalog, the files, `Cargo.toml`, the generated blocks and
//! `SUMMARY.md` agree, and the checks behind that agreement catch what they should.

use std::path::Path;

use netlings::catalog::{CHAPTERS, EXERCISES, find};
use netlings::course::{
    anchor_body, check_layout, public_api, same_code, todo_answers, with_block, with_cargo_examples,
};

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
fn every_chapter_names_its_go_api_and_a_sane_deadline() {
    assert!(!CHAPTERS.is_empty());
    for c in CHAPTERS {
        assert!(
            !c.go.is_empty(),
            "chapter {} must name the Go API it ports",
            c.number
        );
        assert!(
            (5..=300).contains(&c.timeout_secs),
            "chapter {} has an odd timeout",
            c.number
        );
    }
}

#[test]
fn steps_are_found_by_name_by_number_and_by_chapter() {
    let first = &EXERCISES[0];
    assert_eq!(find(first.name), Some(first));
    assert_eq!(find("1.1"), Some(first));
    let program = EXERCISES
        .iter()
        .find(|e| e.chapter.number == 1 && e.is_program())
        .expect("chapter 1 has a program");
    assert_eq!(find("ch01"), Some(program));
    assert_eq!(find("ch01_ip"), Some(program));
    assert_eq!(find("no-such-step"), None);
}

#[test]
fn the_examples_section_is_rewritten_between_its_markers_only() {
    let toml = "[package]\n# BEGIN EXAMPLES\nstale\n# END EXAMPLES\n[tail]\n";
    let updated = with_cargo_examples(toml).expect("markers present");
    assert!(updated.starts_with("[package]\n# BEGIN EXAMPLES\n[[example]]\n"));
    assert!(updated.ends_with("# END EXAMPLES\n[tail]\n"));
    assert!(!updated.contains("stale"));
    assert_eq!(with_cargo_examples("no markers"), None);
    assert_eq!(
        with_block("a\n// BEGIN X\nold\n// END X\nb", "X", "new\n").as_deref(),
        Some("a\n// BEGIN X\nnew\n// END X\nb")
    );
}

#[test]
fn generated_code_compares_equal_however_rustfmt_wrapped_it() {
    assert!(same_code(
        "#[cfg_attr(not(feature = \"s\"), path = \"a.rs\")]\nmod a;\n",
        "#[cfg_attr(\n    not(feature = \"s\"),\n    path = \"a.rs\",\n)]\nmod a;\n"
    ));
    assert!(!same_code("mod a;", "mod b;"));
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

#[test]
fn the_answers_are_the_solution_bodies_of_the_stubs_todos() {
    let stub = "/// Doc with fn in it.\npub fn add(a: u8, b: u8) -> u8 {\n    // TODO\n    todo!(\"add({a}, {b})\")\n}\n\npub fn given() -> &'static str {\n    \"{ not a brace }\"\n}\n\nfn tiny() -> u8 {\n    todo!()\n}\n";
    let solution = "pub fn add(a: u8, b: u8) -> u8 {\n    // Wrapping: the test wants 255 + 1 == 0.\n    a.wrapping_add(b)\n}\n\npub fn given() -> &'static str {\n    \"{ not a brace }\"\n}\n\nfn tiny() -> u8 {\n    1\n}\n";
    assert_eq!(
        todo_answers(stub, solution),
        [(
            "add".to_string(),
            "// Wrapping: the test wants 255 + 1 == 0. a.wrapping_add(b)".to_string()
        )]
    );
}
