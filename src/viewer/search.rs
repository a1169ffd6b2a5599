//! Text search over a file's lines, fed in chunks like the scanner: marks each line that
//! contains the needle (ignoring ASCII case) in a bit set.

use crate::input::lines::LineSplitter;
use memchr::memmem::Finder;

pub struct LineSearch {
    finder: Finder<'static>,
    splitter: LineSplitter,
    bits: Vec<u64>,
    lowered: Vec<u8>,
}

impl LineSearch {
    /// `needle` is matched ignoring ASCII case; `lines` sizes the bit set.
    pub fn new(needle: &str, lines: usize) -> LineSearch {
        let needle = needle.to_ascii_lowercase().into_bytes();
        LineSearch {
            finder: Finder::new(&needle).into_owned(),
            splitter: LineSplitter::new(),
            bits: vec![0; lines.div_ceil(64)],
            lowered: Vec::new(),
        }
    }

    pub fn feed(&mut self, chunk: &[u8]) {
        let (finder, bits, lowered) = (&self.finder, &mut self.bits, &mut self.lowered);
        self.splitter.feed(chunk, |line| mark(finder, bits, lowered, line.number, line.text));
    }

    /// The bit set: bit `n` is set when 0-based line `n` matched.
    pub fn finish(mut self) -> Vec<u64> {
        let (finder, bits, lowered) = (&self.finder, &mut self.bits, &mut self.lowered);
        self.splitter.finish(|line| mark(finder, bits, lowered, line.number, line.text));
        self.bits
    }
}

fn mark(finder: &Finder<'_>, bits: &mut [u64], lowered: &mut Vec<u8>, number: u64, text: &[u8]) {
    lowered.clear();
    lowered.extend(text.iter().map(u8::to_ascii_lowercase));
    if finder.find(lowered).is_some() {
        let index = (number - 1) as usize;
        if let Some(word) = bits.get_mut(index / 64) {
            *word |= 1 << (index % 64);
        }
    }
}

/// The first set bit at or after `line` (forward), or at or before it (backward).
pub fn next_set(bits: &[u64], line: u32, forward: bool) -> Option<u32> {
    let total = bits.len() * 64;
    let mut i = line as usize;
    if forward {
        while i < total {
            let word = bits[i / 64] >> (i % 64);
            if word != 0 {
                return Some((i + word.trailing_zeros() as usize) as u32);
            }
            i = (i / 64 + 1) * 64;
        }
        None
    } else {
        let mut i = i.min(total.checked_sub(1)?) as isize;
        while i >= 0 {
            let shift = 63 - (i as usize % 64);
            let word = bits[i as usize / 64] << shift;
            if word != 0 {
                return Some((i as usize - word.leading_zeros() as usize) as u32);
            }
            i = (i as usize / 64) as isize * 64 - 1;
        }
        None
    }
}

pub fn is_set(bits: &[u64], line: u32) -> bool {
    bits.get(line as usize / 64).is_some_and(|w| w & (1 << (line % 64)) != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_set_bits_both_ways() {
        let mut bits = vec![0u64; 3];
        for b in [5u32, 64, 130] {
            bits[b as usize / 64] |= 1 << (b % 64);
        }
        assert_eq!(next_set(&bits, 0, true), Some(5));
        assert_eq!(next_set(&bits, 6, true), Some(64));
        assert_eq!(next_set(&bits, 65, true), Some(130));
        assert_eq!(next_set(&bits, 131, true), None);
        assert_eq!(next_set(&bits, 191, false), Some(130));
        assert_eq!(next_set(&bits, 129, false), Some(64));
        assert_eq!(next_set(&bits, 63, false), Some(5));
        assert_eq!(next_set(&bits, 4, false), None);
        assert_eq!(next_set(&bits, 500, false), Some(130));
    }

    #[test]
    fn marks_matching_lines_whatever_the_chunking() {
        let text = b"alpha\nBeta gamma\r\ndelta\nGAMMA";
        for size in [1, 3, 100] {
            let mut s = LineSearch::new("gamma", 4);
            for c in text.chunks(size) {
                s.feed(c);
            }
            let bits = s.finish();
            assert_eq!((0..4).map(|l| is_set(&bits, l)).collect::<Vec<_>>(), vec![false, true, false, true]);
        }
    }
}
