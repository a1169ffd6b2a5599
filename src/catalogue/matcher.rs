//! Matches a signature's pattern against one line's text: literal text and typed holes, left to
//! right, with no backtracking and no regex (Grok's idea without a regex engine).
//!
//! A match starts where the pattern's anchor occurs (the scanner's needle pass found it); a
//! space in the pattern takes one or more spaces or tabs in the line, because pasted logs lose
//! and gain spaces; each hole reads its value with its own small parser.

use super::{HoleKind, Pattern, Segment};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A hole's value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Value {
    Num(i64),
    Text(String),
}

impl Value {
    pub fn as_num(&self) -> Option<i64> {
        match self {
            Value::Num(n) => Some(*n),
            Value::Text(_) => None,
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Num(n) => write!(f, "{n}"),
            Value::Text(t) => f.write_str(t),
        }
    }
}

/// How many places where the anchor occurs are tried in one line, at most.
const MAX_STARTS: usize = 8;

/// The values of the pattern's holes, in order (`{_}` gives none), if the line matches.
pub fn match_line(pattern: &Pattern, text: &[u8]) -> Option<Vec<Value>> {
    memchr::memmem::find_iter(text, pattern.anchor.as_bytes())
        .take(MAX_STARTS)
        .find_map(|start| match_from(pattern.segments, text, start).ok())
}

/// Where matching stopped, in words, for a test that expected a match.
pub fn explain(pattern: &Pattern, text: &[u8]) -> String {
    let mut best: Option<Stop> = None;
    for start in memchr::memmem::find_iter(text, pattern.anchor.as_bytes()).take(MAX_STARTS) {
        match match_from(pattern.segments, text, start) {
            Ok(values) => return format!("it matches, with values {values:?}"),
            Err(stop) => {
                if best.as_ref().is_none_or(|b| stop.at > b.at) {
                    best = Some(stop);
                }
            }
        }
    }
    match best {
        None => format!("the anchor `{}` is not in the line", pattern.anchor),
        Some(stop) => {
            let shown = String::from_utf8_lossy(&text[..stop.at.min(text.len())]);
            let rest = String::from_utf8_lossy(&text[stop.at.min(text.len())..]);
            format!("matched `{shown}`, then expected {} at `{rest}`", stop.expected)
        }
    }
}

/// Where a match failed, and what it expected there.
struct Stop {
    at: usize,
    expected: String,
}

fn match_from(segments: &[Segment], text: &[u8], start: usize) -> Result<Vec<Value>, Stop> {
    let mut pos = start;
    let mut values = Vec::new();
    for (i, segment) in segments.iter().enumerate() {
        match *segment {
            Segment::Lit(lit) => {
                pos = literal_at(text, pos, lit.as_bytes())
                    .ok_or_else(|| Stop { at: pos, expected: format!("`{lit}`") })?;
            }
            Segment::Hole { name, kind: kind @ (HoleKind::Rest | HoleKind::Skip) } => {
                let end = match segments.get(i + 1) {
                    Some(Segment::Lit(next)) => find_literal(text, pos, next.as_bytes())
                        .ok_or_else(|| Stop { at: pos, expected: format!("text, then `{next}`") })?,
                    _ => text.len(),
                };
                let value = trim(&text[pos..end]);
                // Text may be empty between two literals (`(BEDS 0x0: )`), not at the end of a line.
                if kind == HoleKind::Rest {
                    if value.is_empty() && segments.get(i + 1).is_none() {
                        return Err(Stop { at: pos, expected: format!("some text for `{{{name}}}`") });
                    }
                    values.push(Value::Text(String::from_utf8_lossy(value).into_owned()));
                }
                pos = end;
            }
            Segment::Hole { name, kind } => {
                let next_byte = match segments.get(i + 1) {
                    Some(Segment::Lit(next)) => next.as_bytes().first().copied(),
                    _ => None,
                };
                let (value, len) = read_hole(kind, &text[pos..], next_byte)
                    .ok_or_else(|| Stop { at: pos, expected: format!("`{{{name}}}` ({kind:?})") })?;
                values.push(value);
                pos += len;
            }
        }
    }
    Ok(values)
}

fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// Matches `lit` at `pos`, a space taking any run of spaces and tabs; returns the end.
fn literal_at(text: &[u8], mut pos: usize, lit: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i < lit.len() {
        if lit[i] == b' ' {
            if !text.get(pos).is_some_and(|&b| is_blank(b)) {
                return None;
            }
            while text.get(pos).is_some_and(|&b| is_blank(b)) {
                pos += 1;
            }
            while lit.get(i) == Some(&b' ') {
                i += 1;
            }
        } else {
            if text.get(pos) != Some(&lit[i]) {
                return None;
            }
            pos += 1;
            i += 1;
        }
    }
    Some(pos)
}

/// The first place at or after `from` where `lit` matches (spaces as in [`literal_at`]). A lazy
/// hole ends there.
fn find_literal(text: &[u8], from: usize, lit: &[u8]) -> Option<usize> {
    let first = *lit.first()?;
    let mut at = from;
    while at <= text.len() {
        let found = if first == b' ' {
            text[at..].iter().position(|&b| is_blank(b))
        } else {
            memchr::memchr(first, &text[at..])
        };
        let candidate = at + found?;
        // A run of blanks is one place: try it at its first blank only.
        if literal_at(text, candidate, lit).is_some() {
            return Some(candidate);
        }
        at = candidate + 1;
    }
    None
}

fn trim(s: &[u8]) -> &[u8] {
    let start = s.iter().position(|&b| !is_blank(b)).unwrap_or(s.len());
    let end = s.iter().rposition(|&b| !is_blank(b) && b != b'\r').map_or(start, |p| p + 1);
    &s[start..end.max(start)]
}

fn run(s: &[u8], keep: impl Fn(u8) -> bool) -> usize {
    s.iter().position(|&b| !keep(b)).unwrap_or(s.len())
}

/// A decimal number of at most 10 digits.
fn digits(s: &[u8]) -> Option<(i64, usize)> {
    let n = run(s, |b| b.is_ascii_digit());
    if n == 0 || n > 10 {
        return None;
    }
    let value = s[..n].iter().fold(0i64, |v, &d| v * 10 + i64::from(d - b'0'));
    Some((value, n))
}

fn text(s: &[u8]) -> Value {
    Value::Text(String::from_utf8_lossy(s).into_owned())
}

/// Reads one hole's value at the start of `s`; `next` is the first byte of the literal after it.
fn read_hole(kind: HoleKind, s: &[u8], next: Option<u8>) -> Option<(Value, usize)> {
    match kind {
        HoleKind::Status | HoleKind::Errno | HoleKind::Uint => digits(s).map(|(v, n)| (Value::Num(v), n)),
        HoleKind::Port => digits(s).filter(|&(v, _)| v <= 65_535).map(|(v, n)| (Value::Num(v), n)),
        HoleKind::Int => {
            let sign = usize::from(s.first() == Some(&b'-'));
            let (v, n) = digits(&s[sign..])?;
            Some((Value::Num(if sign == 1 { -v } else { v }), sign + n))
        }
        HoleKind::Hex => {
            let n = run(s, |b| b.is_ascii_hexdigit() || b == b'x' || b == b'X');
            (n > 0).then(|| (text(&s[..n]), n))
        }
        HoleKind::Ip => {
            let n = run(s, |b| b.is_ascii_hexdigit() || b == b'.' || b == b':');
            let mut candidate = &s[..n];
            // `10.0.0.5.1556` is an address and a port: shorten at dots and colons from the right.
            for _ in 0..3 {
                let stripped =
                    candidate.strip_suffix(b".").or_else(|| candidate.strip_suffix(b":")).unwrap_or(candidate);
                if std::str::from_utf8(stripped).ok()?.parse::<std::net::IpAddr>().is_ok() {
                    return Some((text(stripped), stripped.len()));
                }
                let cut = candidate.iter().rposition(|&b| b == b'.' || b == b':')?;
                candidate = &candidate[..cut];
            }
            None
        }
        HoleKind::Addr => {
            let n = run(s, |b| b.is_ascii_hexdigit() || matches!(b, b'.' | b':' | b'[' | b']'));
            let token = s[..n].strip_suffix(b".").unwrap_or(&s[..n]);
            let parsed = crate::vocab::addr::SockAddr::parse(token).is_some() || {
                let t = std::str::from_utf8(token).ok()?;
                t.parse::<std::net::SocketAddr>().is_ok()
            };
            parsed.then(|| (text(token), token.len()))
        }
        HoleKind::Host => {
            let n = run(s, |b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
            let host = trim_end_of(&s[..n], |b| b == b'.' || b == b'-');
            (!host.is_empty()).then(|| (text(host), host.len()))
        }
        HoleKind::Word => {
            let stop = next.filter(|b| !b.is_ascii_alphanumeric() && !is_blank(*b));
            let n = run(s, |b| !is_blank(b) && b != b'\r' && Some(b) != stop);
            (n > 0).then(|| (text(&s[..n]), n))
        }
        HoleKind::Rest | HoleKind::Skip => None,
    }
}

fn trim_end_of(s: &[u8], drop: impl Fn(u8) -> bool) -> &[u8] {
    let end = s.iter().rposition(|&b| !drop(b)).map_or(0, |p| p + 1);
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(segments: &'static [Segment]) -> Pattern {
        let anchor = match segments[0] {
            Segment::Lit(t) => t.split(" (").next().unwrap_or(t).trim_end(),
            _ => unreachable!(),
        };
        Pattern { rule: 0, text: "", anchor, segments }
    }

    #[test]
    fn holes_and_loose_spaces() {
        let p = pattern(&[
            Segment::Lit("socket read failed: errno = "),
            Segment::Hole { name: "errno", kind: HoleKind::Errno },
            Segment::Lit(" - "),
            Segment::Hole { name: "reason", kind: HoleKind::Rest },
        ]);
        let line = b"bpbrm readline: socket read failed: errno = 62 - Timer expired\r";
        assert_eq!(match_line(&p, line), Some(vec![Value::Num(62), Value::Text("Timer expired".into())]));
        assert!(match_line(&p, b"socket read failed: errno =  62   -  Timer expired").is_some());
        assert_eq!(match_line(&p, b"socket read failed: errno = x - y"), None);
        assert!(explain(&p, b"socket read failed: errno = x").contains("expected `{errno}`"));
        assert!(explain(&p, b"nothing").contains("not in the line"));
    }

    #[test]
    fn status_in_parentheses_after_two_spaces() {
        let p = pattern(&[
            Segment::Lit("media close error ("),
            Segment::Hole { name: "status", kind: HoleKind::Status },
            Segment::Lit(")"),
        ]);
        assert_eq!(match_line(&p, b"write time: 3:32:21 media close error  (87)"), Some(vec![Value::Num(87)]));
    }

    #[test]
    fn typed_holes() {
        let s = |kind, text: &[u8], next| read_hole(kind, text, next).map(|(v, n)| (v.to_string(), n));
        assert_eq!(s(HoleKind::Ip, b"10.0.0.5.1556 x", None), Some(("10.0.0.5".into(), 8)));
        assert_eq!(s(HoleKind::Ip, b"10.0.0.5: y", None), Some(("10.0.0.5".into(), 8)));
        assert_eq!(s(HoleKind::Ip, b"fe80::1 z", None), Some(("fe80::1".into(), 7)));
        assert_eq!(s(HoleKind::Ip, b"host.example", None), None);
        assert_eq!(s(HoleKind::Addr, b"10.0.0.5.1556 x", None), Some(("10.0.0.5.1556".into(), 13)));
        assert_eq!(s(HoleKind::Addr, b"10.0.0.5:1556", None), Some(("10.0.0.5:1556".into(), 13)));
        assert_eq!(s(HoleKind::Host, b"client7.example.com. rest", None), Some(("client7.example.com".into(), 19)));
        assert_eq!(s(HoleKind::Word, b"name: x", Some(b':')), Some(("name".into(), 4)));
        assert_eq!(s(HoleKind::Port, b"70000", None), None);
        assert_eq!(s(HoleKind::Int, b"-12,", None), Some(("-12".into(), 3)));
        assert_eq!(s(HoleKind::Uint, b"12345678901", None), None);
    }
}
