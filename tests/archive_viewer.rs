//! The log viewer over archives: a bundle as plain files, and packed as .tar, .tar.gz, .zip
//! (deflated and stored) and one .gz per file, gives the same line indexes, the same rows in the
//! same order, the same text and times read back, the same search hits; the archives' lines
//! are read back through their maps (as the page reads them, by offset), and evidence text read
//! that way gives the report streaming the archive again gives (the CLI's).
#![allow(clippy::disallowed_methods, clippy::disallowed_types)] // A shell, not the core: it may do I/O (clippy.toml).

mod common;

use common::archives;
use nbtriage::archive::{ArchiveBytes, ArchiveMap, Limits, ReadCache, Unpacker};
use nbtriage::facts::line_index::{LineIndex, TimeDetail};
use nbtriage::item::ItemScanner;
use nbtriage::viewer::{EntrySearches, Filter, LineSearch, LogTable, Row, ShownLine};
use nbtriage::{FileFacts, LineSource, MemorySource, Report};

/// Where a table file's bytes are: a plain item, or entry `.1` of archive item `.0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Plain(usize),
    Entry(usize, usize),
}

struct Loaded {
    items: Vec<(String, Vec<u8>)>,
    maps: Vec<Option<ArchiveMap>>,
    report: Report,
    table: LogTable,
    sources: Vec<Source>,
}

/// An archive in memory read by offset, as the page reads a `File`.
struct Bytes<'a>(&'a [u8]);

impl ArchiveBytes for Bytes<'_> {
    fn read(&mut self, start: u64, end: u64) -> Option<Vec<u8>> {
        let len = self.0.len() as u64;
        Some(self.0[start.min(len) as usize..end.min(len) as usize].to_vec())
    }
}

/// Evidence lines read as the page reads them: plain items by offset, archives' files through
/// their maps.
struct MapSource<'a> {
    items: &'a [(String, Vec<u8>)],
    maps: &'a [Option<ArchiveMap>],
}

impl LineSource for MapSource<'_> {
    fn read_at(&mut self, path: &str, offset: u64, len: usize) -> Option<Vec<u8>> {
        for (i, (item, bytes)) in self.items.iter().enumerate() {
            if item == path {
                let start = (offset as usize).min(bytes.len());
                return Some(bytes[start..(start + len).min(bytes.len())].to_vec());
            }
            let (Some(inside), Some(map)) = (path.strip_prefix(&format!("{item}/")), &self.maps[i]) else { continue };
            let entry = map.entries.iter().position(|e| e.path == inside)?;
            return map.read(entry, offset, offset + len as u64, &mut Bytes(bytes), &mut ReadCache::default());
        }
        None
    }
}

/// Scans `items` for the viewer (every line's time while `every_line_bytes` lasts), analyzes
/// them, and builds the table; checks that evidence read through the maps is what streaming
/// the archives gives.
fn load(items: Vec<(String, Vec<u8>)>, detail: TimeDetail, every_line_bytes: u64) -> Loaded {
    let mut facts: Vec<FileFacts> = Vec::new();
    let mut indexes: Vec<(String, LineIndex, Source)> = Vec::new();
    let mut maps = Vec::new();
    for (i, (path, bytes)) in items.iter().enumerate() {
        let mut scanner =
            ItemScanner::new(path.clone(), Some(detail)).with_budget(every_line_bytes, bytes.len() as u64);
        for chunk in bytes.chunks(64 << 10) {
            scanner.feed(chunk);
        }
        let scanned = scanner.finish();
        let archive = scanned.map.is_some() || scanned.files.len() > 1;
        for (n, (f, index)) in scanned.files.into_iter().enumerate() {
            if let Some(index) = index {
                assert!(!archive || n > 0);
                let source = if archive { Source::Entry(i, n - 1) } else { Source::Plain(i) };
                indexes.push((f.path.clone(), index, source));
            }
            facts.push(f);
        }
        assert_eq!(scanned.map.is_some(), archive, "{path}: an archive has a map");
        maps.push(scanned.map);
    }
    let mut streamed: MemorySource = items.iter().cloned().collect();
    let report = nbtriage::analyze(facts.clone(), &mut streamed);
    let by_map = nbtriage::analyze(facts, &mut MapSource { items: &items, maps: &maps });
    assert_eq!(by_map, report, "evidence read through the maps is the evidence streamed");
    let (table, sources) = LogTable::with_sources(&report, indexes);
    Loaded { items, maps, report, table, sources }
}

impl Loaded {
    /// Bytes `start..end` of table file `file` (`caches`: one per item, as a map's cache is
    /// the map's own).
    fn read(&self, file: u32, start: u64, end: u64, caches: &mut [ReadCache]) -> Vec<u8> {
        match self.sources[file as usize] {
            Source::Plain(i) => {
                let bytes = &self.items[i].1;
                bytes[(start as usize).min(bytes.len())..(end as usize).min(bytes.len())].to_vec()
            }
            Source::Entry(i, entry) => {
                let map = self.maps[i].as_ref().unwrap();
                map.read(entry, start, end, &mut Bytes(&self.items[i].1), &mut caches[i]).unwrap()
            }
        }
    }

    fn caches(&self) -> Vec<ReadCache> {
        self.items.iter().map(|_| ReadCache::default()).collect()
    }

    /// Rows `start..start + count` of the whole view, read back as the worker does.
    fn shown(&self, start: usize, count: usize, caches: &mut [ReadCache]) -> Vec<ShownLine> {
        let view = self.table.view(&Filter { aligned: true, ..Filter::default() }, None);
        let rows = self.table.rows(&view, start, count);
        self.read_rows(&rows, caches)
    }

    /// `rows` read back as the worker does, in their order.
    fn read_rows(&self, rows: &[Row], caches: &mut [ReadCache]) -> Vec<ShownLine> {
        let mut lines = Vec::new();
        for (file, from, to, at_line) in self.table.read_plan(rows) {
            let bytes = self.read(file, from, to, caches);
            lines.extend(self.table.lines_from(file, &bytes, at_line, rows, true));
        }
        let position = |l: &ShownLine| rows.iter().position(|r| r.file == l.file && r.line + 1 == l.line);
        lines.sort_by_key(|l| position(l));
        assert_eq!(
            lines.len(),
            rows.len(),
            "every row read: {:?}",
            rows.iter()
                .filter(|r| !lines.iter().any(|l| l.file == r.file && l.line == r.line + 1))
                .map(|r| (
                    &self.table.files[r.file as usize].path,
                    r.line,
                    self.table.files[r.file as usize].index.len()
                ))
                .collect::<Vec<_>>()
        );
        lines
    }

    /// Every table file's search for `needle`: plain files fed whole, each archive unpacked
    /// once more for all its files.
    fn search(&self, needle: &str) -> Vec<Vec<u64>> {
        let mut bits = vec![Vec::new(); self.sources.len()];
        let search = |t: usize| {
            let index = &self.table.files[t].index;
            LineSearch::new(needle, index.len(), index.encoding)
        };
        for (t, source) in self.sources.iter().enumerate() {
            if let Source::Plain(i) = *source {
                let mut s = search(t);
                s.feed(&self.items[i].1);
                bits[t] = s.finish();
            }
        }
        for (i, (path, bytes)) in self.items.iter().enumerate() {
            let Some(map) = &self.maps[i] else { continue };
            let wanted = (0..self.sources.len())
                .filter_map(|t| match self.sources[t] {
                    Source::Entry(a, entry) if a == i => Some((entry, t, search(t))),
                    _ => None,
                })
                .collect();
            let mut sink = EntrySearches::new(wanted);
            let mut unpacker = Unpacker::new(map.kind, path, Limits::default());
            for chunk in bytes.chunks(1 << 20) {
                unpacker.feed(chunk, &mut sink);
            }
            unpacker.finish(&mut sink);
            for (t, b) in sink.finish() {
                bits[t] = b;
            }
        }
        bits
    }
}

/// Files or items as (path, bytes).
type Files = Vec<(String, Vec<u8>)>;

/// The bundle in each archive form, as (form, items).
fn forms(files: &[(String, Vec<u8>)]) -> Vec<(&'static str, Files)> {
    let packed = |name: &str, bytes: Vec<u8>| vec![(name.to_string(), bytes)];
    vec![
        ("case.tar", packed("case.tar", archives::tar(files))),
        ("case.tar.gz", packed("case.tar.gz", archives::gzip(&archives::tar(files)))),
        ("case.zip", packed("case.zip", archives::zip(files, true))),
        ("case-stored.zip", packed("case-stored.zip", archives::zip(files, false))),
        ("gz", files.iter().map(|(p, b)| (format!("case/{p}.gz"), archives::gzip(b))).collect()),
    ]
}

/// A table path of form `form` as the plain bundle's.
fn as_plain(form: &str, path: &str) -> String {
    match form {
        "gz" => path.rsplit_once(".gz/").map_or(path.to_string(), |(file, _)| file.to_string()),
        archive => path.replacen(&format!("{archive}/"), "case/", 1),
    }
}

fn same_viewer(files: Vec<(String, Vec<u8>)>, detail: TimeDetail) {
    let plain_items: Vec<(String, Vec<u8>)> = files.iter().map(|(p, b)| (format!("case/{p}"), b.clone())).collect();
    let plain = load(plain_items, detail, u64::MAX);
    let lines = plain.table.total_lines();
    assert!(lines > 0);
    let needles = ["SO_ERROR", "connect", "<16>", "zzz not there"];
    let plain_bits: Vec<_> = needles.iter().map(|n| plain.search(n)).collect();
    let mut plain_caches = plain.caches();
    let windows: Vec<usize> = vec![0, lines / 3, lines / 2, lines.saturating_sub(150)];
    let plain_rows: Vec<_> = windows.iter().map(|&w| plain.shown(w, 150, &mut plain_caches)).collect();
    for (form, items) in forms(&files) {
        let loaded = load(items, detail, u64::MAX);
        let mut caches = loaded.caches();
        let mut paths: Vec<String> = loaded.table.files.iter().map(|f| as_plain(form, &f.path)).collect();
        paths.sort();
        let plain_paths: Vec<&str> = plain.table.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, plain_paths, "{form}: the same files");
        for (t, a) in loaded.table.files.iter().enumerate() {
            let p = plain.table.file_index(&as_plain(form, &a.path)).unwrap();
            let b = &plain.table.files[p as usize];
            assert_eq!(
                (&a.host, &a.process, a.base_ms, a.clock_offset_ms),
                (&b.host, &b.process, b.base_ms, b.clock_offset_ms),
                "{form} {}",
                a.path
            );
            assert_eq!(a.index, b.index, "{form} {}: the same line index", a.path);
            // Every line of the file read back, backwards in windows of 100 (the cache warm).
            let all: Vec<u32> = (0..a.index.len() as u32).collect();
            for window in all.rchunks(100) {
                let rows: Vec<Row> = window.iter().map(|&line| Row { file: t as u32, line }).collect();
                let plain_rows: Vec<Row> = window.iter().map(|&line| Row { file: p, line }).collect();
                let got: Vec<_> = loaded
                    .read_rows(&rows, &mut caches)
                    .into_iter()
                    .map(|l| (l.line, l.time_ms, l.level, l.text))
                    .collect();
                let want: Vec<_> = plain
                    .read_rows(&plain_rows, &mut plain_caches)
                    .into_iter()
                    .map(|l| (l.line, l.time_ms, l.level, l.text))
                    .collect();
                assert_eq!(got, want, "{form} {}: lines {:?}", a.path, window.first());
            }
        }
        for (needle, expected) in needles.iter().zip(&plain_bits) {
            for (t, bits) in loaded.search(needle).into_iter().enumerate() {
                let p = plain.table.file_index(&as_plain(form, &loaded.table.files[t].path)).unwrap();
                assert_eq!(bits, expected[p as usize], "{form}: search for {needle} in {}", loaded.table.files[t].path);
            }
        }
        if form == "gz" {
            // Its files sort apart from the plain ones (`x.gz/x`), so rows of equal time merge
            // in another order: the rows' own content is checked above.
            continue;
        }
        // The files panel: lines and spans as for the plain files.
        for f in loaded.report.files.iter().filter(|f| f.is_log()) {
            let p = plain.report.files.iter().find(|g| g.path == as_plain(form, &f.path)).unwrap();
            assert_eq!(
                (f.lines, &f.first, &f.last, f.errors),
                (p.lines, &p.first, &p.last, p.errors),
                "{form} {}",
                f.path
            );
        }
        for (w, expected) in windows.iter().zip(&plain_rows) {
            assert_eq!(&loaded.shown(*w, 150, &mut caches), expected, "{form}: rows from {w}");
        }

        // Jumps from findings: each evidence line's row is where the plain file's is.
        let view = loaded.table.view(&Filter { aligned: true, ..Filter::default() }, None);
        let plain_view = plain.table.view(&Filter { aligned: true, ..Filter::default() }, None);
        for e in loaded.report.findings.iter().flat_map(|f| &f.evidence) {
            let Some(file) = loaded.table.file_index(&e.file) else { continue };
            let plain_file = plain.table.file_index(&as_plain(form, &e.file)).unwrap();
            let at = loaded.table.position_of(&view, Row { file, line: (e.line - 1) as u32 });
            let plain_at = plain.table.position_of(&plain_view, Row { file: plain_file, line: (e.line - 1) as u32 });
            assert!(at.is_some());
            assert_eq!(at, plain_at, "{form}: {}:{}", e.file, e.line);
        }
    }
}

#[test]
fn fixture_bundles_in_archives_show_as_plain_files() {
    for name in ["seed-technote", "seed-unix", "forms-utf16-vxlogview", "forms-day-first", "forms-job-details"] {
        same_viewer(common::load_bundle(name), TimeDetail::EveryLine);
    }
    same_viewer(common::load_bundle("seed-technote"), TimeDetail::PerBlock);
}

#[test]
fn a_generated_bundle_in_archives_shows_as_plain_files() {
    // 12 MiB: a .tar.gz's gzip stream gets restart points (every 4 MiB), read back from.
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    nbtriage::generate::generate(7, 12 << 20, |path, chunk| match files.last_mut() {
        Some((p, bytes)) if p == path => bytes.extend_from_slice(chunk),
        _ => files.push((path.to_string(), chunk.to_vec())),
    });
    files.sort();
    same_viewer(files, TimeDetail::EveryLine);
}

#[test]
fn an_archive_shares_the_every_line_budget_in_the_order_its_files_come() {
    let files = common::load_bundle("seed-technote");
    let sizes: Vec<u64> = files.iter().map(|(_, b)| b.len() as u64).collect();
    // Room for the first file only: the others keep a time per block.
    let tar = archives::tar(&files);
    let loaded = load(vec![("case.tar".into(), tar)], TimeDetail::EveryLine, sizes[0] + sizes[1] / 2);
    let details: Vec<TimeDetail> = loaded.table.files.iter().map(|f| f.index.detail()).collect();
    assert_eq!(details, [TimeDetail::EveryLine, TimeDetail::PerBlock, TimeDetail::PerBlock]);
    // A .gz does not say its size first: it is guessed at 8 times its compressed size.
    let gz = archives::gzip(&files[0].1);
    let fits = load(vec![("a.log.gz".into(), gz.clone())], TimeDetail::EveryLine, gz.len() as u64 * 8);
    assert_eq!(fits.table.files[0].index.detail(), TimeDetail::EveryLine);
    let not = load(vec![("a.log.gz".into(), gz.clone())], TimeDetail::EveryLine, gz.len() as u64 * 8 - 1);
    assert_eq!(not.table.files[0].index.detail(), TimeDetail::PerBlock);
}
