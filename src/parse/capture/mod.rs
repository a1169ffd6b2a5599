//! Packet captures read as a stream: pcap (both byte orders, micro- and nanosecond times) and
//! pcapng (section header, interface description, enhanced, simple and obsolete packet
//! blocks, several interfaces and sections, both byte orders), as tcpdump and dumpcap write
//! them. Chunks of any size go in; each frame comes out once, with its time and link type;
//! only a record cut by a chunk's end is carried over (at most [`MAX_UNIT`] bytes).
//!
//! Layouts: the pcap and pcapng specifications (IETF drafts draft-ietf-opsawg-pcap and
//! draft-ietf-opsawg-pcapng). Written by hand, not with a crate, for the page's size: see
//! ARCHITECTURE.md ("Why no capture crate").

pub mod packet;

/// The largest record or block read; a length field past it means the file is damaged.
pub const MAX_UNIT: usize = 1 << 20;
/// Interfaces kept per pcapng section (a frame of a later one is not read).
const MAX_INTERFACES: usize = 256;

const PCAP_MICRO: u32 = 0xA1B2_C3D4;
const PCAP_NANO: u32 = 0xA1B2_3C4D;
const PCAPNG_SHB: u32 = 0x0A0D_0D0A;
const PCAPNG_ORDER: u32 = 0x1A2B_3C4D;

/// Whether a file's first bytes are a pcap or pcapng header (either byte order).
pub fn is_capture(head: &[u8]) -> bool {
    let Some(word) = head.get(..4) else { return false };
    let (le, be) = (
        u32::from_le_bytes([word[0], word[1], word[2], word[3]]),
        u32::from_be_bytes([word[0], word[1], word[2], word[3]]),
    );
    [le, be].iter().any(|&m| matches!(m, PCAP_MICRO | PCAP_NANO | PCAPNG_SHB))
}

/// One captured frame.
#[derive(Debug, Clone, Copy)]
pub struct Frame<'a> {
    /// Microseconds since 1970-01-01 UTC (pcap and pcapng times are UTC).
    pub time_us: i64,
    pub link: u32,
    pub data: &'a [u8],
    /// The frame's length on the wire (more than `data` when the snap length cut it).
    pub wire_len: u32,
}

/// Why reading stopped before the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The first bytes are no capture header.
    NotCapture,
    /// A record's length field is impossible, at this byte offset.
    Damaged { offset: u64 },
    /// The file ends inside a record that starts at this offset.
    Truncated { offset: u64 },
}

/// What the next record needs: more bytes to read its length, or its whole length.
enum Want {
    Header(usize),
    Unit(usize),
}

#[derive(Debug, Clone)]
enum Kind {
    Start,
    Pcap { big: bool, nanos: bool, link: u32 },
    Pcapng { big: bool, interfaces: Vec<(u32, Resolution)> },
}

/// A pcapng interface's time unit: 10^-n or 2^-n seconds.
#[derive(Debug, Clone, Copy)]
enum Resolution {
    Decimal(u8),
    Binary(u8),
}

impl Resolution {
    fn to_us(self, units: u64) -> i64 {
        let us = match self {
            Resolution::Decimal(n) if n <= 6 => u128::from(units) * 10u128.pow(u32::from(6 - n)),
            Resolution::Decimal(n) => u128::from(units) / 10u128.pow(u32::from(n - 6).min(30)),
            Resolution::Binary(n) => (u128::from(units) * 1_000_000) >> n.min(127),
        };
        i64::try_from(us).unwrap_or(i64::MAX)
    }
}

/// Reads a capture's records as its bytes arrive.
#[derive(Debug, Clone)]
pub struct CaptureReader {
    kind: Kind,
    carry: Vec<u8>,
    /// Bytes of complete records read.
    offset: u64,
    stop: Option<Stop>,
    /// Frames of a link type or interface nbtriage does not read.
    pub unread_frames: u64,
    /// The latest frame time (simple packet blocks carry none of their own).
    last_us: i64,
}

impl Default for CaptureReader {
    fn default() -> Self {
        CaptureReader { kind: Kind::Start, carry: Vec::new(), offset: 0, stop: None, unread_frames: 0, last_us: 0 }
    }
}

impl CaptureReader {
    /// Reads the next chunk, of any size, handing each complete frame to `sink`.
    pub fn feed(&mut self, mut data: &[u8], sink: &mut dyn FnMut(Frame<'_>)) {
        while !self.carry.is_empty() && !data.is_empty() && self.stop.is_none() {
            let want = match self.want(&self.carry) {
                Ok(Want::Header(n) | Want::Unit(n)) => n,
                Err(stop) => {
                    self.stop = Some(stop);
                    return;
                }
            };
            let take = want.saturating_sub(self.carry.len()).min(data.len());
            self.carry.extend_from_slice(&data[..take]);
            data = &data[take..];
            if let Ok(Want::Unit(n)) = self.want(&self.carry) {
                if self.carry.len() >= n {
                    let unit = std::mem::take(&mut self.carry);
                    self.unit(&unit[..n], sink);
                    self.carry = unit;
                    self.carry.clear();
                }
            }
        }
        if !self.carry.is_empty() {
            return;
        }
        while !data.is_empty() && self.stop.is_none() {
            match self.want(data) {
                Ok(Want::Unit(n)) if n <= data.len() => {
                    self.unit(&data[..n], sink);
                    data = &data[n..];
                }
                Ok(_) => {
                    self.carry.extend_from_slice(data);
                    return;
                }
                Err(stop) => self.stop = Some(stop),
            }
        }
    }

    /// Ends the file: why reading stopped early, if it did.
    pub fn finish(&mut self) -> Option<Stop> {
        if self.stop.is_none() && (!self.carry.is_empty() || matches!(self.kind, Kind::Start)) {
            self.stop = Some(match self.kind {
                Kind::Start => Stop::NotCapture,
                _ => Stop::Truncated { offset: self.offset },
            });
        }
        self.stop
    }

    /// The link types of the capture's interfaces, as far as read.
    pub fn links(&self) -> Vec<u32> {
        match &self.kind {
            Kind::Start => Vec::new(),
            Kind::Pcap { link, .. } => vec![*link],
            Kind::Pcapng { interfaces, .. } => interfaces.iter().map(|(l, _)| *l).collect(),
        }
    }

    fn want(&self, buf: &[u8]) -> Result<Want, Stop> {
        let damaged = Stop::Damaged { offset: self.offset };
        let need = |n: usize| if buf.len() < n { Err(Want::Header(n)) } else { Ok(()) };
        let unit = |n: usize| if (12..=MAX_UNIT).contains(&n) { Ok(Want::Unit(n)) } else { Err(damaged) };
        match &self.kind {
            Kind::Start => {
                if let Err(w) = need(12) {
                    return Ok(w);
                }
                let magic = u32::from_le_bytes([buf[0], buf[1], buf[2], buf[3]]);
                match magic {
                    PCAPNG_SHB => self.block_len(buf).map_or(Err(Stop::NotCapture), unit),
                    _ if is_capture(buf) => Ok(Want::Unit(24)),
                    _ => Err(Stop::NotCapture),
                }
            }
            Kind::Pcap { big, .. } => {
                if let Err(w) = need(16) {
                    return Ok(w);
                }
                let len = word(buf, 8, *big) as usize;
                if len > MAX_UNIT {
                    return Err(damaged);
                }
                Ok(Want::Unit(16 + len))
            }
            Kind::Pcapng { .. } => {
                if let Err(w) = need(12) {
                    return Ok(w);
                }
                self.block_len(buf).map_or(Err(damaged), unit)
            }
        }
    }

    /// A pcapng block's length (a section header's in its own byte order), when a multiple of 4.
    fn block_len(&self, buf: &[u8]) -> Option<usize> {
        let big = match (word(buf, 0, false), &self.kind) {
            (PCAPNG_SHB, _) => match word(buf, 8, false) {
                PCAPNG_ORDER => false,
                _ if word(buf, 8, true) == PCAPNG_ORDER => true,
                _ => return None,
            },
            (_, Kind::Pcapng { big, .. }) => *big,
            _ => return None,
        };
        let len = word(buf, 4, big) as usize;
        len.is_multiple_of(4).then_some(len)
    }

    fn unit(&mut self, unit: &[u8], sink: &mut dyn FnMut(Frame<'_>)) {
        self.offset += unit.len() as u64;
        match &mut self.kind {
            Kind::Start if word(unit, 0, false) == PCAPNG_SHB => self.section(unit),
            Kind::Start => {
                let big = word(unit, 0, true) == PCAP_MICRO || word(unit, 0, true) == PCAP_NANO;
                let nanos = word(unit, 0, big) == PCAP_NANO;
                // The link type is the low 16 bits; the high ones may carry FCS information.
                self.kind = Kind::Pcap { big, nanos, link: word(unit, 20, big) & 0xFFFF };
            }
            Kind::Pcap { big, nanos, link } => {
                let (big, link) = (*big, *link);
                let (seconds, fraction) = (i64::from(word(unit, 0, big)), i64::from(word(unit, 4, big)));
                let time_us = seconds * 1_000_000 + if *nanos { fraction / 1000 } else { fraction };
                let frame = Frame { time_us, link, data: &unit[16..], wire_len: word(unit, 12, big) };
                self.last_us = time_us;
                sink(frame);
            }
            Kind::Pcapng { .. } => self.block(unit, sink),
        }
    }

    fn section(&mut self, unit: &[u8]) {
        let big = word(unit, 8, true) == PCAPNG_ORDER;
        self.kind = Kind::Pcapng { big, interfaces: Vec::new() };
    }

    fn block(&mut self, unit: &[u8], sink: &mut dyn FnMut(Frame<'_>)) {
        let Kind::Pcapng { big, .. } = self.kind else { return };
        let body = &unit[8..unit.len() - 4];
        let (interface, time, start) = match word(unit, 0, big) {
            PCAPNG_SHB => return self.section(unit),
            1 => {
                if let Kind::Pcapng { interfaces, .. } = &mut self.kind {
                    if interfaces.len() < MAX_INTERFACES {
                        interfaces.push((u32::from(half(body, 0, big)), resolution(body.get(8..).unwrap_or(&[]), big)));
                    }
                }
                return;
            }
            6 => (word(body, 0, big) as usize, Some((word(body, 4, big), word(body, 8, big))), 20),
            2 => (usize::from(half(body, 0, big)), Some((word(body, 4, big), word(body, 8, big))), 20),
            3 => (0, None, 4),
            _ => return,
        };
        let Kind::Pcapng { interfaces, .. } = &self.kind else { return };
        let Some(&(link, resolution)) = interfaces.get(interface) else {
            self.unread_frames += 1;
            return;
        };
        let wire_len = word(body, start - 4, big);
        let captured = if start == 4 { wire_len as usize } else { word(body, start - 8, big) as usize };
        let data = body.get(start..).unwrap_or(&[]);
        let data = &data[..captured.min(data.len())];
        let time_us = match time {
            Some((high, low)) => resolution.to_us((u64::from(high) << 32) | u64::from(low)),
            None => self.last_us,
        };
        self.last_us = time_us;
        sink(Frame { time_us, link, data, wire_len });
    }
}

/// An interface description's `if_tsresol` option (code 9), else microseconds.
fn resolution(mut options: &[u8], big: bool) -> Resolution {
    while options.len() >= 4 {
        let (code, len) = (half(options, 0, big), usize::from(half(options, 2, big)));
        if code == 0 {
            break;
        }
        if code == 9 && len >= 1 {
            let value = options[4.min(options.len() - 1)];
            return if value & 0x80 == 0 { Resolution::Decimal(value) } else { Resolution::Binary(value & 0x7F) };
        }
        options = options.get(4 + len.div_ceil(4) * 4..).unwrap_or(&[]);
    }
    Resolution::Decimal(6)
}

fn word(b: &[u8], at: usize, big: bool) -> u32 {
    let bytes: [u8; 4] = b.get(at..at + 4).and_then(|s| s.try_into().ok()).unwrap_or([0; 4]);
    if big {
        u32::from_be_bytes(bytes)
    } else {
        u32::from_le_bytes(bytes)
    }
}

fn half(b: &[u8], at: usize, big: bool) -> u16 {
    let bytes: [u8; 2] = b.get(at..at + 2).and_then(|s| s.try_into().ok()).unwrap_or([0; 2]);
    if big {
        u16::from_be_bytes(bytes)
    } else {
        u16::from_le_bytes(bytes)
    }
}
