//! The scanner's work on each line: the line split into records, each record counted and read
//! for its facts, then handed to the clock (`events.rs` takes it from there).

use super::{LineItem, ScanState, GLUED_CHECK_LEN, PROCESS_SAMPLE_LINES};
use crate::facts::file_notes;
use crate::facts::limits::Cap;
use crate::facts::line_index::level;
use crate::facts::records::{self, Piece};
use crate::facts::timing::When;
use crate::facts::{extract, keep_id, Fact};
use crate::input::lines::RawLine;
use crate::input::process;
use crate::input::sniff::{Sniffer, SNIFF_BYTES};
use crate::parse::date::OrderHint;
use crate::parse::legacy::Severity;
use crate::parse::{self, vxul, LineForm};

impl ScanState {
    #[inline]
    pub(super) fn on_piece(&mut self, piece: Piece<'_>, sniffer: &Sniffer) {
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

    pub(super) fn on_line(&mut self, line: RawLine<'_>) {
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
            if self.on_settings_line(&line, text) || self.on_command_line(&line, text) {
                return;
            }
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
                if item.facts.is_empty() {
                    item.facts.extend(extract::stated_status(text));
                }
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
    pub(super) fn on_glued(&mut self, line: &RawLine<'_>, text: &[u8], first: parse::LogLine<'_>, flagged: bool) {
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

    /// Counts a record (its form, level, how it was quoted) and gives its level in the index.
    #[inline(always)]
    pub(super) fn count_record<'t, R: parse::Record<'t>>(&mut self, line: &RawLine<'_>, log: &R) -> u8 {
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
        match log.severity() {
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
        }
    }

    /// Votes for the file's process with the first lines, and keeps the ids the record names.
    #[inline(always)]
    pub(super) fn note_process_and_ids<'t, R: parse::Record<'t>>(&mut self, log: &R, number: u64) {
        if self.facts.log_lines <= PROCESS_SAMPLE_LINES {
            match log.form() {
                LineForm::Vxul => {
                    let named = log.process().and_then(process::lookup).map(|(name, _)| name);
                    if let Some(name) = named.or_else(|| log.oid().and_then(vxul::originator_name)) {
                        self.vote(name);
                    }
                }
                // A Job Details or system-log line names the process it speaks for, not the file's.
                LineForm::JobDetails | LineForm::JobLog | LineForm::Syslog | LineForm::EventLog => {}
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
            let known = self.facts.job_ids.len();
            if !keep_id(&mut self.facts.job_ids, job, self.limits.kept_ids) {
                self.reached.mark(Cap::KeptIds);
            } else if self.facts.job_ids.len() > known {
                // The line that names the job first: its time, once known, can set this host's
                // clock against a job list's (`FileFacts::job_first_ms`).
                self.first_job_lines.push_back((number, job));
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
    }

    #[inline]
    pub(super) fn on_record<'t, R: parse::Record<'t>>(
        &mut self,
        line: &RawLine<'_>,
        log: &R,
        flagged: bool,
        indexed: bool,
    ) {
        let line_level = self.count_record(line, log);
        self.note_process_and_ids(log, line.number);
        let facts = record_facts(log, flagged);
        if facts.iter().any(|f| matches!(f, Fact::Accept { .. })) {
            self.vote_for_accepting_process(log.body());
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
}

/// A record's facts: its status, the fact its needle starts, the catalogue signatures it
/// matches, and whether it is an error line.
#[inline(always)]
fn record_facts<'t, R: parse::Record<'t>>(log: &R, flagged: bool) -> Vec<Fact> {
    let mut facts = Vec::new();
    let fact = match (log.status(), log.form()) {
        (Some(status), _) => Some(Fact::ExitStatus { status, process: None }),
        // nbjm's `updateJobStatus ... status=0` is not known to mean the job ended well: only its
        // failures count.
        (None, LineForm::Vxul) => vxul::job_status(log.body())
            .filter(|&status| status != 0)
            .map(|status| Fact::ExitStatus { status, process: None }),
        (None, _) if flagged => extract::fact(log.body()),
        (None, _) => None,
    };
    // A push, not `extend`: the worker's size-built code calls `extend` out of line for every line.
    if let Some(fact) = fact {
        facts.push(fact);
    }
    if let Some(Fact::ExitStatus { process, .. }) = facts.first_mut() {
        *process = own_process(log);
    }
    // Signatures are looked for where they can be: errors and warnings of the debug logs
    // (nearly every catalogue line there is one), the few signatures public debug logs show
    // at an information level (`info_lines`, whose anchors the chunk pass flags), and every
    // line of the other forms, whose levels say less (Job Details' `Info`, vxlogview's
    // Debug lines).
    let debug_log = matches!(log.form(), LineForm::Legacy | LineForm::Legacy12Hour | LineForm::LegacyNoTime);
    if !debug_log || log.severity() != Severity::Info || (flagged && extract::may_hold_info_line_signature(log.body()))
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
    if log.severity() == Severity::Error {
        facts.push(Fact::ErrorLine);
    }
    facts
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
