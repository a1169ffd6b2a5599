//! The one helper the integration tests share: load a fixture bundle, analyze it at several
//! chunk sizes and file orders, insist the reports agree, and hand back the report.
#![allow(dead_code)]

pub mod archives;
pub mod capture;

use nbtriage::facts::limits::Limits;
use nbtriage::{Analysis, MemorySource, Report};
use std::path::{Path, PathBuf};

pub fn bundle_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bundles").join(name)
}

/// Every bundle under `tests/bundles/`, by name.
pub fn bundle_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(bundle_dir(""))
        .expect("tests/bundles")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The files of a bundle as (path relative to the bundle, bytes), in path order.
pub fn load_bundle(name: &str) -> Vec<(String, Vec<u8>)> {
    let root = bundle_dir(name);
    let mut out = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("bundle folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
                out.push((rel, std::fs::read(&path).expect("fixture file")));
            }
        }
    }
    out.sort();
    out
}

/// Analyzes `files` fed in chunks of `chunk` bytes, files interleaved chunk by chunk.
pub fn analyze_chunked(files: &[(String, Vec<u8>)], chunk: usize) -> Report {
    analyze_chunked_within(files, chunk, Limits::DEFAULT)
}

/// The same, each file scanned within `limits`.
pub fn analyze_chunked_within(files: &[(String, Vec<u8>)], chunk: usize, limits: Limits) -> Report {
    let mut analysis = Analysis::with_limits(limits);
    let ids: Vec<_> = files.iter().map(|(path, _)| analysis.add_file(path.clone())).collect();
    let longest = files.iter().map(|(_, b)| b.len()).max().unwrap_or(0);
    let mut at = 0;
    while at < longest {
        for (id, (_, bytes)) in ids.iter().zip(files) {
            if at < bytes.len() {
                analysis.feed(*id, &bytes[at..(at + chunk).min(bytes.len())]);
            }
        }
        at += chunk;
    }
    analysis.finish(&mut memory(files))
}

/// The files as a line source for evidence text.
pub fn memory(files: &[(String, Vec<u8>)]) -> MemorySource {
    files.iter().cloned().collect()
}

/// The report, after checking that chunk sizes 1, 7, 64 KiB and whole files, and reversed and
/// rotated file orders, all give the identical report.
pub fn check_equivalent(files: &[(String, Vec<u8>)]) -> Report {
    check_equivalent_within(files, Limits::DEFAULT)
}

/// The same, each file scanned within `limits`.
pub fn check_equivalent_within(files: &[(String, Vec<u8>)], limits: Limits) -> Report {
    let whole = analyze_chunked_within(files, usize::MAX / 2, limits);
    for chunk in [1, 7, 64 * 1024] {
        assert_eq!(analyze_chunked_within(files, chunk, limits), whole, "chunk size {chunk} changed the report");
    }
    let mut reversed = files.to_vec();
    reversed.reverse();
    assert_eq!(analyze_chunked_within(&reversed, 4096, limits), whole, "reversed file order changed the report");
    let mut rotated = files.to_vec();
    rotated.rotate_left(files.len() / 2);
    assert_eq!(analyze_chunked_within(&rotated, 13, limits), whole, "rotated file order changed the report");
    whole
}

pub fn finding<'r>(report: &'r Report, rule: &str) -> Option<&'r nbtriage::Finding> {
    report.findings.iter().find(|f| f.rule == rule)
}
