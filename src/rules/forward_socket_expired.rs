//! `forward-socket-expired`: vnetd gave up on a multiplexed backup's forward socket before
//! bpcd came to use it.

use super::cite;
use super::words::clock;
use super::{Rule, RuleDoc};
use crate::catalogue::status_phrase;
use crate::catalogue::SignatureId;
use crate::correlate::{describe_os_error, EvRef, ForwardSocket, Model};
use crate::knowledge::{KB_PBX_DELAY, PBX_PORT};
use crate::numbers::count;
use crate::report::{status_fact, Area, Figure, Finding, MarkKind, Owner, Role, Severity};
use crate::vocab::time::{self, human_duration, seconds};
use serde_json::{json, Value};
use std::collections::BTreeMap;

const EXPLAINS: &[SignatureId] = &[];

pub static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "forward-socket-expired",
        title: "The backup's forward socket closed before bpcd used it",
        meaning: "For a multiplexed backup, vnetd on the client opens a local forward socket and waits \
`max_time` seconds for bpcd to connect to it. When the job is delayed past that, vnetd closes it; \
bpcd's later connections to the port are refused and the backup fails with status 25. Critical \
when bpcd needed the socket after it closed and a failure followed; a warning otherwise.",
        evidence: "vnetd: `Request VN_REQUEST_CONNECT_FORWARD_SOCKET`, `ipc_string: <port>`, `hash_str1`, \
then `vnet_sock_ready: max_time: N`, `Function failed: 11`, `process_connect_forward_socket: status: 11`. \
Media server: `mpx_ipc: <port>;<hash>;...` (the same port and hash). bpcd: `is_pbxable_server: service: <port>`, \
`SO_ERROR returned: 10061` (111 on UNIX), `get_vnetd_forward_socket failed: 25`; bpbrm: `bpcd returned failure: 25`.",
        fix: "Remove what delays the job between the socket's creation and its use (most often the PBX \
waits of `pbx-connect-timeout`). Workarounds: disable multiplexing in the policy; as a last resort, \
extend the vnetd timeout.",
        source: "Veritas KB 100024894 / TECH162303 (reference §4.1 [S5]/[S9], VERIFIED) and the seed \
technote's vnetd, bpcd and bpbrm excerpts.",
        caveats: "The meaning of vnetd's status 11 is read from the technote's account (the socket timed out), \
not from a status table (reference §11: \"vnetd forward socket timeout\" NOT FOUND).",
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

fn finding(model: &Model<'_>, socket: &ForwardSocket, expired: EvRef) -> Finding {
    let host = model.host(socket.host);
    let requester_host = socket.requester.and_then(|r| model.host_by_ip(r.ip));
    let requester = match (requester_host, socket.requester) {
        (Some(h), _) => model.host(h).label(),
        (None, Some(r)) => r.ip.to_string(),
        (None, None) => "the media server".into(),
    };
    let dated = model.date_known(socket.created);

    // When bpcd needed it, on the client's clock: bpcd's own line, or else the media server's
    // hand-over (`handle_backup: mpx_ipc`) converted with the measured clock offset.
    let expired_ms = model.local_ms(expired);
    let needed_ms = socket.needed.map(|r| model.local_ms(r)).or_else(|| {
        socket
            .holder_lines
            .iter()
            .map(|&r| model.convert_ms(model.local_ms(r), model.host_of(r), socket.host))
            .filter(|&ms| ms > expired_ms)
            .max()
    });
    let late_ms = needed_ms.map(|n| n - expired_ms).filter(|&d| d > 0);
    let failures = match late_ms {
        Some(_) => model.socket_failures_after(
            needed_ms.map_or(model.aligned_ms(expired), |n| n - model.clock_offset_ms(socket.host)),
            |h| h == socket.host || Some(h) == requester_host,
        ),
        None => Vec::new(),
    };
    let failure_status =
        failures.iter().find_map(|&r| model.failures.iter().find(|f| f.at == r).and_then(|f| f.status));

    // PBX waits from the requester to this host while the socket was waiting.
    let window = model.aligned_ms(socket.created)
        ..=needed_ms.map_or(model.aligned_ms(expired), |n| n - model.clock_offset_ms(socket.host));
    let waits: Vec<_> = model
        .silent_pbx_waits()
        .into_iter()
        .filter(|a| a.connected.is_some_and(|(_, _, to)| host.ips.contains(&to.ip)))
        .filter(|a| window.contains(&model.aligned_ms(a.start)))
        .collect();
    let waits_ms: i64 = waits.iter().map(|a| a.waited_ms(model)).sum();

    let at = |ms: i64| time::iso(ms, dated);
    let created_iso = model.iso(socket.created);
    let expired_iso = model.iso(expired);
    let timeout = socket.timeout_s.map_or_else(
        || format!("{} (its timeout)", human_duration(expired_ms - model.local_ms(socket.created))),
        |s| format!("{s} s"),
    );
    let short = host.short();
    let mut summary = format!(
        "vnetd on {} opened a forward socket on port {} for a multiplexed backup from {requester} at {} and waited {timeout} \
for bpcd to connect to it. Nothing connected, so it closed at {}.",
        host.label(),
        socket.port,
        clock(&created_iso),
        clock(&expired_iso),
    );
    if let (Some(needed), Some(late)) = (needed_ms, late_ms) {
        summary.push_str(&format!(
            " bpcd tried to use it at {}, {} too late",
            clock(&at(needed)),
            human_duration(late)
        ));
        match socket.use_refused {
            Some(code) => summary.push_str(&format!(
                ": its connections were refused (error {code}{})",
                describe_os_error(code).map_or(String::new(), |d| format!(", {d}"))
            )),
            None => summary.push('.'),
        }
        match failure_status {
            Some(status) => summary.push_str(&format!(" and the backup failed with {}.", status_phrase(status))),
            None if !failures.is_empty() => summary.push_str(" and the backup failed (cannot create data socket)."),
            None if socket.use_refused.is_some() => summary.push('.'),
            None => {}
        }
    } else {
        summary.push_str(" No later use of it appears in these logs.");
    }
    if !waits.is_empty() {
        summary.push_str(&format!(
            " Meanwhile {} from {requester} to {short} waited {} in all for port {PBX_PORT} (see pbx-connect-timeout): that is what delayed the job.",
            count(waits.len() as u64, "connection", "connections"),
            human_duration(waits_ms)
        ));
    }

    let severity = if late_ms.is_some() && !failures.is_empty() { Severity::Critical } else { Severity::Warning };
    let title = match (late_ms, severity) {
        (Some(late), Severity::Critical) => format!(
            "The backup's forward socket on {short} closed {} before bpcd needed it, so the backup failed",
            human_duration(late)
        ),
        _ => format!("A forward socket on {short} closed unused after {timeout}"),
    };
    let mut fix = Vec::new();
    if waits.is_empty() {
        fix.push(format!(
            "Find what delayed the job between {} and {}: look at the media server's logs for slow connections or name lookups.",
            clock(&created_iso),
            needed_ms.map_or_else(|| clock(&expired_iso).to_string(), |n| clock(&at(n)).to_string())
        ));
    } else {
        fix.push(format!(
            "Remove the delay: open TCP port {PBX_PORT} in both directions between {requester} and {} (see pbx-connect-timeout).",
            host.label()
        ));
    }
    fix.push(
        "Workaround: disable multiplexing in the backup policy, so bptm and its socket are set up later in the job."
            .into(),
    );
    fix.push(format!(
        "Last resort: extend the vnetd timeout ({timeout} here). It hides the delay rather than removing it."
    ));

    let mut lines = socket.lines.clone();
    lines.extend(&socket.holder_lines);
    lines.extend(&socket.use_lines);
    lines.extend(&failures);
    crate::order::sort_by_key(&mut lines, |&r| (model.aligned_ms(r), r));
    lines.dedup();

    let mut facts: BTreeMap<String, Value> = BTreeMap::new();
    facts.insert("ipc_port".into(), json!(socket.port));
    facts.insert("timeout_s".into(), json!(socket.timeout_s));
    facts.insert("created".into(), json!(&created_iso));
    facts.insert("expired".into(), json!(&expired_iso));
    facts.insert("needed".into(), json!(needed_ms.map(at)));
    facts.insert("late_by_s".into(), json!(late_ms.map(seconds)));
    facts.insert("host".into(), json!(short));
    facts.insert("clock".into(), json!(format!("times on {short}'s clock")));
    facts.insert("requester_ip".into(), json!(socket.requester.map(|r| r.ip.to_string())));
    facts.insert("hash".into(), json!(socket.hash));
    facts.insert(status_fact::FAILURE.into(), json!(failure_status));
    facts.insert("refused_code".into(), json!(socket.use_refused));
    facts.insert("pbx_waits_in_window".into(), json!(waits.len()));
    facts.insert("pbx_wait_in_window_s".into(), json!(seconds(waits_ms)));

    let at_time = |v: Option<String>| v.map(|t| t.replace('T', " "));
    let mut figures = vec![Figure::new("Forward socket port", socket.port.to_string(), "")];
    figures.extend(socket.timeout_s.map(|s| Figure::new("Timeout", s.to_string(), "s")));
    figures.extend(at_time(Some(created_iso.clone())).map(|t| Figure::new("Created", t, "")));
    figures.extend(at_time(Some(expired_iso.clone())).map(|t| Figure::new("Expired", t, "")));
    figures.extend(at_time(needed_ms.map(at)).map(|t| Figure::new("Needed", t, "")));
    figures.extend(late_ms.map(|ms| Figure::new("Too late by", format!("{:.1}", seconds(ms)), "s")));
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
    marks.extend(failures.iter().map(|&r| cite::mark(model, r, MarkKind::Failure, None, "the job failed".into())));

    Finding {
        rule: RULE.doc.id.into(),
        severity,
        title,
        summary,
        fix,
        evidence: lines.into_iter().map(|r| cite::evidence(model, r)).collect(),
        facts,
        marks,
        area: Some(Area::Network),
        role: Role::Cause,
        owner: Owner::NetworkTeam,
        figures,
        request: None,
        collect: Vec::new(),
        source: KB_PBX_DELAY.to_string(),
    }
}
