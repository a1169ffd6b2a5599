//! Archives: a case packed as .tar, .tar.gz, .zip (deflated or stored) or as single .gz files
//! gives the same diagnosis, evidence text included, as the plain files; the archive itself is
//! listed with what was in it; the limits hold with clear notes. Archives are built at test
//! time from the plain fixtures.

mod common;

use common::archives;
use nbtriage::report::json;
use nbtriage::Report;
use serde_json::Value;

/// The report as JSON with the archive's own entry removed and its path taken off every file.
fn as_plain(report: &Report, archive: &str) -> Value {
    let text = json::render(report).replace(&format!("{archive}/"), "");
    let mut value: Value = serde_json::from_str(&text).unwrap();
    let files = value["files"].as_array_mut().unwrap();
    let before = files.len();
    files.retain(|f| f["path"] != archive);
    assert_eq!(before - files.len(), 1, "the archive is listed once");
    value
}

fn plain(bundle: &[(String, Vec<u8>)]) -> Value {
    serde_json::from_str(&json::render(&common::check_equivalent(bundle))).unwrap()
}

#[test]
fn every_archive_form_gives_the_plain_files_report() {
    for name in ["seed-technote", "seed-unix", "pbx-rst", "healthy"] {
        let files = common::load_bundle(name);
        let expected = plain(&files);
        let forms = [
            (format!("{name}.tar"), archives::tar(&files)),
            (format!("{name}.tar.gz"), archives::gzip(&archives::tar(&files))),
            (format!("{name}.zip"), archives::zip(&files, true)),
            (format!("{name}-stored.zip"), archives::zip(&files, false)),
        ];
        for (archive, bytes) in forms {
            let report = common::check_equivalent(&[(archive.clone(), bytes)]);
            assert_eq!(as_plain(&report, &archive), expected, "{archive}");
        }
    }
}

#[test]
fn the_seed_in_an_archive_still_has_its_findings_and_evidence_text() {
    let files = common::load_bundle("seed-technote");
    let report = common::check_equivalent(&[("case.zip".into(), archives::zip(&files, true))]);
    let rules: Vec<&str> = report.findings.iter().map(|f| f.rule.as_str()).collect();
    assert!(rules.contains(&"pbx-connect-timeout") && rules.contains(&"forward-socket-expired"), "{rules:?}");
    for evidence in report.findings.iter().flat_map(|f| &f.evidence) {
        assert!(evidence.file.starts_with("case.zip/"), "{}", evidence.file);
        assert!(!evidence.text.is_empty(), "no text for {}:{}", evidence.file, evidence.line);
    }
    let archive = report.files.iter().find(|f| f.path == "case.zip").unwrap();
    assert_eq!(archive.format, "archive");
    assert!(archive.notes[0].contains("3 files read from it"), "{:?}", archive.notes);
}

#[test]
fn single_gz_files_read_as_the_files_they_hold() {
    let files = common::load_bundle("seed-technote");
    let gz: Vec<(String, Vec<u8>)> = files.iter().map(|(p, b)| (format!("{p}.gz"), archives::gzip(b))).collect();
    let report = common::check_equivalent(&gz);
    let mut value: Value = serde_json::from_str(&json::render(&report)).unwrap();
    // Each .gz is listed as an archive holding one file; take those entries away and the
    // `<name>.gz/` in each path, and it is the plain report.
    value["files"].as_array_mut().unwrap().retain(|f| f["format"] != "archive");
    let mut text = serde_json::to_string(&value).unwrap();
    for (path, _) in &files {
        let name = path.rsplit('/').next().unwrap();
        text = text.replace(&format!("{path}.gz/{name}"), path);
    }
    let without: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(without["findings"], plain(&files)["findings"]);
    assert_eq!(without["hosts"], plain(&files)["hosts"]);
}

#[test]
fn a_truncated_archive_says_so_and_keeps_what_it_read() {
    let files = common::load_bundle("seed-technote");
    let whole = archives::zip(&files, true);
    let cut = whole[..whole.len() * 2 / 3].to_vec();
    let report = common::check_equivalent(&[("cut.zip".into(), cut)]);
    let archive = report.files.iter().find(|f| f.path == "cut.zip").unwrap();
    assert!(archive.notes.iter().any(|n| n.contains("truncated")), "{:?}", archive.notes);
    assert!(report.files.iter().any(|f| f.path.starts_with("cut.zip/") && f.lines > 0));
}

#[test]
fn an_archive_beside_plain_files_and_junk_does_not_disturb_them() {
    let mut files = common::load_bundle("seed-technote");
    let healthy = common::load_bundle("healthy");
    files.push(("other/healthy.tar.gz".into(), archives::gzip(&archives::tar(&healthy))));
    files.push(("other/fake.zip".into(), b"PK\x03\x04 this is not really a zip".to_vec()));
    let report = common::check_equivalent(&files);
    assert!(report.findings.iter().any(|f| f.rule == "pbx-connect-timeout"));
    let fake = report.files.iter().find(|f| f.path == "other/fake.zip").unwrap();
    assert_eq!(fake.format, "archive");
    assert!(!fake.notes.is_empty());
}

#[test]
fn a_zip_bomb_is_cut_at_the_ratio_limit_with_a_note_naming_it() {
    let zeros = vec![0u8; 8 << 20];
    let bomb = archives::zip(&[("zeros.log".to_string(), zeros)], true);
    assert!(bomb.len() < 64 << 10, "a real bomb: {} bytes", bomb.len());
    let mut files = common::load_bundle("seed-technote");
    files.push(("bomb.zip".into(), bomb));
    let report = common::analyze_chunked(&files, 1 << 20);
    let notes: Vec<&String> =
        report.files.iter().filter(|f| f.path.starts_with("bomb.zip")).flat_map(|f| &f.notes).collect();
    assert!(notes.iter().any(|n| n.contains("200")), "{notes:?}");
    assert!(report.findings.iter().any(|f| f.rule == "pbx-connect-timeout"), "the other files are still analyzed");
}

#[test]
fn an_archive_of_100_000_tiny_files_stops_at_the_file_limit() {
    let tiny: Vec<(String, Vec<u8>)> = (0..100_000).map(|i| (format!("f/{i}.log"), b"x\n".to_vec())).collect();
    let report = common::analyze_chunked(&[("many.zip".into(), archives::zip(&tiny, false))], 1 << 20);
    let archive = report.files.iter().find(|f| f.path == "many.zip").unwrap();
    assert!(archive.notes.iter().any(|n| n.contains("20,000")), "{:?}", archive.notes);
    assert_eq!(report.files.len(), 20_001);
}

#[test]
fn password_protected_entries_and_non_logs_get_their_own_notes() {
    let mut locked = archives::zip(&[("secret.log".to_string(), b"17:00:00.000 [1] <2> x\n".to_vec())], false);
    locked[6] |= 1; // the local header's "encrypted" flag
    let others = vec![
        ("picture.png".to_string(), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec()),
        ("manual.pdf".to_string(), b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec()),
        ("setup.exe".to_string(), b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0".to_vec()),
    ];
    let report =
        common::check_equivalent(&[("locked.zip".into(), locked), ("others.tar".into(), archives::tar(&others))]);
    let locked = report.files.iter().find(|f| f.path == "locked.zip").unwrap();
    assert!(locked.notes.iter().any(|n| n.contains("secret.log") && n.contains("password")), "{:?}", locked.notes);
    for (name, _) in &others {
        let file = report.files.iter().find(|f| f.path == format!("others.tar/{name}")).unwrap();
        assert_eq!(file.format, "binary", "{name}");
        assert!(!file.notes.is_empty(), "{name}");
    }
}
