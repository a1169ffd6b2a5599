//! Line grammars and value formats: every form of NetBackup log line nbtriage reads, socket
//! addresses, dates and times. Pure functions over bytes; they never fail (a line that does
//! not parse gives `None`).
//!
//! One module per family, each with the sample lines it was written from, as real logs and
//! support articles print them:
//! - [`legacy`]: debug logs, `HH:MM:SS.mmm [pid(.tid)] <N> text`, the 12-hour clock of Windows
//!   clients, and lines quoted without their time;
//! - [`agent`]: agent logs with a tag word (`INF -`) instead of a level;
//! - [`vxul`]: unified logs as `vxlogview` prints them;
//! - [`job_details`]: the Activity Monitor's Job Details, dated in several locales;
//! - [`msdp`]: the deduplication engine's logs;
//! - [`job_log`]: the job log's raw `LOG <epoch>` records;
//! - [`grep_prefix`]: any of these behind the `path:` prefix `grep -r` adds;
//! - [`status`]: a status stated in words and a number;
//! - [`syslog`]: the system log (`/var/log/messages`, `journalctl`, rsyslog's ISO form);
//! - [`eventlog`]: Windows' event log as Event Viewer lists and saves it as text.
//!
//! [`log_line`] decides the form from the line's first bytes: the usual debug-log header is
//! read first, by hand, since nearly every line of a large bundle has it.

pub mod agent;
pub mod bpdbjobs;
pub mod capture;
pub mod clock;
pub mod commands;
pub mod date;
pub mod eventlog;
pub mod grep_prefix;
pub mod job_details;
pub mod job_log;
pub mod json;
pub mod legacy;
pub mod msdp;
pub mod netstat;
mod scan;
pub mod settings;
pub mod stated;
pub mod status;
pub mod syslog;
pub mod vxul;

pub use scan::{blanks as scan_blanks, skip_blanks as scan_trim_start, trim_end as scan_trim_end};

use date::{LineDate, OrderHint};
use legacy::Severity;

/// Which grammar a line matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub enum LineForm {
    /// `HH:MM:SS.mmm [pid(.tid)] <N> text`.
    Legacy,
    /// The same on a 12-hour clock: `8:51:14.569 AM: [1924.2304] <2> text`.
    Legacy12Hour,
    /// Quoted without its time: `[pid.tid] <N> text`, `<N> text`.
    LegacyNoTime,
    /// `06/07/02 05:21:39 AM: [441]: INF - text`, `11:49:18 INF - text`.
    Agent,
    Vxul,
    JobDetails,
    Msdp,
    JobLog,
    /// The system log: `May 15 23:09:30 host kernel: text`, `2020-09-15T08:37:12+02:00 host prog[1]: text`.
    Syslog,
    /// Windows' event log as Event Viewer saves it: `2004/09/02 5:18:04 NetBackup TL4 Daemon Error None 9760 N/A HOST text`.
    EventLog,
}

impl LineForm {
    pub const ALL: [LineForm; 10] = [
        LineForm::Legacy,
        LineForm::Legacy12Hour,
        LineForm::LegacyNoTime,
        LineForm::Agent,
        LineForm::Vxul,
        LineForm::JobDetails,
        LineForm::Msdp,
        LineForm::JobLog,
        LineForm::Syslog,
        LineForm::EventLog,
    ];

    /// The name in reports (`forms` of a file).
    pub fn name(self) -> &'static str {
        match self {
            LineForm::Legacy => "legacy",
            LineForm::Legacy12Hour => "legacy-12-hour",
            LineForm::LegacyNoTime => "legacy-no-time",
            LineForm::Agent => "agent",
            LineForm::Vxul => "vxlogview",
            LineForm::JobDetails => "job-details",
            LineForm::Msdp => "msdp",
            LineForm::JobLog => "job-log",
            LineForm::Syslog => "syslog",
            LineForm::EventLog => "event-log",
        }
    }

    /// `n` lines of the form, in words, for a file's notes: "2 Job Details lines".
    pub fn words(self, n: u64) -> String {
        let plural = self.plural_words();
        if n == 1 {
            plural.replacen("lines", "line", 1).replacen("records", "record", 1)
        } else {
            plural.to_string()
        }
    }

    fn plural_words(self) -> &'static str {
        match self {
            LineForm::Legacy => "debug-log lines",
            LineForm::Legacy12Hour => "debug-log lines on a 12-hour clock",
            LineForm::LegacyNoTime => "debug-log lines without their time",
            LineForm::Agent => "agent-log lines (INF/ERR tags)",
            LineForm::Vxul => "vxlogview lines",
            LineForm::JobDetails => "Job Details lines",
            LineForm::Msdp => "deduplication-engine (MSDP) lines",
            LineForm::JobLog => "raw job-log records",
            LineForm::Syslog => "system-log lines (syslog, journalctl)",
            LineForm::EventLog => "Windows event-log lines (Event Viewer)",
        }
    }
}

/// A log line in any of the forms nbtriage reads, as the scanner needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogLine<'a> {
    pub form: LineForm,
    /// The line's own date, when it has one, and what it says about the day/month order.
    pub date: Option<(LineDate, OrderHint)>,
    /// Milliseconds since midnight; `None` for a line without a time.
    pub time: Option<u32>,
    pub pid: u32,
    pub tid: Option<u32>,
    /// The legacy `<N>` level; for other forms, 16 for errors, 8 for warnings, 4 otherwise.
    pub level: u16,
    pub severity: Severity,
    /// A process the line names itself (a VxUL originator, the process in a Job Details line).
    pub process: Option<&'a [u8]>,
    /// The VxUL originator id.
    pub oid: Option<u32>,
    pub job_id: Option<u64>,
    /// A job's status the line states (`... file read failed (13)` in Job Details).
    pub status: Option<u32>,
    /// Bytes of a `grep` prefix (`path:`) before the line proper; 0 when none.
    pub prefix: u16,
    pub body: &'a [u8],
}

/// What the scanner reads of a parsed line, whatever its form. `LogLine` has it all; the usual
/// debug-log line gives it straight from its header ([`DebugRecord`]), so that the line nearly
/// every byte of a large bundle is in is not copied into the general shape first.
pub trait Record<'a> {
    fn form(&self) -> LineForm;
    fn date(&self) -> Option<(LineDate, OrderHint)>;
    fn time(&self) -> Option<u32>;
    fn pid(&self) -> u32;
    fn tid(&self) -> Option<u32>;
    fn level(&self) -> u16;
    fn severity(&self) -> Severity;
    fn process(&self) -> Option<&'a [u8]>;
    fn oid(&self) -> Option<u32>;
    fn job_id(&self) -> Option<u64>;
    fn status(&self) -> Option<u32>;
    fn prefix(&self) -> u16;
    fn body(&self) -> &'a [u8];
}

impl<'a> Record<'a> for LogLine<'a> {
    fn form(&self) -> LineForm {
        self.form
    }
    fn date(&self) -> Option<(LineDate, OrderHint)> {
        self.date
    }
    fn time(&self) -> Option<u32> {
        self.time
    }
    fn pid(&self) -> u32 {
        self.pid
    }
    fn tid(&self) -> Option<u32> {
        self.tid
    }
    fn level(&self) -> u16 {
        self.level
    }
    fn severity(&self) -> Severity {
        self.severity
    }
    fn process(&self) -> Option<&'a [u8]> {
        self.process
    }
    fn oid(&self) -> Option<u32> {
        self.oid
    }
    fn job_id(&self) -> Option<u64> {
        self.job_id
    }
    fn status(&self) -> Option<u32> {
        self.status
    }
    fn prefix(&self) -> u16 {
        self.prefix
    }
    fn body(&self) -> &'a [u8] {
        self.body
    }
}

/// The usual debug-log line (`HH:MM:SS.mmm [pid(.tid)] <N> text`) as the scanner reads it.
#[derive(Debug, Clone, Copy)]
pub struct DebugRecord<'a> {
    pub line: legacy::LegacyLine<'a>,
    pub severity: Severity,
}

impl<'a> Record<'a> for DebugRecord<'a> {
    fn form(&self) -> LineForm {
        LineForm::Legacy
    }
    fn date(&self) -> Option<(LineDate, OrderHint)> {
        None
    }
    fn time(&self) -> Option<u32> {
        self.line.ms_of_day
    }
    fn pid(&self) -> u32 {
        self.line.pid
    }
    fn tid(&self) -> Option<u32> {
        self.line.tid
    }
    fn level(&self) -> u16 {
        self.line.level
    }
    fn severity(&self) -> Severity {
        self.severity
    }
    fn process(&self) -> Option<&'a [u8]> {
        None
    }
    fn oid(&self) -> Option<u32> {
        None
    }
    fn job_id(&self) -> Option<u64> {
        None
    }
    fn status(&self) -> Option<u32> {
        None
    }
    fn prefix(&self) -> u16 {
        0
    }
    fn body(&self) -> &'a [u8] {
        self.line.body
    }
}

/// The usual debug-log line, for the scanner: its severity read from its tags only when the line
/// may hold one (see [`scan_line`]).
#[inline(always)]
pub fn debug_record(text: &[u8], may_hold_tags: bool) -> Option<DebugRecord<'_>> {
    let line = legacy::parse_line(text)?;
    let severity =
        if may_hold_tags || line.level >= 16 { legacy::severity(line.level, line.body) } else { Severity::Info };
    Some(DebugRecord { line, severity })
}

/// Parses a line in any form nbtriage reads.
pub fn log_line(text: &[u8]) -> Option<LogLine<'_>> {
    log_line_after(text, None)
}

/// Parses a line, knowing the form of the line before it in the file: a plain `HH:MM:SS text`
/// is Job Details only after another Job Details line.
#[inline(always)]
pub fn log_line_after(text: &[u8], previous: Option<LineForm>) -> Option<LogLine<'_>> {
    scan_line(text, previous, true)
}

/// [`log_line_after`] for the scanner, which knows whether the line holds any needle: a debug
/// line without one holds no `ERR -`/`WRN -`/`FTL -`/`FATAL` tag (they are needles), so its
/// severity is its level's and its text is not searched. The result is the same.
#[inline(always)]
pub fn scan_line(text: &[u8], previous: Option<LineForm>, may_hold_tags: bool) -> Option<LogLine<'_>> {
    // The usual debug-log header first, inlined: nearly every line of a large bundle has it.
    if let Some(l) = legacy::parse_line(text) {
        let severity = if may_hold_tags || l.level >= 16 { legacy::severity(l.level, l.body) } else { Severity::Info };
        return Some(LogLine { severity, ..from_legacy_with(l, severity) });
    }
    other_forms(text, previous)
}

/// Every form but the usual header, and any form behind a quote's indent or a grep prefix.
#[inline(never)]
fn other_forms(text: &[u8], previous: Option<LineForm>) -> Option<LogLine<'_>> {
    any_form(text, previous).or_else(|| {
        quote_indent(text).into_iter().chain(grep_prefix::candidates(text)).find_map(|at| {
            let mut line =
                any_form(&text[at..], previous).or_else(|| legacy::parse_line(&text[at..]).map(from_legacy))?;
            line.prefix = u16::try_from(at).unwrap_or(u16::MAX);
            Some(line)
        })
    })
}

/// The indent a quoted line carries: the spaces or tabs of a forum post's or an article's code
/// block, or the `>` marks of a mail reply (`> 09:00:20.183 [7249] <2> ...`). Where the line's
/// own text starts, when it is indented at all.
pub fn quote_indent(text: &[u8]) -> Option<usize> {
    const MAX_INDENT: usize = 64;
    let n = text.iter().take(MAX_INDENT).take_while(|&&b| matches!(b, b' ' | b'\t' | b'>')).count();
    (n > 0 && n < text.len()).then_some(n)
}

/// Every form but the usual debug-log header, by the line's first byte.
fn any_form(text: &[u8], previous: Option<LineForm>) -> Option<LogLine<'_>> {
    let after_job_details = previous == Some(LineForm::JobDetails);
    match text.first()? {
        b'0'..=b'9' => legacy::parse_variant(text)
            .map(from_legacy)
            .or_else(|| vxul::parse_line(text).map(from_vxul))
            .or_else(|| agent::parse_line(text).map(from_agent))
            .or_else(|| msdp::parse_line(text).map(from_msdp))
            .or_else(|| job_details::parse_line(text, after_job_details).map(from_job_details))
            .or_else(|| syslog::parse_line(text).map(from_syslog))
            .or_else(|| eventlog::parse_line(text).map(from_eventlog)),
        b'[' | b'<' => legacy::parse_variant(text).map(from_legacy),
        b'A'..=b'Z' | b'a'..=b'z' => job_log::parse_line(text)
            .map(from_job_log)
            .or_else(|| msdp::parse_line(text).map(from_msdp))
            .or_else(|| job_details::parse_line(text, after_job_details).map(from_job_details))
            .or_else(|| syslog::parse_line(text).map(from_syslog)),
        _ => None,
    }
}

#[inline(always)]
fn line<'a>(form: LineForm, severity: Severity, body: &'a [u8]) -> LogLine<'a> {
    LogLine {
        form,
        date: None,
        time: None,
        pid: 0,
        tid: None,
        level: level_of(severity),
        severity,
        process: None,
        oid: None,
        job_id: None,
        status: None,
        prefix: 0,
        body,
    }
}

#[inline(always)]
fn from_legacy(l: legacy::LegacyLine<'_>) -> LogLine<'_> {
    from_legacy_with(l, legacy::severity(l.level, l.body))
}

#[inline(always)]
fn from_legacy_with(l: legacy::LegacyLine<'_>, severity: Severity) -> LogLine<'_> {
    let form = match (l.ms_of_day, l.twelve_hour) {
        (None, _) => LineForm::LegacyNoTime,
        (Some(_), true) => LineForm::Legacy12Hour,
        (Some(_), false) => LineForm::Legacy,
    };
    LogLine { time: l.ms_of_day, pid: l.pid, tid: l.tid, level: l.level, ..line(form, severity, l.body) }
}

fn from_vxul(v: vxul::VxulLine<'_>) -> LogLine<'_> {
    let severity = match v.severity {
        Some(b"Error" | b"Critical") => Severity::Error,
        Some(b"Warning") => Severity::Warning,
        _ => Severity::Info,
    };
    LogLine {
        date: v.date,
        time: Some(v.ms_of_day),
        pid: v.pid,
        tid: v.tid,
        process: v.originator,
        oid: v.oid,
        job_id: v.job_id,
        ..line(LineForm::Vxul, severity, v.body)
    }
}

fn from_agent(a: agent::AgentLine<'_>) -> LogLine<'_> {
    LogLine { date: a.date, time: Some(a.ms_of_day), pid: a.pid, ..line(LineForm::Agent, a.severity, a.body) }
}

fn from_msdp(m: msdp::MsdpLine<'_>) -> LogLine<'_> {
    LogLine {
        date: m.date.map(|d| (d, OrderHint::Either)),
        time: Some(m.ms_of_day),
        pid: m.pid,
        tid: m.tid,
        ..line(LineForm::Msdp, m.severity, m.body)
    }
}

fn from_job_log(j: job_log::JobLogLine<'_>) -> LogLine<'_> {
    let severity = tag_severity(j.severity, None);
    LogLine {
        date: Some((LineDate::Known(j.date), OrderHint::Either)),
        time: Some(j.ms_of_day),
        pid: j.pid,
        process: Some(j.who),
        ..line(LineForm::JobLog, severity, j.body)
    }
}

fn from_job_details(j: job_details::JobDetailsLine<'_>) -> LogLine<'_> {
    LogLine {
        date: j.date,
        time: j.ms_of_day,
        pid: j.pid.unwrap_or(0),
        process: j.process,
        status: j.status,
        ..line(LineForm::JobDetails, tag_severity(j.severity, j.status), j.body)
    }
}

/// A system-log line says no level in its text: an information line, its program its process.
fn from_syslog(l: syslog::SyslogLine<'_>) -> LogLine<'_> {
    LogLine {
        date: Some((l.date, OrderHint::Either)),
        time: Some(l.ms_of_day),
        pid: l.pid,
        process: Some(l.program),
        ..line(LineForm::Syslog, Severity::Info, l.body)
    }
}

/// An event's type is its severity; its source (`NetBackup TL4 Daemon`) the process it names.
fn from_eventlog(e: eventlog::EventLine<'_>) -> LogLine<'_> {
    LogLine {
        date: Some((e.date, e.hint)),
        time: Some(e.ms_of_day),
        process: Some(e.source),
        ..line(LineForm::EventLog, e.severity, e.body)
    }
}

/// `Error`/`Critical` and non-zero statuses are errors, `Warning` a warning.
fn tag_severity(tag: Option<&[u8]>, status: Option<u32>) -> Severity {
    match (tag, status) {
        (Some(b"Error" | b"Critical"), _) => Severity::Error,
        (_, Some(status)) if status != 0 && status != 1 => Severity::Error,
        (Some(b"Warning"), _) | (_, Some(1)) => Severity::Warning,
        _ => Severity::Info,
    }
}

fn level_of(severity: Severity) -> u16 {
    match severity {
        Severity::Error => 16,
        Severity::Warning => 8,
        Severity::Info => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One real line of each form (sources in each module), and what the dispatch makes of it.
    #[test]
    fn each_form_by_its_first_bytes() {
        let cases: &[(&str, Option<LineForm>)] = &[
            ("17:46:37.262 [1660.4296] <2> bpbrm read_media_msg: read from media manager", Some(LineForm::Legacy)),
            ("8:51:14.569 AM: [1924.2304] <2> tar_base::V_vTarMsgW: ERR - failure reading file", Some(LineForm::Legacy12Hour)),
            ("[17300.26824] <4> VxBSASendData: INF - entering SendData.", Some(LineForm::LegacyNoTime)),
            ("<2> db_end: Need to collect reply", Some(LineForm::LegacyNoTime)),
            ("06/07/02 05:21:39 AM: [441]: INF - FileAction() NSFSearch()", Some(LineForm::Agent)),
            ("11:49:18 INF - Server status = 0", Some(LineForm::Agent)),
            ("12/04/2015 15:48:54.101 [Application] NB 51216 nbjm 117 PID:5483 TID:14 File ID:117 [reqid=-1] [Info] V-117-40 x", Some(LineForm::Vxul)),
            ("1/19/2010 14:44:07.949 [Debug]NB 51216 nbjm 117 PID:880 TID:2712 File ID:117[reqid=-1] 4 x", Some(LineForm::Vxul)),
            ("05/02/2013 22:21:52 - Critical bptm (pid=5186) sts_close_handle failed", Some(LineForm::JobDetails)),
            ("Nov 14, 2024 1:30:22 PM - Error bpbrm (pid=1546320) from client exchange01: ERR - Terminating backup.", Some(LineForm::JobDetails)),
            ("media write error (84)", Some(LineForm::JobDetails)),
            ("20:02:47 ERR [372116] [140611802953472]: 25128: deleteImage: WORM image", Some(LineForm::Msdp)),
            ("bpdm/spad/020222.log:20:02:47 ERR [372116] [140611802953472]: 25128: deleteImage", Some(LineForm::Msdp)),
            ("LOG 1551428319 4 Info MSDP_Server.example.com 27726 StorageServer=PureDisk", Some(LineForm::JobLog)),
            ("Dec 4 08:54:36 host01 tldd[260]: TLD(0) unavailable: initialization failed:", Some(LineForm::Syslog)),
            ("2020-09-15T08:37:12.000000+02:00 wlpro-sns11n2 rsyslogd[17247]: [ID 702911 syslog.error] x", Some(LineForm::Syslog)),
            ("2004/09/02 5:18:04 NetBackup TL4 Daemon Error None 9760 N/A SYS-SEC-DB            TL4(0) [1380] Move_medium error", Some(LineForm::EventLog)),
            ("Dear support, the backup failed with status 13.", None),
            ("...snip...", None),
            ("  A portion of data to be included from a previous backup", None),
        ];
        for (text, want) in cases {
            assert_eq!(log_line(text.as_bytes()).map(|l| l.form), *want, "{text}");
        }
        let grep = log_line(b"bpdm/spad/020222.log:20:02:47 ERR [372116] [1]: x").unwrap();
        assert_eq!((grep.prefix, grep.body), (21, &b"x"[..]));
    }

    /// Lines quoted in articles' code blocks, forum posts and mail replies keep their indent
    /// (TECH71821's bpbrm lines, as a forum post or a reply would carry them).
    #[test]
    fn indented_and_mail_quoted_lines_are_read_after_the_indent() {
        let line = "09:06:20.087 [7249] <16> bpbrm readline: socket read failed: errno = 62 - Timer expired";
        for indent in ["  ", "\t", "    \t", "> ", ">> ", "> > "] {
            let quoted = format!("{indent}{line}");
            let parsed = log_line(quoted.as_bytes()).unwrap_or_else(|| panic!("{quoted:?} not read"));
            assert_eq!(
                (parsed.form, parsed.time, parsed.prefix as usize),
                (LineForm::Legacy, Some(32_780_087), indent.len())
            );
            assert!(parsed.body.starts_with(b"bpbrm readline"));
        }
        let details = log_line(b"  10/14/2018 21:09:24 - Critical bptm (pid=2772) image write failed").unwrap();
        assert_eq!(details.form, LineForm::JobDetails);
        // Prose stays prose, indented or not; a line of blanks is no line.
        assert!(log_line(b"    A portion of data to be included from a previous backup").is_none());
        assert!(log_line(b">   ").is_none());
        assert_eq!(quote_indent(b"  x"), Some(2));
        assert_eq!(quote_indent(b"x"), None);
        assert_eq!(quote_indent(b"   "), None);
    }
}
