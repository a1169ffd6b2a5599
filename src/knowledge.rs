//! NetBackup constants the correlation rules quote, each with its public source.
//! Tables (statuses, errors, signatures) are data: see `src/catalogue/`.

/// PBX, the port NetBackup tries first (Veritas 100021789, "PBX port registration and usage").
pub const PBX_PORT: u16 = 1556;
/// vnetd, the fallback (Veritas 100025745 / TECH167276, whose firewall log shows `faddr .../13724`).
pub const VNETD_PORT: u16 = 13724;
/// bpcd, the legacy daemon port (NetBackup Commands Reference Guide, bpcd: `bpcd 13782/tcp bpcd`).
pub const BPCD_PORT: u16 = 13782;

/// A wait shorter than this is an answer, not silence: nbtriage's threshold, based on TCP
/// retransmitting an unanswered SYN after about a second (Source: RFC 6298's initial timeout), so
/// a refusal or an accept comes well before.
pub const MIN_SILENT_WAIT_MS: i64 = 1000;

/// A NetBackup operation whose logs a bundle may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Backup,
    Restore,
}

/// When a job's log is worth asking for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AskWhen {
    /// Always: the log says how the job ran and ended.
    Always,
    /// When the failing status belongs to one of these areas (the status table's `area` names).
    Areas(&'static [&'static str]),
}

/// One log NetBackup writes for an operation, as the Logging Reference Guide lists them.
#[derive(Debug, Clone, Copy)]
pub struct JobLog {
    pub operation: Operation,
    pub process: &'static str,
    /// Processes whose log stands in for this one (bpdm for bptm on disk storage, tar's other
    /// names).
    pub or: &'static [&'static str],
    /// The host role that writes it ("client", "media server", "primary server").
    pub role: &'static str,
    pub when: AskWhen,
    pub why: &'static str,
}

const CONNECTION_AREAS: &[&str] = &["network", "names and trust"];
const SCHEDULING_AREAS: &[&str] = &["scheduling"];

/// The logs of a backup and of a restore, per the NetBackup Logging Reference Guide's "Backup
/// process" (https://www.veritas.com/support/en_US/doc/86063237-127664549-0/v109483729-127664549),
/// "Backup and archive processes"
/// (https://docs.cohesity.com/docs/netbackup/9.0/86063237-145507309-0/v15109235-145507309) and
/// "Restore process" (https://www.veritas.com/support/en_US/doc/86063237-127664549-0/v109496454-127664549).
/// Which of them to ask for first, by the failing status's area, is nbtriage's own practice.
pub const JOB_LOGS: &[JobLog] = &[
    JobLog {
        operation: Operation::Backup,
        process: "bpbrm",
        or: &[],
        role: "media server",
        when: AskWhen::Always,
        why: "bpbrm runs the backup on the media server and reports how it ended to nbjm",
    },
    JobLog {
        operation: Operation::Backup,
        process: "bptm",
        or: &["bpdm"],
        role: "media server",
        when: AskWhen::Always,
        why: "bptm (bpdm for disk storage) receives the client's data and writes the image",
    },
    JobLog {
        operation: Operation::Backup,
        process: "bpbkar",
        or: &["bpbkar32"],
        role: "client",
        when: AskWhen::Always,
        why: "bpbkar reads the client's files and sends them to the media server",
    },
    JobLog {
        operation: Operation::Backup,
        process: "bpcd",
        or: &[],
        role: "client",
        when: AskWhen::Areas(CONNECTION_AREAS),
        why: "bpbrm starts bpbkar through the client's bpcd: a connection that failed may show there",
    },
    JobLog {
        operation: Operation::Backup,
        process: "nbpem",
        or: &[],
        role: "primary server",
        when: AskWhen::Areas(SCHEDULING_AREAS),
        why: "nbpem decides when the policy's jobs are due and starts them",
    },
    JobLog {
        operation: Operation::Backup,
        process: "nbjm",
        or: &[],
        role: "primary server",
        when: AskWhen::Areas(SCHEDULING_AREAS),
        why: "nbjm runs the job, asks for its resources and records the status bpbrm reports",
    },
    JobLog {
        operation: Operation::Backup,
        process: "nbrb",
        or: &[],
        role: "primary server",
        when: AskWhen::Areas(SCHEDULING_AREAS),
        why: "nbrb allocates the job's storage unit, drives and media",
    },
    JobLog {
        operation: Operation::Restore,
        process: "bprd",
        or: &[],
        role: "primary server",
        when: AskWhen::Always,
        why: "bprd takes the restore request and starts bpbrm on the media server",
    },
    JobLog {
        operation: Operation::Restore,
        process: "bpbrm",
        or: &[],
        role: "media server",
        when: AskWhen::Always,
        why: "bpbrm runs the restore on the media server and starts tar on the client",
    },
    JobLog {
        operation: Operation::Restore,
        process: "bptm",
        or: &["bpdm"],
        role: "media server",
        when: AskWhen::Always,
        why: "bptm (bpdm for disk storage) reads the image and sends it to the client",
    },
    JobLog {
        operation: Operation::Restore,
        process: "tar",
        or: &["nbtar", "tar32"],
        role: "client",
        when: AskWhen::Always,
        why: "tar (nbtar in later releases) writes the restored files on the client",
    },
    JobLog {
        operation: Operation::Restore,
        process: "bpcd",
        or: &[],
        role: "client",
        when: AskWhen::Areas(CONNECTION_AREAS),
        why: "bpbrm starts tar through the client's bpcd: a connection that failed may show there",
    },
];

/// The processes whose log says a bundle is a restore's (the Logging Reference Guide's "Restore
/// process": bprestore asks bprd, tar writes the files).
pub const RESTORE_PROCESSES: &[&str] = &["bprestore", "tar", "nbtar", "tar32"];

/// A process's silence worth naming lasts at least this long: nbtriage's threshold (a minute
/// is longer than any routine pause between a busy process's lines, and shorter than the
/// timeouts that end a job: 300 s for CLIENT_READ_TIMEOUT, two hours for TCP keepalive).
pub const MIN_SILENCE_MS: i64 = 60_000;
/// ... and at least this many times the mean gap between the rest of its log's lines: long
/// against that process's own pace (nbtriage's own threshold).
pub const SILENCE_PACE_FACTOR: i64 = 10;
