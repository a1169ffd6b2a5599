//! `netstat-syn-sent`: a netstat/ss loop shows a connection to NetBackup's ports held in
//! SYN_SENT across snapshots: the SYN sent and not answered (the seed technote's evidence,
//! Veritas 100024894). Read from the loop alone; the PBX rule says whether it confirms its
//! reading.

use super::{Rule, RuleDoc};
use crate::catalogue::{step, Basis, SignatureId, SourceId};
use crate::correlate::{Model, NetstatView, TakenBy};
use crate::facts::netstat::{NetstatConnection, StateSpan};
use crate::numbers::count;
use crate::parse::netstat::TcpState;
use crate::report::{Area, Figure, Finding, Owner, Request, Role};
use crate::vocab::time::human_duration;
use serde_json::json;
use std::collections::BTreeMap;

const EXPLAINS: &[SignatureId] = &[];

pub static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "netstat-syn-sent",
        title: "netstat shows connections to NetBackup's ports held in SYN_SENT",
        meaning: "SYN_SENT means the host sent a SYN and waits for the answer. A connection seen in SYN_SENT \
in several snapshots of a netstat loop was not answered for that long: in Veritas 100024894, a connection to \
the PBX port held in SYN_SENT for ten seconds was a SYN that a firewall or other network device did not let through.",
        evidence: "netstat or ss output, several snapshots: a connection to port 1556, 13724 or 13782 in SYN_SENT \
(SYN-SENT) in two or more of them.",
        fix: "Find the device that does not let the SYNs through (netstat on the other host shows whether the \
connection reaches it); open the port, or make the firewall reject rather than drop.",
        sources: &[SourceId::IbmNetstatStates, SourceId::Veritas100024894],
        caveats: "netstat shows a connection's state only at each snapshot: how long it stayed is bounded by the \
snapshots' times, not measured. Run on one host, it cannot tell where the SYN was lost.",
    },
    area: Area::Network,
    role: Role::Cause,
    check,
    explains: EXPLAINS,
    positive: &["netstat-silent-drop", "netstat-linux-loop"],
    negative: &["healthy", "seed-technote", "netstat-windows-snapshot"],
};

/// NetBackup's ports: PBX, vnetd, bpcd.
const PORTS: [u16; 3] = [crate::knowledge::PBX_PORT, crate::knowledge::VNETD_PORT, crate::knowledge::BPCD_PORT];

fn check(model: &Model<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for view in &model.netstats {
        let held: Vec<(&NetstatConnection, StateSpan)> = view
            .facts(model)
            .connections
            .iter()
            .filter(|c| PORTS.contains(&c.remote.port))
            .flat_map(|c| c.spans.iter().map(move |s| (c, *s)))
            .filter(|(_, s)| s.state == TcpState::SynSent && s.last_snapshot > s.first_snapshot)
            .collect();
        if !held.is_empty() {
            out.push(finding(model, view, &held));
        }
    }
    out
}

/// How long a span lasted, in words: by its times, else by its snapshots.
pub fn held_words(s: &StateSpan) -> String {
    let n = u64::from(s.last_snapshot - s.first_snapshot + 1);
    match s.seen_ms() {
        Some(ms) => format!("in {} over {}", count(n, "snapshot", "snapshots"), human_duration(ms)),
        None => format!("in {} (untimed)", count(n, "snapshot", "snapshots")),
    }
}

/// Which host ran netstat, and how nbtriage knows.
pub fn ran_on_words(model: &Model<'_>, view: &NetstatView) -> String {
    match (view.taken_on, view.taken_by) {
        (Some(h), TakenBy::Addresses) => {
            format!("netstat ran on {}: its addresses are local there", model.host(h).short())
        }
        (Some(h), _) => format!("netstat ran on {}, by its folder", model.host(h).short()),
        (None, _) => "which host ran netstat is not known".into(),
    }
}

fn finding(model: &Model<'_>, view: &NetstatView, held: &[(&NetstatConnection, StateSpan)]) -> Finding {
    let (first, span) = held[0];
    let file = &model.files[view.file].facts.path;
    let port = first.remote.port;
    let summary = format!(
        "In {file}, {} to NetBackup's ports stayed in SYN_SENT across snapshots (sent a SYN, no answer). The first: {} to {} ({}) {}. {}.",
        count(held.len() as u64, "connection", "connections"),
        first.local,
        first.remote,
        first.service.as_deref().unwrap_or("NetBackup"),
        held_words(&span),
        super::words::capitalized(&ran_on_words(model, view)),
    );
    let mut facts = BTreeMap::new();
    facts.insert("netstat".into(), json!(file));
    facts.insert("connections".into(), json!(held.len()));
    facts.insert("port".into(), json!(port));
    facts.insert("snapshots".into(), json!(span.last_snapshot - span.first_snapshot + 1));
    facts.insert("held_ms".into(), json!(span.seen_ms()));
    Finding {
        title: format!("netstat shows connections to {} port {port} held in SYN_SENT", first.remote.ip),
        summary,
        fix: vec![
            step(
                "A connection held in SYN_SENT got no answer to its SYN: ask the network team to find the firewall or other device between the hosts that does not let it through (netstat on the other host at the same time shows whether it arrives).",
                Basis::Source(SourceId::Veritas100024894),
            ),
            step(
                "Open the port in both directions between the two hosts; if it must stay closed for PBX (1556), make the firewall reject rather than drop, so NetBackup falls back to vnetd at once.",
                Basis::Source(SourceId::Veritas100024894),
            ),
        ],
        facts,
        figures: vec![Figure::new("Connections in SYN_SENT", held.len().to_string(), "")],
        request: Some(Request {
            to: Owner::NetworkTeam,
            text: format!(
                "netstat shows TCP connections from {} to {} port {port} held in SYN_SENT (no answer to the SYN). Please check the firewalls and other devices between these hosts for this port, in both directions.",
                first.local.ip, first.remote.ip
            ),
        }),
        ..RULE.network_finding(Owner::NetworkTeam)
    }
}
