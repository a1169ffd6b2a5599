//! Archives: a case packed as .tar, .tar.gz, .zip (deflated or stored) or as single .gz files
//! gives the same diagnosis, evidence text included, as the plain files; the archive itself is
//! listed with what was in it; the limits hold with clear notes. Archives are built at test
//! time from the plain fixtures.

#![allow(clippy::disallowed_methods, clippy::disallowed_types)] // A shell, not the core: it may do I/O (clippy.toml).

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
    assert_eq!(archive.format.name(), "archive");
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
    assert_eq!(fake.format.name(), "archive");
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
        assert_eq!(file.format.name(), "binary", "{name}");
        assert!(!file.notes.is_empty(), "{name}");
    }
}

// Archives written by independent tools (GNU tar, Python's tarfile, gzip and zipfile, Info-ZIP
// `zip`, 7-Zip), made at test time from the seed bundle. tests/run-all installs the tools; when
// one is missing outside CI the case is skipped with the reason printed, and in CI it fails.
mod real_tools {
    use super::*;
    use std::path::{Path, PathBuf};
    use std::process::Command;

    /// A folder of its own for one test, holding the seed bundle as files under `bundle/`, one
    /// of them under a path longer than the 100 bytes of a tar header's name field.
    struct Scratch {
        dir: PathBuf,
        files: Vec<(String, Vec<u8>)>,
    }

    const LONG: &str = "collected-by-the-support-engineer-on-the-third-of-june/with-a-folder-name-long-enough-for-tar";

    impl Scratch {
        fn new(test: &str) -> Scratch {
            let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("real-archives").join(test);
            let _ = std::fs::remove_dir_all(&dir);
            let mut files = common::load_bundle("seed-technote");
            for (path, _) in &mut files {
                if path.starts_with("myclient/vnetd/") {
                    *path = format!("myclient/{LONG}/vnetd/060311.log");
                }
            }
            assert!(files.iter().any(|(p, _)| p.len() > 100));
            for (path, bytes) in &files {
                let target = dir.join("bundle").join(path);
                std::fs::create_dir_all(target.parent().unwrap()).unwrap();
                std::fs::write(target, bytes).unwrap();
            }
            Scratch { dir, files }
        }

        /// Runs `program` in `bundle/` (its output names are relative to the scratch folder),
        /// or says why it cannot (None).
        fn run(&self, program: &str, args: &[&str]) -> Option<()> {
            self.run_in(&self.dir.join("bundle"), program, args)
        }

        fn run_in(&self, dir: &Path, program: &str, args: &[&str]) -> Option<()> {
            let out = match Command::new(program).args(args).current_dir(dir).output() {
                Ok(out) => out,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    let why = format!("{program} is not installed (tests/run-all installs it)");
                    assert!(std::env::var_os("CI").is_none(), "{why}");
                    eprintln!("skipped: {why}");
                    return None;
                }
                Err(e) => panic!("{program}: {e}"),
            };
            assert!(out.status.success(), "{program} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
            Some(())
        }

        fn read(&self, name: &str) -> Vec<u8> {
            std::fs::read(self.dir.join(name)).unwrap()
        }

        fn python(&self, script: &str) -> Option<()> {
            self.run("python3", &["-c", script])
        }
    }

    /// Whether the zip entry `name` has a data descriptor (flag bit 3 of its local header).
    fn has_descriptor(zip: &[u8], name: &str) -> bool {
        let at = zip.windows(name.len()).position(|w| w == name.as_bytes()).unwrap() - 30;
        assert_eq!(&zip[at..at + 4], b"PK\x03\x04");
        zip[at + 6] & 8 != 0
    }

    /// The archive's report is the plain files' report, evidence text included.
    fn same_as_plain(scratch: &Scratch, name: &str, bytes: Vec<u8>) -> Report {
        let report = common::check_equivalent(&[(name.to_string(), bytes)]);
        assert_eq!(as_plain(&report, name), plain(&scratch.files), "{name}");
        report
    }

    fn archive_notes<'r>(report: &'r Report, name: &str) -> &'r [String] {
        &report.files.iter().find(|f| f.path == name).expect("the archive is listed").notes
    }

    #[test]
    fn gnu_tar_in_its_formats_with_long_names() {
        let s = Scratch::new("gnu-tar");
        for format in ["gnu", "oldgnu", "pax", "posix", "ustar"] {
            let name = format!("{format}.tar");
            let Some(()) =
                s.run("tar", &[&format!("--format={format}"), "-cf", &format!("../{name}"), "media01", "myclient"])
            else {
                return;
            };
            same_as_plain(&s, &name, s.read(&name));
        }
        // `tar -czf` from `.`: entries named ./media01/..., through gzip.
        s.run("tar", &["-czf", "../dot.tar.gz", "."]).unwrap();
        same_as_plain(&s, "dot.tar.gz", s.read("dot.tar.gz"));
    }

    #[test]
    fn python_tarfile_and_gzip() {
        let s = Scratch::new("python-tar");
        let script = r#"
import tarfile
for fmt, name in [(tarfile.USTAR_FORMAT, "ustar"), (tarfile.GNU_FORMAT, "gnu"), (tarfile.PAX_FORMAT, "pax")]:
    with tarfile.open(f"../py-{name}.tar", "w", format=fmt) as t:
        t.add("media01"); t.add("myclient")
with tarfile.open("../py.tar.gz", "w:gz") as t:
    t.add(".")
"#;
        let Some(()) = s.python(script) else { return };
        for name in ["py-ustar.tar", "py-gnu.tar", "py-pax.tar", "py.tar.gz"] {
            same_as_plain(&s, name, s.read(name));
        }
    }

    #[test]
    fn python_zipfile_stored_deflated_streamed_and_with_windows_paths() {
        let s = Scratch::new("python-zip");
        let script = r#"
import os, sys, zipfile
files = [os.path.join(d, f)[2:] for d, _, fs in os.walk(".") for f in fs]
for method, name in [(zipfile.ZIP_STORED, "stored"), (zipfile.ZIP_DEFLATED, "deflated")]:
    with zipfile.ZipFile(f"../py-{name}.zip", "w", method) as z:
        for f in files: z.write(f)
# Written to a pipe, zipfile cannot seek back: each entry gets a data descriptor.
with open("../py-streamed.zip", "wb") as out:
    r, w = os.pipe()
    if os.fork() == 0:
        os.close(r)
        with os.fdopen(w, "wb") as pipe, zipfile.ZipFile(pipe, "w", zipfile.ZIP_DEFLATED) as z:
            for f in files: z.write(f)
        os._exit(0)
    os.close(w)
    with os.fdopen(r, "rb") as pipe: out.write(pipe.read())
    os.wait()
# Windows tools write backslashes.
with zipfile.ZipFile("../py-windows.zip", "w", zipfile.ZIP_DEFLATED) as z:
    for f in files:
        info = zipfile.ZipInfo(f.replace("/", "\\"))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, open(f, "rb").read())
"#;
        let Some(()) = s.python(script) else { return };
        assert!(has_descriptor(&s.read("py-streamed.zip"), "media01/bpbrm/060311.log"));
        for name in ["py-stored.zip", "py-deflated.zip", "py-streamed.zip", "py-windows.zip"] {
            same_as_plain(&s, name, s.read(name));
        }
    }

    #[test]
    fn info_zip_deflated_stored_streamed_zip64_and_encrypted() {
        let s = Scratch::new("info-zip");
        let Some(()) = s.run("zip", &["-qr", "../iz.zip", "media01", "myclient"]) else { return };
        s.run("zip", &["-qr0", "../iz-stored.zip", "."]).unwrap();
        s.run("zip", &["-qr", "-fz", "../iz-zip64.zip", "media01", "myclient"]).unwrap();
        // To a pipe: data descriptors.
        s.run("sh", &["-c", "zip -qr - media01 myclient | cat > ../iz-streamed.zip"]).unwrap();
        for name in ["iz.zip", "iz-stored.zip", "iz-zip64.zip", "iz-streamed.zip"] {
            same_as_plain(&s, name, s.read(name));
        }
        assert!(has_descriptor(&s.read("iz-streamed.zip"), "media01/bpbrm/060311.log"));

        // Traditional zip encryption on one file: that file is noted, the others are read.
        s.run("zip", &["-qr", "../iz-locked.zip", "myclient"]).unwrap();
        s.run("zip", &["-q", "-P", "secret", "../iz-locked.zip", "media01/bpbrm/060311.log"]).unwrap();
        let report = common::check_equivalent(&[("iz-locked.zip".into(), s.read("iz-locked.zip"))]);
        let notes = archive_notes(&report, "iz-locked.zip").join(" ");
        assert!(notes.contains("media01/bpbrm/060311.log: password-protected"), "{notes}");
        assert!(report.files.iter().any(|f| f.path == "iz-locked.zip/myclient/bpcd/060311.log" && f.lines > 0));
    }

    #[test]
    fn seven_zip_zip_tar_and_deflate64() {
        let s = Scratch::new("7-zip");
        let Some(()) = s.run("7zz", &["a", "-bso0", "-tzip", "../7z.zip", "media01", "myclient"]) else { return };
        s.run("7zz", &["a", "-bso0", "-tzip", "-mm=Copy", "../7z-stored.zip", "media01", "myclient"]).unwrap();
        s.run("7zz", &["a", "-bso0", "-ttar", "../7z.tar", "media01", "myclient"]).unwrap();
        for name in ["7z.zip", "7z-stored.zip", "7z.tar"] {
            same_as_plain(&s, name, s.read(name));
        }

        // One file in Deflate64, the others added by Info-ZIP in plain Deflate: the first gets a
        // note that names Deflate64 and says what to do, the others are analyzed.
        s.run("7zz", &["a", "-bso0", "-tzip", "-mm=Deflate64", "../mixed.zip", "media01"]).unwrap();
        if s.run("zip", &["-qr", "../mixed.zip", "myclient"]).is_none() {
            return;
        }
        let report = common::check_equivalent(&[("mixed.zip".into(), s.read("mixed.zip"))]);
        let notes = archive_notes(&report, "mixed.zip").join(" ");
        assert!(
            notes.contains("media01/bpbrm/060311.log: compressed with method 9 (Deflate64), which nbtriage cannot read: unpack the archive and drop the files, or zip them again with plain Deflate."),
            "{notes}"
        );
        let mut read: Vec<String> = report.files.iter().filter(|f| f.lines > 0).map(|f| f.path.clone()).collect();
        read.sort();
        let long = format!("mixed.zip/myclient/{LONG}/vnetd/060311.log");
        assert_eq!(read, ["mixed.zip/myclient/bpcd/060311.log", &long]);

        // A .7z is not read, and says so.
        s.run("7zz", &["a", "-bso0", "../case.7z", "media01"]).unwrap();
        let report = common::check_equivalent(&[("case.7z".into(), s.read("case.7z"))]);
        assert!(report.files[0].notes.join(" ").contains("7-Zip archive"), "{:?}", report.files[0].notes);
    }

    #[test]
    fn gzip_of_several_members_is_one_file() {
        let s = Scratch::new("gzip-members");
        let bpbrm = "media01/bpbrm/060311.log";
        let Some(()) = s.run("sh", &["-c", &format!("head -c 1000 {bpbrm} | gzip > ../a.gz && tail -c +1001 {bpbrm} | gzip -9 > ../b.gz && cat ../a.gz ../b.gz > ../060311.log.gz")])
        else {
            return;
        };
        let plain_file = common::check_equivalent(&[(
            bpbrm.to_string(),
            s.files.iter().find(|(p, _)| p == bpbrm).unwrap().1.clone(),
        )]);
        let report = common::check_equivalent(&[("media01/bpbrm/060311.log.gz".into(), s.read("060311.log.gz"))]);
        let inner = report.files.iter().find(|f| f.path == "media01/bpbrm/060311.log.gz/060311.log").unwrap();
        assert_eq!(inner.lines, plain_file.files[0].lines);
        assert_eq!(inner.bytes, plain_file.files[0].bytes);
        assert!(inner.notes.iter().all(|n| !n.contains("checksum")), "{:?}", inner.notes);
    }

    #[test]
    fn a_tar_gz_with_a_wrong_gzip_trailer_is_noted_and_still_analyzed() {
        let s = Scratch::new("bad-trailer");
        let Some(()) = s.run("tar", &["-czf", "../case.tar.gz", "media01", "myclient"]) else { return };
        let mut bytes = s.read("case.tar.gz");
        let len = bytes.len();
        bytes[len - 8] ^= 0xff; // the CRC-32
        let report = common::check_equivalent(&[("case.tar.gz".into(), bytes)]);
        let notes = archive_notes(&report, "case.tar.gz").join(" ");
        assert!(notes.contains("does not match the checksum (CRC-32 or length in the gzip trailer)"), "{notes}");
        // Apart from that note, the report is the plain files'.
        let value = as_plain(&report, "case.tar.gz");
        assert_eq!(value["findings"], plain(&s.files)["findings"]);
        assert_eq!(value["files"], plain(&s.files)["files"]);
    }

    #[test]
    fn a_zip_entry_with_a_wrong_crc_is_noted_and_the_others_are_read() {
        let s = Scratch::new("bad-crc");
        let Some(()) = s.run("zip", &["-qr", "../case.zip", "media01", "myclient"]) else { return };
        let mut bytes = s.read("case.zip");
        // The first local header's CRC-32 (bytes 14..18) of the first file entry.
        let name = b"media01/bpbrm/060311.log";
        let at = bytes.windows(name.len()).position(|w| w == name).unwrap() - 30;
        assert_eq!(&bytes[at..at + 4], b"PK\x03\x04");
        bytes[at + 14] ^= 0xff;
        let report = common::check_equivalent(&[("case.zip".into(), bytes)]);
        let bpbrm = report.files.iter().find(|f| f.path == "case.zip/media01/bpbrm/060311.log").unwrap();
        assert!(bpbrm.notes.iter().any(|n| n.contains("does not match its checksum (CRC-32)")), "{:?}", bpbrm.notes);
        assert!(report.findings.iter().any(|f| f.rule == "pbx-connect-timeout"), "the files are still analyzed");
    }
}
