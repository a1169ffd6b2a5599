//! Scans one file's bytes, chunk by chunk, into [`FileFacts`].
//!
//! Invariants: never fails and never panics, whatever the bytes; keeps no file text beyond one
//! carried-over partial line and the lines that become events; gives the same result however
//! the bytes are chunked (every decision depends on byte and line positions, never on where a
//! chunk ends).

use super::line_index::{level, LineIndex, TimeDetail};
use super::retention::Retention;
use super::{extract, keep_id, Event, FileFacts, Format, LevelCounts, MAX_KEPT_IDS};
use crate::input::lines::{LineSplitter, RawLine, MAX_LINE};
use crate::input::path_meta::NameForm;
use crate::input::process;
use crate::input::sniff::{Sniffer, Verdict, SNIFF_BYTES};
use crate::parse::legacy::Severity;
use crate::parse::time::Date;
use crate::parse::time::{human_duration, DayCount, NEW_DAY_STEP_BACK_MS};
use crate::parse::{self, vxul, LineForm};

/// The process a file belongs to is read from its first lines.
const PROCESS_SAMPLE_LINES: u64 = 5000;
/// Steps back shorter than this are threads writing slightly out of order, not worth a note.
const NOTABLE_STEP_BACK_MS: i64 = 1000;

pub struct FileScanner {
    splitter: LineSplitter,
    sniffer: Sniffer,
    state: ScanState,
}

struct ScanState {
    facts: FileFacts,
    /// Set once the first [`SNIFF_BYTES`] have been judged.
    verdict: Option<Verdict>,
    clock: DayCount,
    step_backs: u64,
    largest_step_back: (i64, u64),
    other_lines: u64,
    cut_lines: u64,
    longest_line: u64,
    invalid_utf8_lines: u64,
    process_votes: Vec<(&'static str, u32)>,
    /// Notes from the caller, added after the scanner's own.
    extra_notes: Vec<String>,
    /// Kept only when a viewer asked for it.
    index: Option<LineIndex>,
    /// Decides which events are worth keeping.
    retention: Retention,
    /// Where the chunk being split starts in the file, and where in it a fact's needle starts
    /// (see [`extract::hits`]); `next_hit` is the first not yet passed.
    chunk_start: u64,
    hits: Vec<u64>,
    next_hit: usize,
    /// Lines read in each [`LineForm`].
    form_lines: [u64; 3],
    last_pid: u32,
    /// The facts of the line being read (kept to reuse its allocation).
    line_facts: Vec<super::Fact>,
}

impl FileScanner {
    /// Starts a file. `path` is how the caller names it: a relative path inside a bundle,
    /// a path on disk, or just a file name; folders in it name the host and the process.
    pub fn new(path: impl Into<String>) -> Self {
        FileScanner {
            splitter: LineSplitter::new(),
            sniffer: Sniffer::default(),
            state: ScanState {
                facts: FileFacts::new(path.into()),
                verdict: None,
                clock: DayCount::default(),
                step_backs: 0,
                largest_step_back: (0, 0),
                other_lines: 0,
                cut_lines: 0,
                longest_line: 0,
                invalid_utf8_lines: 0,
                process_votes: Vec::new(),
                extra_notes: Vec::new(),
                index: None,
                retention: Retention::default(),
                chunk_start: u64::MAX,
                hits: Vec::new(),
                next_hit: 0,
                form_lines: [0; 3],
                last_pid: u32::MAX,
                line_facts: Vec::new(),
            },
        }
    }

    /// Like [`FileScanner::new`], and also builds a [`LineIndex`] for a log viewer.
    pub fn with_line_index(path: impl Into<String>, detail: TimeDetail) -> Self {
        let mut scanner = Self::new(path);
        scanner.state.index = Some(LineIndex::new(detail));
        scanner
    }

    /// The path the file was started with.
    pub fn path(&self) -> &str {
        &self.state.facts.path
    }

    /// Feeds the next chunk of the file, of any size.
    pub fn feed(&mut self, chunk: &[u8]) {
        self.state.facts.bytes += chunk.len() as u64;
        if self.state.is_skipped() {
            return;
        }
        self.sniffer.feed(chunk);
        let state = &mut self.state;
        state.chunk_start = self.splitter.bytes();
        state.hits.clear();
        state.next_hit = 0;
        extract::hits(chunk, state.chunk_start, &mut state.hits);
        let sniffer = &self.sniffer;
        self.splitter.feed(chunk, |line| state.on_line(line, sniffer));
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
        let (sniffer, state) = (&self.sniffer, &mut self.state);
        state.chunk_start = u64::MAX; // the last line was carried over: no chunk-wide hits for it
        let unterminated = !state.is_skipped() && self.splitter.finish(|line| state.on_line(line, sniffer));
        state.judge(sniffer);
        let mut index = self.state.index.take();
        let facts = self.state.conclude(unterminated);
        if let Some(index) = index.as_mut() {
            index.bytes = facts.bytes;
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
            self.verdict = Some(sniffer.verdict(self.facts.log_lines > 0));
        }
    }

    fn on_line(&mut self, line: RawLine<'_>, sniffer: &Sniffer) {
        if self.verdict.is_none() && line.offset >= SNIFF_BYTES {
            self.judge(sniffer);
        }
        if self.is_skipped() {
            return;
        }
        self.facts.lines = line.number;
        if line.is_truncated() {
            self.cut_lines += 1;
        }
        self.longest_line = self.longest_line.max(line.len);
        let mut text = line.text;
        if line.number == 1 {
            text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text); // UTF-8 byte order mark
        }
        let Some(log) = parse::log_line(text) else {
            if !text.is_empty() {
                self.other_lines += 1;
            }
            if let Some(index) = self.index.as_mut() {
                index.push(line.number, line.offset, None, level::OTHER);
            }
            return;
        };
        self.facts.log_lines += 1;
        self.form_lines[log.form as usize] += 1;
        if !log.body.is_ascii() && std::str::from_utf8(log.body).is_err() {
            self.invalid_utf8_lines += 1;
        }
        let ms = match log.date {
            Some(date) => self.dated_ms(date, i64::from(log.ms_of_day)),
            None => self.file_ms(i64::from(log.ms_of_day), line.number),
        };
        self.facts.first_ms.get_or_insert(ms);
        self.facts.last_ms = Some(self.facts.last_ms.map_or(ms, |last| last.max(ms)));

        let line_level = match log.severity {
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
        if let Some(index) = self.index.as_mut() {
            index.push(line.number, line.offset, Some(ms), line_level);
        }
        if self.facts.log_lines <= PROCESS_SAMPLE_LINES {
            match log.form {
                LineForm::Legacy => self.vote_for_process(log.body),
                LineForm::Vxul => {
                    let named = log.process.and_then(process::lookup).map(|(name, _)| name);
                    if let Some(name) = named.or_else(|| log.oid.and_then(vxul::originator_name)) {
                        self.vote(name);
                    }
                }
                LineForm::JobDetails => {}
            }
        }
        if log.pid != self.last_pid {
            self.last_pid = log.pid;
            keep_id(&mut self.facts.pids, log.pid);
        }
        if let Some(job) = log.job_id {
            keep_id(&mut self.facts.job_ids, job);
        }
        if let (Some(process), LineForm::JobDetails) = (log.process, log.form) {
            if self.facts.named_pids.len() < MAX_KEPT_IDS {
                let named = (String::from_utf8_lossy(process).to_ascii_lowercase(), log.pid);
                if !self.facts.named_pids.contains(&named) {
                    self.facts.named_pids.push(named);
                }
            }
        }
        let flagged = self.may_carry_fact(&line);
        let mut facts = std::mem::take(&mut self.line_facts);
        let fact = match (log.status, log.form) {
            (Some(status), _) => Some(super::Fact::ExitStatus { status }),
            (None, LineForm::Vxul) => vxul::job_status(log.body).map(|status| super::Fact::ExitStatus { status }),
            (None, _) if flagged => extract::fact(log.body),
            (None, _) => None,
        };
        facts.extend(fact);
        if flagged {
            let before = facts.len();
            extract::signatures(log.body, &mut facts);
            if facts.len() > before {
                let named = named_process(&log);
                for fact in &mut facts[before..] {
                    if let super::Fact::Signature { process, .. } = fact {
                        process.clone_from(&named);
                    }
                }
            }
        }
        for fact in facts.drain(..) {
            if let super::Fact::Accept { .. } = fact {
                self.vote_for_accepting_process(log.body);
            }
            let event = Event {
                line: line.number,
                offset: line.offset,
                ms,
                pid: log.pid,
                tid: log.tid,
                level: log.level,
                fact,
            };
            self.retention.push(event, &mut self.facts.events);
        }
        self.line_facts = facts;
    }

    /// Whether a needle starts inside `line`, by the chunk-wide hits. A line that began in an
    /// earlier chunk was not searched as a whole there, so it may.
    fn may_carry_fact(&mut self, line: &RawLine<'_>) -> bool {
        if line.offset < self.chunk_start {
            return true;
        }
        while self.hits.get(self.next_hit).is_some_and(|&hit| hit < line.offset) {
            self.next_hit += 1;
        }
        self.hits.get(self.next_hit).is_some_and(|&hit| hit < line.offset + line.len)
    }

    /// File-relative milliseconds of a line that carries its own date. The file's day 0 is the
    /// date in its name, or else the first dated line's.
    fn dated_ms(&mut self, date: Date, ms_of_day: i64) -> i64 {
        let day0 = match (self.facts.meta.date, self.facts.date_from_lines) {
            (Some(named), _) => named,
            (None, Some(first)) => first,
            (None, None) => *self.facts.date_from_lines.insert(date),
        };
        self.clock.dated(date.days_since_epoch() - day0.days_since_epoch(), ms_of_day)
    }

    /// Turns a line's time of day into file-relative milliseconds, counting midnights.
    fn file_ms(&mut self, ms_of_day: i64, line: u64) -> i64 {
        let (ms, step_back) = self.clock.undated(ms_of_day);
        if step_back > NOTABLE_STEP_BACK_MS && step_back <= NEW_DAY_STEP_BACK_MS {
            self.step_backs += 1;
            if step_back > self.largest_step_back.0 {
                self.largest_step_back = (step_back, line);
            }
        }
        ms
    }

    fn vote_for_process(&mut self, body: &[u8]) {
        let end = body.iter().position(|&b| b == b' ' || b == b':').unwrap_or(body.len());
        if let Some((name, _)) = process::lookup(&body[..end]) {
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
        let f = &mut self.facts;
        let verdict = self.verdict.unwrap_or(Verdict::Text);
        let raw_vxul = match f.meta.form {
            NameForm::Vxul { originator } => Some(originator),
            _ => None,
        };
        f.format = match verdict {
            _ if f.bytes == 0 => Format::Empty,
            Verdict::Text if f.log_lines > 0 => {
                // The form most lines are in.
                let [legacy, vxul, job_details] = self.form_lines;
                if vxul > legacy && vxul >= job_details {
                    Format::Vxul
                } else if job_details > legacy && job_details > vxul {
                    Format::JobDetails
                } else {
                    Format::Legacy
                }
            }
            _ if raw_vxul.is_some() => Format::RawVxul,
            Verdict::Text => Format::UnknownText,
            _ => Format::Binary,
        };
        let notes = &mut f.notes;
        match (f.format, verdict) {
            (Format::Empty, _) => notes.push("The file is empty.".into()),
            (Format::Binary, Verdict::Known(what)) => {
                notes.push(format!("This is {what}, not a text log: skipped."));
            }
            (Format::Binary, Verdict::Utf16) => notes.push(
                "UTF-16 text (as saved by some Windows editors): not read. Analyze the original log, or save it as UTF-8."
                    .into(),
            ),
            (Format::Binary, _) => notes.push("Not a text file (binary content): skipped.".into()),
            (Format::UnknownText, _) => notes.push(
                "No line in the NetBackup debug-log form (HH:MM:SS.mmm [pid] <level> text): nothing was read from this file."
                    .into(),
            ),
            (Format::RawVxul, _) => {
                let originator = raw_vxul.unwrap_or_default();
                let name = vxul::originator_name(originator).unwrap_or("process");
                notes.push(format!(
                    "A raw unified log (VxUL) of {name} (originator {originator}): its binary form cannot be read here. On the NetBackup host, convert it to text with `vxlogview -d all -i {originator} > {name}.txt` and add that file."
                ));
            }
            (Format::Legacy | Format::Vxul | Format::JobDetails | Format::Archive, _) => {}
        }
        if matches!(f.format, Format::Binary | Format::RawVxul) {
            // Whatever was read before the verdict is dropped, so the result is the same
            // however the bytes arrived.
            f.lines = 0;
            f.log_lines = 0;
            f.levels = LevelCounts::default();
            f.events.clear();
            f.signature_counts.clear();
            f.first_ms = None;
            f.last_ms = None;
            self.process_votes.clear();
        }
        if f.format.is_log() {
            if f.meta.date.is_none() && f.date_from_lines.is_none() {
                notes.push(
                    "No date in the file name (log.mmddyy, mmddyy.log or *.mmddyy_nnnnn.log): its lines carry only a time of day."
                        .into(),
                );
            }
            if self.clock.days() > 0 {
                notes.push(format!(
                    "The file runs past midnight {} time{}: later lines are dated the next day.",
                    self.clock.days(),
                    plural(self.clock.days() as u64)
                ));
            }
            if self.step_backs > 0 {
                notes.push(format!(
                    "Time steps back {} time{} (the largest step {} at line {}): lines may be out of order or the clock was changed.",
                    self.step_backs,
                    plural(self.step_backs),
                    human_duration(self.largest_step_back.0),
                    self.largest_step_back.1
                ));
            }
            if self.other_lines > 0 {
                notes.push(format!(
                    "{} line{} not in the debug-log form (continuations or damage): kept in the file, not analyzed.",
                    self.other_lines,
                    plural_verb(self.other_lines, "is", "are")
                ));
            }
            if self.invalid_utf8_lines > 0 {
                notes.push(format!(
                    "{} line{} bytes that are not valid UTF-8; they are shown as \u{FFFD}.",
                    self.invalid_utf8_lines,
                    plural_verb(self.invalid_utf8_lines, "has", "have")
                ));
            }
            if unterminated {
                notes.push(
                    "The last line has no line end: the file may have been cut off while it was written or copied."
                        .into(),
                );
            }
        }
        if self.cut_lines > 0 && f.format != Format::Binary {
            notes.push(format!(
                "{} line{} longer than {} KiB (the longest {} KiB) {} read up to {} KiB.",
                self.cut_lines,
                plural(self.cut_lines),
                MAX_LINE / 1024,
                self.longest_line.div_ceil(1024),
                if self.cut_lines == 1 { "was" } else { "were" },
                MAX_LINE / 1024
            ));
        }
        f.notes.append(&mut self.extra_notes);
        self.process_votes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        f.process_from_lines = self.process_votes.first().map(|(name, _)| name.to_string());
        f.digest = digest(f);
        self.facts
    }
}

/// The process a line names itself: a Job Details or vxlogview process, or a debug line's leading
/// process name (`bpbkar: ERR - ...`).
fn named_process(log: &parse::LogLine<'_>) -> Option<String> {
    let token = match log.process {
        Some(p) => p,
        None => {
            let end = log.body.iter().position(|&b| b == b' ' || b == b':').unwrap_or(log.body.len());
            &log.body[..end]
        }
    };
    process::lookup(token).map(|(name, _)| name.to_string())
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn plural_verb(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", plural(n), if n == 1 { one } else { many })
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
        assert_eq!(f.format, Format::Legacy);
        assert_eq!((f.lines, f.log_lines), (4, 3));
        assert_eq!(f.levels, LevelCounts { info: 2, warning: 0, error: 1 });
        assert_eq!(f.events.len(), 3);
        assert_eq!(f.events[1].line, 3);
        assert_eq!(f.events[1].ms - f.events[0].ms, 10_000);
        assert_eq!(f.process_from_lines.as_deref(), Some("bpbrm"));
        assert_eq!(
            f.notes,
            vec!["1 line is not in the debug-log form (continuations or damage): kept in the file, not analyzed."]
        );
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
        assert_eq!(f.last_ms, Some(crate::parse::time::MS_PER_DAY + 3000));
        assert!(f.notes.iter().any(|n| n.contains("past midnight 1 time")));
        assert!(f.notes.iter().any(|n| n.contains("steps back 1 time (the largest step 8.0 s at line 2)")));
    }

    #[test]
    fn binary_unknown_and_empty_files() {
        let png = scan("shot.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR17:49:54.006 [1] <2> x\n", 1);
        assert_eq!(png.format, Format::Binary);
        assert_eq!((png.lines, png.events.len()), (0, 0));
        assert!(png.notes[0].contains("PNG image"));
        let nul = scan("core", &[0u8; 200_000], 4096);
        assert_eq!(nul.format, Format::Binary);
        let prose = scan("notes.txt", b"Dear support,\nthe backup failed.\n", 3);
        assert_eq!(prose.format, Format::UnknownText);
        assert_eq!(scan("e.log", b"", 3).format, Format::Empty);
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
}
