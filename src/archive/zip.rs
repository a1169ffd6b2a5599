//! zip, read front to back from its local file headers (the central directory at the end is
//! not needed, and not reachable without seeking).
//!
//! An entry's data is stored or deflated; its compressed size is in the local header (or its
//! zip64 extra field), or, with flag bit 3, only in a data descriptor after the data. A deflate
//! stream ends itself, so it can be read without the size; stored data without a size cannot.
//! The central directory's first record ends the reading.
//!
//! The data of each entry read whole is checked against the CRC-32 of its local header or data
//! descriptor: a mismatch is a note on that entry, and the next entry is read as usual.

use super::inflate::{Inflated, Inflater, Mark, Replay};
use super::{count, size, EntrySink, Ledger, Place};
use flate2::Crc;

/// The largest local header, with its name and extra field, read.
const MAX_HEADER: usize = 128 * 1024;

const LOCAL: &[u8] = b"PK\x03\x04";
const DESCRIPTOR: &[u8] = b"PK\x07\x08";

#[derive(Default)]
pub(super) struct ZipParser {
    replay: Replay,
    core: ZipCore,
}

struct ZipCore {
    state: State,
    /// The signature, local header or data descriptor being read.
    buf: Vec<u8>,
    /// How many bytes `buf` must hold.
    need: usize,
    inflater: Option<Box<Inflater>>,
    /// How the data of the entry being read ends: with a data descriptor, of 64-bit sizes or not.
    descriptor: bool,
    zip64: bool,
    /// Whether anything was read (a spanned-archive marker may only come first).
    started: bool,
    /// The entry whose data is being handed out, to check against its CRC-32.
    check: Option<Check>,
    /// Where the next byte `step` is given sits in the archive.
    at: u64,
    /// Bytes a deflate stream took past its end, handed back to be read again: taken off `at`
    /// once `step` has counted the input they came with.
    handed_back: u64,
    /// Where the data of the entry being read starts in the archive.
    data_start: u64,
    /// The entry being inflated, as a stream of the archive's map (its index there).
    stream: Option<u32>,
}

/// An entry's CRC-32 as its header gives it (`None`: in its data descriptor) and as computed.
struct Check {
    path: String,
    expected: Option<u32>,
    crc: Crc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Signature,
    Local,
    /// Stored data, handed to the open entry.
    Stored {
        left: u64,
    },
    /// Deflate data; `left`: compressed bytes, when the header says.
    Deflated {
        left: Option<u64>,
        deliver: bool,
    },
    Skip {
        left: u64,
    },
    Descriptor,
    /// The central directory: the rest is ignored.
    End,
}

impl Default for ZipCore {
    fn default() -> Self {
        ZipCore {
            state: State::Signature,
            buf: Vec::new(),
            need: 4,
            inflater: None,
            descriptor: false,
            zip64: false,
            started: false,
            check: None,
            at: 0,
            handed_back: 0,
            data_start: 0,
            stream: None,
        }
    }
}

impl ZipParser {
    pub(super) fn feed(&mut self, chunk: &[u8], ledger: &mut Ledger, sink: &mut dyn EntrySink) {
        let core = &mut self.core;
        self.replay.feed(chunk, |input, again| core.step(input, again, ledger, sink));
    }

    /// Unpacks what the decoder still holds; returns whether the central directory was reached.
    pub(super) fn finish(&mut self, ledger: &mut Ledger, sink: &mut dyn EntrySink) -> bool {
        while let State::Deflated { .. } = self.core.state {
            if ledger.stopped {
                break;
            }
            let mut again = Vec::new();
            let core = &mut self.core;
            core.deflated(&[], true, &mut again, ledger, sink);
            if again.is_empty() {
                break;
            }
            self.replay.feed(&again, |input, again| core.step(input, again, ledger, sink));
        }
        self.core.state == State::End
    }
}

impl ZipCore {
    /// Reads a prefix of `input` (at least one byte, unless the archive is given up) and returns
    /// its length.
    fn step(&mut self, input: &[u8], again: &mut Vec<u8>, ledger: &mut Ledger, sink: &mut dyn EntrySink) -> usize {
        if ledger.stopped {
            return input.len();
        }
        let used = self.step_in(input, again, ledger, sink);
        self.at = self.at + used as u64 - std::mem::take(&mut self.handed_back);
        used
    }

    fn step_in(&mut self, input: &[u8], again: &mut Vec<u8>, ledger: &mut Ledger, sink: &mut dyn EntrySink) -> usize {
        match self.state {
            State::Signature => {
                let used = self.collect(input);
                if self.buf.len() == 4 {
                    self.signature(ledger, sink);
                    self.started = true;
                }
                used
            }
            State::Local => {
                let used = self.collect(input);
                if self.buf.len() == 30 && self.need == 30 {
                    let names = usize::from(u16_at(&self.buf, 26)) + usize::from(u16_at(&self.buf, 28));
                    self.need = 30 + names;
                    if self.need > MAX_HEADER {
                        let note = format!(
                            "stopped at a zip entry header of {}, more than {}: the limit on zip entry headers",
                            count(self.need as u64, "byte", "bytes"),
                            size(MAX_HEADER as u64)
                        );
                        ledger.stop(None, note, sink);
                        return input.len();
                    }
                }
                if self.buf.len() == self.need {
                    self.data_start = self.at + used as u64;
                    self.local_header(ledger, sink);
                }
                used
            }
            State::Stored { left } => {
                let take = input.len().min(usize::try_from(left).unwrap_or(usize::MAX));
                if !ledger.data(&input[..take], sink) {
                    return input.len();
                }
                if let Some(check) = self.check.as_mut() {
                    check.crc.update(&input[..take]);
                }
                self.state = State::Stored { left: left - take as u64 };
                if take as u64 == left {
                    ledger.end(sink);
                    self.data_read(sink);
                    self.after_data();
                }
                take
            }
            State::Deflated { .. } => self.deflated(input, false, again, ledger, sink),
            State::Skip { left } => {
                let take = input.len().min(usize::try_from(left).unwrap_or(usize::MAX));
                self.skip(left - take as u64);
                take
            }
            State::Descriptor => {
                let used = self.collect(input);
                if self.buf.len() == 4 {
                    // The signature is optional; without it the descriptor starts with the CRC.
                    let sizes = if self.zip64 { 16 } else { 8 };
                    self.need = if self.buf == DESCRIPTOR { 8 + sizes } else { 4 + sizes };
                }
                if self.buf.len() == self.need {
                    let at = if self.buf.starts_with(DESCRIPTOR) { 4 } else { 0 };
                    let crc = u32_at(&self.buf, at);
                    if let Some(check) = self.check.as_mut() {
                        check.expected = Some(crc);
                    }
                    self.data_read(sink);
                    self.expect_signature();
                }
                used
            }
            State::End => input.len(),
        }
    }

    /// Adds bytes of `input` to `buf`, up to `need`.
    fn collect(&mut self, input: &[u8]) -> usize {
        let take = input.len().min(self.need - self.buf.len());
        self.buf.extend_from_slice(&input[..take]);
        take
    }

    /// An entry's data was read whole: checks it once its CRC-32 is known (after the data
    /// descriptor, if it has one).
    fn data_read(&mut self, sink: &mut dyn EntrySink) {
        let Some(check) = self.check.take_if(|c| c.expected.is_some()) else { return };
        if check.expected != Some(check.crc.sum()) {
            let note = "its data does not match its checksum (CRC-32): it may be damaged, and is analyzed as read";
            sink.note(Some(&check.path), note.to_string());
        }
    }

    fn expect_signature(&mut self) {
        self.state = State::Signature;
        self.buf.clear();
        self.need = 4;
    }

    fn signature(&mut self, ledger: &mut Ledger, sink: &mut dyn EntrySink) {
        match &self.buf[..] {
            LOCAL => {
                self.state = State::Local;
                self.need = 30;
            }
            // Central directory, zip64 end record, end record.
            b"PK\x01\x02" | b"PK\x06\x06" | b"PK\x05\x06" => self.state = State::End,
            // A spanned or once-spanned archive starts with a marker.
            b"PK\x07\x08" | b"PK00" if !self.started => self.expect_signature(),
            _ => {
                let note = format!(
                    "damaged: no zip entry where the next one should start, after {}, so the rest cannot be read",
                    ledger.files_read()
                );
                ledger.stop(None, note, sink);
            }
        }
    }

    /// A whole local header was read: decides what to do with the entry's data.
    fn local_header(&mut self, ledger: &mut Ledger, sink: &mut dyn EntrySink) {
        let header = std::mem::take(&mut self.buf);
        let flags = u16_at(&header, 6);
        let method = u16_at(&header, 8);
        let header_crc = u32_at(&header, 14);
        let (csize32, usize32) = (u32_at(&header, 18), u32_at(&header, 22));
        let name_end = 30 + usize::from(u16_at(&header, 26));
        let name = String::from_utf8_lossy(&header[30..name_end]).replace('\\', "/");
        let mut csize = u64::from(csize32);
        let mut usize64 = u64::from(usize32);
        self.zip64 = false;
        let mut extra = &header[name_end..];
        while let (Some(id), Some(len)) = (extra.get(..2), extra.get(2..4)) {
            let len = usize::from(u16::from_le_bytes([len[0], len[1]]));
            let Some(mut data) = extra.get(4..4 + len) else { break };
            if id == [1, 0] {
                self.zip64 = true;
                // Each 64-bit size is there when its 32-bit field is all ones, uncompressed first.
                if usize32 == u32::MAX {
                    usize64 = data.get(..8).map_or(usize64, |d| u64::from_le_bytes(d.try_into().unwrap_or_default()));
                    data = data.get(8..).unwrap_or_default();
                }
                if csize32 == u32::MAX {
                    csize = data.get(..8).map_or(csize, |d| u64::from_le_bytes(d.try_into().unwrap_or_default()));
                }
            }
            extra = &extra[4 + len..];
        }
        self.buf = header;
        self.buf.clear();
        self.descriptor = flags & 8 != 0;
        let sized = !self.descriptor || csize != 0;
        let expected = if self.descriptor { None } else { Some(header_crc) };
        self.check = None;

        if name.ends_with('/') {
            // A directory: no data, but a streamed one may still carry an empty deflate stream.
            return match (sized, method) {
                (true, _) => self.skip(csize),
                (false, 8) => self.enter_deflated(None, false),
                (false, _) => self.skip(0),
            };
        }
        let path = ledger.admit(&name, sink);
        if ledger.stopped {
            return;
        }
        let unreadable = if flags & 1 != 0 {
            Some("password-protected: nbtriage cannot read it".to_string())
        } else if method != 0 && method != 8 {
            let known = method_name(method).map(|m| format!(" ({m})")).unwrap_or_default();
            Some(format!(
                "compressed with method {method}{known}, which nbtriage cannot read: unpack the archive and drop the files, or zip them again with plain Deflate"
            ))
        } else {
            None
        };
        if let (Some(why), Some(path)) = (&unreadable, &path) {
            sink.note(Some(path), why.clone());
        }
        match (path, method) {
            (path, 8) if unreadable.is_none() => {
                let left = if self.descriptor { None } else { Some(csize) };
                let deliver = path.is_some();
                if let Some(path) = path {
                    self.check = Some(Check { path: path.clone(), expected, crc: Crc::new() });
                    let size = (!self.descriptor).then_some(usize64);
                    ledger.start(path, Place::Deflated { offset: self.data_start }, size, sink);
                }
                self.enter_deflated(left, deliver);
                self.stream = if deliver { ledger.open_index() } else { None };
            }
            (Some(path), 0) if unreadable.is_none() && !sized => {
                ledger.stop(Some(&path), "stored without a size: unpack the archive and drop the files".into(), sink);
            }
            (Some(path), 0) if unreadable.is_none() => {
                self.check = Some(Check { path: path.clone(), expected, crc: Crc::new() });
                ledger.start(path, Place::Stored { offset: self.data_start }, Some(csize), sink);
                self.state = State::Stored { left: csize };
                if csize == 0 {
                    ledger.end(sink);
                    self.data_read(sink);
                    self.after_data();
                }
            }
            (_, _) if sized => self.skip(csize),
            (path, _) => {
                let at = path.map(|p| format!(" at {p}")).unwrap_or_default();
                let note = format!(
                    "stopped{at}: the entry's size is not in its header, so the files after it cannot be found"
                );
                ledger.stop(None, note, sink);
            }
        }
    }

    fn enter_deflated(&mut self, left: Option<u64>, deliver: bool) {
        self.inflater.get_or_insert_with(|| Box::new(Inflater::new())).reset();
        self.state = State::Deflated { left, deliver };
    }

    /// Skips `left` bytes of the entry's data.
    fn skip(&mut self, left: u64) {
        if left == 0 {
            self.after_data();
        } else {
            self.state = State::Skip { left };
        }
    }

    /// After an entry's data: its data descriptor, or the next signature.
    fn after_data(&mut self) {
        if self.descriptor {
            self.state = State::Descriptor;
            self.buf.clear();
            self.need = 4;
        } else {
            self.expect_signature();
        }
    }

    /// Feeds deflate data; `at_end`: no more input will come (the archive ended).
    fn deflated(
        &mut self,
        input: &[u8],
        at_end: bool,
        again: &mut Vec<u8>,
        ledger: &mut Ledger,
        sink: &mut dyn EntrySink,
    ) -> usize {
        let State::Deflated { left, deliver } = self.state else { return 0 };
        let (input, last) = match left {
            Some(left) => {
                let take = input.len().min(usize::try_from(left).unwrap_or(usize::MAX));
                (&input[..take], at_end || take as u64 == left)
            }
            None => (input, at_end),
        };
        let inflater = self.inflater.get_or_insert_with(|| Box::new(Inflater::new()));
        if let (Some(map), Some(stream)) = (ledger.map.as_ref(), self.stream.filter(|_| deliver)) {
            inflater.mark_from(Some(map.next_mark(stream)), map.every());
        } else {
            inflater.mark_from(None, 1);
        }
        let check = &mut self.check;
        let (take, status) = inflater.feed(input, last, &mut |piece, consumed| {
            if !deliver {
                return ledger.discard(piece.len(), sink);
            }
            if ledger.too_expanded(ledger.entry_out + piece.len() as u64, consumed) {
                return false;
            }
            if let Some(check) = check.as_mut() {
                check.crc.update(piece);
            }
            ledger.data(piece, sink)
        });
        let marks = inflater.take_marks();
        if let (Some(map), Some(stream)) = (ledger.map.as_mut(), self.stream) {
            for mark in marks {
                map.add(stream, Mark { input: self.data_start + mark.input, ..mark });
            }
        }
        let left = left.map(|l| l - take as u64);
        let lost = match status {
            Inflated::Hungry if left == Some(0) => Some("the compressed data ends early: the rest of the file is lost"),
            Inflated::Hungry => {
                self.state = State::Deflated { left, deliver };
                return take;
            }
            Inflated::Ended => {
                if left.is_none() {
                    let before = again.len();
                    inflater.take_leftover(again);
                    self.handed_back += (again.len() - before) as u64;
                }
                None
            }
            Inflated::Damaged => Some("the compressed data is damaged: the rest of the file is lost"),
            Inflated::Halted if ledger.stopped => return input.len(),
            Inflated::Halted => {
                ledger.cut_expanded(sink);
                self.check = None;
                self.stream = None;
                if left.is_none() {
                    // The end can only be found by unpacking on.
                    self.state = State::Deflated { left, deliver: false };
                    return take;
                }
                None
            }
        };
        if deliver {
            if let Some(lost) = lost {
                ledger.note_here(lost.to_string(), sink);
            }
            ledger.end(sink);
        }
        if lost.is_some() {
            // Not read whole: nothing to check.
            self.check = None;
        } else {
            self.data_read(sink);
        }
        match left {
            Some(left) => self.skip(left),
            None if status == Inflated::Damaged => {
                let note = format!(
                    "stopped after {}: a damaged entry without a size hides where the next one starts",
                    ledger.files_read()
                );
                ledger.stop(None, note, sink);
            }
            None => self.after_data(),
        }
        take
    }
}

fn u16_at(bytes: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([bytes[at], bytes[at + 1]])
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

/// The common names of zip compression methods nbtriage does not read.
fn method_name(method: u16) -> Option<&'static str> {
    Some(match method {
        1 => "shrink",
        6 => "implode",
        9 => "Deflate64",
        12 => "bzip2",
        14 => "LZMA",
        93 => "zstd",
        95 => "xz",
        98 => "PPMd",
        _ => return None,
    })
}
