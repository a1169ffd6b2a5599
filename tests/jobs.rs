//! Job lists beside debug logs (issue 23): a host's clock against the lists' UTC, read from a
//! job both name, and never assumed.

#![allow(clippy::disallowed_methods, clippy::disallowed_types)] // A shell, not the core: it may do I/O (clippy.toml).

mod common;

/// A constructed `-most_columns` record of job 2 (field order of public parsers), started at
/// `start` (epoch seconds, UTC).
fn record(start: i64) -> String {
    let mut fields: Vec<String> =
        ["2", "0", "3", "0", "P1", "Full", "client1", "media01"].iter().map(|s| s.to_string()).collect();
    fields.extend([start.to_string(), "60".into(), (start + 60).to_string(), "stu1".into(), "1".into()]);
    fields.resize(31, String::new());
    fields.extend(["0".into(), "1".into(), "1".into()]);
    fields.join(",") + "\n"
}

#[test]
fn a_hosts_offset_comes_from_a_job_both_name() {
    // nbjm's real line `12/04/2015 15:48:56.982 ... [jobid=2 parentid=1] ... [BackupJob::start()]
    // ... start the job` (the vxlogview-nbjm bundle), and a job list that says job 2 started at
    // 20:48:57 UTC: the host's clock is 5 hours behind UTC.
    let nbjm =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/bundles/vxlogview-nbjm/primary01/nbjm.txt")).unwrap();
    let start = 1_449_262_137; // 2015-12-04 20:48:57 UTC
    let files = vec![
        ("primary01/nbjm.txt".to_string(), nbjm.clone()),
        ("primary01/jobs.txt".to_string(), record(start).into_bytes()),
    ];
    let report = common::check_equivalent(&files);
    let clock = &report.jobs.as_ref().expect("jobs").clock;
    assert_eq!(clock.len(), 1, "{clock:?}");
    assert_eq!(clock[0].offset_ms, Some(5 * 3_600_000), "{clock:?}");
    assert!(clock[0].basis.starts_with("Estimated from 1 job"), "{}", clock[0].basis);
    // With no job both name, no offset is assumed.
    let other = vec![
        ("primary01/nbjm.txt".to_string(), nbjm),
        ("primary01/jobs.txt".to_string(), record(start).replacen("2,", "3,", 1).into_bytes()),
    ];
    let report = common::check_equivalent(&other);
    let clock = &report.jobs.as_ref().expect("jobs").clock;
    assert_eq!(clock[0].offset_ms, None);
    assert!(clock[0].basis.starts_with("Not derived"));
}
