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

use super::file_notes;
use super::limits::{Cap, CapsReached, Limits};
use super::line_index::{level, LineIndex, TimeDetail};
use super::records::{self, Joiner, Piece};
use super::retention::Retention;
use super::timing::{LineClock, When};
use super::{extract, keep_id, Event, Fact, FileFacts, Quiet};
use crate::input::lines::{LineSplitter, RawLine};
use crate::input::process;
use crate::input::sniff::{Sniffer, Verdict, SNIFF_BYTES};
use crate::input::utf16::{Utf16, Utf16Splitter};
use crate::parse::date::OrderHint;
use crate::parse::legacy::Severity;
use crate::parse::{self, vxul, LineForm};
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
    /// Fewer than two bytes seen: a byte order mark may still come.
    Undecided(Vec<u8>),
    Utf8(LineSplitter),
    Utf16(Utf16Splitter),
}

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
        if let Input::Undecided(head) = &mut self.input {
            head.extend_from_slice(chunk);
            if head.len() < 2 {
                return;
            }
            let head = std::mem::take(head);
            self.input = match Utf16::from_bom(&head) {
                Some(order) => {
                    self.state.facts.encoding = Some(order);
                    self.state.every_line = true;
                    Input::Utf16(Utf16Splitter::with_max_line(order, self.state.limits.line_bytes))
                }
                None => Input::Utf8(LineSplitter::with_max_line(self.state.limits.line_bytes)),
            };
            self.split(&head);
        } else {
            self.split(chunk);
        }
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
        if let Input::Undecided(head) = &mut self.input {
            let head = std::mem::take(head);
            self.input = Input::Utf8(LineSplitter::with_max_line(self.state.limits.line_bytes));
            self.split(&head);
        }
        let (joiner, state, sniffer) = (&mut self.joiner, &mut self.state, &self.sniffer);
        state.chunk_start = u64::MAX; // the last line was carried over: no chunk-wide hits for it
        let mut unterminated = false;
        if !state.is_skipped() {
            unterminated = match &mut self.input {
                Input::Utf8(s) => s.finish(|line| joiner.push(line, |piece| state.on_piece(piece, sniffer))),
                Input::Utf16(s) => s.finish(|line| joiner.push(line, |piece| state.on_piece(piece, sniffer))),
                Input::Undecided(_) => false,
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

    #[inline]
    fn on_piece(&mut self, piece: Piece<'_>, sniffer: &Sniffer) {
        let (line, joined) = match piece {
            Piece::Line(line) => (line, false),
            Piece::Joined(line) => (line, true),
        };
        if self.verdict.is_none() && line.offset >= SNIFF_BYTES {
            self.judge(sniffer);
        }
        if self.is_skipped() {
            return;
        }
        self.facts.lines = self.facts.lines.max(line.number);
        if line.is_truncated() {
            self.reached.mark(Cap::LineBytes);
            self.counts.cut_lines += 1;
        }
        self.counts.longest_line = self.counts.longest_line.max(line.len);
        if joined {
            // The continuation of the record before: in the file (and the viewer), read already.
            self.push_item(LineItem::other(&line), When::Other, OrderHint::Either);
            return;
        }
        self.on_line(line);
    }

    fn on_line(&mut self, line: RawLine<'_>) {
        let mut text = line.text;
        if line.number == 1 {
            text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text); // UTF-8 byte order mark
        }
        // A record joined from two lines is longer than its first line: the chunk pass saw it in two parts.
        let joined = line.text.len() as u64 > line.len;
        let flagged = self.every_line || joined || self.may_carry_fact(&line);
        // The usual debug-log line, read straight from its header (no glued records in short info lines).
        if let Some(record) = parse::debug_record(text, flagged) {
            if text.len() < GLUED_CHECK_LEN && record.severity == Severity::Info {
                self.on_record(&line, &record, flagged, true);
                return;
            }
        }
        let Some(first) = parse::scan_line(text, self.previous_form, flagged) else {
            if file_notes::is_elision(text) {
                self.counts.elisions += 1;
            } else if !parse::scan_trim_end(text).is_empty() {
                self.counts.other_lines += 1;
                // The first status named, or a later one that the status table lists.
                if self.facts.log_lines == 0 && !self.facts.mentioned_status.is_some_and(parse::status::is_listed) {
                    if let Some(code) = parse::status::mentioned(text) {
                        if self.facts.mentioned_status.is_none() || parse::status::is_listed(code) {
                            self.facts.mentioned_status = Some(code);
                        }
                    }
                }
            }
            let mut item = LineItem::other(&line);
            if !text.is_empty() {
                // A wrapped message's continuation, or a message quoted without its log header,
                // can still hold a signature's line or a process's exit status.
                extract::signatures(text, &mut item.facts);
                item.facts.extend(extract::quoted_exit_status(text));
                if !item.facts.is_empty() {
                    self.name_quoted_process(text, &mut item.facts);
                    self.push_item(item, When::Continuation, OrderHint::Either);
                    return;
                }
            }
            self.push_item(item, When::Other, OrderHint::Either);
            return;
        };
        // Records glued into one line are read one by one. Only lines that can hold them are searched:
        // long ones, and errors and warnings (what people quote), whatever their length.
        let search_glued = text.len() >= GLUED_CHECK_LEN || first.severity != Severity::Info;
        if search_glued {
            self.on_glued(&line, text, first, flagged);
        } else {
            self.on_record(&line, &first, flagged, true);
        }
    }

    /// A line that may hold records glued together: each is read as a record of the line.
    #[inline(never)]
    fn on_glued(&mut self, line: &RawLine<'_>, text: &[u8], first: parse::LogLine<'_>, flagged: bool) {
        let mut rest = text;
        let mut log = first;
        let mut indexed = true;
        loop {
            let body_start = log.body.as_ptr() as usize - rest.as_ptr() as usize;
            let glued = records::glued_at(rest, body_start);
            match glued.and_then(|at| parse::log_line_after(&rest[..at], self.previous_form)) {
                Some(record) => self.on_record(line, &record, flagged, indexed),
                None => self.on_record(line, &log, flagged, indexed),
            }
            indexed = false;
            let Some(at) = glued else { break };
            rest = &rest[at..];
            let Some(next) = parse::log_line_after(rest, self.previous_form) else { break };
            self.counts.glued_records += 1;
            log = next;
        }
    }

    #[inline]
    fn on_record<'t, R: parse::Record<'t>>(&mut self, line: &RawLine<'_>, log: &R, flagged: bool, indexed: bool) {
        self.facts.log_lines += 1;
        self.counts.forms[log.form() as usize] += 1;
        self.previous_form = Some(log.form());
        if log.prefix() > 0 {
            if parse::quote_indent(line.text).is_some() {
                self.counts.indented += 1;
            } else {
                self.counts.grep_prefixed += 1;
            }
        }
        if !log.body().is_ascii() && std::str::from_utf8(log.body()).is_err() {
            self.counts.invalid_utf8_lines += 1;
        }
        let line_level = match log.severity() {
            Severity::Info => {
                self.facts.levels.info += 1;
                level::INFO
            }
            Severity::Warning => {
                self.facts.levels.warning += 1;
                level::WARNING
            }
            Severity::Error => {
                self.facts.levels.error += 1;
                level::ERROR
            }
        };
        if self.facts.log_lines <= PROCESS_SAMPLE_LINES {
            match log.form() {
                LineForm::Vxul => {
                    let named = log.process().and_then(process::lookup).map(|(name, _)| name);
                    if let Some(name) = named.or_else(|| log.oid().and_then(vxul::originator_name)) {
                        self.vote(name);
                    }
                }
                LineForm::JobDetails | LineForm::JobLog => {}
                _ => self.vote_for_process(log.body()),
            }
        }
        if log.pid() != self.last_pid {
            self.last_pid = log.pid();
            if log.pid() != 0 && !keep_id(&mut self.facts.pids, log.pid(), self.limits.kept_ids) {
                self.reached.mark(Cap::KeptIds);
            }
        }
        if let Some(job) = log.job_id() {
            if !keep_id(&mut self.facts.job_ids, job, self.limits.kept_ids) {
                self.reached.mark(Cap::KeptIds);
            }
        }
        if log.form() == LineForm::JobDetails {
            if let (Some(process), true) = (log.process(), log.pid() != 0) {
                let named = (String::from_utf8_lossy(process).to_ascii_lowercase(), log.pid());
                if !self.facts.named_pids.contains(&named) {
                    if self.facts.named_pids.len() < self.limits.kept_ids {
                        self.facts.named_pids.push(named);
                    } else {
                        self.reached.mark(Cap::KeptIds);
                    }
                }
            }
        }

        let mut facts = Vec::new();
        let fact = match (log.status(), log.form()) {
            (Some(status), _) => Some(Fact::ExitStatus { status, process: None }),
            (None, LineForm::Vxul) => {
                vxul::job_status(log.body()).map(|status| Fact::ExitStatus { status, process: None })
            }
            (None, _) if flagged => extract::fact(log.body()),
            (None, _) => None,
        };
        facts.extend(fact);
        if let Some(Fact::ExitStatus { process, .. }) = facts.first_mut() {
            *process = own_process(log);
        }
        // Signatures are looked for where they can be: errors and warnings of the debug logs
        // (nearly every catalogue line there is one), the few signatures public debug logs show
        // at an information level (`info_lines`, whose anchors the chunk pass flags), and every
        // line of the other forms, whose levels say less (Job Details' `Info`, vxlogview's
        // Debug lines).
        let debug_log = matches!(log.form(), LineForm::Legacy | LineForm::Legacy12Hour | LineForm::LegacyNoTime);
        if !debug_log
            || log.severity() != Severity::Info
            || (flagged && extract::may_hold_info_line_signature(log.body()))
        {
            let before = facts.len();
            extract::signatures(log.body(), &mut facts);
            if facts.len() > before {
                let named = own_process(log);
                for fact in &mut facts[before..] {
                    if let Fact::Signature { process, .. } = fact {
                        process.clone_from(&named);
                    }
                }
            }
        }
        for fact in &facts {
            if let Fact::Accept { .. } = fact {
                self.vote_for_accepting_process(log.body());
            }
        }
        if log.severity() == Severity::Error {
            facts.push(Fact::ErrorLine);
        }
        let (when, hint) = match (log.time(), log.date()) {
            (Some(ms), None) => (When::Time(ms), OrderHint::Either),
            (Some(ms), Some((date, hint))) => (When::Dated(date, ms), hint),
            (None, _) => (When::NoTime, OrderHint::Either),
        };
        if let Some(ms) = self.clock.now(line.number, when, hint) {
            // Nearly every line: its time is known at once, no line item is needed.
            self.take(line.number, line.offset, indexed, line_level, log.time().is_some(), true, ms);
            let quiet = ms
                .filter(|_| log.time().is_some())
                .and_then(|ms| self.thread_line(log.pid(), thread_tid(log), ms, line));
            if !facts.is_empty() {
                self.take_facts(line.number, line.offset, log.pid(), log.tid(), log.level(), facts, ms, quiet);
            }
            return;
        }
        let item = LineItem {
            number: line.number,
            offset: line.offset,
            indexed,
            level: line_level,
            timed: log.time().is_some(),
            is_log: true,
            pid: log.pid(),
            tid: log.tid(),
            thread_tid: thread_tid(log),
            log_level: log.level(),
            facts,
        };
        self.push_item(item, when, hint);
    }

    /// Hands a line to the clock, and takes every line whose time is now known.
    #[inline(always)]
    fn push_item(&mut self, item: LineItem, when: When, hint: OrderHint) {
        if let Some(ms) = self.clock.now(item.number, when, hint) {
            self.take_one(item, ms);
            return;
        }
        let mut timed = std::mem::take(&mut self.timed);
        self.clock.push(item.number, when, hint, item, &mut timed);
        self.take_timed(&mut timed);
        self.timed = timed;
    }

    fn take_timed(&mut self, timed: &mut Vec<(LineItem, Option<i64>)>) {
        for (item, ms) in timed.drain(..) {
            self.take_one(item, ms);
        }
    }

    /// A line whose time is known: into the index, the file's span and the events.
    #[inline(always)]
    fn take_one(&mut self, item: LineItem, ms: Option<i64>) {
        self.take(item.number, item.offset, item.indexed, item.level, item.timed, item.is_log, ms);
        let quiet = ms.filter(|_| item.timed).and_then(|ms| {
            let line = RawLine { number: item.number, offset: item.offset, text: &[], len: 0, cut: false };
            self.thread_line(item.pid, item.thread_tid, ms, &line)
        });
        if !item.facts.is_empty() {
            self.take_facts(item.number, item.offset, item.pid, item.tid, item.log_level, item.facts, ms, quiet);
        }
    }

    /// Remembers a thread's latest timed line; returns the silence since its line before.
    #[inline(always)]
    fn thread_line(&mut self, pid: u32, tid: Option<u32>, ms: i64, line: &RawLine<'_>) -> Option<Quiet> {
        let key = u64::from(pid) << 32 | u64::from(tid.unwrap_or(u32::MAX));
        let mask = self.threads.len() - 1;
        let slot = &mut self.threads[(pid ^ tid.unwrap_or(0).rotate_left(7)) as usize & mask];
        let before = if slot.0 == key {
            Some(Quiet { ms: ms - slot.1, line: slot.2, offset: slot.3 })
        } else {
            if slot.0 != u64::MAX {
                self.reached.mark(Cap::ThreadSlots);
            }
            None
        };
        *slot = (key, ms, line.number, line.offset);
        before
    }

    /// A line into the index and the file's span.
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn take(&mut self, number: u64, offset: u64, indexed: bool, level: u8, timed: bool, is_log: bool, ms: Option<i64>) {
        if indexed {
            if let Some(index) = self.index.as_mut() {
                let line_level = if is_log { level } else { level::OTHER };
                index.push(number, offset, ms.filter(|_| is_log), line_level);
            }
        }
        if let (Some(ms), true) = (ms, timed) {
            self.facts.first_ms.get_or_insert(ms);
            self.facts.last_ms = Some(self.facts.last_ms.map_or(ms, |last| last.max(ms)));
        }
    }

    /// A line's facts, as events.
    #[allow(clippy::too_many_arguments)]
    #[inline(never)]
    fn take_facts(
        &mut self,
        line: u64,
        offset: u64,
        pid: u32,
        tid: Option<u32>,
        level: u16,
        facts: Vec<Fact>,
        ms: Option<i64>,
        quiet: Option<Quiet>,
    ) {
        let Some(ms) = ms else { return };
        for fact in facts {
            let event = Event { line, offset, ms, pid, tid, level, fact, quiet };
            if event.fact == Fact::ErrorLine {
                self.keep_error(event);
            } else {
                self.retention.push(event, &mut self.facts.events);
            }
        }
    }

    /// Keeps an error line if it is among the file's first or, so far, its latest.
    fn keep_error(&mut self, event: Event) {
        if self.first_errors.len() < self.limits.error_lines {
            self.first_errors.push(event);
        } else {
            if self.recent_errors.len() == self.limits.error_lines {
                self.reached.mark(Cap::ErrorLines);
                self.recent_errors.pop_front();
            }
            self.recent_errors.push_back(event);
        }
    }

    /// Whether a needle starts inside `line`, by the chunk-wide hits. A line that began in an
    /// earlier chunk was not searched as a whole there, so it may.
    #[inline]
    fn may_carry_fact(&mut self, line: &RawLine<'_>) -> bool {
        if line.offset < self.chunk_start {
            return true;
        }
        while self.hits.get(self.next_hit).is_some_and(|&hit| hit < line.offset) {
            self.next_hit += 1;
        }
        self.hits.get(self.next_hit).is_some_and(|&hit| hit < line.offset + line.len)
    }

    fn vote_for_process(&mut self, body: &[u8]) {
        let end = body.iter().position(|&b| b == b' ' || b == b':').unwrap_or(body.len());
        if let Some((name, _)) = process::lookup(&body[..end]) {
            self.vote(name);
        }
    }

    /// A line outside any log form that held a fact: the process it names (`bptm:4940:host:`,
    /// `Error bpbrm (PID=3899)`) is its signatures' own, and, in a file with no log line, a vote
    /// for the file's.
    fn name_quoted_process(&mut self, text: &[u8], facts: &mut [Fact]) {
        let Some(name) = extract::quoted_process(text) else { return };
        for fact in facts.iter_mut() {
            if let Fact::Signature { process: process @ None, .. } | Fact::ExitStatus { process: process @ None, .. } =
                fact
            {
                *process = Some(name.to_string());
            }
        }
        if self.facts.log_lines == 0 {
            self.vote(name);
        }
    }

    /// `VNETD ACCEPT FROM`, `BPCD ACCEPT FROM`: the accepting process names itself.
    fn vote_for_accepting_process(&mut self, body: &[u8]) {
        let Some(at) = memchr::memmem::find(body, b" ACCEPT FROM ") else { return };
        let before = &body[..at];
        let start = before.iter().rposition(|&b| b == b' ').map_or(0, |p| p + 1);
        if let Some((name, _)) = process::lookup(&before[start..]) {
            self.vote(name);
        }
    }

    fn vote(&mut self, name: &'static str) {
        match self.process_votes.iter_mut().find(|(n, _)| *n == name) {
            Some((_, count)) => *count += 1,
            None => self.process_votes.push((name, 1)),
        }
    }

    fn conclude(mut self, unterminated: bool) -> FileFacts {
        self.retention.finish(&mut self.facts.events);
        self.facts.signature_counts = self.retention.signature_counts();
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
            f.forms.clear();
            f.mentioned_status = None;
            f.first_ms = None;
            f.last_ms = None;
            f.date_from_lines = None;
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

/// The thread whose silence a line ends: `[pid.tid]` in debug logs; the process in unified logs,
/// whose threads share one job's work (nbjm's last activity and its reaction to a dropped
/// connection come from different threads, Veritas 100001028).
fn thread_tid<'t>(log: &impl parse::Record<'t>) -> Option<u32> {
    if log.form() == LineForm::Vxul {
        None
    } else {
        log.tid()
    }
}

/// The process that wrote a line, as the line names it: [`named_process`], except that
/// `bpbrm (pid=N) from client c1: ERR - ...` relays the client's line, which bpbrm did not write.
fn own_process<'t>(log: &impl parse::Record<'t>) -> Option<String> {
    named_process(log).filter(|_| !log.body().starts_with(b"from client "))
}

/// The process a line names itself: a Job Details or vxlogview process, or a debug line's leading
/// process name (`bpbkar: ERR - ...`).
fn named_process<'t>(log: &impl parse::Record<'t>) -> Option<String> {
    let token = match log.process() {
        Some(p) => p,
        None => {
            let body = log.body();
            let end = body.iter().position(|&b| b == b' ' || b == b':').unwrap_or(body.len());
            &body[..end]
        }
    };
    process::lookup(token).map(|(name, _)| name.to_string())
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
