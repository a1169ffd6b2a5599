//! Unpacks archives (gzip, tar, tar.gz, zip) pushed in as chunks of any size.
//!
//! Like the rest of the core it reads nothing itself: the caller feeds the archive's bytes and an
//! [`EntrySink`] receives the files inside as they come out, so an archive of any size costs a
//! few buffers, never a whole entry. Every format goes through one `Ledger`, which applies the
//! [`Limits`] (bytes, files, compression ratio) the same way for all of them.
//!
//! Whatever the chunking, the sink sees the same entries, data and notes: the deflate decoder is
//! always fed the same blocks of the stream (see `inflate.rs`), so even the point where a zip bomb
//! is cut does not depend on how the bytes arrived.

mod gzip;
mod inflate;
pub mod map;
mod read;
mod tar;
#[cfg(test)]
mod test_archives;
#[cfg(test)]
mod tests;
mod zip;

pub use map::{ArchiveMap, Place};
pub use read::{ArchiveBytes, ReadCache};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ArchiveKind {
    Gzip,
    Tar,
    TarGz,
    Zip,
}

/// What kind of archive a file is, from its first bytes (magic numbers first: gzip 1f 8b, zip
/// "PK\x03\x04" or an empty zip "PK\x05\x06", tar "ustar" at offset 257), the name second
/// (.tar.gz/.tgz → TarGz; a gzip whose name is .tar.gz/.tgz is TarGz, other gzip → Gzip). `head`
/// is the file's first bytes (up to 512, may be shorter). None: not an archive.
///
/// An old (pre-POSIX) tar has no "ustar" magic; it is recognised by a `.tar` name and a first
/// header whose checksum adds up.
pub fn kind_of(name: &str, head: &[u8]) -> Option<ArchiveKind> {
    let name = name.to_ascii_lowercase();
    if head.starts_with(&[0x1f, 0x8b]) {
        let tar = name.ends_with(".tar.gz") || name.ends_with(".tgz");
        return Some(if tar { ArchiveKind::TarGz } else { ArchiveKind::Gzip });
    }
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return Some(ArchiveKind::Zip);
    }
    if head.get(257..262) == Some(b"ustar") {
        return Some(ArchiveKind::Tar);
    }
    if name.ends_with(".tar") && head.len() >= 512 && tar::checksum_ok(&head[..512]) {
        return Some(ArchiveKind::Tar);
    }
    None
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Uncompressed bytes handed out per archive.
    pub max_total_bytes: u64,
    /// Files per archive.
    pub max_entries: u32,
    /// An entry's output over the compressed input it took, checked once it passes 1 MiB.
    pub max_ratio: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_total_bytes: 4 << 30, max_entries: 20_000, max_ratio: 200 }
    }
}

/// The output below which the compression ratio is not checked: small, very regular files (a log
/// of one repeated line) legitimately compress far better than 200 to 1.
const RATIO_FLOOR: u64 = 1 << 20;

/// Receives an archive's files as they are unpacked. Entries never overlap: start, data*, end.
pub trait EntrySink {
    /// `path`: the entry's path inside the archive, '/'-separated, without a leading "./" or "/",
    /// with ".." components removed.
    fn start_entry(&mut self, path: &str);
    /// Like `start_entry`, with the entry's size when the archive states it before the data
    /// (tar, zip with sizes in the local header; not a .gz). The unpacker calls this one.
    fn start_sized_entry(&mut self, path: &str, size: Option<u64>) {
        let _ = size;
        self.start_entry(path);
    }
    fn entry_data(&mut self, bytes: &[u8]);
    fn end_entry(&mut self);
    /// A note in plain words for a person: about one entry (`Some(path)`) or the whole archive
    /// (`None`). Notes that come from a limit name the limit and its value (e.g. "stopped after
    /// 20,000 files: the limit on files per archive").
    fn note(&mut self, entry: Option<&str>, note: String);
}

pub struct Unpacker {
    ledger: Ledger,
    format: Format,
    kind: ArchiveKind,
}

enum Format {
    Gzip(gzip::GzipFile),
    Tar(tar::TarParser),
    TarGz(gzip::TarGz),
    Zip(zip::ZipParser),
}

impl Unpacker {
    /// `archive_name`: the archive file's name or path (for a single .gz, the entry is the file
    /// name without ".gz"; e.g. "logs/bpbrm.log.gz" → "bpbrm.log").
    pub fn new(kind: ArchiveKind, archive_name: &str, limits: Limits) -> Unpacker {
        let format = match kind {
            ArchiveKind::Gzip => Format::Gzip(gzip::GzipFile::new(archive_name)),
            ArchiveKind::Tar => Format::Tar(tar::TarParser::default()),
            ArchiveKind::TarGz => Format::TarGz(gzip::TarGz::new()),
            ArchiveKind::Zip => Format::Zip(zip::ZipParser::default()),
        };
        Unpacker { ledger: Ledger::new(limits), format, kind }
    }

    /// Records where each entry is and restart points every [`map::MARK_EVERY`] bytes of
    /// output (see [`ArchiveMap`]); [`Unpacker::finish`] returns the map.
    pub fn keep_map(&mut self) {
        self.keep_map_with(map::MARK_EVERY, map::MAX_MARKS);
    }

    /// [`Unpacker::keep_map`] with restart points every `every` bytes to begin with, and at most
    /// `cap` of them.
    pub fn keep_map_with(&mut self, every: u64, cap: usize) {
        self.ledger.map = Some(ArchiveMap::new(self.kind, every, cap));
    }

    pub fn feed(&mut self, chunk: &[u8], sink: &mut dyn EntrySink) {
        if self.ledger.stopped {
            return;
        }
        let ledger = &mut self.ledger;
        match &mut self.format {
            Format::Gzip(gz) => gz.feed(chunk, ledger, sink),
            Format::Tar(tar) => tar.feed(chunk, ledger, sink),
            Format::TarGz(tgz) => tgz.feed(chunk, ledger, sink),
            Format::Zip(zip) => zip.feed(chunk, ledger, sink),
        }
    }

    /// The archive ended: an entry still open is ended, and a truncated archive gets a note
    /// ("the archive ends early (truncated?): N files read"). Returns the map, if one was kept.
    pub fn finish(mut self, sink: &mut dyn EntrySink) -> Option<ArchiveMap> {
        let ledger = &mut self.ledger;
        let complete = ledger.stopped
            || match &mut self.format {
                Format::Gzip(gz) => gz.finish(ledger, sink),
                Format::Tar(tar) => tar.finish(),
                Format::TarGz(tgz) => tgz.finish(ledger, sink),
                Format::Zip(zip) => zip.finish(ledger, sink),
            };
        ledger.end(sink);
        if !complete && !ledger.stopped {
            let files = count(u64::from(ledger.started), "file", "files");
            sink.note(None, format!("the archive ends early (truncated?): {files} read"));
        }
        self.ledger.map
    }

    /// Uncompressed bytes handed to the sink so far.
    pub fn bytes_out(&self) -> u64 {
        self.ledger.delivered
    }
}

/// The bookkeeping every format shares: the open entry, the limits, and whether the archive has
/// been given up (by a limit or by damage), after which nothing more reaches the sink.
struct Ledger {
    limits: Limits,
    /// The path of the entry between `start_entry` and `end_entry`.
    open: Option<String>,
    /// File entries met, read or not: the count the limit on files applies to.
    admitted: u32,
    /// Entries handed to the sink.
    started: u32,
    /// Bytes handed to the sink.
    delivered: u64,
    /// Bytes unpacked only to find where an entry ends (a cut zip entry without sizes).
    discarded: u64,
    /// Bytes handed out for the open entry.
    entry_out: u64,
    stopped: bool,
    /// Where entries are and restart points, when asked.
    map: Option<ArchiveMap>,
}

impl Ledger {
    fn new(limits: Limits) -> Self {
        Ledger {
            limits,
            open: None,
            admitted: 0,
            started: 0,
            delivered: 0,
            discarded: 0,
            entry_out: 0,
            stopped: false,
            map: None,
        }
    }

    /// Counts a file entry against the limit on files and cleans its path. None: skip the entry
    /// (the archive is stopped, or the name leaves no path).
    fn admit(&mut self, raw_path: &str, sink: &mut dyn EntrySink) -> Option<String> {
        if self.stopped {
            return None;
        }
        if self.admitted >= self.limits.max_entries {
            let files = count(u64::from(self.limits.max_entries), "file", "files");
            self.stop(None, format!("stopped after {files}: the limit on files per archive"), sink);
            return None;
        }
        self.admitted += 1;
        let path = clean_path(raw_path);
        if path.is_empty() {
            sink.note(None, format!("skipped an entry whose name {raw_path:?} leaves no path"));
            return None;
        }
        Some(path)
    }

    /// Starts an entry found at `place`, of `size` bytes when the archive says so.
    fn start(&mut self, path: String, place: Place, size: Option<u64>, sink: &mut dyn EntrySink) {
        self.end(sink);
        sink.start_sized_entry(&path, size);
        if let Some(map) = self.map.as_mut() {
            map.entries.push(map::MappedEntry { path: path.clone(), place, len: 0 });
        }
        self.open = Some(path);
        self.started += 1;
        self.entry_out = 0;
    }

    /// Hands bytes of the open entry to the sink. False: the archive is stopped (here by the limit
    /// on unpacked bytes, delivered up to the limit), so the caller stops too.
    fn data(&mut self, bytes: &[u8], sink: &mut dyn EntrySink) -> bool {
        if self.stopped {
            return false;
        }
        if self.open.is_none() || bytes.is_empty() {
            return true;
        }
        let room = self.limits.max_total_bytes.saturating_sub(self.delivered + self.discarded);
        let fits = (bytes.len() as u64).min(room) as usize;
        if fits > 0 {
            sink.entry_data(&bytes[..fits]);
            self.delivered += fits as u64;
            self.entry_out += fits as u64;
        }
        if fits < bytes.len() {
            self.stop_total(sink);
            return false;
        }
        true
    }

    /// Counts output unpacked only to be thrown away. False: the archive is stopped.
    fn discard(&mut self, len: usize, sink: &mut dyn EntrySink) -> bool {
        self.discarded += len as u64;
        if self.delivered + self.discarded > self.limits.max_total_bytes {
            self.stop_total(sink);
        }
        !self.stopped
    }

    fn stop_total(&mut self, sink: &mut dyn EntrySink) {
        let limit = size(self.limits.max_total_bytes);
        let note = format!("stopped after {limit} unpacked: the limit on unpacked bytes per archive (a zip bomb?)");
        self.stop(None, note, sink);
    }

    fn end(&mut self, sink: &mut dyn EntrySink) {
        if self.close().is_some() {
            sink.end_entry();
        }
    }

    /// Takes the open entry, noting its length in the map.
    fn close(&mut self) -> Option<String> {
        let path = self.open.take()?;
        if let Some(entry) = self.map.as_mut().and_then(|m| m.entries.last_mut()) {
            entry.len = self.entry_out;
        }
        Some(path)
    }

    /// The index of the open entry in the map, if a map is kept.
    fn open_index(&self) -> Option<u32> {
        let map = self.map.as_ref()?;
        self.open.as_ref()?;
        Some(map.entries.len().checked_sub(1)? as u32)
    }

    /// Whether `out` bytes unpacked from `compressed` bytes pass the limit on the ratio.
    fn too_expanded(&self, out: u64, compressed: u64) -> bool {
        out > RATIO_FLOOR && out > self.limits.max_ratio.saturating_mul(compressed)
    }

    /// Ends the open entry because it passed the ratio limit; the archive goes on.
    fn cut_expanded(&mut self, sink: &mut dyn EntrySink) {
        if let Some(path) = self.close() {
            sink.end_entry();
            let note = format!(
                "cut after {} unpacked: it expands more than {} times, the limit on the compression ratio (a zip bomb?)",
                size(self.entry_out),
                self.limits.max_ratio
            );
            sink.note(Some(&path), note);
        }
    }

    /// Gives up the archive because its single compressed stream passed the ratio limit.
    fn stop_expanded(&mut self, sink: &mut dyn EntrySink) {
        let note = format!(
            "stopped after {} unpacked: the archive expands more than {} times, the limit on the compression ratio (a zip bomb?)",
            size(self.delivered),
            self.limits.max_ratio
        );
        self.stop(None, note, sink);
    }

    /// A note about the open entry, or about the archive when none is open.
    fn note_here(&self, note: String, sink: &mut dyn EntrySink) {
        sink.note(self.open.as_deref(), note);
    }

    /// Ends the open entry, gives the note (about `entry`, or the archive) and ignores the rest.
    fn stop(&mut self, entry: Option<&str>, note: String, sink: &mut dyn EntrySink) {
        self.end(sink);
        sink.note(entry, note);
        self.stopped = true;
    }

    /// How many files were read, for notes.
    fn files_read(&self) -> String {
        count(u64::from(self.started), "file", "files")
    }
}

/// '/'-separated, without empty, "." or ".." components (so without a leading "./" or "/"): an
/// archive cannot point outside itself.
fn clean_path(raw: &str) -> String {
    // Some Windows tools write `\` in zip names, against the format's `/`.
    let parts: Vec<&str> = raw.split(['/', '\\']).filter(|c| !c.is_empty() && *c != "." && *c != "..").collect();
    parts.join("/")
}

use crate::numbers::{bytes as size, count};
