//! A NetBackup status a line states on its own, as a console, the web UI, an alert mail or a
//! ticket shows it when no log is at hand: the official message alone (`Client backup was not
//! attempted.`), after a label (`Status: can't connect to client`, `Error: ...`), or the number
//! with a label or beside its own message (`Status Code: 58`, `status 58`, `58 - can't connect
//! to client`, `Status: 58: can't connect to client`).
//!
//! The whole line must be the statement: a message inside a longer line (a bpbkar error that
//! holds "file read failed") is that line's, never a status. A message two statuses share is
//! [`Stated::Shared`], not a guess. Lines are looked up, after [`normalize`], in the sorted
//! order the catalogue build writes (`catalogue::STATUS_MESSAGE_ORDER`): a binary search, tried only
//! on short lines no log form reads.

use super::scan::{digits, skip_blanks};
use crate::catalogue;

/// Lines longer than this are never a stated status: the longest official message is 113
/// bytes, and a label and a number add a few more.
pub const MAX_LINE: usize = 160;

/// What a line states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stated {
    /// One status (listed in the status table or not, when the line gives its number).
    One(u32),
    /// The message two statuses share (the lower first): the line does not say which.
    Shared(u32, u32),
}

/// Labels people put before a status (`Message:` as the Status Codes Reference prints one), longest first (compared without case; a colon, an equals
/// sign or blanks after them).
const LABELS: [&[u8]; 13] = [
    b"netbackup status code",
    b"netbackup status",
    b"nbu status code",
    b"nbu status",
    b"job status code",
    b"job status",
    b"status code",
    b"exit status",
    b"error code",
    b"final status",
    b"message",
    b"status",
    b"error",
];

/// The status `line` states as its whole text, if it does.
pub fn stated(line: &[u8]) -> Option<Stated> {
    let line = line.trim_ascii();
    if line.is_empty() || line.len() > MAX_LINE || (!line.is_ascii() && std::str::from_utf8(line).is_err()) {
        return None;
    }
    // The whole line first: some messages start with a label's word ("error requesting media").
    if line.first().is_some_and(u8::is_ascii_digit) {
        return numbered(line, false);
    }
    if let Some(found) = by_message(line) {
        return Some(found);
    }
    let rest = label(line)?;
    if rest.first().is_some_and(u8::is_ascii_digit) {
        return numbered(rest, true);
    }
    by_message(rest)
}

/// `message` or `message (58)`, the message being the text's whole.
fn by_message(text: &[u8]) -> Option<Stated> {
    if let Some(code) = message_then_number(text) {
        return Some(Stated::One(code));
    }
    let mut buf = [0u8; MAX_LINE];
    let key = normalize(text, &mut buf);
    // One word alone ("done", "continue") is too common a line to be a status by its words.
    if !key.contains(&b' ') {
        return None;
    }
    lookup(key)
}

/// The text after a label that starts `line`, when one does.
fn label(line: &[u8]) -> Option<&[u8]> {
    LABELS.iter().find_map(|l| {
        let head = line.get(..l.len())?;
        if !head.eq_ignore_ascii_case(l) {
            return None;
        }
        let rest = &line[l.len()..];
        let after = skip_blanks(rest);
        let after = match after.first() {
            Some(b':' | b'=') => skip_blanks(&after[1..]),
            _ if after.len() < rest.len() => after,
            _ => return None,
        };
        (!after.is_empty()).then_some(after)
    })
}

/// `58`, `58.` (after a label), `58 - message`, `58: message`, `58 message`, `58 (message)`:
/// the number, when the message beside it is its own.
fn numbered(text: &[u8], labelled: bool) -> Option<Stated> {
    let (code, n) = digits(text, 1, 5)?;
    let rest = &text[n..];
    if rest.is_empty() || rest == b"." {
        return labelled.then_some(Stated::One(code));
    }
    let mut rest = skip_blanks(rest);
    if rest.len() == text.len() - n && !matches!(rest.first(), Some(b':' | b'-' | b',')) {
        return None; // `58abc`
    }
    if let Some(after) = rest.strip_prefix(b"-").or_else(|| rest.strip_prefix(b":")).or_else(|| rest.strip_prefix(b","))
    {
        rest = skip_blanks(after);
    }
    let rest = rest.strip_prefix(b"(").and_then(|r| r.strip_suffix(b")")).unwrap_or(rest);
    is_message_of(rest, code).then_some(Stated::One(code))
}

/// `message (58)`: the number, when the message is its own.
fn message_then_number(text: &[u8]) -> Option<u32> {
    let inner = text.strip_suffix(b")")?;
    let open = memchr::memrchr(b'(', inner)?;
    let (code, n) = digits(&inner[open + 1..], 1, 5)?;
    (open + 1 + n == inner.len() && is_message_of(&inner[..open], code)).then_some(code)
}

/// Whether `text` is `code`'s official message (normalized).
fn is_message_of(text: &[u8], code: u32) -> bool {
    let Some(entry) = catalogue::status(code) else { return false };
    let mut a = [0u8; MAX_LINE];
    let mut b = [0u8; MAX_LINE];
    normalize(text, &mut a) == normalize(entry.message.as_bytes(), &mut b)
}

/// The status table's statuses whose normalized message is `key`: a binary search over the
/// statuses in message order (`catalogue::STATUS_MESSAGE_ORDER`), each probe normalized.
fn lookup(key: &[u8]) -> Option<Stated> {
    let statuses = catalogue::STATUSES;
    let code_of = |i: u16| statuses.get(usize::from(i)).map(|e| e.code);
    let is = |i: u16, want: std::cmp::Ordering| {
        let mut buf = [0u8; MAX_LINE];
        let message = statuses.get(usize::from(i)).map_or(&b""[..], |e| e.message.as_bytes());
        normalize(message, &mut buf).cmp(key) == want
    };
    let order = catalogue::STATUS_MESSAGE_ORDER;
    let start = order.partition_point(|&i| is(i, std::cmp::Ordering::Less));
    let mut same = order[start..].iter().take_while(|&&i| is(i, std::cmp::Ordering::Equal)).filter_map(|&i| code_of(i));
    let first = same.next()?;
    Some(match same.next() {
        Some(second) => Stated::Shared(first.min(second), first.max(second)),
        None => Stated::One(first),
    })
}

/// `text` as the status table's messages are keyed (the catalogue build's `normalized_message`):
/// ASCII lowercase, one space between words, no final period, `’` as `'`; at most `MAX_LINE`
/// bytes (the rest is cut, which no message is long enough to need).
pub fn normalize<'b>(text: &[u8], buf: &'b mut [u8; MAX_LINE]) -> &'b [u8] {
    let mut len = 0;
    let mut space = false;
    let mut i = 0;
    while i < text.len() && len < MAX_LINE {
        let mut b = text[i];
        i += 1;
        if text[i - 1..].starts_with("\u{2019}".as_bytes()) {
            b = b'\'';
            i += 2;
        }
        if b.is_ascii_whitespace() {
            space = len > 0;
            continue;
        }
        if space && len < MAX_LINE - 1 {
            buf[len] = b' ';
            len += 1;
        }
        space = false;
        buf[len] = b.to_ascii_lowercase();
        len += 1;
    }
    while len > 0 && buf[len - 1] == b'.' {
        len -= 1;
    }
    while len > 0 && buf[len - 1] == b' ' {
        len -= 1;
    }
    &buf[..len]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_is_found_by_its_own_message() {
        for entry in catalogue::STATUSES {
            let found = stated(entry.message.as_bytes());
            let words = entry.message.split_whitespace().count();
            match found {
                Some(Stated::One(code)) => assert_eq!(code, entry.code, "{}", entry.message),
                Some(Stated::Shared(a, b)) => assert!(a == entry.code || b == entry.code, "{}", entry.message),
                None => assert!(words < 2, "status {} not found by {:?}", entry.code, entry.message),
            }
        }
    }

    #[test]
    fn forms_people_write() {
        let one = |s: &str| stated(s.as_bytes());
        assert_eq!(one("can't connect to client"), Some(Stated::One(58)));
        assert_eq!(one("Can't connect to client."), Some(Stated::One(58)));
        assert_eq!(one("Can\u{2019}t connect to client."), Some(Stated::One(58)));
        assert_eq!(one("Status: client backup was not attempted"), Some(Stated::One(195)));
        assert_eq!(one("  Status Code: 58  "), Some(Stated::One(58)));
        assert_eq!(one("status 58"), Some(Stated::One(58)));
        assert_eq!(one("status: 58"), Some(Stated::One(58)));
        assert_eq!(one("58 - can't connect to client"), Some(Stated::One(58)));
        assert_eq!(one("Status Code: 58 - can't connect to client"), Some(Stated::One(58)));
        assert_eq!(one("Status: 58: can't connect to client"), Some(Stated::One(58)));
        assert_eq!(one("Error: can't connect to client (58)"), Some(Stated::One(58)));
        assert_eq!(one("NetBackup status code 58"), Some(Stated::One(58)));
        assert_eq!(one("NetBackup status code: 648"), Some(Stated::One(648)));
        assert_eq!(one("Message: unable to send extent message to BPXM"), Some(Stated::One(648)));
        assert_eq!(one("exit status 86: media position error"), Some(Stated::One(86)));
        // TECH45854's typo: not 84's message, so not 84.
        assert_eq!(one("exit status 84: media writer error"), None);
        assert_eq!(one("Status Code 57: client connection refused Page 1 of 8"), None);
        assert_eq!(one("STATUS CODE: 86, 84, Backups are failing when using AIT-4 drives"), None);
        // A number without a label, a number beside another status's message, words around.
        assert_eq!(one("58"), None);
        assert_eq!(one("59 - can't connect to client"), None);
        assert_eq!(one("status 58a"), None);
        assert_eq!(one("Error: end writing file read failed"), None);
        assert_eq!(one("bpbkar: ERR - file read failed on C:\\data"), None);
        assert_eq!(one("Done"), None);
        assert_eq!(one("status"), None);
        assert_eq!(one("the requested operation was partially successful"), Some(Stated::Shared(1, 4246)));
    }

    #[test]
    fn normalize_keeps_within_its_buffer() {
        let mut buf = [0u8; MAX_LINE];
        let long = " a".repeat(400);
        assert!(normalize(long.as_bytes(), &mut buf).len() <= MAX_LINE);
        assert_eq!(normalize(b"  Socket   Write Failed..  ", &mut buf), b"socket write failed");
        assert_eq!(normalize("\u{2019}".as_bytes(), &mut buf), b"'");
        assert_eq!(normalize(&[0xE2, 0x80], &mut buf), &[0xE2, 0x80]);
    }
}
