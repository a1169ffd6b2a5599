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
//! No public sample of a storage server in a state other than `UP` was found: such a state is
//! quoted as it stands, never interpreted.
//!
//! `nbdevquery -listdp -U` (disk pools) and `nbdevquery -listdv -U` (disk volumes) print one
//! block per pool or volume, each starting with `Disk Pool Name`, its `Status` among them. Samples,
//! verbatim but for the `#` each line carries as a comment in its source (centreon/centreon-plugins,
//! src/apps/backup/netbackup/local/mode/dedupstatus.pm, the commands it runs written beside them,
//! https://github.com/centreon/centreon-plugins/blob/develop/src/apps/backup/netbackup/local/mode/dedupstatus.pm):
//! ```text
//! Disk Pool Name   : NBU-MASTER-DP
//! Disk Pool Id     : NBU-MASTER-DP
//! Disk Type        : PureDisk
//! Status           : UP
//! Flag             : Patchwork
//! ```
//! (`-listdp -U`, its size and watermark lines left out here), and for `-listdv -U -stype PureDisk`:
//! ```text
//! Disk Pool Name      : NBU-MASTER-DP
//! Disk Type           : PureDisk
//! Disk Volume Name    : PureDiskVolume
//! Disk Media ID       : @aaaah
//! Total Capacity (GB) : 9777.56
//! Free Space (GB)     : 837.72
//! Use%                : 91
//! Status              : UP
//! Flag                : ReadOnWrite
//! Flag                : AdminUp
//! Flag                : InternalUp
//! ```
//! No public sample of a pool or volume whose `Status` is not `UP` was found: such a status is
//! quoted as it stands (the plugin above raises any status that is not UP as critical).

use super::{word, CommandFact};

/// `Storage Server      : <name>` or `Disk Pool Name      : <name>`: what starts a storage
/// server's block, or a disk pool's or volume's.
pub(super) fn first(text: &[u8]) -> Option<CommandFact> {
    match field(text)? {
        (b"Storage Server", value) => Some(CommandFact::StorageServer { name: word(value)? }),
        (b"Disk Pool Name", value) => Some(CommandFact::DiskPool { name: word(value)? }),
        _ => None,
    }
}

pub(super) fn line(text: &[u8]) -> Option<CommandFact> {
    let (key, value) = field(text)?;
    match key {
        b"Storage Server" => Some(CommandFact::StorageServer { name: word(value)? }),
        b"Storage Server Type" => Some(CommandFact::StorageServerType { stype: word(value)? }),
        b"State" => Some(CommandFact::StorageServerState { state: word(value)? }),
        b"Disk Pool Name" => Some(CommandFact::DiskPool { name: word(value)? }),
        b"Disk Volume Name" => Some(CommandFact::DiskVolume { name: word(value)? }),
        b"Status" => Some(CommandFact::DiskStatus { status: word(value)? }),
        _ => None,
    }
}

/// `Key   : value`, both trimmed; the key is words, the value one word or more.
pub(super) fn field(text: &[u8]) -> Option<(&[u8], &[u8])> {
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
    fn reads_the_disk_samples() {
        assert_eq!(
            first(b"Disk Pool Name   : NBU-MASTER-DP"),
            Some(CommandFact::DiskPool { name: "NBU-MASTER-DP".into() })
        );
        assert_eq!(
            line(b"Disk Volume Name    : PureDiskVolume"),
            Some(CommandFact::DiskVolume { name: "PureDiskVolume".into() })
        );
        assert_eq!(line(b"Status              : UP"), Some(CommandFact::DiskStatus { status: "UP".into() }));
        for other in
            [&b"Disk Media ID       : @aaaah"[..], b"Use%                : 91", b"Flag                : AdminUp"]
        {
            assert_eq!(line(other), None, "{}", String::from_utf8_lossy(other));
        }
    }

    #[test]
    fn leaves_other_lines() {
        for other in [&b"State : "[..], b"State: two words", b"10:02:03 State : UP", b"...", b"Storage Server"] {
            assert_eq!(line(other), None, "{}", String::from_utf8_lossy(other));
        }
        assert_eq!(first(b"State               : UP"), None);
    }
}
