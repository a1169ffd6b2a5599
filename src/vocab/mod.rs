//! The crate's vocabulary: the plain value types every layer speaks, with no logic beyond
//! naming and parsing themselves. Nothing here imports another module of the crate, so any
//! module may use it (the layer table in `tests/tidy.rs`).
//! - the words of a finding (`Severity`, `Role`, `Owner`, `Area`) and of a report
//!   (`FileFormat`, `MarkKind`), which the catalogue's data and the rules share;
//! - [`time`]: civil dates and naive local milliseconds, as NetBackup logs carry them;
//! - [`addr`]: socket addresses as NetBackup prints them (`2.2.2.2.3583`).

pub mod addr;
pub mod settings;
pub mod time;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Critical,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Critical => "critical",
        }
    }
}

/// What a finding is to the diagnosis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// A known pattern explains a failure or a problem.
    Cause,
    /// A status or an error, stated as such.
    Symptom,
    /// The earliest error, when nothing explains it.
    FirstError,
}

/// Who should act on a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Owner {
    NetworkTeam,
    BackupAdmin,
    ClientOwner,
    StorageAdmin,
    NetbackupSupport,
    /// The database's own error (RMAN, ORA-): the database administrator reads and fixes it.
    DatabaseAdmin,
}

impl Owner {
    /// Who, in words: "the network team".
    pub fn label(self) -> &'static str {
        match self {
            Owner::NetworkTeam => "the network team",
            Owner::BackupAdmin => "the backup admin",
            Owner::ClientOwner => "the client's owner",
            Owner::StorageAdmin => "the storage admin",
            Owner::NetbackupSupport => "NetBackup support",
            Owner::DatabaseAdmin => "the database administrator",
        }
    }
}

/// Where in a backup a finding belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Area {
    Network,
    NamesAndTrust,
    Client,
    MediaAndStorage,
    Catalog,
    Scheduling,
}

impl Area {
    pub fn label(self) -> &'static str {
        match self {
            Area::Network => "network",
            Area::NamesAndTrust => "names and trust",
            Area::Client => "client",
            Area::MediaAndStorage => "media and storage",
            Area::Catalog => "catalog",
            Area::Scheduling => "scheduling",
        }
    }
}

/// How a file was read: `format` in the report (the JSON names are the serde names, which
/// `name` gives too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileFormat {
    /// Legacy debug log lines.
    Legacy,
    /// Unified logging (VxUL) as `vxlogview` prints it.
    #[serde(rename = "vxlogview")]
    Vxul,
    /// Job Details text from the Activity Monitor.
    JobDetails,
    /// A raw (binary) unified log, recognized by its name: it needs `vxlogview` first.
    #[serde(rename = "vxul-raw")]
    RawVxul,
    /// Text with no line in a known log form, but holding NetBackup messages the catalogue
    /// knows, quoted without their log header (an error pasted from a console or a ticket):
    /// read for those messages alone, with no time.
    Messages,
    /// The output of an admin command (`bptestbpcd`, `bpclntcmd`, `nbcertcmd`), told by its
    /// first lines: read for the state it shows, not as a log.
    CommandOutput,
    /// A host's settings as `bp.conf` holds them (`SERVER = master01`), told by the file's name
    /// or a `SERVER =` line among its first lines: read for the settings, not as a log.
    Settings,
    /// The system log (`/var/log/messages`, `journalctl`, rsyslog's ISO form, Windows' event log
    /// as Event Viewer saves it), told by its lines: read for what the operating system and
    /// NetBackup's daemons wrote there.
    SystemLog,
    /// A packet capture (pcap or pcapng), told by its first bytes: read for its TCP
    /// connections, not as a log.
    Capture,
    /// A job list (`bpdbjobs -report -all_columns`, the REST API's jobs), told by its first
    /// bytes: read job by job for the jobs summary, not as a log.
    JobList,
    /// `netstat` or `ss` output, told by its first lines (a header or a TCP row): read for its
    /// connections' states across snapshots, not as a log.
    Netstat,
    /// Text, but no line in a known log form.
    UnknownText,
    /// Not text.
    Binary,
    /// No bytes.
    Empty,
    /// An archive: its files are listed on their own (see [`crate::item`]).
    Archive,
}

impl FileFormat {
    /// Whether log lines (or known messages) were read from the file.
    pub fn is_log(self) -> bool {
        matches!(
            self,
            FileFormat::Legacy
                | FileFormat::Vxul
                | FileFormat::JobDetails
                | FileFormat::Messages
                | FileFormat::CommandOutput
                | FileFormat::SystemLog
        )
    }

    /// What the file is, in words.
    pub fn kind(self) -> &'static str {
        match self {
            FileFormat::Legacy => "debug log",
            FileFormat::Vxul => "unified log (vxlogview text)",
            FileFormat::JobDetails => "Job Details",
            FileFormat::Messages => "NetBackup messages without log headers",
            FileFormat::CommandOutput => "command output",
            FileFormat::Settings => "settings (bp.conf)",
            FileFormat::SystemLog => "system log",
            FileFormat::Capture => "packet capture",
            FileFormat::JobList => "job list",
            FileFormat::Netstat => "netstat/ss output",
            FileFormat::RawVxul => "raw unified log",
            FileFormat::Archive => "archive",
            FileFormat::Empty => "empty file",
            FileFormat::UnknownText | FileFormat::Binary => "not a log",
        }
    }

    /// The name used in the report.
    pub fn name(self) -> &'static str {
        match self {
            FileFormat::Legacy => "legacy",
            FileFormat::Vxul => "vxlogview",
            FileFormat::JobDetails => "job-details",
            FileFormat::RawVxul => "vxul-raw",
            FileFormat::Messages => "messages",
            FileFormat::CommandOutput => "command-output",
            FileFormat::Settings => "settings",
            FileFormat::SystemLog => "system-log",
            FileFormat::Capture => "capture",
            FileFormat::JobList => "job-list",
            FileFormat::Netstat => "netstat",
            FileFormat::UnknownText => "unknown-text",
            FileFormat::Binary => "binary",
            FileFormat::Empty => "empty",
            FileFormat::Archive => "archive",
        }
    }
}

/// What a timeline mark stands for (`kind` in the report's marks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MarkKind {
    /// A connection waiting (for port 1556, or a process waiting for data).
    Wait,
    /// A forward socket open.
    Socket,
    /// A timeout expired.
    Timeout,
    /// The moment something was needed (the forward socket asked for after it closed).
    Needed,
    /// A failure.
    Failure,
    /// A process that wrote nothing for a while (measured from its own lines, not a wait the
    /// lines show).
    Silence,
    /// What a packet capture saw of a connection the logs name (its first SYN to its answer,
    /// or to the capture's last packet of it).
    Packets,
}

impl MarkKind {
    pub const ALL: [MarkKind; 7] = [
        MarkKind::Wait,
        MarkKind::Socket,
        MarkKind::Timeout,
        MarkKind::Needed,
        MarkKind::Failure,
        MarkKind::Silence,
        MarkKind::Packets,
    ];

    /// The name used in the report.
    pub fn name(self) -> &'static str {
        match self {
            MarkKind::Wait => "wait",
            MarkKind::Socket => "socket",
            MarkKind::Timeout => "timeout",
            MarkKind::Needed => "needed",
            MarkKind::Failure => "failure",
            MarkKind::Silence => "silence",
            MarkKind::Packets => "packets",
        }
    }

    /// The timeline legend's words for it (the page and the HTML report show the same).
    pub fn legend(self) -> &'static str {
        match self {
            MarkKind::Wait => "connection waiting for port 1556",
            MarkKind::Socket => "forward socket open",
            MarkKind::Timeout => "forward socket gave up",
            MarkKind::Needed => "bpcd needs the socket",
            MarkKind::Failure => "failure",
            MarkKind::Silence => "process wrote nothing",
            MarkKind::Packets => "what the packet capture saw",
        }
    }

    /// Whether it is drawn full height (the forward socket that the waits sit inside).
    pub fn is_tall(self) -> bool {
        self == MarkKind::Socket
    }
}
