//! Findings of the catalogue's signature rules: every line that matched a signature's pattern
//! (in the logs of a process the rule applies to) makes one finding per rule, worded by the
//! rule's templates, filled from the first line's holes and from what the lines say.

use super::cite;
use super::words::reporter;
use crate::catalogue::{
    self, matcher::Value, template, HoleKind, Segment, Signature, SignatureId, PATTERNS, SIGNATURES,
};
use crate::correlate::{EvRef, Model};
use crate::facts::Fact;
use crate::report::{status_fact, Figure, Finding, MarkKind, Request};
use serde_json::{json, Value as Json};
use std::collections::BTreeMap;

/// Evidence lines listed per finding, at most; the facts count them all.
const EVIDENCE_LINES: usize = 20;

/// Timeline marks per finding, at most.
const MARKS: usize = 50;

/// One matched line.
pub(super) struct Hit<'m> {
    pub at: EvRef,
    pub pattern: usize,
    pub values: &'m [Value],
    /// The process the line names itself (`bpbkar: ERR - ...` pasted into one file with other
    /// processes' lines), else its file's.
    pub process: Option<&'m str>,
}

/// The lines that matched signature `id` (in the logs of a process it applies to), in time order:
/// what correlation rules read.
pub(super) fn hits_of<'m>(model: &'m Model<'_>, id: SignatureId) -> Vec<Hit<'m>> {
    all_hits(model).remove(&(id as usize)).unwrap_or_default()
}

pub(super) fn check(model: &Model<'_>) -> Vec<Finding> {
    all_hits(model).into_iter().map(|(rule, hits)| finding(model, &SIGNATURES[rule], &hits)).collect()
}

/// Every signature's lines, by signature, each in time order.
pub(super) fn all_hits<'m>(model: &'m Model<'_>) -> BTreeMap<usize, Vec<Hit<'m>>> {
    let mut by_rule: BTreeMap<usize, Vec<Hit<'m>>> = BTreeMap::new();
    for (file, view) in model.files.iter().enumerate() {
        if !view.facts.format.is_log() {
            continue;
        }
        for (index, event) in view.facts.events.iter().enumerate() {
            let Fact::Signature { pattern, values, process } = &event.fact else { continue };
            let Some(p) = PATTERNS.get(usize::from(*pattern)) else { continue };
            let process = process.as_deref().or(view.process.as_deref());
            if !SIGNATURES[p.rule].applies_to(process) {
                continue;
            }
            let at = EvRef { file: file as u32, index: index as u32 };
            by_rule.entry(p.rule).or_default().push(Hit { at, pattern: usize::from(*pattern), values, process });
        }
    }
    for hits in by_rule.values_mut() {
        crate::order::sort_by_key(hits, |h| (model.aligned_ms(h.at), h.at));
    }
    by_rule
}

/// The hole names of a pattern, in the order its values come.
fn hole_names(pattern: usize) -> impl Iterator<Item = (&'static str, HoleKind)> {
    PATTERNS[pattern].segments.iter().filter_map(|s| match *s {
        Segment::Hole { name, kind } if kind != HoleKind::Skip => Some((name, kind)),
        _ => None,
    })
}

/// Lines matched in all: those kept as events, and those only counted past the cap.
fn total_lines(model: &Model<'_>, sig: &Signature, hits: &[Hit<'_>]) -> usize {
    let mut per_file: BTreeMap<u32, usize> = BTreeMap::new();
    for h in hits {
        *per_file.entry(h.at.file).or_default() += 1;
    }
    per_file
        .into_iter()
        .map(|(file, kept)| {
            let counted = model.files[file as usize].facts.signature_counts.iter().find(|(id, _)| id == sig.id);
            counted.map_or(kept, |&(_, n)| (n as usize).max(kept))
        })
        .sum()
}

fn finding(model: &Model<'_>, sig: &'static Signature, hits: &[Hit<'_>]) -> Finding {
    let first = &hits[0];
    let holes: Vec<(&str, HoleKind, &Value)> =
        hole_names(first.pattern).zip(first.values).map(|((name, kind), value)| (name, kind, value)).collect();
    let text_hint: String = first.values.iter().map(Value::to_string).collect::<Vec<_>>().join(" ");
    let count = total_lines(model, sig, hits);
    let mut hosts: Vec<String> = hits.iter().map(|h| model.host(model.host_of(h.at)).short()).collect();
    crate::order::sort(&mut hosts);
    hosts.dedup();
    let lookup = |name: &str| -> Option<String> {
        match name {
            "count" => return Some(count.to_string()),
            "times" => {
                return Some(match count {
                    1 => "once".to_string(),
                    2 => "twice".to_string(),
                    n => format!("{n} times"),
                })
            }
            "lines" => return Some(crate::numbers::count(count as u64, "line", "lines")),
            "where" => return Some(reporter(model, first.at)),
            "when" => return Some(super::words::moment(model, first.at)),
            "hosts" => return Some(crate::numbers::and_list(&hosts)),
            "process" => return Some(first.process.unwrap_or("a NetBackup process").to_string()),
            _ => {}
        }
        let (base, part) = name.split_once('.').map_or((name, None), |(b, p)| (b, Some(p)));
        let (_, kind, value) = holes.iter().find(|(n, _, _)| *n == base)?;
        match (part, kind) {
            (None, _) => Some(value.to_string()),
            (Some("message"), HoleKind::Status) => {
                let code = u32::try_from(value.as_num()?).ok()?;
                Some(catalogue::status(code).map_or_else(|| format!("status {code}"), |s| s.message.to_string()))
            }
            (Some("meaning"), HoleKind::Errno) => {
                let code = u32::try_from(value.as_num()?).ok()?;
                Some(
                    catalogue::errno(code, &text_hint)
                        .map_or_else(|| format!("error {code}"), |e| e.meaning.to_string()),
                )
            }
            _ => None,
        }
    };
    let fill = |t: &str| template::fill(t, lookup);

    let mut facts: BTreeMap<String, Json> = BTreeMap::new();
    facts.insert("count".into(), json!(count));
    facts.insert("first".into(), json!(model.time_known(first.at).then(|| model.iso(first.at))));
    facts.insert("last".into(), json!(model.iso(hits[hits.len() - 1].at)));
    let mut reported_by: Vec<String> = hits.iter().map(|h| reporter(model, h.at)).collect();
    crate::order::sort(&mut reported_by);
    reported_by.dedup();
    facts.insert("reported_by".into(), json!(reported_by));
    for (name, _, value) in &holes {
        let v = match value {
            Value::Num(n) => json!(n),
            Value::Text(t) => json!(t),
        };
        facts.insert((*name).to_string(), v);
    }
    // The status it explains, when the logs report it.
    let reported = |s: &u32| model.failures.iter().any(|f| f.status == Some(*s));
    if let Some(status) = sig.explains_status.iter().find(|s| reported(s)) {
        facts.insert(status_fact::STATED.into(), json!(status));
    }
    let mut figures: Vec<Figure> = sig.figures.iter().map(|(l, v, u)| Figure::new(fill(l), fill(v), *u)).collect();
    figures.push(Figure::new("Lines", count.to_string(), ""));

    Finding {
        rule: sig.id.into(),
        severity: sig.severity,
        title: fill(sig.title),
        summary: super::words::sentence_start(&fill(sig.summary)),
        fix: sig.fix.iter().map(|t| fill(t)).collect(),
        evidence: hits.iter().take(EVIDENCE_LINES).map(|h| cite::evidence(model, h.at)).collect(),
        facts,
        marks: hits
            .iter()
            .take(MARKS)
            .map(|h| cite::mark(model, h.at, MarkKind::Failure, None, sig.name.to_string()))
            .collect(),
        area: Some(sig.area),
        role: sig.role,
        owner: sig.owner,
        figures,
        request: sig.request.map(|t| Request { to: sig.owner, text: fill(t) }),
        collect: sig.collect.iter().map(|t| fill(t)).collect(),
        source: sig.source.to_string(),
        caveats: sig.caveats.to_string(),
        owner_note: String::new(),
    }
}
