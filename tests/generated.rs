//! Generated bundles: the analysis finds exactly the scenarios the generator embedded, the same
//! way whatever the chunking and file order, and files scanned separately (as parallel workers
//! do) merge into the identical report.

#![allow(clippy::disallowed_methods, clippy::disallowed_types)] // A shell, not the core: it may do I/O (clippy.toml).

mod common;

use nbtriage::generate::{generate, Expected};
use nbtriage::{analyze, FileScanner, Report};

fn bundle(seed: u64, bytes: u64) -> (Vec<(String, Vec<u8>)>, Expected) {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let expected = generate(seed, bytes, |path, chunk| match files.last_mut() {
        Some((p, b)) if p == path => b.extend_from_slice(chunk),
        _ => files.push((path.to_string(), chunk.to_vec())),
    });
    (files, expected)
}

fn check(report: &Report, expected: &Expected) {
    let ours: Vec<_> = report.findings.iter().filter(|f| f.rule != "none").collect();
    assert_eq!(
        ours.len(),
        expected.findings.len(),
        "{:#?}",
        report.findings.iter().map(|f| &f.title).collect::<Vec<_>>()
    );
    for want in &expected.findings {
        let got = ours
            .iter()
            .find(|f| {
                f.rule == want.rule && f.facts.get("target_ip").and_then(|v| v.as_str()) == want.target_ip.as_deref()
                    || f.rule == want.rule
                        && f.rule == "forward-socket-expired"
                        && f.facts["ipc_port"] == serde_json::json!(want.ipc_port)
            })
            .unwrap_or_else(|| panic!("missing {want:?}"));
        assert_eq!(got.severity.label(), want.severity, "{want:?}");
        if let Some(count) = want.count {
            assert_eq!(got.facts["count"], serde_json::json!(count));
            let total = got.facts["total_wait_s"].as_f64().unwrap();
            assert!((total - want.total_wait_s.unwrap()).abs() < 0.0005, "{total} vs {want:?}");
            assert_eq!(got.facts["source_ip"].as_str(), want.source_ip.as_deref());
        }
        if let Some(port) = want.ipc_port {
            assert_eq!(got.facts["ipc_port"], serde_json::json!(port));
        }
    }
    assert_eq!(report.files.len(), expected.files);
    assert_eq!(report.files.iter().map(|f| f.bytes).sum::<u64>(), expected.bytes);
    assert_eq!(report.files.iter().map(|f| f.lines).sum::<u64>(), expected.lines);
}

#[test]
fn finds_exactly_the_embedded_scenarios() {
    for seed in 1..=5 {
        let (files, expected) = bundle(seed, 3 << 20);
        let report = common::analyze_chunked(&files, 1 << 16);
        check(&report, &expected);
    }
}

#[test]
fn chunking_order_and_separate_scanning_do_not_change_the_report() {
    let (files, expected) = bundle(11, 2 << 20);
    let whole = common::analyze_chunked(&files, usize::MAX / 2);
    check(&whole, &expected);
    assert_eq!(common::analyze_chunked(&files, 4099), whole);
    let mut reversed = files.clone();
    reversed.reverse();
    assert_eq!(common::analyze_chunked(&reversed, 65536), whole);

    // Scanned one by one, in any order, as separate workers would, then merged.
    let mut scanned: Vec<_> = files
        .iter()
        .rev()
        .map(|(path, bytes)| {
            let mut s = FileScanner::new(path.clone());
            for c in bytes.chunks(8 << 20) {
                s.feed(c);
            }
            s.finish()
        })
        .collect();
    scanned.rotate_left(3);
    assert_eq!(analyze(scanned, &mut common::memory(&files)), whole);
}

/// Issue 23: a generated job list of thousands of jobs gives the same jobs summary at every
/// chunking and in either file order when split in two lists (one job in both), and finds the
/// failures the generator put in.
#[test]
fn a_generated_job_list_reads_the_same_at_every_chunking() {
    let mut bytes = Vec::new();
    let expected = nbtriage::generate::jobs::job_list(5, 6_000, |c| bytes.extend_from_slice(c));
    let whole = vec![("primary/bpdbjobs.txt".to_string(), bytes.clone())];
    let report = common::analyze_chunked(&whole, usize::MAX / 2);
    let jobs = report.jobs.as_ref().expect("jobs");
    assert_eq!(jobs.total, expected.total);
    let by_status = |s: u32| jobs.groups.iter().filter(|g| g.status == s).map(|g| g.count).sum::<u64>();
    assert_eq!(by_status(84), expected.failed_84);
    assert_eq!(by_status(58), expected.failed_58);
    assert!(jobs
        .groups
        .iter()
        .any(|g| g.rule == "accelerator-verification-failed" && g.shares.contains("on media server media02")));
    assert!(jobs.retried_ok > 0 && jobs.failed + jobs.retried_ok == expected.failed_58 + expected.failed_84);
    for chunk in [977, 1 << 16] {
        assert_eq!(common::analyze_chunked(&whole, chunk), report, "chunk {chunk}");
    }
    // Split after a record in the middle, the record before the split in both lists.
    let cut = bytes[..bytes.len() / 2].iter().rposition(|&b| b == b'\n').unwrap() + 1;
    let before = bytes[..cut - 1].iter().rposition(|&b| b == b'\n').unwrap() + 1;
    let split = vec![
        ("primary/a.txt".to_string(), bytes[..cut].to_vec()),
        ("primary/b.txt".to_string(), bytes[before..].to_vec()),
    ];
    let one = common::analyze_chunked(&split, 4096).jobs.unwrap();
    let mut reversed = split.clone();
    reversed.reverse();
    let two = common::analyze_chunked(&reversed, 1 << 16).jobs.unwrap();
    assert_eq!(one, two);
    assert_eq!((one.total, one.failed, one.groups.len()), (jobs.total, jobs.failed, jobs.groups.len()));
}
