//! Typed facts read from single log lines, and everything one file contributes to an analysis.
//!
//! A [`FileFacts`] is what remains of a file after scanning: its identity, counts, notes and
//! the few lines that matter as typed [`Event`]s. It is plain data (serializable), so files
//! can be scanned in any order, on any thread or worker, and analyzed together afterwards.

pub mod capture;
pub mod extract;
mod file_notes;
pub mod jobs;
pub mod limits;
pub mod line_index;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod needle_simd;
pub(crate) mod needles;
pub mod netstat;
mod records;
mod retention;
pub mod scanner;
pub mod timing;
pub mod year_less;

use crate::input::path_meta::PathMeta;
use crate::vocab::addr::SockAddr;
use crate::vocab::FileFormat;
use serde::{Deserialize, Serialize};

/// What one line says, in the vocabulary of the diagnosis. Each variant names the line shape
/// it comes from (seed technote, reference §9).
// Externally tagged (serde's default): scanned files cross between workers in postcard, which
// has no self-describing form for internally tagged enums.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fact {
    /// `vnet_async_connect: connect in progress: N`: a non-blocking connect is waiting.
    ConnectInProgress { round: u32 },
    /// `getsockopt SO_ERROR returned: N`: the pending connect ended with an OS error.
    SocketError { code: u32 },
    /// `VN_REQUEST_PBX_C_SUPPORTED`: the caller asks vnetd whether PBX is there, i.e. it has
    /// fallen back from PBX to the vnetd port.
    PbxSupportQuery,
    /// `remote host supports PBX, but PBX is not running`.
    PbxNotRunning,
    /// `... CONNECT FROM a TO b`: an outgoing connection was made (a is local).
    Connect { from: SockAddr, to: SockAddr },
    /// `... ACCEPT FROM a TO b`: an incoming connection was accepted (b is local).
    Accept { from: SockAddr, to: SockAddr },
    /// `VN_REQUEST_CONNECT_FORWARD_SOCKET`: `served` on vnetd's side (`Request ...(10)`),
    /// otherwise on the requester's side (`..._begin: ...: 10`).
    ForwardSocketRequest { served: bool },
    /// `ipc_string: N`: the forward socket's port.
    IpcString { port: u16 },
    /// `hash_str1: <hex>`: the forward socket's key.
    HashStr1 { hash: String },
    /// `vnet_sock_ready: max_time: N`: how long vnetd waits for the forward socket's user.
    MaxTime { seconds: u32 },
    /// `vnet_sock_ready: Function failed: N`.
    SockReadyFailed { code: u32 },
    /// `process_connect_forward_socket: status: N`: how vnetd's forward socket ended.
    ForwardSocketStatus { code: u32 },
    /// `vnet_verify_local_accept: localhost IPv4 peer port: N`: a local process connected to
    /// the forward socket.
    LocalPeerAccepted { port: u16 },
    /// `mpx_ipc: port;hash;...` or `NCB_DATASOCKET <backupid> port;hash;...`: the forward
    /// socket a multiplexed backup will hand to bpcd.
    MpxIpc { port: u16, hash: String, backup_id: Option<String> },
    /// `is_pbxable_server: service: X`: a connection to a service (a name, or a port) begins.
    ServiceConnect { service: String },
    /// `bpcd returned failure: N`.
    PeerReturnedFailure { peer: String, status: u32 },
    /// `get_vnetd_forward_socket failed: N`.
    ForwardSocketFailed { status: u32 },
    /// `cannot create data socket`.
    CannotCreateDataSocket,
    /// `EXIT STATUS N`, `FATAL exit status = N`, `EXITING with status N`. `process` is the
    /// process the line names itself (`bpbkar: ERR - bpbkar FATAL exit status = 40` pasted
    /// among bpbrm's lines), when it does.
    ExitStatus { status: u32, process: Option<String> },
    /// `bpbrm child pid = pid.tid`.
    ChildPid { pid: u32, tid: Option<u32> },
    /// An error line (by its level or tag): the first and the last few of each file are kept,
    /// for the first error of a failure and for what a bundle with no known cause shows.
    ErrorLine,
    /// A status a line states as its whole text, with no log header (`parse::stated`): its
    /// official message alone or after a label (`Status: can't connect to client`), or its
    /// number after a label or beside its own message (`Status Code: 58`, `58 - can't connect
    /// to client`), as a console, the web UI, an alert mail or a ticket shows it. A status
    /// stated, not a job's exit: the text does not say whose it is. `shared_with`: a second
    /// status with the same official message (the line does not say which of the two).
    StatedStatus { status: u32, shared_with: Option<u32> },
    /// The line matches a catalogue signature's pattern (an index into
    /// [`crate::catalogue::PATTERNS`]), with the values of its holes. `process` is the process
    /// the line names itself (Job Details, vxlogview, a leading process name), when it does.
    Signature { pattern: u16, values: Vec<crate::catalogue::matcher::Value>, process: Option<String> },
    /// A line of an admin command's output: the command whose output it is (a paste may hold
    /// several, each after its prompt line) and what the line says.
    Command { command: crate::parse::commands::Command, fact: crate::parse::commands::CommandFact },
}

impl Fact {
    /// Whether the line records a success: the positive evidence a `clean` verdict needs. The one
    /// place that says which facts do: the scan keeps the first such line and counts the others
    /// (`FileFacts::successes`), and the verdict reads them (`analysis::verdict`, which words each
    /// kind in `success_words`). A new fact that records a success (a status 0 stated by its
    /// message, a command's exit 0 or healthy output, a query that matched nothing) is added here.
    pub fn records_success(&self) -> bool {
        matches!(self, Fact::ExitStatus { status: 0, .. } | Fact::StatedStatus { status: 0, shared_with: None })
    }
}

/// One line that carries a fact. Its text is not kept: evidence is read back from the file
/// by offset when a report needs it (see [`crate::input::LineSource`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// 1-based line number in the file on disk.
    pub line: u64,
    /// Byte offset of the line in the file.
    pub offset: u64,
    /// Milliseconds from the start of the file's first day (day rollovers included).
    pub ms: i64,
    pub pid: u32,
    pub tid: Option<u32>,
    pub level: u16,
    pub fact: Fact,
    /// The line before it in the same thread (`[pid.tid]`), when the scan still knew it: how
    /// long the thread was quiet before this line, and where. Read-timeout and idle-drop rules
    /// measure with it.
    pub quiet: Option<Quiet>,
}

/// The silence before a line in its thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quiet {
    /// Milliseconds since the thread's line before.
    pub ms: i64,
    /// That line's number and byte offset.
    pub line: u64,
    pub offset: u64,
}

/// A long gap in a file's times, and the line that ended it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LongGap {
    /// Milliseconds between the latest time before the line and the line's.
    pub ms: i64,
    /// The line's time (ms from the file's day 0), number and byte offset.
    pub end_ms: i64,
    pub line: u64,
    pub offset: u64,
}

/// Line counts by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelCounts {
    pub info: u64,
    pub warning: u64,
    pub error: u64,
}

/// Everything one file contributes to the analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileFacts {
    /// The path as given by the caller (used for display and evidence).
    pub path: String,
    pub meta: PathMeta,
    pub format: FileFormat,
    pub bytes: u64,
    pub lines: u64,
    /// Log lines (records) read, in any form.
    pub log_lines: u64,
    /// Records read in each line form, in the order of [`LineForm::ALL`], forms with none left out.
    pub forms: Vec<(crate::parse::LineForm, u64)>,
    /// UTF-16 text, by its byte order mark; `None` for UTF-8 (and its ASCII and Latin-1 kin).
    pub encoding: Option<crate::input::utf16::Utf16>,
    pub levels: LevelCounts,
    /// Process named by the lines (a leading process name, or `VNETD`/`BPCD ACCEPT`).
    pub process_from_lines: Option<String>,
    /// The date of the first line that carries one (vxlogview, Job Details), when the file
    /// name gives none.
    pub date_from_lines: Option<crate::vocab::time::Date>,
    /// When the lines' dates carry no year and nothing gave one: their first month and day and
    /// what the year must be, for the year `correlate::dates` borrows from the other files.
    #[serde(default)]
    pub year_less: Option<year_less::YearLess>,
    /// Job ids the lines name (VxUL `[jobid=N]`), the first `Limits::kept_ids`, ascending.
    pub job_ids: Vec<u64>,
    /// Process ids that wrote the lines (or that Job Details lines name), the first
    /// `Limits::kept_ids`, ascending: they link Job Details to the processes' own logs.
    pub pids: Vec<u32>,
    /// Processes and pids named by Job Details lines (`Error bpbrm (pid=7249) ...`).
    pub named_pids: Vec<(String, u32)>,
    /// File-relative times of the first and last log line.
    pub first_ms: Option<i64>,
    pub last_ms: Option<i64>,
    /// The file's latest gap of at least [`crate::knowledge::MIN_SILENCE_MS`] between a timed
    /// line and the latest time before it (any thread): the silence rule names it when the line
    /// that ended it is at the file's last time (the log stops after a long wait).
    #[serde(default)]
    pub last_long_gap: Option<LongGap>,
    pub events: Vec<Event>,
    /// A status the text names in words (`failed with status 13`) when the file is not a log:
    /// what a pasted sentence or a ticket says failed.
    pub mentioned_status: Option<u32>,
    /// Lines matched per catalogue signature, for the signatures that matched more lines than
    /// are kept as events (by id, ascending).
    pub signature_counts: Vec<(String, u64)>,
    /// Lines that record a success (`EXIT STATUS 0`, the Job Details' `the requested operation
    /// was successfully completed (0)`); the first of them is kept among the events.
    #[serde(default)]
    pub successes: u64,
    pub notes: Vec<String>,
    /// A 64-bit digest of the bytes, to order files of the same path deterministically.
    pub digest: u64,
    /// The caps of the scan's [`limits::Limits`] that this file reached.
    #[serde(default)]
    pub caps_reached: limits::CapsReached,
    /// The admin command whose output the file is, told by its first lines (a prompt line that
    /// runs it, or its first output line's own shape); the first, when a paste holds several.
    #[serde(default)]
    pub command: Option<crate::parse::commands::Command>,
    /// The `KEY = value` lines of a settings file (`bp.conf`, told by its name or a `SERVER =`
    /// line among its first lines), in file order, the first [`limits::MAX_SETTINGS`].
    #[serde(default)]
    pub settings: Vec<crate::parse::settings::Setting>,
    /// A packet capture's TCP connections, when the file is one (pcap or pcapng, by its first
    /// bytes).
    #[serde(default)]
    pub capture: Option<Box<capture::CaptureFacts>>,
    /// Each job id of `job_ids` with the time of the first line that names it (ms from the
    /// file's day 0), in line order: a job list's UTC start against this host's local clock.
    #[serde(default)]
    pub job_first_ms: Vec<(u64, i64)>,
    /// A job list's jobs (`format` job-list), told by its first bytes.
    #[serde(default)]
    pub job_list: Option<jobs::JobList>,
    /// netstat or ss output's connections across its snapshots, when the file is one (by its
    /// first lines).
    #[serde(default)]
    pub netstat: Option<Box<netstat::NetstatFacts>>,
}

/// Adds `id` to an ascending list of at most `max` distinct ids; false when it had to be left
/// out. Inline: it runs on most lines, and the worker's size-built code would call it.
#[inline]
pub(crate) fn keep_id<T: Ord>(ids: &mut Vec<T>, id: T, max: usize) -> bool {
    match ids.binary_search(&id) {
        Ok(_) => true,
        Err(_) if ids.len() >= max => false,
        Err(at) => {
            ids.insert(at, id);
            true
        }
    }
}

impl FileFacts {
    /// A file with nothing read yet.
    pub fn new(path: String) -> FileFacts {
        let meta = crate::input::path_meta::from_path(&path);
        FileFacts {
            path,
            meta,
            format: FileFormat::Empty,
            bytes: 0,
            lines: 0,
            log_lines: 0,
            forms: Vec::new(),
            encoding: None,
            levels: LevelCounts::default(),
            process_from_lines: None,
            date_from_lines: None,
            year_less: None,
            job_ids: Vec::new(),
            pids: Vec::new(),
            named_pids: Vec::new(),
            first_ms: None,
            last_ms: None,
            last_long_gap: None,
            events: Vec::new(),
            signature_counts: Vec::new(),
            mentioned_status: None,
            successes: 0,
            notes: Vec::new(),
            digest: 0,
            caps_reached: limits::CapsReached::default(),
            command: None,
            settings: Vec::new(),
            capture: None,
            job_first_ms: Vec::new(),
            job_list: None,
            netstat: None,
        }
    }
}
