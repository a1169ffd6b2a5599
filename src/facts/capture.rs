//! A packet capture's TCP connections, followed segment by segment as the capture streams
//! (`parse::capture`): the handshake (SYNs and their retransmissions, the SYN-ACK, the round
//! trip between them as the capture point saw it), resets and which side sent them, FINs, zero
//! windows and window probes, retransmissions and keepalives (Wireshark's definitions, its
//! User's Guide "TCP Analysis"), and the longest idle gap. Segments larger than the MTU
//! (offloading) are judged by their sequence numbers like any other, so they are never
//! retransmissions. Frames are not kept: only these counts and times per connection.

use crate::parse::capture::packet::{self, Segment, ACK, FIN, RST, SYN};
use crate::parse::capture::{CaptureReader, Frame, Stop};
use crate::vocab::addr::SockAddr;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Connections followed per capture (nbtriage's limit, to keep memory bounded: about 200 bytes
/// each). Segments of connections first seen after it are counted, not followed, and the file's
/// note says so.
pub const MAX_CONNECTIONS: usize = 8192;

/// What a capture file contributes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CaptureFacts {
    /// `pcap` or `pcapng`.
    pub container: String,
    /// The link types of its interfaces (LINKTYPE_ numbers).
    pub links: Vec<u32>,
    pub frames: u64,
    pub tcp_segments: u64,
    /// Frames cut by the snap length (fewer bytes captured than were on the wire).
    pub cut_frames: u64,
    /// Frames of a link type or interface not read.
    pub unread_frames: u64,
    /// Microseconds since 1970-01-01 UTC of the first and last frame.
    pub first_us: Option<i64>,
    pub last_us: Option<i64>,
    /// Segments of connections not followed once [`MAX_CONNECTIONS`] was reached.
    pub untracked_segments: u64,
    pub connections: Vec<TcpConnection>,
    /// Why reading stopped early, when it did.
    pub stop: Option<CaptureStop>,
}

/// [`Stop`] as the report keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CaptureStop {
    Damaged { offset: u64 },
    Truncated { offset: u64 },
}

/// One TCP connection as the capture saw it. Index 0 of each pair is the client (the side
/// that sent the first SYN, else the side first seen), 1 the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TcpConnection {
    pub client: SockAddr,
    pub server: SockAddr,
    pub first_us: i64,
    pub last_us: i64,
    pub segments: u64,
    /// SYNs the client sent (more than one: retransmitted), the first and the last.
    pub syns: u32,
    pub first_syn_us: Option<i64>,
    pub last_syn_us: Option<i64>,
    /// The server's first SYN-ACK, and its time after the last SYN before it.
    pub syn_ack_us: Option<i64>,
    pub handshake_rtt_us: Option<i64>,
    pub resets: [u32; 2],
    pub first_reset_us: Option<i64>,
    /// The TTL (hop limit) of the server's first reset, and of its first other segment: a reset
    /// unlike the peer's own may come from a device between the hosts.
    pub reset_ttl: Option<u8>,
    pub server_ttl: Option<u8>,
    pub fins: [u32; 2],
    /// Times each side's receive window went to zero, the longest it stayed there, and since
    /// when it is still zero at the capture's end.
    pub zero_windows: [u32; 2],
    pub longest_zero_us: [i64; 2],
    pub zero_since_us: [Option<i64>; 2],
    pub window_probes: [u32; 2],
    pub retransmissions: [u32; 2],
    pub keepalives: [u32; 2],
    /// The longest time without a segment, and when it ended.
    pub longest_idle_us: i64,
    pub idle_end_us: i64,
    /// Each side's next expected sequence number.
    #[serde(skip)]
    next_seq: [Option<u32>; 2],
}

/// Reads a capture's bytes into [`CaptureFacts`].
#[derive(Debug, Default)]
pub struct CaptureScan {
    reader: CaptureReader,
    facts: CaptureFacts,
    index: HashMap<(SockAddr, SockAddr), u32>,
}

impl CaptureScan {
    pub fn new(head: &[u8]) -> Self {
        let container = if head.starts_with(&[0x0A, 0x0D, 0x0D, 0x0A]) { "pcapng" } else { "pcap" };
        CaptureScan {
            facts: CaptureFacts { container: container.into(), ..CaptureFacts::default() },
            ..Self::default()
        }
    }

    pub fn feed(&mut self, chunk: &[u8]) {
        let (facts, index) = (&mut self.facts, &mut self.index);
        self.reader.feed(chunk, &mut |frame| on_frame(facts, index, frame));
    }

    pub fn finish(mut self) -> CaptureFacts {
        self.facts.stop = match self.reader.finish() {
            Some(Stop::Damaged { offset }) => Some(CaptureStop::Damaged { offset }),
            Some(Stop::Truncated { offset }) => Some(CaptureStop::Truncated { offset }),
            Some(Stop::NotCapture) | None => None,
        };
        self.facts.links = self.reader.links();
        self.facts.unread_frames += self.reader.unread_frames;
        for c in &mut self.facts.connections {
            for side in 0..2 {
                if let Some(since) = c.zero_since_us[side] {
                    c.longest_zero_us[side] = c.longest_zero_us[side].max(c.last_us - since);
                }
            }
        }
        self.facts
    }
}

fn on_frame(facts: &mut CaptureFacts, index: &mut HashMap<(SockAddr, SockAddr), u32>, frame: Frame<'_>) {
    facts.frames += 1;
    facts.first_us.get_or_insert(frame.time_us);
    facts.last_us = Some(frame.time_us);
    if (frame.data.len() as u64) < u64::from(frame.wire_len) {
        facts.cut_frames += 1;
    }
    if !packet::is_known_link(frame.link) {
        facts.unread_frames += 1;
        return;
    }
    let Some(seg) = packet::tcp_segment(frame.link, frame.data) else { return };
    facts.tcp_segments += 1;
    let key = if seg.src < seg.dst { (seg.src, seg.dst) } else { (seg.dst, seg.src) };
    let at = match index.get(&key) {
        Some(&at) => at as usize,
        None if facts.connections.len() >= MAX_CONNECTIONS => {
            facts.untracked_segments += 1;
            return;
        }
        None => {
            index.insert(key, facts.connections.len() as u32);
            facts.connections.push(TcpConnection::new(&seg, frame.time_us));
            facts.connections.len() - 1
        }
    };
    facts.connections[at].add(&seg, frame.time_us);
}

impl TcpConnection {
    fn new(seg: &Segment, us: i64) -> Self {
        let from_server = seg.flags & (SYN | ACK) == SYN | ACK;
        let (client, server) = if from_server { (seg.dst, seg.src) } else { (seg.src, seg.dst) };
        TcpConnection {
            client,
            server,
            first_us: us,
            last_us: us,
            segments: 0,
            syns: 0,
            first_syn_us: None,
            last_syn_us: None,
            syn_ack_us: None,
            handshake_rtt_us: None,
            resets: [0; 2],
            first_reset_us: None,
            reset_ttl: None,
            server_ttl: None,
            fins: [0; 2],
            zero_windows: [0; 2],
            longest_zero_us: [0; 2],
            zero_since_us: [None; 2],
            window_probes: [0; 2],
            retransmissions: [0; 2],
            keepalives: [0; 2],
            longest_idle_us: 0,
            idle_end_us: us,
            next_seq: [None; 2],
        }
    }

    /// The client's SYNs sent again.
    pub fn syn_retransmissions(&self) -> u32 {
        self.syns.saturating_sub(1)
    }

    fn add(&mut self, seg: &Segment, us: i64) {
        self.segments += 1;
        if us - self.last_us > self.longest_idle_us {
            self.longest_idle_us = us - self.last_us;
            self.idle_end_us = us;
        }
        self.last_us = self.last_us.max(us);
        let side = usize::from(seg.src != self.client);
        self.flags(seg, side, us);
        if seg.flags & (SYN | RST) == 0 {
            self.window(seg.window, side, us);
        }
        self.sequence(seg, side);
    }

    fn flags(&mut self, seg: &Segment, side: usize, us: i64) {
        let f = seg.flags;
        if f & SYN != 0 && f & ACK == 0 && side == 0 {
            self.syns += 1;
            self.first_syn_us.get_or_insert(us);
            self.last_syn_us = Some(us);
        }
        if f & (SYN | ACK) == SYN | ACK && side == 1 && self.syn_ack_us.is_none() {
            self.syn_ack_us = Some(us);
            self.handshake_rtt_us = self.last_syn_us.map(|syn| us - syn);
        }
        if f & RST != 0 {
            self.resets[side] += 1;
            self.first_reset_us.get_or_insert(us);
            if side == 1 && self.reset_ttl.is_none() {
                self.reset_ttl = Some(seg.ttl);
            }
        } else if side == 1 && self.server_ttl.is_none() {
            self.server_ttl = Some(seg.ttl);
        }
        if f & FIN != 0 {
            self.fins[side] += 1;
        }
    }

    fn window(&mut self, window: u16, side: usize, us: i64) {
        match (window, self.zero_since_us[side]) {
            (0, None) => {
                self.zero_windows[side] += 1;
                self.zero_since_us[side] = Some(us);
            }
            (1.., Some(since)) => {
                self.longest_zero_us[side] = self.longest_zero_us[side].max(us - since);
                self.zero_since_us[side] = None;
            }
            _ => {}
        }
    }

    /// Retransmissions, keepalives and window probes, by Wireshark's definitions.
    fn sequence(&mut self, seg: &Segment, side: usize) {
        let f = seg.flags;
        let control = u32::from(f & (SYN | FIN) != 0);
        let end = seg.seq.wrapping_add(seg.len).wrapping_add(control);
        let Some(next) = self.next_seq[side] else {
            self.next_seq[side] = Some(end);
            return;
        };
        let ahead = |a: u32, b: u32| (a.wrapping_sub(b) as i32) > 0;
        if self.is_window_probe(seg, side, next) {
            self.window_probes[side] += 1;
        } else if seg.len <= 1 && seg.seq == next.wrapping_sub(1) && f & (SYN | FIN | RST) == 0 {
            self.keepalives[side] += 1;
            return;
        } else if (seg.len > 0 || control > 0) && f & SYN == 0 && ahead(next, seg.seq) {
            self.retransmissions[side] += 1;
        }
        if ahead(end, next) {
            self.next_seq[side] = Some(end);
        }
    }

    /// While the other side's window is closed, a probe: one byte at the next sequence number
    /// (Wireshark's zero window probe), the same byte sent again (its byte not taken, it would
    /// read as a keepalive), or Linux's probe, no byte at the next sequence number less one
    /// (`tcp_xmit_probe_skb` in the kernel's `net/ipv4/tcp_output.c`: "out-of-date with
    /// SND.UNA-1 to probe window"; Wireshark calls it a keepalive, a real loopback capture of a
    /// stalled reader shows it at the probe timer's pace).
    fn is_window_probe(&self, seg: &Segment, side: usize, next: u32) -> bool {
        let closed = self.zero_since_us[1 - side].is_some() && seg.flags & (SYN | FIN | RST) == 0;
        closed
            && match seg.len {
                0 => seg.seq == next.wrapping_sub(1),
                1 => seg.seq == next || seg.seq == next.wrapping_sub(1),
                _ => false,
            }
    }
}

impl CaptureFacts {
    /// What a person needs to know about how the capture was read.
    pub fn notes(&self) -> Vec<String> {
        use crate::numbers::{count, grouped};
        let span = match (self.first_us, self.last_us) {
            (Some(first), Some(last)) => format!(" from {} to {}", utc(first), utc(last)),
            _ => String::new(),
        };
        let mut notes = vec![format!(
            "A packet capture ({}): {}{span}, {} followed. Its times are UTC; the logs' are local.",
            self.container,
            count(self.frames, "frame", "frames"),
            count(self.connections.len() as u64, "TCP connection", "TCP connections"),
        )];
        match self.stop {
            Some(CaptureStop::Damaged { offset }) => notes.push(format!(
                "The capture is damaged at byte {}: a record's length there is impossible. What came before it was read, the rest was not.",
                grouped(offset)
            )),
            Some(CaptureStop::Truncated { offset }) => notes.push(format!(
                "The capture ends inside a record that starts at byte {} (cut off, as a copy taken while the capture was still being written is): the records before it were read.",
                grouped(offset)
            )),
            None => {}
        }
        if self.untracked_segments > 0 {
            notes.push(format!(
                "More than {} TCP connections: the first are followed; {} of later ones were counted, not followed (nbtriage's limit).",
                grouped(MAX_CONNECTIONS as u64),
                count(self.untracked_segments, "segment", "segments")
            ));
        }
        if self.cut_frames > 0 {
            notes.push(format!(
                "{} cut by the snap length: their headers were read, and each segment's length taken from its IP header.",
                count(self.cut_frames, "frame was", "frames were")
            ));
        }
        if self.unread_frames > 0 {
            let links: Vec<String> =
                self.links.iter().filter(|l| !packet::is_known_link(**l)).map(|l| l.to_string()).collect();
            notes.push(format!(
                "{} of a link type nbtriage does not read (LINKTYPE {}): not followed.",
                count(self.unread_frames, "frame", "frames"),
                if links.is_empty() { "unknown".to_string() } else { links.join(", ") }
            ));
        }
        notes
    }
}

/// Microseconds since the epoch as an ISO 8601 UTC time to the millisecond.
pub fn utc(us: i64) -> String {
    format!("{}Z", crate::vocab::time::iso(us.div_euclid(1000), true))
}
