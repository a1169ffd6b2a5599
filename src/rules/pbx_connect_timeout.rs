//! `pbx-connect-timeout`: connections that wait for PBX (TCP 1556) with no answer, then fall
//! back to vnetd.

use super::cite;
use super::{Rule, RuleDoc};
use crate::catalogue::status_phrase;
use crate::catalogue::SignatureId;
use crate::correlate::{ConnectAttempt, EvRef, ForwardSocket, HostId, Model};
use crate::knowledge::{KB_PBX_DELAY, PBX_PORT, VNETD_PORT};
use crate::numbers::count;
use crate::report::{status_fact, Area, Evidence, Figure, Finding, MarkKind, Owner, Request, Role, Severity};
use crate::vocab::time::{human_duration, seconds};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::net::IpAddr;

const EXPLAINS: &[SignatureId] = &[];

pub static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "pbx-connect-timeout",
        title: "Connections wait for PBX (port 1556) with no answer, then fall back to vnetd",
        meaning: "NetBackup connects to PBX on TCP 1556 first and falls back to vnetd (13724) or the \
daemon port when that fails. When something between the hosts drops the connection request \
without answering, each connection waits (about 10 s) before the fallback. Jobs that make \
several connections in a row add these waits up; multiplexed and snapshot backups then fail \
with status 25. Critical when a failure followed the waits, a warning otherwise.",
        evidence: "In one thread: `vnet_async_connect: connect in progress: 1`, more `connect in progress` \
lines after a gap of a second or more, no `SO_ERROR returned` refusal, then the vnetd fallback \
(`VN_REQUEST_PBX_C_SUPPORTED`, `remote host supports PBX, but PBX is not running`) and the \
`CONNECT FROM a TO b.13724` line that names both hosts. The wait is read from the log, never assumed.",
        fix: "Open TCP 1556 in both directions between the two hosts. If it must stay closed, make the \
firewall reject (TCP reset) instead of dropping, so the fallback is immediate. Workarounds: \
disable multiplexing in the policy; as a last resort, extend the vnetd timeout.",
        source: "Veritas KB 100024894 / TECH162303 (reference §4.1 [S5]/[S9], VERIFIED): PBX first since \
7.0.1, the 10 s delay behind firewalls, status 25 in multiplexed backups, the fix and both \
workarounds.",
        caveats: "The log does not name port 1556 on the first attempt; it is inferred from the PBX \
fallback that follows it, as the KB describes. That a firewall is the cause is the KB's \
explanation of the pattern, so the finding says \"usually\". Waits under 1 s are not counted \
(an answer, not silence).",
    },
    area: Area::Network,
    role: Role::Cause,
    check,
    explains: EXPLAINS,
    positive: &["seed-technote", "seed-unix", "pbx-delay-no-failure", "midnight-wait"],
    negative: &["healthy", "pbx-rst"],
};

/// Evidence lines are listed for this many waits; the facts count them all.
const EVIDENCE_WAITS: usize = 8;
/// A status 25 on the same host this long after the last wait is still "likely" its result.
const LIKELY_FAILURE_WINDOW_MS: i64 = 30 * 60_000;

fn check(model: &Model<'_>) -> Vec<Finding> {
    let mut groups: BTreeMap<(HostId, Option<IpAddr>), Vec<&ConnectAttempt>> = BTreeMap::new();
    for attempt in model.silent_pbx_waits() {
        let source = model.threads[attempt.thread].host;
        let target = attempt.connected.map(|(_, _, to)| to.ip);
        groups.entry((source, target)).or_default().push(attempt);
    }
    groups.into_iter().map(|((source, target), waits)| finding(model, source, target, &waits)).collect()
}

/// How the waits relate to a failure.
enum Cause<'m> {
    /// A forward socket expired while the waits went on, and the job failed when it was needed.
    Confirmed(&'m ForwardSocket, Vec<EvRef>),
    /// A status 25 (or `cannot create data socket`) followed on the same host.
    Likely(Vec<EvRef>),
    None,
}

fn finding(model: &Model<'_>, source: HostId, target: Option<IpAddr>, waits: &[&ConnectAttempt]) -> Finding {
    let source_host = model.host(source);
    let source_ip =
        waits.iter().find_map(|a| a.connected.map(|(_, from, _)| from.ip)).or(source_host.ips.first().copied());
    let target_host = target.and_then(|ip| model.host_by_ip(ip));
    let source_label = source_host.label();
    let target_label = match (target_host, target) {
        (Some(h), _) => model.host(h).label(),
        (None, Some(ip)) => ip.to_string(),
        (None, None) => "the remote host".to_string(),
    };
    let source_short = source_host.short();
    let target_short = target_host
        .map_or_else(|| target.map_or("the remote host".into(), |ip| ip.to_string()), |h| model.host(h).short());

    let mut wait_ms: Vec<i64> = waits.iter().map(|a| a.waited_ms(model)).collect();
    let total_ms: i64 = wait_ms.iter().sum();
    wait_ms.sort_unstable();
    let typical_ms = wait_ms[wait_ms.len() / 2];
    let longest_ms = *wait_ms.last().unwrap_or(&0);
    let cause = cause(model, source, source_ip, target, waits);

    let n = waits.len();
    let each = if longest_ms - wait_ms[0] < 1000 {
        format!("waited {} each time", human_duration(typical_ms))
    } else {
        format!("waited {} to {}", human_duration(wait_ms[0]), human_duration(longest_ms))
    };
    let mut summary = format!(
        "{} from {source_label} to {target_label} first tried PBX on TCP port {PBX_PORT}, got no answer at all \
(neither accepted nor refused), and {each} before falling back to vnetd on port {VNETD_PORT}: {} lost in all. \
A firewall or other network device that silently drops port {PBX_PORT} is the usual cause.",
        count(n as u64, "connection", "connections"),
        human_duration(total_ms),
    );
    let (severity, title, confidence, failure_status) = match &cause {
        Cause::Confirmed(socket, failures) => {
            let status = failure_status(model, failures);
            summary.push_str(&format!(
                " These waits delayed the backup until the forward socket vnetd kept open on {} (port {}) for {} had closed; \
when bpcd finally needed it the backup failed with {}.",
                model.host(socket.host).short(),
                socket.port,
                socket.timeout_s.map_or("its timeout".into(), |s| format!("{s} s")),
                status.map_or("an error".into(), status_phrase),
            ));
            (
                Severity::Critical,
                format!("The backup failed because connections from {source_short} to {target_short} wait for port {PBX_PORT}, which a firewall silently drops"),
                Some("confirmed"),
                status,
            )
        }
        Cause::Likely(failures) => {
            let status = failure_status(model, failures);
            summary.push_str(&format!(
                " The job on {source_short} then failed with {}; waits like these adding up are the likely cause.",
                status.map_or("cannot create data socket".into(), status_phrase)
            ));
            (
                Severity::Critical,
                format!("Connections from {source_short} to {target_short} wait for port {PBX_PORT} (likely firewall); the job then failed"),
                Some("likely"),
                status,
            )
        }
        Cause::None => {
            summary.push_str(
                " No job failed from it in these logs, but the waits add up: multiplexed and snapshot backups are the first to fail (status 25).",
            );
            (
                Severity::Warning,
                format!("Every connection from {source_short} to {target_short} waits {} for port {PBX_PORT} (likely a firewall)", human_duration(typical_ms)),
                None,
                None,
            )
        }
    };

    let ip_or = |ip: Option<IpAddr>, fallback: &str| ip.map_or(fallback.to_string(), |ip| ip.to_string());
    let (src_ip, dst_ip) = (ip_or(source_ip, &source_short), ip_or(target, &target_short));
    let named = |ip: &str, name: &str| if ip == name { ip.to_string() } else { format!("{ip} ({name})") };
    let network_request = format!(
        "Please allow TCP port {PBX_PORT} (NetBackup PBX) in both directions between {} and {}: \
{src_ip} → {dst_ip} TCP {PBX_PORT} and {dst_ip} → {src_ip} TCP {PBX_PORT}. Connection requests from {src_ip} to {dst_ip} port {PBX_PORT} \
are currently dropped without any reply.",
        named(&src_ip, &source_short),
        named(&dst_ip, &target_short),
    );
    let mut fix = vec![
        format!(
            "Open TCP port {PBX_PORT} (PBX) in both directions between {source_label} and {target_label} on every firewall between them. \
This removes the wait from every connection."
        ),
        format!(
            "If port {PBX_PORT} must stay closed, have the firewall reject those connections (TCP reset) instead of dropping them: \
NetBackup then falls back to vnetd at once."
        ),
    ];
    if !matches!(cause, Cause::None) {
        fix.push(
            "Until the firewall is changed: disable multiplexing in the backup policy. bptm then starts later in the job, so fewer waits pile up."
                .into(),
        );
        fix.push("Last resort: extend the vnetd timeout. It avoids this failure but lets the delays add up and can slow other jobs.".into());
    }

    let mut evidence: Vec<Evidence> = Vec::new();
    for attempt in waits.iter().take(EVIDENCE_WAITS) {
        let mut lines = vec![attempt.start];
        if attempt.last_progress != attempt.start {
            lines.push(attempt.last_progress);
        }
        lines.extend(attempt.end);
        lines.extend(attempt.connected.map(|(r, _, _)| r));
        lines.dedup();
        evidence.extend(lines.into_iter().map(|r| cite::evidence(model, r)));
    }
    match &cause {
        Cause::Confirmed(_, failures) | Cause::Likely(failures) => {
            evidence.extend(failures.iter().map(|&r| cite::evidence(model, r)))
        }
        Cause::None => {}
    }

    let mut facts: BTreeMap<String, Value> = BTreeMap::new();
    facts.insert("count".into(), json!(n));
    facts.insert("total_wait_s".into(), json!(seconds(total_ms)));
    facts.insert("typical_wait_s".into(), json!(seconds(typical_ms)));
    facts.insert("longest_wait_s".into(), json!(seconds(longest_ms)));
    facts.insert("source_ip".into(), json!(source_ip.map(|ip| ip.to_string())));
    facts.insert("target_ip".into(), json!(target.map(|ip| ip.to_string())));
    facts.insert("source_host".into(), json!(source_short));
    facts.insert("target_host".into(), json!(target_short));
    facts.insert("port".into(), json!(PBX_PORT));
    facts.insert("fallback_port".into(), json!(VNETD_PORT));
    facts.insert("caused_failure".into(), json!(!matches!(cause, Cause::None)));
    facts.insert("confidence".into(), json!(confidence));
    facts.insert(status_fact::FAILURE.into(), json!(failure_status));
    facts.insert("first".into(), json!(model.iso(waits[0].start)));
    facts.insert("last".into(), json!(model.iso(waits[n - 1].start)));
    facts.insert(
        "waits".into(),
        json!(waits
            .iter()
            .map(|a| json!({
                "start": model.iso(a.start),
                "wait_s": seconds(a.waited_ms(model)),
            }))
            .collect::<Vec<_>>()),
    );
    if let Cause::Confirmed(socket, _) = &cause {
        facts.insert("forward_socket_port".into(), json!(socket.port));
    }
    facts.insert("network_request".into(), json!(&network_request));

    let mut marks: Vec<_> = waits
        .iter()
        .map(|a| {
            let wait = a.waited_ms(model);
            let label = format!("waited {} for port {PBX_PORT}, then fell back to vnetd", human_duration(wait));
            cite::mark(model, a.start, MarkKind::Wait, Some(model.aligned_ms(a.start) + wait), label)
        })
        .collect();
    if let Cause::Confirmed(_, failures) | Cause::Likely(failures) = &cause {
        marks.extend(failures.iter().map(|&r| cite::mark(model, r, MarkKind::Failure, None, "the job failed".into())));
    }

    let figures = vec![
        Figure::new("Connections that waited", n.to_string(), ""),
        Figure::new("Total wait", format!("{:.1}", seconds(total_ms)), "s"),
        Figure::new("Each wait", format!("{:.1}", seconds(typical_ms)), "s"),
        Figure::new("From", src_ip.clone(), ""),
        Figure::new("To", dst_ip.clone(), ""),
        Figure::new("Port", PBX_PORT.to_string(), ""),
    ];
    Finding {
        rule: RULE.doc.id.into(),
        severity,
        title,
        summary,
        fix,
        evidence,
        facts,
        marks,
        area: Some(Area::Network),
        role: Role::Cause,
        owner: Owner::NetworkTeam,
        figures,
        request: Some(Request { to: Owner::NetworkTeam, text: network_request }),
        collect: Vec::new(),
        source: KB_PBX_DELAY.to_string(),
    }
}

fn failure_status(model: &Model<'_>, failures: &[EvRef]) -> Option<u32> {
    failures.iter().find_map(|&r| model.failures.iter().find(|f| f.at == r).and_then(|f| f.status))
}

fn cause<'m>(
    model: &'m Model<'_>,
    source: HostId,
    source_ip: Option<IpAddr>,
    target: Option<IpAddr>,
    waits: &[&ConnectAttempt],
) -> Cause<'m> {
    // A forward socket on the target host, asked for by the source, that expired while these
    // waits went on and was needed only afterwards.
    for socket in &model.forward_sockets {
        let Some(expired) = socket.expired_at() else { continue };
        let on_target = target.is_some_and(|ip| model.host(socket.host).ips.contains(&ip));
        let from_source = socket.requester.is_some_and(|r| Some(r.ip) == source_ip)
            || socket.holder_lines.iter().any(|&r| model.host_of(r) == source);
        if !on_target || !from_source {
            continue;
        }
        let created = model.aligned_ms(socket.created);
        let needed = socket.needed.map_or(i64::MAX, |r| model.aligned_ms(r));
        let in_window = waits.iter().any(|a| (created..=needed).contains(&model.aligned_ms(a.start)));
        let late = socket.needed.is_some_and(|n| model.local_ms(n) > model.local_ms(expired));
        if in_window && late {
            let failures = model.socket_failures_after(socket.needed.map_or(created, |n| model.aligned_ms(n)), |h| {
                h == socket.host || h == source
            });
            if !failures.is_empty() {
                return Cause::Confirmed(socket, failures);
            }
        }
    }
    let first = model.aligned_ms(waits[0].start);
    let last = model.aligned_ms(waits[waits.len() - 1].start);
    let failures: Vec<EvRef> = model
        .socket_failures_after(first, |h| h == source)
        .into_iter()
        .filter(|&r| model.aligned_ms(r) <= last + LIKELY_FAILURE_WINDOW_MS)
        .collect();
    if failures.is_empty() {
        Cause::None
    } else {
        Cause::Likely(failures)
    }
}
