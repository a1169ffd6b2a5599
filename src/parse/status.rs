//! A NetBackup status where a line states it in words and a number: the Job Details' final
//! `media write error (84)` (Veritas 100009743), glued to other text `end writing file read
//! failed (13)` (TECH71821) or after two spaces `media close error  (87)` (100009509), and
//! `status: 84: media write error` (100009743). A number counts as a status only when the
//! status's official short message (the status table) stands right beside it, so that other
//! numbers in parentheses or after `status:` never become failures.

use super::scan::{digits, trim_end};
use crate::catalogue;

/// Whether `text` ends with `code`'s official message (case and spaces aside; a final period
/// of the message is optional).
fn ends_with_message(text: &[u8], code: u32) -> bool {
    let Some(entry) = catalogue::status(code) else { return false };
    let message = entry.message.trim_end_matches('.').as_bytes();
    let text = trim_end(text);
    let text = text.strip_suffix(b".").unwrap_or(text);
    loose_suffix(text, message)
}

/// Whether `text` starts with `code`'s official message.
fn starts_with_message(text: &[u8], code: u32) -> bool {
    let Some(entry) = catalogue::status(code) else { return false };
    let message = entry.message.trim_end_matches('.').as_bytes();
    let mut t = text.iter().copied().filter(|b| *b != b' ');
    message.iter().copied().filter(|b| *b != b' ').all(|m| t.next().is_some_and(|c| c.eq_ignore_ascii_case(&m)))
}

/// `needle` ends `text`, comparing without case and treating any run of spaces as one.
fn loose_suffix(text: &[u8], needle: &[u8]) -> bool {
    let mut t = text.iter().rev().copied().peekable();
    for c in needle.iter().rev().copied() {
        if c == b' ' {
            if t.next_if(|b| *b == b' ' || *b == b'\t').is_none() {
                return false;
            }
            while t.next_if(|b| *b == b' ' || *b == b'\t').is_some() {}
            continue;
        }
        match t.next() {
            Some(b) if b.eq_ignore_ascii_case(&c) => {}
            _ => return false,
        }
    }
    // The message starts at a word boundary.
    t.next().is_none_or(|b| !b.is_ascii_alphanumeric())
}

/// `... <official message> (N)` at the end of a line: N.
pub fn trailing(text: &[u8]) -> Option<u32> {
    let text = trim_end(text);
    let inner = text.strip_suffix(b")")?;
    let open = memchr::memrchr(b'(', inner)?;
    let (code, n) = digits(&inner[open + 1..], 1, 5)?;
    if open + 1 + n != inner.len() {
        return None;
    }
    ends_with_message(&inner[..open], code).then_some(code)
}

/// `N: <official message>` or `N <official message>` at the start of `text` (after `status: `
/// or `exit status `): N.
pub fn leading(text: &[u8]) -> Option<u32> {
    let (code, n) = digits(text, 1, 5)?;
    let rest = &text[n..];
    let rest = rest.strip_prefix(b":").unwrap_or(rest);
    let rest = super::scan::skip_blanks(rest);
    starts_with_message(rest, code).then_some(code)
}

/// A status a sentence names: `failed with status 13`, `Status Code 13`, `status: 13`, `(status 13)`.
/// A status the status table lists wins over one it does not, and an HTTP status
/// (`HTTP status: 503`, a cloud plug-in's) is not one.
pub fn mentioned(text: &[u8]) -> Option<u32> {
    let head = &text[..text.len().min(2048)];
    let lower = head.to_ascii_lowercase();
    let mut named = memchr::memmem::find_iter(&lower, b"status").filter_map(|at| {
        if lower[..at].ends_with(b"http ") {
            return None;
        }
        let mut rest = &lower[at + b"status".len()..];
        for prefix in [&b" code"[..], b":", b" "] {
            rest = rest.strip_prefix(prefix).unwrap_or(rest);
        }
        let rest = super::scan::skip_blanks(rest);
        let (code, n) = digits(rest, 1, 5)?;
        (!rest.get(n).is_some_and(u8::is_ascii_alphanumeric)).then_some(code)
    });
    let first = named.next()?;
    if is_listed(first) {
        return Some(first);
    }
    Some(named.find(|&code| is_listed(code)).unwrap_or(first))
}

/// Whether the status table lists `code`.
pub fn is_listed(code: u32) -> bool {
    catalogue::status(code).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_beside_their_message() {
        assert_eq!(trailing(b"media write error (84)"), Some(84));
        assert_eq!(trailing(b"end writing file read failed (13)"), Some(13));
        assert_eq!(trailing(b"end writing; write time: 3:32:21 media close error  (87)"), Some(87));
        assert_eq!(trailing(b"the requested operation was successfully completed (0)"), Some(0));
        assert_eq!(trailing(b"The requested operation was partially successful (1)  "), Some(1));
        assert_eq!(trailing(b"socket write failed (24)"), Some(24));
        // Numbers in parentheses that are not a status beside its message.
        assert_eq!(trailing(b"Unknown Shadow Copy DBLK SubType (36)"), None);
        assert_eq!(trailing(b"does not match the size found on media (51656052224 51656051712)"), None);
        assert_eq!(trailing(b"file read failed (14)"), None);
        assert_eq!(trailing(b"prefile read failed (13)"), None);
        assert_eq!(leading(b"84: media write error"), Some(84));
        assert_eq!(leading(b"249 the file list is incomplete; query type: 60"), Some(249));
        assert_eq!(leading(b"11 0x0000000b"), None);
        assert_eq!(leading(b"0: the requested operation was successfully completed"), Some(0));
        assert_eq!(mentioned(b"Hi, last night the backup failed with status 13, see attached."), Some(13));
        assert_eq!(mentioned(b"NetBackup Status Code: 25 again"), Some(25));
        assert_eq!(mentioned(b"the status page is down"), None);
        assert_eq!(mentioned(b"status 13a"), None);
        // A cloud plug-in's HTTP status is not NetBackup's (Veritas Status Codes Reference, 41).
        assert_eq!(mentioned(b"cURL error: 0, HTTP status: 503, XML response: SlowDown"), None);
        assert_eq!(mentioned(b"please try again later status code: 503; EXIT STATUS 5"), Some(5));
        assert_eq!(mentioned(b"status code: 503 only"), Some(503));
    }
}
