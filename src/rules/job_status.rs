//! A job or process reported a status other than 0: the symptom every other rule explains,
//! stated on its own so that a bundle without a known cause still says what failed.

use super::words::{clock, count};
use super::{Rule, RuleDoc};
use crate::correlate::{EvRef, FailureKind, Model};
use crate::facts::Format;
use crate::knowledge::{status_message, status_notes, status_phrase};
use crate::report::{Finding, Severity};
use serde_json::{json, Value};
use std::collections::BTreeMap;

pub static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "job-status",
        title: "A job or process ended with a non-zero status",
        meaning: "A NetBackup process (`EXIT STATUS N`, `FATAL exit status = N`, `EXITING with status N`), \
the Job Details (`... (N)` at the end of a line) or nbjm (`updateJobStatus ... status=N`) reported status N. \
One finding per status, with every line that reported it. A warning; 1 (partially successful) is only information. \
This names the symptom; the rules before it name causes.",
        evidence: "The status lines, in the processes' debug logs, the Job Details text and vxlogview output.",
        fix: "What the sources say the status usually means on the network side (reference §5), and the lines \
to read before it in the same process's log.",
        source: "Status messages: reference §5 [S27, S28]; usual meanings: §5 with the tags quoted in each \
finding; line shapes: §1.5 [S14, S36], §2 [S17], §9 [S21, S36].",
        caveats: "nbjm's `status=N` in `updateJobStatus` is read as the job's status from one KB sample [S17] \
(reference §10), not from a format description.",
    },
    check,
    positive: &["job-details-status-13", "vxlogview-nbjm"],
    negative: &["seed-technote", "healthy", "pbx-rst"],
};

fn check(model: &Model<'_>) -> Vec<Finding> {
    let mut by_status: BTreeMap<u32, Vec<EvRef>> = BTreeMap::new();
    for failure in model.failures.iter().filter(|f| f.kind == FailureKind::ExitStatus) {
        if let Some(status) = failure.status {
            by_status.entry(status).or_default().push(failure.at);
        }
    }
    by_status.into_iter().map(|(status, lines)| finding(model, status, lines)).collect()
}

/// Who reported a line: "bpbrm on media02", "the Job Details".
fn reporter(model: &Model<'_>, r: EvRef) -> String {
    let view = model.file(r);
    if view.facts.format == Format::JobDetails {
        return "the Job Details".into();
    }
    let process = view.process.as_deref().unwrap_or("a process");
    let host = model.host(view.host);
    if host.name.is_some() || !host.ips.is_empty() {
        format!("{process} on {}", host.short())
    } else {
        process.to_string()
    }
}

fn finding(model: &Model<'_>, status: u32, mut lines: Vec<EvRef>) -> Finding {
    lines.sort_by_key(|&r| (model.aligned_ms(r), r));
    let mut unique: Vec<String> = lines.iter().map(|&r| reporter(model, r)).collect();
    unique.sort();
    unique.dedup();
    let first = lines[0];
    let phrase = status_phrase(status);
    let mut summary = format!(
        "{} reported {phrase}, first at {} ({}).",
        sentence_start(&sentence_list(&unique)),
        clock(&model.iso(first)),
        count(lines.len(), "line", "lines")
    );
    if let Some(notes) = status_notes(status) {
        summary.push(' ');
        summary.push_str(notes);
    }
    let mut fix = Vec::new();
    let when = clock(&model.iso(first)).to_string();
    fix.push(if model.file(first).facts.format == Format::JobDetails {
        format!(
            "Read the logs of the processes the Job Details name, just before {when}: the files panel links each (pid=N) to its process's log when it is here."
        )
    } else {
        format!(
            "Read the lines just before {when} in the log of {}: the cause is usually logged there, or on the other host of the connection.",
            reporter(model, first)
        )
    });
    if status_message(status).is_none() {
        fix.push(format!(
            "Look the status up in the NetBackup Status Codes Reference Guide: {status} is not in nbtriage's table."
        ));
    }
    let severity = if status == 1 { Severity::Info } else { Severity::Warning };
    let mut facts: BTreeMap<String, Value> = BTreeMap::new();
    facts.insert("status".into(), json!(status));
    facts.insert("message".into(), json!(status_message(status)));
    facts.insert("count".into(), json!(lines.len()));
    facts.insert("reported_by".into(), json!(unique));
    facts.insert("first".into(), json!(model.iso(first)));
    Finding {
        rule: RULE.doc.id.into(),
        severity,
        title: format!("{} reported by {}", capitalized(&phrase), sentence_list(&unique)),
        summary,
        fix,
        evidence: lines.iter().map(|&r| model.evidence(r)).collect(),
        facts,
        marks: lines.iter().map(|&r| model.mark(r, "failure", None, format!("status {status}"))).collect(),
    }
}

/// Capitalizes "the ..." at the start of a sentence; process names stay as NetBackup writes them.
fn sentence_start(text: &str) -> String {
    match text.strip_prefix("the ") {
        Some(rest) => format!("The {rest}"),
        None => text.to_string(),
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// `a`, `a and b`, `a, b and c`.
fn sentence_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
