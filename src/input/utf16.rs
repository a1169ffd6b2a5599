//! UTF-16 text, as Windows PowerShell 5's `>` writes it (`vxlogview ... > file.txt` on Windows
//! gives UTF-16 little-endian with a byte order mark). Lines are split on the UTF-16 line end
//! and handed out as UTF-8, with their line numbers and byte offsets in the file as stored, so
//! that evidence still points at the file on disk.

use super::lines::{RawLine, MAX_LINE};

/// The byte order, from the file's first two bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Utf16 {
    Le,
    Be,
}

impl Utf16 {
    /// The byte order mark at the start of a file, if it is one.
    pub fn from_bom(head: &[u8]) -> Option<Utf16> {
        match head {
            [0xFF, 0xFE, ..] => Some(Utf16::Le),
            [0xFE, 0xFF, ..] => Some(Utf16::Be),
            _ => None,
        }
    }

    /// The order a report's `encoding` names.
    pub fn from_name(name: &str) -> Option<Utf16> {
        match name {
            "utf-16le" => Some(Utf16::Le),
            "utf-16be" => Some(Utf16::Be),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Utf16::Le => "utf-16le",
            Utf16::Be => "utf-16be",
        }
    }

    fn unit(self, pair: [u8; 2]) -> u16 {
        match self {
            Utf16::Le => u16::from_le_bytes(pair),
            Utf16::Be => u16::from_be_bytes(pair),
        }
    }

    /// UTF-16 bytes (from a line start) as UTF-8, line ends kept: what the viewer reads back.
    pub fn decode(self, bytes: &[u8]) -> Vec<u8> {
        let units = bytes.chunks_exact(2).map(|p| self.unit([p[0], p[1]]));
        let text: String = char::decode_utf16(units).map(|c| c.unwrap_or('\u{FFFD}')).collect();
        text.strip_prefix('\u{FEFF}').unwrap_or(&text).as_bytes().to_vec()
    }

    /// The first line of `bytes` (UTF-16, from a line start) as text, without its line end.
    pub fn first_line(self, bytes: &[u8], max_chars: usize) -> String {
        let units = bytes.chunks_exact(2).map(|p| self.unit([p[0], p[1]])).take_while(|&u| u != 0x0A);
        let mut text: String = char::decode_utf16(units).map(|c| c.unwrap_or('\u{FFFD}')).take(max_chars).collect();
        if text.ends_with('\r') {
            text.pop();
        }
        text.strip_prefix('\u{FEFF}').map(str::to_string).unwrap_or(text)
    }
}

/// Splits UTF-16 bytes, arriving in chunks of any size, into lines of UTF-8 text.
#[derive(Debug)]
pub struct Utf16Splitter {
    order: Utf16,
    /// Bytes of UTF-8 kept per line ([`MAX_LINE`] unless a caller's limits say less).
    max_line: usize,
    /// A byte waiting for the other half of its code unit.
    odd: Option<u8>,
    /// A high surrogate waiting for its low half.
    high: Option<u16>,
    /// The current line as UTF-8, cut at [`MAX_LINE`] bytes.
    line: Vec<u8>,
    /// Bytes of the current line on disk, its line end excluded.
    line_bytes: u64,
    /// The last code unit of the current line (to drop a `\r` before the `\n`).
    last_unit: u16,
    /// Whether the current line's text was cut at [`MAX_LINE`].
    cut: bool,
    lines: u64,
    offset: u64,
}

impl Utf16Splitter {
    pub fn new(order: Utf16) -> Self {
        Utf16Splitter::with_max_line(order, MAX_LINE)
    }

    /// Keeps at most `max_line` bytes of each line's UTF-8.
    pub fn with_max_line(order: Utf16, max_line: usize) -> Self {
        Utf16Splitter {
            order,
            max_line,
            odd: None,
            high: None,
            line: Vec::new(),
            line_bytes: 0,
            last_unit: 0,
            cut: false,
            lines: 0,
            offset: 0,
        }
    }

    /// Bytes consumed so far.
    pub fn bytes(&self) -> u64 {
        self.offset + self.line_bytes + u64::from(self.odd.is_some())
    }

    pub fn feed(&mut self, chunk: &[u8], mut on_line: impl FnMut(RawLine<'_>)) {
        let mut bytes = chunk;
        if let Some(first) = self.odd.take() {
            let Some((&second, rest)) = bytes.split_first() else {
                self.odd = Some(first);
                return;
            };
            self.unit(self.order.unit([first, second]), &mut on_line);
            bytes = rest;
        }
        let mut pairs = bytes.chunks_exact(2);
        for pair in &mut pairs {
            self.unit(self.order.unit([pair[0], pair[1]]), &mut on_line);
        }
        if let [last] = pairs.remainder() {
            self.odd = Some(*last);
        }
    }

    /// Ends the input; returns whether a last line had no line end.
    pub fn finish(&mut self, mut on_line: impl FnMut(RawLine<'_>)) -> bool {
        let dangling = self.odd.take().is_some();
        if self.line_bytes == 0 && !dangling {
            return false;
        }
        self.line_bytes += u64::from(dangling);
        self.emit(&mut on_line);
        true
    }

    fn unit(&mut self, unit: u16, on_line: &mut impl FnMut(RawLine<'_>)) {
        if unit == 0x0A {
            self.emit(on_line);
            self.offset += 2;
            return;
        }
        self.line_bytes += 2;
        self.last_unit = unit;
        let c = match (self.high.take(), unit) {
            (None, 0xD800..=0xDBFF) => {
                self.high = Some(unit);
                return;
            }
            (Some(high), 0xDC00..=0xDFFF) => {
                char::decode_utf16([high, unit]).next().and_then(Result::ok).unwrap_or('\u{FFFD}')
            }
            (Some(_), _) | (None, 0xDC00..=0xDFFF) => '\u{FFFD}',
            (None, u) => char::from_u32(u32::from(u)).unwrap_or('\u{FFFD}'),
        };
        if self.lines == 0 && self.line_bytes == 2 && c == '\u{FEFF}' {
            return; // the byte order mark
        }
        if self.line.len() + 4 <= self.max_line {
            let mut buf = [0u8; 4];
            self.line.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        } else {
            self.cut = true;
        }
    }

    fn emit(&mut self, on_line: &mut impl FnMut(RawLine<'_>)) {
        if self.high.take().is_some() && self.line.len() + 3 <= self.max_line {
            self.line.extend_from_slice("\u{FFFD}".as_bytes());
        }
        let mut len = self.line_bytes;
        if self.last_unit == 0x0D {
            len -= 2;
            if self.line.last() == Some(&b'\r') {
                self.line.pop();
            }
        }
        self.lines += 1;
        on_line(RawLine { number: self.lines, offset: self.offset, text: &self.line, len, cut: self.cut });
        self.cut = false;
        self.offset += self.line_bytes;
        self.line.clear();
        self.line_bytes = 0;
        self.last_unit = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(text: &str) -> Vec<u8> {
        let mut out = vec![0xFF, 0xFE];
        out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        out
    }

    fn split(bytes: &[u8], order: Utf16, chunk: usize) -> (Vec<(u64, u64, String, u64)>, bool) {
        let mut s = Utf16Splitter::new(order);
        let mut out = Vec::new();
        for c in bytes.chunks(chunk) {
            s.feed(c, |l| out.push((l.number, l.offset, String::from_utf8(l.text.to_vec()).unwrap(), l.len)));
        }
        let cut = s.finish(|l| out.push((l.number, l.offset, String::from_utf8(l.text.to_vec()).unwrap(), l.len)));
        (out, cut)
    }

    #[test]
    fn lines_offsets_and_any_chunking() {
        let bytes = utf16le("1/19/2010 12:44:07.771 [Debug] é\r\nsecond 😀\nthird");
        let whole = split(&bytes, Utf16::Le, usize::MAX);
        assert_eq!(whole.0[0], (1, 0, "1/19/2010 12:44:07.771 [Debug] é".into(), 2 + 32 * 2));
        assert_eq!(whole.0[1].1, 2 + 34 * 2, "offsets are bytes of the file as stored");
        assert_eq!(whole.0[1].2, "second 😀");
        assert_eq!(whole.0[2].2, "third");
        assert!(whole.1);
        for size in [1, 2, 3, 7] {
            assert_eq!(split(&bytes, Utf16::Le, size), whole, "chunk {size}");
        }
        assert_eq!(Utf16::Le.first_line(&bytes, 100), "1/19/2010 12:44:07.771 [Debug] é");
        let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain("a\nb".encode_utf16().flat_map(u16::to_be_bytes)).collect();
        assert_eq!(split(&be, Utf16::Be, 1).0.iter().map(|l| l.2.clone()).collect::<Vec<_>>(), ["a", "b"]);
    }
}
