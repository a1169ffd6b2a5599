//! `connect-refused`: connections that the other host refused at once (a TCP reset), with no
//! fallback that got through, and a failure after them: nothing listened on that port, or a
//! firewall rejects it.

use super::cite;
use super::words::clock;
use super::{Rule, RuleDoc};
use crate::catalogue::{self, step, Basis, SignatureId, SourceId};
use crate::correlate::{describe_os_error, AttemptOutcome, ConnectAttempt, EvRef, HostId, Model};
use crate::numbers::count;
use crate::report::{status_fact, Area, Figure, Finding, MarkKind, Owner, Request, Role, Severity};
use serde_json::json;
use std::collections::BTreeMap;

const EXPLAINS: &[SignatureId] = &[];

pub static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "connect-refused",
        title: "Connections were refused at once (nothing listening, or a firewall that rejects), and a job failed",
        meaning: "A connection that ends at once with `SO_ERROR returned: 10061` (111 on Linux) was answered with a \
reset: nothing listens on that port of the other host, or something between the hosts rejects it. When \
no fallback got through and a job then failed, the refused port is where to look. A refusal followed by a \
working fallback (PBX refused, vnetd connected) is harmless and not reported.",
        evidence: "In one thread: `connect in progress`, then `getsockopt SO_ERROR returned: 10061` (or 111, 146) \
with no `CONNECT FROM` after it, then a non-zero status on that host within 30 minutes.",
        fix: "Check that the service listens on the other host (vnetd 13724, bpcd 13782, PBX 1556): `bptestbpcd -client <host> -verbose` \
from the server, `netstat -an` on the host. If it listens, find the firewall that rejects the port.",
        sources: &[SourceId::Veritas100024894, SourceId::BlogStatus57, SourceId::Veritas100021789, SourceId::Veritas100025745, SourceId::CommandsBptestbpcd],
        caveats: "Refused versus dropped is read from the OS error (nbtriage's reading of the operating systems' error \
codes, not a NetBackup statement). Whether nothing listens or a firewall rejects cannot be told from the logs: the \
finding names both.",
    },
    area: Area::Network,
    role: Role::Cause,
    check,
    explains: EXPLAINS,
    positive: &["connect-refused"],
    negative: &["healthy", "pbx-rst", "seed-technote"],
};

/// A failure this long after the refusal still counts as its likely result: nbtriage's threshold.
const WINDOW_MS: i64 = 30 * 60_000;

fn check(model: &Model<'_>) -> Vec<Finding> {
    // Refusals the forward-socket rule explains (bpcd's use of an expired socket) are its own.
    let socket_lines: Vec<EvRef> = model.forward_sockets.iter().flat_map(|s| s.use_lines.iter().copied()).collect();
    let refused: Vec<&ConnectAttempt> = model
        .attempts
        .iter()
        .filter(|a| a.outcome.is_refusal() && !a.fell_back && a.connected.is_none())
        .filter(|a| !a.end.is_some_and(|e| socket_lines.contains(&e)))
        .collect();
    let mut by_host: BTreeMap<HostId, Vec<&ConnectAttempt>> = BTreeMap::new();
    for a in refused {
        by_host.entry(model.threads[a.thread].host).or_default().push(a);
    }
    let mut out = Vec::new();
    for (host, attempts) in by_host {
        let first_ms = model.aligned_ms(attempts[0].start);
        let last_ms = model.aligned_ms(attempts[attempts.len() - 1].start);
        let failures: Vec<EvRef> = model
            .failures
            .iter()
            .filter(|f| f.status.is_some_and(|s| s != 0) && model.host_of(f.at) == host)
            .map(|f| f.at)
            .filter(|&r| (first_ms..=last_ms + WINDOW_MS).contains(&model.aligned_ms(r)))
            .collect();
        if !failures.is_empty() {
            out.push(finding(model, host, &attempts, &failures));
        }
    }
    out
}

fn finding(model: &Model<'_>, host: HostId, attempts: &[&ConnectAttempt], failures: &[EvRef]) -> Finding {
    let from = model.host(host).short();
    let code = match attempts[0].outcome {
        AttemptOutcome::Refused { code } => code,
        _ => 0,
    };
    let words = describe_os_error(code).unwrap_or("refused");
    let service = attempts[0].service.clone();
    let to = service.as_deref().map_or("the other host".to_string(), |s| format!("service {s}"));
    let status = super::words::failure_status(model, failures);
    let when = clock(&model.iso(attempts[0].start)).to_string();
    let mut evidence: Vec<_> = attempts
        .iter()
        .take(6)
        .flat_map(|a| [Some(a.start), a.end])
        .flatten()
        .map(|r| cite::evidence(model, r))
        .collect();
    evidence.extend(failures.iter().take(3).map(|&r| cite::evidence(model, r)));
    let mut facts = BTreeMap::new();
    facts.insert("count".into(), json!(attempts.len()));
    facts.insert("os_error".into(), json!(code));
    facts.insert("service".into(), json!(service));
    facts.insert(status_fact::FAILURE.into(), json!(status));
    // Any of NetBackup's ports: a connect to a service tries PBX first, then vnetd or the daemon port.
    let capture = super::capture_words::says(model, host, attempts, None, None, super::capture_words::Expect::Reset);
    let mut marks: Vec<_> = attempts
        .iter()
        .map(|a| cite::mark(model, a.start, MarkKind::Failure, None, format!("connection refused ({words})")))
        .collect();
    let mut capture_sentence = String::new();
    if let Some(says) = capture {
        facts.insert("capture".into(), json!(says.agrees));
        capture_sentence = says.sentence;
        marks.extend(says.marks);
    }
    let status_words = status.map_or("an error".to_string(), crate::catalogue::status_phrase);
    Finding {
        rule: RULE.doc.id.into(),
        severity: Severity::Critical,
        title: format!("Connections from {from} to {to} were refused at once ({words}), and the job failed"),
        summary: format!(
            "{} from {from} to {to}, the first at {when}, ended at once with OS error {code} ({words}): the other host answered with a reset. \
No fallback got through, and the job on {from} then failed with {status_words}. Likely nothing listens on that port of the other host, \
or a firewall between them rejects it.{capture_sentence}",
            super::words::capitalized(&count(attempts.len() as u64, "connection", "connections"))
        ),
        fix: vec![
            step(
                "From the server, run `bptestbpcd -client <client> -verbose`: it tests the connection to bpcd and, when it succeeds, shows the sockets and connect options.",
                Basis::Source(SourceId::CommandsBptestbpcd),
            ),
            step(
                "On the other host, check that NetBackup's services run and listen on their ports, 1556, 13724 and 13782 (`netstat -an`, general practice); start them if not.",
                Basis::Source(SourceId::Veritas100021789),
            ),
            step(
                "If they listen, a firewall (on the host or between the hosts) may reject the port, or the service may be refusing more connections than it can queue: ask the network team to check the firewall (the request below).",
                Basis::Practice,
            ),
        ],
        evidence,
        facts,
        marks,
        area: Some(Area::Network),
        role: Role::Cause,
        owner: Owner::NetworkTeam,
        figures: vec![
            Figure::new("Refused connections", attempts.len().to_string(), ""),
            Figure::new("OS error", code.to_string(), ""),
        ],
        request: Some(Request {
            to: Owner::NetworkTeam,
            text: format!(
                "Connections from {from} to {to} are refused (TCP reset) as of {when}. If the backup admin finds NetBackup's services listening there, please check whether a firewall between these hosts rejects NetBackup's ports (1556, 13724, 13782) and allow them in both directions."
            ),
        }),
        collect: vec!["On the other host, the bpcd and vnetd logs for the same time (VERBOSE 5), to see whether the connection arrived at all.".into()],
        source: catalogue::cite(RULE.doc.sources),
        caveats: RULE.doc.caveats.to_string(),
        owner_note: String::new(),
    }
}
