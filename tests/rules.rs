//! Each rule against its own fixtures: the positive bundles raise it, the negative ones do not.
//! And the exact numbers the JSON contract promises for the seed technote.

mod common;

use nbtriage::rules::ALL;
use serde_json::json;

#[test]
fn every_rule_is_documented_and_has_fixtures_both_ways() {
    let mut ids = Vec::new();
    for rule in ALL {
        let d = &rule.doc;
        assert!(d.id.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'), "{}: ids are kebab-case", d.id);
        for (field, text) in
            [("title", d.title), ("meaning", d.meaning), ("evidence", d.evidence), ("fix", d.fix), ("source", d.source)]
        {
            assert!(text.len() > 20, "{}: {field} is missing", d.id);
        }
        assert!(
            !rule.positive.is_empty() && !rule.negative.is_empty(),
            "{}: needs positive and negative fixtures",
            d.id
        );
        ids.push(d.id);
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), ALL.len(), "rule ids are unique");
}

#[test]
fn positive_fixtures_raise_the_rule_and_negative_ones_do_not() {
    for rule in ALL {
        for bundle in rule.positive {
            let report = common::check_equivalent(&common::load_bundle(bundle));
            assert!(common::finding(&report, rule.doc.id).is_some(), "{} should fire on {bundle}", rule.doc.id);
        }
        for bundle in rule.negative {
            let report = common::check_equivalent(&common::load_bundle(bundle));
            assert!(common::finding(&report, rule.doc.id).is_none(), "{} should stay quiet on {bundle}", rule.doc.id);
        }
    }
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
