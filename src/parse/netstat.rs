//! `netstat` and `ss` output, one line at a time: the header lines that tell the form, TCP
//! rows (Windows `netstat -na`/`-ano`, Linux `netstat -tan(p)`, AIX/Solaris dotted `addr.port`
//! (Solaris's table: local, remote, windows and queues, the state last),
//! `ss -tan`; IPv4 and IPv6) and the time lines a loop prints between snapshots (`date`'s
//! default form, and Windows `echo %date% %time%`).
//!
//! Forms: the verbatim outputs in the research notes (Windows: admincmd.blogspot.com 2009/04,
//! pastebin CR3SXq5E; Linux: pastebin PMt8TBKF, jcaFTEf4, 8nbJGUWs; `ss`: netdata issue 2169;
//! AIX: saltstack's `_aix_remotes_on` docstring). The state and PID are read by position from
//! the row's end, not by header text, so translated headers still read.

use super::scan::{digits, skip_blanks};
use crate::vocab::addr::SockAddr;
use crate::vocab::time::Date;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// A TCP connection's state, in netstat's words (`ss` spells them with hyphens).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TcpState {
    Listen,
    SynSent,
    SynReceived,
    Established,
    FinWait1,
    FinWait2,
    CloseWait,
    Closing,
    LastAck,
    TimeWait,
    Closed,
}

/// States by their spellings, longest first where one is a prefix of another (`-o` glues the
/// timer to the state: `ESTABLISHEDkeepalive`, pastebin 8nbJGUWs).
const STATES: &[(&str, TcpState)] = &[
    ("LISTENING", TcpState::Listen),
    ("LISTEN", TcpState::Listen),
    ("SYN_SENT", TcpState::SynSent),
    ("SYN-SENT", TcpState::SynSent),
    ("SYN_RECEIVED", TcpState::SynReceived),
    ("SYN_RCVD", TcpState::SynReceived),
    ("SYN_RECV", TcpState::SynReceived),
    ("SYN-RECV", TcpState::SynReceived),
    ("ESTABLISHED", TcpState::Established),
    ("ESTAB", TcpState::Established),
    ("FIN_WAIT_1", TcpState::FinWait1),
    ("FIN_WAIT1", TcpState::FinWait1),
    ("FIN-WAIT-1", TcpState::FinWait1),
    ("FIN_WAIT_2", TcpState::FinWait2),
    ("FIN_WAIT2", TcpState::FinWait2),
    ("FIN-WAIT-2", TcpState::FinWait2),
    ("CLOSE_WAIT", TcpState::CloseWait),
    ("CLOSE-WAIT", TcpState::CloseWait),
    ("CLOSING", TcpState::Closing),
    ("LAST_ACK", TcpState::LastAck),
    ("LAST-ACK", TcpState::LastAck),
    ("TIME_WAIT", TcpState::TimeWait),
    ("TIME-WAIT", TcpState::TimeWait),
    ("CLOSED", TcpState::Closed),
    ("UNCONN", TcpState::Closed),
];

impl TcpState {
    fn read(word: &[u8]) -> Option<TcpState> {
        STATES.iter().find(|(name, _)| word.starts_with(name.as_bytes())).map(|&(_, s)| s)
    }
}

/// One TCP row. `remote` is `None` for a wildcard peer (`0.0.0.0:0`, `*:*`, `*.*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    pub local: SockAddr,
    pub remote: Option<SockAddr>,
    pub state: TcpState,
    pub pid: Option<u32>,
}

/// What one line of netstat or ss output is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line {
    /// `Active Connections`, `Active Internet connections (...)`, or a column line
    /// (`Proto ...`, `State Recv-Q ...`): a snapshot starts.
    Header,
    Row(Row),
    /// A time a loop printed: milliseconds since 1970-01-01 of the host's local clock as
    /// printed, and the zone's name when `date` printed one.
    Time {
        local_ms: i64,
        zone: Option<Zone>,
    },
    Other,
}

/// A time zone's name as `date` printed it (`UTC`, `CET`): at most 6 ASCII letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Zone(pub [u8; 6]);

impl Zone {
    pub fn name(&self) -> &str {
        let end = self.0.iter().position(|&b| b == 0).unwrap_or(6);
        std::str::from_utf8(&self.0[..end]).unwrap_or("")
    }
}

/// Whether a line is one of netstat's or ss's header lines (the form is told by these).
pub fn is_header(line: &[u8]) -> bool {
    let line = skip_blanks(line);
    line.starts_with(b"Active Internet connections")
        || line.starts_with(b"Active Connections")
        || line.starts_with(b"TCP: IPv")
        || (line.starts_with(b"Local Address") && contains(line, b"Remote Address"))
        || (line.starts_with(b"Proto ") && (contains(line, b"Address") || contains(line, b"Recv-Q")))
        || (line.starts_with(b"State ") && contains(line, b"Recv-Q") && contains(line, b"Peer Address"))
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Reads one line (without its line end).
pub fn line(text: &[u8]) -> Line {
    if is_header(text) {
        return Line::Header;
    }
    if let Some(row) = row(text) {
        return Line::Row(row);
    }
    match time_line(text) {
        Some((local_ms, zone)) => Line::Time { local_ms, zone },
        None => Line::Other,
    }
}

/// A TCP row: `proto [recv-q send-q] local remote state [pid...]` (netstat) or
/// `state recv-q send-q local remote` (ss).
pub fn row(text: &[u8]) -> Option<Row> {
    let mut words = text.split(|&b| b == b' ' || b == b'\t').filter(|w| !w.is_empty());
    let first = words.next()?;
    let rest: [&[u8]; 6] = std::array::from_fn(|_| words.next().unwrap_or(b""));
    if let Some(state) = TcpState::read(first) {
        // ss: state, Recv-Q, Send-Q, local, peer.
        let (local, remote) = (address(rest[2])?, peer(rest[3])?);
        return Some(Row { local, remote, state, pid: None });
    }
    if let Some(local) = address(first) {
        // Solaris: local, remote, then window and queue numbers, the state last.
        let last = text.split(|&b| b == b' ' || b == b'\t').rfind(|w| !w.is_empty())?;
        return Some(Row { local, remote: peer(rest[0])?, state: TcpState::read(last)?, pid: None });
    }
    let lower = first.to_ascii_lowercase();
    if !matches!(lower.as_slice(), b"tcp" | b"tcp4" | b"tcp6" | b"tcpv6") {
        return None;
    }
    // Windows has no queue columns: its second word is an address already.
    let at = if is_number(rest[0]) && is_number(rest[1]) { 2 } else { 0 };
    let (local, remote) = (address(rest[at])?, peer(rest[at + 1])?);
    let state = TcpState::read(rest[at + 2])?;
    let pid = rest.get(at + 3).and_then(|w| digits(w, 1, 9)).map(|(pid, _)| pid);
    Some(Row { local, remote, state, pid })
}

fn is_number(word: &[u8]) -> bool {
    !word.is_empty() && word.iter().all(u8::is_ascii_digit)
}

/// A peer address: `None` inside `Some` for a wildcard.
fn peer(word: &[u8]) -> Option<Option<SockAddr>> {
    if word.starts_with(b"*") || word.ends_with(b":*") || word == b"0.0.0.0:0" || word == b"[::]:0" {
        return Some(None);
    }
    address(word).map(Some)
}

/// `1.2.3.4:1556`, `[::1]:1556`, `::1.1556`, `1.2.3.4.1556`; an IPv6 address with its zone
/// (`%eth0`) loses the zone.
pub fn address(word: &[u8]) -> Option<SockAddr> {
    let text = std::str::from_utf8(word).ok()?;
    if let Some(rest) = text.strip_prefix('[') {
        let (host, port) = rest.split_once("]:")?;
        return Some(SockAddr { ip: ip(host)?, port: port.parse().ok()? });
    }
    if let Some((host, port)) = text.rsplit_once(':') {
        if let (Some(ip), Ok(port)) = (ip(host), port.parse()) {
            return Some(SockAddr { ip, port });
        }
    }
    let (host, port) = text.rsplit_once('.')?;
    Some(SockAddr { ip: ip(host)?, port: port.parse().ok()? })
}

fn ip(host: &str) -> Option<IpAddr> {
    let host = host.split_once('%').map_or(host, |(h, _)| h);
    host.parse().ok()
}

const MONTHS: [&[u8]; 12] =
    [b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec"];

/// A time a loop printed: `date`'s default form (`%a %b %e %H:%M:%S %Z %Y`, POSIX `date`),
/// or Windows `%date% %time%` with a numeric date (`Mon 04/13/2012 10:15:22.45`, month first,
/// or `13.04.2012 10:15:22,45`, day first: told by the separator) followed by the time.
pub fn time_line(text: &[u8]) -> Option<(i64, Option<Zone>)> {
    let words: Vec<&[u8]> = text.split(|&b| b == b' ' || b == b'\t').filter(|w| !w.is_empty()).take(7).collect();
    let words = match words.first() {
        Some(w) if w.len() == 3 && w.iter().all(u8::is_ascii_alphabetic) && words.len() > 1 => &words[1..],
        _ => &words[..],
    };
    if let Some(month) = MONTHS.iter().position(|m| words.first() == Some(m)) {
        // `Dec 6 07:14:31 UTC 2026` or `Dec 6 07:14:31 2026`.
        let (day, _) = digits(words.get(1)?, 1, 2)?;
        let ms = clock(words.get(2)?)?;
        let (zone, year) = match words.get(3).and_then(|w| digits(w, 4, 4)) {
            Some((year, _)) => (None, year),
            None => (zone(words.get(3)?), digits(words.get(4)?, 4, 4)?.0),
        };
        let date = Date::new(i32::try_from(year).ok()?, month as u8 + 1, u8::try_from(day).ok()?)?;
        return Some((date.start_ms() + ms, zone));
    }
    let date = numeric_date(words.first()?)?;
    Some((date.start_ms() + clock(words.get(1)?)?, None))
}

fn clock(word: &[u8]) -> Option<i64> {
    let c = super::clock::time_of_day(word)?;
    (c.len == word.len() || word.get(c.len) == Some(&b',')).then_some(i64::from(c.ms_of_day))
}

fn zone(word: &[u8]) -> Option<Zone> {
    if word.is_empty() || word.len() > 6 || !word.iter().all(u8::is_ascii_alphabetic) {
        return None;
    }
    let mut z = [0u8; 6];
    z[..word.len()].copy_from_slice(word);
    Some(Zone(z))
}

/// `04/13/2012` (month first), `13.04.2012` (day first), `2012-04-13`.
fn numeric_date(word: &[u8]) -> Option<Date> {
    let sep = *word.iter().find(|b| !b.is_ascii_digit())?;
    let mut parts = word.split(|&b| b == sep).map(|p| digits(p, 1, 4).filter(|&(_, n)| n == p.len()).map(|(v, _)| v));
    let (a, b, c) = (parts.next()??, parts.next()??, parts.next()??);
    if parts.next().is_some() {
        return None;
    }
    let (y, m, d) = match sep {
        b'/' => (c, a, b),
        b'.' => (c, b, a),
        b'-' => (a, b, c),
        _ => return None,
    };
    Date::new(i32::try_from(y).ok().filter(|y| *y >= 1970)?, u8::try_from(m).ok()?, u8::try_from(d).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row_of(text: &str) -> Row {
        row(text.as_bytes()).unwrap_or_else(|| panic!("no row: {text}"))
    }

    #[test]
    fn headers() {
        // Verbatim: admincmd.blogspot.com 2009/04, pastebin PMt8TBKF, netdata issue 2169, saltstack.
        for h in [
            "Active Connections",
            "Proto Local Address Foreign Address State",
            "  Proto  Local Address          Foreign Address        State           PID",
            "Proto Recv-Q Send-Q Local Address Foreign Address State",
            "Active Internet connections (w/o servers)",
            "    State      Recv-Q Send-Q Local Address:Port               Peer Address:Port              ",
            "    Proto Recv-Q Send-Q  Local Address          Foreign Address        (state)",
        ] {
            assert_eq!(line(h.as_bytes()), Line::Header, "{h}");
        }
    }

    #[test]
    fn windows_rows() {
        // Verbatim: admincmd.blogspot.com 2009/04 (no PID), pastebin CR3SXq5E (`-ano`).
        let r = row_of("TCP 10.17.7.21:1960 20.46.19.9:1863 ESTABLISHED");
        assert_eq!(
            (r.local.to_string(), r.remote.unwrap().to_string()),
            ("10.17.7.21.1960".into(), "20.46.19.9.1863".into())
        );
        assert_eq!(r.state, TcpState::Established);
        let r = row_of("  TCP    0.0.0.0:135            0.0.0.0:0              LISTENING       1264");
        assert_eq!((r.state, r.remote, r.pid), (TcpState::Listen, None, Some(1264)));
        let r = row_of("  TCP    192.168.170.11:1814    173.194.38.145:80      TIME_WAIT       0");
        assert_eq!((r.state, r.pid), (TcpState::TimeWait, Some(0)));
    }

    #[test]
    fn linux_aix_and_ss_rows() {
        // Verbatim: pastebin PMt8TBKF, jcaFTEf4, 8nbJGUWs; saltstack `_aix_remotes_on`; netdata 2169.
        assert_eq!(row_of("tcp 0 0 0.0.0.0:8181 0.0.0.0:* LISTEN").remote, None);
        let r = row_of("tcp 0 0 192.168.10.102:59682 192.168.12.2:8888 CLOSE_WAIT 15062/script");
        assert_eq!((r.state, r.pid, r.remote.unwrap().port), (TcpState::CloseWait, Some(15062), 8888));
        assert_eq!(
            row_of("tcp 0 0 192.168.22.1:443 111.111.11.210:5804 ESTABLISHEDkeepalive (6176.47/0/0)").state,
            TcpState::Established
        );
        let r = row_of("    tcp4       0      0  172.29.149.95.50093    209.41.78.13.4505      ESTABLISHED");
        assert_eq!((r.local.port, r.remote.unwrap().port), (50093, 4505));
        assert_eq!(
            row_of("    tcp4       0      0  127.0.0.1.9514         *.*                    LISTEN").remote,
            None
        );
        let r = row_of("    SYN-SENT   0      1      172.27.233.198:46460              10.1.1.1:8080               ");
        assert_eq!((r.state, r.remote.unwrap().to_string()), (TcpState::SynSent, "10.1.1.1.8080".into()));
    }

    #[test]
    fn solaris_rows() {
        // Verbatim: saltstack `_sunos_remotes_on` docstring.
        assert_eq!(line(b"    TCP: IPv4"), Line::Header);
        assert_eq!(
            line(b"       Local Address        Remote Address    Swind Send-Q Rwind Recv-Q    State"),
            Line::Header
        );
        let r = row_of("       10.0.0.101.4505      10.0.0.1.45329       1064800      0 1055864      0 ESTABLISHED");
        assert_eq!((r.local.port, r.remote.unwrap().port, r.state), (4505, 45329, TcpState::Established));
        assert!(
            row(b"       -------------------- -------------------- ----- ------ ----- ------ -----------").is_none()
        );
    }

    #[test]
    fn ipv6_addresses() {
        assert_eq!(address(b"[::1]:1556").unwrap().port, 1556);
        assert_eq!(address(b"::1.1556").unwrap().port, 1556);
        assert_eq!(address(b"fe80::1%eth0:22").unwrap().port, 22);
        assert!(address(b"host.example:http").is_none());
    }

    #[test]
    fn not_rows() {
        for t in ["", "TCP", "tcp 0 0", "UDP 0.0.0.0:123 *:*", "tcp 0 0 a:b c:d LISTEN", "SYN_SENT x"] {
            assert!(row(t.as_bytes()).is_none(), "{t}");
        }
    }

    #[test]
    fn time_lines() {
        // Constructed in the forms `date` and `%date% %time%` print (no public loop output found).
        let (ms, zone) = time_line(b"Sun Dec  6 07:14:31 UTC 2026").unwrap();
        assert_eq!(zone.unwrap().name(), "UTC");
        let day = Date::new(2026, 12, 6).unwrap().start_ms();
        assert_eq!(ms, day + ((7 * 60 + 14) * 60 + 31) * 1000);
        assert_eq!(
            time_line(b"Sun 12/06/2026  7:14:31.45").unwrap(),
            (day + ((7 * 60 + 14) * 60 + 31) * 1000 + 450, None)
        );
        assert_eq!(time_line(b"06.12.2026  7:14:31,45").unwrap().0, day + ((7 * 60 + 14) * 60 + 31) * 1000);
        assert!(time_line(b"13/13/2026 07:00:00").is_none());
        assert!(time_line(b"Sun Dec").is_none());
    }
}
