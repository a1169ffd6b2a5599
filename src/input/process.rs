//! The NetBackup processes that write legacy debug logs, and what their presence says about
//! the host (reference §1.1: one directory per process under `.../netbackup/logs/`).

/// The role a process implies for the host that ran it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Runs on every NetBackup host (bpcd, vnetd, pbx): says nothing about the role.
    Any,
    Client,
    MediaServer,
    PrimaryServer,
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::Any => "NetBackup host",
            Role::Client => "client",
            Role::MediaServer => "media server",
            Role::PrimaryServer => "primary server",
        }
    }
}

/// Legacy log directories (reference §1.1, §S6, §S38), with the role each implies.
const PROCESSES: &[(&str, Role)] = &[
    ("admin", Role::PrimaryServer),
    ("bparchive", Role::Client),
    ("bpbackup", Role::Client),
    ("bpbkar", Role::Client),
    ("bpbrm", Role::MediaServer),
    ("bpcd", Role::Any),
    ("bpclntcmd", Role::Any),
    ("bpcompatd", Role::PrimaryServer),
    ("bpdbjobs", Role::PrimaryServer),
    ("bpdbm", Role::PrimaryServer),
    ("bpdm", Role::MediaServer),
    ("bpfis", Role::Client),
    ("bphdb", Role::Client),
    ("bpinetd", Role::Any),
    ("bpjava-msvc", Role::Any),
    ("bpjava-susvc", Role::Any),
    ("bpjobd", Role::PrimaryServer),
    ("bplist", Role::Client),
    ("bpmount", Role::Client),
    ("bprd", Role::PrimaryServer),
    ("bprestore", Role::Client),
    ("bptm", Role::MediaServer),
    ("bptestbpcd", Role::Any),
    ("bpvault", Role::PrimaryServer),
    ("dbclient", Role::Client),
    ("nbproxy", Role::PrimaryServer),
    ("tar", Role::Client),
    ("user_ops", Role::Any),
    ("vnetd", Role::Any),
    // Media manager daemons (§S38).
    ("acsssi", Role::MediaServer),
    ("avrd", Role::MediaServer),
    ("ltid", Role::MediaServer),
    ("reqlib", Role::MediaServer),
    ("robots", Role::MediaServer),
    ("tpcommand", Role::MediaServer),
    ("vmd", Role::MediaServer),
    // Unified-logging (VxUL) originators with their own folders under `/usr/openv/logs/` (§2).
    // The reference does not say which hosts run them, so they imply no role.
    ("nbemm", Role::Any),
    ("nbjm", Role::Any),
    ("nbpem", Role::Any),
    ("nbrb", Role::Any),
];

/// Looks a name up, ignoring ASCII case; returns the canonical (lower-case) name.
pub fn lookup(name: &[u8]) -> Option<(&'static str, Role)> {
    PROCESSES.iter().find(|(known, _)| known.as_bytes().eq_ignore_ascii_case(name)).map(|&(known, role)| (known, role))
}

pub fn is_process(name: &[u8]) -> bool {
    lookup(name).is_some()
}

pub fn role_of(name: &str) -> Role {
    lookup(name.as_bytes()).map_or(Role::Any, |(_, role)| role)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_ignores_case() {
        assert_eq!(lookup(b"BPBRM"), Some(("bpbrm", Role::MediaServer)));
        assert_eq!(lookup(b"vnetd").map(|p| p.1), Some(Role::Any));
        assert_eq!(lookup(b"bpbrmx"), None);
        assert_eq!(role_of("bpbkar"), Role::Client);
    }
}
