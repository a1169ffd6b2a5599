//! The catalogue compiler: reads the catalogue's TOML files, checks every one of them, and
//! writes the Rust tables the crate compiles in.
//!
//! It runs in `build.rs`, so no TOML parser ships in the WebAssembly and bad data fails the
//! build, and in the crate's tests, against broken fixtures of its own. It reports every problem
//! at once, each with its file and what to do (as Hayabusa and lnav do; see
//! `reference/rules-as-data.md`). Self-contained: it cannot see the crate, only serde and toml.

use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignatureToml {
    id: String,
    name: String,
    area: String,
    severity: String,
    role: String,
    owner: String,
    #[serde(default)]
    processes: Vec<String>,
    /// Public debug logs show the line at an information level (`<2>`, `<4>`, no `ERR -`): its
    /// anchor joins the chunk pass, and the line is matched whatever its level.
    #[serde(default)]
    info_lines: bool,
    #[serde(rename = "match")]
    patterns: Vec<String>,
    title: String,
    summary: String,
    fix: Vec<String>,
    #[serde(default)]
    request: Option<String>,
    #[serde(default)]
    collect: Vec<String>,
    #[serde(default)]
    figures: Vec<FigureToml>,
    /// Statuses this rule explains: a bare status finding for one of them gives way to it.
    #[serde(default)]
    explains_status: Vec<u32>,
    meaning: String,
    #[serde(default)]
    caveats: String,
    source: String,
    #[serde(default)]
    positive: Vec<String>,
    #[serde(default)]
    negative: Vec<String>,
    #[serde(default, rename = "sample")]
    samples: Vec<SampleToml>,
    #[serde(default, rename = "counter_sample")]
    counter_samples: Vec<CounterToml>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FigureToml {
    label: String,
    value: String,
    #[serde(default)]
    unit: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SampleToml {
    line: String,
    /// A source tag (`S36`), a URL, or `constructed`.
    origin: String,
    #[serde(default)]
    expect: BTreeMap<String, toml::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CounterToml {
    line: String,
    #[serde(default)]
    why: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatusesToml {
    status: Vec<StatusToml>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatusToml {
    code: u32,
    message: String,
    #[serde(default)]
    area: Option<String>,
    owner: String,
    #[serde(default)]
    meaning: String,
    #[serde(default)]
    read_next: String,
    source: String,
    /// A rule of its own for this status: the checks a source names for it.
    #[serde(default)]
    rule: Option<StatusRuleToml>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatusRuleToml {
    id: String,
    name: String,
    severity: String,
    /// Steps, most telling first: the checks and fixes the sources name.
    fix: Vec<String>,
    meaning: String,
    #[serde(default)]
    caveats: String,
    source: String,
    positive: Vec<String>,
    negative: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ErrnosToml {
    errno: Vec<ErrnoToml>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ErrnoToml {
    name: String,
    kind: String,
    meaning: String,
    #[serde(default)]
    windows: Vec<u32>,
    #[serde(default)]
    linux: Vec<u32>,
    #[serde(default)]
    solaris: Vec<u32>,
    #[serde(default)]
    texts: Vec<String>,
    source: String,
}

/// A pattern, split: literal text and typed holes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Lit(String),
    Hole { name: String, kind: String },
}

/// Splits `socket read failed: errno = {errno} - {reason:rest}` into segments. `{{` and `}}`
/// are literal braces.
pub fn parse_pattern(text: &str) -> Result<Vec<Segment>, String> {
    let mut out = Vec::new();
    let mut lit = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                lit.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                lit.push('}');
            }
            '}' => return Err("a lone `}`: write `}}` for a literal brace".into()),
            '{' => {
                let mut inner = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) => inner.push(c),
                        None => return Err(format!("`{{{inner}` is not closed")),
                    }
                }
                let (name, kind) = match inner.split_once(':') {
                    Some((name, kind)) => (name.trim().to_string(), kind.trim().to_string()),
                    None if inner.trim() == "_" => ("_".to_string(), "skip".to_string()),
                    None if SELF_TYPED.contains(&inner.trim()) => (inner.trim().to_string(), inner.trim().to_string()),
                    None => {
                        return Err(format!(
                            "hole `{{{inner}}}` has no type: write `{{{inner}:word}}` (types: {})",
                            HOLE_KINDS.iter().map(|k| k.0).collect::<Vec<_>>().join(", ")
                        ))
                    }
                };
                let name = if kind == "skip" { "_".to_string() } else { name };
                if name != "_" && !is_identifier(&name) {
                    return Err(format!("hole name `{name}` must be lower-case letters, digits and `_`"));
                }
                if !HOLE_KINDS.iter().any(|k| k.0 == kind) {
                    return Err(format!(
                        "unknown hole type `{kind}` in `{{{inner}}}` (types: {})",
                        HOLE_KINDS.iter().map(|k| k.0).collect::<Vec<_>>().join(", ")
                    ));
                }
                if !lit.is_empty() {
                    out.push(Segment::Lit(std::mem::take(&mut lit)));
                } else if matches!(out.last(), Some(Segment::Hole { .. })) {
                    return Err(format!("two holes side by side before `{{{inner}}}`: put literal text between them"));
                }
                out.push(Segment::Hole { name, kind });
            }
            c => lit.push(c),
        }
    }
    if !lit.is_empty() {
        out.push(Segment::Lit(lit));
    }
    match out.first_mut() {
        Some(Segment::Lit(first)) => {
            let trimmed = first.trim_start().to_string();
            *first = trimmed;
        }
        _ => return Err("a pattern starts with literal text (its anchor), not a hole".into()),
    }
    Ok(out)
}

/// The literal every match starts with: the first segment up to its first space before a
/// punctuation mark (pasted lines gain and lose spaces there: `error  (87)`, `errno =62`), without
/// trailing spaces. The needle pass finds the anchor exactly; the rest of the pattern is matched
/// with loose spaces.
pub fn anchor(segments: &[Segment]) -> &str {
    let Some(Segment::Lit(text)) = segments.first() else { return "" };
    let bytes = text.as_bytes();
    let cut = (0..bytes.len())
        .find(|&i| bytes[i] == b' ' && bytes.get(i + 1).is_some_and(|b| !b.is_ascii_alphanumeric() && *b != b' '))
        .unwrap_or(bytes.len());
    text[..cut].trim_end()
}

fn is_identifier(name: &str) -> bool {
    !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !name.as_bytes()[0].is_ascii_digit()
}

/// The `{word}` and `{word.part}` names a template uses (`{{` is a literal brace).
fn template_names(template: &str) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    let bytes = template.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' if bytes.get(i + 1) == Some(&b'{') => i += 2,
            b'}' if bytes.get(i + 1) == Some(&b'}') => i += 2,
            b'{' => {
                let Some(close) = template[i..].find('}') else { return Err("a `{` is not closed".into()) };
                names.push(template[i + 1..i + close].to_string());
                i += close + 1;
            }
            b'}' => return Err("a lone `}`: write `}}` for a literal brace".into()),
            _ => i += 1,
        }
    }
    Ok(names)
}

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
}

/// Compiles the catalogue into Rust source, or lists every problem found.
pub fn compile(
    signatures: &[Input<'_>],
    statuses: &Input<'_>,
    errnos: &Input<'_>,
    fact_needles: &[&str],
) -> Result<String, Vec<String>> {
    let mut problems = Vec::new();
    let mut checked = Vec::new();
    let mut ids = BTreeSet::new();
    for input in signatures {
        let mut local = Vec::new();
        match toml::from_str::<SignatureToml>(input.text) {
            Err(e) => local.push(format!("not a valid signature: {}", e.to_string().trim())),
            Ok(sig) => {
                if let Some(s) = check_signature(sig, input.name, &mut local) {
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
    write_signatures(&mut out, &checked);
    write_anchors(&mut out, &anchors, &info_line_anchors);
    for row in &status_rows {
        if let Some(rule) = &row.rule {
            if !ids.insert(rule.id.clone()) {
                problems.push(format!("{}: status {}: duplicate rule id `{}`", statuses.name, row.code, rule.id));
            }
        }
    }
    write_statuses(&mut out, &status_rows, statuses.name, &mut problems);
    write_errnos(&mut out, &errno_rows, errnos.name, &mut problems);
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

fn check_signature(sig: SignatureToml, file: &str, problems: &mut Vec<String>) -> Option<Signature> {
    let stem = file.rsplit(['/', '\\']).next().unwrap_or(file).trim_end_matches(".toml");
    if !sig.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') || sig.id.is_empty() {
        problems.push(format!("id `{}` must be kebab-case", sig.id));
    }
    if sig.id != stem {
        problems.push(format!("id `{}` must match the file name `{stem}.toml`", sig.id));
    }
    let area = lookup(AREAS, &sig.area, "area", problems);
    let severity = lookup(SEVERITIES, &sig.severity, "severity", problems);
    let role = lookup(ROLES, &sig.role, "role", problems);
    let owner = lookup(OWNERS, &sig.owner, "owner", problems);
    for (field, text) in
        [("name", &sig.name), ("title", &sig.title), ("summary", &sig.summary), ("meaning", &sig.meaning)]
    {
        if text.trim().is_empty() {
            problems.push(format!("`{field}` is missing"));
        }
    }
    if sig.fix.is_empty() {
        problems.push("`fix` needs at least one step".into());
    }
    if sig.source.trim().len() < 8
        || !(sig.source.contains("[S") || sig.source.contains("http") || sig.source.contains("reference §"))
    {
        problems.push(
            "`source` must cite where the facts come from: a reference tag like [S36], `reference §5`, or a URL".into(),
        );
    }
    if sig.positive.is_empty() || sig.negative.is_empty() {
        problems.push("needs fixture bundles both ways: `positive` and `negative`".into());
    }
    if sig.samples.is_empty() {
        problems.push("needs at least one `[[sample]]` line".into());
    }
    for p in &sig.processes {
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
            problems.push(format!("process `{p}` must be a lower-case process name"));
        }
    }
    if sig.patterns.is_empty() {
        problems.push("`match` needs at least one pattern".into());
    }

    // Patterns: parse each; the holes every pattern has are what templates may use.
    let mut patterns = Vec::new();
    let mut holes_everywhere: Option<BTreeMap<String, String>> = None;
    let mut holes_anywhere: BTreeMap<String, String> = BTreeMap::new();
    for text in &sig.patterns {
        match parse_pattern(text) {
            Err(e) => problems.push(format!("pattern `{text}`: {e}")),
            Ok(segments) => {
                let anchor = anchor(&segments);
                if anchor.len() < MIN_ANCHOR {
                    problems.push(format!(
                        "pattern `{text}`: its anchor `{anchor}` is shorter than {MIN_ANCHOR} bytes: start it with more literal text"
                    ));
                }
                let mut holes = BTreeMap::new();
                for s in &segments {
                    if let Segment::Hole { name, kind } = s {
                        if name == "_" {
                            continue;
                        }
                        if holes.insert(name.clone(), kind.clone()).is_some() {
                            problems.push(format!("pattern `{text}`: hole `{name}` appears twice"));
                        }
                        if let Some(other) = holes_anywhere.insert(name.clone(), kind.clone()) {
                            if &other != kind {
                                problems.push(format!(
                                    "hole `{name}` has type `{kind}` in one pattern and `{other}` in another"
                                ));
                            }
                        }
                    }
                }
                holes_everywhere = Some(match holes_everywhere {
                    None => holes,
                    Some(all) => all.into_iter().filter(|(n, _)| holes.contains_key(n)).collect(),
                });
                patterns.push(segments);
            }
        }
    }
    let holes_everywhere = holes_everywhere.unwrap_or_default();

    // Templates: every name is a hole all patterns have, a part of one, or a built-in.
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut templates: Vec<(String, &str)> =
        vec![("title".into(), sig.title.as_str()), ("summary".into(), sig.summary.as_str())];
    templates.extend(sig.fix.iter().enumerate().map(|(i, t)| (format!("fix[{i}]"), t.as_str())));
    templates.extend(sig.request.iter().map(|t| ("request".into(), t.as_str())));
    templates.extend(sig.collect.iter().enumerate().map(|(i, t)| (format!("collect[{i}]"), t.as_str())));
    for (i, f) in sig.figures.iter().enumerate() {
        templates.push((format!("figures[{i}].label"), f.label.as_str()));
        templates.push((format!("figures[{i}].value"), f.value.as_str()));
    }
    for (field, template) in &templates {
        match template_names(template) {
            Err(e) => problems.push(format!("`{field}`: {e}")),
            Ok(names) => {
                for name in names {
                    let (base, part) = match name.split_once('.') {
                        Some((b, p)) => (b, Some(p)),
                        None => (name.as_str(), None),
                    };
                    if BUILT_INS.contains(&base) && part.is_none() {
                        continue;
                    }
                    match (holes_everywhere.get(base), part) {
                        (Some(_), None) => {
                            used.insert(base.to_string());
                        }
                        (Some(kind), Some("message")) if kind == "status" => {
                            used.insert(base.to_string());
                        }
                        (Some(kind), Some("meaning")) if kind == "errno" => {
                            used.insert(base.to_string());
                        }
                        (Some(kind), Some(part)) => problems.push(format!(
                            "`{field}` uses `{{{name}}}`, but a `{kind}` hole has no part `{part}` (a status has `.message`, an errno `.meaning`)"
                        )),
                        (None, _) if holes_anywhere.contains_key(base) => problems.push(format!(
                            "`{field}` uses `{{{base}}}`, which not every `match` pattern has: a finding from the others could not fill it"
                        )),
                        (None, _) => problems.push(format!(
                            "`{field}` uses `{{{name}}}`, which is no hole of this rule and no built-in ({})",
                            BUILT_INS.join(", ")
                        )),
                    }
                }
            }
        }
    }

    // Samples: expected values name holes; every hole is used somewhere.
    for (i, sample) in sig.samples.iter().enumerate() {
        if sample.origin.trim().is_empty() {
            problems.push(format!("sample {}: `origin` must be a source tag, a URL or `constructed`", i + 1));
        }
        if sample.line.contains('\n') {
            problems.push(format!("sample {}: a sample is one line", i + 1));
        }
        for key in sample.expect.keys() {
            if holes_anywhere.contains_key(key) {
                used.insert(key.clone());
            } else {
                problems.push(format!("sample {}: `expect` names `{key}`, which is no hole of this rule", i + 1));
            }
        }
    }
    for name in holes_anywhere.keys() {
        if !used.contains(name) {
            problems.push(format!(
                "hole `{name}` is used by no template and no sample's `expect`: use it, or write `{{_}}` to skip that text"
            ));
        }
    }
    Some(Signature { toml: sig, area, severity, role, owner, patterns })
}

fn write_signatures(out: &mut String, sigs: &[Signature]) {
    // Patterns first, numbered across the catalogue; each names its signature.
    out.push_str("pub static PATTERNS: &[Pattern] = &[\n");
    for (rule, sig) in sigs.iter().enumerate() {
        for (text, segments) in sig.toml.patterns.iter().zip(&sig.patterns) {
            let _ = write!(
                out,
                "    Pattern {{ rule: {rule}, text: {text:?}, anchor: {:?}, segments: &[",
                anchor(segments)
            );
            for s in segments {
                match s {
                    Segment::Lit(t) => {
                        let _ = write!(out, "Segment::Lit({t:?}), ");
                    }
                    Segment::Hole { name, kind } => {
                        let kind = HOLE_KINDS.iter().find(|k| k.0 == kind).map_or("Skip", |k| k.1);
                        let _ = write!(out, "Segment::Hole {{ name: {name:?}, kind: HoleKind::{kind} }}, ");
                    }
                }
            }
            out.push_str("] },\n");
        }
    }
    out.push_str("];\n\n");

    out.push_str("pub static SIGNATURES: &[Signature] = &[\n");
    let mut first_pattern = 0;
    for sig in sigs {
        let t = &sig.toml;
        let _ = writeln!(out, "    Signature {{");
        let _ = writeln!(out, "        id: {:?},", t.id);
        let _ = writeln!(out, "        name: {:?},", t.name);
        let _ = writeln!(out, "        area: Area::{},", sig.area);
        let _ = writeln!(out, "        severity: Severity::{},", sig.severity);
        let _ = writeln!(out, "        role: Role::{},", sig.role);
        let _ = writeln!(out, "        owner: Owner::{},", sig.owner);
        let _ = writeln!(out, "        processes: &{:?},", t.processes);
        let _ = writeln!(out, "        patterns: {first_pattern}..{},", first_pattern + sig.patterns.len());
        first_pattern += sig.patterns.len();
        let _ = writeln!(out, "        title: {:?},", t.title);
        let _ = writeln!(out, "        summary: {:?},", t.summary);
        let _ = writeln!(out, "        fix: &{:?},", t.fix);
        let _ = writeln!(out, "        request: {:?},", t.request);
        let _ = writeln!(out, "        collect: &{:?},", t.collect);
        let _ = write!(out, "        figures: &[");
        for f in &t.figures {
            let _ = write!(out, "({:?}, {:?}, {:?}), ", f.label, f.value, f.unit);
        }
        let _ = writeln!(out, "],");
        let _ = writeln!(out, "        explains_status: &{:?},", t.explains_status);
        let _ = writeln!(out, "        meaning: {:?},", t.meaning);
        let _ = writeln!(out, "        caveats: {:?},", t.caveats);
        let _ = writeln!(out, "        source: {:?},", t.source);
        let _ = writeln!(out, "        positive: &{:?},", t.positive);
        let _ = writeln!(out, "        negative: &{:?},", t.negative);
        // Samples are test data (tests/catalogue.rs): the WebAssembly does without them.
        let _ = write!(out, "        #[cfg(not(target_arch = \"wasm32\"))]\n        samples: &[");
        for s in &t.samples {
            let expect: Vec<(String, String)> = s
                .expect
                .iter()
                .map(|(k, v)| {
                    let v = match v {
                        toml::Value::String(s) => s.clone(),
                        toml::Value::Integer(i) => i.to_string(),
                        toml::Value::Float(f) => f.to_string(),
                        toml::Value::Boolean(b) => b.to_string(),
                        other => format!("{other:?}"),
                    };
                    (k.clone(), v)
                })
                .collect();
            let _ = write!(out, "Sample {{ line: {:?}, origin: {:?}, expect: &{:?} }}, ", s.line, s.origin, expect);
        }
        let _ = writeln!(out, "],");
        let counters: Vec<(&str, &str)> = t.counter_samples.iter().map(|c| (c.line.as_str(), c.why.as_str())).collect();
        let _ = writeln!(out, "        #[cfg(not(target_arch = \"wasm32\"))]\n        counter_samples: &{counters:?},");
        let _ = writeln!(out, "    }},");
    }
    out.push_str("];\n\n");
    // The page lists the rules and needs only these: a static of its own keeps the rest of the
    // catalogue out of the page's WebAssembly.
    out.push_str("/// Each signature's id, name, meaning, area and role, in SIGNATURES order.\n");
    out.push_str("pub static SIGNATURE_BRIEFS: &[Brief] = &[\n");
    for sig in sigs {
        let t = &sig.toml;
        let _ = writeln!(
            out,
            "    Brief {{ id: {:?}, title: {:?}, meaning: {:?}, area: Area::{}, role: Role::{} }},",
            t.id, t.name, t.meaning, sig.area, sig.role
        );
    }
    out.push_str("];\n\n");
}

fn write_anchors(out: &mut String, anchors: &BTreeMap<String, Vec<usize>>, info_line_anchors: &BTreeSet<String>) {
    out.push_str("/// Each distinct anchor and the patterns (indexes into PATTERNS) that start with it.\n");
    out.push_str("pub static ANCHORS: &[(&str, &[usize])] = &[\n");
    for (anchor, patterns) in anchors {
        let _ = writeln!(out, "    ({anchor:?}, &{patterns:?}),");
    }
    out.push_str("];\n\n");
    out.push_str("/// The anchors of `info_lines` signatures: needles of the chunk pass, so that a debug log's\n");
    out.push_str("/// information line holding one is matched against the catalogue too.\n");
    out.push_str("pub static INFO_LINE_ANCHORS: &[&str] = &[\n");
    for anchor in info_line_anchors {
        let _ = writeln!(out, "    {anchor:?},");
    }
    out.push_str("];\n\n");
}

fn write_statuses(out: &mut String, rows: &[StatusToml], file: &str, problems: &mut Vec<String>) {
    let mut seen = BTreeSet::new();
    let mut sorted: Vec<&StatusToml> = rows.iter().collect();
    sorted.sort_by_key(|r| r.code);
    out.push_str("pub static STATUSES: &[StatusEntry] = &[\n");
    for r in sorted {
        let mut local = Vec::new();
        if !seen.insert(r.code) {
            local.push("listed twice".to_string());
        }
        if r.message.trim().is_empty() {
            local.push("`message` is missing".into());
        }
        if r.source.trim().is_empty() {
            local.push("`source` is missing".into());
        }
        let area = match &r.area {
            Some(area) => match lookup(AREAS, area, "area", &mut local) {
                a if a.is_empty() => "None".to_string(),
                a => format!("Some(Area::{a})"),
            },
            None => "None".to_string(),
        };
        let owner = lookup(OWNERS, &r.owner, "owner", &mut local);
        let rule = match &r.rule {
            None => "None".to_string(),
            Some(rule) => {
                let severity = lookup(SEVERITIES, &rule.severity, "severity", &mut local);
                if !rule.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                    || rule.id.is_empty()
                {
                    local.push(format!("rule id `{}` must be kebab-case", rule.id));
                }
                if rule.fix.is_empty() || rule.meaning.trim().is_empty() || rule.name.trim().is_empty() {
                    local.push("a status rule needs `name`, `meaning` and at least one `fix` step".into());
                }
                if rule.positive.is_empty() || rule.negative.is_empty() {
                    local.push("a status rule needs fixture bundles both ways: `positive` and `negative`".into());
                }
                if !(rule.source.contains("[S") || rule.source.contains("http") || rule.source.contains("reference §"))
                {
                    local.push("a status rule's `source` must cite a reference tag, `reference §` or a URL".into());
                }
                format!(
                    "Some(StatusRule {{ id: {:?}, name: {:?}, severity: Severity::{}, fix: &{:?}, meaning: {:?}, caveats: {:?}, source: {:?}, positive: &{:?}, negative: &{:?} }})",
                    rule.id,
                    rule.name,
                    if severity.is_empty() { "Warning" } else { &severity },
                    rule.fix,
                    rule.meaning,
                    rule.caveats,
                    rule.source,
                    rule.positive,
                    rule.negative
                )
            }
        };
        let _ = writeln!(
            out,
            "    StatusEntry {{ code: {}, message: {:?}, area: {area}, owner: Owner::{}, meaning: {:?}, read_next: {:?}, source: {:?}, rule: {rule} }},",
            r.code,
            r.message,
            if owner.is_empty() { "BackupAdmin" } else { &owner },
            r.meaning,
            r.read_next,
            r.source
        );
        problems.extend(local.into_iter().map(|p| format!("{file}: status {}: {p}", r.code)));
    }
    out.push_str("];\n\n");
    out.push_str("/// Each status rule's id, name, meaning, area and role, in STATUSES order.\n");
    out.push_str("pub static STATUS_RULE_BRIEFS: &[Brief] = &[\n");
    let mut sorted: Vec<&StatusToml> = rows.iter().collect();
    sorted.sort_by_key(|r| r.code);
    for r in sorted {
        let Some(rule) = &r.rule else { continue };
        let mut ignored = Vec::new();
        let area = match &r.area {
            Some(area) => lookup(AREAS, area, "area", &mut ignored),
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "    Brief {{ id: {:?}, title: {:?}, meaning: {:?}, area: Area::{}, role: Role::Symptom }},",
            rule.id,
            rule.name,
            rule.meaning,
            if area.is_empty() { "Network" } else { &area }
        );
    }
    out.push_str("];\n\n");
}

fn write_errnos(out: &mut String, rows: &[ErrnoToml], file: &str, problems: &mut Vec<String>) {
    let mut seen = BTreeSet::new();
    out.push_str("pub static ERRNOS: &[ErrnoEntry] = &[\n");
    for r in rows {
        let mut local = Vec::new();
        if !seen.insert(r.name.clone()) {
            local.push("listed twice".to_string());
        }
        if r.windows.is_empty() && r.linux.is_empty() && r.solaris.is_empty() {
            local.push("needs at least one number (`windows`, `linux` or `solaris`)".into());
        }
        if r.source.trim().is_empty() {
            local.push("`source` is missing".into());
        }
        let kind = lookup(ERRNO_KINDS, &r.kind, "kind", &mut local);
        let _ = writeln!(
            out,
            "    ErrnoEntry {{ name: {:?}, kind: ErrnoKind::{}, meaning: {:?}, windows: &{:?}, linux: &{:?}, solaris: &{:?}, texts: &{:?}, source: {:?} }},",
            r.name,
            if kind.is_empty() { "Other" } else { &kind },
            r.meaning,
            r.windows,
            r.linux,
            r.solaris,
            r.texts,
            r.source
        );
        problems.extend(local.into_iter().map(|p| format!("{file}: errno {}: {p}", r.name)));
    }
    out.push_str("];\n");
}
