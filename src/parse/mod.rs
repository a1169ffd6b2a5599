//! Line grammars and value formats: legacy debug lines, vxlogview (VxUL) lines, Job Details,
//! socket addresses, dates and times.
//! Pure functions over bytes; never fail (a line that does not parse gives `None`).

pub mod addr;
pub mod job_details;
pub mod legacy;
pub mod time;
pub mod vxul;

use legacy::Severity;
use time::Date;

/// Which grammar a line matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LineForm {
    Legacy,
    Vxul,
    JobDetails,
}

/// A log line in any of the forms nbtriage reads, as the scanner needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogLine<'a> {
    pub form: LineForm,
    /// The line's own date (vxlogview and dated Job Details lines); legacy lines have none.
    pub date: Option<Date>,
    pub ms_of_day: u32,
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
    /// A job's status the line reports (`... (13)` in Job Details).
    pub status: Option<u32>,
    pub body: &'a [u8],
}

/// Parses a line in the legacy, vxlogview or Job Details form (tried in that order: legacy is
/// by far the most common and rejects other lines within a few bytes).
pub fn log_line(text: &[u8]) -> Option<LogLine<'_>> {
    if let Some(l) = legacy::parse_line(text) {
        return Some(LogLine {
            form: LineForm::Legacy,
            date: None,
            ms_of_day: l.ms_of_day,
            pid: l.pid,
            tid: l.tid,
            level: l.level,
            severity: legacy::severity(l.level, l.body),
            process: None,
            oid: None,
            job_id: None,
            status: None,
            body: l.body,
        });
    }
    if let Some(v) = vxul::parse_line(text) {
        let severity = match v.severity {
            Some(b"Error" | b"Critical") => Severity::Error,
            Some(b"Warning") => Severity::Warning,
            _ => Severity::Info,
        };
        return Some(LogLine {
            form: LineForm::Vxul,
            date: v.date,
            ms_of_day: v.ms_of_day,
            pid: v.pid,
            tid: v.tid,
            level: level_of(severity),
            severity,
            process: v.originator,
            oid: v.oid,
            job_id: v.job_id,
            status: None,
            body: v.body,
        });
    }
    let j = job_details::parse_line(text)?;
    let severity = match (j.severity, j.status) {
        (Some(b"Error" | b"Critical"), _) => Severity::Error,
        (_, Some(status)) if status != 0 => Severity::Error,
        (Some(b"Warning"), _) => Severity::Warning,
        _ => Severity::Info,
    };
    Some(LogLine {
        form: LineForm::JobDetails,
        date: j.date,
        ms_of_day: j.ms_of_day,
        pid: j.pid.unwrap_or(0),
        tid: None,
        level: level_of(severity),
        severity,
        process: j.process,
        oid: None,
        job_id: None,
        status: j.status,
        body: j.body,
    })
}

fn level_of(severity: Severity) -> u16 {
    match severity {
        Severity::Error => 16,
        Severity::Warning => 8,
        Severity::Info => 4,
    }
}
