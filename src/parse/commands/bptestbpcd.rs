//! `bptestbpcd`: tests a connection from a NetBackup server to bpcd on a host. The Commands
//! Reference Guide (bptestbpcd, https://docs.cohesity.com/docs/netbackup/9.0/15263389-144882499-0/v14667804-144882499):
//! "If successful, it reports information about the sockets that are established. The first
//! line of output consists of three digits that represent the effective connect options"; the
//! other lines give the server's address and port, the direction, bpcd's address and port, and
//! whether the connection went through the secure proxy.
//!
//! Sample (100vision/100vision.github.io, src/zh/信息技术/SysOps/post80_backup_nbu_04.md,
//! "Netbackup网络通讯问题排错", https://github.com/100vision/100vision.github.io), after the
//! `-debug` lines the command also prints:
//! ```text
//! 1 1 1
//! 127.0.0.1:36246 -> 127.0.0.1:55596 PROXY 192.168.6.41:54720 -> 172.20.0.81:1556
//! 127.0.0.1:36246 -> 127.0.0.1:55600 PROXY 192.168.6.41:48990 -> 172.20.0.81:1556
//! ```
//! No public sample of a failing bptestbpcd's output was found: its failures are read only by
//! an `EXIT STATUS N` line (see the module above), never guessed from other words.

use super::{word, CommandFact};

/// `1 1 1`: three connect-option digits (0 to 3) separated by single spaces.
pub(super) fn options(text: &[u8]) -> Option<CommandFact> {
    let digit = |b: u8| (b'0'..=b'3').contains(&b);
    match text {
        [a, b' ', b, b' ', c] if digit(*a) && digit(*b) && digit(*c) => {
            Some(CommandFact::BpcdOptions { options: String::from_utf8_lossy(text).into_owned() })
        }
        _ => None,
    }
}

pub(super) fn line(text: &[u8]) -> Option<CommandFact> {
    options(text).or_else(|| socket(text))
}

/// `a:p -> b:p`, optionally followed by `PROXY c:p -> d:p`: the connection that reached bpcd is
/// the proxy's when there is one (the local pair is the process's link to the proxy).
fn socket(text: &[u8]) -> Option<CommandFact> {
    let mut words = text.split(|&b| b == b' ').filter(|w| !w.is_empty());
    let (from, arrow, to) = (words.next()?, words.next()?, words.next()?);
    if arrow != b"->" || !is_endpoint(from) || !is_endpoint(to) {
        return None;
    }
    let (from, to) = match words.next() {
        None => (from, to),
        Some(b"PROXY") => {
            let (pfrom, parrow, pto) = (words.next()?, words.next()?, words.next()?);
            if parrow != b"->" || !is_endpoint(pfrom) || !is_endpoint(pto) {
                return None;
            }
            (pfrom, pto)
        }
        Some(_) => return None,
    };
    Some(CommandFact::BpcdSocket { from: word(from)?, to: word(to)? })
}

/// `address:port`: a port of digits after the last colon.
fn is_endpoint(w: &[u8]) -> bool {
    match w.iter().rposition(|&b| b == b':') {
        Some(at) if at > 0 => {
            let port = &w[at + 1..];
            (1..=5).contains(&port.len()) && port.iter().all(u8::is_ascii_digit)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_sample() {
        assert_eq!(options(b"1 1 1"), Some(CommandFact::BpcdOptions { options: "1 1 1".into() }));
        assert_eq!(
            line(b"127.0.0.1:36246 -> 127.0.0.1:55596 PROXY 192.168.6.41:54720 -> 172.20.0.81:1556"),
            Some(CommandFact::BpcdSocket { from: "192.168.6.41:54720".into(), to: "172.20.0.81:1556".into() })
        );
        assert_eq!(
            line(b"10.0.0.1:1022 -> 10.0.0.2:13782"),
            Some(CommandFact::BpcdSocket { from: "10.0.0.1:1022".into(), to: "10.0.0.2:13782".into() })
        );
    }

    #[test]
    fn leaves_other_lines() {
        for other in [&b"1 1"[..], b"1 1 4", b"11 1 1", b"a -> b", b"1.2.3.4:5 -> 6.7.8.9:x", b"1:2 -> 3:4 extra", b""]
        {
            assert_eq!(line(other), None, "{}", String::from_utf8_lossy(other));
        }
    }
}
