//! The catalogue compiler against broken catalogue files of its own (`tests/catalogue/broken/`):
//! each file lists, in `# expect:` lines, problems it must report; all of them are reported in
//! one run, and a valid catalogue compiles.

#![allow(clippy::disallowed_methods)] // Tests read the catalogue files.

use super::compile::pattern::{parse_pattern, Segment};
use super::compile::{compile, Input};
use std::path::Path;

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn tables() -> (String, String, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/catalogue");
    (read(&root.join("statuses.toml")), read(&root.join("errno.toml")), read(&root.join("sources.toml")))
}

fn problems_of(files: &[(String, String)]) -> Vec<String> {
    let (statuses, errnos, sources) = tables();
    let inputs: Vec<Input<'_>> = files.iter().map(|(n, t)| Input { name: n, text: t }).collect();
    let statuses = Input { name: "statuses.toml", text: &statuses };
    let errnos = Input { name: "errno.toml", text: &errnos };
    let sources = Input { name: "sources.toml", text: &sources };
    let needles = [crate::facts::needles::FACT_NEEDLES, crate::facts::needles::TAG_NEEDLES].concat();
    compile(&sources, &inputs, &statuses, &errnos, &needles, crate::input::process::is_process)
        .err()
        .unwrap_or_default()
}

#[test]
fn every_broken_file_reports_what_it_expects_all_in_one_run() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/catalogue/broken");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("tests/catalogue/broken")
        .map(|e| e.expect("entry").path())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), read(&p)))
        .collect();
    files.sort();
    assert!(files.len() >= 5);
    let all = problems_of(&files);
    for (name, text) in &files {
        let mine: Vec<&String> = all.iter().filter(|p| p.starts_with(name.as_str())).collect();
        let expected: Vec<&str> = text.lines().filter_map(|l| l.strip_prefix("# expect: ")).collect();
        assert!(!expected.is_empty(), "{name} states no expected problem");
        for want in expected {
            assert!(
                mine.iter().any(|p| p.contains(want)),
                "{name}: expected a problem containing {want:?}, got {mine:#?}"
            );
        }
    }
}

#[test]
fn the_shipped_catalogue_compiles() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/catalogue/signatures");
    let files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("signatures")
        .map(|e| e.expect("entry").path())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), read(&p)))
        .collect();
    assert_eq!(problems_of(&files), Vec::<String>::new());
}

#[test]
fn duplicate_ids_and_needle_budget() {
    let rule = |id: &str, anchor: &str| {
        format!(
            r#"id = "{id}"
name = "n"
area = "network"
severity = "warning"
role = "symptom"
owner = "backup-admin"
match = ["{anchor} {{x:word}}"]
title = "t {{x}}"
summary = "s"
fix = [{{ text = "f", basis = "practice" }}]
meaning = "m"
source = ["status-codes-reference"]
positive = ["a"]
negative = ["b"]
[[sample]]
line = "l"
origin = "constructed"
"#
        )
    };
    let twice =
        vec![("a/same.toml".to_string(), rule("same", "abcd")), ("b/same.toml".to_string(), rule("same", "abce"))];
    assert!(problems_of(&twice).iter().any(|p| p.contains("duplicate id `same`")));
    let too_many: Vec<String> = (0..40).map(|i| format!("needle {i:02}")).collect();
    let too_many: Vec<&str> = too_many.iter().map(String::as_str).collect();
    let (statuses, errnos, sources) = tables();
    let problems = compile(
        &Input { name: "sources.toml", text: &sources },
        &[],
        &Input { name: "statuses.toml", text: &statuses },
        &Input { name: "errno.toml", text: &errnos },
        &too_many,
        crate::input::process::is_process,
    )
    .err()
    .unwrap_or_default();
    assert!(problems.iter().any(|p| p.contains("more than the 32")), "{problems:?}");
}

#[test]
fn patterns_split_into_literals_and_holes() {
    assert_eq!(
        parse_pattern("  errno = {errno} - {reason:rest}").unwrap(),
        vec![
            Segment::Lit("errno = ".into()),
            Segment::Hole { name: "errno".into(), kind: "errno".into() },
            Segment::Lit(" - ".into()),
            Segment::Hole { name: "reason".into(), kind: "rest".into() },
        ]
    );
    assert_eq!(parse_pattern("a {{b}} {_}").unwrap()[0], Segment::Lit("a {b} ".into()));
    assert!(parse_pattern("{x:word} starts with a hole").is_err());
    assert!(parse_pattern("unclosed {x").is_err());
}

#[test]
fn a_status_rule_step_with_no_source_and_an_internal_tag_are_rejected() {
    let (statuses, errnos, sources) = tables();
    let broken = statuses
        .replacen(r#", source = "commands-bptestbpcd" }"#, " }", 1)
        .replacen(r#"source = ["status-codes-reference"]"#, r#"source = ["[S27]"]"#, 1)
        .replacen("meaning = \"", "meaning = \"As the reference says (§5 [S36]). ", 1);
    let problems = compile(
        &Input { name: "sources.toml", text: &sources },
        &[],
        &Input { name: "statuses.toml", text: &broken },
        &Input { name: "errno.toml", text: &errnos },
        &[],
        crate::input::process::is_process,
    )
    .err()
    .unwrap_or_default();
    for want in [
        "status 25: fix step 1 needs either a `source`",
        "status 0: source `[S27]` is not in sources.toml",
        "status 1: `meaning` and `read_next` name public documents, never an internal reference tag",
    ] {
        assert!(problems.iter().any(|p| p.contains(want)), "expected {want:?} in {problems:#?}");
    }
}
