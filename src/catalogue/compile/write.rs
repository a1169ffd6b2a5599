//! Writes the checked catalogue out as Rust tables (the file `build.rs` puts in `OUT_DIR`).

use super::pattern::{anchor, Segment};
use super::schema::{ErrnoToml, StatusRuleToml, StatusToml};
use super::sources::{has_internal_tag, Sources};
use super::{lookup, Signature, AREAS, ERRNO_KINDS, HOLE_KINDS, OWNERS, SEVERITIES};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// `broken-pipe` → `BrokenPipe`.
pub(super) fn pascal_case(id: &str) -> String {
    let mut out = String::new();
    for word in id.split('-') {
        let mut chars = word.chars();
        out.extend(chars.next().map(|c| c.to_ascii_uppercase()));
        out.push_str(chars.as_str());
    }
    out
}

pub(super) fn write_signatures(out: &mut String, sigs: &[Signature]) {
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

    // Each signature's id, typed: a Rust rule names a signature by it, so a renamed or removed
    // signature is a build error rather than a rule that silently finds nothing.
    out.push_str("/// A signature, by its id (`SignatureId::BrokenPipe` is `broken-pipe`).\n");
    out.push_str("#[derive(Debug, Clone, Copy, PartialEq, Eq)]\npub enum SignatureId {\n");
    for sig in sigs {
        let _ = writeln!(out, "    {},", pascal_case(&sig.toml.id));
    }
    out.push_str("}\n\nimpl SignatureId {\n    pub fn signature(self) -> &'static Signature {\n        &SIGNATURES[self as usize]\n    }\n}\n\n");

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
        let _ = writeln!(out, "        fix: &{:?},", sig.fix);
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
        let _ = writeln!(out, "        source: {:?},", sig.source);
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

pub(super) fn write_anchors(
    out: &mut String,
    anchors: &BTreeMap<String, Vec<usize>>,
    info_line_anchors: &BTreeSet<String>,
) {
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

pub(super) fn write_statuses(
    out: &mut String,
    rows: &[StatusToml],
    file: &str,
    sources: &Sources,
    problems: &mut Vec<String>,
) {
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
        let source = sources.cite(&r.source, &mut local);
        for text in [r.meaning.as_str(), r.read_next.as_str()] {
            if has_internal_tag(text) {
                local.push(
                    "`meaning` and `read_next` name public documents, never an internal reference tag ([Sn], §)".into(),
                );
            }
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
            Some(rule) => status_rule(rule, sources, &mut local),
        };
        let _ = writeln!(
            out,
            "    StatusEntry {{ code: {}, message: {:?}, area: {area}, owner: Owner::{}, network_check: {:?}, meaning: {:?}, read_next: {:?}, source: {:?}, rule: {rule} }},",
            r.code,
            r.message,
            if owner.is_empty() { "BackupAdmin" } else { &owner },
            r.network_check,
            r.meaning,
            r.read_next,
            source
        );
        problems.extend(local.into_iter().map(|p| format!("{file}: status {}: {p}", r.code)));
    }
    out.push_str("];\n\n");
    write_status_messages(out, rows);
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

/// A status rule's generated `Some(StatusRule { .. })`, its problems pushed to `local`.
fn status_rule(rule: &StatusRuleToml, sources: &Sources, local: &mut Vec<String>) -> String {
    let severity = lookup(SEVERITIES, &rule.severity, "severity", local);
    if !rule.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') || rule.id.is_empty() {
        local.push(format!("rule id `{}` must be kebab-case", rule.id));
    }
    if rule.fix.is_empty() || rule.meaning.trim().is_empty() || rule.name.trim().is_empty() {
        local.push("a status rule needs `name`, `meaning` and at least one `fix` step".into());
    }
    if rule.positive.is_empty() || rule.negative.is_empty() {
        local.push("a status rule needs fixture bundles both ways: `positive` and `negative`".into());
    }
    let fix = sources.steps(&rule.fix, local);
    let rule_source = sources.cite(&rule.source, local);
    let fix_texts = rule.fix.iter().map(|s| s.text.as_str());
    if [rule.name.as_str(), &rule.meaning, &rule.caveats].into_iter().chain(fix_texts).any(has_internal_tag) {
        local.push("a status rule's words name public documents, never an internal reference tag ([Sn], §)".into());
    }
    format!(
        "Some(StatusRule {{ id: {:?}, name: {:?}, severity: Severity::{}, fix: &{:?}, meaning: {:?}, caveats: {:?}, source: {:?}, positive: &{:?}, negative: &{:?} }})",
        rule.id,
        rule.name,
        if severity.is_empty() { "Warning" } else { &severity },
        fix,
        rule.meaning,
        rule.caveats,
        rule_source,
        rule.positive,
        rule.negative
    )
}

/// The statuses in the order of their official messages as `parse::stated` looks lines up by
/// them (ASCII lowercase, one space between words, no final period, a typographic apostrophe as
/// `'`): indexes into `STATUSES` (sorted by code), so the messages are not stored twice; a
/// message two statuses share is two adjacent rows.
fn write_status_messages(out: &mut String, rows: &[StatusToml]) {
    let mut by_code: Vec<&StatusToml> = rows.iter().collect();
    by_code.sort_by_key(|r| r.code);
    let mut order: Vec<(String, usize)> =
        by_code.iter().enumerate().map(|(i, r)| (normalized_message(&r.message), i)).collect();
    order.sort();
    out.push_str("/// `STATUSES` indexes, sorted by message normalized as `parse::stated::normalize` does.\n");
    out.push_str("pub static STATUS_MESSAGE_ORDER: &[u16] = &[");
    for (_, i) in order {
        let _ = write!(out, "{i},");
    }
    out.push_str("];\n\n");
}

/// A message as `parse::stated::normalize` writes a line's text.
pub(super) fn normalized_message(message: &str) -> String {
    let message = message.replace('\u{2019}', "'");
    let mut key = message.split_ascii_whitespace().collect::<Vec<_>>().join(" ").to_ascii_lowercase();
    while key.ends_with('.') || key.ends_with(' ') {
        key.pop();
    }
    key
}

pub(super) fn write_errnos(out: &mut String, rows: &[ErrnoToml], file: &str, problems: &mut Vec<String>) {
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
