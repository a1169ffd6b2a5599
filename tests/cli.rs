//! The command line: the JSON contract, the text report, and exit statuses.

#![allow(clippy::disallowed_methods, clippy::disallowed_types)] // A shell, not the core: it may do I/O (clippy.toml).

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

/// Inputs at and past the limits beside the seed case (tests/limits-bundle): each gets its own
/// note in the report and the seed is still diagnosed. The page's side is tests/e2e/limits.test.mjs.
#[test]
fn inputs_past_the_limits_each_get_a_note_and_the_rest_is_analyzed() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("limits-bundle");
    let _ = std::fs::remove_dir_all(&dir);
    let made = Command::new("tests/limits-bundle")
        .arg(&dir)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("python3 runs tests/limits-bundle");
    assert!(made.success());
    let out = nbtriage(&["analyze", "--format", "json", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<&str> = report["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, ["pbx-connect-timeout", "forward-socket-expired"]);
    let notes = |path: &str| {
        let path = format!("{}/{path}", dir.display());
        let file = report["files"].as_array().unwrap().iter().find(|f| f["path"] == path.as_str());
        let file = file.unwrap_or_else(|| panic!("{path} is listed"));
        file["notes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap().to_string())
            .collect::<Vec<_>>()
            .join(" | ")
    };
    for (path, expected) in [
        ("media01/bpbrm/huge-line.log", "1 line longer than 64 KiB (the longest 48829 KiB) was read up to 64 KiB."),
        ("media01/many.tar.gz", "Stopped after 20,000 files: the limit on files per archive."),
        ("media01/bomb.zip/zeros.log", "Cut after 1 MiB unpacked: it expands more than 200 times"),
        ("media01/bomb.log.gz/bomb.log", "Cut after 1 MiB unpacked: it expands more than 200 times"),
        (
            "master01/usr/openv/netbackup/db/images/myclient/1307000000/Policy_1307123456_FULL.f",
            "Not a text file (binary content): skipped.",
        ),
        ("master01/nbjm/51216-117-2201360136-110603-0000000000.log", "`vxlogview -d all -i 117 > nbjm.txt`"),
    ] {
        assert!(notes(path).contains(expected), "{path}: {}", notes(path));
    }
    // The log beside the bomb in the same zip is read.
    let small = format!("{}/media01/bomb.zip/small/bpcd/060311.log", dir.display());
    assert!(report["files"].as_array().unwrap().iter().any(|f| f["path"] == small.as_str() && f["lines"] == 1));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--format html`, `--redact` in every format, `--redact-map FILE`.
#[test]
fn html_report_redaction_and_the_redaction_map() {
    let out = nbtriage(&["analyze", "--format", "html", "tests/bundles/seed-technote"]);
    assert_eq!(out.status.code(), Some(0));
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>") && page.contains("<h2 id=\"verdict-title\">Cause found</h2>"));
    assert!(page.contains("media01") && !page.contains("<script"));

    for format in ["text", "markdown", "json", "html"] {
        let out = nbtriage(&["analyze", "--redact", "--format", format, "tests/bundles/seed-technote"]);
        assert_eq!(out.status.code(), Some(0), "{format}");
        let report = String::from_utf8(out.stdout).unwrap();
        for name in ["media01", "myclient", "2.2.2.2", "3.3.3.3", "myclient_1307115858"] {
            assert!(!report.contains(name), "{name} in the redacted {format}");
        }
        assert!(report.contains("host-1") && report.contains("ip-2"), "{format}");
    }

    let map = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("redaction-map.json");
    let _ = std::fs::remove_file(&map);
    let out =
        nbtriage(&["analyze", "--format=json", "--redact-map", map.to_str().unwrap(), "tests/bundles/seed-technote"]);
    assert_eq!(out.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["redacted"], true, "--redact-map implies --redact");
    let mapping: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&map).unwrap()).unwrap();
    let pseudonyms = mapping["pseudonyms"].as_array().unwrap();
    assert!(pseudonyms
        .iter()
        .any(|p| p["pseudonym"] == "host-1" && p["kind"] == "host" && p["originals"][0] == "media01"));
    let plain: serde_json::Value =
        serde_json::from_slice(&nbtriage(&["analyze", "--format", "json", "tests/bundles/seed-technote"]).stdout)
            .unwrap();
    assert!(plain.get("redacted").is_none(), "absent when the report is not redacted");

    // A map that cannot be written: no report, exit 2.
    let out = nbtriage(&["analyze", "--redact-map", "no/such/folder/map.json", "tests/bundles/seed-technote"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert_eq!(nbtriage(&["analyze", "--redact-map"]).status.code(), Some(2));
}

/// A new user's first try: one command's output pasted into a file, given alone (no `analyze`).
#[test]
fn a_command_output_alone_says_what_it_proves() {
    let out = nbtriage(&["tests/bundles/command-bptestbpcd/bptestbpcd.txt"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("bptestbpcd connected to bpcd at 172.20.0.81:1556"), "{text}");
    assert!(text.contains("command output of bptestbpcd"), "{text}");
    let out = nbtriage(&["tests/bundles/command-nbcertcmd-exit/nbcertcmd.txt", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    let exit = report["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "command-exit").unwrap();
    assert_eq!(exit["facts"]["command_status"], 114);
    assert!(exit["facts"].get("status").is_none(), "a command's exit is not a job's status");
    assert_eq!(report["files"][0]["format"], "command-output");
}
