//! The year a file whose dates carry none borrows (`facts::year_less`): from the earliest dated
//! file of its host, else of the bundle, the year that puts the file's days nearest that file's
//! date (nbtriage's practice: lines of 30 December beside a log of 2 January are from the year
//! before). A line dated 29 February makes its year a leap year: the nearest that is one, as
//! plaso's year-less helper is asked to check (log2timeline/plaso issue 4384) and
//! super-speedy-syslog-searcher revises its guessed year for (its issue 245).

use crate::facts::year_less::YearLess;
use crate::vocab::time::Date;

/// The dated file a year is borrowed from.
pub(super) struct Lender<'a> {
    pub path: &'a str,
    pub date: Date,
    pub same_host: bool,
}

/// How far a year may move from the lender's to make a 29 February real.
const LEAP_SEARCH_YEARS: i32 = 4;

fn is_leap(year: i32) -> bool {
    Date::new(year, 2, 29).is_some()
}

/// Whether each year whose lines name 29 February is a leap year, the first line's being `year`.
fn leap_days_fit(year_less: &YearLess, year: i32) -> bool {
    (0..8).all(|k| year_less.leap_years & (1 << k) == 0 || is_leap(year + k))
}

/// The first line's date in `year` (1 March for a 29 February the year lacks).
pub(super) fn first_date(year_less: &YearLess, year: i32) -> Date {
    Date::new(year, year_less.month, year_less.day).or(Date::new(year, 3, 1)).unwrap_or(Date { year, month: 3, day: 1 })
}

/// The year of the first year-less line, given the lender's date and the days from that line to
/// the file's last; and whether every 29 February the lines name is real in it.
pub(super) fn choose(year_less: &YearLess, span_days: i64, lender: Date) -> (i32, bool) {
    let target = lender.days_since_epoch();
    let distance = |year: i32| {
        let start = first_date(year_less, year).days_since_epoch();
        let end = start + span_days.max(0);
        (start - target).max(target - end).max(0)
    };
    let years = || lender.year - LEAP_SEARCH_YEARS..=lender.year + LEAP_SEARCH_YEARS;
    let nearest = |fitting: bool| {
        years()
            .filter(|&y| !fitting || leap_days_fit(year_less, y))
            .min_by_key(|&y| (distance(y), (y - lender.year).abs(), y))
    };
    match nearest(true) {
        Some(year) => (year, true),
        None => (nearest(false).unwrap_or(lender.year), false),
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `6 May`.
pub(super) fn day_and_month(month: u8, day: u8) -> String {
    let name = MONTHS.get(usize::from(month.max(1)) - 1).copied().unwrap_or("?");
    format!("{day} {name}")
}

/// The file's notes on the year it borrowed.
pub(super) fn notes(year_less: &YearLess, year: i32, fits: bool, lender: &Lender<'_>) -> Vec<String> {
    let host = if lender.same_host { "its host" } else { "another host" };
    let from = format!("{} ({}, {host})", lender.path, lender.date.iso());
    let span = format!(
        "{} to {}",
        day_and_month(year_less.month, year_less.day),
        day_and_month(year_less.last_month, year_less.last_day)
    );
    let mut notes = vec![if year == lender.date.year {
        format!("Year {year} borrowed from {from}: an assumption, the lines carry none.")
    } else if year_less.leap_years != 0 && fits {
        format!("Year {year} assumed: a line is dated 29 February, so a leap year, the nearest to {from}; an assumption, the lines carry none.")
    } else {
        format!("Year {year} assumed from {from}: the year that puts its lines ({span}) nearest that date; an assumption, the lines carry none.")
    }];
    match year_less.years {
        0 => {}
        1 => notes
            .push(format!("Its lines cross New Year (the month steps back): those after it are dated {}.", year + 1)),
        n => notes.push(format!(
            "Its lines cross New Year {n} times (the month steps back): the last are dated {}.",
            year + i32::from(n)
        )),
    }
    for k in (0..8).filter(|k| year_less.common_februaries & (1 << k) != 0 && is_leap(year + k)) {
        notes.push(format!(
            "February {} has 29 days, but no line is dated the 29th: nbtriage counted 28, so the lines from that March on are shown a day early.",
            year + k
        ));
    }
    if !fits {
        notes.push(format!(
            "A line is dated 29 February in a year that is no leap year near {}: lines from that day to the year's end are shown a day off.",
            lender.date.year
        ));
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn year_less(month: u8, day: u8) -> YearLess {
        YearLess {
            month,
            day,
            day_index: 0,
            last_month: month,
            last_day: day,
            years: 0,
            leap_years: 0,
            common_februaries: 0,
        }
    }

    fn date(y: i32, m: u8, d: u8) -> Date {
        Date::new(y, m, d).unwrap()
    }

    #[test]
    fn the_lenders_year_when_it_is_the_nearest() {
        // The syslog-forms bundle: a journal of 6 May beside an rsyslog line of 2020-09-15.
        assert_eq!(choose(&year_less(5, 6), 0, date(2020, 9, 15)), (2020, true));
        assert_eq!(choose(&year_less(12, 31), 0, date(2021, 12, 31)), (2021, true));
    }

    #[test]
    fn lines_across_new_year_take_the_year_that_puts_them_nearest() {
        // 30 December to 2 January (3 days) beside a log of 2 January 2021: from 2020.
        let mut across = year_less(12, 30);
        (across.last_month, across.last_day, across.years) = (1, 2, 1);
        assert_eq!(choose(&across, 3, date(2021, 1, 2)), (2020, true));
        // Lines of 30 December beside a log of 2 January: the December before.
        assert_eq!(choose(&year_less(12, 30), 0, date(2021, 1, 2)), (2020, true));
        // Lines of 3 January beside a log of 30 December: the January after.
        assert_eq!(choose(&year_less(1, 3), 0, date(2020, 12, 30)), (2021, true));
        let notes = notes(
            &across,
            2020,
            true,
            &Lender { path: "m1/bpbrm/log.010221", date: date(2021, 1, 2), same_host: true },
        );
        assert_eq!(notes[0], "Year 2020 assumed from m1/bpbrm/log.010221 (2021-01-02, its host): the year that puts its lines (30 December to 2 January) nearest that date; an assumption, the lines carry none.");
        assert_eq!(notes[1], "Its lines cross New Year (the month steps back): those after it are dated 2021.");
    }

    #[test]
    fn a_29_february_takes_the_nearest_leap_year() {
        let mut leap = year_less(2, 29);
        leap.leap_years = 1;
        assert_eq!(choose(&leap, 0, date(2021, 3, 5)), (2020, true));
        assert_eq!(choose(&leap, 0, date(2023, 9, 1)), (2024, true));
        assert_eq!(first_date(&leap, 2020), date(2020, 2, 29));
        // Leap days two years apart cannot both be real: the nearest year, and a note.
        leap.leap_years = 0b101;
        assert_eq!(choose(&leap, 800, date(2020, 3, 1)), (2020, false));
        assert_eq!(first_date(&year_less(2, 29), 2021), date(2021, 3, 1));
    }

    #[test]
    fn a_leap_february_with_no_29th_is_noted() {
        let mut crossing = year_less(2, 27);
        crossing.common_februaries = 1;
        let lender = Lender { path: "x", date: date(2024, 3, 2), same_host: false };
        let notes = notes(&crossing, 2024, true, &lender);
        assert!(notes[0].starts_with("Year 2024 borrowed from x (2024-03-02, another host)"), "{notes:?}");
        assert!(notes[1].starts_with("February 2024 has 29 days"), "{notes:?}");
    }
}
