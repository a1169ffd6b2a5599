//! A compact index of a file's lines, for a viewer that reads lines back from the file itself.
//!
//! Per line it keeps a time and a level (5 bytes); every [`CHECKPOINT_EVERY`] lines it keeps the
//! byte offset. No text: a window of lines is read back from the file from the checkpoint before it.

use serde::{Deserialize, Serialize};

/// A byte offset is kept for every this many lines.
pub const CHECKPOINT_EVERY: u32 = 64;

/// The level byte of a line.
pub mod level {
    pub const INFO: u8 = 0;
    pub const WARNING: u8 = 1;
    pub const ERROR: u8 = 2;
    /// Not a log line (a continuation, a banner, damage): it takes the time of the line before.
    pub const OTHER: u8 = 3;
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineIndex {
    /// Per line, milliseconds from the file's day 0 (saturating; see `FileFacts::first_ms`).
    pub times: Vec<u32>,
    /// Per line, a [`level`] byte.
    pub levels: Vec<u8>,
    /// `checkpoints[i]` is the byte offset of line `i * CHECKPOINT_EVERY` (0-based).
    pub checkpoints: Vec<u64>,
    /// The file's length in bytes.
    pub bytes: u64,
}

impl LineIndex {
    pub fn len(&self) -> usize {
        self.times.len()
    }

    pub fn is_empty(&self) -> bool {
        self.times.is_empty()
    }

    /// Records line `number` (1-based) starting at `offset`.
    pub(crate) fn push(&mut self, number: u64, offset: u64, ms: Option<i64>, level: u8) {
        let index = number - 1;
        if index.is_multiple_of(u64::from(CHECKPOINT_EVERY)) {
            self.checkpoints.push(offset);
        }
        let time = match ms {
            Some(ms) => ms.clamp(0, i64::from(u32::MAX)) as u32,
            None => self.times.last().copied().unwrap_or(0),
        };
        self.times.push(time);
        self.levels.push(level);
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
        assert_eq!(index.byte_range(0, 10), (0, 640, 0));
        assert_eq!(index.byte_range(70, 10), (640, 1280, 64));
        assert_eq!(index.byte_range(120, 20), (640, 1920, 64));
        assert_eq!(index.byte_range(190, 50), (1280, 2000, 128));
        assert_eq!(index.byte_range(192, 8), (1920, 2000, 192));
    }
}
