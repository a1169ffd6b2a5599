//! A status the text states on its own, by its official message or its number (a console's, the
//! web UI's or an alert mail's `Status: can't connect to client`, `Status Code: 58`): what it
//! means, what to check and collect, who acts. A status stated, not a log line: the text does
//! not say which job, host or process it was, so the finding says "the text states", never
//! "the job failed".

use super::cite;
use super::words::moment;
use super::{Rule, RuleDoc};
use crate::catalogue::{self, status_phrase, step, Basis, SignatureId, SourceId};
use crate::correlate::{EvRef, FailureKind, Model};
use crate::facts::Fact;
use crate::numbers::count;
use crate::report::{status_fact, Area, Figure, Finding, MarkKind, Owner, Role, Severity};
use serde_json::{json, Value};
use std::collections::BTreeMap;

const EXPLAINS: &[SignatureId] = &[];

pub static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "status-stated",
        title: "A status stated on its own (a console's, an alert mail's, a ticket's)",
        meaning: "A line's whole text is a NetBackup status: its official message (`Status: can't connect to client`, \
`Client backup was not attempted.`) or its number after a label or beside its own message (`Status Code: 58`, \
`58 - can't connect to client`). Never a message inside a longer line. A message two statuses share is named as \
such, not guessed. The status table's meaning, checks, logs to collect and owner come with it.",
        evidence: "The line that states the status, in a pasted message, an alert mail or a ticket.",
        fix: "What the status table says the status means and which logs to collect; for a status with a rule \
of its own, that rule's checks. The Job Details and the debug logs of the job say why.",
        sources: &[SourceId::StatusCodesReference],
        caveats: "The text does not say which job, host or process the status was: only the logs of the job do.",
    },
    area: Area::Network,
    role: Role::Symptom,
    check,
    explains: EXPLAINS,
    positive: &["stated-statuses"],
    negative: &["quoted-messages", "healthy", "job-details-status-13", "stated-not-statuses"],
};

fn check(model: &Model<'_>) -> Vec<Finding> {
    // A status a log line reports is the job's status finding's; a stated one adds nothing there.
    let reported: Vec<u32> =
        model.failures.iter().filter(|f| f.kind == FailureKind::ExitStatus).filter_map(|f| f.status).collect();
    let mut by_status: BTreeMap<(u32, Option<u32>), Vec<EvRef>> = BTreeMap::new();
    for r in model.events_where(|f| matches!(f, Fact::StatedStatus { .. })) {
        if let Fact::StatedStatus { status, shared_with } = model.event(r).fact {
            if shared_with.is_none() && reported.contains(&status) {
                continue;
            }
            by_status.entry((status, shared_with)).or_default().push(r);
        }
    }
    by_status
        .into_iter()
        .map(|((status, shared), lines)| match shared {
            None => finding(model, status, lines),
            Some(other) => shared_finding(model, status, other, lines),
        })
        .collect()
}

/// Where a status is stated: "line 3 of alert.txt (2 lines)".
fn place(model: &Model<'_>, lines: &[EvRef]) -> String {
    format!("{} ({})", moment(model, lines[0]), count(lines.len() as u64, "line", "lines"))
}

fn finding(model: &Model<'_>, status: u32, lines: Vec<EvRef>) -> Finding {
    let entry = catalogue::status(status);
    let rule = entry.and_then(|e| e.rule.as_ref());
    let phrase = status_phrase(status);
    let mut summary = format!("The text states {phrase}, at {}.", place(model, &lines));
    let mut fix = Vec::new();
    match entry {
        Some(_) if status == 0 => summary.push_str(" The operation it names succeeded."),
        Some(e) => {
            // A status rule's meaning says it for this status; the table's otherwise.
            let meaning = rule.map_or(e.meaning, |r| r.meaning);
            if !meaning.is_empty() {
                summary.push(' ');
                summary.push_str(meaning);
            }
            summary.push_str(" The text does not say which job, host or process it was.");
            fix.push(step(
                "Find where the status came from (the job in the Activity Monitor or the web UI, or the command that printed it) and collect that job's Job Details and the logs named below: the message states the status, the logs say why.",
                Basis::Practice,
            ));
        }
        None => fix.push(step(
            &format!("Look the status up in the NetBackup Status Codes Reference Guide: {status} is not in nbtriage's table."),
            Basis::Practice,
        )),
    }
    if let Some(rule) = rule {
        fix.splice(0..0, rule.fix.iter().map(|s| s.to_string()));
    }
    let collect = entry
        .map(|e| e.read_next)
        .filter(|r| !r.is_empty())
        .map(|r| vec![format!("For status {status}: {r}")])
        .unwrap_or_default();
    let severity = match rule {
        Some(r) => r.severity,
        None if status <= 1 => Severity::Info,
        None => Severity::Warning,
    };
    let mut facts = facts(model, &lines);
    facts.insert(status_fact::STATED.into(), json!(status));
    facts.insert("message".into(), json!(entry.map(|e| e.message)));
    let title = match rule {
        Some(rule) => format!("{}: {phrase} stated in the text", rule.name),
        None => format!("The text states {phrase}"),
    };
    Finding {
        rule: rule.map_or(RULE.doc.id, |r| r.id).into(),
        severity,
        title,
        summary,
        fix,
        evidence: lines.iter().map(|&r| cite::evidence(model, r)).collect(),
        facts,
        marks: marks(model, &lines, status),
        area: entry.and_then(|e| e.area),
        role: Role::Symptom,
        owner: entry.map_or(Owner::BackupAdmin, |e| e.owner),
        figures: vec![Figure::new("Status", status.to_string(), ""), Figure::new("Lines", lines.len().to_string(), "")],
        request: None,
        collect,
        source: entry
            .map_or_else(|| catalogue::cite(RULE.doc.sources), |e| format!("NetBackup status {status}: {}", e.source)),
        caveats: rule.map_or(RULE.doc.caveats, |r| r.caveats).to_string(),
        owner_note: String::new(),
    }
}

/// A message two statuses share: both named, neither chosen.
fn shared_finding(model: &Model<'_>, status: u32, other: u32, lines: Vec<EvRef>) -> Finding {
    let (a, b) = (status_phrase(status), status_phrase(other));
    let summary = format!(
        "The text states a message that two statuses share, {a} and {b}, at {}: it does not say which.",
        place(model, &lines)
    );
    let mut facts = facts(model, &lines);
    facts.insert("statuses".into(), json!([status, other]));
    facts.insert("message".into(), json!(catalogue::status(status).map(|e| e.message)));
    let collect = [status, other]
        .iter()
        .filter_map(|&s| catalogue::status(s).map(|e| (s, e.read_next)))
        .filter(|(_, r)| !r.is_empty())
        .map(|(s, r)| format!("For status {s}: {r}"))
        .collect();
    Finding {
        rule: RULE.doc.id.into(),
        severity: Severity::Warning,
        title: format!("A message two statuses share: {status} or {other}"),
        summary,
        fix: vec![step(
            &format!("Find the status's number where the message came from (the Activity Monitor's Status column, or the Job Details' last line): {status} and {other} mean different things."),
            Basis::Practice,
        )],
        evidence: lines.iter().map(|&r| cite::evidence(model, r)).collect(),
        facts,
        marks: marks(model, &lines, status),
        area: None,
        role: Role::Symptom,
        owner: Owner::BackupAdmin,
        figures: vec![
            Figure::new("Statuses", format!("{status} or {other}"), ""),
            Figure::new("Lines", lines.len().to_string(), ""),
        ],
        request: None,
        collect,
        source: catalogue::cite(RULE.doc.sources),
        caveats: RULE.doc.caveats.to_string(),
        owner_note: String::new(),
    }
}

fn facts(model: &Model<'_>, lines: &[EvRef]) -> BTreeMap<String, Value> {
    let mut facts: BTreeMap<String, Value> = BTreeMap::new();
    facts.insert("form".into(), json!("stated"));
    facts.insert("count".into(), json!(lines.len()));
    facts.insert("first".into(), json!(model.time_known(lines[0]).then(|| model.iso(lines[0]))));
    facts
}

fn marks(model: &Model<'_>, lines: &[EvRef], status: u32) -> Vec<crate::report::Mark> {
    lines.iter().map(|&r| cite::mark(model, r, MarkKind::Failure, None, format!("status {status}"))).collect()
}
