//! The report: plain data with public fields, in the words of the domain (host, process, line,
//! wait, socket). Renderers turn it into text, Markdown or JSON; the web page renders it too.
//! The JSON shape is a contract (see README.md): fields may be added, not renamed.

pub mod coverage;
pub mod html;
pub mod jobs;
pub mod json;
mod labels;
pub mod markdown;
pub mod prose;
pub mod text;
pub mod verdict;

pub use coverage::{Coverage, MissingLog};
pub use verdict::{Headline, Verdict};

/// Evidence lines are cut to this many bytes.
pub const EVIDENCE_TEXT_MAX: usize = 600;

pub use crate::vocab::{Area, FileFormat, MarkKind, Owner, Role, Severity};

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One of the few numbers that prove a finding, for a person: "Total wait" "20.0" "s".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figure {
    pub label: String,
    pub value: String,
    /// Empty when the value has no unit.
    pub unit: String,
}

impl Figure {
    pub fn new(label: impl Into<String>, value: impl Into<String>, unit: impl Into<String>) -> Figure {
        Figure { label: label.into(), value: value.into(), unit: unit.into() }
    }
}

/// A request to send to another team, ready to copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    pub to: Owner,
    pub text: String,
}

/// One line of a log that a finding rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// The file's path as given or found.
    pub file: String,
    /// 1-based line number in the file on disk.
    pub line: u64,
    /// Byte offset of the line in the file.
    pub offset: u64,
    /// When the line was written, on its host's clock (ISO 8601); empty for a line quoted
    /// without its time.
    pub time: String,
    pub host: String,
    pub process: Option<String>,
    /// The line itself (cut to a readable length), read back from the file through a
    /// `LineSource`; empty when no source was given.
    pub text: String,
}

/// What a rule concluded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The rule's id, e.g. `pbx-connect-timeout`.
    pub rule: String,
    pub severity: Severity,
    /// One sentence a non-admin can read.
    pub title: String,
    /// What happened, with the numbers that prove it.
    pub summary: String,
    /// What to do, most effective first.
    pub fix: Vec<String>,
    pub evidence: Vec<Evidence>,
    /// The numbers behind the finding, by name (see each rule's doc).
    pub facts: BTreeMap<String, serde_json::Value>,
    /// What to draw on the timeline.
    pub marks: Vec<Mark>,
    /// Where in a backup it belongs, when that is known.
    pub area: Option<Area>,
    pub role: Role,
    /// Who should act.
    pub owner: Owner,
    /// The few numbers that prove it, for people (the same numbers are in `facts` for programs).
    pub figures: Vec<Figure>,
    /// A request for another team, when one should act.
    pub request: Option<Request>,
    /// Logs to collect next, when these cannot confirm the finding.
    pub collect: Vec<String>,
    /// Where the facts behind it come from.
    pub source: String,
    /// What the rule cannot tell from the logs, in its own words (its doc's caveats): a finding is
    /// as firm as its source. Absent when the rule states none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub caveats: String,
    /// Why this card's owner is not the one the verdict names first, when it is not. Absent when
    /// they agree.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub owner_note: String,
}

/// The names in a finding's `facts` of the NetBackup status it is about (the JSON contract):
/// `status`, the status a finding states (a job's, a process's exit); `failure_status`, the
/// status of the failure a cause explains.
pub mod status_fact {
    pub const STATED: &str = "status";
    pub const FAILURE: &str = "failure_status";
    /// The error a stated status may follow from (`{"rule": ..., "side": "database" |
    /// "media-manager"}`): a database agent's status beside the database's own error.
    pub const FOLLOWS_FROM: &str = "follows_from";
}

impl Finding {
    /// The status the finding states itself.
    pub fn stated_status(&self) -> Option<u64> {
        self.facts.get(status_fact::STATED).and_then(serde_json::Value::as_u64)
    }

    /// The rule of the database error a stated status may follow from (`facts.follows_from`,
    /// side `database`), when one does.
    pub fn follows_database_error(&self) -> Option<&str> {
        let from = self.facts.get(status_fact::FOLLOWS_FROM)?;
        (from["side"] == "database").then(|| from["rule"].as_str()).flatten()
    }

    /// The status the finding is about: the one it states, else the failure's it explains.
    pub fn status(&self) -> Option<u64> {
        self.stated_status().or_else(|| self.facts.get(status_fact::FAILURE).and_then(serde_json::Value::as_u64))
    }
}

/// A span or a moment on the timeline, in one lane (host and process).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    pub host: String,
    pub process: Option<String>,
    /// What it stands for: "wait", "socket", "timeout", "needed" or "failure" in the JSON.
    pub kind: MarkKind,
    /// Naive milliseconds on the reference host's clock (clock offsets applied).
    pub start_ms: i64,
    /// For spans.
    pub end_ms: Option<i64>,
    pub label: String,
    /// The evidence line it stands for.
    pub file: String,
    pub line: u64,
}

impl Mark {
    /// Its timeline lane's name: host and process, or, with no process named, what its file is
    /// ("Job Details"), never a question mark.
    pub fn lane_label(&self, files: &[FileReport]) -> String {
        let host = Some(self.host.as_str()).filter(|h| !h.is_empty() && *h != "unknown host");
        match (&self.process, host) {
            (Some(p), Some(h)) => format!("{h} · {p}"),
            (Some(p), None) => p.clone(),
            (None, _) => match files.iter().find(|f| f.path == self.file) {
                Some(f) => f.source_label(),
                None => host.map_or_else(|| self.file.clone(), |h| format!("{h} · {}", self.file)),
            },
        }
    }
}

/// One input file, as the files panel shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileReport {
    pub path: String,
    pub process: Option<String>,
    /// How the process was decided: "folder", "file name" or "lines".
    pub process_source: Option<String>,
    pub host: Option<String>,
    /// How it was read: "legacy", "vxlogview", "job-details", "settings" (a bp.conf), "messages" (known messages quoted
    /// without a log header), "vxul-raw", "archive", "unknown-text", "binary" or "empty".
    pub format: FileFormat,
    pub bytes: u64,
    pub lines: u64,
    pub log_lines: u64,
    /// Records read in each line form ("legacy", "legacy-12-hour", "legacy-no-time", "agent",
    /// "vxlogview", "job-details", "msdp", "job-log"), forms with none left out.
    pub forms: BTreeMap<String, u64>,
    /// "utf-16le" or "utf-16be" for UTF-16 text; absent for UTF-8.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub encoding: Option<String>,
    /// The file's first day: from its name, its lines, or assumed (see `date_source`).
    pub date: Option<String>,
    /// How the date was decided: "file name", "lines" or "other files" (an assumption).
    pub date_source: Option<String>,
    pub first: Option<String>,
    pub last: Option<String>,
    pub errors: u64,
    pub warnings: u64,
    pub notes: Vec<String>,
    /// Naive local milliseconds of the file's first day at 00:00 (0 when undated): a viewer adds
    /// a line's time of day to it.
    pub time_base_ms: i64,
    /// How far the file's host's clock runs ahead of the reference host's.
    pub clock_offset_ms: i64,
    /// For a settings file (`format` "settings", a bp.conf): whose settings they are and how
    /// that was decided, and the keys the rules use, each with its line.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub settings: Option<crate::vocab::settings::HostSettings>,
}

impl FileReport {
    /// Whether log lines were read from the file (it is in the viewer and the timeline).
    pub fn is_log(&self) -> bool {
        self.format.is_log()
    }

    /// What the file is, in words.
    pub fn kind(&self) -> &'static str {
        self.format.kind()
    }

    /// The log a line comes from, in a few words: "media02 · bpbrm", "Job Details", "debug log"
    /// (a timeline lane, a viewer row's place).
    pub fn source_label(&self) -> String {
        let host = self.host.as_deref().filter(|h| !h.is_empty() && *h != "unknown host");
        let what = match (&self.process, self.format) {
            (Some(p), _) => p.clone(),
            (None, FileFormat::JobDetails) => "Job Details".to_string(),
            (None, FileFormat::Vxul) => "unified log".to_string(),
            (None, FileFormat::Legacy) => "debug log".to_string(),
            (None, _) => self.kind().to_string(),
        };
        match host {
            Some(host) => format!("{host} · {what}"),
            None => what,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostReport {
    pub label: String,
    pub name: Option<String>,
    /// "folder" or "backup id".
    pub name_source: Option<String>,
    pub ips: Vec<String>,
    /// "client", "media server", "primary server" or "NetBackup host".
    pub role: String,
    pub processes: Vec<String>,
    /// How far this host's clock runs ahead of the reference host's (negative: behind).
    pub clock_offset_ms: Option<i64>,
    pub clock_reference: bool,
    /// How many connections both hosts logged, which the offset is measured from.
    pub clock_pairs: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The bundle's one verdict: "cause-found", "errors-unexplained", "nothing-read",
    /// "no-failure-seen" or "clean".
    pub verdict: Verdict,
    /// What failed, who should act, and what to send them: shown above the findings.
    pub headline: Headline,
    /// With "errors-unexplained" or "clean": error lines, earliest first (aligned clocks).
    pub first_errors: Vec<Evidence>,
    pub files: Vec<FileReport>,
    pub hosts: Vec<HostReport>,
    /// Most severe first.
    pub findings: Vec<Finding>,
    /// Notes about the bundle as a whole.
    pub notes: Vec<String>,
    /// The earliest and latest log line over all files (ISO 8601, each on its host's clock).
    pub first: Option<String>,
    pub last: Option<String>,
    /// What the logs cover (hosts, processes, time span) and which logs of the job were not
    /// sent.
    #[serde(default)]
    pub coverage: Coverage,
    /// The nbtriage version that wrote the report (Cargo.toml's).
    pub version: String,
    /// Whether names were replaced by pseudonyms (`crate::redact`); absent when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub redacted: bool,
    /// The night's jobs, from the job lists read (`bpdbjobs`, the REST jobs API); absent when
    /// none was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jobs: Option<jobs::Jobs>,
}

impl Report {
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }
}
