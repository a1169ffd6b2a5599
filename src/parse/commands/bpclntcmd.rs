//! `bpclntcmd -pn`: the host asks the primary (master) server how the server identifies it.
//! The Commands Reference Guide (bpclntcmd) documents the option; the host prints
//! `expecting response from server <server>` and then the server's answer.
//!
//! Sample (100vision/100vision.github.io, src/zh/信息技术/SysOps/post80_backup_nbu_04.md,
//! "Netbackup网络通讯问题排错", https://github.com/100vision/100vision.github.io):
//! ```text
//! > /usr/openv/netbackup/bin/bpclntcmd -pn
//! expecting response from server master_server_01
//! client_01.example.com *NULL* 192.168.0.30 3815
//! ```
//! No public sample of `-hn`, `-ip` or `-self` output, nor of a failing `-pn`, was found: those
//! forms are left out (a failing run is read only by an `EXIT STATUS N` line).

use super::{word, CommandFact};

/// `expecting response from server <server>`.
pub(super) fn asked(text: &[u8]) -> Option<CommandFact> {
    let server = text.strip_prefix(b"expecting response from server ")?;
    Some(CommandFact::ServerAsked { server: word(server.trim_ascii())? })
}

pub(super) fn line(text: &[u8]) -> Option<CommandFact> {
    asked(text).or_else(|| answer(text))
}

/// `<name> <second name or *NULL*> <IPv4 or IPv6 address> <port>`: four words, an address
/// third and a port last.
fn answer(text: &[u8]) -> Option<CommandFact> {
    let words: Vec<&[u8]> = text.split(|&b| b == b' ').filter(|w| !w.is_empty()).collect();
    let [name, _, address, port] = words.as_slice() else { return None };
    let address_ok = std::str::from_utf8(address).ok()?.parse::<std::net::IpAddr>().is_ok();
    let port_ok = (1..=5).contains(&port.len()) && port.iter().all(u8::is_ascii_digit);
    (address_ok && port_ok).then_some(())?;
    Some(CommandFact::ServerAnswered { name: word(name)?, address: word(address)? })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_sample() {
        assert_eq!(
            line(b"expecting response from server master_server_01"),
            Some(CommandFact::ServerAsked { server: "master_server_01".into() })
        );
        assert_eq!(
            line(b"client_01.example.com *NULL* 192.168.0.30 3815"),
            Some(CommandFact::ServerAnswered { name: "client_01.example.com".into(), address: "192.168.0.30".into() })
        );
    }

    #[test]
    fn leaves_other_lines() {
        for other in
            [&b"expecting response from server "[..], b"a b 300.1.1.1 22", b"a b 10.0.0.1 port", b"a b c 10.0.0.1 1"]
        {
            assert_eq!(line(other), None, "{}", String::from_utf8_lossy(other));
        }
    }
}
