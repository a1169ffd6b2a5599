//! Small helpers for the sentences rules write.

/// `1 connection`, `2 connections`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A time for a sentence: the time of day only, since the date is in the facts.
pub fn clock(iso: &str) -> &str {
    iso.rsplit_once('T').map_or(iso, |(_, t)| t)
}
