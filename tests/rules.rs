//! Each rule against its own fixtures: the positive bundles raise it, the negative ones do not.
//! And the exact numbers the JSON contract promises for the seed technote.

#![allow(clippy::disallowed_methods, clippy::disallowed_types)] // A shell, not the core: it may do I/O (clippy.toml).

mod common;

use nbtriage::rules::{all, briefs, RuleFix};
use serde_json::json;
use std::collections::BTreeMap;

#[test]
fn every_rule_is_documented_and_has_fixtures_both_ways() {
    let mut ids = Vec::new();
    for r in all() {
        assert!(
            r.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "{}: ids are kebab-case",
            r.id
        );
        let fix = match r.fix {
            RuleFix::Text(t) => t.to_string(),
            RuleFix::Steps(steps) => steps.join(" "),
        };
        for (field, text) in
            [("title", r.title), ("meaning", r.meaning), ("evidence", r.evidence), ("fix", &fix), ("source", &r.source)]
        {
            assert!(text.len() > 15, "{}: {field} is missing", r.id);
        }
        assert!(!r.positive.is_empty() && !r.negative.is_empty(), "{}: needs positive and negative fixtures", r.id);
        ids.push(r.id);
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), all().len(), "rule ids are unique");
}

#[test]
fn the_pages_list_of_rules_is_every_rule_in_report_order() {
    let full: Vec<_> = all().iter().map(|r| (r.id, r.title, r.meaning, r.area, r.role)).collect();
    let brief: Vec<_> = briefs().iter().map(|b| (b.id, b.title, b.meaning, b.area, b.role)).collect();
    assert_eq!(brief, full);
}

#[test]
fn positive_fixtures_raise_the_rule_and_negative_ones_do_not() {
    // Each bundle is analyzed once (at every chunking), then checked against every rule naming it.
    let mut reports = BTreeMap::new();
    let mut report = |bundle: &str| {
        reports
            .entry(bundle.to_string())
            .or_insert_with(|| common::check_equivalent(&common::load_bundle(bundle)))
            .clone()
    };
    for r in all() {
        for bundle in r.positive {
            assert!(common::finding(&report(bundle), r.id).is_some(), "{} should fire on {bundle}", r.id);
        }
        for bundle in r.negative {
            assert!(common::finding(&report(bundle), r.id).is_none(), "{} should stay quiet on {bundle}", r.id);
        }
    }
}

/// Every bundle gives its verdict and exactly its expected findings (`tests/bundles/expected.toml`).
#[test]
fn every_bundle_gives_exactly_its_expected_findings() {
    let text = std::fs::read_to_string(common::bundle_dir("expected.toml")).expect("tests/bundles/expected.toml");
    let expected: toml::Table = toml::from_str(&text).expect("expected.toml parses");
    let names = common::bundle_names();
    let listed: Vec<&String> = expected.keys().collect();
    assert_eq!(listed, names.iter().collect::<Vec<_>>(), "every bundle is listed in expected.toml, and only bundles");
    let mut problems = Vec::new();
    for name in &names {
        let report = common::check_equivalent(&common::load_bundle(name));
        let want = &expected[name.as_str()];
        let mut got: Vec<String> = report.findings.iter().map(|f| f.rule.clone()).collect();
        got.sort();
        got.dedup();
        let want_rules: Vec<String> =
            want["rules"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
        if got != want_rules {
            problems.push(format!("{name}: findings {got:?}, expected {want_rules:?}"));
        }
        let verdict = report.verdict.name();
        if verdict != want["verdict"].as_str().unwrap() {
            problems.push(format!("{name}: verdict {verdict}, expected {:?}", want["verdict"].as_str()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn seed_technote_numbers() {
    let report = common::check_equivalent(&common::load_bundle("seed-technote"));
    let pbx = common::finding(&report, "pbx-connect-timeout").expect("PBX finding");
    assert_eq!(pbx.severity, nbtriage::Severity::Critical);
    assert_eq!(pbx.facts["count"], json!(2));
    assert_eq!(pbx.facts["total_wait_s"], json!(20.0));
    assert_eq!(pbx.facts["source_ip"], json!("2.2.2.2"));
    assert_eq!(pbx.facts["target_ip"], json!("3.3.3.3"));
    assert_eq!(pbx.facts["port"], json!(1556));
    assert_eq!(pbx.facts["caused_failure"], json!(true));

    let socket = common::finding(&report, "forward-socket-expired").expect("forward-socket finding");
    assert_eq!(socket.severity, nbtriage::Severity::Critical);
    assert_eq!(socket.facts["ipc_port"], json!(57276));
    assert_eq!(socket.facts["timeout_s"], json!(120));
    assert_eq!(socket.facts["created"], json!("2011-06-03T17:46:36.299"));
    assert_eq!(socket.facts["expired"], json!("2011-06-03T17:48:36.611"));
    assert_eq!(socket.facts["needed"], json!("2011-06-03T17:50:15.454"));

    // The root cause comes first, and the client's clock is about a second behind.
    assert_eq!(report.findings[0].rule, "pbx-connect-timeout");
    let client = report.hosts.iter().find(|h| h.name.as_deref() == Some("myclient")).unwrap();
    let offset = client.clock_offset_ms.unwrap();
    assert!((-1500..=-700).contains(&offset), "client clock offset {offset} ms");
    assert_eq!(client.ips, vec!["3.3.3.3"]);
}

#[test]
fn unix_variant_reads_its_own_numbers() {
    let report = common::check_equivalent(&common::load_bundle("seed-unix"));
    let pbx = common::finding(&report, "pbx-connect-timeout").unwrap();
    assert_eq!(pbx.facts["count"], json!(3));
    assert_eq!(pbx.facts["total_wait_s"], json!(30.001));
    assert_eq!(pbx.facts["source_ip"], json!("10.20.1.5"));
    assert_eq!(pbx.facts["caused_failure"], json!(true));
    let socket = common::finding(&report, "forward-socket-expired").unwrap();
    assert_eq!(socket.facts["timeout_s"], json!(90));
    assert_eq!(socket.facts["ipc_port"], json!(40112));
    assert_eq!(socket.facts["refused_code"], json!(111));
    let client = report.hosts.iter().find(|h| h.name.as_deref() == Some("prodclient")).unwrap();
    assert!(client.clock_offset_ms.unwrap() > 1500, "the UNIX client runs ahead");
}

#[test]
fn delays_without_failure_are_a_warning() {
    let report = common::check_equivalent(&common::load_bundle("pbx-delay-no-failure"));
    let pbx = common::finding(&report, "pbx-connect-timeout").unwrap();
    assert_eq!(pbx.severity, nbtriage::Severity::Warning);
    assert_eq!(pbx.facts["caused_failure"], json!(false));
    assert_eq!(pbx.facts["count"], json!(2));
}

#[test]
fn a_wait_across_midnight_is_read_from_both_daily_files() {
    let report = common::check_equivalent(&common::load_bundle("midnight-wait"));
    let pbx = common::finding(&report, "pbx-connect-timeout").unwrap();
    assert_eq!(pbx.facts["total_wait_s"], json!(10.0));
    assert_eq!(pbx.facts["first"], json!("2011-06-03T23:59:55.000"));
    let files: Vec<&str> = pbx.evidence.iter().map(|e| e.file.as_str()).collect();
    assert!(files.contains(&"media02/bpbrm/log.060311") && files.contains(&"media02/bpbrm/log.060411"), "{files:?}");
}
