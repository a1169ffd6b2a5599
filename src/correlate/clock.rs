//! Clock offsets between hosts, from connections both sides logged.
//!
//! A media server logs `CONNECT FROM a TO b` and the client logs `ACCEPT FROM a TO b` for the
//! same connection (seed technote). Both happen within a fraction of a second of each other,
//! so the difference between the two timestamps is mostly the difference between the clocks.
//! The offset is the median over all such pairs; the spread says how far to trust it.

use super::{EvRef, HostId, Model};
use crate::facts::Fact;
use crate::vocab::addr::SockAddr;
use std::collections::BTreeMap;

/// Connections whose two sides are more than this apart are a reused port, not a pair.
const PAIR_WINDOW_MS: i64 = 15 * 60_000;

/// One connection seen from both ends.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionPair {
    pub connect: EvRef,
    pub accept: EvRef,
    pub from: SockAddr,
    pub to: SockAddr,
}

/// How far a host's clock is ahead of the reference host's (negative: behind).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockOffset {
    pub offset_ms: i64,
    /// How many connection pairs the estimate rests on (0 for the reference host).
    pub pairs: usize,
    /// Smallest and largest single-pair estimates.
    pub spread_ms: (i64, i64),
}

type Side = ((SockAddr, SockAddr), usize, i64, EvRef);

/// The first line of each side of each connection, sorted by (from, to), host and time:
/// NetBackup logs one connection several times (`via VNETD: ... CONNECT`, `async CONNECT`,
/// `logconnections: BPCD CONNECT`). Plain sorted vectors: bundles hold hundreds of thousands.
fn first_sides(model: &Model<'_>, accept: bool) -> Vec<Side> {
    let mut sides: Vec<Side> = Vec::new();
    for r in model.threads.iter().flat_map(|t| t.events.iter().copied()) {
        let (from, to) = match (&model.event(r).fact, accept) {
            (Fact::Connect { from, to }, false) | (Fact::Accept { from, to }, true) => (*from, *to),
            _ => continue,
        };
        if !from.is_loopback() && !to.is_loopback() {
            sides.push(((from, to), model.host_of(r).0, model.local_ms(r), r));
        }
    }
    sides.sort_unstable();
    // Lines of one host within the window belong to the same connection.
    let mut kept: Vec<Side> = Vec::with_capacity(sides.len());
    for side in sides {
        let same = kept.last().is_some_and(|p| p.0 == side.0 && p.1 == side.1 && side.2 - p.2 < PAIR_WINDOW_MS);
        if !same {
            kept.push(side);
        }
    }
    kept
}

pub(super) fn pairs(model: &Model<'_>) -> Vec<ConnectionPair> {
    let connects = first_sides(model, false);
    let accepts = first_sides(model, true);
    let mut out = Vec::new();
    let mut a = 0;
    for c in &connects {
        while a < accepts.len() && accepts[a].0 < c.0 {
            a += 1;
        }
        // The accept of the same addresses on another host nearest in time.
        let nearest = accepts[a..]
            .iter()
            .take_while(|s| s.0 == c.0)
            .filter(|s| s.1 != c.1)
            .min_by_key(|s| ((s.2 - c.2).abs(), s.3));
        if let Some(s) = nearest.filter(|s| (s.2 - c.2).abs() < PAIR_WINDOW_MS) {
            out.push(ConnectionPair { connect: c.3, accept: s.3, from: c.0 .0, to: c.0 .1 });
        }
    }
    out
}

/// Offsets relative to a reference host: the host that made the most paired connections
/// (usually the media server), ties broken by host order.
pub(super) fn offsets(model: &Model<'_>) -> Vec<Option<ClockOffset>> {
    let n = model.hosts.len();
    let mut samples: BTreeMap<(usize, usize), Vec<i64>> = BTreeMap::new();
    let mut outgoing = vec![0usize; n];
    for p in &model.pairs {
        let (a, b) = (model.host_of(p.connect).0, model.host_of(p.accept).0);
        let delta = model.local_ms(p.accept) - model.local_ms(p.connect);
        samples.entry((a, b)).or_default().push(delta);
        samples.entry((b, a)).or_default().push(-delta);
        outgoing[a] += 1;
    }
    let mut result: Vec<Option<ClockOffset>> = vec![None; n];
    if samples.is_empty() {
        return result;
    }
    let reference = (0..n).max_by_key(|&h| (outgoing[h], std::cmp::Reverse(h))).unwrap_or(0);
    result[reference] = Some(ClockOffset { offset_ms: 0, pairs: 0, spread_ms: (0, 0) });
    // Breadth-first from the reference: each host's offset through its best-measured link.
    let mut queue = vec![reference];
    while let Some(a) = queue.pop() {
        let base = result[a].map_or(0, |c| c.offset_ms);
        for ((from, to), deltas) in samples.range((a, 0)..(a + 1, 0)) {
            debug_assert_eq!(*from, a);
            if result[*to].is_some() {
                continue;
            }
            let mut sorted = deltas.clone();
            sorted.sort_unstable();
            let median = sorted[sorted.len() / 2];
            let median = if sorted.len() % 2 == 0 { (median + sorted[sorted.len() / 2 - 1]) / 2 } else { median };
            result[*to] = Some(ClockOffset {
                offset_ms: base + median,
                pairs: sorted.len(),
                spread_ms: (base + sorted[0], base + sorted[sorted.len() - 1]),
            });
            queue.insert(0, *to);
        }
    }
    result
}

impl Model<'_> {
    /// The reference host of the clock offsets, if any were measured.
    pub fn clock_reference(&self) -> Option<HostId> {
        self.clocks.iter().position(|c| c.is_some_and(|c| c.pairs == 0)).map(HostId)
    }
}
