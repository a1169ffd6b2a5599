//! A time of day as NetBackup's logs write it: `17:46:37.262` (debug logs), `8:51:14.569 AM:`
//! (Windows clients' 12-hour clock, a colon after AM/PM), `3:52:37 PM` (Job Details in a US
//! locale), `05:31:57AM:` (a pasted copy that lost its space), `22:21:52` (no fraction).
//!
//! Sources: reference §1.3, §1.5; the 12-hour forms from Veritas articles TECH145578, 276739,
//! 290900 and the status 156 text (bpbkar on Windows), and the Job Details of 100009743,
//! the Cohesity Accelerator guide and VOX 694027.

use super::scan::digits;

/// What [`time_of_day`] read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    pub ms_of_day: u32,
    /// Bytes read, AM/PM and its colon included.
    pub len: usize,
    /// Whether the time had milliseconds.
    pub fraction: bool,
    /// Whether it was written on a 12-hour clock.
    pub twelve_hour: bool,
}

/// Reads `H:MM:SS`, `HH:MM:SS`, an optional fraction (`.mmm`; more digits are cut to
/// milliseconds), and an optional ` AM`/` PM` with or without a colon after it.
pub fn time_of_day(text: &[u8]) -> Option<Clock> {
    let (h, n) = digits(text, 1, 2)?;
    let mut at = n;
    if text.get(at) != Some(&b':') {
        return None;
    }
    let (m, n) = digits(&text[at + 1..], 2, 2)?;
    at += 1 + n;
    if text.get(at) != Some(&b':') {
        return None;
    }
    let (s, n) = digits(&text[at + 1..], 2, 2)?;
    at += 1 + n;
    if m > 59 || s > 60 {
        return None;
    }
    let mut ms = 0;
    let mut fraction = false;
    if text.get(at) == Some(&b'.') {
        // rsyslog writes microseconds, other tools nanoseconds: read to milliseconds, the rest cut.
        let count = text[at + 1..].iter().take(10).take_while(|b| b.is_ascii_digit()).count();
        if count == 0 || count > 9 {
            return None;
        }
        let (value, _) = digits(&text[at + 1..at + 1 + count.min(3)], 1, 3)?;
        ms = value * [100, 10, 1][count.min(3) - 1];
        at += 1 + count;
        fraction = true;
    }
    let mut hour = h;
    let mut twelve_hour = false;
    if let Some((pm, len)) = meridiem(&text[at..]) {
        if !(1..=12).contains(&h) {
            return None;
        }
        hour = h % 12 + if pm { 12 } else { 0 };
        twelve_hour = true;
        at += len;
    }
    if hour > 23 {
        return None;
    }
    Some(Clock { ms_of_day: ((hour * 60 + m) * 60 + s.min(59)) * 1000 + ms, len: at, fraction, twelve_hour })
}

/// ` AM`, ` PM:`, `AM:` (space lost): whether PM, and the bytes it takes.
fn meridiem(text: &[u8]) -> Option<(bool, usize)> {
    let space = usize::from(text.first() == Some(&b' '));
    let word = text.get(space..space + 2)?;
    let pm = match word {
        b"AM" | b"am" => false,
        b"PM" | b"pm" => true,
        _ => return None,
    };
    let mut len = space + 2;
    // Not the start of a longer word ("AMS").
    match text.get(len) {
        Some(b':') => len += 1,
        Some(b) if b.is_ascii_alphanumeric() => return None,
        _ => {}
    }
    Some((pm, len))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(h: u32, m: u32, s: u32, f: u32) -> u32 {
        ((h * 60 + m) * 60 + s) * 1000 + f
    }

    #[test]
    fn sample_times() {
        let cases: &[(&str, Option<(u32, usize)>)] = &[
            ("17:46:37.262 [1660.4296]", Some((ms(17, 46, 37, 262), 12))),
            ("8:51:14.569 AM: [1924.2304]", Some((ms(8, 51, 14, 569), 15))),
            ("08:18:26.072 AM: [5416.6628]", Some((ms(8, 18, 26, 72), 16))),
            ("8:01:21.486 PM: [5716.6124]", Some((ms(20, 1, 21, 486), 15))),
            ("12:00:20 PM - Info", Some((ms(12, 0, 20, 0), 11))),
            ("12:30:00 AM - x", Some((ms(0, 30, 0, 0), 11))),
            ("05:31:57AM: [439]", Some((ms(5, 31, 57, 0), 11))),
            ("3:52:37 PM - Critical", Some((ms(15, 52, 37, 0), 10))),
            ("22:21:52 - Critical", Some((ms(22, 21, 52, 0), 8))),
            ("09:06:20 Error bpbrm", Some((ms(9, 6, 20, 0), 8))),
            ("13:00:00 AM", None),
            ("0:30:00 PM", None),
            ("24:00:00", None),
            ("9:6:20", None),
            ("17:46:37.", None),
            // Longer fractions are cut to milliseconds (rsyslog's microseconds, nanoseconds).
            ("08:37:12.000000+02:00 host", Some((ms(8, 37, 12, 0), 15))),
            ("08:37:12.123456 host", Some((ms(8, 37, 12, 123), 15))),
            ("08:37:12.987654321 host", Some((ms(8, 37, 12, 987), 18))),
            ("08:37:12.9876543210 host", None),
            ("8:51:14.5691 AM: [1924.2304]", Some((ms(8, 51, 14, 569), 16))),
            ("10:00:00 AMS", Some((ms(10, 0, 0, 0), 8))),
        ];
        for (text, want) in cases {
            let got = time_of_day(text.as_bytes()).map(|c| (c.ms_of_day, c.len));
            assert_eq!(got, *want, "{text}");
        }
    }
}
