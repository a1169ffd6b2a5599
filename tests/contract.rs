//! README.md's JSON contract held to the report types: every field the README's block names is
//! in some fixture's report, and every field of a report is named there (the rules' `facts` are
//! each rule's own, documented with the rule; a file's `forms` are keyed by line form). A renamed or added field fails here until the
//! README says so.

#![allow(clippy::disallowed_methods, clippy::disallowed_types)] // A shell, not the core: it may do I/O (clippy.toml).

mod common;

use serde_json::Value;
use std::collections::BTreeSet;

/// The field names in README.md's JSON contract block.
fn readme_fields() -> BTreeSet<String> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README.md");
    let start = readme.find("### JSON contract").expect("README has a JSON contract section");
    let block = &readme[start..];
    let open = block.find("```\n").expect("the contract's code block") + 4;
    let close = open + block[open..].find("```").expect("the block's end");
    let mut fields = BTreeSet::new();
    for piece in block[open..close].split('"').collect::<Vec<_>>().windows(2) {
        // A field is a quoted word followed by a colon.
        if piece[1].trim_start().starts_with(':') && piece[0].chars().all(|c| c.is_ascii_lowercase() || c == '_') {
            fields.insert(piece[0].to_string());
        }
    }
    fields
}

/// Every object key of `value`, except inside maps keyed by data: a finding's `facts` and a
/// file's `forms` (keyed by line form).
fn report_fields(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                out.insert(key.clone());
                if key != "facts" && key != "forms" && key != "by_status" {
                    report_fields(v, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| report_fields(v, out)),
        _ => {}
    }
}

#[test]
fn the_readme_contract_names_exactly_the_report_fields() {
    let mut produced = BTreeSet::new();
    for name in common::bundle_names() {
        let report = common::analyze_chunked(&common::load_bundle(&name), usize::MAX / 2);
        report_fields(&serde_json::to_value(&report).unwrap(), &mut produced);
        let (redacted, _) = nbtriage::redact::redact(&report);
        report_fields(&serde_json::to_value(&redacted).unwrap(), &mut produced);
    }
    let documented = readme_fields();
    assert!(documented.len() > 40, "the README block was not read: {documented:?}");
    let undocumented: Vec<&String> = produced.difference(&documented).collect();
    let unproduced: Vec<&String> = documented.difference(&produced).collect();
    assert!(undocumented.is_empty(), "report fields the README's JSON contract does not name: {undocumented:?}");
    assert!(unproduced.is_empty(), "README names fields no fixture's report has: {unproduced:?}");
}
