//! `silence`: a process that wrote nothing for a long while just before a failure, measured in
//! its own thread and against its own pace, and set against the default timeout that could
//! explain it when one is known. Lines that `read-timeout` or `idle-drop` measure are theirs.

use super::cite;
use super::words::{moment, reporter, sentence_start};
use super::{Rule, RuleDoc};
use crate::catalogue::{self, step, Basis, SignatureId, SourceId};
use crate::correlate::{EvRef, Model};
use crate::facts::Fact;
use crate::knowledge::{MIN_SILENCE_MS, SILENCE_PACE_FACTOR};
use crate::report::{Area, Evidence, Figure, Finding, Mark, MarkKind, Owner, Role, Severity};
use crate::vocab::time::{human_duration, seconds};
use serde_json::json;
use std::collections::BTreeMap;

const EXPLAINS: &[SignatureId] = &[];

pub static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "silence",
        title: "A process wrote nothing for a long while just before a failure or before its log stops",
        meaning: "A process that is working writes to its log at its own pace. nbtriage reads a gap of a minute or \
more, long against the rest of its log, just before an error or a failed exit, or before the last line of its log, \
as the process waiting: for data, for the other end of a connection, or for a disk or a lock (nbtriage's reading, \
not a source's). The finding measures the gap and sets it against \
the default timeout that could have ended it, when one is known.",
        evidence: "An error line or a failed exit status, and the line just before it in the same log, written by the same thread (`[pid.tid]`); or the last line of a log, after a gap in the whole file's times (no later file of the same process on the same host).",
        fix: "Read what the process was doing just before the gap, in its own log, and what the process at the \
other end logged during the gap.",
        sources: &[SourceId::AdminGuideClientReadTimeout, SourceId::AdminGuideTimeouts, SourceId::Veritas100028680],
        caveats: "The 60 s threshold and the pace (ten times the mean gap between the log's other lines) are \
nbtriage's own. A silence says a process waited, not why. Logs at a low verbosity write fewer lines, so a gap may \
be routine there. The timeout in force on the host is not in the logs: the defaults are named.",
    },
    area: Area::Network,
    role: Role::Symptom,
    check,
    explains: EXPLAINS,
    positive: &["broken-pipe-24", "forms-agent-lotus"],
    negative: &["healthy", "seed-technote"],
};

/// Silences named, at most (the longest first).
const MAX_FINDINGS: usize = 3;
/// A silence this close to a default timeout reads as that timeout: nbtriage's threshold.
const NEAR_MS: i64 = 30_000;

fn check(model: &Model<'_>) -> Vec<Finding> {
    let mut failures: Vec<EvRef> = model.events_where(|f| match f {
        Fact::ExitStatus { status, .. } => *status != 0,
        Fact::ErrorLine => true,
        _ => false,
    });
    // read-timeout measures its own lines; the Job Details are no process's own pace.
    let measured: Vec<EvRef> =
        super::signatures::hits_of(model, SignatureId::SocketReadFailed).iter().map(|h| h.at).collect();
    let same_line = |a: EvRef, b: EvRef| a.file == b.file && model.event(a).line == model.event(b).line;
    failures.retain(|&r| {
        model.time_known(r)
            && model.file(r).facts.format != crate::vocab::FileFormat::JobDetails
            // Many programs write the system log: its gaps are no one process's pace.
            && model.file(r).facts.format != crate::vocab::FileFormat::SystemLog
            && !measured.iter().any(|&m| same_line(m, r))
            && is_long(model, r)
    });
    // One per file: its longest silence before a failure.
    let mut best: Vec<EvRef> = Vec::new();
    for r in failures {
        let quiet = |r: EvRef| model.event(r).quiet.map_or(0, |q| q.ms);
        match best.iter_mut().find(|b| b.file == r.file) {
            Some(b) if quiet(r) > quiet(*b) => *b = r,
            Some(_) => {}
            None => best.push(r),
        }
    }
    crate::order::sort_by_key(&mut best, |&r| (std::cmp::Reverse(model.event(r).quiet.map_or(0, |q| q.ms)), r));
    let mut out: Vec<Finding> = best.iter().take(MAX_FINDINGS).map(|&r| finding(model, r)).collect();
    // A log that stops after a long wait, in a file no silence before a failure was named in.
    let mut ends = super::silence_end::ends(model);
    ends.retain(|&(file, _)| !best.iter().any(|b| b.file as usize == file));
    crate::order::sort_by_key(&mut ends, |&(file, gap)| (std::cmp::Reverse(gap.ms), file));
    let room = MAX_FINDINGS.saturating_sub(out.len());
    out.extend(ends.into_iter().take(room).map(|(file, gap)| super::silence_end::finding(model, file, gap)));
    out
}

/// The file's line before it is its thread's (the whole process wrote nothing in between, not
/// only this thread), at least a minute before, and long against the pace of the rest of its file.
fn is_long(model: &Model<'_>, r: EvRef) -> bool {
    let event = model.event(r);
    let Some(quiet) = event.quiet else { return false };
    if event.line != quiet.line + 1 {
        return false;
    }
    let facts = model.file(r).facts;
    let (Some(first), Some(last)) = (facts.first_ms, facts.last_ms) else { return false };
    let others = facts.log_lines.saturating_sub(2).max(1) as i64;
    let pace = (last - first - quiet.ms).max(0) / others;
    quiet.ms >= MIN_SILENCE_MS && quiet.ms >= SILENCE_PACE_FACTOR * pace
}

/// How a silence this long stands against the default timeouts nbtriage knows.
pub(super) fn against_timeouts(ms: i64) -> (&'static str, bool) {
    let read = super::read_timeout::DEFAULT_READ_TIMEOUT_MS;
    let keepalive = super::idle_drop::TWO_HOURS_MS;
    if ms < read - NEAR_MS {
        ("It is shorter than the 300 s CLIENT_READ_TIMEOUT and CLIENT_CONNECT_TIMEOUT default: no default timeout ended it, though a lower setting, if one is in force, may have.", false)
    } else if ms <= read + NEAR_MS {
        ("That is about the 300 s CLIENT_READ_TIMEOUT and CLIENT_CONNECT_TIMEOUT default: that timeout may be what ended the wait.", true)
    } else if ms < keepalive - NEAR_MS {
        ("It is longer than the 300 s CLIENT_READ_TIMEOUT and CLIENT_CONNECT_TIMEOUT default and shorter than the two-hour TCP keepalive default: a higher setting, or something other than a timeout, may have ended it.", false)
    } else if ms <= keepalive + 15 * 60_000 {
        ("That is about the two-hour TCP keepalive default: a lost connection is noticed then.", true)
    } else {
        ("It is longer than the two-hour TCP keepalive default.", false)
    }
}

fn finding(model: &Model<'_>, at: EvRef) -> Finding {
    let quiet = model.event(at).quiet.unwrap_or(crate::facts::Quiet { ms: 0, line: 0, offset: 0 });
    let who = reporter(model, at);
    let process = who.split(" on ").next().unwrap_or(&who).to_string();
    let waited = human_duration(quiet.ms);
    let when = moment(model, at);
    let what = match &model.event(at).fact {
        Fact::ExitStatus { status, .. } => format!("it exited with status {status}"),
        _ => "its error line".to_string(),
    };
    let mut summary = format!(
        "{} wrote nothing for {waited} (after line {}) before {what} at {when}.",
        sentence_start(&who),
        quiet.line
    );
    let (against, matches) = against_timeouts(quiet.ms);
    summary.push(' ');
    summary.push_str(against);
    let mut before: Evidence = cite::evidence(model, at);
    before.line = quiet.line;
    before.offset = quiet.offset;
    before.time = crate::vocab::time::iso(model.local_ms(at) - quiet.ms, model.date_known(at));
    let mut mark = cite::mark(model, at, MarkKind::Silence, None, format!("{process} wrote nothing for {waited}"));
    mark.start_ms = model.aligned_ms(at) - quiet.ms;
    mark.end_ms = Some(model.aligned_ms(at));
    let mut facts = BTreeMap::new();
    facts.insert("silence_s".into(), json!(seconds(quiet.ms)));
    facts.insert("process".into(), json!(process));
    facts.insert("before".into(), json!(model.iso(at)));
    facts.insert("threshold_s".into(), json!(seconds(MIN_SILENCE_MS)));
    facts.insert("matches_timeout".into(), json!(matches));
    let title = format!("{} wrote nothing for {waited} before {what}", sentence_start(&who));
    let fix = format!(
        "Read what {process} was doing just before line {}, and what the process at the other end of its work logged during those {waited}.",
        quiet.line
    );
    silence_finding(title, summary, &fix, vec![before, cite::evidence(model, at)], facts, mark, quiet.ms)
}

/// A silence's finding, before a failure or at a log's end: the parts both share.
pub(super) fn silence_finding(
    title: String,
    summary: String,
    fix: &str,
    evidence: Vec<Evidence>,
    facts: BTreeMap<String, serde_json::Value>,
    mark: Mark,
    silence_ms: i64,
) -> Finding {
    Finding {
        rule: RULE.doc.id.into(),
        severity: Severity::Info,
        title,
        summary,
        fix: vec![step(fix, Basis::Practice)],
        evidence,
        facts,
        marks: vec![mark],
        area: Some(Area::Network),
        role: Role::Symptom,
        owner: Owner::BackupAdmin,
        figures: vec![
            Figure::new("Silence", format!("{:.0}", seconds(silence_ms)), "s"),
            Figure::new("Threshold (nbtriage's)", format!("{:.0}", seconds(MIN_SILENCE_MS)), "s"),
        ],
        request: None,
        collect: Vec::new(),
        source: catalogue::cite(RULE.doc.sources),
        caveats: RULE.doc.caveats.to_string(),
        owner_note: String::new(),
    }
}
