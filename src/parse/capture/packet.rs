//! One captured frame down to its TCP header: the link layers tcpdump and dumpcap write
//! (Ethernet with VLAN tags, Linux cooked capture v1 and v2, raw IP, BSD loopback), IPv4 and
//! IPv6, then TCP. Layouts: tcpdump.org's link-type pages (LINKTYPE_LINUX_SLL: protocol at
//! offset 14 of a 16-byte header; LINKTYPE_LINUX_SLL2: protocol at offset 0 of a 20-byte
//! header). Only the headers are read, never the payload; a frame cut by the snap length still
//! gives its segment's length from the IP header.

use crate::vocab::addr::SockAddr;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

pub const LINK_NULL: u32 = 0;
pub const LINK_ETHERNET: u32 = 1;
pub const LINK_RAW: u32 = 101;
/// OpenBSD's number for raw IP, as some writers still use it.
pub const LINK_RAW_OPENBSD: u32 = 14;
pub const LINK_LINUX_SLL: u32 = 113;
pub const LINK_IPV4: u32 = 228;
pub const LINK_IPV6: u32 = 229;
pub const LINK_LINUX_SLL2: u32 = 276;

/// TCP flag bits.
pub const FIN: u8 = 0x01;
pub const SYN: u8 = 0x02;
pub const RST: u8 = 0x04;
pub const ACK: u8 = 0x10;

/// What nbtriage reads of a TCP segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    pub src: SockAddr,
    pub dst: SockAddr,
    pub seq: u32,
    pub ack: u32,
    pub flags: u8,
    pub window: u16,
    /// Payload bytes, from the IP header's length (a frame cut by the snap length keeps it).
    pub len: u32,
    /// IPv4 TTL or IPv6 hop limit.
    pub ttl: u8,
}

/// Whether nbtriage reads frames of this link type.
pub fn is_known_link(link: u32) -> bool {
    matches!(
        link,
        LINK_NULL
            | LINK_ETHERNET
            | LINK_RAW
            | LINK_RAW_OPENBSD
            | LINK_LINUX_SLL
            | LINK_IPV4
            | LINK_IPV6
            | LINK_LINUX_SLL2
    )
}

/// The TCP segment a frame carries, if it carries one whose headers were captured.
pub fn tcp_segment(link: u32, frame: &[u8]) -> Option<Segment> {
    let (ether_type, ip) = match link {
        LINK_ETHERNET => ethernet(frame)?,
        LINK_LINUX_SLL => (be16(frame, 14)?, frame.get(16..)?),
        LINK_LINUX_SLL2 => (be16(frame, 0)?, frame.get(20..)?),
        LINK_NULL => (0, frame.get(4..)?),
        _ => (0, frame),
    };
    match ether_type {
        0x0800 => ipv4(ip),
        0x86DD => ipv6(ip),
        0 => match ip.first()? >> 4 {
            4 => ipv4(ip),
            6 => ipv6(ip),
            _ => None,
        },
        _ => None,
    }
}

/// The Ethernet type and what follows it, past any 802.1Q / 802.1ad tags.
fn ethernet(frame: &[u8]) -> Option<(u16, &[u8])> {
    let mut at = 12;
    let mut ether_type = be16(frame, at)?;
    while matches!(ether_type, 0x8100 | 0x88A8 | 0x9100) {
        at += 4;
        ether_type = be16(frame, at)?;
    }
    Some((ether_type, frame.get(at + 2..)?))
}

fn ipv4(ip: &[u8]) -> Option<Segment> {
    if ip.len() < 20 {
        return None;
    }
    let header = usize::from(ip.first()? & 0x0F) * 4;
    let total = usize::from(be16(ip, 2)?);
    let fragment = be16(ip, 6)? & 0x1FFF;
    if header < 20 || ip.get(9) != Some(&6) || fragment != 0 {
        return None;
    }
    // Offloaded segments are captured with a total length of 0: the frame's own length then.
    let total = if total == 0 { ip.len() } else { total };
    let src = Ipv4Addr::new(ip[12], ip[13], ip[14], ip[15]);
    let dst = Ipv4Addr::new(ip[16], ip[17], ip[18], ip[19]);
    tcp(ip.get(header..)?, total.checked_sub(header)?, IpAddr::V4(src), IpAddr::V4(dst), ip[8])
}

fn ipv6(ip: &[u8]) -> Option<Segment> {
    let mut next = *ip.get(6)?;
    let mut payload = usize::from(be16(ip, 4)?);
    let src: [u8; 16] = ip.get(8..24)?.try_into().ok()?;
    let dst: [u8; 16] = ip.get(24..40)?.try_into().ok()?;
    let mut at = 40;
    // Hop-by-hop, routing and destination options come before TCP; a fragment is not read.
    while matches!(next, 0 | 43 | 60) {
        let len = (usize::from(*ip.get(at + 1)?) + 1) * 8;
        next = *ip.get(at)?;
        at += len;
        payload = payload.checked_sub(len)?;
    }
    if next != 6 {
        return None;
    }
    let payload = if payload == 0 { ip.len().saturating_sub(at) } else { payload };
    tcp(ip.get(at..)?, payload, IpAddr::V6(Ipv6Addr::from(src)), IpAddr::V6(Ipv6Addr::from(dst)), ip[7])
}

fn tcp(t: &[u8], ip_payload: usize, src: IpAddr, dst: IpAddr, ttl: u8) -> Option<Segment> {
    let header = usize::from(t.get(12)? >> 4) * 4;
    if header < 20 || t.len() < 20 {
        return None;
    }
    Some(Segment {
        src: SockAddr { ip: src, port: be16(t, 0)? },
        dst: SockAddr { ip: dst, port: be16(t, 2)? },
        seq: be32(t, 4)?,
        ack: be32(t, 8)?,
        flags: t[13],
        window: be16(t, 14)?,
        len: ip_payload.saturating_sub(header) as u32,
        ttl,
    })
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ipv4_syn() -> Vec<u8> {
        let mut ip = vec![0x45, 0, 0, 40, 0, 0, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2];
        ip.extend_from_slice(&[0x9c, 0x40, 0x06, 0x14, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, SYN, 0xff, 0xff, 0, 0, 0, 0]);
        ip
    }

    #[test]
    fn reads_each_link_type() {
        let ip = ipv4_syn();
        let mut eth = vec![0u8; 12];
        eth.extend_from_slice(&[0x81, 0x00, 0, 5, 0x08, 0x00]);
        eth.extend_from_slice(&ip);
        let mut sll = vec![0u8; 14];
        sll.extend_from_slice(&[0x08, 0x00]);
        sll.extend_from_slice(&ip);
        let mut sll2 = vec![0x08, 0x00];
        sll2.extend_from_slice(&[0u8; 18]);
        sll2.extend_from_slice(&ip);
        for (link, frame) in [(LINK_ETHERNET, &eth), (LINK_LINUX_SLL, &sll), (LINK_LINUX_SLL2, &sll2), (LINK_RAW, &ip)]
        {
            let s = tcp_segment(link, frame).unwrap();
            assert_eq!(s.src.to_string(), "10.0.0.1.40000");
            assert_eq!(s.dst.port, 1556);
            assert_eq!((s.flags, s.len, s.ttl, s.seq), (SYN, 0, 64, 1));
        }
        for cut in 0..eth.len() {
            let _ = tcp_segment(LINK_ETHERNET, &eth[..cut]);
        }
    }
}
