//! Where each entry's bytes are in an archive, so that a viewer can read any range of them back
//! without unpacking the archive again from its start.
//!
//! Recorded while the archive is unpacked, when asked ([`super::Unpacker::keep_map`]):
//! - a tar's entry, or a stored zip entry, is in the archive as it is: read in place;
//! - a deflated zip entry is its own deflate stream: inflated from its start, or from a restart
//!   point inside it;
//! - a .gz or .tar.gz is one gzip stream for the whole archive (a tar entry is a range of its
//!   output): inflated from a restart point before the range.
//!
//! Restart points ([`Mark`]s) are taken every [`ArchiveMap::every`] bytes of a stream's output
//! (4 MiB to begin with), at the next deflate block boundary; each keeps the 32 KiB of output
//! before it. An archive keeps at most [`MAX_MARKS`] of them: when one more comes, every other
//! one goes and the spacing doubles. So the map costs at most 8 MiB of windows however large the
//! archive, and reading a range inflates at most `every` bytes (plus the range) to reach it:
//! 4 MiB up to 1 GiB of output, 16 MiB at the 4 GiB limit (figures in BENCHMARKS.md).

pub use super::inflate::Mark;
use super::ArchiveKind;
use serde::{Deserialize, Serialize};

/// Restart points kept per archive.
pub const MAX_MARKS: usize = 256;
/// The first spacing of restart points, in bytes of a stream's output.
pub const MARK_EVERY: u64 = 4 << 20;

/// Where an entry's bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Place {
    /// In the archive as stored, from this offset (tar, stored zip entries).
    Stored { offset: u64 },
    /// A zip entry's own deflate stream, from this offset in the archive.
    Deflated { offset: u64 },
    /// In the output of the archive's gzip stream, from this offset (.gz, .tar.gz).
    InGzip { offset: u64 },
}

/// One entry handed to the sink.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappedEntry {
    /// Its path inside the archive, as handed to the sink.
    pub path: String,
    pub place: Place,
    /// The bytes handed to the sink (all of the entry, unless a limit cut it).
    pub len: u64,
}

/// The map of an archive: its entries in the order the sink saw them, and restart points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchiveMap {
    pub kind: ArchiveKind,
    pub entries: Vec<MappedEntry>,
    /// Restart points, by stream: 0 for the gzip stream of a .gz or .tar.gz, the entry's index
    /// for a deflated zip entry. In a mark, `input` is an offset in the archive, `output` an
    /// offset in the stream's output. In order of stream, then output.
    pub marks: Vec<(u32, Mark)>,
    /// The spacing of restart points now.
    every: u64,
    /// Restart points kept at most.
    cap: usize,
}

impl ArchiveMap {
    pub(super) fn new(kind: ArchiveKind, every: u64, cap: usize) -> ArchiveMap {
        ArchiveMap { kind, entries: Vec::new(), marks: Vec::new(), every: every.max(1), cap: cap.max(1) }
    }

    pub fn every(&self) -> u64 {
        self.every
    }

    /// Bytes kept for the restart points (their windows, mostly).
    pub fn heap_bytes(&self) -> usize {
        let marks: usize =
            self.marks.iter().map(|(_, m)| m.window.capacity() + std::mem::size_of::<(u32, Mark)>()).sum();
        let entries: usize = self.entries.iter().map(|e| e.path.capacity() + std::mem::size_of::<MappedEntry>()).sum();
        marks + entries
    }

    /// The output offset in `stream` from which the next mark is due.
    pub(super) fn next_mark(&self, stream: u32) -> u64 {
        match self.marks.last() {
            Some((s, mark)) if *s == stream => mark.output + self.every,
            _ => self.every,
        }
    }

    /// Keeps a mark of `stream`; past the cap, every other one goes and the spacing doubles.
    pub(super) fn add(&mut self, stream: u32, mark: Mark) {
        self.marks.push((stream, mark));
        while self.marks.len() > self.cap {
            self.every *= 2;
            let every = self.every;
            let mut last: Option<(u32, u64)> = None;
            self.marks.retain(|(s, m)| {
                let from = match last {
                    Some((ls, lo)) if ls == *s => lo,
                    _ => 0,
                };
                let keep = m.output >= from + every;
                if keep {
                    last = Some((*s, m.output));
                }
                keep
            });
        }
    }

    /// The restart point of `stream` closest before `output`, if any.
    pub(super) fn mark_before(&self, stream: u32, output: u64) -> Option<&Mark> {
        let end = self.marks.partition_point(|(s, m)| (*s, m.output) <= (stream, output));
        self.marks[..end].last().filter(|(s, _)| *s == stream).map(|(_, m)| m)
    }
}
