//! Evidence lines read back a cluster at a time, for sources whose every read is a round trip.

/// Evidence lines cluster around a failure. A source whose every read is a round trip (the
/// page's `FileReaderSync`) reads each cluster once in `prepare` and answers `read_at` from what
/// it kept: for the three findings of a 64 MiB bundle, 4 reads instead of 56, and the page's
/// analysis 64–86 ms instead of 98–106 (BENCHMARKS.md, "The WebAssembly profile").
#[derive(Default)]
pub struct ReadAhead {
    /// (path, start, bytes, whether the bytes end at the file's end), as read.
    spans: Vec<(String, u64, Vec<u8>, bool)>,
}

/// Offsets this close share one read (nbtriage's own choice: a read costs as much as copying
/// some hundreds of KB, and a cluster of evidence spans a few KB).
const JOIN_GAP: u64 = 64 << 10;
/// No read longer than this, however close the offsets.
const MAX_SPAN: u64 = 1 << 20;

impl ReadAhead {
    /// How far past a wanted offset a read may reach: `fill_evidence_text` asks for up to four
    /// times the evidence text (for UTF-16 files).
    pub const REACH: u64 = 4 * crate::report::EVIDENCE_TEXT_MAX as u64;

    /// The reads that cover `offsets` (of one file) each with `REACH` bytes after it: `(start,
    /// end)`, ascending, offsets within `JOIN_GAP` of a read joined to it up to `MAX_SPAN` bytes.
    pub fn plan(offsets: impl IntoIterator<Item = u64>) -> Vec<(u64, u64)> {
        let mut offsets: Vec<u64> = offsets.into_iter().collect();
        crate::order::sort(&mut offsets);
        let mut reads: Vec<(u64, u64)> = Vec::new();
        for offset in offsets {
            let end = offset.saturating_add(Self::REACH);
            match reads.last_mut() {
                Some((start, last_end)) if offset <= last_end.saturating_add(JOIN_GAP) && end - *start <= MAX_SPAN => {
                    *last_end = end.max(*last_end);
                }
                _ => reads.push((offset, end)),
            }
        }
        reads
    }

    /// Keeps the bytes read for `(start, end)` of `path` (fewer when the file ended first).
    pub fn keep(&mut self, path: &str, (start, end): (u64, u64), bytes: Vec<u8>) {
        let at_end = (bytes.len() as u64) < end - start;
        self.spans.push((path.to_string(), start, bytes, at_end));
    }

    /// `len` bytes from `offset`, fewer where the file ends, if a kept read holds them.
    pub fn read_at(&self, path: &str, offset: u64, len: usize) -> Option<Vec<u8>> {
        self.spans.iter().find_map(|(p, start, bytes, at_end)| {
            let from = usize::try_from(offset.checked_sub(*start)?).ok()?;
            let to = from.checked_add(len)?;
            if p != path || from > bytes.len() || (to > bytes.len() && !at_end) {
                return None;
            }
            Some(bytes[from..to.min(bytes.len())].to_vec())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_offsets_share_a_read_and_far_ones_do_not() {
        let plan = ReadAhead::plan([5_000, 100, 1_000_000, 6_000]);
        assert_eq!(plan, [(100, 6_000 + ReadAhead::REACH), (1_000_000, 1_000_000 + ReadAhead::REACH)]);
        // Offsets each within the gap of the last still stop at the longest read.
        let chain: Vec<u64> = (0..100).map(|i| i * 60_000).collect();
        let plan = ReadAhead::plan(chain.iter().copied());
        assert!(plan.len() > 1 && plan.iter().all(|(s, e)| e - s <= MAX_SPAN), "{plan:?}");
        assert!(chain.iter().all(|&o| plan.iter().any(|&(s, e)| s <= o && o + ReadAhead::REACH <= e)));
        assert!(ReadAhead::plan([]).is_empty());
    }

    #[test]
    fn reads_are_answered_only_from_what_was_kept() {
        let file: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let mut ahead = ReadAhead::default();
        let plan = ReadAhead::plan([100, 3_000, 150_000, 199_000]);
        assert_eq!(plan, [(100, 5_400), (150_000, 201_400)]);
        for (start, end) in plan {
            ahead.keep("a.log", (start, end), file[start as usize..(end as usize).min(file.len())].to_vec());
        }
        assert_eq!(ahead.read_at("a.log", 3_000, 600), Some(file[3_000..3_600].to_vec()));
        assert_eq!(ahead.read_at("a.log", 100, 2_400), Some(file[100..2_500].to_vec()));
        // Where the file ends, what there is; past a read that stopped short of it, nothing.
        assert_eq!(ahead.read_at("a.log", 199_000, 2_400), Some(file[199_000..].to_vec()));
        assert_eq!(ahead.read_at("a.log", 5_300, 600), None);
        assert_eq!(ahead.read_at("a.log", 20, 600), None);
        assert_eq!(ahead.read_at("a.log", 100_000, 600), None);
        assert_eq!(ahead.read_at("b.log", 3_000, 600), None);
    }
}
