//! The scanner's events: a line whose time is known goes into the index, the file's span, the
//! silence table of its thread and, with its facts, the events that retention keeps.

use super::{LineItem, ScanState};
use crate::facts::extract;
use crate::facts::limits::Cap;
use crate::facts::line_index::level;
use crate::facts::timing::When;
use crate::facts::{Event, Fact, Quiet};
use crate::input::lines::RawLine;
use crate::input::process;
use crate::parse::date::OrderHint;

impl ScanState {
    /// Hands a line to the clock, and takes every line whose time is now known.
    #[inline(always)]
    pub(super) fn push_item(&mut self, item: LineItem, when: When, hint: OrderHint) {
        if let Some(ms) = self.clock.now(item.number, when, hint) {
            self.take_one(item, ms);
            return;
        }
        let mut timed = std::mem::take(&mut self.timed);
        self.clock.push(item.number, when, hint, item, &mut timed);
        self.take_timed(&mut timed);
        self.timed = timed;
    }

    pub(super) fn take_timed(&mut self, timed: &mut Vec<(LineItem, Option<i64>)>) {
        for (item, ms) in timed.drain(..) {
            self.take_one(item, ms);
        }
    }

    /// A line whose time is known: into the index, the file's span and the events.
    #[inline(always)]
    pub(super) fn take_one(&mut self, item: LineItem, ms: Option<i64>) {
        self.take(item.number, item.offset, item.indexed, item.level, item.timed, item.is_log, ms);
        let quiet = ms.filter(|_| item.timed).and_then(|ms| {
            let line = RawLine { number: item.number, offset: item.offset, text: &[], len: 0, cut: false };
            self.thread_line(item.pid, item.thread_tid, ms, &line)
        });
        if !item.facts.is_empty() {
            self.take_facts(item.number, item.offset, item.pid, item.tid, item.log_level, item.facts, ms, quiet);
        }
    }

    /// A job id's first line has its time: kept for the job lists' clock (lines come in order).
    #[cold]
    fn first_job_time(&mut self, number: u64, ms: i64) {
        while let Some(&(line, job)) = self.first_job_lines.front() {
            if line > number {
                break;
            }
            self.first_job_lines.pop_front();
            if line == number {
                self.facts.job_first_ms.push((job, ms));
            }
        }
    }

    /// Remembers a thread's latest timed line; returns the silence since its line before.
    #[inline(always)]
    pub(super) fn thread_line(&mut self, pid: u32, tid: Option<u32>, ms: i64, line: &RawLine<'_>) -> Option<Quiet> {
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
    pub(super) fn take(
        &mut self,
        number: u64,
        offset: u64,
        indexed: bool,
        level: u8,
        timed: bool,
        is_log: bool,
        ms: Option<i64>,
    ) {
        if indexed {
            if let Some(index) = self.index.as_mut() {
                let line_level = if is_log { level } else { level::OTHER };
                index.push(number, offset, ms.filter(|_| is_log), line_level);
            }
        }
        if let (Some(ms), true) = (ms, timed) {
            self.facts.first_ms.get_or_insert(ms);
            let last = self.facts.last_ms.unwrap_or(ms);
            if ms - last >= crate::knowledge::MIN_SILENCE_MS {
                self.long_gap(number, offset, ms, ms - last);
            }
            self.facts.last_ms = Some(last.max(ms));
            if !self.first_job_lines.is_empty() {
                self.first_job_time(number, ms);
            }
        }
    }

    /// A long gap before this line (rare: off the per-line path).
    #[cold]
    #[inline(never)]
    fn long_gap(&mut self, line: u64, offset: u64, end_ms: i64, ms: i64) {
        self.facts.last_long_gap = Some(crate::facts::LongGap { ms, end_ms, line, offset });
    }

    /// A line's facts, as events.
    #[allow(clippy::too_many_arguments)]
    #[inline(never)]
    pub(super) fn take_facts(
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
    pub(super) fn keep_error(&mut self, event: Event) {
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
    pub(super) fn may_carry_fact(&mut self, line: &RawLine<'_>) -> bool {
        if line.offset < self.chunk_start {
            return true;
        }
        while self.hits.get(self.next_hit).is_some_and(|&hit| hit < line.offset) {
            self.next_hit += 1;
        }
        self.hits.get(self.next_hit).is_some_and(|&hit| hit < line.offset + line.len)
    }

    pub(super) fn vote_for_process(&mut self, body: &[u8]) {
        let end = memchr::memchr2(b' ', b':', body).unwrap_or(body.len());
        let word = &body[..end];
        let named = match self.last_word.named(word) {
            Some(named) => named,
            None => {
                let named = process::lookup(word).map(|(name, _)| name);
                self.last_word.keep(word, named);
                named
            }
        };
        if let Some(name) = named {
            self.vote(name);
        }
    }

    /// A line outside any log form that held a fact: the process it names (`bptm:4940:host:`,
    /// `Error bpbrm (PID=3899)`) is its signatures' own, and, in a file with no log line, a vote
    /// for the file's.
    pub(super) fn name_quoted_process(&mut self, text: &[u8], facts: &mut [Fact]) {
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
    pub(super) fn vote_for_accepting_process(&mut self, body: &[u8]) {
        let Some(at) = memchr::memmem::find(body, b" ACCEPT FROM ") else { return };
        let before = &body[..at];
        let start = before.iter().rposition(|&b| b == b' ').map_or(0, |p| p + 1);
        if let Some((name, _)) = process::lookup(&before[start..]) {
            self.vote(name);
        }
    }

    pub(super) fn vote(&mut self, name: &'static str) {
        match self.process_votes.iter_mut().find(|(n, _)| *n == name) {
            Some((_, count)) => *count += 1,
            None => self.process_votes.push((name, 1)),
        }
    }
}

/// The first word [`ScanState::vote_for_process`] looked up last, and the process it names (if
/// any). A log's lines mostly start with the same word, and looking it up each time (every
/// process name compared) made the vote 5.5% of the 64 MiB bench's instructions; a repeat now
/// costs one comparison (4.2% with it: BENCHMARKS.md, "Speed, issue 25").
/// Longer words are not kept (no process name is that long; they are looked up each time).
#[derive(Debug, Default)]
pub(super) struct LastWord {
    word: [u8; LastWord::MAX],
    len: Option<u8>,
    named: Option<&'static str>,
}

impl LastWord {
    const MAX: usize = 24;

    /// What `word` names, if it is the word kept: `Some(None)` for a word that names no process.
    fn named(&self, word: &[u8]) -> Option<Option<&'static str>> {
        let len = usize::from(self.len?);
        (word.len() == len && word == &self.word[..len]).then_some(self.named)
    }

    fn keep(&mut self, word: &[u8], named: Option<&'static str>) {
        if word.len() <= Self::MAX {
            self.word[..word.len()].copy_from_slice(word);
            self.len = Some(word.len() as u8);
            self.named = named;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::LastWord;

    #[test]
    fn the_last_word_answers_only_for_itself() {
        let mut last = LastWord::default();
        assert_eq!(last.named(b"bpbrm"), None, "nothing kept yet");
        last.keep(b"bpbrm", Some("bpbrm"));
        assert_eq!(last.named(b"bpbrm"), Some(Some("bpbrm")));
        assert_eq!(last.named(b"bpbr"), None);
        assert_eq!(last.named(b"bpbrmx"), None);
        last.keep(b"main", None);
        assert_eq!(last.named(b"main"), Some(None), "a word that names no process is kept too");
        assert_eq!(last.named(b"bpbrm"), None);
        let long = [b'a'; 25];
        last.keep(&long, None);
        assert_eq!(last.named(&long), None, "a word longer than any process name is not kept");
        assert_eq!(last.named(b"main"), Some(None));
    }
}
