//! Agent logs with a tag word instead of a `<N>` level:
//!
//! - old database-agent logs, the date in the line, a 12-hour clock, `[pid]:` and a tag
//!   (Lotus Notes in bpbkar's log, NetBackup 4.5; Veritas 100016299, reference §1.3 [S34]):
//!   `06/07/02 05:21:39 AM: [441]: INF - FileAction() NSFSearch() Found <database_name>.nsf`;
//!   pasted copies lose spaces: `06/07/0205:22:57 AM: [439]:INF - ...`, `05:31:57AM:`;
//! - the Oracle/database agents' comm file, a time and a tag (Veritas TECH20615):
//!   `11:49:18 INF - Server status = 0`.
//!
//! The tag becomes the level: `ERR` and `FTL` are errors, `WRN` a warning, the others
//! (`INF`, `TAR`, `FIL`, `TRV`) information.

use super::clock::time_of_day;
use super::date::{date, LineDate, OrderHint};
use super::legacy::Severity;
use super::scan::{blanks, number, skip_blanks};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgentLine<'a> {
    pub date: Option<(LineDate, OrderHint)>,
    pub ms_of_day: u32,
    pub pid: u32,
    pub severity: Severity,
    pub body: &'a [u8],
}

const TAGS: &[(&[u8], Severity)] = &[
    (b"INF", Severity::Info),
    (b"TAR", Severity::Info),
    (b"FIL", Severity::Info),
    (b"TRV", Severity::Info),
    (b"WRN", Severity::Warning),
    (b"ERR", Severity::Error),
    (b"FTL", Severity::Error),
];

pub fn parse_line(line: &[u8]) -> Option<AgentLine<'_>> {
    let (dated, rest) = match date(line) {
        Some((d, hint, n)) => (Some((d, hint)), skip_blanks(&line[n..])),
        None => (None, line),
    };
    let clock = time_of_day(rest)?;
    let mut rest = skip_blanks(&rest[clock.len..]);
    let mut pid = 0;
    if let Some(inner) = rest.strip_prefix(b"[") {
        let (p, n) = number(inner)?;
        pid = p;
        let after = inner[n..].strip_prefix(b"]")?;
        rest = skip_blanks(after.strip_prefix(b":").unwrap_or(after));
    } else if dated.is_some() {
        return None;
    }
    let (tag, severity) = TAGS.iter().find(|(t, _)| rest.starts_with(t))?;
    let after = &rest[tag.len()..];
    let after = &after[blanks(after)..];
    let body = after.strip_prefix(b"-")?;
    Some(AgentLine { date: dated, ms_of_day: clock.ms_of_day, pid, severity: *severity, body: skip_blanks(body) })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Dated, time, pid, severity, body.
    type Expect = (bool, u32, u32, Severity, &'static str);

    #[test]
    fn sample_lines() {
        let cases: &[(&str, Option<Expect>)] = &[
            (
                "06/07/02 05:21:39 AM: [441]: INF - FileAction() NSFSearch() Found <database_name>.nsf",
                Some((true, 19_299_000, 441, Severity::Info, "FileAction() NSFSearch() Found <database_name>.nsf")),
            ),
            (
                "06/07/0205:22:57 AM: [439]:INF - CopyLocalToMaster() Allocate memory for theobject",
                Some((true, 19_377_000, 439, Severity::Info, "CopyLocalToMaster() Allocate memory for theobject")),
            ),
            (
                "06/07/02 05:31:57AM: [439]: INF - read non-blocking message of length1",
                Some((true, 19_917_000, 439, Severity::Info, "read non-blocking message of length1")),
            ),
            (
                "06/07/02 05:24:43 AM: [439]: INF -NBLN_FindNextFile() <Enter>",
                Some((true, 19_483_000, 439, Severity::Info, "NBLN_FindNextFile() <Enter>")),
            ),
            (
                "06/07/02 05:24:44 AM: [439]: TAR - Backup:C:\\Notes\\<database_name>.nsf",
                Some((true, 19_484_000, 439, Severity::Info, "Backup:C:\\Notes\\<database_name>.nsf")),
            ),
            ("11:49:18 INF - Server status = 0", Some((false, 42_558_000, 0, Severity::Info, "Server status = 0"))),
            ("11:49:18 ERR - Server status = 6", Some((false, 42_558_000, 0, Severity::Error, "Server status = 6"))),
            ("09:06:20 Error bpbrm (pid=7249) socket read failed", None),
            ("06/07/02 05:21:39 AM: INF - no pid", None),
        ];
        for (line, want) in cases {
            let got = parse_line(line.as_bytes())
                .map(|l| (l.date.is_some(), l.ms_of_day, l.pid, l.severity, std::str::from_utf8(l.body).unwrap()));
            assert_eq!(got, *want, "{line}");
        }
    }
}
