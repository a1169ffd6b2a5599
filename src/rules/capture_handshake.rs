//! `capture-handshake`: what a packet capture shows of connections to NetBackup's ports that
//! never got through: a silent drop (SYNs sent again and again, no answer) or a refusal (a
//! reset), and a reset unlike the peer's own packets (a device between the hosts). Read from
//! the capture alone; the PBX and firewall rules say whether it confirms their reading.

use super::capture_words::{seen_words, taken_words, Seen};
use super::{Rule, RuleDoc};
use crate::catalogue::{step, Basis, SignatureId, SourceId};
use crate::correlate::{CaptureView, Model};
use crate::facts::capture::{utc, TcpConnection};
use crate::knowledge::{BPCD_PORT, PBX_PORT, VNETD_PORT};
use crate::numbers::count;
use crate::report::{Area, Figure, Finding, Owner, Request, Role};
use serde_json::json;
use std::collections::BTreeMap;
use std::net::IpAddr;

const EXPLAINS: &[SignatureId] = &[];

pub static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "capture-handshake",
        title: "A packet capture shows connections to NetBackup's ports that were dropped or refused",
        meaning: "A connection starts with a SYN; the other host answers with a SYN-ACK, or refuses with a reset. \
A SYN sent again and again with no answer at all was lost or discarded on the way (a firewall that drops \
it, among other causes); a reset answering a SYN is a refusal: nothing listens on the port, or something rejects it. \
A reset whose TTL differs from the TTL of that host's own packets may come from a device between the hosts.",
        evidence: "A pcap or pcapng file: a connection to port 1556, 13724 or 13782 with SYNs and no SYN-ACK, \
with or without a reset from the other side.",
        fix: "For a silent drop, find the device that discards the SYNs (a capture on the other host shows whether \
they arrive). For a refusal, check that NetBackup's services listen there, then the firewalls.",
        sources: &[
            SourceId::GlobalknowledgeSynRetransmission,
            SourceId::LucasTcpdumpFlags,
            SourceId::WiresharkTcpAnalysis,
            SourceId::Veritas100024894,
        ],
        caveats: "A capture taken on one host shows what left it and what came back, not where a packet was lost. \
That a reset with another TTL comes from a device between the hosts is nbtriage's inference: a host may also \
answer with another TTL from another part of its stack.",
    },
    area: Area::Network,
    role: Role::Cause,
    check,
    explains: EXPLAINS,
    positive: &["capture-silent-drop", "capture-refused"],
    negative: &["healthy", "seed-technote"],
};

/// A capture that ends this soon after an unanswered SYN may have ended before the answer:
/// nbtriage's threshold (three SYN retransmissions of RFC 6298's one second, doubled).
const ANSWER_WAIT_MS: i64 = 7_000;

fn check(model: &Model<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for view in &model.captures {
        let capture = view.facts(model);
        let end_us = capture.last_us.unwrap_or(0);
        let mut groups: BTreeMap<(IpAddr, IpAddr, u16, bool), Vec<&TcpConnection>> = BTreeMap::new();
        for c in &capture.connections {
            let nbu = matches!(c.server.port, PBX_PORT | VNETD_PORT | BPCD_PORT);
            let seen = Seen::of(c);
            let waited = c.first_syn_us.is_some_and(|s| (end_us - s) / 1000 >= ANSWER_WAIT_MS || c.syns > 1);
            if nbu && c.syns > 0 && (seen == Seen::Reset || (seen == Seen::Silence && waited)) {
                groups.entry((c.client.ip, c.server.ip, c.server.port, seen == Seen::Reset)).or_default().push(c);
            }
        }
        let mut groups: Vec<_> = groups.into_iter().collect();
        let rest = if groups.len() > MAX_PAIRS {
            // Many pairs of hosts (a capture on a busy server): the largest get a finding each,
            // the rest one together, so that a few thousand clients do not make as many cards.
            crate::order::sort_by(&mut groups, |a, b| b.1.len().cmp(&a.1.len()));
            groups.split_off(MAX_PAIRS - 1)
        } else {
            Vec::new()
        };
        for ((_, server, _, _), conns) in groups {
            out.push(finding(model, view, &conns, server_ttl(&capture.connections, server)));
        }
        if !rest.is_empty() {
            out.push(more_pairs(model, view, &rest));
        }
    }
    out
}

/// Pairs of hosts (with the port and what was seen) that get a finding of their own; past it,
/// the smaller ones share one: nbtriage's threshold.
const MAX_PAIRS: usize = 6;

/// Pairs listed by name in the finding for the rest: nbtriage's threshold.
const PAIRS_NAMED: usize = 10;

type Pair<'c> = ((IpAddr, IpAddr, u16, bool), Vec<&'c TcpConnection>);

/// One finding for the pairs of hosts past the first few, largest first.
fn more_pairs(model: &Model<'_>, view: &CaptureView, rest: &[Pair<'_>]) -> Finding {
    let file = &model.files[view.file].facts.path;
    let connections: usize = rest.iter().map(|(_, conns)| conns.len()).sum();
    let syns: u32 = rest.iter().flat_map(|(_, conns)| conns.iter().map(|c| c.syns)).sum();
    let named: Vec<String> = rest
        .iter()
        .take(PAIRS_NAMED)
        .map(|((client, server, port, reset), conns)| {
            let what = if *reset { "refused" } else { "never answered" };
            format!("{} to {} port {port} ({} {what})", name(model, *client), name(model, *server), conns.len())
        })
        .collect();
    let unnamed = rest.len().saturating_sub(PAIRS_NAMED);
    let summary = format!(
        "In {file}, {} between {} more pairs of hosts were refused or never answered, beside the pairs with a finding of their own: {}{}.",
        count(connections as u64, "connection", "connections"),
        rest.len(),
        named.join("; "),
        if unnamed > 0 { format!("; and {} more", count(unnamed as u64, "pair", "pairs")) } else { String::new() },
    );
    let (silent, refused) = (rest.iter().any(|((.., reset), _)| !reset), rest.iter().any(|((.., reset), _)| *reset));
    let mut fix = if silent { self::fix(Seen::Silence, false) } else { Vec::new() };
    if refused {
        fix.extend(self::fix(Seen::Reset, false));
    }
    let mut facts = BTreeMap::new();
    facts.insert("capture".into(), json!(file));
    facts.insert("connections".into(), json!(connections));
    facts.insert("pairs".into(), json!(rest.len()));
    facts.insert("syns".into(), json!(syns));
    Finding {
        title: format!(
            "The packet capture shows {} to NetBackup's ports refused or never answered between {} more pairs of hosts",
            count(connections as u64, "connection", "connections"),
            rest.len()
        ),
        summary,
        fix,
        facts,
        figures: vec![
            Figure::new("Connections", connections.to_string(), ""),
            Figure::new("Pairs of hosts", rest.len().to_string(), ""),
        ],
        request: Some(Request {
            to: Owner::NetworkTeam,
            text: format!(
                "A packet capture shows TCP connections to NetBackup's ports between {} pairs of hosts refused or never answered ({}). Please check the firewalls and other devices between them for these ports, in both directions.",
                rest.len(),
                named.join("; ")
            ),
        }),
        ..RULE.network_finding(Owner::NetworkTeam)
    }
}

/// The TTL of a host's own packets (its first SYN-ACK or other segment that is not a reset).
fn server_ttl(conns: &[TcpConnection], ip: IpAddr) -> Option<u8> {
    conns.iter().filter(|c| c.server.ip == ip).find_map(|c| c.server_ttl)
}

fn name(model: &Model<'_>, ip: IpAddr) -> String {
    model.host_by_ip(ip).map_or(ip.to_string(), |h| format!("{} ({ip})", model.host(h).short()))
}

fn finding(model: &Model<'_>, view: &CaptureView, conns: &[&TcpConnection], own_ttl: Option<u8>) -> Finding {
    let first = conns[0];
    let seen = Seen::of(first);
    let (from, to, port) = (name(model, first.client.ip), name(model, first.server.ip), first.server.port);
    let file = &model.files[view.file].facts.path;
    let syns: u32 = conns.iter().map(|c| c.syns).sum();
    let middle = match (seen, first.reset_ttl, own_ttl) {
        (Seen::Reset, Some(reset), Some(own)) if reset != own => Some((reset, own)),
        _ => None,
    };
    let what = if seen == Seen::Reset { "refused (a TCP reset)" } else { "never answered (a silent drop)" };
    let mut summary = format!(
        "In {file}, {} from {from} to {to} port {port} {} {what}. The first, at {}: {}. {}.",
        count(conns.len() as u64, "connection", "connections"),
        if conns.len() == 1 { "was" } else { "were" },
        first.first_syn_us.map_or(String::new(), utc),
        seen_words(first, seen),
        super::words::capitalized(&taken_words(model, view.taken_on, view.taken_by)),
    );
    if let Some(client) = model.host_by_ip(first.client.ip) {
        summary += &super::capture_words::vantage(model, view.taken_on, client, seen);
    }
    if let Some((reset, own)) = middle {
        summary += &format!(
            " The reset came with TTL {reset}, while {to}'s own packets in the capture carry TTL {own}: it may come from a device between the hosts rather than from {to} itself."
        );
    }
    let mut facts = BTreeMap::new();
    facts.insert("capture".into(), json!(file));
    facts.insert("connections".into(), json!(conns.len()));
    facts.insert("syns".into(), json!(syns));
    facts.insert("seen".into(), json!(if seen == Seen::Reset { "reset" } else { "no-answer" }));
    facts.insert("port".into(), json!(port));
    facts.insert("reset_ttl".into(), json!(first.reset_ttl));
    facts.insert("peer_ttl".into(), json!(own_ttl));
    Finding {
        title: format!("The packet capture shows connections from {from} to {to} port {port} {what}"),
        summary,
        fix: fix(seen, middle.is_some()),
        facts,
        figures: vec![
            Figure::new("Connections", conns.len().to_string(), ""),
            Figure::new("SYNs sent", syns.to_string(), ""),
        ],
        request: Some(Request {
            to: Owner::NetworkTeam,
            text: format!(
                "A packet capture shows TCP connections from {} to {} port {port} {what}. Please check the firewalls and other devices between these hosts for this port, in both directions.",
                first.client.ip, first.server.ip
            ),
        }),
        collect: vec!["A capture on the other host at the same time (`tcpdump -i any -w other.pcap port 1556 or port 13724 or port 13782`), to see whether the SYNs arrive there.".into()],
        ..RULE.network_finding(Owner::NetworkTeam)
    }
}

fn fix(seen: Seen, middle: bool) -> Vec<String> {
    let mut steps = Vec::new();
    if seen == Seen::Silence {
        steps.push(step(
            "SYNs with no answer at all: a firewall on either side or a router between may discard them. Ask the network team to find the device that drops them (a capture on the other host shows whether they arrive).",
            Basis::Source(SourceId::GlobalknowledgeSynRetransmission),
        ));
        steps.push(step(
            "Open the port in both directions between the two hosts; if it must stay closed for PBX (1556), make the firewall reject rather than drop, so NetBackup falls back to vnetd at once.",
            Basis::Source(SourceId::Veritas100024894),
        ));
    } else {
        steps.push(step(
            "A reset in answer to a SYN is a refusal: check that NetBackup's services run and listen on the port on the other host (`netstat -an`).",
            Basis::Source(SourceId::LucasTcpdumpFlags),
        ));
    }
    if middle {
        steps.push(step(
            "The reset's TTL differs from the other host's own packets: ask the network team which device between the hosts resets these connections.",
            Basis::Practice,
        ));
    }
    steps
}
