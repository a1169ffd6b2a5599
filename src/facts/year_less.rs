//! Days between dates that carry no year (`May  6 10:22:01 host proc[pid]: ...`, RFC 3164 as
//! `/var/log/messages` and `journalctl` write it), counted while the year is unknown: the year is
//! borrowed after every file is scanned (`correlate::dates`), so a file keeps only its first
//! line's month and day and what the year must be ([`YearLess`]), never a date per line.
//!
//! A new year starts when the month steps back by more than one (Dec → Jan), and a step from
//! January back to December after such a turn returns to the year before: the rule of plaso's
//! year-less log helper (log2timeline/plaso, `plaso/lib/yearless_helper.py`), which allows
//! lines a month out of order. February has 29 days in a year whose lines name 29 February,
//! else 28 (nbtriage's practice: a leap day no line names cannot be told from a quiet day).

use serde::{Deserialize, Serialize};

/// What a file whose dates carry no year says about its days, for the year borrowed later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearLess {
    /// The first such line's month and day, and its day counted from the file's day 0.
    pub month: u8,
    pub day: u8,
    pub day_index: i64,
    /// The last such line's month and day.
    pub last_month: u8,
    pub last_day: u8,
    /// New Years the lines crossed (the last line's year, counting the first line's as 0).
    pub years: u8,
    /// Bit k: a line of year k is dated 29 February, so that year is a leap year.
    pub leap_years: u8,
    /// Bit k: the lines of year k pass from February into March with none dated 29 February,
    /// so that February was counted as 28 days.
    pub common_februaries: u8,
}

/// Days before each month in a common year.
const DAYS_BEFORE: [i64; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

/// The day of the year (0-based) of `month`/`day`.
fn ordinal(month: u8, day: u8, leap: bool) -> i64 {
    let m = usize::from(month.clamp(1, 12)) - 1;
    DAYS_BEFORE[m] + i64::from(leap && month > 2) + i64::from(day) - 1
}

fn year_length(leap: bool) -> i64 {
    365 + i64::from(leap)
}

fn bit(year: u8) -> u8 {
    1u8.checked_shl(u32::from(year)).unwrap_or(0)
}

/// The previous year-less line: its date, day from day 0, year (from 0) and whether that year
/// is known to be a leap year.
#[derive(Debug, Clone, Copy)]
struct Previous {
    month: u8,
    day: u8,
    day_index: i64,
    year: u8,
    leap: bool,
}

/// Counts days from line to line of year-less dates.
#[derive(Debug, Clone, Default)]
pub struct YearLessDays {
    start: Option<YearLess>,
    previous: Option<Previous>,
}

impl YearLessDays {
    /// What the file's lines said, once a year-less line was counted.
    pub fn summary(&self) -> Option<YearLess> {
        self.start
    }

    /// The day (from day 0) of a line dated `month`/`day` with no year; `today` is the clock's
    /// day, taken for the first such line.
    pub fn day(&mut self, month: u8, day: u8, today: i64) -> i64 {
        let feb29 = month == 2 && day == 29;
        let Some(prev) = self.previous else {
            let year_less = YearLess {
                month,
                day,
                day_index: today,
                last_month: month,
                last_day: day,
                years: 0,
                leap_years: if feb29 { bit(0) } else { 0 },
                common_februaries: 0,
            };
            self.start = Some(year_less);
            self.previous = Some(Previous { month, day, day_index: today, year: 0, leap: feb29 });
            return today;
        };
        let mut common_february = false;
        let (year, leap, day_index) = if month + 1 < prev.month {
            // A new year: the rest of the old one, then this one's days.
            let rest = year_length(prev.leap) - ordinal(prev.month, prev.day, prev.leap);
            common_february = month > 2;
            (prev.year.saturating_add(1), feb29, prev.day_index + rest + ordinal(month, day, feb29))
        } else if prev.year > 0 && prev.month == 1 && month == 12 {
            // Back to December of the year before (lines out of order around New Year).
            let back = ordinal(prev.month, prev.day, prev.leap) + year_length(false) - ordinal(month, day, false);
            (prev.year - 1, false, prev.day_index - back)
        } else {
            let leap = prev.leap || feb29;
            common_february = prev.month <= 2 && month > 2 && !leap;
            (prev.year, leap, prev.day_index + ordinal(month, day, leap) - ordinal(prev.month, prev.day, leap))
        };
        if let Some(start) = &mut self.start {
            start.last_month = month;
            start.last_day = day;
            start.years = start.years.max(year);
            if feb29 {
                start.leap_years |= bit(year);
            }
            if common_february {
                start.common_februaries |= bit(year);
            }
        }
        self.previous = Some(Previous { month, day, day_index, year, leap });
        day_index
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(dates: &[(u8, u8)]) -> (Vec<i64>, YearLess) {
        let mut days = YearLessDays::default();
        let out = dates.iter().map(|&(m, d)| days.day(m, d, 0)).collect();
        (out, days.summary().unwrap())
    }

    #[test]
    fn days_follow_the_calendar_and_new_year() {
        let (days, s) = count(&[(5, 6), (5, 6), (5, 7), (6, 1)]);
        assert_eq!(days, vec![0, 0, 1, 26]);
        assert_eq!((s.month, s.day, s.last_month, s.last_day, s.years), (5, 6, 6, 1, 0));
        // Dec 30 → Jan 2: a new year, four days on; a line a month out of order is no new year.
        let (days, s) = count(&[(12, 30), (1, 2), (12, 31), (1, 3), (2, 1), (1, 31)]);
        assert_eq!(days, vec![0, 3, 1, 4, 33, 32]);
        assert_eq!(s.years, 1);
    }

    #[test]
    fn february_has_29_days_only_when_a_line_names_the_29th() {
        let (days, s) = count(&[(2, 28), (3, 1)]);
        assert_eq!(days, vec![0, 1]);
        assert_eq!((s.leap_years, s.common_februaries), (0, 1));
        let (days, s) = count(&[(2, 28), (2, 29), (3, 1)]);
        assert_eq!(days, vec![0, 1, 2]);
        assert_eq!((s.leap_years, s.common_februaries), (1, 0));
        // The 29th in the year after a New Year: bit 1.
        let (days, s) = count(&[(12, 31), (2, 29), (3, 1)]);
        assert_eq!(days, vec![0, 60, 61]);
        assert_eq!((s.leap_years, s.years), (2, 1));
    }
}
