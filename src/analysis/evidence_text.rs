//! Evidence lines are read back from the files when a report is made: the core keeps only
//! their file, line number and byte offset. The caller, which owns the files, reads them.

use crate::input::utf16::Utf16;
use crate::input::LineSource;
use crate::item::ArchiveLines;
use crate::report::{Report, EVIDENCE_TEXT_MAX};
use std::collections::BTreeMap;

/// Files held in memory, by path (tests, the sample, small inputs). Lines inside archives
/// held here are read by streaming the archive (see [`crate::item::ArchiveLines`]).
#[derive(Debug, Default)]
pub struct MemorySource {
    files: BTreeMap<String, Vec<u8>>,
    archives: ArchiveLines,
}

impl MemorySource {
    pub fn insert(&mut self, path: impl Into<String>, bytes: Vec<u8>) {
        self.files.insert(path.into(), bytes);
    }
}

impl FromIterator<(String, Vec<u8>)> for MemorySource {
    fn from_iter<I: IntoIterator<Item = (String, Vec<u8>)>>(files: I) -> Self {
        MemorySource { files: files.into_iter().collect(), archives: ArchiveLines::default() }
    }
}

impl LineSource for MemorySource {
    fn prepare(&mut self, wanted: &[(String, u64)]) {
        let (names, bytes): (Vec<&str>, Vec<&Vec<u8>>) = self.files.iter().map(|(n, b)| (n.as_str(), b)).unzip();
        self.archives.gather(wanted, &names, |i, each| each(bytes[i]));
    }

    fn read_at(&mut self, path: &str, offset: u64, len: usize) -> Option<Vec<u8>> {
        let Some(bytes) = self.files.get(path) else { return self.archives.read_at(path, offset, len) };
        let start = usize::try_from(offset).ok()?.min(bytes.len());
        Some(bytes[start..(start + len).min(bytes.len())].to_vec())
    }
}

/// Fills every evidence line's `text` from `source`.
pub fn fill_evidence_text(report: &mut Report, source: &mut dyn LineSource) {
    let wanted: Vec<(String, u64)> = report
        .findings
        .iter()
        .flat_map(|f| &f.evidence)
        .chain(&report.first_errors)
        .map(|e| (e.file.clone(), e.offset))
        .collect();
    source.prepare(&wanted);
    // UTF-16 files (by the scan) are decoded; their offsets are those of the file as stored.
    let utf16: BTreeMap<&str, Utf16> = report
        .files
        .iter()
        .filter_map(|f| Some((f.path.as_str(), Utf16::from_name(f.encoding.as_deref()?)?)))
        .collect();
    let mut texts = Vec::new();
    for e in report.findings.iter().flat_map(|f| &f.evidence).chain(&report.first_errors) {
        let text = match utf16.get(e.file.as_str()) {
            Some(order) => source
                .read_at(&e.file, e.offset, super::ReadAhead::REACH as usize)
                .map(|bytes| order.first_line(&bytes, EVIDENCE_TEXT_MAX / 2)),
            None => source.read_at(&e.file, e.offset, EVIDENCE_TEXT_MAX).map(|bytes| line_text(&bytes, e.offset == 0)),
        };
        texts.push(text);
    }
    let mut texts = texts.into_iter();
    for e in report.findings.iter_mut().flat_map(|f| &mut f.evidence).chain(&mut report.first_errors) {
        if let Some(Some(text)) = texts.next() {
            e.text = text;
        }
    }
}

/// The first line of `bytes` as text: no line end, no byte order mark, cut at a character
/// boundary, invalid UTF-8 replaced.
fn line_text(bytes: &[u8], file_start: bool) -> String {
    let mut line = &bytes[..memchr::memchr(b'\n', bytes).unwrap_or(bytes.len())];
    if file_start {
        line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
    }
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let mut cut = line.len().min(EVIDENCE_TEXT_MAX);
    while cut < line.len() && cut > 0 && line[cut] & 0xC0 == 0x80 {
        cut -= 1;
    }
    String::from_utf8_lossy(&line[..cut]).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_line_only_without_line_end_or_bom() {
        assert_eq!(line_text(b"\xEF\xBB\xBFabc\r\ndef", true), "abc");
        assert_eq!(line_text(b"caf\xC3\xA9\n", false), "caf\u{e9}");
        let long = "\u{e9}".repeat(400);
        assert!(line_text(long.as_bytes(), false).len() <= EVIDENCE_TEXT_MAX);
    }
}
