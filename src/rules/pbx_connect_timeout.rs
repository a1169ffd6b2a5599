//! `pbx-connect-timeout`: connections that wait for PBX (TCP 1556) with no answer, then fall
//! back to vnetd.

use super::cite;
use super::words::failure_status;
use super::{Rule, RuleDoc};
use crate::catalogue::status_phrase;
use crate::catalogue::{self, step, Basis, SignatureId, SourceId};
use crate::correlate::{ConnectAttempt, EvRef, ForwardSocket, HostId, Model};
use crate::knowledge::{PBX_PORT, VNETD_PORT};
use crate::numbers::count;
use crate::report::{status_fact, Area, Evidence, Figure, Finding, Mark, MarkKind, Owner, Request, Role, Severity};
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
several connections in a row may add these waits up until the backup fails, most notably \
multiplexed and snapshot client backups (status 25). Critical when a failure followed the waits, a warning otherwise.",
        evidence: "In one thread: `vnet_async_connect: connect in progress: 1`, more `connect in progress` \
lines after a gap of a second or more, no `SO_ERROR returned` refusal, then the vnetd fallback \
(`VN_REQUEST_PBX_C_SUPPORTED`, `remote host supports PBX, but PBX is not running`) and the \
`CONNECT FROM a TO b.13724` line that names both hosts. The wait is read from the log, never assumed.",
        fix: "Open TCP 1556 in both directions between the two hosts. If it must stay closed, make the \
firewall reject (TCP reset) instead of dropping, so the fallback is immediate. Workarounds: \
disable multiplexing in the policy; as a last resort, extend the vnetd timeout.",
        sources: &[SourceId::Veritas100024894, SourceId::Veritas100021789, SourceId::Rfc6298],
        caveats: "The log does not name port 1556 on the first attempt; it is inferred from the PBX \
fallback that follows it, as the KB describes. That a firewall is the cause is the KB's \
explanation of the pattern, so the finding names the article's words and its other common cause. Waits under 1 s are not counted \
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
/// A status 25 on the same host this long after the last wait is still "likely" its result:
/// nbtriage's threshold.
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

/// The two ends of the waits, named as the sentences need them.
struct Ends {
    /// "media01 (10.0.0.5)", for the summary and the fix.
    source_label: String,
    target_label: String,
    /// "media01", for the title, the request and the facts.
    source_short: String,
    target_short: String,
    /// The source's address from the fallback's CONNECT line, else the first the logs give it.
    source_ip: Option<IpAddr>,
    target_ip: Option<IpAddr>,
}

impl Ends {
    fn new(model: &Model<'_>, source: HostId, target: Option<IpAddr>, waits: &[&ConnectAttempt]) -> Ends {
        let source_host = model.host(source);
        let source_ip =
            waits.iter().find_map(|a| a.connected.map(|(_, from, _)| from.ip)).or(source_host.ips.first().copied());
        let target_host = target.and_then(|ip| model.host_by_ip(ip));
        let target_label = match (target_host, target) {
            (Some(h), _) => model.host(h).label(),
            (None, Some(ip)) => ip.to_string(),
            (None, None) => "the remote host".to_string(),
        };
        let target_short = target_host
            .map_or_else(|| target.map_or("the remote host".into(), |ip| ip.to_string()), |h| model.host(h).short());
        Ends {
            source_label: source_host.label(),
            target_label,
            source_short: source_host.short(),
            target_short,
            source_ip,
            target_ip: target,
        }
    }

    /// Each end's address, or its name when the logs give none: what a firewall rule names.
    fn addresses(&self) -> (String, String) {
        let ip_or = |ip: Option<IpAddr>, fallback: &str| ip.map_or(fallback.to_string(), |ip| ip.to_string());
        (ip_or(self.source_ip, &self.source_short), ip_or(self.target_ip, &self.target_short))
    }
}

/// How long the connections waited, in all and one by one.
struct Waited {
    count: usize,
    total_ms: i64,
    shortest_ms: i64,
    /// The median wait.
    typical_ms: i64,
    longest_ms: i64,
}

impl Waited {
    fn new(model: &Model<'_>, waits: &[&ConnectAttempt]) -> Waited {
        let mut wait_ms: Vec<i64> = waits.iter().map(|a| a.waited_ms(model)).collect();
        let total_ms: i64 = wait_ms.iter().sum();
        wait_ms.sort_unstable();
        Waited {
            count: waits.len(),
            total_ms,
            shortest_ms: wait_ms[0],
            typical_ms: wait_ms[wait_ms.len() / 2],
            longest_ms: *wait_ms.last().unwrap_or(&0),
        }
    }
}

/// What the waits led to, by their [`Cause`].
struct Outcome {
    severity: Severity,
    title: String,
    /// The summary's closing sentence (with its leading space): the failure, or the risk.
    consequence: String,
    confidence: Option<&'static str>,
    failure_status: Option<u32>,
}

fn finding(model: &Model<'_>, source: HostId, target: Option<IpAddr>, waits: &[&ConnectAttempt]) -> Finding {
    let ends = Ends::new(model, source, target, waits);
    let waited = Waited::new(model, waits);
    let cause = cause(model, source, ends.source_ip, target, waits);
    let outcome = outcome(model, &cause, &ends, &waited);
    let (src_ip, dst_ip) = ends.addresses();
    let network_request = network_request(&ends, &src_ip, &dst_ip);
    let mut facts = facts(model, waits, &ends, &waited, &cause, &outcome);
    facts.insert("network_request".into(), json!(&network_request));
    let capture =
        super::capture_words::says(model, source, waits, Some(PBX_PORT), target, super::capture_words::Expect::Silence);
    let mut marks = marks(model, waits, &cause);
    let mut summary = summary(&ends, &waited) + &outcome.consequence;
    if let Some(says) = capture {
        facts.insert("capture".into(), json!(says.agrees));
        summary += &says.sentence;
        marks.extend(says.marks);
    }
    if let Some(sentence) = super::netstat_words::says(model, source, waits, PBX_PORT, target) {
        facts.insert("netstat".into(), json!("confirmed"));
        summary += &sentence;
    }
    Finding {
        rule: RULE.doc.id.into(),
        severity: outcome.severity,
        title: outcome.title,
        summary,
        fix: fix_steps(&ends, &cause),
        evidence: evidence(model, waits, &cause),
        facts,
        marks,
        area: Some(Area::Network),
        role: Role::Cause,
        owner: Owner::NetworkTeam,
        figures: figures(&waited, src_ip, dst_ip),
        request: Some(Request { to: Owner::NetworkTeam, text: network_request }),
        collect: Vec::new(),
        source: catalogue::cite(RULE.doc.sources),
        caveats: RULE.doc.caveats.to_string(),
        owner_note: String::new(),
    }
}

/// The summary's first sentences: what the connections did, what it cost and the usual cause.
fn summary(ends: &Ends, waited: &Waited) -> String {
    let (source_label, target_label) = (&ends.source_label, &ends.target_label);
    let each = if waited.longest_ms - waited.shortest_ms < 1000 {
        format!("waited {} each time", human_duration(waited.typical_ms))
    } else {
        format!("waited {} to {}", human_duration(waited.shortest_ms), human_duration(waited.longest_ms))
    };
    format!(
        "{} from {source_label} to {target_label} first tried PBX on TCP port {PBX_PORT}, got no answer at all \
(neither accepted nor refused), and {each} before falling back to vnetd on port {VNETD_PORT}: {} lost in all. \
Veritas describes this pattern with a firewall or other network device that discards connection requests to port {PBX_PORT}, \
and points to another common cause of such delays (Veritas 100024894).",
        count(waited.count as u64, "connection", "connections"),
        human_duration(waited.total_ms),
    )
}

/// The severity, title and closing sentence: critical when a failure followed the waits.
fn outcome(model: &Model<'_>, cause: &Cause<'_>, ends: &Ends, waited: &Waited) -> Outcome {
    let (source_short, target_short) = (&ends.source_short, &ends.target_short);
    match cause {
        Cause::Confirmed(socket, failures) => {
            let status = failure_status(model, failures);
            Outcome {
                severity: Severity::Critical,
                title: format!("The backup failed because connections from {source_short} to {target_short} wait for port {PBX_PORT}, which a firewall or other network device silently drops"),
                consequence: format!(
                    " These waits delayed the backup until the forward socket vnetd kept open on {} (port {}) for {} had closed; \
when bpcd finally needed it the backup failed with {}.",
                    model.host(socket.host).short(),
                    socket.port,
                    socket.timeout_s.map_or("its timeout".into(), |s| format!("{s} s")),
                    status.map_or("an error".into(), status_phrase),
                ),
                confidence: Some("confirmed"),
                failure_status: status,
            }
        }
        Cause::Likely(failures) => {
            let status = failure_status(model, failures);
            Outcome {
                severity: Severity::Critical,
                title: format!("Connections from {source_short} to {target_short} wait for port {PBX_PORT} (likely firewall); the job then failed"),
                consequence: format!(
                    " The job on {source_short} then failed with {}; waits like these adding up are the likely cause.",
                    status.map_or("cannot create data socket".into(), status_phrase)
                ),
                confidence: Some("likely"),
                failure_status: status,
            }
        }
        Cause::None => Outcome {
            severity: Severity::Warning,
            title: format!("Every connection from {source_short} to {target_short} waits {} for port {PBX_PORT} (likely a firewall)", human_duration(waited.typical_ms)),
            consequence: " No job failed from it in these logs, but the waits add up: multiplexed and snapshot client backups are the ones most often affected (status 25).".into(),
            confidence: None,
            failure_status: None,
        },
    }
}

/// The request to the network team, by address (`src_ip`, `dst_ip`), as a firewall rule reads.
fn network_request(ends: &Ends, src_ip: &str, dst_ip: &str) -> String {
    let named = |ip: &str, name: &str| if ip == name { ip.to_string() } else { format!("{ip} ({name})") };
    format!(
        "Please allow TCP port {PBX_PORT} (NetBackup PBX) in both directions between {} and {}: \
{src_ip} → {dst_ip} TCP {PBX_PORT} and {dst_ip} → {src_ip} TCP {PBX_PORT}. NetBackup's logs show connection requests from {src_ip} to {dst_ip} port {PBX_PORT} \
getting no reply.",
        named(src_ip, &ends.source_short),
        named(dst_ip, &ends.target_short),
    )
}

/// The fix steps; the workarounds only when a job failed from the waits.
fn fix_steps(ends: &Ends, cause: &Cause<'_>) -> Vec<String> {
    let (source_label, target_label) = (&ends.source_label, &ends.target_label);
    let kb = Basis::Source(SourceId::Veritas100024894);
    let mut fix = vec![
        step(
            &format!(
                "Open TCP port {PBX_PORT} (PBX) in both directions between {source_label} and {target_label} on every firewall between them. \
This removes the wait from every connection."
            ),
            kb,
        ),
        step(
            &format!(
                "If port {PBX_PORT} must stay closed: the article notes that no delay occurs when the firewall answers those connections \
with a TCP reset instead of dropping them, since NetBackup then falls back to vnetd at once."
            ),
            kb,
        ),
    ];
    if !matches!(cause, Cause::None) {
        fix.push(step(
            "Until the firewall is changed: disable multiplexing in the backup policy. bptm then starts later in the job, so fewer waits pile up.",
            kb,
        ));
        fix.push(step(
            "Last resort: extend the vnetd timeout. It avoids this failure but lets the delays add up and can slow other jobs.",
            kb,
        ));
    }
    fix
}

/// The lines of the first [`EVIDENCE_WAITS`] waits (the connect, its last progress, its end and
/// the fallback's CONNECT line), then the failure lines.
fn evidence(model: &Model<'_>, waits: &[&ConnectAttempt], cause: &Cause<'_>) -> Vec<Evidence> {
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
    match cause {
        Cause::Confirmed(_, failures) | Cause::Likely(failures) => {
            evidence.extend(failures.iter().map(|&r| cite::evidence(model, r)))
        }
        Cause::None => {}
    }
    evidence
}

fn facts(
    model: &Model<'_>,
    waits: &[&ConnectAttempt],
    ends: &Ends,
    waited: &Waited,
    cause: &Cause<'_>,
    outcome: &Outcome,
) -> BTreeMap<String, Value> {
    let mut facts: BTreeMap<String, Value> = BTreeMap::new();
    facts.insert("count".into(), json!(waited.count));
    facts.insert("total_wait_s".into(), json!(seconds(waited.total_ms)));
    facts.insert("typical_wait_s".into(), json!(seconds(waited.typical_ms)));
    facts.insert("longest_wait_s".into(), json!(seconds(waited.longest_ms)));
    facts.insert("source_ip".into(), json!(ends.source_ip.map(|ip| ip.to_string())));
    facts.insert("target_ip".into(), json!(ends.target_ip.map(|ip| ip.to_string())));
    facts.insert("source_host".into(), json!(ends.source_short));
    facts.insert("target_host".into(), json!(ends.target_short));
    facts.insert("port".into(), json!(PBX_PORT));
    facts.insert("fallback_port".into(), json!(VNETD_PORT));
    facts.insert("caused_failure".into(), json!(!matches!(cause, Cause::None)));
    facts.insert("confidence".into(), json!(outcome.confidence));
    facts.insert(status_fact::FAILURE.into(), json!(outcome.failure_status));
    facts.insert("first".into(), json!(model.iso(waits[0].start)));
    facts.insert("last".into(), json!(model.iso(waits[waited.count - 1].start)));
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
    if let Cause::Confirmed(socket, _) = cause {
        facts.insert("forward_socket_port".into(), json!(socket.port));
    }
    facts
}

/// A span for every wait, then the failures.
fn marks(model: &Model<'_>, waits: &[&ConnectAttempt], cause: &Cause<'_>) -> Vec<Mark> {
    let mut marks: Vec<_> = waits
        .iter()
        .map(|a| {
            let wait = a.waited_ms(model);
            let label = format!("waited {} for port {PBX_PORT}, then fell back to vnetd", human_duration(wait));
            cite::mark(model, a.start, MarkKind::Wait, Some(model.aligned_ms(a.start) + wait), label)
        })
        .collect();
    if let Cause::Confirmed(_, failures) | Cause::Likely(failures) = cause {
        marks.extend(failures.iter().map(|&r| cite::mark(model, r, MarkKind::Failure, None, "the job failed".into())));
    }
    marks
}

fn figures(waited: &Waited, src_ip: String, dst_ip: String) -> Vec<Figure> {
    vec![
        Figure::new("Connections that waited", waited.count.to_string(), ""),
        Figure::new("Total wait", format!("{:.1}", seconds(waited.total_ms)), "s"),
        Figure::new("Each wait", format!("{:.1}", seconds(waited.typical_ms)), "s"),
        Figure::new("From", src_ip, ""),
        Figure::new("To", dst_ip, ""),
        Figure::new("Port", PBX_PORT.to_string(), ""),
    ]
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
