//! `capture-idle-reset`: a packet capture shows connections reset after a long silence, at
//! about the same idle age: what a firewall's idle timeout does (Veritas 100025745).

use super::capture_words::taken_words;
use super::{Rule, RuleDoc};
use crate::catalogue::{step, Basis, SignatureId, SourceId};
use crate::correlate::{CaptureView, Model};
use crate::facts::capture::{utc, TcpConnection};
use crate::report::{Area, Figure, Finding, Owner, Request, Role};
use crate::vocab::time::human_duration;
use serde_json::json;
use std::collections::BTreeMap;

const EXPLAINS: &[SignatureId] = &[];

pub static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "capture-idle-reset",
        title: "A packet capture shows connections reset after a long idle time",
        meaning: "A firewall between NetBackup hosts breaks a TCP connection that stays idle longer than its idle \
timeout (Veritas 100025745). In a capture this shows as a connection with no segment for a long time, ended by a \
reset; several connections cut at about the same idle age point to such a timeout.",
        evidence:
            "A pcap or pcapng file: a TCP connection whose longest silence, 5 minutes or more, ended with a reset.",
        fix: "Find the device's idle timeout for these ports and raise it, or lower the TCP keepalive time on the \
NetBackup hosts below it (Veritas 100025745).",
        sources: &[SourceId::Veritas100025745],
        caveats: "The capture shows the silence and the reset, not which device sent it: a reset may also come from \
either host. The 5 minutes, and one minute as \"about the same age\", are nbtriage's thresholds.",
    },
    area: Area::Network,
    role: Role::Cause,
    check,
    explains: EXPLAINS,
    positive: &["capture-idle-reset"],
    negative: &["healthy", "capture-silent-drop", "capture-zero-window"],
};

/// A silence this long before a reset is an idle cut: nbtriage's threshold.
const IDLE_MS: i64 = 5 * 60_000;
/// Idle ages this close are "the same age": nbtriage's threshold.
const SAME_AGE_MS: i64 = 60_000;

fn check(model: &Model<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for view in &model.captures {
        let cut: Vec<&TcpConnection> = view
            .facts(model)
            .connections
            .iter()
            .filter(|c| c.longest_idle_us / 1000 >= IDLE_MS && c.first_reset_us.is_some_and(|r| r >= c.idle_end_us))
            .filter(|c| c.resets != [0, 0] && c.idle_end_us == c.last_us.min(c.first_reset_us.unwrap_or(i64::MAX)))
            .collect();
        if !cut.is_empty() {
            out.push(finding(model, view, &cut));
        }
    }
    out
}

fn finding(model: &Model<'_>, view: &CaptureView, cut: &[&TcpConnection]) -> Finding {
    let mut ages: Vec<i64> = cut.iter().map(|c| c.longest_idle_us / 1000).collect();
    crate::order::sort(&mut ages);
    let (shortest, longest) = (ages[0], ages[ages.len() - 1]);
    let same = cut.len() > 1 && longest - shortest <= SAME_AGE_MS;
    let first = cut[0];
    let file = &model.files[view.file].facts.path;
    let age = if same {
        format!(
            "each after {} to {} without a segment: about the same idle age, as a fixed idle timeout cuts them",
            human_duration(shortest),
            human_duration(longest)
        )
    } else {
        format!("after {} to {} without a segment", human_duration(shortest), human_duration(longest))
    };
    let summary = format!(
        "In {file}, {} {} reset {age}. The first: {} to {}, reset at {} by the {} side. {}. A firewall between NetBackup hosts \
breaks a connection idle longer than its timeout (Veritas 100025745).",
        crate::numbers::count(cut.len() as u64, "connection", "connections"),
        if cut.len() == 1 { "was" } else { "were" },
        first.client,
        first.server,
        first.first_reset_us.map_or(String::new(), utc),
        if first.resets[1] > 0 { "server's" } else { "client's" },
        super::words::capitalized(&taken_words(model, view.taken_on, view.taken_by)),
    );
    let mut facts = BTreeMap::new();
    facts.insert("capture".into(), json!(file));
    facts.insert("connections".into(), json!(cut.len()));
    facts.insert("idle_min_s".into(), json!(crate::vocab::time::seconds(shortest)));
    facts.insert("idle_max_s".into(), json!(crate::vocab::time::seconds(longest)));
    facts.insert("same_age".into(), json!(same));
    Finding {
        title: format!("The packet capture shows {} reset after {} idle", crate::numbers::count(cut.len() as u64, "connection", "connections"), human_duration(shortest)),
        summary,
        fix: vec![
            step(
                "Ask the network team for the idle timeout of the firewalls between these hosts; lower the TCP keepalive time on the NetBackup hosts below it, or raise the timeout for NetBackup's ports.",
                Basis::Source(SourceId::Veritas100025745),
            ),
        ],
        facts,
        figures: vec![Figure::new("Idle before the reset", human_duration(shortest), "")],
        request: Some(Request {
            to: Owner::NetworkTeam,
            text: format!(
                "A packet capture shows TCP connections between {} and {} reset after {} idle. Please check the idle timeout of the firewalls between them for these ports.",
                first.client.ip, first.server.ip, human_duration(shortest)
            ),
        }),
        ..RULE.network_finding(Owner::NetworkTeam)
    }
}
