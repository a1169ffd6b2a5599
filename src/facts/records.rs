//! Puts log records back together the way they were written, before they are read. Pasted
//! copies of logs on web pages and in tickets break records apart and glue them together
//! (the pages behind reference §1.3 do both):
//! - a header left alone on its line, its message wrapped onto the next (`6:00:14.156` then
//!   `AM: [452.976] <2> tar_base::...`, Symantec 276739; `8:01:21.486 PM: [5716.6124] <4>` then
//!   `tar_backup_vxbsa::add: INF - ...`, 290900) is joined with the next line;
//! - records glued into one line (the status 156 text flattens seven records into one line;
//!   a copy of TECH71821 glues two) are found by [`glued_at`] and read one by one.

use crate::input::lines::RawLine;
use crate::parse::{self, clock, job_details, legacy, scan_blanks};

/// Longest header worth holding for the next line.
const MAX_HEAD: usize = 48;

/// What [`Joiner::push`] hands on.
pub enum Piece<'a> {
    /// A line to read, maybe a joined one (its number and offset are those of its first line).
    Line(RawLine<'a>),
    /// A line whose text was joined to the header before it: it is in the file, not read again.
    Joined(RawLine<'a>),
}

/// Holds a lone header until the next line says whether it continues it.
#[derive(Debug, Default)]
pub struct Joiner {
    head: Option<(u64, u64, u64, Vec<u8>)>,
    joined: Vec<u8>,
    /// Lines joined to a header so far.
    pub joins: u64,
}

impl Joiner {
    #[inline(always)]
    pub fn push(&mut self, line: RawLine<'_>, mut hand: impl FnMut(Piece<'_>)) {
        if let Some((number, offset, len, head)) = self.head.take() {
            // A next line with a time of its own is a record of its own.
            if parse::log_line(line.text).is_none_or(|l| l.time.is_none()) {
                self.joined.clear();
                self.joined.extend_from_slice(&head);
                self.joined.push(b' ');
                self.joined.extend_from_slice(parse::scan_trim_start(line.text));
                if parse::log_line(&self.joined).is_some_and(|l| !l.body.is_empty()) {
                    self.joins += 1;
                    hand(Piece::Line(RawLine { number, offset, text: &self.joined, len, cut: false }));
                    hand(Piece::Joined(line));
                    return;
                }
            }
            hand(Piece::Line(RawLine { number, offset, text: &head, len, cut: false }));
        }
        // Most lines are too long to be a lone header: the cheap test first, in line.
        if line.text.len() <= MAX_HEAD + 16 && is_lone_header(line.text) {
            self.head = Some((line.number, line.offset, line.len, line.text.to_vec()));
        } else {
            hand(Piece::Line(line));
        }
    }

    /// Ends the file: a header still held is read as it is.
    pub fn finish(&mut self, mut hand: impl FnMut(Piece<'_>)) {
        if let Some((number, offset, len, head)) = self.head.take() {
            hand(Piece::Line(RawLine { number, offset, text: &head, len, cut: false }));
        }
    }
}

/// A time of day, maybe with `AM:`, `[pid.tid]` and `<N>`, and nothing after them.
#[inline]
fn is_lone_header(text: &[u8]) -> bool {
    // This runs on every line: most are longer than any lone header, or do not start with one.
    if text.len() > MAX_HEAD + 16 || !text.first().is_some_and(u8::is_ascii_digit) {
        return false;
    }
    let text = parse::scan_trim_end(text);
    if text.len() > MAX_HEAD {
        return false;
    }
    let Some(c) = clock::time_of_day(text) else { return false };
    let mut rest = &text[c.len..];
    rest = &rest[scan_blanks(rest)..];
    if rest.is_empty() {
        return true;
    }
    let Some(close) = rest.strip_prefix(b"[").and_then(|r| memchr::memchr(b']', r)) else { return false };
    let inner = &rest[1..=close];
    if !inner.iter().all(|b| b.is_ascii_digit() || *b == b'.') {
        return false;
    }
    rest = &rest[close + 2..];
    rest = &rest[scan_blanks(rest)..];
    rest.is_empty() || legacy::parse_variant(text).is_some_and(|l| l.body.is_empty())
}

/// Where another record starts inside a line's text after its first record, when a paste glued
/// records together: a debug-log header (`... broken 09:06:21.949 [8924] <4> bpbkar: ...`) or a
/// dated Job Details stamp (`... Nov 14, 2024 1:30:22 PM - Error ...`), after a space.
pub fn glued_at(text: &[u8], from: usize) -> Option<usize> {
    let legacy_start = memchr::memchr_iter(b'[', &text[from..]).map(|p| from + p).find_map(|bracket| {
        let start = header_start(text, bracket)?;
        (start > from && matches!(text[start - 1], b' ' | b'\t') && parse::log_line(&text[start..]).is_some())
            .then_some(start)
    });
    static DASH: std::sync::OnceLock<memchr::memmem::Finder<'static>> = std::sync::OnceLock::new();
    let dash_finder = DASH.get_or_init(|| memchr::memmem::Finder::new(b" - "));
    let details_start = dash_finder.find_iter(&text[from..]).map(|p| from + p).find_map(|dash| {
        // The stamp ends at the dash and starts at most 30 bytes before it, after a space.
        let window = dash.saturating_sub(30).max(from + 1);
        (window..dash).filter(|&s| matches!(text[s - 1], b' ' | b'\t') && text[s] != b' ').find(|&s| {
            job_details::parse_line(&text[s..], false).is_some_and(|l| l.date.is_some())
                && dash_finder.find(&text[s..]).map(|p| s + p) == Some(dash)
        })
    });
    match (legacy_start, details_start) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The start of the time before a `[` at `bracket`: blanks, maybe `AM:`/`PM:`, then the time's
/// digits, colons and dot.
fn header_start(text: &[u8], bracket: usize) -> Option<usize> {
    let mut at = bracket;
    while at > 0 && text[at - 1] == b' ' {
        at -= 1;
    }
    for suffix in [&b"AM:"[..], b"PM:", b"AM", b"PM"] {
        if text[..at].ends_with(suffix) {
            at -= suffix.len();
            while at > 0 && text[at - 1] == b' ' {
                at -= 1;
            }
            break;
        }
    }
    let end = at;
    while at > 0 && (text[at - 1].is_ascii_digit() || matches!(text[at - 1], b':' | b'.')) {
        at -= 1;
    }
    (end - at >= 5).then_some(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn join(lines: &[&str]) -> Vec<(u64, String, bool)> {
        let mut j = Joiner::default();
        let mut out = Vec::new();
        let mut offset = 0;
        for (i, text) in lines.iter().enumerate() {
            let line =
                RawLine { number: i as u64 + 1, offset, text: text.as_bytes(), len: text.len() as u64, cut: false };
            offset += text.len() as u64 + 1;
            j.push(line, |p| match p {
                Piece::Line(l) => out.push((l.number, String::from_utf8_lossy(l.text).into_owned(), true)),
                Piece::Joined(l) => out.push((l.number, String::from_utf8_lossy(l.text).into_owned(), false)),
            });
        }
        j.finish(|p| {
            if let Piece::Line(l) = p {
                out.push((l.number, String::from_utf8_lossy(l.text).into_owned(), true))
            }
        });
        out
    }

    /// The wrapped records of Symantec 276739 and 290900, as the pages print them.
    #[test]
    fn lone_headers_are_joined_with_their_message() {
        let out = join(&[
            "6:00:14.171",
            "AM: [452.976] <2> tar_base::V_vTarMsgW: FTL - Backup operation",
            "aborted!",
            "6:00:14.218 AM: [452.976]",
            "<2> tar_base::V_vTarMsgW: INF - EXIT STATUS 156: snapshot error",
            "8:01:21.486 PM: [5716.6124] <4>",
            "tar_backup_vxbsa::add: INF - Volume snapshots not enabled for:",
            "09:00:20.183 [7249] <2> bpbrm write_filelist: closing COMM_SOCK 12",
        ]);
        let read: Vec<(u64, &str)> = out.iter().filter(|o| o.2).map(|o| (o.0, o.1.as_str())).collect();
        assert_eq!(
            read,
            vec![
                (1, "6:00:14.171 AM: [452.976] <2> tar_base::V_vTarMsgW: FTL - Backup operation"),
                (3, "aborted!"),
                (4, "6:00:14.218 AM: [452.976] <2> tar_base::V_vTarMsgW: INF - EXIT STATUS 156: snapshot error"),
                (6, "8:01:21.486 PM: [5716.6124] <4> tar_backup_vxbsa::add: INF - Volume snapshots not enabled for:"),
                (8, "09:00:20.183 [7249] <2> bpbrm write_filelist: closing COMM_SOCK 12"),
            ]
        );
        assert_eq!(out.iter().filter(|o| !o.2).count(), 3, "every physical line is handed on once");
    }

    #[test]
    fn glued_records_are_found() {
        let flat = b"8:51:14.569 AM: [1924.2304] <2> tar_base::V_vTarMsgW: ERR - failure reading file: D:\\ test.file (WIN32 5: Access is denied. ) 8:51:14.569 AM: [1924.2304] <4> tar_base::V_vTarMsgW: INF - tar message received";
        let at = glued_at(flat, 20).unwrap();
        assert!(flat[at..].starts_with(b"8:51:14.569 AM: [1924.2304] <4>"));
        let two = b"09:06:21.948 [8924] <16> bpbkar: ERR - bpbkar FATAL exit status = 40: network connection broken 09:06:21.949 [8924] <4> bpbkar: INF - EXIT STATUS 40";
        assert!(two[glued_at(two, 20).unwrap()..].starts_with(b"09:06:21.949 [8924] <4>"));
        let details = b"Nov 14, 2024 1:30:05 PM - begin writing Nov 14, 2024 1:30:22 PM - Error bpbrm (pid=1546320) from client exchange01: ERR - Terminating backup.";
        assert!(details[glued_at(details, 10).unwrap()..].starts_with(b"Nov 14, 2024 1:30:22 PM - Error"));
        assert_eq!(glued_at(b"17:49:54.006 [5592.5372] <2> bpbrm child pid = 5592.5372 [x]", 20), None);
        assert_eq!(
            glued_at(
                b"29.jan.2021 02:48:17 - Info ndmpagent (pid=50203) DUMP: Fri Jan 29 02:48:18 2021 : We have written",
                10
            ),
            None
        );
    }
}
