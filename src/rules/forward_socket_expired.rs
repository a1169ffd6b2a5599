//! `forward-socket-expired`: vnetd gave up on a multiplexed backup's forward socket before
//! bpcd came to use it.

use super::cite;
use super::words::{clock, failure_status};
use super::{Rule, RuleDoc};
use crate::catalogue::status_phrase;
use crate::catalogue::{self, step, Basis, SignatureId, SourceId};
use crate::correlate::{describe_os_error, ConnectAttempt, EvRef, ForwardSocket, Host, Model};
use crate::knowledge::PBX_PORT;
use crate::numbers::count;
use crate::report::{status_fact, Area, Evidence, Figure, Finding, Mark, MarkKind, Owner, Role, Severity};
use crate::vocab::time::{self, human_duration, seconds};
use serde_json::{json, Value};
use std::collections::BTreeMap;

const EXPLAINS: &[SignatureId] = &[];

pub static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "forward-socket-expired",
        title: "The backup's forward socket closed before bpcd used it",
        meaning: "For a multiplexed backup, vnetd on the client opens a local forward socket and waits \
`max_time` seconds for bpcd to connect to it (as read from the one published case, Veritas 100024894). \
When the job is delayed past that, vnetd closes it; \
bpcd's later connections to the port are refused and the backup fails with status 25. Critical \
when bpcd needed the socket after it closed and a failure followed; a warning otherwise.",
        evidence: "vnetd: `Request VN_REQUEST_CONNECT_FORWARD_SOCKET`, `ipc_string: <port>`, `hash_str1`, \
then `vnet_sock_ready: max_time: N`, `Function failed: 11`, `process_connect_forward_socket: status: 11`. \
Media server: `mpx_ipc: <port>;<hash>;...` (the same port and hash). bpcd: `is_pbxable_server: service: <port>`, \
`SO_ERROR returned: 10061` (111 on UNIX), `get_vnetd_forward_socket failed: 25`; bpbrm: `bpcd returned failure: 25`.",
        fix: "Remove what delays the job between the socket's creation and its use (most often the PBX \
waits of `pbx-connect-timeout`). Workarounds: disable multiplexing in the policy; as a last resort, \
extend the vnetd timeout.",
        sources: &[SourceId::Veritas100024894],
        caveats: "The meaning of vnetd's status 11 and of `max_time` is read from the one published case \
(Veritas 100024894: the socket timed out), not from a status table or a format description.",
    },
    area: Area::Network,
    role: Role::Cause,
    check,
    explains: EXPLAINS,
    positive: &["seed-technote", "seed-unix"],
    negative: &["healthy", "pbx-rst", "pbx-delay-no-failure"],
};

fn check(model: &Model<'_>) -> Vec<Finding> {
    model.forward_sockets.iter().filter_map(|s| Some(finding(model, s, s.expired_at()?))).collect()
}

/// One expired forward socket, measured once for every sentence, fact and mark.
struct Expiry<'m> {
    socket: &'m ForwardSocket,
    expired: EvRef,
    /// The client: the host vnetd runs on.
    host: &'m Host,
    /// The media server that asked for the socket, named for a sentence.
    requester: String,
    dated: bool,
    /// On the client's clock: when bpcd needed the socket and how late that was.
    needed_ms: Option<i64>,
    late_ms: Option<i64>,
    failures: Vec<EvRef>,
    failure_status: Option<u32>,
    /// PBX waits from the requester to this host while the socket was waiting, and their sum.
    waits: Vec<&'m ConnectAttempt>,
    waits_ms: i64,
    created_iso: String,
    expired_iso: String,
    /// "300 s", or the time it stayed open when the log gives no timeout.
    timeout: String,
}

impl Expiry<'_> {
    /// A time on the client's clock, dated when its log is.
    fn at(&self, ms: i64) -> String {
        time::iso(ms, self.dated)
    }
}

fn finding(model: &Model<'_>, socket: &ForwardSocket, expired: EvRef) -> Finding {
    let expiry = measure(model, socket, expired);
    let severity =
        if expiry.late_ms.is_some() && !expiry.failures.is_empty() { Severity::Critical } else { Severity::Warning };
    Finding {
        rule: RULE.doc.id.into(),
        severity,
        title: title(&expiry, severity),
        summary: summary(&expiry),
        fix: fix_steps(&expiry),
        evidence: evidence(model, &expiry),
        facts: facts(&expiry),
        marks: marks(model, &expiry),
        area: Some(Area::Network),
        role: Role::Cause,
        owner: Owner::NetworkTeam,
        figures: figures(&expiry),
        request: None,
        collect: Vec::new(),
        source: catalogue::cite(RULE.doc.sources),
        caveats: RULE.doc.caveats.to_string(),
        owner_note: String::new(),
    }
}

/// Reads the socket's story from the model: when bpcd needed it, what failed after, the PBX waits
/// meanwhile.
fn measure<'m>(model: &'m Model<'_>, socket: &'m ForwardSocket, expired: EvRef) -> Expiry<'m> {
    let host = model.host(socket.host);
    let requester_host = socket.requester.and_then(|r| model.host_by_ip(r.ip));
    let requester = match (requester_host, socket.requester) {
        (Some(h), _) => model.host(h).label(),
        (None, Some(r)) => r.ip.to_string(),
        (None, None) => "the media server".into(),
    };
    let expired_ms = model.local_ms(expired);
    let needed_ms = needed_ms(model, socket, expired_ms);
    let late_ms = needed_ms.map(|n| n - expired_ms).filter(|&d| d > 0);
    let failures = match late_ms {
        Some(_) => model.socket_failures_after(
            needed_ms.map_or(model.aligned_ms(expired), |n| n - model.clock_offset_ms(socket.host)),
            |h| h == socket.host || Some(h) == requester_host,
        ),
        None => Vec::new(),
    };
    let waits = pbx_waits_meanwhile(model, socket, expired, needed_ms);
    Expiry {
        socket,
        expired,
        host,
        requester,
        dated: model.date_known(socket.created),
        needed_ms,
        late_ms,
        failure_status: failure_status(model, &failures),
        failures,
        waits_ms: waits.iter().map(|a| a.waited_ms(model)).sum(),
        waits,
        created_iso: model.iso(socket.created),
        expired_iso: model.iso(expired),
        timeout: socket.timeout_s.map_or_else(
            || format!("{} (its timeout)", human_duration(expired_ms - model.local_ms(socket.created))),
            |s| format!("{s} s"),
        ),
    }
}

/// When bpcd needed the socket, on the client's clock: bpcd's own line, or else the media
/// server's hand-over (`handle_backup: mpx_ipc`) converted with the measured clock offset.
fn needed_ms(model: &Model<'_>, socket: &ForwardSocket, expired_ms: i64) -> Option<i64> {
    socket.needed.map(|r| model.local_ms(r)).or_else(|| {
        socket
            .holder_lines
            .iter()
            .map(|&r| model.convert_ms(model.local_ms(r), model.host_of(r), socket.host))
            .filter(|&ms| ms > expired_ms)
            .max()
    })
}

/// PBX waits from the requester to this host while the socket was waiting: what delayed the job.
fn pbx_waits_meanwhile<'m>(
    model: &'m Model<'_>,
    socket: &ForwardSocket,
    expired: EvRef,
    needed_ms: Option<i64>,
) -> Vec<&'m ConnectAttempt> {
    let host = model.host(socket.host);
    let window = model.aligned_ms(socket.created)
        ..=needed_ms.map_or(model.aligned_ms(expired), |n| n - model.clock_offset_ms(socket.host));
    model
        .silent_pbx_waits()
        .into_iter()
        .filter(|a| a.connected.is_some_and(|(_, _, to)| host.ips.contains(&to.ip)))
        .filter(|a| window.contains(&model.aligned_ms(a.start)))
        .collect()
}

fn title(expiry: &Expiry<'_>, severity: Severity) -> String {
    let (short, timeout) = (expiry.host.short(), &expiry.timeout);
    match (expiry.late_ms, severity) {
        (Some(late), Severity::Critical) => format!(
            "The backup's forward socket on {short} closed {} before bpcd needed it, so the backup failed",
            human_duration(late)
        ),
        _ => format!("A forward socket on {short} closed unused after {timeout}"),
    }
}

/// The summary: the socket's life, then its late use (if any), then the PBX waits that delayed it.
fn summary(expiry: &Expiry<'_>) -> String {
    let (socket, requester, timeout, short) = (expiry.socket, &expiry.requester, &expiry.timeout, expiry.host.short());
    let mut summary = format!(
        "vnetd on {} opened a forward socket on port {} for a multiplexed backup from {requester} at {} and waited {timeout} \
for bpcd to connect to it. Nothing connected, so it closed at {}.",
        expiry.host.label(),
        socket.port,
        clock(&expiry.created_iso),
        clock(&expiry.expired_iso),
    );
    summary.push_str(&later_use(expiry));
    if !expiry.waits.is_empty() {
        summary.push_str(&format!(
            " Meanwhile {} from {requester} to {short} waited {} in all for port {PBX_PORT} (see pbx-connect-timeout): that is likely what delayed the job.",
            count(expiry.waits.len() as u64, "connection", "connections"),
            human_duration(expiry.waits_ms)
        ));
    }
    summary
}

/// The summary's sentence on bpcd's use of the closed socket: when, how late, what it got.
fn later_use(expiry: &Expiry<'_>) -> String {
    let (Some(needed), Some(late)) = (expiry.needed_ms, expiry.late_ms) else {
        return " No later use of it appears in these logs.".into();
    };
    let mut sentence =
        format!(" bpcd tried to use it at {}, {} too late", clock(&expiry.at(needed)), human_duration(late));
    match expiry.socket.use_refused {
        Some(code) => sentence.push_str(&format!(
            ": its connections were refused (error {code}{})",
            describe_os_error(code).map_or(String::new(), |d| format!(", {d}"))
        )),
        None => sentence.push('.'),
    }
    match expiry.failure_status {
        Some(status) => sentence.push_str(&format!(" and the backup failed with {}.", status_phrase(status))),
        None if !expiry.failures.is_empty() => sentence.push_str(" and the backup failed (cannot create data socket)."),
        None if expiry.socket.use_refused.is_some() => sentence.push('.'),
        None => {}
    }
    sentence
}

/// The fix steps: remove the delay (the PBX waits when there were some), then the workarounds.
fn fix_steps(expiry: &Expiry<'_>) -> Vec<String> {
    let (requester, timeout) = (&expiry.requester, &expiry.timeout);
    let mut fix = Vec::new();
    if expiry.waits.is_empty() {
        let text = format!(
            "Find what delayed the job between {} and {}: look at the media server's logs for slow connections or name lookups.",
            clock(&expiry.created_iso),
            expiry.needed_ms.map_or_else(|| clock(&expiry.expired_iso).to_string(), |n| clock(&expiry.at(n)).to_string())
        );
        fix.push(step(&text, Basis::Practice));
    } else {
        let text = format!(
            "Remove the delay (in the published case, the PBX waits): open TCP port {PBX_PORT} in both directions between {requester} and {} (see pbx-connect-timeout).",
            expiry.host.label()
        );
        fix.push(step(&text, Basis::Source(SourceId::Veritas100024894)));
    }
    fix.push(step(
        "Workaround: disable multiplexing in the backup policy, so bptm and its socket are set up later in the job.",
        Basis::Source(SourceId::Veritas100024894),
    ));
    let text =
        format!("Last resort: extend the vnetd timeout ({timeout} here). It hides the delay rather than removing it.");
    fix.push(step(&text, Basis::Source(SourceId::Veritas100024894)));
    fix
}

/// The socket's lines on every host and the failures, in time order.
fn evidence(model: &Model<'_>, expiry: &Expiry<'_>) -> Vec<Evidence> {
    let socket = expiry.socket;
    let mut lines = socket.lines.clone();
    lines.extend(&socket.holder_lines);
    lines.extend(&socket.use_lines);
    lines.extend(&expiry.failures);
    crate::order::sort_by_key(&mut lines, |&r| (model.aligned_ms(r), r));
    lines.dedup();
    lines.into_iter().map(|r| cite::evidence(model, r)).collect()
}

fn facts(expiry: &Expiry<'_>) -> BTreeMap<String, Value> {
    let (socket, short) = (expiry.socket, expiry.host.short());
    let mut facts: BTreeMap<String, Value> = BTreeMap::new();
    facts.insert("ipc_port".into(), json!(socket.port));
    facts.insert("timeout_s".into(), json!(socket.timeout_s));
    facts.insert("created".into(), json!(&expiry.created_iso));
    facts.insert("expired".into(), json!(&expiry.expired_iso));
    facts.insert("needed".into(), json!(expiry.needed_ms.map(|n| expiry.at(n))));
    facts.insert("late_by_s".into(), json!(expiry.late_ms.map(seconds)));
    facts.insert("host".into(), json!(short));
    facts.insert("clock".into(), json!(format!("times on {short}'s clock")));
    facts.insert("requester_ip".into(), json!(socket.requester.map(|r| r.ip.to_string())));
    facts.insert("hash".into(), json!(socket.hash));
    facts.insert(status_fact::FAILURE.into(), json!(expiry.failure_status));
    facts.insert("refused_code".into(), json!(socket.use_refused));
    facts.insert("pbx_waits_in_window".into(), json!(expiry.waits.len()));
    facts.insert("pbx_wait_in_window_s".into(), json!(seconds(expiry.waits_ms)));
    facts
}

fn figures(expiry: &Expiry<'_>) -> Vec<Figure> {
    let at_time = |v: Option<String>| v.map(|t| t.replace('T', " "));
    let mut figures = vec![Figure::new("Forward socket port", expiry.socket.port.to_string(), "")];
    figures.extend(expiry.socket.timeout_s.map(|s| Figure::new("Timeout", s.to_string(), "s")));
    figures.extend(at_time(Some(expiry.created_iso.clone())).map(|t| Figure::new("Created", t, "")));
    figures.extend(at_time(Some(expiry.expired_iso.clone())).map(|t| Figure::new("Expired", t, "")));
    figures.extend(at_time(expiry.needed_ms.map(|n| expiry.at(n))).map(|t| Figure::new("Needed", t, "")));
    figures.extend(expiry.late_ms.map(|ms| Figure::new("Too late by", format!("{:.1}", seconds(ms)), "s")));
    figures
}

/// The socket open until it closed, its closing, bpcd's need of it, then the failures.
fn marks(model: &Model<'_>, expiry: &Expiry<'_>) -> Vec<Mark> {
    let (socket, expired, timeout) = (expiry.socket, expiry.expired, &expiry.timeout);
    let mut marks = vec![
        cite::mark(
            model,
            socket.created,
            MarkKind::Socket,
            Some(model.aligned_ms(expired)),
            format!("forward socket {} open, waiting up to {timeout} for bpcd", socket.port),
        ),
        cite::mark(model, expired, MarkKind::Timeout, None, format!("vnetd gave up on forward socket {}", socket.port)),
    ];
    if let Some(needed) = socket.needed {
        marks.push(cite::mark(
            model,
            needed,
            MarkKind::Needed,
            None,
            format!("bpcd needs forward socket {}", socket.port),
        ));
    }
    marks.extend(
        expiry.failures.iter().map(|&r| cite::mark(model, r, MarkKind::Failure, None, "the job failed".into())),
    );
    marks
}
