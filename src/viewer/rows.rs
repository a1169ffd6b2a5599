//! The viewer's row filter: the rows of one thread of events, such as one job's tries (issue
//! 23) or one connection's packets (issue 24, "Network evidence"). It narrows the viewer's
//! usual [`super::Filter`] to a time window on each host's own clock, to the thread's hosts and
//! processes, and to the lines that name the thread's process ids.
//!
//! Pids are not in the line index (it keeps two bits a line): the caller marks the lines that
//! name one with a [`super::LineSearch::pids`] search, as a text search marks lines, and hands
//! the bits to [`super::LogTable::view`] (intersected with a text search's by
//! [`super::search::both`]).

use serde::{Deserialize, Serialize};

/// The rows of one thread of events. Every part that is empty restricts nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowFilter {
    /// What the rows are, for the viewer's status line ("job 4711").
    pub label: String,
    /// The window in UTC milliseconds, both ends included; `None` shows every time. It applies
    /// on each of `hosts` at its offset, and on none where no offset is known.
    pub window: Option<(i64, i64)>,
    /// The thread's hosts, each with its log clock's offset from UTC; empty: every host.
    pub hosts: Vec<ThreadHost>,
    /// Processes whose lines may show; empty: every process.
    pub processes: Vec<String>,
    /// Process ids the thread's lines name; empty: any. Applied through the caller's pid
    /// search (see the module's doc).
    pub pids: Vec<u32>,
    /// No log line at all: the thread's own rows alone (a capture's packets whose offset from
    /// the logs' clocks is not known).
    #[serde(default)]
    pub no_log_lines: bool,
}

/// A host of a thread, and how its log clock reads UTC.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadHost {
    pub name: String,
    /// The host's log time less UTC (debug logs write local time with no zone); `None` when it
    /// is not known, and then the window is not applied to the host's lines rather than
    /// applied across an unknown offset.
    pub offset_ms: Option<i64>,
}

/// Whether two host names are the same host: equal ignoring ASCII case, or one a short name
/// whose first label the other's is (`media01` and `media01.example.com`; job lists and log
/// folders name hosts either way). A label's words after the name (`media01 (2.2.2.2)`, as the
/// report labels a host with its address) are left out.
pub fn same_host(a: &str, b: &str) -> bool {
    let name = |h: &str| h.split(' ').next().unwrap_or(h).to_string();
    let (a, b) = (&name(a)[..], &name(b)[..]);
    let short = |h: &str| h.split('.').next().unwrap_or(h).to_ascii_lowercase();
    a.eq_ignore_ascii_case(b) || ((!a.contains('.') || !b.contains('.')) && short(a) == short(b))
}

impl RowFilter {
    /// Whether a file of `host` and `process` may show rows, and if so the window on its
    /// host's log clock (`None`: any time).
    pub fn file_window(&self, host: &str, process: &str) -> Option<Option<(i64, i64)>> {
        if self.no_log_lines || !self.processes.is_empty() && !self.processes.iter().any(|p| p == process) {
            return None;
        }
        let offset =
            if self.hosts.is_empty() { None } else { self.hosts.iter().find(|h| same_host(&h.name, host))?.offset_ms };
        Some(self.window.zip(offset).map(|((from, to), offset)| (from + offset, to + offset)))
    }
}

/// The process id a debug log line names after its time: `[1234]`, or `[1234.5678]` (a
/// Windows pid and thread id), within the line's first bytes; `None` for a line without one.
pub fn line_pid(text: &[u8]) -> Option<u32> {
    let head = &text[..text.len().min(PID_WITHIN)];
    let open = memchr::memchr(b'[', head)?;
    let rest = &head[open + 1..];
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 10 || !matches!(rest.get(digits), Some(b']' | b'.')) {
        return None;
    }
    std::str::from_utf8(&rest[..digits]).ok()?.parse().ok()
}

/// How far into a line its pid may start: a date, a time and a space come first in every
/// legacy form (`03/06/2020 06:03:11.296 [1234]`).
const PID_WITHIN: usize = 48;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_lines_pid_in_both_forms_and_nothing_else() {
        assert_eq!(line_pid(b"06:03:11.296 [12345] <2> bpbrm main: x"), Some(12345));
        assert_eq!(line_pid(b"10:12:41.620 [4756.5120] <2> bpcd main: x"), Some(4756));
        assert_eq!(line_pid(b"12/04/2015 10:00:00.000 [Debug] NB 51216 nbjm"), None);
        assert_eq!(line_pid(b"no pid here"), None);
        assert_eq!(line_pid(b"[12x]"), None);
        assert_eq!(line_pid(b"[99999999999]"), None);
        assert_eq!(line_pid(b""), None);
    }

    #[test]
    fn hosts_match_by_short_name_and_the_window_moves_to_each_hosts_clock() {
        assert!(same_host("media01", "MEDIA01.example.com"));
        assert!(same_host("media01.example.com", "media01.example.com"));
        assert!(!same_host("media01.a.com", "media01.b.com"));
        assert!(!same_host("media01", "media02"));
        assert!(same_host("media01 (2.2.2.2)", "media01"));
        let filter = RowFilter {
            window: Some((1000, 2000)),
            hosts: vec![
                ThreadHost { name: "m1".into(), offset_ms: Some(3_600_000) },
                ThreadHost { name: "c1".into(), offset_ms: None },
            ],
            processes: vec!["bpbrm".into(), "bpcd".into()],
            ..RowFilter::default()
        };
        assert_eq!(filter.file_window("m1.example.com", "bpbrm"), Some(Some((3_601_000, 3_602_000))));
        assert_eq!(filter.file_window("c1", "bpcd"), Some(None));
        assert_eq!(filter.file_window("c2", "bpcd"), None);
        assert_eq!(filter.file_window("m1", "bptm"), None);
        assert_eq!(RowFilter::default().file_window("any", "any"), Some(None));
        assert_eq!(RowFilter { no_log_lines: true, ..RowFilter::default() }.file_window("any", "any"), None);
    }
}
