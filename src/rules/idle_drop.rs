//! `idle-drop`: a job failed just over two hours after its last activity: the silence of a TCP
//! connection that nothing kept alive, ended by a firewall's idle timeout or the hosts' own
//! keepalive default. Never said when the logs show another span (a job that failed after six
//! minutes is not an idle drop).

use super::cite;
use super::signatures::hits_of;
use super::words::{clock, reporter};
use super::{Rule, RuleDoc};
use crate::catalogue::{self, step, Basis, SignatureId, SourceId};
use crate::correlate::{EvRef, Model};
use crate::facts::Fact;
use crate::report::{status_fact, Area, Figure, Finding, MarkKind, Owner, Request, Role, Severity};
use crate::vocab::time::{human_duration, seconds};
use serde_json::json;
use std::collections::BTreeMap;

const EXPLAINS: &[SignatureId] = &[];

pub static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "idle-drop",
        title: "A job failed just over two hours after its last activity: the time TCP keepalive takes, by default, to notice a lost connection",
        meaning: "The TCP keepalive default of Windows and Linux is two hours: a connection lost without a word \
(its other end crashed or was killed, the network or a host's TCP stack failed, or a firewall dropped it \
while idle) is noticed then, and nbjm may record status 40 \"typically just over 2 hours later\" \
(Veritas 100028680). The logs alone do not tell which of these it was.",
        evidence: "A failure (a status of the connection family, an error line, or nbjm ending the job's processes) \
whose process had been quiet for 2 h to 2 h 15 min before it, in the same thread.",
        fix: "Find out whether a firewall dropped the connection (its log) or a process crashed or was killed (the \
media server's logs), general practice. For a firewall's idle timeout: lower the TCP keepalive time on the \
NetBackup hosts below it (Veritas 100025745 gives 300,000 or 900,000 ms as examples), or raise the \
firewall's idle timeout for NetBackup's ports.",
        sources: &[SourceId::Veritas100028680, SourceId::Veritas100001028, SourceId::Veritas100025745, SourceId::SymantecHowto56221],
        caveats: "The two hours are the keepalive default the sources name. The causes the source lists include a \
firewall's idle timeout but also a crash or kill of the media server's processes and network or TCP stack \
problems: the finding says \"may\", and the request asks the network team to check the firewall's side. \
The 60 s before and 15 min after two hours are nbtriage's thresholds (the 15 min cover Linux's default \
keepalive probes, about 2 h 11 min).",
    },
    area: Area::Network,
    role: Role::Cause,
    check,
    explains: EXPLAINS,
    positive: &["idle-drop-nbjm"],
    negative: &["healthy", "job-details-status-13"],
};

/// The TCP keepalive default of Windows and Linux. Source: Veritas 100028680.
pub(super) const TWO_HOURS_MS: i64 = 2 * 3_600_000;
/// How long before two hours a failure still counts (log times are coarse): nbtriage's threshold.
const JUST_BEFORE_MS: i64 = 60_000;
/// How long after two hours a failure still counts: nbtriage's threshold, covering Linux's default
/// detection time (7200 s idle and 9 probes 75 s apart, about 2 h 11 min) and Windows' (2 h and
/// seconds of probes). With a keepalive set to another time, the window does not apply at all.
const JUST_OVER_MS: i64 = 15 * 60_000;
/// Statuses of a broken or timed-out connection: nbtriage's list, from the status table's meanings.
const CONNECTION_STATUSES: &[u32] = &[13, 14, 24, 40, 41, 42, 44, 150, 636, 637];

fn check(model: &Model<'_>) -> Vec<Finding> {
    let mut moments: Vec<EvRef> = model.events_where(|f| match f {
        Fact::ExitStatus { status, .. } => CONNECTION_STATUSES.contains(status),
        Fact::ErrorLine => true,
        _ => false,
    });
    moments.extend(hits_of(model, SignatureId::JobsTerminated).into_iter().map(|h| h.at));
    crate::order::sort_by_key(&mut moments, |&r| (model.aligned_ms(r), r));
    let idle: Vec<EvRef> = moments
        .into_iter()
        .filter(|&r| {
            model
                .event(r)
                .quiet
                .is_some_and(|q| (TWO_HOURS_MS - JUST_BEFORE_MS..=TWO_HOURS_MS + JUST_OVER_MS).contains(&q.ms))
        })
        .collect();
    idle.first().and_then(|&first| finding(model, first, idle.len())).into_iter().collect()
}

fn finding(model: &Model<'_>, at: EvRef, count: usize) -> Option<Finding> {
    let quiet = model.event(at).quiet?;
    let who = reporter(model, at);
    let waited = human_duration(quiet.ms);
    let when = clock(&model.iso(at)).to_string();
    let host = model.host(model.host_of(at)).short();
    let request = format!(
        "A NetBackup job on {host} failed after its connection had carried nothing for {waited}. Please check whether a firewall \
between the NetBackup hosts drops idle TCP sessions (its idle or connection timeout, and its log for a teardown near {when}), and \
tell us that timeout's value for NetBackup's ports (1556, 13724), so that we can set the hosts' TCP keepalive below it."
    );
    let mut previous = cite::evidence(model, at);
    previous.line = quiet.line;
    previous.offset = quiet.offset;
    previous.time = crate::vocab::time::iso(model.local_ms(at) - quiet.ms, model.date_known(at));
    let mut facts = BTreeMap::new();
    facts.insert("quiet_s".into(), json!(seconds(quiet.ms)));
    facts.insert("at".into(), json!(model.iso(at)));
    facts.insert("failures".into(), json!(count));
    // The status it explains (nbjm marks such a job 40, Veritas 100001028), when the logs report it.
    if let Some(status) = [40, 150, 636].into_iter().find(|s| model.failures.iter().any(|f| f.status == Some(*s))) {
        facts.insert(status_fact::STATED.into(), json!(status));
    }
    let mut quiet_mark = cite::mark(model, at, MarkKind::Silence, None, format!("{who} quiet for {waited}"));
    quiet_mark.start_ms = model.aligned_ms(at) - quiet.ms;
    quiet_mark.end_ms = Some(model.aligned_ms(at));
    Some(Finding {
        rule: RULE.doc.id.into(),
        severity: Severity::Critical,
        title: format!("The job failed {waited} after its last activity: just over two hours is when TCP keepalive notices a lost connection"),
        summary: format!(
            "{} wrote nothing for {waited} (after line {}), then at {when} the job failed. Two hours is the TCP keepalive default of Windows and \
Linux: a lost connection is noticed then. The connection may have been dropped by a firewall's idle timeout, or its other end may have \
crashed or been killed: the logs here do not tell which (Veritas 100028680).",
            super::words::sentence_start(&who),
            quiet.line
        ),
        fix: vec![
            step(
                "Ask the network team whether a firewall between the hosts dropped the connection (a teardown in its log near that time) and how long it keeps idle sessions (the request below); check the media server for a crash or a killed process at the same time.",
                Basis::Practice,
            ),
            step(
                "If a firewall's idle timeout is the cause, set the TCP keepalive time on the NetBackup hosts below it: Veritas gives 300,000 ms or 900,000 ms as examples (Windows KeepAliveTime; on Linux, net.ipv4.tcp_keepalive_time, general practice).",
                Basis::Source(SourceId::Veritas100025745),
            ),
        ],
        evidence: vec![previous, cite::evidence(model, at)],
        facts,
        marks: vec![quiet_mark, cite::mark(model, at, MarkKind::Failure, None, "the job failed".into())],
        area: Some(Area::Network),
        role: Role::Cause,
        owner: Owner::NetworkTeam,
        figures: vec![
            Figure::new("Silence before the failure", format!("{:.0}", seconds(quiet.ms) / 60.0), "min"),
            Figure::new("Keepalive default", "120", "min"),
        ],
        request: Some(Request { to: Owner::NetworkTeam, text: request }),
        collect: vec!["The firewall's log around the failure (a teardown with reason idle or connection timeout), and the nbjm unified log on the primary: vxlogview -d all -i 117 > nbjm.txt".into()],
        source: catalogue::cite(RULE.doc.sources),
        caveats: RULE.doc.caveats.to_string(),
        owner_note: String::new(),
    })
}
