//! Scans one file's bytes, chunk by chunk, into [`FileFacts`].
//!
//! Invariants: never fails and never panics, whatever the bytes; keeps no file text beyond one
//! carried-over partial line (and a held lone header, see [`records`]) and the typed facts of
//! the lines that carry one; gives the same result however the bytes are chunked (every
//! decision depends on byte and line positions, never on where a chunk ends).
//!
//! The way through: bytes → lines (UTF-8, or UTF-16 by its byte order mark) → records (lone
//! headers joined, glued records split) → a parsed line of some form → its facts and its time
//! ([`LineClock`], which may hold lines until their date order is known) → events and the
//! viewer's line index.

mod commands;
mod events;
mod lines;
mod settings;

use super::file_notes;
use super::limits::{Cap, CapsReached, Limits};
use super::line_index::{level, LineIndex, TimeDetail};
use super::records::Joiner;
use super::retention::Retention;
use super::timing::LineClock;
use super::{extract, jobs, Event, Fact, FileFacts};
use crate::input::lines::{LineSplitter, RawLine};
use crate::input::sniff::{Sniffer, Verdict};
use crate::input::utf16::{Utf16, Utf16Splitter};
use crate::parse::LineForm;
use crate::vocab::FileFormat;

/// The process a file belongs to is read from its first lines.
const PROCESS_SAMPLE_LINES: u64 = 5000;
/// Lines at least this long are searched for records glued into them, whatever their level.
const GLUED_CHECK_LEN: usize = 200;

pub struct FileScanner {
    input: Input,
    sniffer: Sniffer,
    joiner: Joiner,
    state: ScanState,
}

/// How bytes become lines.
enum Input {
    /// Fewer than [`HEAD_BYTES`] seen: a byte order mark, a job list's first record or netstat's
    /// first lines may still come.
    Undecided(Vec<u8>),
    /// A job list, read job by job (not as a log).
    JobList(Box<jobs::JobListScanner>),
    Utf8(LineSplitter),
    Utf16(Utf16Splitter),
    /// A packet capture (pcap or pcapng), by its first four bytes.
    Capture(Box<super::capture::CaptureScan>),
    /// netstat or ss output, by its first lines.
    Netstat(Box<super::netstat::NetstatScan>),
}

/// Bytes of a file held before deciding its form: a job list is told by its first record and
/// netstat output by its first lines, not by their first bytes.
const HEAD_BYTES: usize = jobs::SNIFF_BYTES;

/// What one line (or record) leaves for the index and the events, once its time is known.
#[derive(Debug)]
pub(super) struct LineItem {
    number: u64,
    offset: u64,
    /// Whether it is the first record of its line: only that one goes into the index.
    indexed: bool,
    level: u8,
    /// A log line with a time of its own.
    timed: bool,
    is_log: bool,
    pid: u32,
    tid: Option<u32>,
    /// The thread id that keys its silence (none for unified logs: see [`thread_tid`]).
    thread_tid: Option<u32>,
    log_level: u16,
    facts: Vec<Fact>,
}

pub(super) struct ScanState {
    pub(super) facts: FileFacts,
    /// Set once the first [`SNIFF_BYTES`] have been judged.
    pub(super) verdict: Option<Verdict>,
    pub(super) clock: LineClock<LineItem>,
    timed: Vec<(LineItem, Option<i64>)>,
    pub(super) counts: file_notes::Counts,
    pub(super) process_votes: Vec<(&'static str, u32)>,
    last_word: events::LastWord,
    /// Notes from the caller, added after the scanner's own.
    pub(super) extra_notes: Vec<String>,
    /// Kept only when a viewer asked for it.
    index: Option<LineIndex>,
    /// Decides which events are worth keeping.
    retention: Retention,
    /// Where the chunk being split starts in the file, and where in it a fact's needle starts
    /// (see [`extract::hits`]); `next_hit` is the first not yet passed.
    chunk_start: u64,
    hits: Vec<u64>,
    next_hit: usize,
    /// UTF-16 files are not searched by the chunk pass: every line is looked at.
    every_line: bool,
    last_pid: u32,
    previous_form: Option<LineForm>,
    /// The file's first error lines and its latest ones, kept as events at the end.
    first_errors: Vec<Event>,
    recent_errors: std::collections::VecDeque<Event>,
    /// Indexed by a hash of pid and tid, masked: a power of two long.
    threads: Vec<ThreadSlot>,
    limits: Limits,
    /// The caps reached by the scanner itself (the clock and retention keep their own).
    reached: CapsReached,
    /// Where the file's command output stands, when it is one.
    commands: commands::CommandScan,
    /// The file is named `bp.conf`: its `KEY = value` lines are settings from the first.
    settings_by_name: bool,
    /// A line other than a comment came before any `SERVER =` line: not a settings file by its lines.
    settings_ruled_out: bool,
    /// Lines that named a job id first, waiting for their time (line number, job id).
    first_job_lines: std::collections::VecDeque<(u64, u64)>,
}

/// A thread's latest timed line: its key (pid and tid), time, line, offset.
type ThreadSlot = (u64, i64, u64, u64);

impl FileScanner {
    /// Starts a file. `path` is how the caller names it: a relative path inside a bundle,
    /// a path on disk, or just a file name; folders in it name the host and the process.
    pub fn new(path: impl Into<String>) -> Self {
        Self::with_limits(path, Limits::DEFAULT)
    }

    /// Like [`FileScanner::new`], holding at most what `limits` allows.
    pub fn with_limits(path: impl Into<String>, limits: Limits) -> Self {
        let facts = FileFacts::new(path.into());
        let named_day0 = facts.meta.date;
        let settings_by_name = crate::parse::settings::is_settings_name(&facts.path);
        FileScanner {
            input: Input::Undecided(Vec::new()),
            sniffer: Sniffer::default(),
            joiner: Joiner::default(),
            state: ScanState {
                facts,
                verdict: None,
                clock: LineClock::new(named_day0).with_pending_cap(limits.pending_lines),
                timed: Vec::new(),
                counts: file_notes::Counts { line_bytes: limits.line_bytes, ..file_notes::Counts::default() },
                process_votes: Vec::new(),
                last_word: events::LastWord::default(),
                extra_notes: Vec::new(),
                index: None,
                retention: Retention::new(limits),
                chunk_start: u64::MAX,
                hits: Vec::new(),
                next_hit: 0,
                every_line: false,
                last_pid: u32::MAX,
                previous_form: None,
                first_errors: Vec::new(),
                recent_errors: std::collections::VecDeque::new(),
                threads: vec![(u64::MAX, 0, 0, 0); limits.thread_slots.max(1).next_power_of_two()],
                limits,
                reached: CapsReached::default(),
                commands: commands::CommandScan::default(),
                settings_by_name,
                settings_ruled_out: false,
                first_job_lines: std::collections::VecDeque::new(),
            },
        }
    }

    /// Like [`FileScanner::new`], and also builds a [`LineIndex`] for a log viewer.
    pub fn with_line_index(path: impl Into<String>, detail: TimeDetail) -> Self {
        Self::new(path).and_line_index(detail)
    }

    /// Also builds a [`LineIndex`] for a log viewer.
    pub fn and_line_index(mut self, detail: TimeDetail) -> Self {
        self.state.index = Some(LineIndex::new(detail));
        self
    }

    /// The path the file was started with.
    pub fn path(&self) -> &str {
        &self.state.facts.path
    }

    /// Feeds the next chunk of the file, of any size.
    pub fn feed(&mut self, chunk: &[u8]) {
        self.state.facts.bytes += chunk.len() as u64;
        let Input::Undecided(head) = &mut self.input else { return self.split(chunk) };
        if head.is_empty() && chunk.len() >= HEAD_BYTES {
            // A first chunk that holds the bytes the decision needs is decided on in place.
            return self.decide_on(chunk);
        }
        // Only what completes the head is copied (a copy of a whole first chunk of megabytes
        // showed as +3.7% instructions on the 64 MiB bench); the rest is read in place. A capture
        // is told by its magic number at once; a UTF-16 file waits like any other, since a job
        // list is told by its decoded first record.
        let taken = chunk.len().min(HEAD_BYTES - head.len());
        head.extend_from_slice(&chunk[..taken]);
        if head.len() >= HEAD_BYTES || crate::parse::capture::is_capture(head) {
            self.decide();
            self.split(&chunk[taken..]);
        }
    }

    /// Decides on the bytes held so far (see [`FileScanner::decide_on`]).
    fn decide(&mut self) {
        let Input::Undecided(head) = &mut self.input else { return };
        let head = std::mem::take(head);
        self.decide_on(&head);
    }

    /// Decides how the file is read by its first [`HEAD_BYTES`] (however they arrived): a capture
    /// by its magic number, UTF-16 by its byte order mark, a job list by its first record, netstat
    /// or ss output by its first lines, else UTF-8 lines; then reads `bytes`, the file's bytes so
    /// far.
    fn decide_on(&mut self, bytes: &[u8]) {
        let head = &bytes[..bytes.len().min(HEAD_BYTES)];
        let order = Utf16::from_bom(head);
        if order.is_none() && crate::parse::capture::is_capture(head) {
            self.input = Input::Capture(Box::new(super::capture::CaptureScan::new(head)));
            return self.split(bytes);
        }
        let list = match order {
            Some(order) => jobs::sniff(&order.decode(head)).map(|form| jobs::JobListScanner::utf16(form, order)),
            None => jobs::sniff(head).map(jobs::JobListScanner::new),
        };
        if let Some(mut list) = list {
            list.feed(bytes);
            self.state.facts.encoding = order;
            self.input = Input::JobList(Box::new(list));
            return;
        }
        self.input = match order {
            None if super::netstat::is_netstat(head) => Input::Netstat(Box::default()),
            Some(order) => {
                self.state.facts.encoding = Some(order);
                self.state.every_line = true;
                Input::Utf16(Utf16Splitter::with_max_line(order, self.state.limits.line_bytes))
            }
            None => Input::Utf8(LineSplitter::with_max_line(self.state.limits.line_bytes)),
        };
        self.split(bytes);
    }

    fn split(&mut self, chunk: &[u8]) {
        if self.state.is_skipped() {
            return;
        }
        let (joiner, state) = (&mut self.joiner, &mut self.state);
        match &mut self.input {
            Input::Utf8(splitter) => {
                self.sniffer.feed(chunk);
                state.chunk_start = splitter.bytes();
                state.hits.clear();
                state.next_hit = 0;
                extract::hits(chunk, state.chunk_start, &mut state.hits);
                let sniffer = &self.sniffer;
                splitter.feed(chunk, |line| joiner.push(line, |piece| state.on_piece(piece, sniffer)));
            }
            Input::Utf16(splitter) => {
                let sniffer = &self.sniffer;
                splitter.feed(chunk, |line| joiner.push(line, |piece| state.on_piece(piece, sniffer)));
            }
            Input::Capture(scan) => scan.feed(chunk),
            Input::JobList(list) => list.feed(chunk),
            Input::Netstat(scan) => scan.feed(chunk),
            Input::Undecided(_) => {}
        }
    }

    /// Adds a note of the caller's (a read error, say) to the file's notes.
    pub fn note(&mut self, note: impl Into<String>) {
        self.state.extra_notes.push(note.into());
    }

    /// Ends the file and returns what it contributes.
    pub fn finish(self) -> FileFacts {
        self.finish_with_index().0
    }

    /// Ends the file; also returns its line index if one was asked for and the file is a log.
    pub fn finish_with_index(mut self) -> (FileFacts, Option<LineIndex>) {
        self.decide();
        if let Input::JobList(_) = self.input {
            return (self.finish_job_list(), None);
        }
        if matches!(self.input, Input::Netstat(_)) {
            if let Input::Netstat(scan) = std::mem::replace(&mut self.input, Input::Undecided(Vec::new())) {
                return (self.state.conclude_netstat(scan.finish()), None);
            }
        }
        if matches!(self.input, Input::Capture(_)) {
            if let Input::Capture(scan) = std::mem::replace(&mut self.input, Input::Undecided(Vec::new())) {
                return (self.state.conclude_capture(scan.finish()), None);
            }
        }
        let (joiner, state, sniffer) = (&mut self.joiner, &mut self.state, &self.sniffer);
        state.chunk_start = u64::MAX; // the last line was carried over: no chunk-wide hits for it
        let mut unterminated = false;
        if !state.is_skipped() {
            unterminated = match &mut self.input {
                Input::Utf8(s) => s.finish(|line| joiner.push(line, |piece| state.on_piece(piece, sniffer))),
                Input::Utf16(s) => s.finish(|line| joiner.push(line, |piece| state.on_piece(piece, sniffer))),
                Input::Undecided(_) | Input::Capture(_) | Input::JobList(_) | Input::Netstat(_) => false,
            };
            joiner.finish(|piece| state.on_piece(piece, sniffer));
        }
        state.counts.joined_records = joiner.joins;
        let mut timed = std::mem::take(&mut state.timed);
        state.clock.finish(&mut timed);
        state.take_timed(&mut timed);
        state.judge(sniffer);
        let mut index = self.state.index.take();
        let order = self.state.clock.order();
        let facts = self.state.conclude(unterminated);
        if let Some(index) = index.as_mut() {
            index.bytes = facts.bytes;
            index.date_order = order;
            index.encoding = facts.encoding;
            index.shrink();
        }
        let is_log = facts.format.is_log();
        (facts, index.filter(|_| is_log))
    }
}

impl FileScanner {
    /// A job list's facts: its jobs and how they were read, no log lines.
    fn finish_job_list(mut self) -> FileFacts {
        let Input::JobList(scanner) = std::mem::replace(&mut self.input, Input::Undecided(Vec::new())) else {
            return self.state.facts;
        };
        let lines = scanner.lines();
        let list = (*scanner).finish();
        let mut facts = self.state.facts;
        facts.format = FileFormat::JobList;
        facts.lines = lines;
        facts.notes = list.notes();
        facts.notes.append(&mut self.state.extra_notes);
        facts.digest = digest(&facts) ^ list.jobs.iter().fold(0u64, |h, j| h.rotate_left(7) ^ j.id);
        facts.job_list = Some(list);
        facts
    }
}

impl ScanState {
    fn is_skipped(&self) -> bool {
        matches!(self.verdict, Some(Verdict::Binary | Verdict::Known(_) | Verdict::Utf16))
    }

    /// Judges the first bytes once all lines that start within them have been seen.
    fn judge(&mut self, sniffer: &Sniffer) {
        if self.verdict.is_none() {
            self.verdict = Some(match self.facts.encoding {
                Some(_) => Verdict::Text,
                None => sniffer.verdict(self.facts.log_lines > 0),
            });
        }
    }

    /// A capture's facts: its connections and notes, no lines.
    fn conclude_capture(mut self, capture: super::capture::CaptureFacts) -> FileFacts {
        self.facts.format = FileFormat::Capture;
        self.facts.notes = capture.notes();
        self.facts.notes.append(&mut self.extra_notes);
        self.facts.capture = Some(Box::new(capture));
        self.facts.digest = digest(&self.facts);
        self.facts
    }

    /// A netstat file's facts: its connections and notes, no lines.
    fn conclude_netstat(mut self, netstat: super::netstat::NetstatFacts) -> FileFacts {
        self.facts.format = FileFormat::Netstat;
        self.facts.notes = netstat.notes();
        self.facts.notes.append(&mut self.extra_notes);
        self.facts.netstat = Some(Box::new(netstat));
        self.facts.digest = digest(&self.facts);
        self.facts
    }

    fn conclude(mut self, unterminated: bool) -> FileFacts {
        self.retention.finish(&mut self.facts.events);
        self.facts.signature_counts = self.retention.signature_counts();
        self.facts.successes = self.retention.successes();
        self.facts.caps_reached = self.reached.union(self.retention.reached);
        if self.clock.pending_cap_reached {
            self.facts.caps_reached.mark(Cap::PendingLines);
        }
        if !self.first_errors.is_empty() {
            // Error lines join the events in file order.
            let events = &mut self.facts.events;
            events.extend(self.first_errors.drain(..).chain(self.recent_errors.drain(..)));
            crate::order::sort_by_key(events, |e| (e.line, e.fact == Fact::ErrorLine));
        }
        self.facts.date_from_lines = match self.facts.meta.date {
            Some(_) => None,
            None => self.clock.first_date(),
        };
        self.facts.year_less = self.clock.year_less().filter(|_| self.facts.date_from_lines.is_none());
        self.facts.forms =
            LineForm::ALL.iter().zip(self.counts.forms).filter(|(_, n)| *n > 0).map(|(form, n)| (*form, n)).collect();
        let verdict = self.verdict.unwrap_or(Verdict::Text);
        self.facts.format = file_notes::format(&self.facts, verdict);
        if matches!(self.facts.format, FileFormat::Binary | FileFormat::RawVxul) {
            // Whatever was read before the verdict is dropped, so the result is the same
            // however the bytes arrived.
            let f = &mut self.facts;
            f.lines = 0;
            f.log_lines = 0;
            f.levels = Default::default();
            f.events.clear();
            f.signature_counts.clear();
            f.successes = 0;
            f.forms.clear();
            f.mentioned_status = None;
            f.first_ms = None;
            f.last_ms = None;
            f.last_long_gap = None;
            f.date_from_lines = None;
            f.year_less = None;
            self.process_votes.clear();
        }
        let notes = file_notes::notes(&self.facts, verdict, &self.counts, &self.clock.notes, unterminated);
        self.facts.notes = notes;
        self.facts.notes.append(&mut self.extra_notes);
        crate::order::sort_by(&mut self.process_votes, |a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        self.facts.process_from_lines = self.process_votes.first().map(|(name, _)| name.to_string());
        self.facts.digest = digest(&self.facts);
        self.facts
    }
}

impl LineItem {
    fn other(line: &RawLine<'_>) -> LineItem {
        LineItem {
            number: line.number,
            offset: line.offset,
            indexed: true,
            level: level::OTHER,
            timed: false,
            is_log: false,
            pid: 0,
            tid: None,
            thread_tid: None,
            log_level: 0,
            facts: Vec::new(),
        }
    }
}

/// A digest of what the file contributed: orders two files of the same path the same way in
/// every run. Mixes whole words (line numbers and times), not text, to stay off the hot path.
fn digest(f: &FileFacts) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |word: u64| h = (h ^ word).wrapping_mul(0x0000_0100_0000_01b3).rotate_left(29);
    eat(f.bytes);
    eat(f.lines);
    eat(f.first_ms.unwrap_or(-1) as u64);
    eat(f.last_ms.unwrap_or(-1) as u64);
    for e in &f.events {
        eat(e.line);
        eat(e.ms as u64);
    }
    if let Some(c) = &f.capture {
        eat(c.frames);
        eat(c.first_us.unwrap_or(-1) as u64);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::LevelCounts;
    use crate::input::lines::MAX_LINE;

    fn scan(path: &str, bytes: &[u8], chunk: usize) -> FileFacts {
        let mut s = FileScanner::new(path);
        for c in bytes.chunks(chunk.max(1)) {
            s.feed(c);
        }
        s.finish()
    }

    const SAMPLE: &[u8] = b"17:49:54.006 [5592.5372] <2> vnet_async_connect: ... 0: connect in progress: 1 0x00000001\r\n\
...snip...\r\n\
17:50:04.006 [5592.5372] <2> vnet_async_connect: ... 0: connect in progress: 2 0x00000002\r\n\
17:50:36.114 [5592.5372] <16> bpbrm handle_backup: cannot create data socket, The operation completed successfully. (0)\r\n";

    #[test]
    fn reads_events_and_counts() {
        let f = scan("media01/bpbrm/060311.log", SAMPLE, usize::MAX);
        assert_eq!(f.format, FileFormat::Legacy);
        assert_eq!((f.lines, f.log_lines), (4, 3));
        assert_eq!(f.levels, LevelCounts { info: 2, warning: 0, error: 1 });
        assert_eq!(f.events.len(), 4, "three facts and one error line");
        assert_eq!(f.events[3].fact, Fact::ErrorLine);
        assert_eq!(f.events[1].line, 3);
        assert_eq!(f.events[1].ms - f.events[0].ms, 10_000);
        assert_eq!(f.process_from_lines.as_deref(), Some("bpbrm"));
        assert_eq!(f.notes, vec!["1 elision mark (...snip...) left in a pasted copy: skipped."]);
    }

    #[test]
    fn same_facts_for_every_chunk_size() {
        let whole = scan("x/bpbrm/060311.log", SAMPLE, usize::MAX);
        for size in [1, 2, 7, 64, 65536] {
            assert_eq!(scan("x/bpbrm/060311.log", SAMPLE, size), whole, "chunk {size}");
        }
    }

    #[test]
    fn midnight_and_steps_back() {
        let text = b"23:59:58.000 [1] <2> a\n23:59:50.000 [1] <2> b\n00:00:03.000 [1] <2> c\n";
        let f = scan("bpcd/log.060311", text, 5);
        assert_eq!(f.first_ms, Some(86_398_000));
        assert_eq!(f.last_ms, Some(crate::vocab::time::MS_PER_DAY + 3000));
        assert!(f.notes.iter().any(|n| n.contains("past midnight 1 time")));
        assert!(f.notes.iter().any(|n| n.contains("steps back 1 time (the largest step 8.0 s at line 2)")));
    }

    #[test]
    fn binary_unknown_and_empty_files() {
        let png = scan("shot.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR17:49:54.006 [1] <2> x\n", 1);
        assert_eq!(png.format, FileFormat::Binary);
        assert_eq!((png.lines, png.events.len()), (0, 0));
        assert!(png.notes[0].contains("PNG image"));
        let nul = scan("core", &[0u8; 200_000], 4096);
        assert_eq!(nul.format, FileFormat::Binary);
        let prose = scan("notes.txt", b"Dear support,\nthe backup failed.\n", 3);
        assert_eq!(prose.format, FileFormat::UnknownText);
        assert_eq!(scan("e.log", b"", 3).format, FileFormat::Empty);
    }

    #[test]
    fn messy_text() {
        let mut bytes = b"\xEF\xBB\xBF17:00:00.000 [1] <2> bpcd main: caf\xE9\n".to_vec();
        bytes.extend(std::iter::repeat_n(b'z', MAX_LINE * 3));
        bytes.extend_from_slice(b"\n17:00:01.000 [1] <2> bpcd main: last line cut");
        let f = scan("bpcd.log", &bytes, 1000);
        assert_eq!(f.log_lines, 2);
        assert_eq!(f.process_from_lines.as_deref(), Some("bpcd"));
        let notes = f.notes.join("\n");
        assert!(notes.contains("No date in the file name"), "{notes}");
        assert!(notes.contains("1 line has bytes that are not valid UTF-8"), "{notes}");
        assert!(notes.contains("no line end"), "{notes}");
        assert!(notes.contains("1 line longer than 64 KiB (the longest 192 KiB) was read up to 64 KiB"), "{notes}");
    }

    #[test]
    fn utf16_is_read_with_offsets_of_the_file_as_stored() {
        let text = "1/19/2010 12:44:07.771 [Application] NB 51216 nbjm 117 PID:880 TID:3876 File ID:117 [reqid=-1] [Info] V-117-49 x\r\n12:43:08.415 [Debug] [CallbackQueue::queueRequest] queueing JL updateJobStatus : jobid=249061, birthtime=1221446343, status=40 -- retry count=-1(CallbackQueue.cpp:1212)\r\n";
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let whole = scan("primary/nbjm.txt", &bytes, usize::MAX);
        assert_eq!((whole.format, whole.log_lines), (FileFormat::Vxul, 2));
        assert_eq!(whole.encoding, Some(Utf16::Le));
        let status =
            whole.events.iter().find(|e| matches!(e.fact, Fact::ExitStatus { status: 40, .. })).expect("status 40");
        let second_line = 2 + 2 * (text.find('\n').unwrap() as u64 + 1);
        assert_eq!((status.line, status.offset), (2, second_line));
        for size in [1, 3, 64] {
            assert_eq!(scan("primary/nbjm.txt", &bytes, size), whole, "chunk {size}");
        }
    }
}
