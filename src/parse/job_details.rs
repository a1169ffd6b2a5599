//! Job Details text, as the Activity Monitor and its copies print it (reference §1.5):
//!
//! ```text
//! 09:00:12 started process bpbrm (pid=7249)                                   time only [S36]
//! 09:06:20 end writing file read failed (13)
//! 05/02/2013 22:21:52 - Critical bptm (pid=5186) sts_close_handle failed: ...  [S14]
//! 8/6/2014 3:52:37 PM - Critical bptm(pid=10384) image write failed: ...     VOX 694027
//! 29.jan.2021 02:48:17 - Info ndmpagent (pid=50203) ...                       Veritas 100049585
//! Dec 17, 2021 12:00:20 PM - Info bpdm (pid=154836) ...                       Veritas 100052580
//! 05/02/2013 22:21:53 - Info b7pnbmed1 (pid=5186) StorageServer=PureDisk:...  a host, not a process
//! media write error (84)                                                      the final status alone
//! ```
//!
//! A dated line needs its ` - `; a time-only line is taken as Job Details when it names a
//! `(pid=N)`, ends with a status beside its message, starts with a tag word, or follows another
//! Job Details line, so that other `HH:MM:SS text` lines are not mistaken for it. A status
//! counts only beside its official message (see [`super::status`]).

use super::clock::time_of_day;
use super::date::{date, LineDate, OrderHint};
use super::scan::{blanks, number, skip_blanks, trim_end};
use super::status;

/// One Job Details line; `body` borrows the message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobDetailsLine<'a> {
    pub date: Option<(LineDate, OrderHint)>,
    /// `None` for a line with no time (the final status on a line of its own).
    pub ms_of_day: Option<u32>,
    /// `Info`, `Warning`, `Error` or `Critical`, when given.
    pub severity: Option<&'a [u8]>,
    /// The process (or host) named before `(pid=N)`.
    pub process: Option<&'a [u8]>,
    pub pid: Option<u32>,
    /// The job's status the line states: `... file read failed (13)`, `status: 84: media write error`.
    pub status: Option<u32>,
    pub body: &'a [u8],
}

const SEVERITIES: [&[u8]; 4] = [b"Info", b"Warning", b"Error", b"Critical"];

/// Parses a Job Details line; `after_job_details` says the line before was one, which lets a
/// plain `HH:MM:SS text` line through.
pub fn parse_line(line: &[u8], after_job_details: bool) -> Option<JobDetailsLine<'_>> {
    let line = trim_end(line);
    let first = line.first()?;
    let (dated, rest) = match date(line) {
        Some((d, hint, n)) => {
            let blanks = blanks(&line[n..]);
            if blanks == 0 {
                return None;
            }
            (Some((d, hint)), &line[n + blanks..])
        }
        None if first.is_ascii_digit() => (None, line),
        None => return status_alone(line),
    };
    let clock = time_of_day(rest)?;
    if clock.fraction {
        return None;
    }
    let after_time = &rest[clock.len..];
    let rest = match after_time.strip_prefix(b" ") {
        Some(r) => skip_blanks(r),
        None => return None,
    };
    let (had_dash, rest) = match rest.strip_prefix(b"-") {
        Some(r) if r.is_empty() || r[0] == b' ' => (true, skip_blanks(r)),
        _ => (false, rest),
    };
    if dated.is_some() && !had_dash {
        return None;
    }
    let mut out = message(rest);
    out.date = dated;
    out.ms_of_day = Some(clock.ms_of_day);
    let vouched = dated.is_some()
        || had_dash
        || out.pid.is_some()
        || memchr::memmem::find(rest, b"(pid=").is_some()
        || out.status.is_some()
        || out.severity.is_some()
        || after_job_details;
    vouched.then_some(out)
}

/// The final status on a line of its own: `media write error (84)`.
fn status_alone(line: &[u8]) -> Option<JobDetailsLine<'_>> {
    let code = status::trailing(line)?;
    Some(JobDetailsLine {
        date: None,
        ms_of_day: None,
        severity: None,
        process: None,
        pid: None,
        status: Some(code),
        body: line,
    })
}

/// The text after the time: a tag word, `process (pid=N)` or `process(pid=N)`, the message.
fn message(text: &[u8]) -> JobDetailsLine<'_> {
    let mut out = JobDetailsLine {
        date: None,
        ms_of_day: None,
        severity: None,
        process: None,
        pid: None,
        status: None,
        body: text,
    };
    let mut rest = text;
    if let Some(&tag) = SEVERITIES.iter().find(|t| rest.starts_with(t) && rest.get(t.len()) == Some(&b' ')) {
        // Borrowed from the line, not the table: every field of a parsed line points into it.
        out.severity = Some(&rest[..tag.len()]);
        rest = skip_blanks(&rest[tag.len()..]);
        out.body = rest;
    }
    let name_end = rest.iter().position(|&b| b == b' ' || b == b'(').unwrap_or(rest.len());
    let after_name = skip_blanks(&rest[name_end..]);
    if name_end > 0 {
        if let Some(pid_text) = after_name.strip_prefix(b"(pid=") {
            if let Some((pid, n)) = number(pid_text) {
                if pid_text.get(n) == Some(&b')') {
                    out.process = Some(&rest[..name_end]);
                    out.pid = Some(pid);
                    out.body = skip_blanks(&pid_text[n + 1..]);
                }
            }
        }
    }
    out.status = status::trailing(text).or_else(|| {
        let at = memchr::memmem::find(out.body, b"status: ")?;
        status::leading(&out.body[at + b"status: ".len()..])
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::time::Date;

    type Expect<'a> = (bool, Option<u32>, Option<&'a str>, Option<&'a str>, Option<u32>, Option<u32>, &'a str);

    #[test]
    fn the_severity_word_is_borrowed_from_the_line() {
        // Found by the fuzz target's check (fuzz/regressions/line): it pointed into the table.
        let line = b"05:14:32 - Critical bptm(pid=8965) media close error";
        let parsed = parse_line(line, false).unwrap();
        let severity = parsed.severity.unwrap();
        assert_eq!(severity, b"Critical");
        let at = severity.as_ptr() as usize - line.as_ptr() as usize;
        assert!(at < line.len(), "the severity points outside the line");
    }

    fn text(b: &[u8]) -> &str {
        std::str::from_utf8(b).unwrap()
    }

    fn read(line: &str, after: bool) -> Option<Expect<'_>> {
        // Every part borrows from `line`, so the strings live as long as it does.
        parse_line(line.as_bytes(), after).map(|l| {
            (l.date.is_some(), l.ms_of_day, l.severity.map(text), l.process.map(text), l.pid, l.status, text(l.body))
        })
    }

    /// Real lines (sources in the module's doc).
    #[test]
    fn every_form() {
        let t = |h: u32, m: u32, s: u32| Some((h * 3600 + m * 60 + s) * 1000);
        let cases: &[(&str, bool, Option<Expect<'_>>)] = &[
            (
                "05/02/2013 22:21:52 - Critical bptm (pid=5186) sts_close_handle failed: 2060017 system call failed",
                false,
                Some((true, t(22, 21, 52), Some("Critical"), Some("bptm"), Some(5186), None, "sts_close_handle failed: 2060017 system call failed")),
            ),
            (
                "05/02/2013 22:23:34 - end writing; write time: 3:32:21 media close error  (87)",
                false,
                Some((true, t(22, 23, 34), None, None, None, Some(87), "end writing; write time: 3:32:21 media close error  (87)")),
            ),
            (
                "09:06:20 Error bpbrm (pid=7249) socket read failed: errno = 62 - Timer expired",
                false,
                Some((false, t(9, 6, 20), Some("Error"), Some("bpbrm"), Some(7249), None, "socket read failed: errno = 62 - Timer expired")),
            ),
            ("09:06:20 end writing file read failed (13)", false, Some((false, t(9, 6, 20), None, None, None, Some(13), "end writing file read failed (13)"))),
            ("09:00:12 started process bpbrm (pid=7249)", false, Some((false, t(9, 0, 12), None, None, None, None, "started process bpbrm (pid=7249)"))),
            ("09:00:20 connecting", true, Some((false, t(9, 0, 20), None, None, None, None, "connecting"))),
            ("09:00:20 connecting", false, None),
            (
                "8/6/2014 3:52:37 PM - Critical bptm(pid=10384) image write failed: error -1: plugin error    ",
                false,
                Some((true, t(15, 52, 37), Some("Critical"), Some("bptm"), Some(10384), None, "image write failed: error -1: plugin error")),
            ),
            (
                "29.jan.2021 03:02:43 - Critical bptm (pid=50205) image write failed: error 227: Not an OST error code",
                false,
                Some((true, t(3, 2, 43), Some("Critical"), Some("bptm"), Some(50205), None, "image write failed: error 227: Not an OST error code")),
            ),
            (
                "Dec 17, 2021 12:00:20 PM - Info bpdm (pid=154836) Failed to delete WORM locked image client1_1638486030_C1_IM: error 2060069.",
                false,
                Some((true, t(12, 0, 20), Some("Info"), Some("bpdm"), Some(154836), None, "Failed to delete WORM locked image client1_1638486030_C1_IM: error 2060069.")),
            ),
            (
                "05/02/2013 22:21:53 - Info b7pnbmed1 (pid=5186) StorageServer=PureDisk:nbmed1; Report=PDDO Stats",
                false,
                Some((true, t(22, 21, 53), Some("Info"), Some("b7pnbmed1"), Some(5186), None, "StorageServer=PureDisk:nbmed1; Report=PDDO Stats")),
            ),
            (
                "10/14/2018 21:09:29 - Info bpbkar (pid=2812) done. status: 84: media write error",
                false,
                Some((true, t(21, 9, 29), Some("Info"), Some("bpbkar"), Some(2812), Some(84), "done. status: 84: media write error")),
            ),
            ("media write error (84)", false, Some((false, None, None, None, None, Some(84), "media write error (84)"))),
            ("the requested operation was successfully completed (0)", false, Some((false, None, None, None, None, Some(0), "the requested operation was successfully completed (0)"))),
            ("Unknown Shadow Copy DBLK SubType (36)", false, None),
            ("17:49:54.006 [5592.5372] <2> vnet_async_connect: connect in progress: 1", false, None),
            ("12/04/2015 15:48:54.101 [Debug] NB 51216 nbjm 117 PID:1 x", false, None),
            ("09/21/2005 09:29  10/05/2005        3      224  N  User Backup  server01_windows", false, None),
            ("99:99:99 Error x (pid=1) y", false, None),
            ("", false, None),
        ];
        for (line, after, want) in cases {
            assert_eq!(read(line, *after), *want, "{line}");
        }
        let l = parse_line(b"29.jan.2021 02:48:17 - Info ndmpagent (pid=50203) x", false).unwrap();
        assert_eq!(l.date.map(|d| d.0), Some(LineDate::Known(Date::new(2021, 1, 29).unwrap())));
    }
}
