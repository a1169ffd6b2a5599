//! The catalogue compiler: reads the catalogue's TOML files, checks every one of them, and
//! writes the Rust tables the crate compiles in.
//!
//! It runs in `build.rs`, so no TOML parser ships in the WebAssembly and bad data fails the
//! build, and in the crate's tests, against broken fixtures of its own. It reports every problem
//! at once, each with its file and what to do (as Hayabusa's rule checks and lnav's format
//! checks do). Self-contained: it cannot see the crate, only serde and toml.

mod check;
pub mod pattern;
mod schema;
mod sources;
mod write;

use pattern::{anchor, Segment};

use check::check_signature;
use schema::{ErrnosToml, SignatureToml, SourcesToml, StatusesToml};
use sources::Sources;
use std::collections::{BTreeMap, BTreeSet};
use write::{write_anchors, write_errnos, write_signatures, write_statuses};

/// Needles the one pass per chunk searches for, at most: aho-corasick's SIMD search (Teddy) is
/// fastest up to 32 patterns (8 buckets of 32-byte blocks; past that it takes 16-byte blocks).
/// The fact and tag needles are there; catalogue anchors are matched on the lines that can hold
/// a signature, with an automaton of their own.
pub const MAX_NEEDLES: usize = 32;
/// The shortest anchor: the WebAssembly needle search fingerprints four bytes of each needle.
pub const MIN_ANCHOR: usize = 4;
/// The shortest anchor of an `info_lines` signature: the chunk pass looks for it in every line,
/// so it must be specific enough to hit only the lines it means.
pub const MIN_INFO_LINE_ANCHOR: usize = 16;

/// One catalogue file.
pub struct Input<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

const AREAS: &[(&str, &str)] = &[
    ("network", "Network"),
    ("names-and-trust", "NamesAndTrust"),
    ("client", "Client"),
    ("media-and-storage", "MediaAndStorage"),
    ("catalog", "Catalog"),
    ("scheduling", "Scheduling"),
];
const SEVERITIES: &[(&str, &str)] = &[("info", "Info"), ("warning", "Warning"), ("critical", "Critical")];
const ROLES: &[(&str, &str)] = &[("cause", "Cause"), ("symptom", "Symptom")];
const OWNERS: &[(&str, &str)] = &[
    ("network-team", "NetworkTeam"),
    ("backup-admin", "BackupAdmin"),
    ("client-owner", "ClientOwner"),
    ("storage-admin", "StorageAdmin"),
    ("netbackup-support", "NetbackupSupport"),
    ("database-admin", "DatabaseAdmin"),
];
const ERRNO_KINDS: &[(&str, &str)] = &[
    ("refused", "Refused"),
    ("timed-out", "TimedOut"),
    ("reset", "Reset"),
    ("aborted", "Aborted"),
    ("unreachable", "Unreachable"),
    ("broken-pipe", "BrokenPipe"),
    ("timer-expired", "TimerExpired"),
    ("name-not-found", "NameNotFound"),
    ("other", "Other"),
];
/// Hole types, and the Rust `HoleKind` each becomes.
const HOLE_KINDS: &[(&str, &str)] = &[
    ("status", "Status"),
    ("errno", "Errno"),
    ("int", "Int"),
    ("uint", "Uint"),
    ("ip", "Ip"),
    ("port", "Port"),
    ("addr", "Addr"),
    ("host", "Host"),
    ("word", "Word"),
    ("hex", "Hex"),
    ("rest", "Rest"),
    ("skip", "Skip"),
];
/// Hole names that are their own type: `{status}` is `{status:status}`.
const SELF_TYPED: &[&str] = &["status", "errno", "ip", "port", "addr", "host", "rest"];
/// Template words every finding has: lines matched, where and when the first was, hosts.
const BUILT_INS: &[&str] = &["count", "times", "lines", "where", "when", "hosts", "process"];

fn lookup(table: &[(&str, &str)], value: &str, what: &str, problems: &mut Vec<String>) -> String {
    match table.iter().find(|(name, _)| *name == value) {
        Some((_, rust)) => rust.to_string(),
        None => {
            problems.push(format!(
                "{what} `{value}` is not one of: {}",
                table.iter().map(|t| t.0).collect::<Vec<_>>().join(", ")
            ));
            String::new()
        }
    }
}

/// A checked signature, ready to write out.
struct Signature {
    toml: SignatureToml,
    area: String,
    severity: String,
    role: String,
    owner: String,
    patterns: Vec<Vec<Segment>>,
    /// The fix steps as a finding shows them, each with what it rests on.
    fix: Vec<String>,
    /// The sources' titles and addresses.
    source: String,
}

/// Compiles the catalogue into Rust source, or lists every problem found.
pub fn compile(
    sources: &Input<'_>,
    signatures: &[Input<'_>],
    statuses: &Input<'_>,
    errnos: &Input<'_>,
    fact_needles: &[&str],
    is_process: fn(&[u8]) -> bool,
) -> Result<String, Vec<String>> {
    let mut problems = Vec::new();
    let source_rows = match toml::from_str::<SourcesToml>(sources.text) {
        Err(e) => {
            problems.push(format!("{}: not a valid sources table: {}", sources.name, e.to_string().trim()));
            Vec::new()
        }
        Ok(table) => table.source,
    };
    let sources = Sources::check(source_rows, &mut problems);
    let mut checked = Vec::new();
    let mut ids = BTreeSet::new();
    for input in signatures {
        let mut local = Vec::new();
        match toml::from_str::<SignatureToml>(input.text) {
            Err(e) => local.push(format!("not a valid signature: {}", e.to_string().trim())),
            Ok(sig) => {
                if let Some(mut s) = check_signature(sig, input.name, &mut local) {
                    s.fix = sources.steps(&s.toml.fix, &mut local);
                    s.source = sources.cite(&s.toml.source, &mut local);
                    for p in s.toml.processes.iter().filter(|p| !is_process(p.as_bytes())) {
                        local.push(format!("process `{p}` is not in the process table (src/input/process.rs)"));
                    }
                    if !ids.insert(s.toml.id.clone()) {
                        local.push(format!("duplicate id `{}`", s.toml.id));
                    }
                    checked.push(s);
                }
            }
        }
        problems.extend(local.into_iter().map(|p| format!("{}: {p}", input.name)));
    }
    checked.sort_by(|a, b| a.toml.id.cmp(&b.toml.id));

    let status_rows = match toml::from_str::<StatusesToml>(statuses.text) {
        Err(e) => {
            problems.push(format!("{}: not a valid status table: {}", statuses.name, e.to_string().trim()));
            Vec::new()
        }
        Ok(table) => table.status,
    };
    let errno_rows = match toml::from_str::<ErrnosToml>(errnos.text) {
        Err(e) => {
            problems.push(format!("{}: not a valid errno table: {}", errnos.name, e.to_string().trim()));
            Vec::new()
        }
        Ok(table) => table.errno,
    };

    // The one needle pass: fact needles and every distinct anchor.
    let mut anchors: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut pattern_count = 0;
    for sig in &checked {
        for segments in &sig.patterns {
            anchors.entry(anchor(segments).to_string()).or_default().push(pattern_count);
            pattern_count += 1;
        }
    }
    // Anchors of signatures whose lines come at any level join the chunk pass.
    let mut info_line_anchors = BTreeSet::new();
    for sig in checked.iter().filter(|s| s.toml.info_lines) {
        for segments in &sig.patterns {
            let text = anchor(segments);
            if text.len() < MIN_INFO_LINE_ANCHOR {
                problems.push(format!(
                    "{}.toml: with `info_lines`, the anchor `{text}` is searched for in every line: make it at least {MIN_INFO_LINE_ANCHOR} characters of literal text",
                    sig.toml.id
                ));
            }
            info_line_anchors.insert(text.to_string());
        }
    }
    if fact_needles.len() + info_line_anchors.len() > MAX_NEEDLES {
        problems.push(format!(
            "{} fact and tag needles and {} `info_lines` anchors, more than the {MAX_NEEDLES} the fastest SIMD search takes",
            fact_needles.len(),
            info_line_anchors.len()
        ));
    }

    let mut out = String::from("// Generated by build.rs from src/catalogue/: do not edit.\n\n");
    sources.write(&mut out);
    write_signatures(&mut out, &checked);
    write_anchors(&mut out, &anchors, &info_line_anchors);
    for row in &status_rows {
        if let Some(rule) = &row.rule {
            if !ids.insert(rule.id.clone()) {
                problems.push(format!("{}: status {}: duplicate rule id `{}`", statuses.name, row.code, rule.id));
            }
        }
    }
    write_statuses(&mut out, &status_rows, statuses.name, &sources, &mut problems);
    write_errnos(&mut out, &errno_rows, errnos.name, &mut problems);
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}
