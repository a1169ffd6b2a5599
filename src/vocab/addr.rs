//! Socket addresses as NetBackup prints them: the port joined to the address by a dot,
//! `2.2.2.2.3583`, `127.0.0.1.57288` (seed technote).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::IpAddr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SockAddr {
    pub ip: IpAddr,
    pub port: u16,
}

impl SockAddr {
    /// Parses `a.b.c.d.port`, or an IPv6 address followed by `.port`. `None` for anything else.
    pub fn parse(text: &[u8]) -> Option<SockAddr> {
        let text = std::str::from_utf8(text).ok()?;
        let (host, port) = text.rsplit_once('.')?;
        let port: u16 = port.parse().ok()?;
        let host = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
        Some(SockAddr { ip: host.parse().ok()?, port })
    }

    pub fn is_loopback(&self) -> bool {
        self.ip.is_loopback()
    }
}

impl fmt::Display for SockAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.ip, self.port)
    }
}

/// Reads `FROM <addr> TO <addr>` after `CONNECT` or `ACCEPT` in a message.
pub fn from_to(after_keyword: &[u8]) -> Option<(SockAddr, SockAddr)> {
    let rest = after_keyword.strip_prefix(b" FROM ")?;
    let (from, rest) = split_token(rest);
    let rest = rest.strip_prefix(b"TO ")?;
    let (to, _) = split_token(rest);
    Some((SockAddr::parse(from)?, SockAddr::parse(to)?))
}

fn split_token(s: &[u8]) -> (&[u8], &[u8]) {
    let end = s.iter().position(|&b| b == b' ').unwrap_or(s.len());
    (&s[..end], s.get(end + 1..).unwrap_or(&[]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dotted_port() {
        let a = SockAddr::parse(b"2.2.2.2.3583").unwrap();
        assert_eq!(a.to_string(), "2.2.2.2.3583");
        assert_eq!(a.port, 3583);
        assert!(SockAddr::parse(b"127.0.0.1.57288").unwrap().is_loopback());
        assert_eq!(SockAddr::parse(b"::1.13724").unwrap().port, 13724);
        assert!(SockAddr::parse(b"2.2.2.3583").is_none());
        assert!(SockAddr::parse(b"2.2.2.2.99999").is_none());
        assert!(SockAddr::parse(b"host.example.13724").is_none());
    }

    #[test]
    fn from_to_pairs() {
        let (f, t) = from_to(b" FROM 2.2.2.2.3586 TO 3.3.3.3.13724 fd = 1208").unwrap();
        assert_eq!((f.to_string(), t.to_string()), ("2.2.2.2.3586".into(), "3.3.3.3.13724".into()));
        assert!(from_to(b" FROM 2.2.2.2.3586").is_none());
    }
}
