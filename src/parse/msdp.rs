//! The deduplication engine's logs (MSDP: spad, spoold, storaged), a level word after the time:
//!
//! - `20:02:47 ERR [372116] [140611802953472]: 25128: deleteImage: WORM image(...) is NOT expired`
//!   (spad, Veritas 100052580, where it is quoted behind the `bpdm/spad/020222.log:` prefix that
//!   `grep -r` adds);
//! - `February 08 11:22:54 INF ...` (storaged.log, Veritas TECH153084; the rest of the line was
//!   not in the public copy, so only the date, time and level are relied on).
//!
//! The thread id is a 64-bit number: its low 32 bits tell threads apart.

use super::clock::time_of_day;
use super::date::{date, LineDate};
use super::legacy::Severity;
use super::scan::{number, skip_blanks, word};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MsdpLine<'a> {
    pub date: Option<LineDate>,
    pub ms_of_day: u32,
    pub pid: u32,
    pub tid: Option<u32>,
    pub severity: Severity,
    pub body: &'a [u8],
}

const LEVELS: &[(&[u8], Severity)] = &[
    (b"INF", Severity::Info),
    (b"INFO", Severity::Info),
    (b"DBG", Severity::Info),
    (b"DEBUG", Severity::Info),
    (b"WRN", Severity::Warning),
    (b"WARN", Severity::Warning),
    (b"WARNING", Severity::Warning),
    (b"ERR", Severity::Error),
    (b"ERROR", Severity::Error),
    (b"CRIT", Severity::Error),
    (b"CRITICAL", Severity::Error),
    (b"FTL", Severity::Error),
    (b"FATAL", Severity::Error),
];

pub fn parse_line(line: &[u8]) -> Option<MsdpLine<'_>> {
    let (dated, rest) = match date(line) {
        Some((d @ LineDate::NoYear { .. }, _, n)) => (Some(d), skip_blanks(&line[n..])),
        Some(_) => return None,
        None => (None, line),
    };
    let clock = time_of_day(rest)?;
    if clock.twelve_hour {
        return None;
    }
    let (level, mut rest) = word(skip_blanks(&rest[clock.len..]));
    let rest_start = rest;
    let (_, severity) = LEVELS.iter().find(|(w, _)| *w == level)?;
    let (mut pid, mut tid) = (0, None);
    if let Some(inner) = rest.strip_prefix(b"[") {
        let (p, n) = number(inner)?;
        pid = p;
        rest = skip_blanks(inner[n..].strip_prefix(b"]")?);
        if let Some(inner) = rest.strip_prefix(b"[") {
            let n = inner.iter().take(20).take_while(|b| b.is_ascii_digit()).count();
            if n == 0 {
                return None;
            }
            let value = inner[..n].iter().fold(0u64, |v, &d| v.wrapping_mul(10).wrapping_add(u64::from(d - b'0')));
            tid = Some(value as u32);
            rest = inner[n..].strip_prefix(b"]")?;
        }
        rest = skip_blanks(rest.strip_prefix(b":").unwrap_or(rest));
    } else if dated.is_none() {
        // A time and a level word alone would take too much prose: the form needs its `[pid]`.
        return None;
    }
    let body = if rest.is_empty() { rest_start } else { rest };
    Some(MsdpLine { date: dated, ms_of_day: clock.ms_of_day, pid, tid, severity: *severity, body })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_lines() {
        let l = parse_line(
            b"20:02:47 ERR [372116] [140611802953472]: 25128: deleteImage: WORM image(/mnt/x.info) is NOT expired",
        )
        .unwrap();
        assert_eq!((l.ms_of_day, l.pid, l.severity), (72_167_000, 372_116, Severity::Error));
        assert_eq!(l.tid, Some(140_611_802_953_472u64 as u32));
        assert_eq!(l.body, b"25128: deleteImage: WORM image(/mnt/x.info) is NOT expired");
        let l = parse_line(b"February 08 11:22:54 INF queue processing failed").unwrap();
        assert_eq!((l.date, l.severity), (Some(LineDate::NoYear { month: 2, day: 8 }), Severity::Info));
        assert_eq!(l.body, b"queue processing failed");
        for not in
            [&b"09:06:20 Error bpbrm (pid=7249) x"[..], b"11:49:18 INF - Server status = 0", b"10:00:00 ERR no pid"]
        {
            assert_eq!(parse_line(not), None, "{}", String::from_utf8_lossy(not));
        }
    }
}
