//! `capture-zero-window`: a packet capture shows a receiver's TCP window closed (zero) and
//! staying closed: the receiving side stopped taking data, and the sender waited (the stall a
//! writer's "broken pipe" may end).

use super::capture_words::taken_words;
use super::{Rule, RuleDoc};
use crate::catalogue::{step, Basis, SignatureId, SourceId};
use crate::correlate::{CaptureView, Model};
use crate::facts::capture::{utc, TcpConnection};
use crate::report::{Area, Figure, Finding, Owner, Role};
use crate::vocab::time::human_duration;
use serde_json::json;
use std::collections::BTreeMap;

const EXPLAINS: &[SignatureId] = &[];

pub static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "capture-zero-window",
        title: "A packet capture shows a receiver that stopped taking data (its TCP window stayed at zero)",
        meaning: "A receiver that cannot take more data advertises a zero window and the sender pauses; Wireshark's \
guide says this in most cases points to a performance or capacity problem on the receiving end, and that a paused \
connection may take minutes to resume. A window that stays closed is a stall: a writer on the other side waits, and \
may fail when the connection is finally closed (a broken pipe, status 24).",
        evidence: "A pcap or pcapng file: a TCP connection whose receive window on one side went to zero and stayed \
there for 30 s or more (or until the capture ended).",
        fix: "Look at the receiving host at that time: the process that reads the connection (bptm on a media server, \
bpbkar's reader), its storage, its load.",
        sources: &[SourceId::WiresharkTcpAnalysis],
        caveats: "Which process owned the connection is not in the capture. That the stall led to a later broken pipe \
is nbtriage's reading when both are there; the 30 s are nbtriage's threshold.",
    },
    area: Area::Network,
    role: Role::Cause,
    check,
    explains: EXPLAINS,
    positive: &["capture-zero-window"],
    negative: &["healthy", "capture-silent-drop"],
};

/// A zero window held this long is a stall, not a pause: nbtriage's threshold.
const STALL_MS: i64 = 30_000;

fn check(model: &Model<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for view in &model.captures {
        for c in &view.facts(model).connections {
            if let Some(side) = (0..2).find(|&s| c.longest_zero_us[s] / 1000 >= STALL_MS) {
                out.push(finding(model, view, c, side));
            }
        }
    }
    out
}

fn finding(model: &Model<'_>, view: &CaptureView, c: &TcpConnection, side: usize) -> Finding {
    let (receiver, sender) = if side == 0 { (c.client, c.server) } else { (c.server, c.client) };
    let name = |ip| model.host_by_ip(ip).map_or(ip.to_string(), |h| format!("{} ({ip})", model.host(h).short()));
    let (rx, tx) = (name(receiver.ip), name(sender.ip));
    let held = human_duration(c.longest_zero_us[side] / 1000);
    let still = c.zero_since_us[side].is_some();
    let ending = match (still, c.resets) {
        (true, [0, 0]) => ", and was still closed when the capture ended",
        (true, _) => ", until the connection was reset",
        (false, _) => ", then opened again",
    };
    let file = &model.files[view.file].facts.path;
    let summary = format!(
        "In {file}, the TCP window that {rx} (port {}) advertises to {tx} went to zero{} and stayed closed for {held}{ending}: \
{rx} stopped taking data, and {tx} sent {} while it waited. Wireshark's guide reads a zero window as, in most cases, a \
performance or capacity problem on the receiving end. {}.",
        receiver.port,
        c.zero_since_us[side].map_or(String::new(), |us| format!(" at {}", utc(us))),
        crate::numbers::count(u64::from(c.window_probes[1 - side]), "window probe", "window probes"),
        super::words::capitalized(&taken_words(model, view.taken_on, view.taken_by)),
    );
    let mut facts = BTreeMap::new();
    facts.insert("capture".into(), json!(file));
    facts.insert("receiver".into(), json!(receiver.to_string()));
    facts.insert("sender".into(), json!(sender.to_string()));
    facts.insert("zero_window_s".into(), json!(crate::vocab::time::seconds(c.longest_zero_us[side] / 1000)));
    facts.insert("still_closed".into(), json!(still));
    facts.insert("window_probes".into(), json!(c.window_probes[1 - side]));
    Finding {
        title: format!("The packet capture shows {rx} stopped taking data from {tx} for {held} (a zero TCP window)"),
        summary,
        fix: vec![
            step(
                "Look at the receiving host at that time: the process that reads this connection, its disk or storage, and its load; a zero window means the receiving side stopped taking data.",
                Basis::Source(SourceId::WiresharkTcpAnalysis),
            ),
            step(
                "If the sending side's log ends in a broken pipe (status 24) after this stall, treat the stall as its likely cause and collect the receiving host's logs for the same minutes.",
                Basis::Practice,
            ),
        ],
        facts,
        figures: vec![Figure::new("Window closed", held, "")],
        request: None,
        collect: vec!["The receiving host's logs for the same minutes (bptm on a media server, VERBOSE 5).".into()],
        ..RULE.network_finding(Owner::BackupAdmin)
    }
}
