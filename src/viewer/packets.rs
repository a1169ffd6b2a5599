//! A connection's packets as rows of the log viewer (issue 24, "Network evidence"): the worker
//! reads a capture file again with the capture reader and keeps, of the connections a finding
//! names, each segment's time, addresses, flags, a zero window and whether it is a
//! retransmission; never a payload byte, and at most [`MAX_PACKET_ROWS`] rows. Other traffic
//! is not listed (the capture's note in the files panel summarizes it).
//!
//! Capture times are UTC; the log viewer shows the logs' clocks. The report places a connection
//! on a host's lane by its first SYN on the shown clock (a `packets` mark, written where the
//! correlation found the host's offset); the same connection found again in the capture gives
//! that offset here ([`Anchor`]). With no anchor found, the rows keep their UTC times and are
//! listed without log lines, rather than beside them across an unknown offset.

use super::rows::{RowFilter, ThreadHost};
use crate::parse::capture::packet::{self, ACK, FIN, RST, SYN};
use crate::parse::capture::{CaptureReader, Frame};
use crate::vocab::addr::SockAddr;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::net::IpAddr;

/// Packet rows kept per pick (nbtriage's limit: the rows are held by the worker while shown).
pub const MAX_PACKET_ROWS: usize = 2000;
/// Time shown around the packets' first and last for the hosts' log lines: a log line is
/// written after the call it reports (nbtriage's threshold, not a NetBackup figure).
pub const PACKET_MARGIN_MS: i64 = 30_000;
/// The TCP PSH flag (RFC 9293's header layout).
const PSH: u8 = 0x08;

/// Which packets to list: the connections between two addresses to one server port, as a
/// finding names them. Addresses are text as the report writes them (`2.2.2.2`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PacketPick {
    /// What the rows are, for the viewer's status line.
    pub label: String,
    /// The capture file's path; empty: every capture dropped.
    pub capture: String,
    pub client: String,
    pub server: String,
    pub port: Option<u16>,
    /// Connections the report placed on a host's lane, each giving the capture's offset.
    pub anchors: Vec<Anchor>,
    /// The hosts whose log lines show beside the packets, each with its clock's offset from the
    /// reference host (the report's `clock_offset_ms`) as `offset_ms`.
    pub hosts: Vec<ThreadHost>,
    /// Whether the page shows names redacted (the worker rewrites the rows' addresses).
    pub redact: bool,
}

/// A connection the report placed: its ends (`2.2.2.2.3582`), its first SYN on the reference
/// host's clock, and the offset of the lane's host from the reference host.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    pub client: String,
    pub server: String,
    pub at_ms: i64,
    pub host_offset_ms: i64,
}

/// One segment, as a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PacketRow {
    /// Microseconds since 1970-01-01 UTC.
    pub time_us: i64,
    pub src: SockAddr,
    pub dst: SockAddr,
    pub flags: u8,
    pub window: u16,
    pub retransmission: bool,
}

impl PacketRow {
    /// `2.2.2.2:3582 → 3.3.3.3:1556 SYN retransmission`: addresses, flags, the window when it
    /// is zero, and whether the segment was sent again. No payload.
    pub fn text(&self) -> String {
        let f = self.flags;
        let mut words: Vec<&str> = Vec::new();
        match (f & SYN != 0, f & ACK != 0) {
            (true, true) => words.push("SYN-ACK"),
            (true, false) => words.push("SYN"),
            _ => {}
        }
        for (bit, name) in [(RST, "RST"), (FIN, "FIN"), (PSH, "PSH")] {
            if f & bit != 0 {
                words.push(name);
            }
        }
        if f & ACK != 0 && f & SYN == 0 {
            words.push("ACK");
        }
        if self.window == 0 && f & (SYN | RST) == 0 {
            words.push("window 0");
        }
        if self.retransmission {
            words.push("retransmission");
        }
        format!("{} → {} {}", colon(self.src), colon(self.dst), words.join(" "))
    }
}

/// `2.2.2.2:3582`, `[::1]:1556`.
fn colon(a: SockAddr) -> String {
    match a.ip {
        IpAddr::V4(ip) => format!("{ip}:{}", a.port),
        IpAddr::V6(ip) => format!("[{ip}]:{}", a.port),
    }
}

/// What a capture read for a pick gives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Packets {
    pub rows: Vec<PacketRow>,
    /// Segments of the picked connections, listed or not (past [`MAX_PACKET_ROWS`]).
    pub matched: u64,
    /// The reference host's clock less UTC, when an anchor was found in the capture; and the
    /// anchor's host offset from the reference host.
    pub offset: Option<(i64, i64)>,
}

/// Per followed connection: whether each side's SYN was seen, and its next sequence number.
#[derive(Default, Clone, Copy)]
struct Followed {
    syn: [bool; 2],
    next: [Option<u32>; 2],
}

/// Reads a capture's bytes for one pick, chunk by chunk.
pub struct PacketScan {
    reader: CaptureReader,
    client: Option<IpAddr>,
    server: Option<IpAddr>,
    port: Option<u16>,
    anchors: Vec<(SockAddr, SockAddr, i64, i64)>,
    /// Per anchor, the first SYN its client sent and its first segment (microseconds).
    anchor_seen: Vec<(Option<i64>, Option<i64>)>,
    /// The followed connections by their ends (the map type the capture scan uses, so that the
    /// page's WebAssembly carries one), while rows are listed.
    index: HashMap<(SockAddr, SockAddr), u32>,
    followed: Vec<Followed>,
    out: Packets,
}

impl PacketScan {
    pub fn new(pick: &PacketPick) -> PacketScan {
        let ip = |s: &str| s.parse::<IpAddr>().ok();
        let anchors: Vec<_> = pick
            .anchors
            .iter()
            .filter_map(|a| {
                Some((
                    SockAddr::parse(a.client.as_bytes())?,
                    SockAddr::parse(a.server.as_bytes())?,
                    a.at_ms,
                    a.host_offset_ms,
                ))
            })
            .collect();
        PacketScan {
            reader: CaptureReader::default(),
            client: ip(&pick.client),
            server: ip(&pick.server),
            port: pick.port,
            anchor_seen: vec![(None, None); anchors.len()],
            anchors,
            index: HashMap::new(),
            followed: Vec::new(),
            out: Packets::default(),
        }
    }

    pub fn feed(&mut self, chunk: &[u8]) {
        let mut reader = std::mem::take(&mut self.reader);
        reader.feed(chunk, &mut |frame| self.frame(frame));
        self.reader = reader;
    }

    pub fn finish(mut self) -> Packets {
        self.out.offset = self.anchors.iter().zip(&self.anchor_seen).find_map(|(&(_, _, at_ms, host), seen)| {
            let us = seen.0.or(seen.1)?;
            Some((at_ms - us.div_euclid(1000), host))
        });
        self.out
    }

    fn frame(&mut self, frame: Frame<'_>) {
        if !packet::is_known_link(frame.link) {
            return;
        }
        let Some(seg) = packet::tcp_segment(frame.link, frame.data) else { return };
        for (i, &(client, server, _, _)) in self.anchors.iter().enumerate() {
            let seen = &mut self.anchor_seen[i];
            if (seg.src, seg.dst) == (client, server) || (seg.src, seg.dst) == (server, client) {
                seen.1.get_or_insert(frame.time_us);
                if seg.src == client && seg.flags & (SYN | ACK) == SYN {
                    seen.0.get_or_insert(frame.time_us);
                }
            }
        }
        // The side that is the client: 0 when the segment goes to the server's port.
        let side = match (self.picked(seg.src.ip, seg.dst), self.picked(seg.dst.ip, seg.src)) {
            (true, _) => 0,
            (_, true) => 1,
            _ => return,
        };
        self.out.matched += 1;
        // Past the cap the rows stop, and so does following their connections.
        if self.out.rows.len() < MAX_PACKET_ROWS {
            let key = if side == 0 { (seg.src, seg.dst) } else { (seg.dst, seg.src) };
            let at = match self.index.get(&key) {
                Some(&at) => at as usize,
                None => {
                    self.index.insert(key, self.followed.len() as u32);
                    self.followed.push(Followed::default());
                    self.followed.len() - 1
                }
            };
            let retransmission = self.followed[at].retransmitted(&seg, side);
            self.out.rows.push(PacketRow {
                time_us: frame.time_us,
                src: seg.src,
                dst: seg.dst,
                flags: seg.flags,
                window: seg.window,
                retransmission,
            });
        }
    }

    /// Whether a segment from `from` to `to` goes from the pick's client to its server's port.
    fn picked(&self, from: IpAddr, to: SockAddr) -> bool {
        self.client.is_none_or(|c| c == from)
            && self.server.is_none_or(|s| s == to.ip)
            && self.port.is_none_or(|p| p == to.port)
    }
}

impl Followed {
    /// Whether `seg` from `side` was sent before: a SYN after the side's first, or a segment
    /// with data (or a FIN) that starts before the side's next sequence number and is no
    /// keepalive or window probe (one byte at the next number less one), after Wireshark's
    /// definitions as `facts::capture` reads them.
    fn retransmitted(&mut self, seg: &packet::Segment, side: usize) -> bool {
        let f = seg.flags;
        let end = seg.seq.wrapping_add(seg.len).wrapping_add(u32::from(f & (SYN | FIN) != 0));
        if f & SYN != 0 {
            let again = std::mem::replace(&mut self.syn[side], true);
            self.next[side] = Some(end);
            return again;
        }
        let Some(next) = self.next[side] else {
            self.next[side] = Some(end);
            return false;
        };
        let ahead = |a: u32, b: u32| (a.wrapping_sub(b) as i32) > 0;
        let keepalive = seg.len <= 1 && seg.seq == next.wrapping_sub(1) && f & (FIN | RST) == 0;
        let again = (seg.len > 0 || f & FIN != 0) && f & RST == 0 && !keepalive && ahead(next, seg.seq);
        if ahead(end, next) {
            self.next[side] = Some(end);
        }
        again
    }
}

impl Packets {
    /// Each row's time on the shown clock: the reference host's (`aligned`) or the anchor
    /// host's own; UTC when the offset is not known.
    pub fn times_ms(&self, aligned: bool) -> impl Iterator<Item = i64> + '_ {
        let shift = self.offset.map_or(0, |(reference, host)| if aligned { reference } else { reference + host });
        self.rows.iter().map(move |r| r.time_us.div_euclid(1000) + shift)
    }

    /// The row filter of the hosts' log lines beside the packets: the packets' span (UTC) and
    /// a margin, on each host's clock; no log line when the offset is not known.
    pub fn row_filter(&self, pick: &PacketPick, label: String) -> RowFilter {
        let span = self.rows.first().zip(self.rows.last());
        let window = span.map(|(a, b)| {
            (a.time_us.div_euclid(1000) - PACKET_MARGIN_MS, b.time_us.div_euclid(1000) + PACKET_MARGIN_MS)
        });
        let hosts = pick
            .hosts
            .iter()
            .map(|h| ThreadHost {
                name: h.name.clone(),
                offset_ms: self.offset.map(|(r, _)| r + h.offset_ms.unwrap_or(0)),
            })
            .collect();
        RowFilter {
            label,
            window,
            hosts,
            no_log_lines: self.offset.is_none() || span.is_none(),
            ..RowFilter::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(s: &str) -> SockAddr {
        SockAddr::parse(s.as_bytes()).unwrap()
    }

    fn row(flags: u8, window: u16, retransmission: bool) -> PacketRow {
        PacketRow { time_us: 0, src: addr("2.2.2.2.3582"), dst: addr("3.3.3.3.1556"), flags, window, retransmission }
    }

    #[test]
    fn rows_say_addresses_flags_a_closed_window_and_retransmissions() {
        assert_eq!(row(SYN, 8192, true).text(), "2.2.2.2:3582 → 3.3.3.3:1556 SYN retransmission");
        assert_eq!(row(SYN | ACK, 0, false).text(), "2.2.2.2:3582 → 3.3.3.3:1556 SYN-ACK");
        assert_eq!(row(ACK | PSH, 0, false).text(), "2.2.2.2:3582 → 3.3.3.3:1556 PSH ACK window 0");
        assert_eq!(row(RST | ACK, 0, false).text(), "2.2.2.2:3582 → 3.3.3.3:1556 RST ACK");
        assert_eq!(row(FIN | ACK, 512, false).text(), "2.2.2.2:3582 → 3.3.3.3:1556 FIN ACK");
        let v6 = PacketRow { src: addr("::1.40000"), dst: addr("::1.1556"), ..row(SYN, 1, false) };
        assert_eq!(v6.text(), "[::1]:40000 → [::1]:1556 SYN");
    }

    /// The silent-drop bundle's capture (constructed, see tests/bundles/README.md), read in
    /// chunks of 7 bytes and whole: the two connections to port 1556 only, their SYNs after the
    /// first marked as sent again, and the offset from the PBX finding's mark.
    #[test]
    fn a_pick_keeps_its_connections_packets_and_finds_the_offset() {
        let capture = include_bytes!("../../tests/bundles/capture-silent-drop/media01/capture/media01.pcap");
        let pick = PacketPick {
            client: "2.2.2.2".into(),
            server: "3.3.3.3".into(),
            port: Some(1556),
            anchors: vec![Anchor {
                client: "2.2.2.2.3582".into(),
                server: "3.3.3.3.1556".into(),
                at_ms: 1_307_123_394_222,
                host_offset_ms: 0,
            }],
            hosts: vec![
                ThreadHost { name: "media01".into(), offset_ms: Some(0) },
                ThreadHost { name: "myclient".into(), offset_ms: Some(-1137) },
            ],
            ..PacketPick::default()
        };
        let read = |chunk: usize| {
            let mut scan = PacketScan::new(&pick);
            capture.chunks(chunk).for_each(|c| scan.feed(c));
            scan.finish()
        };
        let packets = read(7);
        assert_eq!(packets, read(capture.len()));
        let texts: Vec<String> = packets.rows.iter().map(PacketRow::text).collect();
        assert_eq!(
            texts,
            [
                "2.2.2.2:3582 → 3.3.3.3:1556 SYN",
                "2.2.2.2:3582 → 3.3.3.3:1556 SYN retransmission",
                "2.2.2.2:3582 → 3.3.3.3:1556 SYN retransmission",
                "2.2.2.2:3585 → 3.3.3.3:1556 SYN",
                "2.2.2.2:3585 → 3.3.3.3:1556 SYN retransmission",
                "2.2.2.2:3585 → 3.3.3.3:1556 SYN retransmission",
            ]
        );
        // 15:49:53.604 UTC is 17:49:54.222 on media01's clock.
        assert_eq!(packets.offset, Some((7_200_618, 0)));
        let times: Vec<i64> = packets.times_ms(true).take(2).collect();
        assert_eq!(times, [1_307_123_394_222, 1_307_123_397_222]);
        let filter = packets.row_filter(&pick, "x".into());
        assert_eq!(filter.window, Some((1_307_116_163_604, 1_307_116_243_200)));
        assert_eq!(filter.hosts[1].offset_ms, Some(7_200_618 - 1137));
        assert!(!filter.no_log_lines);
        assert_eq!((packets.rows.len(), packets.matched), (6, 6));
        // No anchor in the capture: UTC times, and no log line beside them.
        let lone = PacketScan::new(&PacketPick { anchors: Vec::new(), ..pick.clone() });
        let mut lone = lone;
        lone.feed(capture);
        let lone = lone.finish();
        assert_eq!(lone.offset, None);
        assert!(lone.row_filter(&pick, "x".into()).no_log_lines);
        // The cap: the rows stop, the count goes on.
        let mut scan =
            PacketScan::new(&PacketPick { client: String::new(), server: String::new(), port: None, ..pick });
        for _ in 0..150 {
            scan.feed(capture);
            scan.reader = CaptureReader::default();
        }
        let many = scan.finish();
        assert_eq!((many.rows.len(), many.matched), (MAX_PACKET_ROWS, 2250));
    }

    /// Data sent again is a retransmission; a keepalive (one byte before the next) and new
    /// data are not.
    #[test]
    fn data_sent_again_is_a_retransmission() {
        let seg = |seq: u32, len: u32, flags: u8| packet::Segment {
            src: addr("1.1.1.1.40000"),
            dst: addr("2.2.2.2.13724"),
            seq,
            ack: 0,
            flags,
            window: 1,
            len,
            ttl: 64,
        };
        let mut f = Followed::default();
        let sent: Vec<bool> = [
            seg(100, 0, SYN),
            seg(100, 0, SYN),
            seg(101, 100, ACK | PSH),
            seg(201, 100, ACK),
            seg(101, 100, ACK),
            seg(300, 0, ACK),
            seg(300, 1, ACK),
            seg(301, 0, FIN | ACK),
            seg(301, 0, FIN | ACK),
        ]
        .iter()
        .map(|s| f.retransmitted(s, 0))
        .collect();
        assert_eq!(sent, [false, true, false, false, true, false, false, false, true]);
    }
}
