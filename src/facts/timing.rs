//! Gives each line its time, in milliseconds from the file's day 0, as the scanner and the log
//! viewer both need it. A line's time can wait for later lines:
//! - a numeric date whose first two numbers are both 12 or less (`05/02/2013`) waits until a
//!   line of the file settles the order (`10/14/2018` is month first, `29/01/2021` day first);
//! - a date with no year (`February 08`) waits for a year (the file name's or a dated line's);
//!   with none, its days are counted from the file's first such line (`year_less`), a new year
//!   when the month steps back, and the year is borrowed from the other files afterwards;
//! - a line quoted without its time takes the time of the line before it, or, at the start of
//!   a file, of the first line after it that has one.
//!
//! Lines wait in order, at most [`PENDING_CAP`] of them: past that, or at the end of the file,
//! what is still open is decided the usual way (slashes month first, dots day first; no year:
//! month and day counted as above; no time anywhere: 00:00 of day 0) and the file's notes say so.

use super::year_less::{YearLess, YearLessDays};
use crate::parse::date::{DateOrder, LineDate, OrderHint};
use crate::vocab::time::{Date, DayCount, MS_PER_DAY, NEW_DAY_STEP_BACK_MS};
use std::collections::VecDeque;

/// Lines that may wait for a decision, at most.
pub const PENDING_CAP: usize = 100_000;
/// Steps back shorter than this are threads writing slightly out of order, not worth a note.
const NOTABLE_STEP_BACK_MS: i64 = 1000;

/// When a line happened, as far as the line says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Dated(LineDate, u32),
    Time(u32),
    /// A log line without a time.
    NoTime,
    /// Not a log line, but it carries a fact (a wrapped message's continuation): it takes the
    /// time of the line before it.
    Continuation,
    /// Not a log line: it has no time and needs none.
    Other,
}

/// How the file's lines were timed, for its notes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimingNotes {
    /// The order of ambiguous dates, and the line that settled it (None: the usual order).
    pub order: Option<(DateOrder, Option<u64>)>,
    /// The first date that could be read either way, as written.
    pub first_ambiguous: Option<String>,
    /// Dated lines that read the other way round from the order decided.
    pub contrary_dates: u64,
    pub untimed_lines: u64,
    /// Lines without a time in a file where no line had one.
    pub never_timed: bool,
    /// Dates without a year, and no year from the file name or a dated line: counted by month
    /// and day (`LineClock::year_less`).
    pub year_missing: bool,
    pub step_backs: u64,
    /// Midnights passed between lines with a time of day only.
    pub midnights: u64,
    pub largest_step_back: (i64, u64),
}

struct Waiting<T> {
    line: u64,
    when: When,
    item: T,
    /// Set ahead of its turn for the first timed line after untimed ones.
    ms: Option<i64>,
}

pub struct LineClock<T> {
    /// The file's day 0 when its name gives it.
    named_day0: Option<Date>,
    /// The first dated line's date: day 0 when the name gives none.
    first_date: Option<Date>,
    order: Option<DateOrder>,
    first_sep: Option<u8>,
    year: Option<i32>,
    /// The month of the latest line dated without a year, for a new year when it steps back.
    year_less_month: Option<u8>,
    /// New Years passed since the year was given (plaso steps back only over one it counted).
    new_years: u32,
    /// Days of dates without a year while no year is known.
    year_less: YearLessDays,
    clock: DayCount,
    last_ms: Option<i64>,
    waiting: VecDeque<Waiting<T>>,
    /// Lines that may wait, at most ([`PENDING_CAP`] unless a scan's limits say less).
    pending_cap: usize,
    /// Whether more lines than that waited, so that the clock decided early.
    pub pending_cap_reached: bool,
    forced: bool,
    pub notes: TimingNotes,
}

impl<T> LineClock<T> {
    pub fn new(named_day0: Option<Date>) -> Self {
        LineClock {
            named_day0,
            first_date: None,
            order: None,
            first_sep: None,
            year: named_day0.map(|d| d.year),
            year_less_month: None,
            new_years: 0,
            year_less: YearLessDays::default(),
            clock: DayCount::default(),
            last_ms: None,
            waiting: VecDeque::new(),
            pending_cap: PENDING_CAP,
            pending_cap_reached: false,
            forced: false,
            notes: TimingNotes::default(),
        }
    }

    /// Lets at most `cap` lines wait for a later line's time.
    pub fn with_pending_cap(mut self, cap: usize) -> Self {
        self.pending_cap = cap;
        self
    }

    /// Resumes timing at a line whose time is known (the log viewer's checkpoints), with what
    /// the scan decided for the file.
    pub fn resume(at_ms: i64, day0: Option<Date>, order: Option<DateOrder>) -> Self {
        let mut clock = LineClock::new(day0);
        clock.first_date = day0;
        if let Some(d) = day0 {
            // A date without a year takes the year of the checkpoint's day (lines past New Year).
            let at = Date::from_days_since_epoch(d.days_since_epoch() + at_ms.div_euclid(MS_PER_DAY));
            clock.year = Some(at.year);
        }
        clock.order = Some(order.unwrap_or(DateOrder::MonthFirst));
        clock.clock = DayCount::at(at_ms);
        clock.last_ms = Some(at_ms);
        clock.forced = true;
        clock
    }

    /// The first dated line's date, once known.
    pub fn first_date(&self) -> Option<Date> {
        self.first_date
    }

    /// What the lines dated without a year said, when no year was known for them.
    pub fn year_less(&self) -> Option<YearLess> {
        self.year_less.summary()
    }

    /// The order of ambiguous dates, once decided.
    pub fn order(&self) -> Option<DateOrder> {
        self.order
    }

    /// The time of the next line when nothing waits and the line needs nothing later (nearly
    /// every line of a log): `Some(time)`, and the line is done; `None`: [`LineClock::push`] it.
    #[inline(always)]
    pub fn now(&mut self, line: u64, when: When, hint: OrderHint) -> Option<Option<i64>> {
        if !self.waiting.is_empty() || hint != OrderHint::Either {
            return None;
        }
        match when {
            When::Other => Some(None),
            When::Time(ms_of_day) => {
                let ms = self.undated(line, ms_of_day);
                self.last_ms = Some(ms);
                Some(Some(ms))
            }
            When::NoTime if self.last_ms.is_some() => {
                self.notes.untimed_lines += 1;
                Some(self.last_ms)
            }
            When::Continuation if self.last_ms.is_some() => Some(self.last_ms),
            _ => None,
        }
    }

    /// Takes the next line; lines whose time is decided come out in `out`, in file order, with
    /// their time (`None` for lines that are not log lines).
    pub fn push(&mut self, line: u64, when: When, hint: OrderHint, item: T, out: &mut Vec<(T, Option<i64>)>) {
        match hint {
            OrderHint::Either => {}
            OrderHint::MonthFirst | OrderHint::DayFirst => {
                let said = if hint == OrderHint::MonthFirst { DateOrder::MonthFirst } else { DateOrder::DayFirst };
                match self.order {
                    None => {
                        self.order = Some(said);
                        self.notes.order = Some((said, Some(line)));
                    }
                    Some(order) if order != said => self.notes.contrary_dates += 1,
                    Some(_) => {}
                }
            }
        }
        if let When::Dated(LineDate::Either { a, b, year, sep }, _) = when {
            self.first_sep.get_or_insert(sep);
            self.notes.first_ambiguous.get_or_insert(format!("{a:02}{}{b:02}{}{year}", sep as char, sep as char));
        }
        // An ambiguous date's year is certain: either reading gives it to dates without one.
        let year = match when {
            When::Dated(LineDate::Known(d), _) => Some(d.year),
            When::Dated(LineDate::Either { year, .. }, _) => Some(year),
            _ => None,
        };
        if let Some(year) = year {
            self.year.get_or_insert(year);
        }
        if let When::NoTime = when {
            self.notes.untimed_lines += 1;
        }
        self.waiting.push_back(Waiting { line, when, item, ms: None });
        if self.waiting.len() > self.pending_cap {
            self.pending_cap_reached = true;
            self.force();
        }
        self.drain(out);
    }

    /// Ends the file: what still waits is decided the usual way.
    pub fn finish(&mut self, out: &mut Vec<(T, Option<i64>)>) {
        self.force();
        self.drain(out);
    }

    fn force(&mut self) {
        if !self.forced {
            self.forced = true;
            if self.order.is_none() {
                if let Some(sep) = self.first_sep {
                    let order = DateOrder::usual_for(sep);
                    self.order = Some(order);
                    self.notes.order = Some((order, None));
                }
            }
        }
    }

    /// Whether a line can be timed now, given the lines before it are.
    fn ready(&self, when: &When) -> bool {
        match when {
            When::Other | When::Time(_) => true,
            When::NoTime | When::Continuation => self.last_ms.is_some(),
            When::Dated(LineDate::Known(_), _) => true,
            When::Dated(LineDate::Either { .. }, _) => self.order.is_some(),
            When::Dated(LineDate::NoYear { .. }, _) => self.year.is_some() || self.forced,
        }
    }

    fn drain(&mut self, out: &mut Vec<(T, Option<i64>)>) {
        while let Some(front) = self.waiting.front() {
            if front.ms.is_none() && !self.ready(&front.when) {
                let untimed = matches!(front.when, When::NoTime | When::Continuation);
                if !(untimed && (self.time_ahead() || self.forced)) {
                    return;
                }
            }
            let Some(w) = self.waiting.pop_front() else { return };
            let ms = match (w.ms, w.when) {
                (Some(ms), _) => Some(ms),
                (None, When::Other) => None,
                (None, When::NoTime) => Some(self.last_ms.unwrap_or_else(|| {
                    self.notes.never_timed = true;
                    0
                })),
                (None, When::Continuation) => Some(self.last_ms.unwrap_or(0)),
                (None, when) => Some(self.time(w.line, when)),
            };
            if let (Some(ms), false) = (ms, matches!(w.when, When::Other | When::NoTime | When::Continuation)) {
                self.last_ms = Some(ms);
            }
            out.push((w.item, ms));
        }
    }

    /// For untimed lines at the start of a file: times the first line after them that has a
    /// time and can be timed, so that they take its time. Whether there was one.
    fn time_ahead(&mut self) -> bool {
        let Some(i) =
            self.waiting.iter().position(|w| !matches!(w.when, When::NoTime | When::Other | When::Continuation))
        else {
            return false;
        };
        if self.waiting[i].ms.is_none() {
            if !self.ready(&self.waiting[i].when) {
                return false;
            }
            let (line, when) = (self.waiting[i].line, self.waiting[i].when);
            let ms = self.time(line, when);
            self.waiting[i].ms = Some(ms);
        }
        self.last_ms = self.waiting[i].ms;
        true
    }

    fn time(&mut self, line: u64, when: When) -> i64 {
        match when {
            When::Dated(date, ms_of_day) => {
                let order = self.order.unwrap_or(DateOrder::MonthFirst);
                let year_less = self.year_less.summary().is_some();
                if year_less || (matches!(date, LineDate::NoYear { .. }) && self.year.is_none()) {
                    // Once counted without a year, every date of the file is, to stay on one count.
                    let Some(d) = date.resolve(order, 2000) else { return self.undated(line, ms_of_day) };
                    self.notes.year_missing = true;
                    let days = self.year_less.day(d.month, d.day, self.clock.days());
                    return self.clock.dated(days, i64::from(ms_of_day));
                }
                if let LineDate::NoYear { month, .. } = date {
                    self.turn_year(month);
                }
                match date.resolve(order, self.year.unwrap_or(2000)) {
                    Some(d) => {
                        let day0 = *self.named_day0.as_ref().or(self.first_date.as_ref()).unwrap_or(&d);
                        self.first_date.get_or_insert(d);
                        self.clock.dated(d.days_since_epoch() - day0.days_since_epoch(), i64::from(ms_of_day))
                    }
                    _ => self.undated(line, ms_of_day),
                }
            }
            When::Time(ms_of_day) => self.undated(line, ms_of_day),
            When::NoTime | When::Other | When::Continuation => self.last_ms.unwrap_or(0),
        }
    }

    /// A date without a year in a file whose year is known: a new year when the month steps
    /// back by more than one, and back over a New Year counted when January steps back to
    /// December (the rule of `year_less`).
    fn turn_year(&mut self, month: u8) {
        if let (Some(previous), Some(year)) = (self.year_less_month, self.year) {
            if month + 1 < previous {
                self.year = Some(year + 1);
                self.new_years += 1;
            } else if self.new_years > 0 && previous == 1 && month == 12 {
                self.year = Some(year - 1);
                self.new_years -= 1;
            }
        }
        self.year_less_month = Some(month);
    }

    #[inline]
    fn undated(&mut self, line: u64, ms_of_day: u32) -> i64 {
        let (ms, step_back) = self.clock.undated(i64::from(ms_of_day));
        if step_back > NEW_DAY_STEP_BACK_MS {
            self.notes.midnights += 1;
        }
        if step_back > NOTABLE_STEP_BACK_MS && step_back <= NEW_DAY_STEP_BACK_MS {
            self.notes.step_backs += 1;
            if step_back > self.notes.largest_step_back.0 {
                self.notes.largest_step_back = (step_back, line);
            }
        }
        ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(lines: &[(When, OrderHint)], day0: Option<Date>) -> (Vec<(usize, Option<i64>)>, TimingNotes) {
        let mut clock = LineClock::new(day0);
        let mut out = Vec::new();
        for (i, (when, hint)) in lines.iter().enumerate() {
            clock.push(i as u64 + 1, *when, *hint, i, &mut out);
        }
        clock.finish(&mut out);
        (out, clock.notes)
    }

    const H: u32 = 3_600_000;

    #[test]
    fn ambiguous_dates_wait_for_a_line_that_settles_the_order() {
        let either = |a, b| When::Dated(LineDate::Either { a, b, year: 2021, sep: b'/' }, 10 * H);
        let known = When::Dated(LineDate::Known(Date::new(2021, 1, 29).unwrap()), 11 * H);
        let (out, notes) = run(&[(either(2, 1), OrderHint::Either), (known, OrderHint::DayFirst)], None);
        // 02/01/2021 read day first is 2 January, 27 days before 29 January.
        assert_eq!(out, vec![(0, Some(10 * i64::from(H))), (1, Some(27 * 86_400_000 + 11 * i64::from(H)))]);
        assert_eq!(notes.order, Some((DateOrder::DayFirst, Some(2))));
        let (out, notes) = run(&[(either(2, 1), OrderHint::Either)], None);
        assert_eq!(out, vec![(0, Some(10 * i64::from(H)))]);
        assert_eq!(notes.order, Some((DateOrder::MonthFirst, None)), "slashes: month first when nothing settles it");
    }

    #[test]
    fn untimed_lines_take_their_neighbours_time() {
        let lines = [
            (When::NoTime, OrderHint::Either),
            (When::Other, OrderHint::Either),
            (When::Time(9 * H), OrderHint::Either),
            (When::NoTime, OrderHint::Either),
            (When::Time(10 * H), OrderHint::Either),
        ];
        let (out, notes) = run(&lines, None);
        let nine = Some(9 * i64::from(H));
        assert_eq!(out, vec![(0, nine), (1, None), (2, nine), (3, nine), (4, Some(10 * i64::from(H)))]);
        assert_eq!((notes.untimed_lines, notes.never_timed), (2, false));
        let (out, notes) = run(&[(When::NoTime, OrderHint::Either), (When::NoTime, OrderHint::Either)], None);
        assert_eq!(out, vec![(0, Some(0)), (1, Some(0))]);
        assert!(notes.never_timed);
    }

    #[test]
    fn dates_without_a_year_take_the_file_name_year() {
        let feb8 = When::Dated(LineDate::NoYear { month: 2, day: 8 }, H);
        let (out, _) = run(&[(feb8, OrderHint::Either)], Date::new(2011, 2, 7));
        assert_eq!(out, vec![(0, Some(86_400_000 + i64::from(H)))]);
        let (out, notes) = run(&[(feb8, OrderHint::Either)], None);
        assert_eq!(out, vec![(0, Some(i64::from(H)))]);
        assert!(notes.year_missing);
    }

    const DAY: i64 = 86_400_000;

    fn no_year(month: u8, day: u8) -> (When, OrderHint) {
        (When::Dated(LineDate::NoYear { month, day }, H), OrderHint::Either)
    }

    #[test]
    fn dates_without_a_year_keep_their_days_across_new_year() {
        let h = i64::from(H);
        // No year anywhere: days counted from the first line's month and day.
        let (out, notes) = run(&[no_year(12, 31), no_year(1, 1), no_year(1, 3)], None);
        assert_eq!(out, vec![(0, Some(h)), (1, Some(DAY + h)), (2, Some(3 * DAY + h))]);
        assert!(notes.year_missing);
        let mut clock: LineClock<usize> = LineClock::new(None);
        let mut out = Vec::new();
        for (i, (when, hint)) in [no_year(12, 31), no_year(1, 1)].into_iter().enumerate() {
            clock.push(i as u64 + 1, when, hint, i, &mut out);
        }
        clock.finish(&mut out);
        let summary = clock.year_less().unwrap();
        assert_eq!(
            (summary.month, summary.day, summary.last_month, summary.last_day, summary.years),
            (12, 31, 1, 1, 1)
        );
        // The file name's year: 1 January after 31 December 2020 is in 2021.
        let (out, _) = run(&[no_year(12, 31), no_year(1, 1)], Date::new(2020, 12, 31));
        assert_eq!(out, vec![(0, Some(h)), (1, Some(DAY + h))]);
    }

    #[test]
    fn the_viewer_resumes_dates_without_a_year_on_the_scans_days() {
        let h = i64::from(H);
        let timed = |mut clock: LineClock<usize>, lines: &[(When, OrderHint)]| {
            let mut out = Vec::new();
            for (i, (when, hint)) in lines.iter().enumerate() {
                clock.push(i as u64 + 1, *when, *hint, i, &mut out);
            }
            out
        };
        // Day 0 is 31 December 2020 (the year borrowed); a checkpoint on 1 January 2021.
        let out = timed(LineClock::resume(DAY + h, Date::new(2020, 12, 31), None), &[no_year(1, 1), no_year(1, 2)]);
        assert_eq!(out, vec![(0, Some(DAY + h)), (1, Some(2 * DAY + h))]);
        // No year anywhere: counted on from the checkpoint's day.
        let out = timed(LineClock::resume(DAY + h, None, None), &[no_year(1, 1), no_year(1, 2)]);
        assert_eq!(out, vec![(0, Some(DAY + h)), (1, Some(2 * DAY + h))]);
    }
}
