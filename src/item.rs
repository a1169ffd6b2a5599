//! One dropped item, scanned: a plain log file, or an archive of them (.zip, .tar, .tar.gz,
//! .gz). The kind is judged from the first bytes, so a renamed archive is still opened and a
//! log named `.zip` is still read as a log.
//!
//! An archive's files are scanned as they stream out of it, each under the path
//! `<archive path>/<path inside>` (so folders inside name hosts and processes as usual), and the
//! archive itself gets an entry of its own that says what was in it and what was not read.
//! Nothing is unpacked to memory or disk; evidence lines are read back by streaming the archive
//! once more through [`ArchiveLines`].
//!
//! For a viewer (a [`LineIndex`] asked for), an archive's files get line indexes too, and the
//! archive a map of where each file is ([`ArchiveMap`]), through which any range of a file's
//! lines is read back without unpacking the archive again from its start.

use crate::archive::{ArchiveKind, ArchiveMap, EntrySink, Limits, Unpacker};
use crate::facts::limits::Limits as ScanLimits;
use crate::facts::line_index::{LineIndex, TimeDetail};
use crate::facts::scanner::FileScanner;
use crate::facts::FileFacts;
use crate::vocab::FileFormat;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Bytes looked at before deciding what an item is (tar's signature sits at 257..262).
const HEAD: usize = 512;

/// Scans one item, fed in chunks of any size.
pub struct ItemScanner {
    path: String,
    index: Option<TimeDetail>,
    budget: IndexBudget,
    limits: ScanLimits,
    head: Vec<u8>,
    mode: Mode,
}

/// How much of an archive's files may keep every line's time in their index
/// ([`TimeDetail::EveryLine`]), the rest keeping a time per block.
#[derive(Debug, Clone, Copy)]
struct IndexBudget {
    /// Unpacked bytes whose lines keep every time.
    every_line_bytes: u64,
    /// The item's own size (compressed), for guessing the size of a file the archive does not
    /// state before its data.
    item_bytes: u64,
}

/// A file the archive does not state the size of (a .gz, a zip entry written as a stream) is
/// taken to be this many times the archive's size when the budget is shared out: logs
/// compress about 5 to 20 times.
const GUESSED_RATIO: u64 = 8;

enum Mode {
    Undecided,
    Plain(Box<FileScanner>),
    Archive(Box<ArchiveScan>),
}

/// What one item turned into: one file, or an archive's own entry and its files.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Scanned {
    /// A plain file alone, or the archive's own entry followed by its files in the order they
    /// came out.
    pub files: Vec<(FileFacts, Option<LineIndex>)>,
    /// For an archive scanned with line indexes: where its files are. Entry `i` of the map is
    /// `files[i + 1]`.
    pub map: Option<ArchiveMap>,
}

impl IntoIterator for Scanned {
    type Item = (FileFacts, Option<LineIndex>);
    type IntoIter = std::vec::IntoIter<Self::Item>;

    fn into_iter(self) -> Self::IntoIter {
        self.files.into_iter()
    }
}

impl ItemScanner {
    /// `path` as for [`FileScanner::new`]. With `index`, files also get a [`LineIndex`] with
    /// that much time detail, for a viewer; an archive's files get every line's time only up
    /// to [`TimeDetail::EVERY_LINE_UP_TO_BYTES`] unpacked (see [`ItemScanner::with_budget`]),
    /// and the archive a map of where they are.
    pub fn new(path: impl Into<String>, index: Option<TimeDetail>) -> Self {
        let budget = IndexBudget { every_line_bytes: TimeDetail::EVERY_LINE_UP_TO_BYTES as u64, item_bytes: 0 };
        ItemScanner {
            path: path.into(),
            index,
            budget,
            limits: ScanLimits::DEFAULT,
            head: Vec::new(),
            mode: Mode::Undecided,
        }
    }

    /// Scans each file within `limits` (the tests' tiny limits; `ScanLimits::DEFAULT` otherwise).
    pub fn with_limits(mut self, limits: ScanLimits) -> Self {
        self.limits = limits;
        self
    }

    /// For an archive: its files' lines keep every time in their index while, in the order
    /// they come out, their sizes add up to at most `every_line_bytes` (the share of the
    /// bundle's budget left for this item, see [`TimeDetail::for_files`]); the others keep a
    /// time per block. `item_bytes`: the item's size, for files whose size the archive does not
    /// state before their data.
    pub fn with_budget(mut self, every_line_bytes: u64, item_bytes: u64) -> Self {
        self.budget = IndexBudget { every_line_bytes, item_bytes };
        self
    }

    pub fn feed(&mut self, chunk: &[u8]) {
        if let Mode::Undecided = self.mode {
            let take = (HEAD - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..take]);
            if self.head.len() < HEAD {
                return;
            }
            self.decide();
            self.feed_decided(&chunk[take..]);
        } else {
            self.feed_decided(chunk);
        }
    }

    /// A note about the item (e.g. reading it failed).
    pub fn note(&mut self, note: impl Into<String>) {
        self.decide();
        match &mut self.mode {
            Mode::Plain(scanner) => scanner.note(note),
            Mode::Archive(scan) => scan.entries.notes.push(as_sentence(note.into())),
            Mode::Undecided => {}
        }
    }

    pub fn finish(mut self) -> Scanned {
        self.decide();
        match self.mode {
            Mode::Plain(scanner) => Scanned { files: vec![scanner.finish_with_index()], map: None },
            Mode::Archive(scan) => scan.finish(),
            Mode::Undecided => Scanned::default(),
        }
    }

    /// Judges the item by the head read so far (once), and feeds the head on.
    fn decide(&mut self) {
        if !matches!(self.mode, Mode::Undecided) {
            return;
        }
        self.mode = match crate::archive::kind_of(&self.path, &self.head) {
            Some(kind) => {
                Mode::Archive(Box::new(ArchiveScan::new(&self.path, kind, self.index, self.budget, self.limits)))
            }
            None => Mode::Plain(Box::new(file_scanner(self.path.clone(), self.index, self.limits))),
        };
        let head = std::mem::take(&mut self.head);
        self.feed_decided(&head);
    }

    fn feed_decided(&mut self, chunk: &[u8]) {
        if chunk.is_empty() {
            return;
        }
        match &mut self.mode {
            Mode::Plain(scanner) => scanner.feed(chunk),
            Mode::Archive(scan) => scan.feed(chunk),
            Mode::Undecided => {}
        }
    }
}

/// Names an archive's kind for people.
fn kind_name(kind: ArchiveKind) -> &'static str {
    match kind {
        ArchiveKind::Gzip => "gzip-compressed file",
        ArchiveKind::Tar => "tar archive",
        ArchiveKind::TarGz => "compressed tar archive",
        ArchiveKind::Zip => "zip archive",
    }
}

/// An archive being scanned: the unpacker and a sink that scans each entry.
struct ArchiveScan {
    unpacker: Unpacker,
    entries: EntryScans,
    kind: ArchiveKind,
    bytes: u64,
}

struct EntryScans {
    prefix: String,
    current: Option<FileScanner>,
    done: Vec<(FileFacts, Option<LineIndex>)>,
    /// Notes about the archive (from the unpacker or the caller), or about entries not read.
    notes: Vec<String>,
    /// The entries' line index detail, if they get one, and the budget for every line's time.
    index: Option<TimeDetail>,
    budget: IndexBudget,
    /// Unpacked bytes given every line's time so far (as stated or guessed at each start).
    every_line_used: u64,
    limits: ScanLimits,
}

/// A file's scanner, with a line index of `detail` when one is wanted.
fn file_scanner(path: String, detail: Option<TimeDetail>, limits: ScanLimits) -> FileScanner {
    let scanner = FileScanner::with_limits(path, limits);
    match detail {
        Some(detail) => scanner.and_line_index(detail),
        None => scanner,
    }
}

impl EntryScans {
    /// The line index detail of the next entry, of `size` bytes if known.
    fn detail(&mut self, size: Option<u64>) -> Option<TimeDetail> {
        let detail = self.index?;
        if detail == TimeDetail::PerBlock {
            return Some(detail);
        }
        let size = size.unwrap_or(self.budget.item_bytes.saturating_mul(GUESSED_RATIO));
        let used = self.every_line_used.saturating_add(size);
        if used > self.budget.every_line_bytes {
            return Some(TimeDetail::PerBlock);
        }
        self.every_line_used = used;
        Some(TimeDetail::EveryLine)
    }
}

impl EntrySink for EntryScans {
    fn start_entry(&mut self, path: &str) {
        self.start_sized_entry(path, None);
    }

    fn start_sized_entry(&mut self, path: &str, size: Option<u64>) {
        self.end_entry();
        let path = format!("{}/{path}", self.prefix);
        let detail = self.detail(size);
        self.current = Some(file_scanner(path, detail, self.limits));
    }

    fn entry_data(&mut self, bytes: &[u8]) {
        if let Some(scanner) = self.current.as_mut() {
            scanner.feed(bytes);
        }
    }

    fn end_entry(&mut self) {
        if let Some(scanner) = self.current.take() {
            self.done.push(scanner.finish_with_index());
        }
    }

    fn note(&mut self, entry: Option<&str>, note: String) {
        let inside = |path: &str| format!("{}/{path}", self.prefix);
        match (entry, self.current.as_mut()) {
            (Some(path), Some(scanner)) if scanner.path() == inside(path) => scanner.note(as_sentence(note)),
            (Some(path), _) => {
                // Notes on a file already scanned go to it; others (a file never read) to the archive.
                let full = inside(path);
                match self.done.iter_mut().rev().find(|(f, _)| f.path == full) {
                    Some((facts, _)) => facts.notes.push(as_sentence(note)),
                    None => self.notes.push(with_period(format!("{path}: {note}"))),
                }
            }
            (None, _) => self.notes.push(as_sentence(note)),
        }
    }
}

impl ArchiveScan {
    fn new(path: &str, kind: ArchiveKind, index: Option<TimeDetail>, budget: IndexBudget, limits: ScanLimits) -> Self {
        let mut unpacker = Unpacker::new(kind, path, Limits::default());
        if index.is_some() {
            unpacker.keep_map();
        }
        ArchiveScan {
            unpacker,
            entries: EntryScans {
                prefix: path.to_string(),
                current: None,
                done: Vec::new(),
                notes: Vec::new(),
                index,
                budget,
                every_line_used: 0,
                limits,
            },
            kind,
            bytes: 0,
        }
    }

    fn feed(&mut self, chunk: &[u8]) {
        self.bytes += chunk.len() as u64;
        self.unpacker.feed(chunk, &mut self.entries);
    }

    fn finish(mut self) -> Scanned {
        let map = self.unpacker.finish(&mut self.entries);
        self.entries.end_entry();
        let mut facts = FileFacts::new(self.entries.prefix.clone());
        // An archive's name says nothing about a process (`case.tar.gz` is not `tar`'s log).
        facts.meta.process = None;
        facts.meta.process_source = None;
        facts.format = FileFormat::Archive;
        facts.bytes = self.bytes;
        let files = self.entries.done.len();
        let unpacked: u64 = self.entries.done.iter().map(|(f, _)| f.bytes).sum();
        facts.notes.push(format!(
            "A {}: {} read from it ({} unpacked), each listed on its own.",
            kind_name(self.kind),
            crate::numbers::counted(files as u64, "file"),
            crate::numbers::bytes(unpacked)
        ));
        facts.notes.extend(self.entries.notes);
        let map = map.filter(|m| m.entries.len() == files);
        let mut out = vec![(facts, None)];
        out.extend(self.entries.done);
        Scanned { files: out, map }
    }
}

/// The unpacker's notes are phrases; the files panel shows sentences.
fn as_sentence(note: String) -> String {
    let mut chars = note.chars();
    let Some(first) = chars.next() else { return note };
    with_period(first.to_uppercase().chain(chars).collect())
}

fn with_period(mut text: String) -> String {
    if !text.ends_with(['.', '!', '?']) {
        text.push('.');
    }
    text
}

/// Evidence lines caught while an archive is streamed again: give it the (path, offset) pairs
/// wanted, feed it the archive, then read the lines from it as a [`crate::input::LineSource`].
#[derive(Debug, Default)]
pub struct ArchiveLines {
    /// Per entry path (with the archive prefix): offsets still wanted, ascending.
    wanted: BTreeMap<String, Vec<u64>>,
    caught: BTreeMap<(String, u64), Vec<u8>>,
}

impl ArchiveLines {
    /// Catches the `wanted` lines that are not in one of `items` themselves but inside the
    /// archives among them, streaming each such archive once. `read(i, each)` feeds item `i`'s
    /// bytes to `each`, chunk by chunk. A [`crate::input::LineSource`] over the items calls this from
    /// its `prepare`.
    pub fn gather(
        &mut self,
        wanted: &[(String, u64)],
        items: &[&str],
        mut read: impl FnMut(usize, &mut dyn FnMut(&[u8])),
    ) {
        for (path, offset) in wanted.iter().filter(|(path, _)| !items.contains(&path.as_str())) {
            self.want(path, *offset);
        }
        for (i, name) in items.iter().enumerate() {
            if self.wants_from(name) {
                self.catch_from(name, |each| read(i, each));
            }
        }
    }

    /// Asks for the line at `offset` of the file at `path` (an archive's path, `/`, the path inside).
    fn want(&mut self, path: &str, offset: u64) {
        let offsets = self.wanted.entry(path.to_string()).or_default();
        if let Err(at) = offsets.binary_search(&offset) {
            offsets.insert(at, offset);
        }
    }

    /// Whether any wanted line is inside the archive at `archive_path`.
    fn wants_from(&self, archive_path: &str) -> bool {
        let prefix = format!("{archive_path}/");
        self.wanted.keys().any(|p| p.starts_with(&prefix))
    }

    /// Streams one archive again, fed by `read` (which calls its argument with each chunk in
    /// turn), and catches the wanted lines in it.
    fn catch_from(&mut self, archive_path: &str, read: impl FnOnce(&mut dyn FnMut(&[u8]))) {
        let mut catcher = Catcher { prefix: archive_path, lines: self, current: None };
        let mut head = Vec::new();
        let mut unpacker: Option<Unpacker> = None;
        let start = |head: &[u8]| {
            crate::archive::kind_of(archive_path, head).map(|kind| Unpacker::new(kind, archive_path, Limits::default()))
        };
        read(&mut |chunk: &[u8]| {
            if unpacker.is_none() && head.len() < HEAD {
                head.extend_from_slice(chunk);
                if head.len() >= HEAD {
                    unpacker = start(&head);
                    if let Some(u) = unpacker.as_mut() {
                        u.feed(&head, &mut catcher);
                    }
                }
            } else if let Some(u) = unpacker.as_mut() {
                u.feed(chunk, &mut catcher);
            }
        });
        if unpacker.is_none() && head.len() < HEAD {
            unpacker = start(&head);
            if let Some(u) = unpacker.as_mut() {
                u.feed(&head, &mut catcher);
            }
        }
        if let Some(u) = unpacker {
            u.finish(&mut catcher);
        }
        catcher.end_entry();
    }
}

impl crate::input::LineSource for ArchiveLines {
    fn read_at(&mut self, path: &str, offset: u64, len: usize) -> Option<Vec<u8>> {
        let bytes = self.caught.get(&(path.to_string(), offset))?;
        Some(bytes[..bytes.len().min(len)].to_vec())
    }
}

/// The sink that catches lines: it follows the position in the current entry.
struct Catcher<'a> {
    prefix: &'a str,
    lines: &'a mut ArchiveLines,
    current: Option<EntryPosition>,
}

/// Where the catcher is: an entry's full path, the offset reached in it, and the line being
/// caught (its offset and bytes so far).
struct EntryPosition {
    path: String,
    position: u64,
    catching: Option<(u64, Vec<u8>)>,
}

/// Lines are caught up to this many bytes (evidence text is cut shorter anyway).
const CAUGHT_LINE_MAX: usize = 4096;

impl EntrySink for Catcher<'_> {
    fn start_entry(&mut self, path: &str) {
        self.end_entry();
        self.current = Some(EntryPosition { path: format!("{}/{path}", self.prefix), position: 0, catching: None });
    }

    fn entry_data(&mut self, mut bytes: &[u8]) {
        let Some(EntryPosition { path, position, catching }) = self.current.as_mut() else { return };
        let Some(wanted) = self.lines.wanted.get_mut(path.as_str()) else {
            *position += bytes.len() as u64;
            return;
        };
        while !bytes.is_empty() {
            if let Some((offset, line)) = catching.as_mut() {
                let end = memchr::memchr(b'\n', bytes);
                let take = end.map_or(bytes.len(), |e| e + 1);
                let room = CAUGHT_LINE_MAX.saturating_sub(line.len());
                line.extend_from_slice(&bytes[..take.min(room)]);
                *position += take as u64;
                bytes = &bytes[take..];
                if end.is_some() || line.len() >= CAUGHT_LINE_MAX {
                    let offset = *offset;
                    let line = std::mem::take(line);
                    *catching = None;
                    self.lines.caught.insert((path.clone(), offset), line);
                }
                continue;
            }
            // Skip to the next wanted offset.
            let next = wanted.iter().copied().find(|&o| o >= *position);
            let Some(next) = next else {
                *position += bytes.len() as u64;
                return;
            };
            let skip = (next - *position).min(bytes.len() as u64) as usize;
            *position += skip as u64;
            bytes = &bytes[skip..];
            if *position == next {
                wanted.retain(|&o| o != next);
                *catching = Some((next, Vec::new()));
            }
        }
    }

    fn end_entry(&mut self) {
        if let Some(EntryPosition { path, catching: Some((offset, line)), .. }) = self.current.take() {
            self.lines.caught.insert((path, offset), line);
        }
    }

    fn note(&mut self, _entry: Option<&str>, _note: String) {}
}
