//! A compact index of a file's lines, for a viewer that reads lines back from the file itself.
//!
//! Per line it keeps a level (two bits) and, with [`TimeDetail::EveryLine`], the step in time
//! from the line before (a variable-length number: one byte for steps under 64 ms, two under
//! 8 s). Every [`CHECKPOINT_EVERY`] lines it keeps the byte offset. In all, 2.7 bytes a line on
//! the generated logs (BENCHMARKS.md); logs with many lines per millisecond need fewer. No text:
//! a window of lines is read back from the file from the checkpoint before it.
//!
//! With [`TimeDetail::PerBlock`] (chosen for a large bundle's largest files, see
//! [`TimeDetail::for_files`]) it
//! keeps only the time of every [`TIME_BLOCK`]th line, about 0.6 bytes a line in all; a line in
//! between is placed at a time interpolated from its block's neighbours, so the merged order
//! is exact to within a block. The time shown is the line's own either way: the viewer reads
//! it from the text, counting days from the checkpoint (`viewer::LineTimes`).

use serde::{Deserialize, Serialize};

/// A byte offset is kept for every this many lines.
pub const CHECKPOINT_EVERY: u32 = 64;
/// A full time is kept for every this many lines; the lines between keep a step, or nothing.
pub const TIME_BLOCK: u32 = 16;

/// How much of each line's time the index keeps.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum TimeDetail {
    /// Every line's time: exact order, ~2.7 bytes a line in all.
    #[default]
    EveryLine,
    /// The time of every [`TIME_BLOCK`]th line: order exact to within a block, ~0.6 bytes a line
    /// in all.
    PerBlock,
}

impl TimeDetail {
    /// Files keep every line's time up to this many bytes in all.
    pub const EVERY_LINE_UP_TO_BYTES: f64 = 256.0 * 1024.0 * 1024.0;

    /// The detail for each of a bundle's files, given their sizes (in the same order): every
    /// line's time for the smallest files while their sizes add up to at most
    /// [`Self::EVERY_LINE_UP_TO_BYTES`], per block for the rest. So the index stays a few MB
    /// plus ~0.6 bytes a line however large the bundle. Small files are where lines are sparse
    /// and an interpolated time could misplace a line by minutes; in large ones, 16 lines are
    /// usually milliseconds apart.
    pub fn for_files(sizes: &[f64]) -> Vec<TimeDetail> {
        let mut by_size: Vec<usize> = (0..sizes.len()).collect();
        crate::order::sort_by(&mut by_size, |&a, &b| sizes[a].total_cmp(&sizes[b]).then(a.cmp(&b)));
        let mut details = vec![TimeDetail::PerBlock; sizes.len()];
        let mut total = 0.0;
        for i in by_size {
            total += sizes[i];
            if total > Self::EVERY_LINE_UP_TO_BYTES {
                break;
            }
            details[i] = TimeDetail::EveryLine;
        }
        details
    }
}

/// The level of a line (two bits).
pub mod level {
    pub const INFO: u8 = 0;
    pub const WARNING: u8 = 1;
    pub const ERROR: u8 = 2;
    /// Not a log line (a continuation, a banner, damage): it takes the time of the line before.
    pub const OTHER: u8 = 3;
}

/// For each byte of [`LineIndex`]'s levels (four lines), how many of its lines are at
/// [`level::INFO`], [`level::WARNING`] and [`level::ERROR`].
const LEVELS_IN_BYTE: [[u8; 3]; 256] = {
    let mut table = [[0u8; 3]; 256];
    let mut byte = 0;
    while byte < 256 {
        let mut line = 0;
        while line < 4 {
            let level = (byte >> (line * 2)) & 3;
            if level != level::OTHER as usize {
                table[byte][level] += 1;
            }
            line += 1;
        }
        byte += 1;
    }
    table
};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineIndex {
    detail: TimeDetail,
    lines: u32,
    /// Per block of [`TIME_BLOCK`] lines, the time of its first line, in milliseconds from the
    /// file's day 0 (saturating; see `FileFacts::first_ms`).
    block_times: Vec<u32>,
    /// With [`TimeDetail::EveryLine`], per block, where its steps start in `steps`.
    block_steps: Vec<u32>,
    /// With [`TimeDetail::EveryLine`], for every line but a block's first, milliseconds since
    /// the line before, zigzag-encoded (time may step back) in LEB128 bytes.
    steps: Vec<u8>,
    /// Four lines' [`level`]s per byte.
    levels: Vec<u8>,
    last_time: u32,
    /// `checkpoints[i]` is the byte offset of line `i * CHECKPOINT_EVERY` (0-based).
    checkpoints: Vec<u64>,
    /// The file's length in bytes.
    pub bytes: u64,
    /// How the scan read ambiguous dates (`05/02/2013`), for the viewer to read them alike.
    pub date_order: Option<crate::parse::date::DateOrder>,
    /// UTF-16 files' byte order: the viewer decodes the lines it reads back.
    pub encoding: Option<crate::input::utf16::Utf16>,
}

impl LineIndex {
    pub fn new(detail: TimeDetail) -> LineIndex {
        LineIndex { detail, ..LineIndex::default() }
    }

    pub fn detail(&self) -> TimeDetail {
        self.detail
    }

    pub fn len(&self) -> usize {
        self.lines as usize
    }

    pub fn is_empty(&self) -> bool {
        self.lines == 0
    }

    /// Records line `number` (1-based) starting at `offset`. Lines past `u32::MAX` are not
    /// indexed (the viewer stops there).
    pub(crate) fn push(&mut self, number: u64, offset: u64, ms: Option<i64>, level: u8) {
        let index = number - 1;
        if index != u64::from(self.lines) || self.lines == u32::MAX {
            return;
        }
        if self.lines.is_multiple_of(CHECKPOINT_EVERY) {
            self.checkpoints.push(offset);
        }
        let time = match ms {
            Some(ms) => ms.clamp(0, i64::from(u32::MAX)) as u32,
            None => self.last_time,
        };
        if self.lines.is_multiple_of(TIME_BLOCK) {
            self.block_times.push(time);
            if self.detail == TimeDetail::EveryLine {
                self.block_steps.push(self.steps.len() as u32);
            }
        } else if self.detail == TimeDetail::EveryLine {
            write_step(&mut self.steps, i64::from(time) - i64::from(self.last_time));
        }
        if self.lines.is_multiple_of(4) {
            self.levels.push(0);
        }
        if let Some(byte) = self.levels.last_mut() {
            *byte |= (level & 3) << ((self.lines % 4) * 2);
        }
        self.last_time = time;
        self.lines += 1;
    }

    /// The time of line `line` (0-based), in milliseconds from the file's day 0; 0 past the end.
    /// With [`TimeDetail::PerBlock`], a time interpolated within the line's block.
    pub fn time(&self, line: u32) -> u32 {
        if line >= self.lines {
            return 0;
        }
        let block = (line / TIME_BLOCK) as usize;
        let mut time = self.block_times[block];
        match self.detail {
            TimeDetail::EveryLine => {
                let mut at = self.block_steps[block] as usize;
                for _ in 0..line % TIME_BLOCK {
                    let (step, next) = read_step(&self.steps, at);
                    time = apply(time, step);
                    at = next;
                }
            }
            TimeDetail::PerBlock => time = self.interpolated(block, line % TIME_BLOCK),
        }
        time
    }

    /// With [`TimeDetail::PerBlock`]: the time of the `nth` line of `block`, placed evenly between
    /// the block's first line and the next block's (or the file's last line). A step back keeps
    /// the block's own time.
    fn interpolated(&self, block: usize, nth: u32) -> u32 {
        let start = self.block_times[block];
        let (end, span) = match self.block_times.get(block + 1) {
            Some(&next) => (next, TIME_BLOCK),
            None => (self.last_time, (self.lines - 1) % TIME_BLOCK),
        };
        if end <= start || span == 0 {
            return start;
        }
        start + ((u64::from(end - start) * u64::from(nth)) / u64::from(span)) as u32
    }

    /// The earliest and latest line time, or `None` for no lines. With [`TimeDetail::PerBlock`]
    /// the block times bound them: a line inside a block is placed between its block's time and
    /// the next one's, never past them; the last block reaches the last line's time only forward
    /// (a step back keeps the block's own time, as [`LineIndex::time`] gives it).
    pub fn time_range(&self) -> Option<(u32, u32)> {
        let range = |times: &mut dyn Iterator<Item = u32>| {
            times.fold(None, |range: Option<(u32, u32)>, t| {
                Some(range.map_or((t, t), |(lo, hi)| (lo.min(t), hi.max(t))))
            })
        };
        match self.detail {
            _ if self.lines == 0 => None,
            TimeDetail::PerBlock => {
                let last_block = self.block_times.last().copied().unwrap_or(0);
                let last_line = Some(self.last_time).filter(|&t| t > last_block);
                range(&mut self.block_times.iter().copied().chain(last_line))
            }
            TimeDetail::EveryLine => range(&mut self.times()),
        }
    }

    /// Adds each line's level to the bin its time falls in, `(shift + time - lo) / bin_ms` (the
    /// last bin at most); lines at [`level::OTHER`] are not counted. With
    /// [`TimeDetail::PerBlock`], a block whose first and last times fall in one bin is counted
    /// without a time per line, since its lines lie between the two: the histogram of a 1 GiB
    /// bundle took 0.4 s in the page with a time per line (BENCHMARKS.md, "Figures in one run").
    pub fn count_levels_by_bin(&self, shift: i64, lo: i64, bin_ms: i64, counts: &mut [[u32; 3]]) {
        let Some(last) = counts.len().checked_sub(1) else { return };
        let bin = |t: u32| (((shift + i64::from(t) - lo) / bin_ms) as usize).min(last);
        let count = |counts: &mut [[u32; 3]], bin: usize, line: u32| {
            let level = self.level(line);
            if level != level::OTHER {
                counts[bin][level as usize] += 1;
            }
        };
        if self.detail == TimeDetail::EveryLine {
            for (line, t) in (0..).zip(self.times()) {
                count(counts, bin(t), line);
            }
            return;
        }
        for (block, &start) in self.block_times.iter().enumerate() {
            let first = block as u32 * TIME_BLOCK;
            let end = self.block_times.get(block + 1).copied().unwrap_or(self.last_time);
            let lines = first..first + (self.lines - first).min(TIME_BLOCK);
            let one_bin = bin(start) == bin(end.max(start));
            if one_bin && lines.len() == TIME_BLOCK as usize {
                // A whole block in one bin: its levels counted four lines (one byte) at a time.
                let at = (first / 4) as usize;
                for &byte in &self.levels[at..at + TIME_BLOCK as usize / 4] {
                    for (slot, n) in counts[bin(start)].iter_mut().zip(LEVELS_IN_BYTE[byte as usize]) {
                        *slot += u32::from(n);
                    }
                }
            } else if one_bin {
                lines.for_each(|line| count(counts, bin(start), line));
            } else {
                lines.for_each(|line| count(counts, bin(self.interpolated(block, line - first)), line));
            }
        }
    }

    /// Every line's time, in order (as [`LineIndex::time`] gives it).
    pub fn times(&self) -> impl Iterator<Item = u32> + '_ {
        let (mut time, mut at) = (0u32, 0usize);
        (0..self.lines).map(move |line| {
            let block = (line / TIME_BLOCK) as usize;
            if self.detail == TimeDetail::PerBlock {
                time = self.interpolated(block, line % TIME_BLOCK);
            } else if line.is_multiple_of(TIME_BLOCK) {
                time = self.block_times[block];
            } else {
                let (step, next) = read_step(&self.steps, at);
                time = apply(time, step);
                at = next;
            }
            time
        })
    }

    /// Frees the room kept for growth, once the file is read.
    pub(crate) fn shrink(&mut self) {
        self.block_times.shrink_to_fit();
        self.block_steps.shrink_to_fit();
        self.steps.shrink_to_fit();
        self.levels.shrink_to_fit();
        self.checkpoints.shrink_to_fit();
    }

    /// The [`level`] of line `line` (0-based); [`level::OTHER`] past the end.
    pub fn level(&self, line: u32) -> u8 {
        if line >= self.lines {
            return level::OTHER;
        }
        (self.levels[(line / 4) as usize] >> ((line % 4) * 2)) & 3
    }

    /// The lines (0-based) at a level, in order.
    pub fn lines_at(&self, wanted: u8) -> Vec<u32> {
        (0..self.lines).filter(|&line| self.level(line) == wanted).collect()
    }

    /// Bytes the index holds on the heap.
    pub fn heap_bytes(&self) -> usize {
        (self.block_times.capacity() + self.block_steps.capacity()) * 4
            + self.steps.capacity()
            + self.levels.capacity()
            + self.checkpoints.capacity() * 8
    }

    /// The byte range to read to get lines `first..first + count` (0-based): from the checkpoint at
    /// or before `first` to the checkpoint after the last line (or the end of the file), with the
    /// 0-based line number the range starts at.
    pub fn byte_range(&self, first: u32, count: u32) -> (u64, u64, u32) {
        let every = CHECKPOINT_EVERY;
        let start_checkpoint = (first / every) as usize;
        let end_line = first.saturating_add(count);
        let end_checkpoint = end_line.div_ceil(every) as usize;
        let start = self.checkpoints.get(start_checkpoint).copied().unwrap_or(self.bytes);
        let end = self.checkpoints.get(end_checkpoint).copied().unwrap_or(self.bytes);
        (start, end, start_checkpoint as u32 * every)
    }
}

fn write_step(out: &mut Vec<u8>, step: i64) {
    let mut zigzag = ((step << 1) ^ (step >> 63)) as u64;
    while zigzag >= 0x80 {
        out.push(zigzag as u8 | 0x80);
        zigzag >>= 7;
    }
    out.push(zigzag as u8);
}

/// The step at `at`, and where the next one starts.
fn read_step(steps: &[u8], mut at: usize) -> (i64, usize) {
    let (mut zigzag, mut shift) = (0u64, 0);
    while let Some(&byte) = steps.get(at) {
        at += 1;
        zigzag |= u64::from(byte & 0x7f) << shift;
        shift += 7;
        if byte & 0x80 == 0 || shift >= 64 {
            break;
        }
    }
    ((zigzag >> 1) as i64 ^ -((zigzag & 1) as i64), at)
}

fn apply(time: u32, step: i64) -> u32 {
    (i64::from(time) + step).clamp(0, i64::from(u32::MAX)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_ranges_cover_the_wanted_lines() {
        let mut index = LineIndex::default();
        for n in 1..=200u64 {
            index.push(n, (n - 1) * 10, Some(n as i64), level::INFO);
        }
        index.bytes = 2000;
        assert_eq!(index.checkpoints, vec![0, 640, 1280, 1920]);
        assert_eq!(index.len(), 200);
        assert_eq!(index.byte_range(0, 10), (0, 640, 0));
        assert_eq!(index.byte_range(70, 10), (640, 1280, 64));
        assert_eq!(index.byte_range(120, 20), (640, 1920, 64));
        assert_eq!(index.byte_range(190, 50), (1280, 2000, 128));
        assert_eq!(index.byte_range(192, 8), (1920, 2000, 192));
    }

    // proptest is a native-only dev-dependency (the wasm tests run in node).
    #[cfg(not(target_arch = "wasm32"))]
    mod by_blocks {
        use super::*;

        proptest::proptest! {
            /// The time range and the histogram's counts, read by blocks, are what every line's own
            /// time gives: times that step back, lines with no time, every level, both details.
            #[test]
            fn range_and_bins_as_every_line_gives_them(
                lines in proptest::collection::vec((proptest::option::weighted(0.9, -3_000i64..4_000), 0u8..4), 0..200),
                per_block in proptest::bool::ANY,
                (shift, bins, finer) in (-1_000i64..1_000, 1usize..12, 1i64..4),
            ) {
                let mut index = LineIndex::new(if per_block { TimeDetail::PerBlock } else { TimeDetail::EveryLine });
                let mut ms = 100_000i64;
                for (n, (step, level)) in lines.iter().enumerate() {
                    ms += step.unwrap_or(0);
                    index.push(n as u64 + 1, n as u64 * 10, step.map(|_| ms), *level);
                }
                let every: Vec<u32> = index.times().collect();
                let want = every.iter().min().zip(every.iter().max()).map(|(lo, hi)| (*lo, *hi));
                proptest::prop_assert_eq!(index.time_range(), want);
                let lo = want.map_or(0, |(lo, _)| shift + i64::from(lo));
                // Bins as the histogram sizes them (`LogTable::histogram`), or finer, the rest clamped
                // into the last.
                let span = want.map_or(0, |(lo, hi)| i64::from(hi - lo));
                let bin_ms = (span / (bins as i64 * finer) + 1).max(1);
                let mut expected = vec![[0u32; 3]; bins];
                for (line, t) in every.iter().enumerate() {
                    let level = index.level(line as u32);
                    if level != level::OTHER {
                        expected[(((shift + i64::from(*t) - lo) / bin_ms) as usize).min(bins - 1)][level as usize] += 1;
                    }
                }
                let mut counts = vec![[0u32; 3]; bins];
                index.count_levels_by_bin(shift, lo, bin_ms, &mut counts);
                proptest::prop_assert_eq!(counts, expected);
            }
        }
    }

    #[test]
    fn the_smallest_files_keep_every_line_time_within_the_budget() {
        use TimeDetail::{EveryLine, PerBlock};
        let mib = 1024.0 * 1024.0;
        assert_eq!(TimeDetail::for_files(&[10.0 * mib, 20.0 * mib]), vec![EveryLine, EveryLine]);
        let sizes = [300.0 * mib, 1.0, 200.0 * mib, 50.0 * mib, 10.0 * mib];
        assert_eq!(TimeDetail::for_files(&sizes), vec![PerBlock, EveryLine, PerBlock, EveryLine, EveryLine]);
        assert_eq!(TimeDetail::for_files(&[]), vec![]);
    }

    #[test]
    fn per_block_times_are_interpolated_within_a_block() {
        let mut index = LineIndex::new(TimeDetail::PerBlock);
        // Blocks of 16 lines starting at 0, 1600, 3200; the last block has 5 lines, to 4000.
        for n in 1..=37u64 {
            let ms = if n <= 32 {
                (n as i64 - 1) / 16 * 1600 + (n as i64 - 1) % 16 % 3
            } else {
                3200 + (n as i64 - 33) * 200
            };
            index.push(n, n * 10, Some(ms), level::INFO);
        }
        assert_eq!(index.time(0), 0);
        assert_eq!(index.time(8), 800); // halfway to the next block's 1600
        assert_eq!(index.time(16), 1600);
        assert_eq!(index.time(34), 3600); // two of four steps from 3200 to the last line's 4000
        assert_eq!(index.time(36), 4000);
        assert_eq!(index.times().collect::<Vec<_>>(), (0..37).map(|l| index.time(l)).collect::<Vec<_>>());
        assert!(index.steps.is_empty() && index.block_steps.is_empty());
    }

    #[test]
    fn times_and_levels_read_back_as_pushed() {
        // Steps of every size: none, small, one and two bytes, large, and backwards.
        let steps: [i64; 9] = [0, 3, 63, 64, 8191, 8192, 100_000_000, -5_000, 1];
        let mut index = LineIndex::default();
        let mut pushed = Vec::new();
        let mut time = 50_000i64;
        for n in 1..=300u64 {
            time = (time + steps[n as usize % steps.len()]).max(0);
            let ms = if n % 11 == 0 { None } else { Some(time) };
            let level = (n % 4) as u8;
            index.push(n, n * 10, ms, level);
            let expected = ms.map_or_else(|| pushed.last().map_or(0, |&(t, _)| t), |t| t as u32);
            pushed.push((expected, level));
        }
        for (line, &(time, level)) in pushed.iter().enumerate() {
            assert_eq!(index.time(line as u32), time, "line {line}");
            assert_eq!(index.level(line as u32), level, "line {line}");
        }
        let times: Vec<u32> = index.times().collect();
        assert_eq!(times, pushed.iter().map(|p| p.0).collect::<Vec<_>>());
        assert_eq!(index.lines_at(level::ERROR).len(), pushed.iter().filter(|p| p.1 == level::ERROR).count());
        assert_eq!(index.level(300), level::OTHER);
    }

    // proptest is a native-only dev-dependency.
    #[cfg(not(target_arch = "wasm32"))]
    mod any_times {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            /// Any times (steps of any size and sign, missing ones): every line's time reads
            /// back exactly with `EveryLine`; with `PerBlock`, block starts are exact and every
            /// other line lies between its block's start and the next block's (or the last line).
            #[test]
            fn read_back(times in proptest::collection::vec(proptest::option::of(0i64..=u32::MAX as i64 + 5), 1..200)) {
                let mut every = LineIndex::new(TimeDetail::EveryLine);
                let mut block = LineIndex::new(TimeDetail::PerBlock);
                let mut expected = Vec::new();
                for (i, &ms) in times.iter().enumerate() {
                    every.push(i as u64 + 1, i as u64, ms, level::INFO);
                    block.push(i as u64 + 1, i as u64, ms, level::INFO);
                    let last = expected.last().copied().unwrap_or(0);
                    expected.push(ms.map_or(last, |t| t.clamp(0, i64::from(u32::MAX)) as u32));
                }
                let n = expected.len() as u32;
                prop_assert_eq!(every.times().collect::<Vec<_>>(), expected.clone());
                prop_assert_eq!(block.times().collect::<Vec<_>>(), (0..n).map(|l| block.time(l)).collect::<Vec<_>>());
                for line in 0..n {
                    let start = expected[(line - line % TIME_BLOCK) as usize];
                    let end = expected.get((line - line % TIME_BLOCK + TIME_BLOCK) as usize).copied()
                        .unwrap_or(expected[n as usize - 1]);
                    let t = block.time(line);
                    prop_assert!(t == start || (start <= t && t <= end), "line {} at {} not in {}..={}", line, t, start, end);
                }
                prop_assert_eq!(block.time(n), 0);
            }
        }
    }
}
