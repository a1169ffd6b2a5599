//! Decides which of a file's events to keep, so that a file's facts stay bounded by what the
//! diagnosis can use rather than growing with the file.
//!
//! A VERBOSE bpbrm or bpcd log makes thousands of routine connections a day. Each one logs
//! the same few fact lines, and none of them can matter to a finding:
//! - a connect that got through within [`MIN_SILENT_WAIT_MS`] of its `connect in progress: 1`
//!   (with the `service:` line before it) is dropped; only its CONNECT line may stay, sampled;
//! - CONNECT and ACCEPT lines only serve to pair the two ends of a connection for clock
//!   offsets (and the local IP for the host), so past `Limits::sampled_connections` per file they are
//!   sampled by a hash of their addresses: both ends of one connection hash alike, so the pairs
//!   that survive on both hosts are the same, and a median over thousands is as good as over all.
//!   Connections to the legacy daemon ports (vnetd 13724, bpcd 13782: reference §4) are never
//!   sampled away: they are what a fallback from PBX makes, so the diagnosis needs both ends;
//! - `EXIT STATUS 0` is success: the verdict needs one such line to call a bundle clean, so the
//!   first is kept and the others only counted ([`Retention::successes`]).
//!
//! Anything else (errors, waits, fallbacks, forward sockets, failures) is kept. Every decision
//! depends on the sequence of events alone, never on chunk boundaries, so the invariant "same
//! bytes, same facts" holds.
//!
//! Events wait in a queue, in file order, until their fate is known: a routine connect is only
//! routine once its CONNECT arrives. The queue is bounded (`Limits::queued_events`); an event forced out
//! of it is kept, the safe side.

use super::limits::{Cap, CapsReached, Limits};
use super::{Event, Fact};
use crate::knowledge::MIN_SILENT_WAIT_MS;
use crate::vocab::addr::SockAddr;
use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;

/// Connections to these ports (vnetd, bpcd) are kept whole: a PBX fallback goes there.
const LEGACY_DAEMON_PORTS: [u16; 2] = [13724, 13782];

type ThreadKey = (u32, Option<u32>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Undecided,
    Keep,
    /// Kept as one of the sampled CONNECT/ACCEPT lines (may be dropped later, as sampling thins).
    Sampled,
    Drop,
}

/// The events of one thread's connect so far: an optional `service:` line, then an optional
/// `connect in progress: 1`. Positions are sequence numbers in the queue.
#[derive(Debug, Default)]
struct OpenConnect {
    service: Option<u64>,
    progress: Option<(u64, i64)>,
}

impl OpenConnect {
    fn members(&self) -> impl Iterator<Item = u64> {
        self.service.into_iter().chain(self.progress.map(|p| p.0))
    }
}

/// Its caps are [`Limits`]'s `sampled_connections`, `queued_events`, `signature_lines` and
/// `open_connects`; lines of a signature beyond those kept are counted in
/// [`Retention::signature_counts`].
#[derive(Debug, Default)]
pub(crate) struct Retention {
    limits: Limits,
    /// The caps reached so far.
    pub reached: CapsReached,
    queue: VecDeque<(Event, Fate)>,
    /// Sequence number of the queue's front.
    front_seq: u64,
    open: HashMap<ThreadKey, OpenConnect>,
    /// Sampled CONNECT/ACCEPT lines already moved out (their line numbers, in file order).
    sampled_out: Vec<u64>,
    /// Sampled lines still in the queue.
    sampled_queued: usize,
    /// A CONNECT/ACCEPT is sampled when the low `sample_bits` bits of its hash are zero.
    sample_bits: u32,
    /// Lines matched per catalogue signature (by index), kept or not.
    signature_hits: std::collections::BTreeMap<usize, u64>,
    /// Lines that record a success (status 0), kept or not.
    successes: u64,
    /// Lines that state a status on their own, kept or not (as many kept as of a signature).
    stated_hits: u64,
}

impl Retention {
    pub fn new(limits: Limits) -> Self {
        Retention { limits, ..Retention::default() }
    }

    /// Takes the next event of the file; events whose fate is known move on to `kept`.
    pub fn push(&mut self, event: Event, kept: &mut Vec<Event>) {
        let seq = self.front_seq + self.queue.len() as u64;
        let thread = (event.pid, event.tid);
        let fate = match &event.fact {
            fact if fact.records_success() => {
                // One success line is evidence enough; busy logs have many.
                self.successes += 1;
                if self.successes == 1 {
                    Fate::Keep
                } else {
                    Fate::Drop
                }
            }
            Fact::Signature { pattern, .. } => {
                // The first hits of each signature make its finding; the rest are only counted.
                let rule = crate::catalogue::PATTERNS.get(usize::from(*pattern)).map_or(usize::MAX, |p| p.rule);
                let seen = self.signature_hits.entry(rule).or_insert(0);
                *seen += 1;
                if *seen > self.limits.signature_lines {
                    self.reached.mark(Cap::SignatureLines);
                    Fate::Drop
                } else {
                    Fate::Keep
                }
            }
            Fact::StatedStatus { .. } => {
                self.stated_hits += 1;
                if self.stated_hits > self.limits.signature_lines {
                    self.reached.mark(Cap::SignatureLines);
                    Fate::Drop
                } else {
                    Fate::Keep
                }
            }
            Fact::ServiceConnect { .. } => {
                let open = self.open.remove(&thread).unwrap_or_default();
                if open.progress.is_some() {
                    self.settle(open.members(), Fate::Keep);
                } else {
                    // A service line with no connect after it is superseded by this one.
                    self.settle(open.members(), Fate::Drop);
                }
                self.follow(thread, OpenConnect { service: Some(seq), progress: None })
            }
            Fact::ConnectInProgress { round: 1 } => {
                let mut open = self.open.remove(&thread).unwrap_or_default();
                if open.progress.is_some() {
                    self.settle(open.members(), Fate::Keep);
                    open = OpenConnect::default();
                }
                open.progress = Some((seq, event.ms));
                self.follow(thread, open)
            }
            Fact::Connect { from, to } => {
                let open = self.open.remove(&thread).unwrap_or_default();
                let routine = open.progress.is_none_or(|(_, start)| event.ms - start < MIN_SILENT_WAIT_MS);
                if routine {
                    self.settle(open.members(), Fate::Drop);
                    self.sample(from, to)
                } else {
                    self.settle(open.members(), Fate::Keep);
                    Fate::Keep
                }
            }
            Fact::Accept { from, to } => self.sample(from, to),
            Fact::ConnectInProgress { .. } | Fact::SocketError { .. } | Fact::PbxSupportQuery | Fact::PbxNotRunning => {
                if let Some(open) = self.open.remove(&thread) {
                    self.settle(open.members(), Fate::Keep);
                }
                Fate::Keep
            }
            _ => Fate::Keep,
        };
        if fate == Fate::Sampled {
            self.sampled_queued += 1;
        }
        self.queue.push_back((event, fate));
        if self.queue.len() > self.limits.queued_events {
            self.reached.mark(Cap::QueuedEvents);
            let front = self.front_seq;
            self.settle_if_undecided(front, Fate::Keep);
        }
        self.drain(kept);
        if self.sampled_out.len() + self.sampled_queued > self.limits.sampled_connections {
            self.reached.mark(Cap::SampledConnections);
            self.thin_samples(kept);
        }
    }

    /// Lines that recorded a success (status 0): the first is kept as an event.
    pub fn successes(&self) -> u64 {
        self.successes
    }

    /// Lines matched per signature id, for signatures with lines beyond those kept.
    pub fn signature_counts(&self) -> Vec<(String, u64)> {
        self.signature_hits
            .iter()
            .filter(|&(_, &n)| n > self.limits.signature_lines)
            .filter_map(|(&rule, &n)| Some((crate::catalogue::SIGNATURES.get(rule)?.id.to_string(), n)))
            .collect()
    }

    /// Ends the file: whatever is still undecided is kept.
    pub fn finish(&mut self, kept: &mut Vec<Event>) {
        for (_, fate) in self.queue.iter_mut() {
            if *fate == Fate::Undecided {
                *fate = Fate::Keep;
            }
        }
        self.open.clear();
        self.drain(kept);
    }

    /// Starts following a thread's connect, or keeps its events at once when too many threads
    /// are already followed.
    fn follow(&mut self, thread: ThreadKey, open: OpenConnect) -> Fate {
        if self.open.len() >= self.limits.open_connects {
            self.reached.mark(Cap::OpenConnects);
            self.settle(open.members(), Fate::Keep);
            return Fate::Keep;
        }
        self.open.insert(thread, open);
        Fate::Undecided
    }

    fn settle(&mut self, members: impl Iterator<Item = u64>, fate: Fate) {
        for seq in members {
            self.settle_if_undecided(seq, fate);
        }
    }

    /// Decides an event still in the queue (the current event is not there yet: it gets its
    /// fate from `push`'s return).
    fn settle_if_undecided(&mut self, seq: u64, fate: Fate) {
        let Some(slot) = seq.checked_sub(self.front_seq).and_then(|i| self.queue.get_mut(i as usize)) else {
            return;
        };
        if slot.1 == Fate::Undecided {
            slot.1 = fate;
            if fate == Fate::Keep {
                // It left its connect's group: the group must not drop it later either.
                let thread = (slot.0.pid, slot.0.tid);
                if let Some(open) = self.open.get(&thread) {
                    if open.members().any(|s| s == seq) {
                        let open = self.open.remove(&thread).unwrap_or_default();
                        self.settle(open.members(), Fate::Keep);
                    }
                }
            }
        }
    }

    fn sample(&self, from: &SockAddr, to: &SockAddr) -> Fate {
        if LEGACY_DAEMON_PORTS.contains(&to.port) {
            Fate::Keep
        } else if passes(pair_hash(from, to), self.sample_bits) {
            Fate::Sampled
        } else {
            Fate::Drop
        }
    }

    /// Moves decided events at the front of the queue out.
    fn drain(&mut self, kept: &mut Vec<Event>) {
        while self.queue.front().is_some_and(|(_, fate)| *fate != Fate::Undecided) {
            let Some((event, fate)) = self.queue.pop_front() else { break };
            self.front_seq += 1;
            match fate {
                Fate::Keep => kept.push(event),
                Fate::Sampled => {
                    self.sampled_queued -= 1;
                    self.sampled_out.push(event.line);
                    kept.push(event);
                }
                Fate::Drop | Fate::Undecided => {}
            }
        }
    }

    /// Halves the sample: one more hash bit must be zero. Lines sampled before and no longer
    /// passing are dropped, wherever they are.
    fn thin_samples(&mut self, kept: &mut Vec<Event>) {
        while self.sampled_out.len() + self.sampled_queued > self.limits.sampled_connections && self.sample_bits < 64 {
            self.sample_bits += 1;
            let bits = self.sample_bits;
            for (event, fate) in self.queue.iter_mut() {
                if *fate == Fate::Sampled && !passes(event_hash(event), bits) {
                    *fate = Fate::Drop;
                    self.sampled_queued -= 1;
                }
            }
            let sampled = std::mem::take(&mut self.sampled_out);
            let mut still = sampled.iter().peekable();
            kept.retain(|event| {
                while still.next_if(|&&line| line < event.line).is_some() {}
                if still.next_if(|&&line| line == event.line).is_none() {
                    return true;
                }
                let stays = passes(event_hash(event), bits);
                if stays {
                    self.sampled_out.push(event.line);
                }
                stays
            });
        }
    }
}

fn passes(hash: u64, bits: u32) -> bool {
    bits == 0 || hash.trailing_zeros() >= bits
}

fn event_hash(event: &Event) -> u64 {
    match &event.fact {
        Fact::Connect { from, to } | Fact::Accept { from, to } => pair_hash(from, to),
        _ => 0,
    }
}

/// A hash of a connection's two ends: the same on the host that connected and the one that
/// accepted. FNV-1a, then a SplitMix64 finish so the low bits are well mixed.
fn pair_hash(from: &SockAddr, to: &SockAddr) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    for addr in [from, to] {
        match addr.ip {
            IpAddr::V4(ip) => eat(&ip.octets()),
            IpAddr::V6(ip) => eat(&ip.octets()),
        }
        eat(&addr.port.to_le_bytes());
    }
    let mut z = h.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(line: u64, ms: i64, tid: u32, fact: Fact) -> Event {
        Event { line, offset: line * 100, ms, pid: 7, tid: Some(tid), level: 2, fact, quiet: None }
    }

    fn addr(text: &str) -> SockAddr {
        SockAddr::parse(text.as_bytes()).unwrap()
    }

    fn run(events: Vec<Event>) -> Vec<u64> {
        let mut retention = Retention::default();
        let mut kept = Vec::new();
        for e in events {
            retention.push(e, &mut kept);
        }
        retention.finish(&mut kept);
        kept.iter().map(|e| e.line).collect()
    }

    fn connect(port: u16) -> Fact {
        Fact::Connect { from: addr(&format!("10.0.0.1.{port}")), to: addr("10.0.0.2.1556") }
    }

    #[test]
    fn a_quick_connect_keeps_only_its_connect_line() {
        let kept = run(vec![
            event(1, 0, 1, Fact::ServiceConnect { service: "bpcd".into() }),
            event(2, 5, 1, Fact::ConnectInProgress { round: 1 }),
            event(3, 9, 2, Fact::ExitStatus { status: 0, process: None }),
            event(4, 20, 1, connect(40000)),
        ]);
        // The success line on another thread is the file's first: kept for the verdict.
        assert_eq!(kept, vec![3, 4]);
    }

    #[test]
    fn only_the_first_success_is_kept_and_all_are_counted() {
        let mut retention = Retention::default();
        let mut kept = Vec::new();
        for line in 1..=5 {
            retention.push(event(line, line as i64, 1, Fact::ExitStatus { status: 0, process: None }), &mut kept);
        }
        retention.finish(&mut kept);
        assert_eq!(kept.iter().map(|e| e.line).collect::<Vec<_>>(), vec![1]);
        assert_eq!(retention.successes(), 5);
    }

    #[test]
    fn a_connect_that_waited_or_failed_is_kept_whole() {
        let waited = vec![
            event(1, 0, 1, Fact::ServiceConnect { service: "bpcd".into() }),
            event(2, 5, 1, Fact::ConnectInProgress { round: 1 }),
            event(3, 10_005, 1, connect(40000)),
        ];
        assert_eq!(run(waited), vec![1, 2, 3]);
        let refused = vec![
            event(1, 0, 1, Fact::ConnectInProgress { round: 1 }),
            event(2, 1, 1, Fact::SocketError { code: 10061 }),
            event(3, 2, 1, Fact::PbxSupportQuery),
            event(4, 3, 1, connect(40001)),
        ];
        assert_eq!(run(refused), vec![1, 2, 3, 4]);
    }

    #[test]
    fn other_threads_do_not_disturb_a_connect_and_file_order_is_kept() {
        let kept = run(vec![
            event(1, 0, 1, Fact::ConnectInProgress { round: 1 }),
            event(2, 1, 2, Fact::CannotCreateDataSocket),
            event(3, 2, 2, Fact::ConnectInProgress { round: 1 }),
            event(4, 3, 1, connect(40000)),
            event(5, 1500, 2, Fact::ConnectInProgress { round: 2 }),
        ]);
        assert_eq!(kept, vec![2, 3, 4, 5]);
    }

    #[test]
    fn an_unfinished_connect_at_the_end_is_kept() {
        assert_eq!(run(vec![event(1, 0, 1, Fact::ConnectInProgress { round: 1 })]), vec![1]);
    }

    #[test]
    fn many_connections_are_sampled_alike_on_both_ends() {
        let connects: Vec<Event> = (0..20_000u32).map(|i| event(u64::from(i) + 1, 0, 1, connect(i as u16))).collect();
        let accepts: Vec<Event> = (0..20_000u32)
            .map(|i| {
                let Fact::Connect { from, to } = connect(i as u16) else { unreachable!() };
                event(u64::from(i) + 1, 0, 1, Fact::Accept { from, to })
            })
            .collect();
        let (a, b) = (run(connects), run(accepts));
        assert!(
            a.len() <= Limits::DEFAULT.sampled_connections && a.len() > Limits::DEFAULT.sampled_connections / 4,
            "{}",
            a.len()
        );
        assert_eq!(a, b);
    }

    #[test]
    fn connections_to_vnetd_are_never_sampled_away() {
        let to_vnetd =
            |i: u32| Fact::Connect { from: addr(&format!("10.0.0.1.{}", 20_000 + i)), to: addr("10.0.0.2.13724") };
        let events: Vec<Event> = (0..5000u32)
            .map(|i| event(u64::from(i) + 1, 0, 1, if i % 2 == 0 { connect(i as u16) } else { to_vnetd(i) }))
            .collect();
        let kept = run(events);
        assert_eq!(kept.iter().filter(|&&line| line % 2 == 0).count(), 2500);
    }
}
