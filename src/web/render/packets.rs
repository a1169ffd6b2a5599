//! "Show this connection's packets": on a card whose finding a capture settles, a button that
//! asks the worker for the connection's packets (read again from the capture) and shows them
//! in the log viewer, interleaved by time with the log lines of the connection's hosts (the
//! viewer's row filter, as for a job's thread); "Show all lines" lifts it.
//!
//! The connection is the finding's own: the addresses of its `packets` mark, else the first
//! two a capture finding's summary names (`2.2.2.2.3582 ... 3.3.3.3.1556`); the packets listed
//! are those between the two hosts to the server's port. Every `packets` mark of the report
//! lets the worker find the capture's offset from the logs' clocks.

use crate::report::{Finding, MarkKind, Report};
use crate::viewer::{Anchor, PacketPick, ThreadHost};
use crate::web::dom::{add, attr};
use crate::web::state::with_app;

/// A socket address as the report writes it (`2.2.2.2.3582`, an IPv6 address and `.port`):
/// the address and the port, read from the text alone (the worker parses the address; the
/// page's module carries no address parser).
fn sock(word: &str) -> Option<(&str, u16)> {
    let (ip, port) = word.rsplit_once('.')?;
    let port = port.parse().ok()?;
    let octets: Vec<&str> = ip.split('.').collect();
    let v4 =
        octets.len() == 4 && octets.iter().all(|o| (1..=3).contains(&o.len()) && o.bytes().all(|b| b.is_ascii_digit()));
    let v6 = ip.contains(':') && ip.bytes().all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
    (v4 || v6).then_some((ip, port))
}

/// The first two socket addresses `text` names, whole (`2.2.2.2.3582`).
fn two_ends(text: &str) -> Option<(&str, &str)> {
    let mut found = text.split_whitespace().filter_map(|word| {
        let word = word.trim_matches(|c: char| matches!(c, ',' | ';' | ':' | '(' | ')'));
        let word = word.strip_suffix('.').unwrap_or(word);
        sock(word).map(|_| word)
    });
    Some((found.next()?, found.next()?))
}

/// The connection a finding names: its packets mark's, else, for a capture finding, its
/// facts' sender and receiver (a zero window) or its summary's first two addresses.
fn ends(f: &Finding) -> Option<(&str, &str)> {
    let mark = f.marks.iter().find(|m| m.kind == MarkKind::Packets).and_then(|m| two_ends(&m.label));
    let fact = |key: &str| f.facts.get(key)?.as_str().filter(|t| sock(t).is_some());
    let capture = || {
        let facts = fact("sender").zip(fact("receiver"));
        facts.or_else(|| two_ends(&f.summary)).filter(|_| f.rule.starts_with("capture-"))
    };
    mark.or_else(capture)
}

/// A card's "Show this connection's packets", when its finding names a connection; handled by
/// delegation (`super::wire`), from the original report.
pub fn button(card: &web_sys::Element, f: &Finding, index: usize) {
    // A redacted finding's addresses are pseudonyms: the original's say.
    let original = || {
        let (report, redact) = with_app(|app| (app.report.clone(), app.redact));
        redact && report.is_some_and(|r| r.findings.get(index).is_some_and(|f| ends(f).is_some()))
    };
    if ends(f).is_some() || original() {
        let button = add(card, "button", "packets-button", "Show this connection's packets");
        attr(&button, "type", "button");
        attr(&button, "data-packets", &index.to_string());
    }
}

/// The pick of finding `i`'s connection, read from the report with its original names (the
/// worker's); the worker redacts the rows when the page shows names redacted.
fn pick(report: &Report, i: usize, redact: bool) -> Option<PacketPick> {
    let f = report.findings.get(i)?;
    let ((client, _), (server, port)) = ends(f).and_then(|(c, s)| Some((sock(c)?, sock(s)?)))?;
    let offset = |host: &str| {
        report.hosts.iter().find(|h| h.name.as_deref() == Some(host)).and_then(|h| h.clock_offset_ms).unwrap_or(0)
    };
    let anchors = report
        .findings
        .iter()
        .flat_map(|f| &f.marks)
        .filter(|m| m.kind == MarkKind::Packets)
        .filter_map(|m| {
            let (client, server) = two_ends(&m.label)?;
            Some(Anchor {
                client: client.into(),
                server: server.into(),
                at_ms: m.start_ms,
                host_offset_ms: offset(&m.host),
            })
        })
        .collect();
    let hosts = report
        .hosts
        .iter()
        .filter(|h| h.ips.iter().any(|ip| ip == client || ip == server))
        .filter_map(|h| Some(ThreadHost { name: h.name.clone()?, offset_ms: h.clock_offset_ms }))
        .collect();
    let capture = f.facts.get("capture").and_then(|c| c.as_str()).unwrap_or_default().to_string();
    Some(PacketPick {
        label: format!("the packets from {client} to {server} port {port}"),
        capture,
        client: client.into(),
        server: server.into(),
        port: Some(port),
        anchors,
        hosts,
        redact,
    })
}

/// Shows finding `i`'s connection's packets in the log viewer.
pub fn show(i: usize) {
    let (report, redact) = with_app(|app| (app.report.clone(), app.redact));
    if let Some(pick) = report.and_then(|r| pick(&r, i, redact)) {
        super::viewer::show_packets(pick);
    }
}
