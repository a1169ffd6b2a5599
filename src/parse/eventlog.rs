//! Windows' event log as Event Viewer lists and saves it as text, one event a line: the date, the
//! time, the source, the type, the category, the event id, the user, the computer, then the
//! description. NetBackup's Media Manager daemons write their errors there (the log type is
//! Application, Logging Reference Guide). The one public NetBackup line, Veritas 100023264 (its
//! columns separated by blanks as the article's copy shows them):
//!
//! `2004/09/02 5:18:04 NetBackup TL4 Daemon Error None 9760 N/A SYS-SEC-DB            TL4(0) [1380] Move_medium error`
//!
//! The source may be several words: the type (`Error`, `Warning`, `Information`) ends it. The
//! category may be several words too: the event id, a number, ends it.

use super::clock::time_of_day;
use super::date::{date, LineDate, OrderHint};
use super::legacy::Severity;
use super::scan::{number, skip_blanks};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventLine<'a> {
    pub date: LineDate,
    pub hint: OrderHint,
    pub ms_of_day: u32,
    pub source: &'a [u8],
    pub severity: Severity,
    pub event_id: u32,
    pub computer: &'a [u8],
    pub body: &'a [u8],
}

/// The most words a source or a category is read over.
const MAX_WORDS: usize = 6;

/// Reads an event's line, or `None`.
pub fn parse_line(line: &[u8]) -> Option<EventLine<'_>> {
    let (date, hint, n) = date(line)?;
    let rest = after_blanks(&line[n..])?;
    let clock = time_of_day(rest)?;
    let rest = after_blanks(&rest[clock.len..])?;
    // The source: the words before the type.
    let mut source_end = 0;
    let mut words = 0;
    let mut at = rest;
    let severity = loop {
        let (word, after) = split_word(at);
        if source_end > 0 {
            if let Some(severity) = level(word) {
                at = after;
                break severity;
            }
        }
        words += 1;
        if words > MAX_WORDS {
            return None;
        }
        source_end = word.as_ptr() as usize + word.len() - rest.as_ptr() as usize;
        at = after_blanks(after)?;
    };
    let source = &rest[..source_end];
    // The category, then the event id.
    let mut at = after_blanks(at)?;
    let mut event_id = None;
    for _ in 0..MAX_WORDS {
        let (word, after) = split_word(at);
        at = after_blanks(after)?;
        if let Some((id, n)) = number(word).filter(|&(_, n)| n == word.len()) {
            event_id = Some((id, n));
            break;
        }
    }
    let (event_id, _) = event_id?;
    let (_user, after) = split_word(at);
    let (computer, after) = split_word(after_blanks(after)?);
    let body = skip_blanks(after);
    (!computer.is_empty() && !body.is_empty()).then_some(EventLine {
        date,
        hint,
        ms_of_day: clock.ms_of_day,
        source,
        severity,
        event_id,
        computer,
        body,
    })
}

/// The text after a run of at least one blank, or `None` when there is none.
fn after_blanks(text: &[u8]) -> Option<&[u8]> {
    let rest = skip_blanks(text);
    (rest.len() < text.len() && !rest.is_empty()).then_some(rest)
}

/// The word at the start and what follows it.
fn split_word(text: &[u8]) -> (&[u8], &[u8]) {
    let n = text.iter().take_while(|&&b| b != b' ' && b != b'\t').count();
    text.split_at(n)
}

/// An event's type, as Event Viewer names it.
fn level(word: &[u8]) -> Option<Severity> {
    match word {
        b"Error" => Some(Severity::Error),
        b"Warning" => Some(Severity::Warning),
        b"Information" => Some(Severity::Info),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::time::Date;

    #[test]
    fn the_public_netbackup_event() {
        let line = b"2004/09/02 5:18:04 NetBackup TL4 Daemon Error None 9760 N/A SYS-SEC-DB            TL4(0) [1380] Move_medium error";
        let e = parse_line(line).unwrap();
        assert_eq!(e.date, LineDate::Known(Date::new(2004, 9, 2).unwrap()));
        assert_eq!(e.ms_of_day, (5 * 3600 + 18 * 60 + 4) * 1000);
        assert_eq!((e.source, e.severity, e.event_id), (&b"NetBackup TL4 Daemon"[..], Severity::Error, 9760));
        assert_eq!((e.computer, e.body), (&b"SYS-SEC-DB"[..], &b"TL4(0) [1380] Move_medium error"[..]));
        // Tabs, as Event Viewer's tab-delimited text has them.
        let tabs = b"2004/09/02\t5:18:04\tNetBackup TL4 Daemon\tError\tNone\t9760\tN/A\tSYS-SEC-DB\tTL4(0) [1380] Move_medium error";
        assert_eq!(parse_line(tabs).map(|e| e.body), Some(&b"TL4(0) [1380] Move_medium error"[..]));
    }

    #[test]
    fn other_dated_lines_are_not_events() {
        for line in [
            "05/02/2013 22:21:52 - Critical bptm (pid=5186) sts_close_handle failed",
            "2008-09-22 11:28:27 - beginreading",
            "12/04/2015 15:48:54.101 [Application] NB 51216 nbjm 117 PID:5483 TID:14 File ID:117 [reqid=-1] [Info] V-117-40 x",
            "2004/09/02 5:18:04 Error None 9760 N/A SYS-SEC-DB x",
            "2004/09/02 5:18:04 NetBackup TL4 Daemon Error None N/A SYS-SEC-DB x",
            "2004/09/02 5:18:04 NetBackup TL4 Daemon Error None 9760 N/A SYS-SEC-DB",
        ] {
            assert!(parse_line(line.as_bytes()).is_none(), "{line}");
        }
    }
}
