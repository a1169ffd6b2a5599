//! A job or process reported a status other than 0: the symptom every other rule explains,
//! stated on its own so that a bundle without a known cause still says what failed.

use super::cite;
use super::command_exit::NOTHING_MATCHED;
use super::words::{capitalized, moment, reporter, sentence_start};
use super::{Rule, RuleDoc};
use crate::catalogue::{self, status_phrase, step, Basis, Signature, SignatureId, SourceId, SIGNATURES};
use crate::correlate::{EvRef, FailureKind, Model};
use crate::numbers::count;
use crate::report::{status_fact, Area, Figure, Finding, MarkKind, Owner, Request, Role, Severity};
use crate::vocab::FileFormat;
use serde_json::{json, Value};
use std::collections::BTreeMap;

const EXPLAINS: &[SignatureId] = &[];

pub static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "job-status",
        title: "A job or process ended with a non-zero status",
        meaning: "A NetBackup process (`EXIT STATUS N`, `FATAL exit status = N`, `EXITING with status N`), \
the Job Details (`... (N)` at the end of a line) or nbjm (`updateJobStatus ... status=N`) reported status N. \
One finding per status, with every line that reported it. A warning; 1 (partially successful) is only information, \
and so is 227 (no entity was found) quoted alone, without a log header: what a query returns when nothing matches it. \
This names the symptom; the rules before it name causes. A database agent's status (5, 6) in a bundle that holds a database \
error (a signature the database administrator owns: `ORA-00245`, `RMAN-06054`, `RMAN-06554`, else `RMAN-03009`) says it may \
follow from that error and goes to the database administrator; beside the media manager's `ORA-19511` it goes to the backup admin.",
        evidence: "The status lines, in the processes' debug logs, the Job Details text and vxlogview output.",
        fix: "What the sources say the status usually means (the status table, `src/catalogue/statuses.toml`), \
and the lines to read before it in the same process's log.",
        sources: &[
            SourceId::StatusCodesReference,
            SourceId::StatusCode46,
            SourceId::Veritas100001028,
            SourceId::UpgradeUxNbuCheck,
        ],
        caveats: "nbjm's `status=N` in `updateJobStatus` is read as the job's status from one sample line in a \
Veritas article (100028680), not from a format description. The finding's severity is nbtriage's choice.",
    },
    area: Area::Network,
    role: Role::Symptom,
    check,
    explains: EXPLAINS,
    positive: &["job-details-status-13", "broken-pipe-24", "quoted-exit-227-alone", "rman-database-status-6"],
    negative: &["seed-technote", "healthy", "pbx-rst"],
};

/// Status 227 quoted alone (every line a message without its log header or process, as a
/// command prints `EXIT STATUS 227: no entity was found`): a query that matched nothing, not a
/// job's failure. In a process's own log it stays that process's status.
fn query_matched_nothing(model: &Model<'_>, status: u32, lines: &[EvRef]) -> bool {
    status == NOTHING_MATCHED
        && lines.iter().all(|&r| model.file(r).facts.format == FileFormat::Messages && model.own_process(r).is_none())
}

fn check(model: &Model<'_>) -> Vec<Finding> {
    let mut by_status: BTreeMap<u32, Vec<EvRef>> = BTreeMap::new();
    for failure in model.failures.iter().filter(|f| f.kind == FailureKind::ExitStatus) {
        if let Some(status) = failure.status {
            by_status.entry(status).or_default().push(failure.at);
        }
    }
    let agent_failed = DATABASE_AGENT_STATUSES.iter().any(|s| by_status.contains_key(s));
    let side = if agent_failed { failing_side(model) } else { None };
    by_status
        .into_iter()
        .map(|(status, lines)| {
            let mut finding = finding(model, status, lines);
            if let Some(side) = side.filter(|_| DATABASE_AGENT_STATUSES.contains(&status)) {
                follows_from(model, status, side, &mut finding);
            }
            finding
        })
        .collect()
}

/// The statuses a database agent's job may end with when the database side failed: an RMAN
/// backup's failure is reported as status 6 in Symantec TECH189853; 5 is the restore's
/// counterpart (nbtriage's reading).
const DATABASE_AGENT_STATUSES: &[u32] = &[5, 6];

/// The side whose error a database agent's failing status may follow from.
#[derive(Clone, Copy)]
enum Side {
    /// The first line of a signature the database administrator owns (RMAN's, Oracle's), a
    /// cause's before a statement's.
    Database(EvRef, &'static Signature),
    /// The media manager's own error (`ORA-19511`): NetBackup's side, even inside RMAN's stack.
    MediaManager,
}

/// Which side failed, when the bundle holds a database agent's error: the media manager's error
/// wins, since RMAN's statements of the failure (`RMAN-03009`) sit above it in the same stack.
fn failing_side(model: &Model<'_>) -> Option<Side> {
    let hits = super::signatures::all_hits(model);
    if hits.contains_key(&(SignatureId::RmanMediaManagerError as usize)) {
        return Some(Side::MediaManager);
    }
    // Each signature's first line is its earliest; a cause (ORA-00245) names the error better
    // than RMAN's statement of it (RMAN-03009).
    hits.iter()
        .filter_map(|(&rule, hits)| Some((hits.first()?.at, &SIGNATURES[rule])))
        .filter(|(_, sig)| sig.owner == Owner::DatabaseAdmin)
        .min_by_key(|&(at, sig)| (sig.role != Role::Cause, model.aligned_ms(at), at))
        .map(|(at, sig)| Side::Database(at, sig))
}

/// The status as the consequence of the side that failed: said, and the owner moved to it.
fn follows_from(model: &Model<'_>, status: u32, side: Side, finding: &mut Finding) {
    let (rule, side_name) = match side {
        Side::Database(at, sig) => {
            finding.summary.push_str(&format!(
                " Status {status} here may follow from the database error in this bundle, {} (at {}): if so, the database administrator acts first, and NetBackup's status says how the job ended, not why.",
                sig.name,
                moment(model, at)
            ));
            finding.owner = Owner::DatabaseAdmin;
            finding.fix.insert(0, step(
                "Send the database administrator the database's error stack first (RMAN's output from `RMAN-00571` to its last line): RMAN's output holds the errors of RMAN, of the database server and of the media vendor, each with its own prefix, and a rerun may fail the same way until the database's error is fixed.",
                Basis::Source(SourceId::OracleRmanTroubleshooting),
            ));
            (sig.id, "database")
        }
        Side::MediaManager => {
            finding.summary.push_str(&format!(
                " Status {status} here may follow from the media manager's error in this bundle (`ORA-19511`, inside RMAN's error stack): the backup software's side, so the backup admin acts first (in Symantec TECH189853 an RMAN backup whose piece the media manager could not close ended with status 6)."
            ));
            finding.owner = Owner::BackupAdmin;
            (SignatureId::RmanMediaManagerError.signature().id, "media-manager")
        }
    };
    finding.facts.insert(status_fact::FOLLOWS_FROM.into(), json!({ "rule": rule, "side": side_name }));
    let cited = catalogue::cite(&[SourceId::VeritasTech189853, SourceId::OracleRmanTroubleshooting]);
    finding.source = format!("{}; {cited}", finding.source);
    finding.caveats.push_str(" A database agent's status is tied to the database's or the media manager's error by the bundle, not by the job: nbtriage does not read which job an RMAN stack belongs to.");
}

fn finding(model: &Model<'_>, status: u32, mut lines: Vec<EvRef>) -> Finding {
    crate::order::sort_by_key(&mut lines, |&r| (model.aligned_ms(r), r));
    let mut unique: Vec<String> = lines.iter().map(|&r| reporter(model, r)).collect();
    crate::order::sort(&mut unique);
    unique.dedup();
    let first = lines[0];
    let phrase = status_phrase(status);
    let mut summary = format!(
        "{} reported {phrase}, first at {} ({}).",
        sentence_start(&crate::numbers::and_list(&unique)),
        moment(model, first),
        count(lines.len() as u64, "line", "lines")
    );
    let entry = catalogue::status(status);
    if let Some(meaning) = entry.map(|e| e.meaning).filter(|m| !m.is_empty()) {
        summary.push(' ');
        summary.push_str(meaning);
    }
    let mut fix = vec![read_first(model, first)];
    if entry.is_none() {
        let text = format!(
            "Look the status up in the NetBackup Status Codes Reference Guide: {status} is not in nbtriage's table."
        );
        fix.push(step(&text, Basis::Source(SourceId::StatusCodesReference)));
    }
    // A status with a rule of its own (the status table) names the checks the sources give.
    let rule = entry.and_then(|e| e.rule.as_ref());
    if let Some(rule) = rule {
        summary.push(' ');
        summary.push_str(rule.meaning);
        fix.splice(0..0, rule.fix.iter().map(|s| s.to_string()));
    }
    let collect = entry
        .map(|e| e.read_next)
        .filter(|r| !r.is_empty())
        .map(|r| vec![format!("For status {status}: {r}")])
        .unwrap_or_default();
    let matched_nothing = query_matched_nothing(model, status, &lines);
    if matched_nothing {
        summary.push_str(&format!(
            " Status {NOTHING_MATCHED} is what a query returns when nothing matches it (a public NetBackup check notes that bplist returns it while NetBackup works fine): quoted alone, it does not say that a job failed."
        ));
        fix.insert(
            0,
            step(
                "If a command printed it (bplist, bpimagelist, bperror), nothing failed: check what the command was asked for (the client, the dates, the names) and run it again.",
                Basis::Source(SourceId::UpgradeUxNbuCheck),
            ),
        );
    }
    let severity = match rule {
        Some(rule) => rule.severity,
        None if status == 1 || matched_nothing => Severity::Info,
        None => Severity::Warning,
    };
    let mut facts: BTreeMap<String, Value> = BTreeMap::new();
    facts.insert(status_fact::STATED.into(), json!(status));
    facts.insert("message".into(), json!(entry.map(|e| e.message)));
    facts.insert("count".into(), json!(lines.len()));
    facts.insert("reported_by".into(), json!(unique));
    facts.insert("first".into(), json!(model.time_known(first).then(|| model.iso(first))));
    if matched_nothing {
        facts.insert("matched_nothing".into(), json!(true));
    }
    let title = match rule {
        Some(rule) => format!("{}: {} reported by {}", rule.name, phrase, crate::numbers::and_list(&unique)),
        None => format!("{} reported by {}", capitalized(&phrase), crate::numbers::and_list(&unique)),
    };
    Finding {
        rule: rule.map_or(RULE.doc.id, |r| r.id).into(),
        severity,
        title,
        summary,
        fix,
        evidence: lines.iter().map(|&r| cite::evidence(model, r)).collect(),
        facts,
        marks: lines
            .iter()
            .map(|&r| cite::mark(model, r, MarkKind::Failure, None, format!("status {status}")))
            .collect(),
        area: entry.and_then(|e| e.area),
        role: Role::Symptom,
        owner: entry.map_or(Owner::BackupAdmin, |e| e.owner),
        figures: vec![
            Figure::new("Status", status.to_string(), ""),
            Figure::new("Reported by", crate::numbers::and_list(&unique), ""),
            Figure::new("Lines", lines.len().to_string(), ""),
        ],
        // The network team's own check, when the status may lie in the network: what that team
        // can look at, never a NetBackup log (reading those is the owner's step, in `collect`).
        request: entry
            .map(|e| e.network_check)
            .filter(|t| !t.is_empty())
            .map(|text| Request { to: Owner::NetworkTeam, text: text.to_string() }),
        collect,
        source: entry
            .map_or_else(|| catalogue::cite(RULE.doc.sources), |e| format!("NetBackup status {status}: {}", e.source)),
        caveats: rule.map_or(RULE.doc.caveats, |r| r.caveats).to_string(),
        owner_note: String::new(),
    }
}

/// The first step: where to read (or what to collect) before the status line.
fn read_first(model: &Model<'_>, first: EvRef) -> String {
    let when = moment(model, first);
    let format = model.file(first).facts.format;
    if format == FileFormat::Messages {
        let logs = match model.own_process(first).or(model.file(first).process.as_deref()) {
            Some(_) => format!("the debug log of {} for this job", reporter(model, first)),
            None => "the debug logs of the job's processes".to_string(),
        };
        step(
            &format!("Collect {logs}: the quoted line has no time and no lines around it, and the lines before it in the log may say why."),
            Basis::Practice,
        )
    } else if format == FileFormat::JobDetails {
        step(
            &format!("Read the logs of the processes the Job Details name, just before {when}: the files panel links each (pid=N) to its process's log when it is here."),
            Basis::Practice,
        )
    } else {
        let text = format!(
            "Read the lines just before {when} in the log of {}, and on the other host of the connection: the cause may be logged there, or lie below NetBackup's logs (then a packet capture shows it).",
            reporter(model, first)
        );
        step(&text, Basis::Practice)
    }
}
