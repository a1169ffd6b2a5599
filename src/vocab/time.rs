//! Dates and times as NetBackup logs carry them: a civil date from the file name, a time of day
//! in each line, no time zone anywhere. Everything is kept as naive local milliseconds.

use serde::{Deserialize, Serialize};

pub const MS_PER_DAY: i64 = 86_400_000;
/// A step back in time larger than this is a new day (a file that runs past midnight).
pub const NEW_DAY_STEP_BACK_MS: i64 = 12 * 3_600_000;

/// Turns a file's line times into milliseconds from the file's day 0, line by line, counting
/// midnights. The scanner and the log viewer both go through it, so that the viewer, reading
/// lines back from a known time, puts each on the day the scan did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DayCount {
    days: i64,
    last_ms_of_day: Option<i64>,
}

impl DayCount {
    /// Resumes counting at a line known to be at `ms` from day 0.
    pub fn at(ms: i64) -> DayCount {
        DayCount { days: ms.div_euclid(MS_PER_DAY), last_ms_of_day: Some(ms.rem_euclid(MS_PER_DAY)) }
    }

    /// Midnights passed so far.
    pub fn days(&self) -> i64 {
        self.days
    }

    /// A line with only a time of day: a step back of more than [`NEW_DAY_STEP_BACK_MS`] is the
    /// next day. Returns the line's time and how far it stepped back (0 or less: it did not).
    pub fn undated(&mut self, ms_of_day: i64) -> (i64, i64) {
        let step_back = self.last_ms_of_day.map_or(0, |last| last - ms_of_day);
        if step_back > NEW_DAY_STEP_BACK_MS {
            self.days += 1;
        }
        self.last_ms_of_day = Some(ms_of_day);
        (self.days * MS_PER_DAY + ms_of_day, step_back)
    }

    /// A line that carries its own date, `days` after day 0.
    pub fn dated(&mut self, days: i64, ms_of_day: i64) -> i64 {
        self.days = days;
        self.last_ms_of_day = Some(ms_of_day);
        days * MS_PER_DAY + ms_of_day
    }
}

/// A calendar date (proleptic Gregorian), as read from a log file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Builds a date, or `None` when the numbers name no real day (month 13, 31 June, 29 Feb 2011).
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    pub fn days_since_epoch(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The inverse of [`Date::days_since_epoch`].
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    pub fn start_ms(self) -> i64 {
        self.days_since_epoch() * MS_PER_DAY
    }

    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// NetBackup writes two-digit years (`mmddyy`). Releases that wrote these names date from the
/// late 1990s on, so 90–99 are read as 19xx and the rest as 20xx.
pub fn year_from_two_digits(yy: u8) -> i32 {
    if yy >= 90 {
        1900 + i32::from(yy)
    } else {
        2000 + i32::from(yy)
    }
}

/// Formats a time of day in milliseconds as `HH:MM:SS.mmm`.
pub fn time_of_day(ms_of_day: i64) -> String {
    let ms = ms_of_day.rem_euclid(MS_PER_DAY);
    format!("{:02}:{:02}:{:02}.{:03}", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000)
}

/// Formats naive local milliseconds as ISO 8601: `2011-06-03T17:46:36.299` when the date is
/// known, `17:46:36.299` (an ISO 8601 time of day) when it is not.
pub fn iso(ms: i64, date_known: bool) -> String {
    if date_known {
        let date = Date::from_days_since_epoch(ms.div_euclid(MS_PER_DAY));
        format!("{}T{}", date.iso(), time_of_day(ms))
    } else {
        time_of_day(ms)
    }
}

/// Formats a duration in milliseconds for people: `10.0 s`, `1 min 39 s`, `2 h 5 min`.
pub fn human_duration(ms: i64) -> String {
    let ms = ms.abs();
    if ms < 60_000 {
        format!("{:.1} s", ms as f64 / 1000.0)
    } else if ms < 3_600_000 {
        let s = (ms + 500) / 1000;
        match s % 60 {
            0 => format!("{} min", s / 60),
            rest => format!("{} min {rest} s", s / 60),
        }
    } else {
        let m = (ms + 30_000) / 60_000;
        format!("{} h {} min", m / 60, m % 60)
    }
}

/// Seconds with millisecond precision, as JSON facts carry them.
pub fn seconds(ms: i64) -> f64 {
    ms as f64 / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for days in [-1000, -1, 0, 1, 10_000, 15_128, 20_000, 60_000] {
            assert_eq!(Date::from_days_since_epoch(days).days_since_epoch(), days);
        }
        assert_eq!(Date::new(2011, 6, 3).unwrap().days_since_epoch(), 15_128);
    }

    #[test]
    fn rejects_impossible_dates() {
        assert!(Date::new(2011, 2, 29).is_none());
        assert!(Date::new(2012, 2, 29).is_some());
        assert!(Date::new(2011, 13, 1).is_none());
        assert!(Date::new(2011, 6, 31).is_none());
        assert!(Date::new(2011, 6, 0).is_none());
    }

    #[test]
    fn formats() {
        let t = Date::new(2011, 6, 3).unwrap().start_ms() + 63_996_299;
        assert_eq!(iso(t, true), "2011-06-03T17:46:36.299");
        assert_eq!(iso(t, false), "17:46:36.299");
        assert_eq!(human_duration(10_000), "10.0 s");
        assert_eq!(human_duration(98_843), "1 min 39 s");
        assert_eq!(year_from_two_digits(11), 2011);
        assert_eq!(year_from_two_digits(99), 1999);
    }
}
