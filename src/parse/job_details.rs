//! Job Details text, as copied from the Activity Monitor (reference §1.5):
//!
//! ```text
//! 05/02/2013 22:21:52 - Critical bptm (pid=5186) sts_close_handle failed: 2060017 system call failed
//! 05/02/2013 22:23:34 - end writing; write time: 3:32:21 media close error  (87)
//! 09:06:20 Error bpbrm (pid=7249) socket read failed: errno = 62 - Timer expired
//! 09:06:20 end writing file read failed (13)
//! ```
//!
//! The dated form (month first, as in the samples) is distinctive; a time-only line is taken as
//! Job Details only when it names a process and its pid, or ends with a status in parentheses,
//! so that other `HH:MM:SS text` lines are not mistaken for it.

use super::time::Date;

/// One Job Details line; `body` borrows the message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobDetailsLine<'a> {
    pub date: Option<Date>,
    pub ms_of_day: u32,
    /// `Info`, `Warning`, `Error` or `Critical`, when given.
    pub severity: Option<&'a [u8]>,
    /// The process named before `(pid=N)`.
    pub process: Option<&'a [u8]>,
    pub pid: Option<u32>,
    /// A status at the end of the line: `... file read failed (13)`.
    pub status: Option<u32>,
    pub body: &'a [u8],
}

const SEVERITIES: [&[u8]; 4] = [b"Info", b"Warning", b"Error", b"Critical"];

pub fn parse_line(line: &[u8]) -> Option<JobDetailsLine<'_>> {
    let line = line.strip_suffix(b" ").unwrap_or(line);
    let (date, rest) = match date(line) {
        Some((date, rest)) => (Some(date), rest.strip_prefix(b" ")?),
        None => (None, line),
    };
    let (ms_of_day, rest) = time(rest)?;
    let rest = match (date, rest.strip_prefix(b" - ")) {
        (Some(_), Some(rest)) => rest,
        (Some(_), None) => return None,
        (None, _) => rest.strip_prefix(b" ")?,
    };
    let mut out =
        JobDetailsLine { date, ms_of_day, severity: None, process: None, pid: None, status: None, body: rest };
    let mut words = rest.splitn(3, |&b| b == b' ');
    if let (Some(severity), Some(process), Some(after)) = (words.next(), words.next(), words.next()) {
        if SEVERITIES.contains(&severity) {
            out.severity = Some(severity);
            if let Some(pid) = after.strip_prefix(b"(pid=").and_then(|p| {
                let close = memchr::memchr(b')', p)?;
                Some((std::str::from_utf8(&p[..close]).ok()?.parse::<u32>().ok()?, &p[close + 1..]))
            }) {
                out.process = Some(process);
                out.pid = Some(pid.0);
                out.body = pid.1.strip_prefix(b" ").unwrap_or(pid.1);
            } else {
                out.body = &rest[severity.len() + 1..];
            }
        }
    }
    out.status = trailing_status(rest);
    if date.is_none() && out.pid.is_none() && out.status.is_none() {
        return None;
    }
    Some(out)
}

/// `(13)` at the end of a line.
fn trailing_status(text: &[u8]) -> Option<u32> {
    let inner = text.strip_suffix(b")")?;
    let open = memchr::memrchr(b'(', inner)?;
    let digits = &inner[open + 1..];
    if digits.is_empty() || digits.len() > 4 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// `MM/DD/YYYY`, zero-padded, as the Activity Monitor writes it.
fn date(text: &[u8]) -> Option<(Date, &[u8])> {
    if text.len() < 10 || text[2] != b'/' || text[5] != b'/' {
        return None;
    }
    let n = |at: usize, len: usize| -> Option<u32> {
        let digits = &text[at..at + len];
        digits.iter().all(u8::is_ascii_digit).then(|| digits.iter().fold(0, |n, &d| n * 10 + u32::from(d - b'0')))
    };
    let (month, day, year) = (n(0, 2)?, n(3, 2)?, n(6, 4)?);
    Some((Date::new(year as i32, month as u8, day as u8)?, &text[10..]))
}

/// `HH:MM:SS`, with no fraction (the fraction would make it a legacy or VxUL line).
fn time(text: &[u8]) -> Option<(u32, &[u8])> {
    if text.len() < 8 || text[2] != b':' || text[5] != b':' || text.get(8) == Some(&b'.') {
        return None;
    }
    let n = |at: usize| -> Option<u32> {
        let d = &text[at..at + 2];
        d.iter().all(u8::is_ascii_digit).then(|| u32::from(d[0] - b'0') * 10 + u32::from(d[1] - b'0'))
    };
    let (h, m, s) = (n(0)?, n(3)?, n(6)?);
    if h > 23 || m > 59 || s > 60 {
        return None;
    }
    Some(((h * 3600 + m * 60 + s) * 1000, &text[8..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference's verbatim lines (§1.5).
    #[test]
    fn both_forms() {
        let l = parse_line(
            b"05/02/2013 22:21:52 - Critical bptm (pid=5186) sts_close_handle failed: 2060017 system call failed",
        )
        .unwrap();
        assert_eq!(l.date, Date::new(2013, 5, 2));
        assert_eq!(l.ms_of_day, (22 * 3600 + 21 * 60 + 52) * 1000);
        assert_eq!((l.severity, l.process, l.pid), (Some(&b"Critical"[..]), Some(&b"bptm"[..]), Some(5186)));
        assert_eq!(l.body, b"sts_close_handle failed: 2060017 system call failed");
        assert_eq!(l.status, None);

        let l = parse_line(b"05/02/2013 22:23:34 - end writing; write time: 3:32:21 media close error  (87)").unwrap();
        assert_eq!((l.severity, l.pid, l.status), (None, None, Some(87)));

        let l = parse_line(b"09:06:20 Error bpbrm (pid=7249) socket read failed: errno = 62 - Timer expired").unwrap();
        assert_eq!((l.date, l.process, l.pid), (None, Some(&b"bpbrm"[..]), Some(7249)));
        assert_eq!(l.body, b"socket read failed: errno = 62 - Timer expired");

        let l = parse_line(b"09:06:20 end writing file read failed (13)").unwrap();
        assert_eq!((l.status, l.body), (Some(13), &b"end writing file read failed (13)"[..]));
    }

    #[test]
    fn other_lines_are_not_job_details() {
        for line in [
            &b"17:49:54.006 [5592.5372] <2> vnet_async_connect: connect in progress: 1"[..],
            b"09:06:20 something happened",
            b"12/04/2015 15:48:54.101 [Debug] NB 51216 nbjm 117 PID:1 x",
            b"99:99:99 Error x (pid=1) y",
            b"",
        ] {
            assert_eq!(parse_line(line), None, "{}", String::from_utf8_lossy(line));
        }
    }
}
