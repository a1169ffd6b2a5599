//! The command line: the JSON contract, the text report, and exit statuses.

use std::process::Command;

fn nbtriage(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_nbtriage"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run nbtriage")
}

#[test]
fn json_contract_on_the_seed() {
    let out = nbtriage(&["analyze", "--format", "json", "tests/bundles/seed-technote"]);
    assert_eq!(out.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(report["version"], env!("CARGO_PKG_VERSION"));
    let files = report["files"].as_array().unwrap();
    assert_eq!(files.len(), 3);
    for f in files {
        for key in ["path", "process", "host", "lines", "notes"] {
            assert!(f.get(key).is_some(), "files[].{key}");
        }
    }
    assert!(files.iter().any(|f| f["path"] == "tests/bundles/seed-technote/media01/bpbrm/060311.log"
        && f["process"] == "bpbrm"
        && f["host"] == "media01"));
    let findings = report["findings"].as_array().unwrap();
    let pbx = findings.iter().find(|f| f["rule"] == "pbx-connect-timeout").unwrap();
    assert_eq!(pbx["severity"], "critical");
    assert_eq!(pbx["facts"]["count"], 2);
    assert_eq!(pbx["facts"]["total_wait_s"], 20.0);
    for key in ["title", "summary", "fix", "evidence"] {
        assert!(pbx.get(key).is_some(), "findings[].{key}");
    }
    let first = &pbx["evidence"][0];
    assert_eq!(first["file"], "tests/bundles/seed-technote/media01/bpbrm/060311.log");
    assert_eq!(first["line"], 5);
    assert!(findings.iter().any(|f| f["rule"] == "forward-socket-expired" && f["facts"]["ipc_port"] == 57276));
}

#[test]
fn text_and_markdown_reports() {
    let text = String::from_utf8(nbtriage(&["analyze", "tests/bundles/seed-technote"]).stdout).unwrap();
    assert!(text.starts_with("nbtriage: 3 NetBackup log files from 2 hosts"));
    assert!(
        text.contains("CRITICAL  The backup failed because connections from media01 to myclient wait for port 1556")
    );
    assert!(text.contains("For the network team:"));
    let md =
        String::from_utf8(nbtriage(&["analyze", "--format=markdown", "tests/bundles/seed-technote/media01"]).stdout)
            .unwrap();
    assert!(md.starts_with("# NetBackup log triage"));
    assert!(md.contains("## CRITICAL: Connections from media01 to 3.3.3.3 wait for port 1556"), "{md}");
}

#[test]
fn exit_status_two_with_a_message_on_usage_errors() {
    for args in
        [&[][..], &["analyze"], &["analyze", "--format", "xml", "x"], &["frobnicate"], &["analyze", "no/such/path"]]
    {
        let out = nbtriage(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?} says what to do");
    }
    let rules = nbtriage(&["rules"]);
    assert_eq!(rules.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&rules.stdout).contains("pbx-connect-timeout"));
}
