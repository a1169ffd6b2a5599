//! What a packet capture says about connects the logs name: the sentence the PBX and firewall
//! findings add ("confirmed by the capture", "the capture contradicts it"), and the marks of
//! the connections on the host lanes.

use crate::correlate::{ConnectAttempt, HostId, Model, TakenBy, ZoneOffset};
use crate::facts::capture::TcpConnection;
use crate::report::{Mark, MarkKind};
use crate::vocab::time::human_duration;

/// What the log's own reading of an attempt expects the packets to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// No answer at all (a firewall that discards).
    Silence,
    /// A reset (nothing listening, or a firewall that rejects).
    Reset,
}

/// What the packets show for one connect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    Silence,
    Reset,
    Handshake,
}

impl Seen {
    pub fn of(c: &TcpConnection) -> Seen {
        match (c.syn_ack_us, c.resets[1]) {
            (Some(_), _) => Seen::Handshake,
            (None, 1..) => Seen::Reset,
            (None, 0) => Seen::Silence,
        }
    }
}

/// The capture's verdict on some of a host's attempts, in words, with its marks.
pub struct CaptureSays {
    /// "confirmed" or "contradicted".
    pub agrees: &'static str,
    /// The summary's added sentences, with a leading space.
    pub sentence: String,
    pub marks: Vec<Mark>,
}

/// What a capture says about `attempts` of `host` to `port` (on `target` when known), or why
/// it cannot say: `None` when no capture is in the bundle.
pub fn says(
    model: &Model<'_>,
    host: HostId,
    attempts: &[&ConnectAttempt],
    port: Option<u16>,
    target: Option<std::net::IpAddr>,
    expect: Expect,
) -> Option<CaptureSays> {
    if model.captures.is_empty() {
        return None;
    }
    let found = attempts.iter().find_map(|a| {
        let local = model.local_ms(a.start);
        let ports: &[u16] = match port {
            Some(p) => &[p][..],
            None => &[crate::knowledge::PBX_PORT, crate::knowledge::VNETD_PORT, crate::knowledge::BPCD_PORT][..],
        };
        ports.iter().find_map(|&p| model.captured_connect(host, local, p, target)).map(|(v, c, o)| (a, v, c, o))
    });
    let Some((attempt, view, conn, offset)) = found else {
        let why = if model.capture_offset_unknown(host) {
            format!(
                " A packet capture is in the bundle, but its times (UTC) cannot be placed on {}'s log clock: no connection is recorded by both, so the capture is not paired with these connects.",
                model.host(host).short()
            )
        } else {
            " The packet capture in the bundle shows no connection that fits these connects.".to_string()
        };
        return Some(CaptureSays { agrees: "unpaired", sentence: why, marks: Vec::new() });
    };
    let seen = Seen::of(conn);
    let what = seen_words(conn, seen);
    let agrees = matches!((expect, seen), (Expect::Silence, Seen::Silence) | (Expect::Reset, Seen::Reset));
    let lead = if agrees { "Confirmed by the capture" } else { "The capture contradicts it" };
    let sentence = format!(
        " {lead}: {what} ({}; {}).{}",
        offset_words(model, host, offset),
        taken_words(model, view.taken_on, view.taken_by),
        vantage(model, view.taken_on, host, seen),
    );
    let mark = packets_mark(model, attempt, conn, offset, &what);
    Some(CaptureSays { agrees: if agrees { "confirmed" } else { "contradicted" }, sentence, marks: vec![mark] })
}

/// The packets of one connect, in words.
pub fn seen_words(c: &TcpConnection, seen: Seen) -> String {
    let span = match (c.first_syn_us, c.last_syn_us) {
        (Some(a), Some(b)) if b > a => format!(" over {}", human_duration((b - a) / 1000)),
        _ => String::new(),
    };
    let syns = crate::numbers::count(u64::from(c.syns), "SYN", "SYNs");
    match seen {
        Seen::Silence => {
            format!("{} sent {syns}{span} to {} and got no answer at all (a silent drop)", c.client, c.server)
        }
        Seen::Reset => format!("{} sent {syns} to {}, which answered with a reset (a refusal)", c.client, c.server),
        Seen::Handshake => format!(
            "the handshake from {} to {} completed{}",
            c.client,
            c.server,
            c.handshake_rtt_us.map_or(String::new(), |us| format!(" in {:.1} ms", us as f64 / 1000.0))
        ),
    }
}

fn offset_words(model: &Model<'_>, host: HostId, o: ZoneOffset) -> String {
    let zone = o.zone_ms / 60_000;
    let sign = if zone < 0 { '-' } else { '+' };
    let how = if o.pairs > 0 {
        crate::numbers::count(o.pairs as u64, "connection both record", "connections both record")
    } else {
        "the logs' own clock offsets".to_string()
    };
    format!(
        "{}'s logs run at UTC{sign}{:02}:{:02} with its clock {} {}, found from {how}",
        model.host(host).short(),
        zone.abs() / 60,
        zone.abs() % 60,
        human_duration(o.skew_ms),
        if o.skew_ms < 0 { "behind" } else { "ahead" },
    )
}

/// Which host took the capture, and how nbtriage knows.
pub fn taken_words(model: &Model<'_>, taken_on: Option<HostId>, by: TakenBy) -> String {
    match (taken_on, by) {
        (Some(h), TakenBy::Addresses) => {
            format!("the capture was taken on {}: its addresses are in every connection", model.host(h).short())
        }
        (Some(h), _) => format!("the capture was taken on {}, by its folder", model.host(h).short()),
        (None, _) => "which host took the capture is not known".into(),
    }
}

/// What a capture taken on one host cannot see.
pub fn vantage(model: &Model<'_>, taken_on: Option<HostId>, client: HostId, seen: Seen) -> String {
    match (taken_on, seen) {
        (Some(h), Seen::Silence) if h == client => format!(
            " Taken on {}, it shows the SYNs leaving and nothing coming back; it cannot tell whether they reached the other host and its answer was lost, or never arrived (a capture there would).",
            model.host(h).short()
        ),
        (Some(h), Seen::Reset) if h == client => format!(
            " Taken on {}, it cannot tell whether the other host or a device between them sent the reset.",
            model.host(h).short()
        ),
        _ => String::new(),
    }
}

/// The connection on the client host's lane, at its first SYN on that host's clock.
fn packets_mark(model: &Model<'_>, attempt: &ConnectAttempt, c: &TcpConnection, o: ZoneOffset, what: &str) -> Mark {
    let to_local = |us: i64| us.div_euclid(1000) + o.zone_ms + o.skew_ms;
    let host = model.threads[attempt.thread].host;
    let start = c.first_syn_us.unwrap_or(c.first_us);
    let end = c.syn_ack_us.or(c.first_reset_us).unwrap_or(c.last_us);
    let mut mark = super::cite::mark(model, attempt.start, MarkKind::Packets, None, format!("capture: {what}"));
    mark.start_ms = to_local(start) - model.clock_offset_ms(host);
    mark.end_ms = Some(mark.start_ms + (end - start).div_euclid(1000));
    mark
}
