//! Splits a byte stream that arrives in chunks of any size into lines.
//!
//! A line that ends inside a later chunk is carried over; everything else is handed out as a
//! borrowed slice of the chunk (no copy). Lines are cut at [`MAX_LINE`] bytes for analysis,
//! whatever the chunking, so a file of one 300 MB line costs 64 KiB, not 300 MB
//! (ripgrep's `line_buffer` has the same kind of explicit long-line policy).

/// The longest line kept for analysis. NetBackup facts sit at the start of a line; the rest of a
/// longer line is counted but not kept.
pub const MAX_LINE: usize = 64 * 1024;

/// One line of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawLine<'a> {
    /// 1-based line number in the file on disk.
    pub number: u64,
    /// Byte offset of the line's first byte in the file.
    pub offset: u64,
    /// The line without its `\n` or `\r\n`, cut to [`MAX_LINE`] bytes.
    pub text: &'a [u8],
    /// The line's length on disk without its line end.
    pub len: u64,
    /// Whether `text` was cut at [`MAX_LINE`].
    pub cut: bool,
}

impl RawLine<'_> {
    pub fn is_truncated(&self) -> bool {
        self.cut
    }
}

#[derive(Debug)]
pub struct LineSplitter {
    /// Bytes of a line kept for analysis ([`MAX_LINE`] unless a caller's limits say less).
    max_line: usize,
    /// The start of a line that has not ended yet: at most `MAX_LINE + 1` bytes, so that a `\r`
    /// right after the kept part can still be recognised as the line end.
    carry: Vec<u8>,
    /// The full length of the carried line, including bytes not kept.
    carry_len: u64,
    /// The last byte of the carried line, kept or not.
    carry_last: u8,
    lines: u64,
    offset: u64,
}

impl Default for LineSplitter {
    fn default() -> Self {
        LineSplitter::with_max_line(MAX_LINE)
    }
}

impl LineSplitter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps at most `max_line` bytes of each line.
    pub fn with_max_line(max_line: usize) -> Self {
        LineSplitter { max_line, carry: Vec::new(), carry_len: 0, carry_last: 0, lines: 0, offset: 0 }
    }

    /// Bytes consumed so far.
    pub fn bytes(&self) -> u64 {
        self.offset + self.carry_len
    }

    /// Feeds the next chunk; calls `on_line` for every line it completes.
    pub fn feed(&mut self, mut chunk: &[u8], mut on_line: impl FnMut(RawLine<'_>)) {
        while !chunk.is_empty() {
            let Some(nl) = memchr::memchr(b'\n', chunk) else {
                self.keep(chunk);
                return;
            };
            if self.carry_len == 0 {
                let line = &chunk[..nl];
                self.emit(line, nl as u64, line.last().copied(), &mut on_line);
            } else {
                self.keep(&chunk[..nl]);
                self.emit_carry(&mut on_line);
            }
            self.offset += 1; // the '\n'
            chunk = &chunk[nl + 1..];
        }
    }

    /// Ends the input. Hands out a last line that had no line end, and returns whether there
    /// was one (a sign of a truncated or still-growing file).
    pub fn finish(&mut self, mut on_line: impl FnMut(RawLine<'_>)) -> bool {
        if self.carry_len == 0 {
            return false;
        }
        self.emit_carry(&mut on_line);
        true
    }

    fn keep(&mut self, bytes: &[u8]) {
        let room = (self.max_line + 1).saturating_sub(self.carry.len());
        self.carry.extend_from_slice(&bytes[..bytes.len().min(room)]);
        self.carry_len += bytes.len() as u64;
        if let Some(&b) = bytes.last() {
            self.carry_last = b;
        }
    }

    fn emit_carry(&mut self, on_line: &mut impl FnMut(RawLine<'_>)) {
        let carry = std::mem::take(&mut self.carry);
        let (len, last) = (self.carry_len, self.carry_last);
        self.emit(&carry, len, Some(last), on_line);
        self.carry = carry;
        self.carry.clear();
        self.carry_len = 0;
    }

    /// `kept` is the start of the line (all of it when it is short), `len` its full length and
    /// `last` its last byte, so that a `\r\n` line end is recognised even on a cut line.
    #[inline(always)]
    fn emit(&mut self, kept: &[u8], len: u64, last: Option<u8>, on_line: &mut impl FnMut(RawLine<'_>)) {
        let offset = self.offset;
        self.offset += len;
        let len = if last == Some(b'\r') { len - 1 } else { len };
        let text = &kept[..(kept.len() as u64).min(len).min(self.max_line as u64) as usize];
        self.lines += 1;
        on_line(RawLine { number: self.lines, offset, text, len, cut: len > text.len() as u64 });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Split = (Vec<(u64, u64, Vec<u8>, u64)>, bool);

    fn split(chunks: &[&[u8]]) -> Split {
        let mut s = LineSplitter::new();
        let mut out = Vec::new();
        for c in chunks {
            s.feed(c, |l| out.push((l.number, l.offset, l.text.to_vec(), l.len)));
        }
        let unterminated = s.finish(|l| out.push((l.number, l.offset, l.text.to_vec(), l.len)));
        (out, unterminated)
    }

    #[test]
    fn lines_offsets_and_crlf() {
        let (lines, unterminated) = split(&[b"ab\r\ncd\nef"]);
        assert_eq!(lines, vec![(1, 0, b"ab".to_vec(), 2), (2, 4, b"cd".to_vec(), 2), (3, 7, b"ef".to_vec(), 2)]);
        assert!(unterminated);
    }

    #[test]
    fn chunking_does_not_matter() {
        let input: Vec<u8> = b"one\r\n\ntwo\nthree\r\nfour".to_vec();
        let whole = split(&[&input]);
        for size in 1..input.len() {
            let chunks: Vec<&[u8]> = input.chunks(size).collect();
            assert_eq!(split(&chunks), whole, "chunk size {size}");
        }
    }

    #[test]
    fn long_lines_are_cut_the_same_way_whatever_the_chunking() {
        let mut input = vec![b'x'; MAX_LINE + 10];
        input.extend_from_slice(b"\r\n");
        input.extend(std::iter::repeat_n(b'y', MAX_LINE));
        input.extend_from_slice(b"\r\nz\n");
        let whole = split(&[&input]);
        assert_eq!(whole.0[0].2.len(), MAX_LINE);
        assert_eq!(whole.0[0].3, MAX_LINE as u64 + 10);
        assert_eq!(whole.0[1].2.len(), MAX_LINE);
        assert_eq!(whole.0[1].3, MAX_LINE as u64, "a line of exactly MAX_LINE plus CR is not cut");
        assert_eq!(whole.0[2].1, (2 * MAX_LINE + 14) as u64);
        for size in [1, 7, 4096, MAX_LINE - 1, MAX_LINE, MAX_LINE + 1] {
            let chunks: Vec<&[u8]> = input.chunks(size).collect();
            assert_eq!(split(&chunks), whole, "chunk size {size}");
        }
    }

    #[test]
    fn empty_input() {
        assert_eq!(split(&[]), (vec![], false));
        assert_eq!(split(&[b""]), (vec![], false));
        assert_eq!(split(&[b"\n"]).0, vec![(1, 0, vec![], 0)]);
    }
}
