//! Dates inside lines, in the forms NetBackup's consoles and agents print:
//!
//! - numeric, month or day first: `05/02/2013`, `8/6/2014`, `06/07/02` (two-digit year),
//!   `29/01/2021`, `29.01.2021`; year first: `2004/09/02`, `2021-01-29`;
//! - with a month name: `29.jan.2021` (Job Details in a European locale, Veritas 100049585),
//!   `Dec 17, 2021` (the web UI's Job Details, Veritas 100052580), `February 08` (MSDP's
//!   storaged.log, no year, TECH153084).
//!
//! A numeric date whose two first numbers are both 12 or less cannot say which is the month:
//! it comes back as [`LineDate::Either`] and the scanner decides per file, from all its lines.

use super::scan::digits;
use crate::vocab::time::{year_from_two_digits, Date};

/// A date read from a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineDate {
    Known(Date),
    /// Numeric, both first numbers ≤ 12: month first (`a/b`) or day first (`b/a`).
    Either {
        a: u8,
        b: u8,
        year: i32,
        sep: u8,
    },
    /// Month and day with no year (the year comes from the file).
    NoYear {
        month: u8,
        day: u8,
    },
}

/// Which number of an ambiguous date is the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum DateOrder {
    MonthFirst,
    DayFirst,
}

impl DateOrder {
    /// What a date written with `sep` usually is when nothing else decides: slashes are the
    /// US console's month first (every public sample), dots and dashes a European day first.
    pub fn usual_for(sep: u8) -> DateOrder {
        if sep == b'/' {
            DateOrder::MonthFirst
        } else {
            DateOrder::DayFirst
        }
    }
}

impl LineDate {
    /// The date, given the file's order for ambiguous dates and its year for dates without one.
    pub fn resolve(self, order: DateOrder, year: i32) -> Option<Date> {
        match self {
            LineDate::Known(d) => Some(d),
            LineDate::Either { a, b, year, .. } => match order {
                DateOrder::MonthFirst => Date::new(year, a, b),
                DateOrder::DayFirst => Date::new(year, b, a),
            },
            LineDate::NoYear { month, day } => Date::new(year, month, day),
        }
    }
}

/// What a numeric date says about the order of its first two numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderHint {
    /// Both could be the month.
    Either,
    MonthFirst,
    DayFirst,
}

/// Reads a date at the start of `text`; returns it, what it says about the day/month order, and
/// the bytes it took.
pub fn date(text: &[u8]) -> Option<(LineDate, OrderHint, usize)> {
    if text.first()?.is_ascii_digit() {
        numeric(text)
    } else {
        named_month_first(text)
    }
}

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const FULL_MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// `jan`, `Jan`, `January`, `janv`? (only the English names and their three-letter forms, as
/// every public sample uses): the month and the bytes it took.
fn month_name(text: &[u8]) -> Option<(u8, usize)> {
    let n = text.iter().take(10).take_while(|b| b.is_ascii_alphabetic()).count();
    let word = std::str::from_utf8(&text[..n]).ok()?.to_ascii_lowercase();
    let index = MONTHS.iter().position(|m| *m == word).or_else(|| FULL_MONTHS.iter().position(|m| *m == word))?;
    Some((index as u8 + 1, n))
}

/// `2013` or `13`; `0205` is `02` with the time glued after it (a pasted copy that lost a space).
fn year(text: &[u8]) -> Option<(i32, usize)> {
    let (y, n) = digits(text, 2, 4)?;
    match n {
        4 if (1970..=2200).contains(&y) => Some((y as i32, 4)),
        2 | 4 => Some((year_from_two_digits((text[0] - b'0') * 10 + (text[1] - b'0')), 2)),
        _ => None,
    }
}

fn numeric(text: &[u8]) -> Option<(LineDate, OrderHint, usize)> {
    let (first, n1) = digits(text, 1, 4)?;
    let sep = *text.get(n1)?;
    if !matches!(sep, b'/' | b'.' | b'-') {
        return None;
    }
    let rest = &text[n1 + 1..];
    if n1 == 4 {
        // Year first: 2021-01-29, 2004/09/02.
        let (month, n2) = digits(rest, 1, 2)?;
        if rest.get(n2) != Some(&sep) {
            return None;
        }
        let (day, n3) = digits(&rest[n2 + 1..], 1, 2)?;
        let date = Date::new(i32::try_from(first).ok()?, month as u8, day as u8)?;
        return Some((LineDate::Known(date), OrderHint::Either, n1 + 1 + n2 + 1 + n3));
    }
    if n1 > 2 {
        return None;
    }
    // `29.jan.2021`: day, a month name, the year.
    if let Some((month, n2)) = month_name(rest) {
        if rest.get(n2) != Some(&sep) {
            return None;
        }
        let (y, n3) = year(&rest[n2 + 1..])?;
        let date = Date::new(y, month, first as u8)?;
        return Some((LineDate::Known(date), OrderHint::Either, n1 + 1 + n2 + 1 + n3));
    }
    let (second, n2) = digits(rest, 1, 2)?;
    if rest.get(n2) != Some(&sep) {
        return None;
    }
    let (y, n3) = year(&rest[n2 + 1..])?;
    let len = n1 + 1 + n2 + 1 + n3;
    let (a, b) = (first as u8, second as u8);
    let (date, hint) = match (a, b) {
        (1..=12, 1..=12) => (LineDate::Either { a, b, year: y, sep }, OrderHint::Either),
        (13..=31, 1..=12) => (LineDate::Known(Date::new(y, b, a)?), OrderHint::DayFirst),
        (1..=12, 13..=31) => (LineDate::Known(Date::new(y, a, b)?), OrderHint::MonthFirst),
        _ => return None,
    };
    // The date must exist whichever way it is read.
    if let LineDate::Either { .. } = date {
        Date::new(y, a, b).or_else(|| Date::new(y, b, a))?;
    }
    Some((date, hint, len))
}

/// `Dec 17, 2021`, `Nov 14, 2024`, `February 08` (no year).
fn named_month_first(text: &[u8]) -> Option<(LineDate, OrderHint, usize)> {
    let (month, n1) = month_name(text)?;
    if text.get(n1) != Some(&b' ') {
        return None;
    }
    let spaces = 1 + usize::from(text.get(n1 + 1) == Some(&b' '));
    let rest = &text[n1 + spaces..];
    let (day, n2) = digits(rest, 1, 2)?;
    let after = &rest[n2..];
    if let Some(after_comma) = after.strip_prefix(b", ") {
        let (y, n3) = year(after_comma)?;
        if n3 != 4 {
            return None;
        }
        let date = Date::new(y, month, day as u8)?;
        return Some((LineDate::Known(date), OrderHint::Either, n1 + spaces + n2 + 2 + n3));
    }
    if after.first() != Some(&b' ') {
        return None;
    }
    Date::new(2000, month, day as u8)?; // 29 February is a real day in some year
    Some((LineDate::NoYear { month, day: day as u8 }, OrderHint::Either, n1 + spaces + n2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(y: i32, m: u8, d: u8) -> LineDate {
        LineDate::Known(Date::new(y, m, d).unwrap())
    }

    #[test]
    fn sample_dates() {
        let cases: &[(&str, Option<(LineDate, usize)>)] = &[
            ("05/02/2013 22:21:52 - Critical", Some((LineDate::Either { a: 5, b: 2, year: 2013, sep: b'/' }, 10))),
            ("10/14/2018 21:09:24 - Critical", Some((known(2018, 10, 14), 10))),
            ("8/6/2014 3:52:37 PM -", Some((LineDate::Either { a: 8, b: 6, year: 2014, sep: b'/' }, 8))),
            ("11/23/2011 10:50:27 AM", Some((known(2011, 11, 23), 10))),
            ("29.jan.2021 02:48:17 - Info", Some((known(2021, 1, 29), 11))),
            ("29/01/2021 02:48:17 - Info", Some((known(2021, 1, 29), 10))),
            ("06/07/02 05:21:39 AM: [441]", Some((LineDate::Either { a: 6, b: 7, year: 2002, sep: b'/' }, 8))),
            ("06/07/0205:22:57 AM: [439]", Some((LineDate::Either { a: 6, b: 7, year: 2002, sep: b'/' }, 8))),
            ("Dec 17, 2021 12:00:20 PM - Info", Some((known(2021, 12, 17), 12))),
            ("Nov 14, 2024 1:30:22 PM - Error", Some((known(2024, 11, 14), 12))),
            ("February 08 11:22:54 INF", Some((LineDate::NoYear { month: 2, day: 8 }, 11))),
            ("2004/09/02 5:18:04 NetBackup", Some((known(2004, 9, 2), 10))),
            ("2021-01-29 02:48:17", Some((known(2021, 1, 29), 10))),
            ("1/19/2010 12:44:07.771 [Debug]", Some((known(2010, 1, 19), 9))),
            ("13/13/2015", None),
            ("31/02/2015", None),
            ("12345/1/2", None),
            ("Monday 5", None),
            ("Dec 32, 2021", None),
            ("1.2.3.4 port", None),
        ];
        for (text, want) in cases {
            let got = date(text.as_bytes()).map(|(d, _, n)| (d, n));
            assert_eq!(got, *want, "{text}");
        }
        let ambiguous = LineDate::Either { a: 5, b: 2, year: 2013, sep: b'/' };
        assert_eq!(ambiguous.resolve(DateOrder::MonthFirst, 0), Date::new(2013, 5, 2));
        assert_eq!(ambiguous.resolve(DateOrder::DayFirst, 0), Date::new(2013, 2, 5));
    }
}
