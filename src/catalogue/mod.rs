//! The catalogue: NetBackup knowledge kept as data, not code.
//!
//! - `signatures/*.toml`: one signature rule per file. A line shape (literal text with typed
//!   holes) means a known cause or symptom; the file carries the finding's words, the fix, the
//!   source, sample lines with the values they must yield, counter-samples and fixture bundles.
//! - `statuses.toml`: NetBackup status codes, their official short messages, what they usually
//!   mean and which log to read next.
//! - `sources.toml`: the public documents all of it cites, by id: a finding's `source` lists
//!   their titles and addresses, and each fix step names its source (or says it is general
//!   practice) after its words.
//! - `errno.toml`: OS error numbers as NetBackup prints them (they differ between Windows, Linux
//!   and Solaris), matched by their text as well as their number.
//!
//! `build.rs` checks these files with [`compile`] and writes the tables this module includes.
//! How a signature is matched against a line is in [`matcher`]; how its words are filled, in
//! [`template`]. The README tells a support engineer how to add one.

pub mod matcher;
pub mod template;

#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "compile/mod.rs"]
#[allow(dead_code)]
pub(crate) mod compile;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod compile_tests;

use crate::vocab::{Area, Owner, Role, Severity};
use std::ops::Range;

/// A hole's type: what text it takes and how its value reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoleKind {
    /// A NetBackup status code.
    Status,
    /// An OS error number.
    Errno,
    Int,
    Uint,
    Ip,
    Port,
    /// `a.b.c.d.port`, `a.b.c.d:port` or `[v6]:port`.
    Addr,
    /// A host name or address.
    Host,
    /// Text up to the next space.
    Word,
    Hex,
    /// Text up to the next literal, or to the end of the line.
    Rest,
    /// Like `Rest`, but not kept: `{_}`.
    Skip,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment {
    Lit(&'static str),
    Hole { name: &'static str, kind: HoleKind },
}

/// One `match` pattern of a signature.
#[derive(Debug)]
pub struct Pattern {
    /// The signature's index in [`SIGNATURES`].
    pub rule: usize,
    /// As written in the catalogue.
    pub text: &'static str,
    /// The literal every match starts with; it is one of the scanner's needles.
    pub anchor: &'static str,
    pub segments: &'static [Segment],
}

/// A sample line and the values it must yield.
#[derive(Debug)]
pub struct Sample {
    pub line: &'static str,
    /// The public page's URL, or `constructed`.
    pub origin: &'static str,
    pub expect: &'static [(&'static str, &'static str)],
}

/// What the page's list of rules shows of one catalogue rule (see `rules::briefs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Brief {
    pub id: &'static str,
    pub title: &'static str,
    pub meaning: &'static str,
    pub area: Area,
    pub role: Role,
}

/// A signature rule, as `src/catalogue/signatures/<id>.toml` states it.
#[derive(Debug)]
pub struct Signature {
    pub id: &'static str,
    /// What the rule recognizes, as `nbtriage rules` lists it.
    pub name: &'static str,
    pub area: Area,
    pub severity: Severity,
    pub role: Role,
    pub owner: Owner,
    /// The processes whose logs it applies to; empty for any (and any file of no known process).
    pub processes: &'static [&'static str],
    /// Its patterns, as a range of [`PATTERNS`].
    pub patterns: Range<usize>,
    /// Templates, filled from the holes and the lines (see [`template`]).
    pub title: &'static str,
    pub summary: &'static str,
    pub fix: &'static [&'static str],
    pub request: Option<&'static str>,
    pub collect: &'static [&'static str],
    /// (label, value, unit) templates.
    pub figures: &'static [(&'static str, &'static str, &'static str)],
    /// Statuses it explains: a bare status finding for one of them gives way to it.
    pub explains_status: &'static [u32],
    pub meaning: &'static str,
    pub caveats: &'static str,
    pub source: &'static str,
    pub positive: &'static [&'static str],
    pub negative: &'static [&'static str],
    /// Test data (tests/catalogue.rs), not in the WebAssembly.
    #[cfg(not(target_arch = "wasm32"))]
    pub samples: &'static [Sample],
    /// (line, why it must not match). Test data, not in the WebAssembly.
    #[cfg(not(target_arch = "wasm32"))]
    pub counter_samples: &'static [(&'static str, &'static str)],
}

impl Signature {
    pub fn patterns(&self) -> &'static [Pattern] {
        &PATTERNS[self.patterns.clone()]
    }

    /// Whether the rule reads the logs of `process` (any process when it names none). A file
    /// whose process is not known (an excerpt pasted into a ticket, named by nobody) is read by
    /// every rule: the line itself is the evidence, and it may well be the process's own.
    pub fn applies_to(&self, process: Option<&str>) -> bool {
        self.processes.is_empty() || process.is_none_or(|p| self.processes.contains(&p))
    }
}

/// One status code, as `statuses.toml` states it.
#[derive(Debug)]
pub struct StatusEntry {
    pub code: u32,
    /// The official short message.
    pub message: &'static str,
    /// Where it belongs, when the sources place it.
    pub area: Option<Area>,
    pub owner: Owner,
    /// What the network team can check when the cause may lie in the network (a port, a path, a
    /// device's idle timeout), ready to send; "" when the status has no such request. Reading
    /// NetBackup's logs stays the backup admin's step (`read_next`).
    pub network_check: &'static str,
    /// What the sources say it usually means ("" when they say nothing beyond the message).
    pub meaning: &'static str,
    /// Which log to read next.
    pub read_next: &'static str,
    pub source: &'static str,
    /// A rule of its own: the checks a source names for this status.
    pub rule: Option<StatusRule>,
}

/// A status's own rule (a `[status.rule]` table): its finding names the checks the sources give.
#[derive(Debug)]
pub struct StatusRule {
    pub id: &'static str,
    /// What it recognizes, for `nbtriage rules` and the finding's title.
    pub name: &'static str,
    pub severity: Severity,
    pub fix: &'static [&'static str],
    pub meaning: &'static str,
    pub caveats: &'static str,
    pub source: &'static str,
    pub positive: &'static [&'static str],
    pub negative: &'static [&'static str],
}

/// A public document the catalogue and the rules cite (`sources.toml`).
#[derive(Debug)]
pub struct SourceEntry {
    pub id: &'static str,
    /// Its public title, a KB article's number first.
    pub title: &'static str,
    /// How a fix step names it, after the step's words.
    pub short: &'static str,
    /// Its address, where it has one.
    pub url: Option<&'static str>,
    /// official-guide, kb-article, forum-thread, blog, public-repository or standard.
    pub kind: &'static str,
}

/// A finding's `source` from a Rust rule's sources: each title, with its address where it has
/// one (as the catalogue build writes a signature's).
pub fn cite(ids: &[SourceId]) -> String {
    let cited: Vec<String> = ids
        .iter()
        .map(|id| {
            let s = id.entry();
            match s.url {
                Some(url) => format!("{} ({url})", s.title),
                None => s.title.to_string(),
            }
        })
        .collect();
    cited.join("; ")
}

/// A fix step of a Rust rule with what it rests on after it, as the catalogue build words a
/// signature's: the source's short name, or nbtriage's own basis.
pub fn step(text: &str, basis: Basis) -> String {
    let label = match basis {
        Basis::Source(id) => id.entry().short,
        Basis::Practice => "general practice",
        Basis::Threshold => "nbtriage's threshold",
    };
    if text.contains(label) {
        return text.to_string();
    }
    match text.strip_suffix('.') {
        Some(body) => format!("{body} ({label})."),
        None => format!("{text} ({label})"),
    }
}

/// What a Rust rule's fix step rests on.
#[derive(Debug, Clone, Copy)]
pub enum Basis {
    Source(SourceId),
    /// Common practice no cited source gives.
    Practice,
    /// A number nbtriage chose.
    Threshold,
}

/// What an OS error means to a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrnoKind {
    Refused,
    TimedOut,
    Reset,
    Aborted,
    Unreachable,
    BrokenPipe,
    TimerExpired,
    NameNotFound,
    Other,
}

/// One OS error, as `errno.toml` states it.
#[derive(Debug)]
pub struct ErrnoEntry {
    pub name: &'static str,
    pub kind: ErrnoKind,
    pub meaning: &'static str,
    pub windows: &'static [u32],
    pub linux: &'static [u32],
    pub solaris: &'static [u32],
    /// How the OS words it (`Connection refused`): matched when the number is ambiguous.
    pub texts: &'static [&'static str],
    pub source: &'static str,
}

impl ErrnoEntry {
    /// The meaning's first words, before any explanation: "connection refused".
    pub fn words(&self) -> &'static str {
        self.meaning.split(':').next().unwrap_or(self.meaning)
    }
}

include!(concat!(env!("OUT_DIR"), "/catalogue.rs"));

/// The status table's entry for `code`.
pub fn status(code: u32) -> Option<&'static StatusEntry> {
    STATUSES.binary_search_by_key(&code, |s| s.code).ok().map(|i| &STATUSES[i])
}

/// The errno table's entry for an error: by its text when the line gives one (numbers mean
/// different errors on different systems), else by its number, Windows numbers first (they
/// do not collide with the small UNIX ones).
pub fn errno(number: u32, text: &str) -> Option<&'static ErrnoEntry> {
    let text = text.trim();
    if !text.is_empty() {
        let by_text = ERRNOS.iter().find(|e| e.texts.iter().any(|t| contains_ignore_case(text, t)));
        if by_text.is_some() {
            return by_text;
        }
    }
    ERRNOS
        .iter()
        .find(|e| e.windows.contains(&number))
        .or_else(|| ERRNOS.iter().find(|e| e.linux.contains(&number)))
        .or_else(|| ERRNOS.iter().find(|e| e.solaris.contains(&number)))
}

fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    !n.is_empty() && h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

/// `status 25 (cannot connect on socket)`, or `status N` for codes not in the table.
pub fn status_phrase(code: u32) -> String {
    match status(code) {
        Some(s) => format!("status {code} ({})", s.message),
        None => format!("status {code}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_and_found() {
        assert!(STATUSES.windows(2).all(|w| w[0].code < w[1].code));
        assert_eq!(status(25).map(|s| s.message), Some("cannot connect on socket"));
        assert!(status(999_999).is_none());
        assert_eq!(status_phrase(25), "status 25 (cannot connect on socket)");
    }

    #[test]
    fn errno_by_text_before_number() {
        assert_eq!(errno(10061, "").map(|e| e.kind), Some(ErrnoKind::Refused));
        assert_eq!(errno(111, "").map(|e| e.kind), Some(ErrnoKind::Refused));
        // 146 is Solaris's ECONNREFUSED; the words decide when the numbers could mislead.
        assert_eq!(errno(146, "Connection refused").map(|e| e.kind), Some(ErrnoKind::Refused));
        assert_eq!(errno(62, "Timer expired").map(|e| e.kind), Some(ErrnoKind::TimerExpired));
    }
}
