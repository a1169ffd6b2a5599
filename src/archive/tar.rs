//! tar: 512-byte headers, each followed by its data padded to 512 bytes; two zero blocks end it.
//!
//! Reads POSIX ustar (with its name prefix), GNU (long names in 'L' entries, base-256 sizes) and
//! pax ('x' headers: `path` and `size`). Only regular files are handed out; directories, links and
//! devices have no data to read. Nothing is buffered but one header and, bounded, a long name or
//! a pax header.

use super::{size, EntrySink, Ledger, Place};

/// The longest GNU long name ('L' entry) read.
const MAX_LONG_NAME: u64 = 64 * 1024;
/// The largest pax header ('x' entry) read.
const MAX_PAX: u64 = 1024 * 1024;

#[derive(Debug)]
pub(super) struct TarParser {
    state: State,
    block: [u8; 512],
    filled: usize,
    /// The content of the 'L' or 'x' entry being read.
    meta: Vec<u8>,
    /// For the next file: from a GNU 'L' entry.
    long_name: Option<String>,
    /// For the next file: from a pax 'x' entry.
    pax_path: Option<String>,
    pax_size: Option<u64>,
    zero_blocks: u8,
    /// Bytes of the tar read so far: where the next byte is in the tar.
    pos: u64,
    /// The tar is the output of a gzip stream (so its offsets are in that output).
    in_gzip: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Header,
    /// An entry's data: handed to the open entry, or skipped.
    Body {
        left: u64,
        deliver: bool,
        pad: u64,
    },
    /// The content of a GNU long name or a pax header, read into `meta`.
    Meta {
        pax: bool,
        left: u64,
        pad: u64,
    },
    /// Up to the next 512-byte boundary.
    Pad {
        left: u64,
    },
    /// After the two zero blocks: the rest is ignored.
    Ended,
}

impl Default for TarParser {
    fn default() -> Self {
        TarParser {
            state: State::Header,
            block: [0; 512],
            filled: 0,
            meta: Vec::new(),
            long_name: None,
            pax_path: None,
            pax_size: None,
            zero_blocks: 0,
            pos: 0,
            in_gzip: false,
        }
    }
}

impl TarParser {
    /// A tar that is the output of a gzip stream.
    pub(super) fn in_gzip() -> Self {
        TarParser { in_gzip: true, ..TarParser::default() }
    }

    pub(super) fn feed(&mut self, mut chunk: &[u8], ledger: &mut Ledger, sink: &mut dyn EntrySink) {
        while !chunk.is_empty() && !ledger.stopped {
            let used = match self.state {
                State::Header => {
                    let take = chunk.len().min(512 - self.filled);
                    self.block[self.filled..self.filled + take].copy_from_slice(&chunk[..take]);
                    self.filled += take;
                    if self.filled == 512 {
                        self.filled = 0;
                        // The entry's data, if any, starts right after the header.
                        self.header(self.pos + take as u64, ledger, sink);
                    }
                    take
                }
                State::Body { left, deliver, pad } => {
                    let take = chunk.len().min(usize::try_from(left).unwrap_or(usize::MAX));
                    if deliver && !ledger.data(&chunk[..take], sink) {
                        return;
                    }
                    let left = left - take as u64;
                    if left == 0 {
                        if deliver {
                            ledger.end(sink);
                        }
                        self.state = after(pad);
                    } else {
                        self.state = State::Body { left, deliver, pad };
                    }
                    take
                }
                State::Meta { pax, left, pad } => {
                    let take = chunk.len().min(usize::try_from(left).unwrap_or(usize::MAX));
                    self.meta.extend_from_slice(&chunk[..take]);
                    let left = left - take as u64;
                    self.state = State::Meta { pax, left, pad };
                    if left == 0 {
                        self.end_meta(pax, pad);
                    }
                    take
                }
                State::Pad { left } => {
                    let take = chunk.len().min(usize::try_from(left).unwrap_or(usize::MAX));
                    let left = left - take as u64;
                    self.state = if left == 0 { State::Header } else { State::Pad { left } };
                    take
                }
                State::Ended => return,
            };
            self.pos += used as u64;
            chunk = &chunk[used..];
        }
    }

    /// Whether the end-of-archive blocks were read.
    pub(super) fn ended(&self) -> bool {
        self.state == State::Ended
    }

    /// Whether the input ended cleanly: after the end blocks, or (as some writers leave it) at a
    /// header boundary with no entry half read.
    pub(super) fn finish(&self) -> bool {
        match self.state {
            State::Ended => true,
            State::Header => self.filled == 0 && self.long_name.is_none() && self.pax_path.is_none(),
            _ => false,
        }
    }

    /// A header was read; `data_at` is where its entry's data would start in the tar.
    fn header(&mut self, data_at: u64, ledger: &mut Ledger, sink: &mut dyn EntrySink) {
        let block = self.block;
        if block.iter().all(|&b| b == 0) {
            self.zero_blocks += 1;
            if self.zero_blocks == 2 {
                self.state = State::Ended;
            }
            return;
        }
        self.zero_blocks = 0;
        let size = parse_size(&block[124..136]);
        let (true, Some(size)) = (checksum_ok(&block), size) else {
            let note = format!(
                "damaged: a tar header after {} does not add up (bad checksum), so the rest cannot be read",
                ledger.files_read()
            );
            ledger.stop(None, note, sink);
            return;
        };
        match block[156] {
            b'L' | b'x' => {
                let (pax, max, what) = if block[156] == b'x' {
                    (true, MAX_PAX, "the limit on pax headers")
                } else {
                    (false, MAX_LONG_NAME, "the limit on long file names")
                };
                if size > max {
                    let note = format!(
                        "stopped at a tar header of {}, more than {}: {what}",
                        super::count(size, "byte", "bytes"),
                        self::size(max)
                    );
                    ledger.stop(None, note, sink);
                    return;
                }
                self.meta.clear();
                self.state = State::Meta { pax, left: size, pad: padding(size) };
                if size == 0 {
                    self.end_meta(pax, 0);
                }
                return;
            }
            // A long link target, global pax settings: nothing for us.
            b'K' | b'g' => return self.body(size, false, ledger, sink),
            _ => {}
        }
        let (pax_path, long_name) = (self.pax_path.take(), self.long_name.take());
        let path = pax_path.or(long_name).unwrap_or_else(|| header_name(&block));
        let size = self.pax_size.take().unwrap_or(size);
        match block[156] {
            b'0' | b'\0' | b'7' if !path.ends_with('/') => {
                let deliver = match ledger.admit(&path, sink) {
                    Some(path) => {
                        let place = if self.in_gzip {
                            Place::InGzip { offset: data_at }
                        } else {
                            Place::Stored { offset: data_at }
                        };
                        ledger.start(path, place, Some(size), sink);
                        true
                    }
                    None => false,
                };
                self.body(size, deliver, ledger, sink);
            }
            // Links, devices, directories (also an old-style file whose name ends in '/') and
            // FIFOs: a header without data, whatever its size field says.
            b'0'..=b'7' => {}
            // Unknown kinds (GNU volume labels, vendor extensions): their data is skipped.
            _ => self.body(size, false, ledger, sink),
        }
    }

    /// Enters an entry's data (`size` bytes, then padding).
    fn body(&mut self, size: u64, deliver: bool, ledger: &mut Ledger, sink: &mut dyn EntrySink) {
        if size == 0 {
            if deliver {
                ledger.end(sink);
            }
            self.state = State::Header;
        } else {
            self.state = State::Body { left: size, deliver, pad: padding(size) };
        }
    }

    /// A long name or pax header was read: it applies to the next file.
    fn end_meta(&mut self, pax: bool, pad: u64) {
        let meta = std::mem::take(&mut self.meta);
        if pax {
            parse_pax(&meta, &mut self.pax_path, &mut self.pax_size);
        } else {
            self.long_name = Some(text(&meta));
        }
        self.state = after(pad);
    }
}

/// After an entry's content: its padding, then the next header.
fn after(pad: u64) -> State {
    if pad == 0 {
        State::Header
    } else {
        State::Pad { left: pad }
    }
}

/// Bytes from the end of `size` bytes of data to the next 512-byte boundary.
fn padding(size: u64) -> u64 {
    (512 - size % 512) % 512
}

/// Whether a 512-byte block is a tar header: its checksum field matches the sum of its bytes
/// (taken as unsigned, or as signed as some old tars did), with the field itself as spaces.
pub(super) fn checksum_ok(block: &[u8]) -> bool {
    let Some(stored) = block.get(148..156).and_then(parse_octal) else { return false };
    let (mut unsigned, mut signed) = (0u64, 0i64);
    for (i, &b) in block.iter().enumerate().take(512) {
        let b = if (148..156).contains(&i) { b' ' } else { b };
        unsigned += u64::from(b);
        signed += i64::from(b as i8);
    }
    stored == unsigned || i64::try_from(stored) == Ok(signed)
}

/// An octal number field: optional leading spaces, digits, then spaces or NULs.
fn parse_octal(field: &[u8]) -> Option<u64> {
    let start = field.iter().position(|&b| b != b' ').unwrap_or(field.len());
    let digits = field[start..].iter().take_while(|b| (b'0'..=b'7').contains(b)).count();
    if !field[start + digits..].iter().all(|&b| b == b' ' || b == 0) {
        return None;
    }
    field[start..start + digits].iter().try_fold(0u64, |n, &d| n.checked_mul(8)?.checked_add(u64::from(d - b'0')))
}

/// The size field: octal, or GNU base-256 (high bit set) for sizes of 8 GiB and more.
fn parse_size(field: &[u8]) -> Option<u64> {
    match field.first() {
        Some(&first) if first & 0x80 != 0 => {
            if first == 0xff {
                return None; // negative
            }
            let high = u64::from(first & 0x7f);
            field[1..].iter().try_fold(high, |n, &b| if n >> 56 == 0 { Some(n << 8 | u64::from(b)) } else { None })
        }
        _ => parse_octal(field),
    }
}

/// The name field, after the prefix field in POSIX ustar (GNU tar uses that space otherwise).
fn header_name(block: &[u8; 512]) -> String {
    let name = text(&block[..100]);
    if &block[257..263] == b"ustar\0" {
        let prefix = text(&block[345..500]);
        if !prefix.is_empty() {
            return format!("{prefix}/{name}");
        }
    }
    name
}

/// A NUL-terminated text field.
fn text(field: &[u8]) -> String {
    let end = memchr::memchr(0, field).unwrap_or(field.len());
    String::from_utf8_lossy(&field[..end]).into_owned()
}

/// Reads the `path` and `size` records of a pax header ("<length> <key>=<value>\n" each); stops
/// at the first record that does not parse.
fn parse_pax(mut data: &[u8], path: &mut Option<String>, size: &mut Option<u64>) {
    while let Some(space) = memchr::memchr(b' ', data) {
        let len = std::str::from_utf8(&data[..space]).ok().and_then(|n| n.parse::<usize>().ok());
        let Some(len) = len.filter(|&len| len > space + 1 && len <= data.len()) else { return };
        let record = &data[space + 1..len];
        let record = record.strip_suffix(b"\n").unwrap_or(record);
        if let Some(eq) = memchr::memchr(b'=', record) {
            let value = &record[eq + 1..];
            match &record[..eq] {
                b"path" => *path = Some(String::from_utf8_lossy(value).into_owned()),
                b"size" => *size = std::str::from_utf8(value).ok().and_then(|v| v.parse().ok()),
                _ => {}
            }
        }
        data = &data[len..];
    }
}
