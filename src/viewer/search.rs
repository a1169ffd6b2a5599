//! Text search over a file's lines, fed in chunks like the scanner: marks each line that
//! contains the needle (ignoring ASCII case) in a bit set. [`EntrySearches`] searches the files
//! inside an archive in one pass as it is unpacked again.

use crate::input::lines::LineSplitter;
use crate::input::utf16::{Utf16, Utf16Splitter};
use memchr::memmem::Finder;

pub struct LineSearch {
    needle: Needle,
    splitter: Splitter,
    bits: Vec<u64>,
    lowered: Vec<u8>,
}

/// What a line must hold to be marked.
enum Needle {
    /// This text, ignoring ASCII case (boxed: a finder is large beside a list of pids).
    Text(Box<Finder<'static>>),
    /// One of these process ids, as the line's own pid ([`super::rows::line_pid`]); `seen` is
    /// set once any line names a pid.
    Pids { pids: Vec<u32>, seen: bool },
}

/// Lines of UTF-8 text, or of UTF-16 (decoded) as the scan read them.
enum Splitter {
    Utf8(LineSplitter),
    Utf16(Utf16Splitter),
}

impl LineSearch {
    /// `needle` is matched ignoring ASCII case; `lines` sizes the bit set; `encoding` is the
    /// file's, as the scan found it.
    pub fn new(needle: &str, lines: usize, encoding: Option<Utf16>) -> LineSearch {
        let needle = needle.to_ascii_lowercase().into_bytes();
        LineSearch::with(Needle::Text(Box::new(Finder::new(&needle).into_owned())), lines, encoding)
    }

    /// Marks the lines whose own pid is one of `pids`, for the row filter
    /// ([`super::RowFilter`]). In a file where no line names a pid (a form without them),
    /// every line is marked: the pids cannot narrow it.
    pub fn pids(pids: &[u32], lines: usize, encoding: Option<Utf16>) -> LineSearch {
        LineSearch::with(Needle::Pids { pids: pids.to_vec(), seen: false }, lines, encoding)
    }

    fn with(needle: Needle, lines: usize, encoding: Option<Utf16>) -> LineSearch {
        LineSearch {
            needle,
            splitter: match encoding {
                Some(order) => Splitter::Utf16(Utf16Splitter::new(order)),
                None => Splitter::Utf8(LineSplitter::new()),
            },
            bits: vec![0; lines.div_ceil(64)],
            lowered: Vec::new(),
        }
    }

    pub fn feed(&mut self, chunk: &[u8]) {
        let (needle, bits, lowered) = (&mut self.needle, &mut self.bits, &mut self.lowered);
        let on_line = |line: crate::input::lines::RawLine<'_>| mark(needle, bits, lowered, line.number, line.text);
        match &mut self.splitter {
            Splitter::Utf8(s) => s.feed(chunk, on_line),
            Splitter::Utf16(s) => s.feed(chunk, on_line),
        }
    }

    /// The bit set: bit `n` is set when 0-based line `n` matched.
    pub fn finish(mut self) -> Vec<u64> {
        let (needle, bits, lowered) = (&mut self.needle, &mut self.bits, &mut self.lowered);
        let on_line = |line: crate::input::lines::RawLine<'_>| mark(needle, bits, lowered, line.number, line.text);
        match &mut self.splitter {
            Splitter::Utf8(s) => {
                s.finish(on_line);
            }
            Splitter::Utf16(s) => {
                s.finish(on_line);
            }
        }
        if let Needle::Pids { seen: false, .. } = self.needle {
            self.bits.fill(u64::MAX);
        }
        self.bits
    }
}

/// One line of a file by its number, fed in chunks like a search: a job list's record read
/// back for its job's thread (job lists have no line index). Lines are counted by their
/// newlines, as the job list's reader counts records; the line is kept up to `max` bytes.
pub struct LineAt {
    wanted: u64,
    line: u64,
    max: usize,
    text: Vec<u8>,
}

impl LineAt {
    /// `wanted` is 1-based.
    pub fn new(wanted: u64, max: usize) -> LineAt {
        LineAt { wanted, line: 1, max, text: Vec::new() }
    }

    pub fn feed(&mut self, mut chunk: &[u8]) {
        while !chunk.is_empty() && self.line <= self.wanted {
            let end = memchr::memchr(b'\n', chunk);
            let part = &chunk[..end.unwrap_or(chunk.len())];
            if self.line == self.wanted {
                let room = self.max.saturating_sub(self.text.len());
                self.text.extend_from_slice(&part[..part.len().min(room)]);
            }
            let Some(end) = end else { return };
            self.line += 1;
            chunk = &chunk[end + 1..];
        }
    }

    /// The line's bytes (no line end), or `None` when the file has fewer lines.
    pub fn finish(self) -> Option<Vec<u8>> {
        let found = self.line > self.wanted || !self.text.is_empty();
        let mut text = self.text;
        if text.last() == Some(&b'\r') {
            text.pop();
        }
        found.then_some(text)
    }
}

/// Searches files inside an archive while it is unpacked again (once for all of them): the
/// `n`th entry the unpacker starts is entry `n` of the archive's map, as when it was scanned.
pub struct EntrySearches<T> {
    /// By entry: the caller's tag for the file and its search, taken when the entry starts.
    wanted: Vec<(usize, T, Option<LineSearch>)>,
    next: usize,
    current: Option<usize>,
    done: Vec<(T, Vec<u64>)>,
}

impl<T: Copy> EntrySearches<T> {
    /// `wanted`: (entry, tag, search) for each file to search.
    pub fn new(wanted: Vec<(usize, T, LineSearch)>) -> Self {
        let mut wanted: Vec<(usize, T, Option<LineSearch>)> =
            wanted.into_iter().map(|(e, tag, s)| (e, tag, Some(s))).collect();
        crate::order::sort_by_key(&mut wanted, |w| w.0);
        EntrySearches { wanted, next: 0, current: None, done: Vec::new() }
    }

    /// Each file's tag and bit set (a file the archive no longer held has none set).
    pub fn finish(mut self) -> Vec<(T, Vec<u64>)> {
        crate::archive::EntrySink::end_entry(&mut self);
        for (_, tag, search) in self.wanted {
            if let Some(search) = search {
                self.done.push((tag, search.finish()));
            }
        }
        self.done
    }
}

impl<T: Copy> crate::archive::EntrySink for EntrySearches<T> {
    fn start_entry(&mut self, _path: &str) {
        self.end_entry();
        let entry = self.next;
        self.next += 1;
        self.current = self.wanted.binary_search_by_key(&entry, |w| w.0).ok();
    }

    fn entry_data(&mut self, bytes: &[u8]) {
        if let Some(search) = self.current.and_then(|at| self.wanted[at].2.as_mut()) {
            search.feed(bytes);
        }
    }

    fn end_entry(&mut self) {
        if let Some(at) = self.current.take() {
            let (_, tag, search) = &mut self.wanted[at];
            if let Some(search) = search.take() {
                self.done.push((*tag, search.finish()));
            }
        }
    }

    fn note(&mut self, _entry: Option<&str>, _note: String) {}
}

fn mark(needle: &mut Needle, bits: &mut [u64], lowered: &mut Vec<u8>, number: u64, text: &[u8]) {
    let found = match needle {
        Needle::Text(finder) => {
            lowered.clear();
            lowered.extend(text.iter().map(u8::to_ascii_lowercase));
            finder.find(lowered).is_some()
        }
        Needle::Pids { pids, seen } => super::rows::line_pid(text).is_some_and(|pid| {
            *seen = true;
            pids.contains(&pid)
        }),
    };
    if found {
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

/// Lines both searches marked, per file; either alone when the other is `None`.
pub fn both(a: Option<Vec<Vec<u64>>>, b: Option<Vec<Vec<u64>>>) -> Option<Vec<Vec<u64>>> {
    match (a, b) {
        (Some(mut a), Some(b)) => {
            for (fa, fb) in a.iter_mut().zip(&b) {
                fa.iter_mut().zip(fb).for_each(|(x, y)| *x &= y);
            }
            Some(a)
        }
        (a, b) => a.or(b),
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
    fn marks_lines_naming_a_pid_and_every_line_where_none_names_one() {
        let text = b"10:00:00.000 [7] <2> a\ncontinuation\n10:00:01.000 [8.9] <2> b\n10:00:02.000 [77] <2> c\n";
        for size in [1, 5, 200] {
            let mut s = LineSearch::pids(&[7, 8], 4, None);
            text.chunks(size).for_each(|c| s.feed(c));
            let bits = s.finish();
            assert_eq!((0..4).map(|l| is_set(&bits, l)).collect::<Vec<_>>(), vec![true, false, true, false]);
        }
        let mut s = LineSearch::pids(&[7], 2, None);
        s.feed(b"no pid\nnone here\n");
        assert!(is_set(&s.finish(), 1));
        let marked = both(Some(vec![vec![0b0110]]), Some(vec![vec![0b0011]]));
        assert_eq!(marked, Some(vec![vec![0b0010]]));
        assert_eq!(both(None, Some(vec![vec![1]])), Some(vec![vec![1]]));
    }

    #[test]
    fn reads_one_line_back_by_number_whatever_the_chunking() {
        let text = b"first\r\nsecond line\nthird";
        for size in [1, 2, 5, 100] {
            let read = |n, max| {
                let mut at = LineAt::new(n, max);
                text.chunks(size).for_each(|c| at.feed(c));
                at.finish()
            };
            assert_eq!(read(1, 100).as_deref(), Some(&b"first"[..]));
            assert_eq!(read(2, 100).as_deref(), Some(&b"second line"[..]));
            assert_eq!(read(2, 3).as_deref(), Some(&b"sec"[..]));
            assert_eq!(read(3, 100).as_deref(), Some(&b"third"[..]));
            assert_eq!(read(4, 100), None);
        }
    }

    #[test]
    fn marks_matching_lines_whatever_the_chunking() {
        let text = b"alpha\nBeta gamma\r\ndelta\nGAMMA";
        for size in [1, 3, 100] {
            let mut s = LineSearch::new("gamma", 4, None);
            for c in text.chunks(size) {
                s.feed(c);
            }
            let bits = s.finish();
            assert_eq!((0..4).map(|l| is_set(&bits, l)).collect::<Vec<_>>(), vec![false, true, false, true]);
        }
    }
}
