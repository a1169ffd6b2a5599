//! Reads a range of an entry's bytes back through the archive's [`ArchiveMap`]: in place for a
//! stored entry, by inflating from the restart point before the range (or the stream's start)
//! otherwise. The caller owns the archive and reads its bytes ([`ArchiveBytes`]): no I/O here.

use super::gzip::GzStream;
use super::inflate::{Inflated, Inflater, Mark};
use super::map::{ArchiveMap, Place};
use super::{EntrySink, Ledger, Limits};
use std::collections::VecDeque;

/// The archive file, as stored, read by the caller.
pub trait ArchiveBytes {
    /// Bytes `start..end` of the archive (fewer at its end, none past it); `None`: the read
    /// failed.
    fn read(&mut self, start: u64, end: u64) -> Option<Vec<u8>>;
}

/// Compressed bytes read from the archive at a time while inflating.
const READ: u64 = 256 << 10;
/// Output kept on each side of a range inflated, for the reads nearby that follow (a viewer
/// scrolling).
const AROUND: u64 = 256 << 10;
/// Inflated pieces kept.
const CACHED: usize = 8;
/// The stream number of a .gz or .tar.gz's gzip stream in the map.
const GZIP: u32 = 0;

/// The last few pieces inflated, by stream (at most [`CACHED`] of about 0.5 MiB and the
/// range read each). One per map: pieces are known by their stream's number in the map.
#[derive(Debug, Default)]
pub struct ReadCache {
    pieces: VecDeque<Piece>,
    /// Bytes inflated to answer reads so far (for the benchmarks).
    pub inflated: u64,
}

#[derive(Debug)]
struct Piece {
    stream: u32,
    start: u64,
    bytes: Vec<u8>,
}

impl ReadCache {
    fn get(&mut self, stream: u32, start: u64, end: u64) -> Option<Vec<u8>> {
        let at = self
            .pieces
            .iter()
            .position(|p| p.stream == stream && p.start <= start && end <= p.start + p.bytes.len() as u64)?;
        let piece = self.pieces.remove(at)?;
        let bytes = piece.bytes[(start - piece.start) as usize..(end - piece.start) as usize].to_vec();
        self.pieces.push_back(piece);
        Some(bytes)
    }

    fn put(&mut self, piece: Piece) {
        if self.pieces.len() >= CACHED {
            self.pieces.pop_front();
        }
        self.pieces.push_back(piece);
    }
}

impl ArchiveMap {
    /// Bytes `start..end` of entry `entry` (as the sink got them; fewer past its end), read
    /// from `archive`. `None` when the archive cannot be read.
    pub fn read(
        &self,
        entry: usize,
        start: u64,
        end: u64,
        archive: &mut dyn ArchiveBytes,
        cache: &mut ReadCache,
    ) -> Option<Vec<u8>> {
        let e = self.entries.get(entry)?;
        let end = end.min(e.len);
        if start >= end {
            return Some(Vec::new());
        }
        match e.place {
            Place::Stored { offset } => archive.read(offset + start, offset + end),
            Place::Deflated { offset } => self.inflated(entry as u32, Some(offset), start, end, archive, cache),
            Place::InGzip { offset } => self.inflated(GZIP, None, offset + start, offset + end, archive, cache),
        }
    }

    /// Output `start..end` of a stream: a zip entry's deflate stream starting at `deflate` in
    /// the archive, or (`None`) the archive's gzip stream.
    fn inflated(
        &self,
        stream: u32,
        deflate: Option<u64>,
        start: u64,
        end: u64,
        archive: &mut dyn ArchiveBytes,
        cache: &mut ReadCache,
    ) -> Option<Vec<u8>> {
        if let Some(bytes) = cache.get(stream, start, end) {
            return Some(bytes);
        }
        let mark = self.mark_before(stream, start);
        let from = mark.map_or(0, |m| m.output);
        let keep = start.saturating_sub(AROUND).max(from);
        let until = end + AROUND;
        let mut out = Vec::with_capacity((until - keep) as usize);
        let mut pos = from;
        let mut collect = |piece: &[u8]| {
            let piece_end = pos + piece.len() as u64;
            let (a, b) = (keep.max(pos), until.min(piece_end));
            if a < b {
                out.extend_from_slice(&piece[(a - pos) as usize..(b - pos) as usize]);
            }
            pos = piece_end;
            pos < until
        };
        let read_from = match (mark, deflate) {
            (Some(m), _) => m.input,
            (None, Some(offset)) => offset,
            (None, None) => 0,
        };
        match deflate {
            Some(_) => inflate_raw(mark, read_from, archive, &mut collect)?,
            None => inflate_gzip(mark, read_from, archive, &mut collect)?,
        }
        cache.inflated += pos - from;
        let have = keep + out.len() as u64;
        if have <= start {
            // The stream ended before (damaged or cut short since the scan).
            return Some(Vec::new());
        }
        let bytes = out[(start - keep) as usize..(end.min(have) - keep) as usize].to_vec();
        cache.put(Piece { stream, start: keep, bytes: out });
        Some(bytes)
    }
}

/// Inflates a raw deflate stream from `mark` (or its start), reading the archive from `at`,
/// until `collect` has enough or the stream ends.
fn inflate_raw(
    mark: Option<&Mark>,
    mut at: u64,
    archive: &mut dyn ArchiveBytes,
    collect: &mut dyn FnMut(&[u8]) -> bool,
) -> Option<()> {
    let mut inflater = match mark {
        Some(m) => Inflater::resume(&Mark { input: 0, ..m.clone() }),
        None => Inflater::new(),
    };
    let mut on_out = |piece: &[u8], _consumed: u64| collect(piece);
    loop {
        let chunk = archive.read(at, at + READ)?;
        let last = (chunk.len() as u64) < READ;
        at += chunk.len() as u64;
        let mut rest = &chunk[..];
        loop {
            let (take, status) = inflater.feed(rest, last, &mut on_out);
            rest = &rest[take..];
            match status {
                Inflated::Hungry if !rest.is_empty() => continue,
                Inflated::Hungry if !last => break,
                _ => return Some(()),
            }
        }
    }
}

/// Inflates the archive's gzip stream (all its members) from `mark` (or the archive's start),
/// reading the archive from `at`, until `collect` has enough or the stream ends.
fn inflate_gzip(
    mark: Option<&Mark>,
    mut at: u64,
    archive: &mut dyn ArchiveBytes,
    collect: &mut dyn FnMut(&[u8]) -> bool,
) -> Option<()> {
    let mut stream = match mark {
        Some(m) => GzStream::resume(m),
        None => GzStream::new(),
    };
    // No limits: the scan applied them, and the entries end where it stopped.
    let mut ledger = Ledger::new(Limits { max_total_bytes: u64::MAX, max_entries: u32::MAX, max_ratio: u64::MAX });
    let mut down = |piece: &[u8], _: &mut Ledger, _: &mut dyn EntrySink| collect(piece);
    loop {
        let chunk = archive.read(at, at + READ)?;
        at += chunk.len() as u64;
        if chunk.is_empty() {
            stream.finish(&mut ledger, &mut Ignore, &mut down);
            return Some(());
        }
        let trouble = stream.feed(&chunk, &mut ledger, &mut Ignore, &mut down);
        if trouble.is_some() || stream.done() {
            return Some(());
        }
    }
}

/// A sink for notes nobody reads (a re-read gzip member's checksum, say).
struct Ignore;

impl EntrySink for Ignore {
    fn start_entry(&mut self, _: &str) {}
    fn entry_data(&mut self, _: &[u8]) {}
    fn end_entry(&mut self) {}
    fn note(&mut self, _: Option<&str>, _: String) {}
}
