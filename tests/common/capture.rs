//! A tiny pcap and pcapng writer for the tests: TCP segments over IPv4 or IPv6, framed as
//! Ethernet (with an optional VLAN tag), Linux cooked capture v1 or v2, or raw IP.

/// One TCP segment to write.
#[derive(Clone, Copy, Debug)]
pub struct Seg {
    /// Microseconds since 1970-01-01 UTC.
    pub us: i64,
    pub src: ([u8; 4], u16),
    pub dst: ([u8; 4], u16),
    pub seq: u32,
    pub ack: u32,
    pub flags: u8,
    pub win: u16,
    /// Payload bytes (zeros).
    pub len: u16,
    pub ttl: u8,
}

pub const FIN: u8 = 0x01;
pub const SYN: u8 = 0x02;
pub const RST: u8 = 0x04;
pub const PSH: u8 = 0x08;
pub const ACK: u8 = 0x10;

impl Seg {
    pub fn new(us: i64, src: ([u8; 4], u16), dst: ([u8; 4], u16), flags: u8) -> Seg {
        Seg { us, src, dst, seq: 1000, ack: 0, flags, win: 64240, len: 0, ttl: 128 }
    }
    pub fn seq(mut self, seq: u32, ack: u32) -> Seg {
        self.seq = seq;
        self.ack = ack;
        self
    }
    pub fn win(mut self, win: u16) -> Seg {
        self.win = win;
        self
    }
    pub fn len(mut self, len: u16) -> Seg {
        self.len = len;
        self
    }
    pub fn ttl(mut self, ttl: u8) -> Seg {
        self.ttl = ttl;
        self
    }

    fn tcp(&self) -> Vec<u8> {
        let mut t = Vec::with_capacity(20 + usize::from(self.len));
        t.extend_from_slice(&self.src.1.to_be_bytes());
        t.extend_from_slice(&self.dst.1.to_be_bytes());
        t.extend_from_slice(&self.seq.to_be_bytes());
        t.extend_from_slice(&self.ack.to_be_bytes());
        t.extend_from_slice(&[0x50, self.flags]);
        t.extend_from_slice(&self.win.to_be_bytes());
        t.extend_from_slice(&[0, 0, 0, 0]);
        t.resize(20 + usize::from(self.len), 0);
        t
    }

    /// The IPv4 packet.
    pub fn ipv4(&self) -> Vec<u8> {
        let tcp = self.tcp();
        let total = (20 + tcp.len()) as u16;
        let mut ip = vec![0x45, 0];
        ip.extend_from_slice(&total.to_be_bytes());
        ip.extend_from_slice(&[0, 0, 0x40, 0, self.ttl, 6, 0, 0]);
        ip.extend_from_slice(&self.src.0);
        ip.extend_from_slice(&self.dst.0);
        ip.extend_from_slice(&tcp);
        ip
    }

    /// The same as IPv6, the IPv4 addresses mapped into `2001:db8::a.b.c.d`.
    pub fn ipv6(&self) -> Vec<u8> {
        let tcp = self.tcp();
        let mut ip = vec![0x60, 0, 0, 0];
        ip.extend_from_slice(&(tcp.len() as u16).to_be_bytes());
        ip.extend_from_slice(&[6, self.ttl]);
        for a in [self.src.0, self.dst.0] {
            ip.extend_from_slice(&[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0]);
            ip.extend_from_slice(&a);
        }
        ip.extend_from_slice(&tcp);
        ip
    }
}

/// Link types and their framing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Link {
    Ethernet,
    EthernetVlan,
    Sll,
    Sll2,
    Raw,
}

impl Link {
    pub fn number(self) -> u32 {
        match self {
            Link::Ethernet | Link::EthernetVlan => 1,
            Link::Sll => 113,
            Link::Sll2 => 276,
            Link::Raw => 101,
        }
    }

    pub fn frame(self, ip: &[u8]) -> Vec<u8> {
        let ether_type: [u8; 2] = if ip[0] >> 4 == 6 { [0x86, 0xDD] } else { [0x08, 0x00] };
        let mut f = Vec::new();
        match self {
            Link::Ethernet | Link::EthernetVlan => {
                f.extend_from_slice(&[0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1]);
                if self == Link::EthernetVlan {
                    f.extend_from_slice(&[0x81, 0x00, 0x00, 0x0A]);
                }
                f.extend_from_slice(&ether_type);
            }
            Link::Sll => {
                f.extend_from_slice(&[0, 4, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0]);
                f.extend_from_slice(&ether_type);
            }
            Link::Sll2 => {
                f.extend_from_slice(&ether_type);
                f.extend_from_slice(&[0, 0, 0, 0, 0, 2, 0, 1, 4, 6, 2, 0, 0, 0, 0, 1, 0, 0]);
            }
            Link::Raw => {}
        }
        f.extend_from_slice(ip);
        f
    }
}

/// A pcap file: `frames` are (time in µs, frame bytes); each cut to `snap` bytes.
pub fn pcap(link: Link, frames: &[(i64, Vec<u8>)], big: bool, nanos: bool, snap: usize) -> Vec<u8> {
    let w32 = |v: u32| if big { v.to_be_bytes() } else { v.to_le_bytes() };
    let w16 = |v: u16| if big { v.to_be_bytes() } else { v.to_le_bytes() };
    let mut out = Vec::new();
    out.extend_from_slice(&w32(if nanos { 0xA1B2_3C4D } else { 0xA1B2_C3D4 }));
    out.extend_from_slice(&w16(2));
    out.extend_from_slice(&w16(4));
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&w32(snap as u32));
    out.extend_from_slice(&w32(link.number()));
    for (us, frame) in frames {
        let cut = &frame[..frame.len().min(snap)];
        out.extend_from_slice(&w32((us / 1_000_000) as u32));
        out.extend_from_slice(&w32(if nanos { (us % 1_000_000 * 1000) as u32 } else { (us % 1_000_000) as u32 }));
        out.extend_from_slice(&w32(cut.len() as u32));
        out.extend_from_slice(&w32(frame.len() as u32));
        out.extend_from_slice(cut);
    }
    out
}

/// A pcapng file with one section: interfaces by link type (the first with `if_tsresol` 9,
/// nanoseconds, when `nanos`), enhanced packet blocks naming their interface.
pub fn pcapng(links: &[Link], frames: &[(usize, i64, Vec<u8>)], big: bool, nanos: bool) -> Vec<u8> {
    let w32 = |v: u32| if big { v.to_be_bytes() } else { v.to_le_bytes() };
    let w16 = |v: u16| if big { v.to_be_bytes() } else { v.to_le_bytes() };
    let block = |out: &mut Vec<u8>, kind: u32, body: &[u8]| {
        let padded = body.len().div_ceil(4) * 4;
        let len = (12 + padded) as u32;
        out.extend_from_slice(&w32(kind));
        out.extend_from_slice(&w32(len));
        out.extend_from_slice(body);
        out.resize(out.len() + padded - body.len(), 0);
        out.extend_from_slice(&w32(len));
    };
    let mut out = Vec::new();
    let mut shb = Vec::new();
    shb.extend_from_slice(&w32(0x1A2B_3C4D));
    shb.extend_from_slice(&w16(1));
    shb.extend_from_slice(&w16(0));
    shb.extend_from_slice(&[0xFF; 8]);
    block(&mut out, 0x0A0D_0D0A, &shb);
    for (i, link) in links.iter().enumerate() {
        let mut idb = Vec::new();
        idb.extend_from_slice(&w16(link.number() as u16));
        idb.extend_from_slice(&w16(0));
        idb.extend_from_slice(&w32(262_144));
        if nanos && i == 0 {
            idb.extend_from_slice(&w16(9));
            idb.extend_from_slice(&w16(1));
            idb.extend_from_slice(&[9, 0, 0, 0]);
            idb.extend_from_slice(&[0; 4]);
        }
        block(&mut out, 1, &idb);
    }
    for (interface, us, frame) in frames {
        let units = if nanos && *interface == 0 { *us as u64 * 1000 } else { *us as u64 };
        let mut epb = Vec::new();
        epb.extend_from_slice(&w32(*interface as u32));
        epb.extend_from_slice(&w32((units >> 32) as u32));
        epb.extend_from_slice(&w32(units as u32));
        epb.extend_from_slice(&w32(frame.len() as u32));
        epb.extend_from_slice(&w32(frame.len() as u32));
        epb.extend_from_slice(frame);
        block(&mut out, 6, &epb);
    }
    out
}

/// Frames of `segs` on one link, as IPv4.
pub fn frames(link: Link, segs: &[Seg]) -> Vec<(i64, Vec<u8>)> {
    segs.iter().map(|s| (s.us, link.frame(&s.ipv4()))).collect()
}
