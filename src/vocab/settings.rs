//! A host's settings as the report carries them: `KEY = value` lines of a bp.conf
//! ([`crate::parse::settings`] reads them) and the facts the rules use, each with its line.

use serde::{Deserialize, Serialize};

/// One `KEY = value` line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Setting {
    /// As written (bp.conf keys are upper case: `SERVER`).
    pub key: String,
    /// Trimmed, at most `crate::parse::settings::MAX_VALUE` bytes.
    pub value: String,
    /// The line number in the file, from 1.
    pub line: u64,
    /// The line's byte offset in the file (evidence points at it).
    pub offset: u64,
}

/// A value and the line it is on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub value: String,
    pub line: u64,
    pub offset: u64,
}

/// The facts of one host's settings file that the rules use, each with its line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostSettings {
    /// Whose settings they are: the CLIENT_NAME, else the folder naming the host.
    pub host: Option<String>,
    /// "client-name" or "folder" (absent when neither names the host).
    pub host_source: Option<String>,
    /// The SERVER entries in file order (the hosts allowed to reach this one's bpcd).
    pub servers: Vec<Entry>,
    pub media_servers: Vec<Entry>,
    pub client_name: Option<Entry>,
    /// In seconds, as written; `None` when the key is absent (300 s, documented) or not a number.
    pub client_read_timeout_s: Option<u32>,
    pub client_read_timeout_line: Option<Entry>,
    pub client_connect_timeout_s: Option<u32>,
    pub connect_options: Vec<Entry>,
    pub default_connect_options: Option<Entry>,
}

impl HostSettings {
    /// From a settings file's lines and the host its folder names. A key written twice where
    /// one value counts keeps its last line (NetBackup's own reading of a repeated single key is
    /// not documented in the sources found: nbtriage's practice, said where it matters).
    pub fn of(settings: &[Setting], folder_host: Option<&str>) -> HostSettings {
        let mut h = HostSettings::default();
        for s in settings {
            let entry = || Entry { value: s.value.clone(), line: s.line, offset: s.offset };
            match s.key.as_str() {
                "SERVER" => h.servers.push(entry()),
                "MEDIA_SERVER" => h.media_servers.push(entry()),
                "CLIENT_NAME" => h.client_name = Some(entry()),
                "CLIENT_READ_TIMEOUT" => {
                    h.client_read_timeout_s = s.value.parse().ok();
                    h.client_read_timeout_line = Some(entry());
                }
                "CLIENT_CONNECT_TIMEOUT" => h.client_connect_timeout_s = s.value.parse().ok(),
                "CONNECT_OPTIONS" => h.connect_options.push(entry()),
                "DEFAULT_CONNECT_OPTIONS" => h.default_connect_options = Some(entry()),
                _ => {}
            }
        }
        (h.host, h.host_source) = match (&h.client_name, folder_host) {
            (Some(name), _) if !name.value.is_empty() => (Some(name.value.clone()), Some("client-name".into())),
            (_, Some(folder)) => (Some(folder.to_string()), Some("folder".into())),
            _ => (None, None),
        };
        h
    }

    /// The SERVER or MEDIA_SERVER entry that names `server`, with the key it is under.
    pub fn allows(&self, server: &str) -> Option<(&'static str, &Entry)> {
        self.servers
            .iter()
            .find(|e| same_host(&e.value, server))
            .map(|e| ("SERVER", e))
            .or_else(|| self.media_servers.iter().find(|e| same_host(&e.value, server)).map(|e| ("MEDIA_SERVER", e)))
    }
}

/// A host name as a server list compares it: case-insensitive, and a short name matches its
/// fully qualified form (`media01` and `media01.example.com`), as the lists carry either.
pub fn same_host(a: &str, b: &str) -> bool {
    let short = |s: &str| s.split('.').next().unwrap_or(s).to_ascii_lowercase();
    a.eq_ignore_ascii_case(b) || (!a.is_empty() && short(a) == short(b))
}
