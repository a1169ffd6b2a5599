//! Packet captures beside the logs: which host took each capture, how each host's local log
//! times relate to the capture's UTC times, and the capture's connection behind a connect a
//! log names.
//!
//! A connection both record (a log's `CONNECT FROM a TO b` or `ACCEPT FROM a TO b`, and the
//! capture's connection between the same two addresses and ports) gives the difference between
//! the host's clock and UTC at one moment. Time zones are whole quarter hours (nbtriage's
//! reading: UTC offsets in use are multiples of 15 minutes); what is left over is the host's
//! clock skew. A host with no such connection gets an offset only through the skew the logs
//! measure against a host that has one (`clock.rs`); otherwise its connects are not paired
//! with the capture, and the capture's view says so.

use super::{HostId, Model};
use crate::facts::capture::{CaptureFacts, TcpConnection};
use crate::facts::Fact;
use std::net::IpAddr;

/// A zone is a whole number of these (nbtriage's reading of the world's UTC offsets).
const QUARTER_HOUR_MS: i64 = 15 * 60_000;
/// How far a log's connect may be from the capture's SYN, once the offset is applied, and still
/// be the same connection: nbtriage's threshold (the log writes its line after the call).
pub const PAIR_TOLERANCE_MS: i64 = 2_000;

/// How a host's log times relate to UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZoneOffset {
    /// Local minus UTC, in whole quarter hours.
    pub zone_ms: i64,
    /// What is left: the host's clock ahead of the capture's.
    pub skew_ms: i64,
    /// Connections both record (0: derived through the logs' own clock offsets).
    pub pairs: usize,
}

/// How the capture's host was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TakenBy {
    /// The host's addresses (from its logs) are in every connection of the capture.
    Addresses,
    /// The capture sits in the host's folder.
    Folder,
    Unknown,
}

#[derive(Debug, Clone)]
pub struct CaptureView {
    /// Index into [`Model::files`].
    pub file: usize,
    pub taken_on: Option<HostId>,
    pub taken_by: TakenBy,
    /// Per host (by index), where known.
    pub offsets: Vec<Option<ZoneOffset>>,
}

impl CaptureView {
    pub fn facts<'m>(&self, model: &'m Model<'_>) -> &'m CaptureFacts {
        // Only files with capture facts become views.
        model.files[self.file].facts.capture.as_deref().map_or(&EMPTY, |c| c)
    }
}

static EMPTY: CaptureFacts = CaptureFacts {
    container: String::new(),
    links: Vec::new(),
    frames: 0,
    tcp_segments: 0,
    cut_frames: 0,
    unread_frames: 0,
    first_us: None,
    last_us: None,
    untracked_segments: 0,
    connections: Vec::new(),
    stop: None,
};

pub(super) fn views(model: &Model<'_>) -> Vec<CaptureView> {
    let mut out = Vec::new();
    for (file, view) in model.files.iter().enumerate() {
        let Some(capture) = view.facts.capture.as_deref() else { continue };
        let (taken_on, taken_by) = match taken_on(model, capture) {
            Some(h) => (Some(h), TakenBy::Addresses),
            None if model.hosts[view.host.0].name.is_some() => (Some(view.host), TakenBy::Folder),
            None if folder_host(model, &view.facts.path).is_some() => {
                (folder_host(model, &view.facts.path), TakenBy::Folder)
            }
            None => (None, TakenBy::Unknown),
        };
        let offsets = offsets(model, capture);
        out.push(CaptureView { file, taken_on, taken_by, offsets });
    }
    out
}

/// A named host whose name is a folder of the capture's path (`client9/capture/x.pcap`).
pub(super) fn folder_host(model: &Model<'_>, path: &str) -> Option<HostId> {
    let folders: Vec<&str> = path.split(['/', '\\']).collect();
    let folders = &folders[..folders.len().saturating_sub(1)];
    model.hosts.iter().position(|h| h.name.as_deref().is_some_and(|n| folders.contains(&n))).map(HostId)
}

/// The host whose addresses are an end of every connection the capture followed.
fn taken_on(model: &Model<'_>, capture: &CaptureFacts) -> Option<HostId> {
    let conns = &capture.connections;
    (0..model.hosts.len()).map(HostId).find(|&h| {
        let ips = &model.hosts[h.0].ips;
        !ips.is_empty()
            && !conns.is_empty()
            && conns.iter().all(|c| ips.contains(&c.client.ip) || ips.contains(&c.server.ip))
    })
}

fn offsets(model: &Model<'_>, capture: &CaptureFacts) -> Vec<Option<ZoneOffset>> {
    let mut diffs: Vec<Vec<i64>> = vec![Vec::new(); model.hosts.len()];
    // A connection a host logs in several lines counts once, by its first line.
    let mut counted: std::collections::BTreeSet<(usize, usize)> = std::collections::BTreeSet::new();
    let both = model.events_where(|f| matches!(f, Fact::Connect { .. } | Fact::Accept { .. }));
    for r in both {
        let (Fact::Connect { from, to } | Fact::Accept { from, to }) = &model.event(r).fact else { continue };
        let found = capture
            .connections
            .iter()
            .position(|c| (c.client == *from && c.server == *to) || (c.client == *to && c.server == *from));
        if let Some(at) = found.filter(|&at| counted.insert((model.host_of(r).0, at))) {
            let c = &capture.connections[at];
            let seen_us = c.syn_ack_us.unwrap_or(c.first_us);
            diffs[model.host_of(r).0].push(model.local_ms(r) - seen_us.div_euclid(1000));
        }
    }
    let mut out: Vec<Option<ZoneOffset>> = diffs
        .iter_mut()
        .map(|d| {
            crate::order::sort(d);
            let median = *d.get(d.len() / 2)?;
            let zone_ms = (median as f64 / QUARTER_HOUR_MS as f64).round() as i64 * QUARTER_HOUR_MS;
            Some(ZoneOffset { zone_ms, skew_ms: median - zone_ms, pairs: d.len() })
        })
        .collect();
    // A host without a pair of its own: through the logs' measured offset to a host with one.
    let anchor = out.iter().position(|o| o.is_some()).map(HostId);
    for (h, slot) in out.iter_mut().enumerate() {
        let (Some(a), None) = (anchor, *slot) else { continue };
        let (Some(Some(a_clock)), Some(Some(h_clock))) = (model.clocks.get(a.0), model.clocks.get(h)) else { continue };
        let Some(a_zone) = diffs_zone(&diffs, a) else { continue };
        let total = a_zone + h_clock.offset_ms - a_clock.offset_ms;
        let zone_ms = (total as f64 / QUARTER_HOUR_MS as f64).round() as i64 * QUARTER_HOUR_MS;
        *slot = Some(ZoneOffset { zone_ms, skew_ms: total - zone_ms, pairs: 0 });
    }
    out
}

fn diffs_zone(diffs: &[Vec<i64>], h: HostId) -> Option<i64> {
    diffs.get(h.0).and_then(|d| d.get(d.len() / 2)).copied()
}

impl Model<'_> {
    /// The capture's connection behind a connect that `host`'s logs start at `local_ms` to
    /// `port` (on `remote` when the logs name it): the capture, the connection, and the host's
    /// offset. `None` when no capture has a known offset for the host, or no connection fits.
    pub fn captured_connect(
        &self,
        host: HostId,
        local_ms: i64,
        port: u16,
        remote: Option<IpAddr>,
    ) -> Option<(&CaptureView, &TcpConnection, ZoneOffset)> {
        let ips = &self.hosts[host.0].ips;
        self.captures.iter().find_map(|view| {
            let offset = (*view.offsets.get(host.0)?)?;
            let utc_ms = local_ms - offset.zone_ms - offset.skew_ms;
            let conn = view
                .facts(self)
                .connections
                .iter()
                .filter(|c| c.server.port == port && c.syns > 0)
                .filter(|c| remote.is_none_or(|ip| c.server.ip == ip) && (ips.is_empty() || ips.contains(&c.client.ip)))
                .filter_map(|c| Some((c, (c.first_syn_us?.div_euclid(1000) - utc_ms).abs())))
                .filter(|(_, gap)| *gap <= PAIR_TOLERANCE_MS)
                .min_by_key(|(_, gap)| *gap)?
                .0;
            Some((view, conn, offset))
        })
    }

    /// Whether some capture exists whose offset for `host` is unknown: a pairing was not tried.
    pub fn capture_offset_unknown(&self, host: HostId) -> bool {
        self.captures.iter().any(|v| v.offsets.get(host.0).copied().flatten().is_none())
    }
}
