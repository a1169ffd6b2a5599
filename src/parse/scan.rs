//! Byte-level helpers the line grammars share: numbers, spaces, words.

/// A run of `min..=max` ASCII digits at the start of `text`: its value and length.
pub fn digits(text: &[u8], min: usize, max: usize) -> Option<(u32, usize)> {
    let n = text.iter().take(max + 1).take_while(|b| b.is_ascii_digit()).count();
    if n < min || n > max || n > 9 {
        return None;
    }
    Some((text[..n].iter().fold(0u32, |v, &d| v * 10 + u32::from(d - b'0')), n))
}

/// A number of 1–10 digits that fits in a u32 (pids, levels).
pub fn number(text: &[u8]) -> Option<(u32, usize)> {
    let n = text.iter().take(11).take_while(|b| b.is_ascii_digit()).count();
    if n == 0 || n > 10 {
        return None;
    }
    let value = text[..n].iter().fold(0u64, |v, &d| v * 10 + u64::from(d - b'0'));
    Some((u32::try_from(value).ok()?, n))
}

/// How many spaces and tabs start `text`.
pub fn blanks(text: &[u8]) -> usize {
    text.iter().take_while(|&&b| b == b' ' || b == b'\t').count()
}

/// `text` without its leading spaces and tabs.
pub fn skip_blanks(text: &[u8]) -> &[u8] {
    &text[blanks(text)..]
}

/// The word (up to a space or tab) at the start of `text`, and the rest after the blanks.
pub fn word(text: &[u8]) -> (&[u8], &[u8]) {
    let end = text.iter().position(|&b| b == b' ' || b == b'\t').unwrap_or(text.len());
    (&text[..end], skip_blanks(&text[end..]))
}

/// `text` without trailing spaces, tabs and carriage returns.
pub fn trim_end(text: &[u8]) -> &[u8] {
    let end = text.iter().rposition(|&b| !matches!(b, b' ' | b'\t' | b'\r')).map_or(0, |p| p + 1);
    &text[..end]
}
