//! `first-error`: when a job failed and no known pattern explains it, the earliest error line
//! around the failure, across every file and host (clocks aligned where an offset was measured),
//! is named as the likely origin and the later ones as its consequences. Where two hosts' clocks
//! were not compared and their errors are close, the order between them is said to be unknown.

use super::cite;
use super::words::{moment, reporter, sentence_start};
use super::{Rule, RuleDoc};
use crate::catalogue::{self, step, Basis, SignatureId, SourceId};
use crate::correlate::{EvRef, Model};
use crate::facts::Fact;
use crate::report::{Area, Figure, Finding, MarkKind, Owner, Role, Severity};
use crate::vocab::time::human_duration;
use serde_json::json;
use std::collections::BTreeMap;

const EXPLAINS: &[SignatureId] = &[];

pub static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "first-error",
        title: "The first error around a failure that no known pattern explains",
        meaning: "NetBackup's processes each log their side of a failure, and each reports the broken connection in \
its own words (14, 40 and 41 for the same socket, Veritas 100020853). The earliest error is where \
NetBackup first noticed the failure (nbtriage's heuristic): in one published case, a client that ended its \
backup before the media server saw the connection reset. Named only when no rule found a cause.",
        evidence: "The error lines (by level or tag) and failure statuses of every file from 30 minutes before the \
first failure to just after it, on clocks aligned by the measured offsets.",
        fix: "Read the log of the first error's process around its time. If it reports a socket error, the root cause \
may be below what NetBackup logs: netstat -s counters and a packet capture taken while it fails (Veritas 100020853).",
        sources: &[SourceId::Veritas100020853, SourceId::MsqaExchange2019],
        caveats: "The first error is the likely origin, not a proven one: an earlier line may be missing from the \
logs given. Hosts whose clocks were not compared may be minutes apart.",
    },
    area: Area::Client,
    role: Role::FirstError,
    check,
    explains: EXPLAINS,
    positive: &["broken-pipe-24", "trust-statuses"],
    negative: &["seed-technote", "healthy", "job-details-status-13"],
};

/// How far before the failure errors are looked at: nbtriage's threshold.
const BEFORE_MS: i64 = 30 * 60_000;
/// Errors this soon after the failure are still part of it: nbtriage's threshold.
const AFTER_MS: i64 = 5_000;
/// Two hosts whose clocks were not compared may be this far apart and look in order: nbtriage's
/// threshold.
const PLAUSIBLE_SKEW_MS: i64 = 60_000;
/// Error lines listed as evidence, at most.
const EVIDENCE_LINES: usize = 10;

fn check(model: &Model<'_>) -> Vec<Finding> {
    // "First" needs times: lines quoted without theirs have no order and nothing around them.
    let failure = model
        .failures
        .iter()
        .filter(|f| f.status.is_some_and(|s| s != 0) && model.time_known(f.at))
        .map(|f| f.at)
        .min_by_key(|&r| (model.aligned_ms(r), r));
    let mut errors: Vec<EvRef> = model.events_where(|f| matches!(f, Fact::ErrorLine));
    errors.retain(|&r| model.time_known(r));
    let Some(anchor) = failure.or_else(|| errors.last().copied()) else { return Vec::new() };
    let at = model.aligned_ms(anchor);
    let mut around: Vec<EvRef> = errors
        .into_iter()
        .chain(failure)
        .filter(|&r| (at - BEFORE_MS..=at + AFTER_MS).contains(&model.aligned_ms(r)))
        .collect();
    crate::order::sort_by_key(&mut around, |&r| (model.aligned_ms(r), r));
    around.dedup_by_key(|r| (r.file, model.event(*r).line));
    let Some(&first) = around.first() else { return Vec::new() };
    vec![finding(model, first, &around)]
}

/// Who should look first, by the process that wrote the first error.
fn owner_of(process: Option<&str>) -> (Owner, Area) {
    match process {
        Some("bpbkar" | "bpbkar32" | "bpfis" | "dbclient" | "bphdb" | "nbwin" | "tar") => {
            (Owner::ClientOwner, Area::Client)
        }
        Some("bptm" | "bpdm" | "spoold" | "spad" | "storaged") => (Owner::StorageAdmin, Area::MediaAndStorage),
        Some("bpdbm") => (Owner::BackupAdmin, Area::Catalog),
        Some("nbpem" | "nbjm" | "nbrb") => (Owner::BackupAdmin, Area::Scheduling),
        _ => (Owner::BackupAdmin, Area::Network),
    }
}

fn finding(model: &Model<'_>, first: EvRef, around: &[EvRef]) -> Finding {
    let who = reporter(model, first);
    let when = moment(model, first);
    let first_host = model.host_of(first);
    let later: Vec<EvRef> = around.iter().copied().filter(|&r| r != first).collect();
    let mut others: Vec<String> = later.iter().map(|&r| reporter(model, r)).filter(|r| *r != who).collect();
    crate::order::sort(&mut others);
    others.dedup();
    // The first error on another host: is the order between them known?
    let other_host = later.iter().copied().find(|&r| model.host_of(r) != first_host);
    let compared = |h| model.clocks.get(h).copied().flatten().is_some();
    let order_unknown = other_host.filter(|&r| {
        let gap = model.aligned_ms(r) - model.aligned_ms(first);
        let both_compared = compared(first_host.0) && compared(model.host_of(r).0);
        gap < PLAUSIBLE_SKEW_MS && !both_compared
    });
    let mut summary = format!(
        "No rule found a known cause. Around the failure, the earliest error line is {}'s, at {when}: it is likely where the failure started.",
        who
    );
    if !others.is_empty() {
        summary.push_str(&format!(
            " The {} error line{} after it, from {}, are likely its consequences.",
            later.len(),
            if later.len() == 1 { "" } else { "s" },
            crate::numbers::and_list(&others)
        ));
    }
    match order_unknown {
        Some(r) => summary.push_str(&format!(
            " But {}'s clock and {}'s were not compared, and their first errors are only {} apart: which came first is unknown.",
            model.host(first_host).short(),
            model.host(model.host_of(r)).short(),
            human_duration(model.aligned_ms(r) - model.aligned_ms(first))
        )),
        None if other_host.is_some() => summary.push_str(" Times on different hosts are on clocks aligned by the offsets measured between them."),
        None => {}
    }
    let process = model.file(first).process.as_deref();
    let (owner, area) = owner_of(process);
    let mut facts = BTreeMap::new();
    facts.insert("first".into(), json!(model.time_known(first).then(|| model.iso(first))));
    facts.insert("reported_by".into(), json!(who));
    facts.insert("later_errors".into(), json!(later.len()));
    facts.insert("order_known".into(), json!(order_unknown.is_none()));
    Finding {
        rule: RULE.doc.id.into(),
        severity: Severity::Warning,
        title: format!("The first error came from {who} at {when}"),
        summary,
        fix: vec![
            step(
                &format!("Read the log of {who} just before {when}. If it reports a socket error, the root cause may be below what NetBackup logs: `netstat -s` counters and a packet capture taken while it fails (Veritas 100020853)."),
                Basis::Source(SourceId::Veritas100020853),
            ),
            step("If that log is not in the bundle, collect it (VERBOSE 5) and run the job again.", Basis::Practice),
        ],
        evidence: around.iter().take(EVIDENCE_LINES).map(|&r| cite::evidence(model, r)).collect(),
        facts,
        marks: around
            .iter()
            .take(EVIDENCE_LINES)
            .map(|&r| cite::mark(model, r, MarkKind::Failure, None, reporter(model, r)))
            .collect(),
        area: Some(area),
        role: Role::FirstError,
        owner,
        figures: vec![
            Figure::new("First error", sentence_start(&who), ""),
            Figure::new("Errors after it", later.len().to_string(), ""),
        ],
        request: None,
        collect: Vec::new(),
        source: catalogue::cite(RULE.doc.sources),
        caveats: RULE.doc.caveats.to_string(),
        owner_note: String::new(),
    }
}
