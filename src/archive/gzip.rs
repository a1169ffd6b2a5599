//! gzip (RFC 1952): members of header, deflate stream and trailer, read as one stream (as
//! `gzip -d` does), and its two uses: a single compressed file and a compressed tar.
//!
//! Bytes after the last member that do not start another member (tape padding, garbage) are
//! ignored, as `gzip -d` does. Each member's trailer is checked (CRC-32 and length of its data):
//! a mismatch is a note, on the file being unpacked or else on the archive, and reading goes on.

use super::inflate::{Inflated, Inflater, Mark, Replay};
use super::map::Place;
use super::tar::TarParser;
use super::{EntrySink, Ledger};
use flate2::Crc;

/// Where a gzip stream stopped making sense.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum GzTrouble {
    /// The first bytes are not a gzip header.
    NotGzip,
    /// A member header is not one this reader knows (method other than deflate, reserved flags).
    BadHeader,
    /// The deflate data is not valid.
    Damaged,
    /// The stream passed the limit on the compression ratio.
    Expanded,
}

/// What gets a gzip stream's output; returns false to stop the stream.
type Downstream<'a> = dyn FnMut(&[u8], &mut Ledger, &mut dyn EntrySink) -> bool + 'a;

/// A gzip stream (all its members) unpacked to a downstream.
pub(super) struct GzStream {
    replay: Replay,
    core: GzCore,
}

struct GzCore {
    part: Part,
    /// The fixed header of the member being read, the two bytes of an extra field's length, or
    /// the trailer.
    head: [u8; 10],
    seen: usize,
    flags: u8,
    inflater: Box<Inflater>,
    /// Members whose header was read.
    members: u32,
    /// Compressed bytes the decoder consumed in earlier members.
    base_in: u64,
    /// Bytes unpacked from the whole stream.
    out: u64,
    /// The CRC-32 and length of the member's data so far.
    crc: Crc,
    trouble: Option<GzTrouble>,
    /// Where the next byte `step` is given sits in the archive.
    at: u64,
    /// Bytes a deflate stream took past its end, handed back to be read again: taken off `at`
    /// once `step` has counted the input they came with.
    handed_back: u64,
    /// Where the member's deflate data starts in the archive, once its first byte was seen.
    body_start: Option<u64>,
    /// Bytes unpacked from the stream before the member.
    member_base: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// The 10 fixed bytes of a member header.
    Fixed,
    ExtraLen,
    Extra {
        left: usize,
    },
    Name,
    Comment,
    HeaderCrc {
        left: usize,
    },
    Body,
    /// CRC-32 and length of the member's data, checked.
    Trailer {
        left: usize,
    },
    /// After the last member, or after the downstream stopped or trouble: ignored.
    Done,
}

const FHCRC: u8 = 0x02;
const FEXTRA: u8 = 0x04;
const FNAME: u8 = 0x08;
const FCOMMENT: u8 = 0x10;

impl GzStream {
    pub(super) fn new() -> Self {
        GzStream {
            replay: Replay::default(),
            core: GzCore {
                part: Part::Fixed,
                head: [0; 10],
                seen: 0,
                flags: 0,
                inflater: Box::new(Inflater::new()),
                members: 0,
                base_in: 0,
                out: 0,
                crc: Crc::new(),
                trouble: None,
                at: 0,
                handed_back: 0,
                body_start: None,
                member_base: 0,
            },
        }
    }

    /// A stream that goes on from a restart point recorded while it was unpacked (`mark.input`
    /// is where it is in the archive, `mark.output` in the stream's output): fed the archive
    /// from `mark.input` on, it hands out the stream's output from `mark.output` on.
    pub(super) fn resume(mark: &Mark) -> Self {
        let mut stream = GzStream::new();
        let core = &mut stream.core;
        core.part = Part::Body;
        core.members = 1;
        *core.inflater = Inflater::resume(&Mark { input: 0, output: 0, ..mark.clone() });
        core.at = mark.input;
        core.body_start = Some(mark.input);
        core.out = mark.output;
        core.member_base = mark.output;
        stream
    }

    pub(super) fn feed(
        &mut self,
        chunk: &[u8],
        ledger: &mut Ledger,
        sink: &mut dyn EntrySink,
        down: &mut Downstream<'_>,
    ) -> Option<GzTrouble> {
        let core = &mut self.core;
        self.replay.feed(chunk, |input, again| core.step(input, again, ledger, sink, down));
        core.trouble.take()
    }

    /// Unpacks what the decoder still holds. Returns whether the stream ended cleanly, with any
    /// trouble met on the way.
    pub(super) fn finish(
        &mut self,
        ledger: &mut Ledger,
        sink: &mut dyn EntrySink,
        down: &mut Downstream<'_>,
    ) -> (bool, Option<GzTrouble>) {
        while self.core.part == Part::Body {
            let mut again = Vec::new();
            let core = &mut self.core;
            let (_, status) = core.inflate(&[], true, &mut again, ledger, sink, down);
            if status != Inflated::Ended {
                break;
            }
            self.replay.feed(&again, |input, again| core.step(input, again, ledger, sink, down));
        }
        let core = &self.core;
        let clean = core.part == Part::Done || (core.part == Part::Fixed && core.seen == 0 && core.members > 0);
        (clean && core.trouble.is_none(), self.core.trouble.take())
    }
}

impl GzStream {
    /// Whether nothing more will come out (the end, damage, or the downstream stopped it).
    pub(super) fn done(&self) -> bool {
        self.core.part == Part::Done
    }
}

impl GzCore {
    /// Reads a prefix of `input` (at least one byte, or changes part) and returns its length.
    fn step(
        &mut self,
        input: &[u8],
        again: &mut Vec<u8>,
        ledger: &mut Ledger,
        sink: &mut dyn EntrySink,
        down: &mut Downstream<'_>,
    ) -> usize {
        let used = match self.part {
            Part::Fixed => {
                let take = input.len().min(10 - self.seen);
                for &byte in &input[..take] {
                    let expected = [0x1f, 0x8b].get(self.seen);
                    if expected.is_some_and(|&e| e != byte) {
                        if self.members == 0 {
                            self.fail(GzTrouble::NotGzip);
                        } else {
                            self.part = Part::Done;
                        }
                        return input.len();
                    }
                    self.head[self.seen] = byte;
                    self.seen += 1;
                }
                if self.seen == 10 {
                    self.seen = 0;
                    self.flags = self.head[3];
                    if self.head[2] != 8 || self.flags & 0xe0 != 0 {
                        self.fail(GzTrouble::BadHeader);
                        return input.len();
                    }
                    self.part = self.after(0);
                }
                take
            }
            Part::ExtraLen => {
                self.head[self.seen] = input[0];
                self.seen += 1;
                if self.seen == 2 {
                    self.seen = 0;
                    let left = usize::from(u16::from_le_bytes([self.head[0], self.head[1]]));
                    self.part = if left > 0 { Part::Extra { left } } else { self.after(FEXTRA) };
                }
                1
            }
            Part::Extra { left } => {
                let take = input.len().min(left);
                self.part = if take == left { self.after(FEXTRA) } else { Part::Extra { left: left - take } };
                take
            }
            Part::Name | Part::Comment => match memchr::memchr(0, input) {
                Some(nul) => {
                    self.part = self.after(if self.part == Part::Name { FNAME } else { FCOMMENT });
                    nul + 1
                }
                None => input.len(),
            },
            Part::HeaderCrc { left } => {
                let take = input.len().min(left);
                self.part = if take == left { self.after(FHCRC) } else { Part::HeaderCrc { left: left - take } };
                take
            }
            Part::Body => {
                if self.body_start.is_none() {
                    self.body_start = Some(self.at);
                    self.member_marked(ledger);
                }
                self.inflate(input, false, again, ledger, sink, down).0
            }
            Part::Trailer { left } => {
                let take = input.len().min(left);
                let at = 8 - left;
                self.head[at..at + take].copy_from_slice(&input[..take]);
                self.part = if take == left { Part::Fixed } else { Part::Trailer { left: left - take } };
                if take == left {
                    self.check_trailer(ledger, sink);
                }
                take
            }
            Part::Done => input.len(),
        }
        .min(input.len());
        self.at = self.at + used as u64 - std::mem::take(&mut self.handed_back);
        used
    }

    /// The header part after the optional field `done` (0: after the fixed bytes).
    fn after(&mut self, done: u8) -> Part {
        const ORDER: [u8; 4] = [FEXTRA, FNAME, FCOMMENT, FHCRC];
        let from = ORDER.iter().position(|&f| f == done).map_or(0, |i| i + 1);
        match ORDER[from..].iter().find(|&&f| self.flags & f != 0) {
            Some(&FEXTRA) => Part::ExtraLen,
            Some(&FNAME) => Part::Name,
            Some(&FCOMMENT) => Part::Comment,
            Some(_) => Part::HeaderCrc { left: 2 },
            None => {
                self.members += 1;
                self.inflater.reset();
                self.crc.reset();
                self.body_start = None;
                self.member_base = self.out;
                Part::Body
            }
        }
    }

    /// Feeds the member's deflate data and moves on when it ends or fails.
    fn inflate(
        &mut self,
        input: &[u8],
        last: bool,
        again: &mut Vec<u8>,
        ledger: &mut Ledger,
        sink: &mut dyn EntrySink,
        down: &mut Downstream<'_>,
    ) -> (usize, Inflated) {
        if let Some(map) = ledger.map.as_ref() {
            let next = map.next_mark(0).saturating_sub(self.member_base);
            self.inflater.mark_from(Some(next), map.every());
        }
        let (base_in, out, crc, trouble) = (self.base_in, &mut self.out, &mut self.crc, &mut self.trouble);
        let (take, status) = self.inflater.feed(input, last, &mut |piece, consumed| {
            let total = *out + piece.len() as u64;
            if ledger.too_expanded(total, base_in + consumed) {
                *trouble = Some(GzTrouble::Expanded);
                return false;
            }
            *out = total;
            crc.update(piece);
            down(piece, ledger, sink)
        });
        let marks = self.inflater.take_marks();
        if let (Some(map), Some(start)) = (ledger.map.as_mut(), self.body_start) {
            for mark in marks {
                map.add(0, Mark { input: start + mark.input, output: self.member_base + mark.output, ..mark });
            }
        }
        match status {
            Inflated::Hungry => {}
            Inflated::Ended => {
                self.base_in += self.inflater.total_in();
                let before = again.len();
                self.inflater.take_leftover(again);
                self.handed_back += (again.len() - before) as u64;
                self.part = Part::Trailer { left: 8 };
            }
            Inflated::Damaged => self.fail(GzTrouble::Damaged),
            Inflated::Halted => self.part = Part::Done,
        }
        (take, status)
    }

    /// A later member's start is a restart point (with no window), when one is due: a stream of
    /// many small members (bgzip's) may have no block boundary inside them.
    fn member_marked(&mut self, ledger: &mut Ledger) {
        let (Some(map), Some(start)) = (ledger.map.as_mut(), self.body_start) else { return };
        if self.members > 1 && self.out >= map.next_mark(0) {
            map.add(0, Mark { input: start, output: self.out, bits: 0, num_bits: 0, window: Vec::new() });
        }
    }

    /// Compares the member's trailer (in `head`) with its data; a mismatch is a note on the
    /// file open (a single .gz, or the tar entry the member ended in) or on the archive.
    fn check_trailer(&self, ledger: &Ledger, sink: &mut dyn EntrySink) {
        let stored_crc = u32::from_le_bytes([self.head[0], self.head[1], self.head[2], self.head[3]]);
        let stored_len = u32::from_le_bytes([self.head[4], self.head[5], self.head[6], self.head[7]]);
        if stored_crc == self.crc.sum() && stored_len == self.crc.amount() {
            return;
        }
        let member = if self.members > 1 { format!(" of gzip member {}", self.members) } else { String::new() };
        let note = format!(
            "the unpacked data does not match the checksum{member} (CRC-32 or length in the gzip trailer): it may be damaged, and is analyzed as read"
        );
        ledger.note_here(note, sink);
    }

    fn fail(&mut self, trouble: GzTrouble) {
        self.trouble = Some(trouble);
        self.part = Part::Done;
    }
}

/// A single compressed file: one entry, named after the archive without ".gz".
pub(super) struct GzipFile {
    stream: GzStream,
    name: String,
    started: bool,
}

impl GzipFile {
    pub(super) fn new(archive_name: &str) -> Self {
        let base = archive_name.rsplit(['/', '\\']).next().unwrap_or(archive_name);
        let stem = match base.len().checked_sub(3) {
            Some(cut) if base.is_char_boundary(cut) && base[cut..].eq_ignore_ascii_case(".gz") => &base[..cut],
            _ => base,
        };
        GzipFile { stream: GzStream::new(), name: stem.to_string(), started: false }
    }

    pub(super) fn feed(&mut self, chunk: &[u8], ledger: &mut Ledger, sink: &mut dyn EntrySink) {
        let (name, started) = (&self.name, &mut self.started);
        let trouble = self
            .stream
            .feed(chunk, ledger, sink, &mut |piece, ledger, sink| Self::write(name, started, piece, ledger, sink));
        Self::handle(trouble, ledger, sink);
    }

    /// Returns whether the stream ended cleanly.
    pub(super) fn finish(&mut self, ledger: &mut Ledger, sink: &mut dyn EntrySink) -> bool {
        let (name, started) = (&self.name, &mut self.started);
        let (clean, trouble) = self
            .stream
            .finish(ledger, sink, &mut |piece, ledger, sink| Self::write(name, started, piece, ledger, sink));
        Self::handle(trouble, ledger, sink);
        if self.stream.core.members > 0 && !self.started {
            // An empty file is still a file.
            Self::write(&self.name, &mut self.started, &[], ledger, sink);
        }
        clean
    }

    fn write(name: &str, started: &mut bool, piece: &[u8], ledger: &mut Ledger, sink: &mut dyn EntrySink) -> bool {
        if !*started {
            *started = true;
            match ledger.admit(name, sink) {
                Some(path) => ledger.start(path, Place::InGzip { offset: 0 }, None, sink),
                None => return false,
            }
        }
        ledger.data(piece, sink)
    }

    fn handle(trouble: Option<GzTrouble>, ledger: &mut Ledger, sink: &mut dyn EntrySink) {
        match trouble {
            None => {}
            Some(GzTrouble::Expanded) => {
                ledger.cut_expanded(sink);
                ledger.stopped = true;
            }
            Some(GzTrouble::Damaged) => {
                let entry = ledger.open.clone();
                let note = "the compressed data is damaged: the rest of the file cannot be read".to_string();
                ledger.stop(entry.as_deref(), note, sink);
            }
            Some(trouble) => ledger.stop(None, trouble_note(trouble, ledger), sink),
        }
    }
}

/// A compressed tar: the gzip stream's output is the tar.
pub(super) struct TarGz {
    stream: GzStream,
    tar: TarParser,
}

impl TarGz {
    pub(super) fn new() -> Self {
        TarGz { stream: GzStream::new(), tar: TarParser::in_gzip() }
    }

    pub(super) fn feed(&mut self, chunk: &[u8], ledger: &mut Ledger, sink: &mut dyn EntrySink) {
        let tar = &mut self.tar;
        let trouble =
            self.stream.feed(chunk, ledger, sink, &mut |piece, ledger, sink| Self::down(tar, piece, ledger, sink));
        Self::handle(trouble, ledger, sink);
    }

    /// Returns whether the archive ended cleanly.
    pub(super) fn finish(&mut self, ledger: &mut Ledger, sink: &mut dyn EntrySink) -> bool {
        let tar = &mut self.tar;
        let (clean, trouble) =
            self.stream.finish(ledger, sink, &mut |piece, ledger, sink| Self::down(tar, piece, ledger, sink));
        Self::handle(trouble, ledger, sink);
        self.tar.ended() || (clean && self.tar.finish())
    }

    /// The stream's output goes to the tar; after the tar's end blocks it is unpacked only to
    /// reach the gzip trailer and check it (counted against the limit on unpacked bytes).
    fn down(tar: &mut TarParser, piece: &[u8], ledger: &mut Ledger, sink: &mut dyn EntrySink) -> bool {
        if tar.ended() {
            return ledger.discard(piece.len(), sink);
        }
        tar.feed(piece, ledger, sink);
        !ledger.stopped
    }

    fn handle(trouble: Option<GzTrouble>, ledger: &mut Ledger, sink: &mut dyn EntrySink) {
        match trouble {
            None => {}
            Some(GzTrouble::Expanded) => ledger.stop_expanded(sink),
            Some(trouble) => {
                let note = trouble_note(trouble, ledger);
                ledger.stop(None, note, sink);
            }
        }
    }
}

fn trouble_note(trouble: GzTrouble, ledger: &Ledger) -> String {
    match trouble {
        GzTrouble::NotGzip => "not a gzip file: it does not start with the gzip signature".to_string(),
        GzTrouble::BadHeader => {
            "the gzip header is damaged or of an unknown kind, so the rest cannot be read".to_string()
        }
        GzTrouble::Damaged | GzTrouble::Expanded => {
            format!("the compressed data is damaged after {}: the rest cannot be read", ledger.files_read())
        }
    }
}
