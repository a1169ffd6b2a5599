//! Clock offsets between hosts, from connections both sides logged.
//!
//! A media server logs `CONNECT FROM a TO b` and the client logs `ACCEPT FROM a TO b` for the
//! same connection (seed technote). Both happen within a fraction of a second of each other,
//! so the difference between the two timestamps is mostly the difference between the clocks.
//! The offset is the median over all such pairs; the spread says how far to trust it.

use super::{EvRef, HostId, Model};
use crate::facts::Fact;
use crate::parse::addr::SockAddr;
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

/// The first line of each side of each connection: NetBackup logs one connection several
/// times (`via VNETD: ... CONNECT`, `async CONNECT`, `logconnections: BPCD CONNECT`).
fn first_sides(model: &Model<'_>, accept: bool) -> BTreeMap<(SockAddr, SockAddr), Vec<EvRef>> {
    let mut sides: BTreeMap<(SockAddr, SockAddr), Vec<EvRef>> = BTreeMap::new();
    for r in model.events_where(|f| matches!(f, Fact::Connect { .. } | Fact::Accept { .. })) {
        let (from, to, is_accept) = match &model.event(r).fact {
            Fact::Connect { from, to } => (*from, *to, false),
            Fact::Accept { from, to } => (*from, *to, true),
            _ => continue,
        };
        if is_accept != accept || from.is_loopback() || to.is_loopback() {
            continue;
        }
        let list = sides.entry((from, to)).or_default();
        // Lines of one host within the window belong to the same connection.
        let same = list.last().is_some_and(|&prev| {
            model.host_of(prev) == model.host_of(r) && model.local_ms(r) - model.local_ms(prev) < PAIR_WINDOW_MS
        });
        if !same {
            list.push(r);
        }
    }
    sides
}

pub(super) fn pairs(model: &Model<'_>) -> Vec<ConnectionPair> {
    let connects = first_sides(model, false);
    let accepts = first_sides(model, true);
    let mut out = Vec::new();
    for (key, connect_list) in &connects {
        let Some(accept_list) = accepts.get(key) else { continue };
        for &connect in connect_list {
            let nearest = accept_list
                .iter()
                .filter(|&&a| model.host_of(a) != model.host_of(connect))
                .min_by_key(|&&a| ((model.local_ms(a) - model.local_ms(connect)).abs(), a));
            if let Some(&accept) = nearest {
                if (model.local_ms(accept) - model.local_ms(connect)).abs() < PAIR_WINDOW_MS {
                    out.push(ConnectionPair { connect, accept, from: key.0, to: key.1 });
                }
            }
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
