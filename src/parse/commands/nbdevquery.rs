//! `nbdevquery -liststs -U`: the storage servers NetBackup knows, one block of `Key : value`
//! lines each, its `State` among them. The Commands Reference Guide (nbdevquery, listed in
//! https://origin-www.veritas.com/content/support/en_US/doc/15263389-132009154-0/v14664081-132009154)
//! documents the command.
//!
//! Sample (100vision/100vision.github.io, src/zh/信息技术/SysOps/post80_backup_nbu_04.md,
//! "Netbackup网络通讯问题排错", https://github.com/100vision/100vision.github.io):
//! ```text
//! [root@nbu_master_server ~]# /usr/openv/netbackup/bin/admincmd/nbdevquery -liststs  -U
//! Storage Server      : nbu_master_server.example.com
//! Storage Server Type : BasicDisk
//! Storage Type        : Formatted Disk, Direct Attached
//! State               : UP
//! ...
//!
//! Storage Server      : nbu_st01.example.com
//! Storage Server Type : DataDomain
//! Storage Type        : Formatted Disk, Network Attached
//! State               : UP
//! ```
//! No public sample of `-listdv -U` (the disk volumes and their `Status`), nor of a storage
//! server in a state other than `UP`, was found: `-listdv` is left out, and a state other than
//! `UP` is quoted as it stands, never interpreted.

use super::{word, CommandFact};

/// `Storage Server      : <name>`: what starts a storage server's block.
pub(super) fn first(text: &[u8]) -> Option<CommandFact> {
    match field(text)? {
        (b"Storage Server", value) => Some(CommandFact::StorageServer { name: word(value)? }),
        _ => None,
    }
}

pub(super) fn line(text: &[u8]) -> Option<CommandFact> {
    let (key, value) = field(text)?;
    match key {
        b"Storage Server" => Some(CommandFact::StorageServer { name: word(value)? }),
        b"Storage Server Type" => Some(CommandFact::StorageServerType { stype: word(value)? }),
        b"State" => Some(CommandFact::StorageServerState { state: word(value)? }),
        _ => None,
    }
}

/// `Key   : value`, both trimmed; the key is words, the value one word or more.
fn field(text: &[u8]) -> Option<(&[u8], &[u8])> {
    let colon = memchr::memchr(b':', text)?;
    let key = text[..colon].trim_ascii();
    let value = text[colon + 1..].trim_ascii();
    let key_ok = !key.is_empty() && key.iter().all(|&b| b.is_ascii_alphabetic() || b == b' ');
    (key_ok && !value.is_empty()).then_some((key, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_sample() {
        assert_eq!(
            first(b"Storage Server      : nbu_master_server.example.com"),
            Some(CommandFact::StorageServer { name: "nbu_master_server.example.com".into() })
        );
        assert_eq!(
            line(b"Storage Server Type : DataDomain"),
            Some(CommandFact::StorageServerType { stype: "DataDomain".into() })
        );
        assert_eq!(line(b"State               : UP"), Some(CommandFact::StorageServerState { state: "UP".into() }));
        assert_eq!(line(b"Storage Type        : Formatted Disk, Direct Attached"), None);
    }

    #[test]
    fn leaves_other_lines() {
        for other in [&b"State : "[..], b"State: two words", b"10:02:03 State : UP", b"...", b"Storage Server"] {
            assert_eq!(line(other), None, "{}", String::from_utf8_lossy(other));
        }
        assert_eq!(first(b"State               : UP"), None);
    }
}
