//! One dropped item, scanned: a plain log file, or an archive of them (.zip, .tar, .tar.gz,
//! .gz). The kind is judged from the first bytes, so a renamed archive is still opened and a
//! log named `.zip` is still read as a log.
//!
//! An archive's files are scanned as they stream out of it, each under the path
//! `<archive path>/<path inside>` (so folders inside name hosts and processes as usual), and the
//! archive itself gets an entry of its own that says what was in it and what was not read.
//! Nothing is unpacked to memory or disk; evidence lines are read back by streaming the archive
//! once more through [`ArchiveLines`].

use crate::archive::{ArchiveKind, EntrySink, Limits, Unpacker};
use crate::facts::line_index::{LineIndex, TimeDetail};
use crate::facts::scanner::FileScanner;
use crate::facts::{FileFacts, Format};
use std::collections::BTreeMap;

/// Bytes looked at before deciding what an item is (tar's signature sits at 257..262).
const HEAD: usize = 512;

/// Scans one item, fed in chunks of any size.
pub struct ItemScanner {
    path: String,
    index: Option<TimeDetail>,
    head: Vec<u8>,
    mode: Mode,
}

enum Mode {
    Undecided,
    Plain(Box<FileScanner>),
    Archive(Box<ArchiveScan>),
}

/// What one item turned into: one file, or an archive's own entry and its files.
pub type Scanned = Vec<(FileFacts, Option<LineIndex>)>;

impl ItemScanner {
    /// `path` as for [`FileScanner::new`]. With `index`, plain files also get a [`LineIndex`]
    /// with that much time detail, for a viewer (files inside archives never do: they cannot be
    /// read back by byte offset).
    pub fn new(path: impl Into<String>, index: Option<TimeDetail>) -> Self {
        ItemScanner { path: path.into(), index, head: Vec::new(), mode: Mode::Undecided }
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
            Mode::Plain(scanner) => vec![scanner.finish_with_index()],
            Mode::Archive(scan) => scan.finish(),
            Mode::Undecided => Vec::new(),
        }
    }

    /// Judges the item by the head read so far (once), and feeds the head on.
    fn decide(&mut self) {
        if !matches!(self.mode, Mode::Undecided) {
            return;
        }
        self.mode = match crate::archive::kind_of(&self.path, &self.head) {
            Some(kind) => Mode::Archive(Box::new(ArchiveScan::new(&self.path, kind))),
            None => Mode::Plain(Box::new(match self.index {
                Some(detail) => FileScanner::with_line_index(self.path.clone(), detail),
                None => FileScanner::new(self.path.clone()),
            })),
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
    done: Scanned,
    /// Notes about the archive (from the unpacker or the caller), or about entries not read.
    notes: Vec<String>,
}

impl EntrySink for EntryScans {
    fn start_entry(&mut self, path: &str) {
        self.end_entry();
        self.current = Some(FileScanner::new(format!("{}/{path}", self.prefix)));
    }

    fn entry_data(&mut self, bytes: &[u8]) {
        if let Some(scanner) = self.current.as_mut() {
            scanner.feed(bytes);
        }
    }

    fn end_entry(&mut self) {
        if let Some(scanner) = self.current.take() {
            self.done.push((scanner.finish(), None));
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
    fn new(path: &str, kind: ArchiveKind) -> Self {
        ArchiveScan {
            unpacker: Unpacker::new(kind, path, Limits::default()),
            entries: EntryScans { prefix: path.to_string(), current: None, done: Vec::new(), notes: Vec::new() },
            kind,
            bytes: 0,
        }
    }

    fn feed(&mut self, chunk: &[u8]) {
        self.bytes += chunk.len() as u64;
        self.unpacker.feed(chunk, &mut self.entries);
    }

    fn finish(mut self) -> Scanned {
        self.unpacker.finish(&mut self.entries);
        self.entries.end_entry();
        let mut facts = FileFacts::new(self.entries.prefix.clone());
        // An archive's name says nothing about a process (`case.tar.gz` is not `tar`'s log).
        facts.meta.process = None;
        facts.meta.process_source = None;
        facts.format = Format::Archive;
        facts.bytes = self.bytes;
        let files = self.entries.done.len();
        let unpacked: u64 = self.entries.done.iter().map(|(f, _)| f.bytes).sum();
        facts.notes.push(format!(
            "A {}: {} file{} read from it ({} unpacked), each listed on its own.",
            kind_name(self.kind),
            crate::numbers::grouped(files as u64),
            if files == 1 { "" } else { "s" },
            crate::numbers::human_bytes(unpacked)
        ));
        facts.notes.extend(self.entries.notes);
        let mut out = vec![(facts, None)];
        out.extend(self.entries.done);
        out
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
/// wanted, feed it the archive, then read the lines from it as a [`crate::LineSource`].
#[derive(Debug, Default)]
pub struct ArchiveLines {
    /// Per entry path (with the archive prefix): offsets still wanted, ascending.
    wanted: BTreeMap<String, Vec<u64>>,
    caught: BTreeMap<(String, u64), Vec<u8>>,
}

impl ArchiveLines {
    /// Catches the `wanted` lines that are not in one of `items` themselves but inside the
    /// archives among them, streaming each such archive once. `read(i, each)` feeds item `i`'s
    /// bytes to `each`, chunk by chunk. A [`crate::LineSource`] over the items calls this from
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

impl crate::LineSource for ArchiveLines {
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
