//! `read-timeout`: the media server gave up reading from the client (`socket read failed: errno =
//! 62 - Timer expired`), measured: how long bpbrm's thread had been quiet before it, against the
//! client read timeout. A timeout needs the wait; a failure far sooner than any timeout is not one.

use super::cite;
use super::settings_of;
use super::signatures::{hits_of, Hit};
use super::words::clock;
use super::{Rule, RuleDoc};
use crate::catalogue::matcher::Value;
use crate::catalogue::{self, step, Basis, SignatureId, SourceId};
use crate::correlate::Model;
use crate::facts::Quiet;
use crate::report::{status_fact, Area, Evidence, Figure, Finding, Mark, MarkKind, Owner, Role, Severity};
use crate::vocab::time::{human_duration, seconds};
use serde_json::json;
use std::collections::BTreeMap;

const EXPLAINS: &[SignatureId] = &[SignatureId::SocketReadFailed];

pub static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "read-timeout",
        title: "The media server stopped waiting for the client: how long it waited, against the read timeout",
        meaning: "bpbrm reads the client's messages with a timer, CLIENT_READ_TIMEOUT, 300 s when it is not set. \
When nothing arrives in time it logs `socket read failed: errno = 62 - Timer expired` and the job fails \
(13 on the server, 40 on the client). The rule measures how long bpbrm's thread had been quiet before that \
line: about the timeout or more means the client sent nothing that long (a slow scan over many unchanged \
files, or bpbkar waiting on a locked file); sooner than the default means either a lower setting or another \
cause, which the logs do not tell apart. When the timed-out host's bp.conf is among the files, the wait is \
measured against the CLIENT_READ_TIMEOUT it sets, and a setting longer than the wait is said to contradict \
a timeout.",
        evidence: "bpbrm's (or the Job Details') `socket read failed: errno = 62 - Timer expired` line and the line \
before it in the same thread (`[pid]`).",
        fix: "When the client was silent: find what bpbkar was doing (its log, VERBOSE 5), then raise \
CLIENT_READ_TIMEOUT on the media server or remove the cause of the silence. When it failed sooner: check \
the setting in force, then what the client was doing.",
        sources: &[
            SourceId::VeritasTech71821,
            SourceId::AdminGuideClientReadTimeout,
            SourceId::TroubleshootingStatus41,
        ],
        caveats: "The timeout in force is not in the logs (no public line prints it): 300 s is the documented \
default, a wait well past it suggests a higher setting, and a wait short of it may be a lower setting (the \
gap exceeds \"the current CLIENT_READ_TIMEOUT setting\", Veritas TECH71821). When the timed-out host's bp.conf \
is among the files, its CLIENT_READ_TIMEOUT is measured against instead (the finding names the file and line); \
whether that file was in force when the job ran is not in the logs. The 30 s margin around the \
default is nbtriage's threshold. Why the client was silent is not in bpbrm's log, so the finding says \
\"may\" and names the client's log to read.",
    },
    area: Area::Network,
    role: Role::Cause,
    check,
    explains: EXPLAINS,
    positive: &["job-details-status-13", "settings-read-timeout", "settings-read-timeout-contradicted"],
    negative: &["healthy", "seed-technote", "settings-status-46"],
};

/// CLIENT_READ_TIMEOUT when it is not set. Source: NetBackup Administrator's Guide I, CLIENT_READ_TIMEOUT
/// option, and the Troubleshooting Guide's status 41 (300 s).
pub const DEFAULT_READ_TIMEOUT_MS: i64 = 300_000;
/// A quiet this close to the default still reads as the default timeout (log times are coarse):
/// nbtriage's threshold.
const NEAR_DEFAULT_MS: i64 = 30_000;

fn is_timer_expired(hit: &Hit<'_>) -> bool {
    hit.values.iter().any(|v| match v {
        Value::Num(62) => true,
        Value::Text(t) => t.eq_ignore_ascii_case("Timer expired"),
        _ => false,
    })
}

fn check(model: &Model<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    // The debug log's line measures best; a Job Details line only when the log is not here.
    let hits = hits_of(model, SignatureId::SocketReadFailed);
    let measured: Vec<&Hit<'_>> =
        hits.iter().filter(|h| is_timer_expired(h) && model.event(h.at).quiet.is_some()).collect();
    let from_logs: Vec<&Hit<'_>> = measured
        .iter()
        .copied()
        .filter(|h| model.file(h.at).facts.format != crate::vocab::FileFormat::JobDetails)
        .collect();
    let chosen = if from_logs.is_empty() { measured } else { from_logs };
    out.extend(chosen.first().and_then(|hit| finding(model, hit, chosen.len())));
    out
}

/// What the quiet before the failed read says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// About the timeout or longer: the client sent nothing for that long.
    Timeout,
    /// Sooner than the default: a lower setting, or another reason. (A shorter quiet cannot rule
    /// out a lower setting, so no wait is called "not a timeout": Veritas TECH71821 measures the
    /// gap against the setting in force.)
    ShorterThanDefault,
    /// Sooner than the CLIENT_READ_TIMEOUT the host's bp.conf sets: the setting contradicts a
    /// timeout, so the file's setting was not the one in force, or the read failed otherwise.
    ShorterThanSetting,
}

impl Reading {
    fn of(quiet: Quiet, limit: &Limit) -> Reading {
        match (quiet.ms >= limit.ms - NEAR_DEFAULT_MS, &limit.origin) {
            (true, _) => Reading::Timeout,
            (false, Origin::Configured { .. }) => Reading::ShorterThanSetting,
            (false, _) => Reading::ShorterThanDefault,
        }
    }

    /// Its name in the facts.
    fn name(self) -> &'static str {
        match self {
            Reading::Timeout => "timeout",
            Reading::ShorterThanDefault => "shorter-than-default",
            Reading::ShorterThanSetting => "shorter-than-setting",
        }
    }
}

/// Where the read timeout measured against comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Origin {
    /// The timed-out host's bp.conf sets CLIENT_READ_TIMEOUT on this line.
    Configured { host: String, path: String, line: u64, offset: u64 },
    /// The host's bp.conf is here and sets none: the default applies.
    NotSet { host: String, path: String },
    /// No bp.conf of the host among the files: the default, which the setting may override.
    NoFile,
}

/// The read timeout the quiet is measured against.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Limit {
    ms: i64,
    origin: Origin,
}

impl Limit {
    /// The timed-out host's CLIENT_READ_TIMEOUT (bpbrm runs on the media server, where the
    /// option is used: Administrator's Guide), else the default.
    fn of(model: &Model<'_>, host: &str) -> Limit {
        let Some(found) = settings_of::of_host(model, host) else {
            return Limit { ms: DEFAULT_READ_TIMEOUT_MS, origin: Origin::NoFile };
        };
        let (host, path) = (found.host().to_string(), found.path.to_string());
        match (found.settings.client_read_timeout_s, found.settings.client_read_timeout_line) {
            (Some(s), Some(at)) if s > 0 => Limit {
                ms: i64::from(s) * 1000,
                origin: Origin::Configured { host, path, line: at.line, offset: at.offset },
            },
            _ => Limit { ms: DEFAULT_READ_TIMEOUT_MS, origin: Origin::NotSet { host, path } },
        }
    }

    /// Which setting was used, in words: "the CLIENT_READ_TIMEOUT of 15 min that media02's
    /// bp.conf sets (line 5)", "the default CLIENT_READ_TIMEOUT of 5 min".
    fn words(&self) -> String {
        let t = human_duration(self.ms);
        match &self.origin {
            Origin::Configured { host, line, .. } => {
                format!("the CLIENT_READ_TIMEOUT of {t} that {host}'s bp.conf sets (line {line})")
            }
            Origin::NotSet { host, .. } => {
                format!("the default CLIENT_READ_TIMEOUT of {t} ({host}'s bp.conf is here and sets none)")
            }
            Origin::NoFile => format!("the default CLIENT_READ_TIMEOUT of {t}"),
        }
    }
}

/// The words the sentences about the quiet use.
struct Wait {
    quiet: Quiet,
    process: String,
    host: String,
    /// The quiet, "5 min 37 s".
    waited: String,
    /// When the read failed, the time of day.
    when: String,
    /// The read timeout in force, "5 min".
    timeout: String,
    limit: Limit,
}

fn finding(model: &Model<'_>, hit: &Hit<'_>, count: usize) -> Option<Finding> {
    let quiet = model.event(hit.at).quiet?;
    let view = model.file(hit.at);
    let wait = Wait {
        quiet,
        process: view.process.clone().unwrap_or_else(|| "bpbrm".into()),
        host: model.host(view.host).short(),
        waited: human_duration(quiet.ms),
        when: clock(&model.iso(hit.at)).to_string(),
        timeout: String::new(),
        limit: Limit::of(model, &model.host(view.host).short()),
    };
    let wait = Wait { timeout: human_duration(wait.limit.ms), ..wait };
    let reading = Reading::of(quiet, &wait.limit);
    let timed_out = reading == Reading::Timeout;
    Some(Finding {
        rule: RULE.doc.id.into(),
        severity: if timed_out { Severity::Critical } else { Severity::Warning },
        title: title(&wait, reading),
        summary: summary(&wait, reading),
        fix: fix_steps(&wait, reading),
        evidence: evidence(model, hit, &wait),
        facts: facts(model, hit, &wait, count, reading),
        marks: marks(model, hit, &wait),
        area: Some(Area::Network),
        // A measured timeout explains the failure; a read that failed too soon only says where not to look.
        role: if timed_out { Role::Cause } else { Role::Symptom },
        // Its steps are the backup admin's: bpbkar's log to read, CLIENT_READ_TIMEOUT on the media
        // server, LOCKED_FILE_ACTION in the client's NetBackup configuration.
        owner: Owner::BackupAdmin,
        figures: vec![
            Figure::new("Quiet before the timeout", format!("{:.1}", seconds(quiet.ms)), "s"),
            match wait.limit.origin {
                Origin::Configured { .. } => {
                    Figure::new("Configured read timeout", (wait.limit.ms / 1000).to_string(), "s")
                }
                _ => Figure::new("Default read timeout", (DEFAULT_READ_TIMEOUT_MS / 1000).to_string(), "s"),
            },
        ],
        request: None,
        collect: collect(model),
        source: catalogue::cite(RULE.doc.sources),
        caveats: RULE.doc.caveats.to_string(),
        owner_note: String::new(),
    })
}

fn title(wait: &Wait, reading: Reading) -> String {
    let Wait { process, waited, .. } = wait;
    match reading {
        Reading::Timeout => format!(
            "{process} waited {waited} for the client, then timed out: the client likely sent nothing for that long"
        ),
        Reading::ShorterThanDefault => {
            format!("{process} waited {waited} for the client, then timed out: sooner than the default read timeout")
        }
        Reading::ShorterThanSetting => format!(
            "{process} waited {waited} for the client, then timed out: sooner than the read timeout its bp.conf sets"
        ),
    }
}

fn summary(wait: &Wait, reading: Reading) -> String {
    let Wait { quiet, process, host, waited, when, timeout, limit } = wait;
    let set = limit.words();
    match reading {
        Reading::Timeout => format!(
            "{process} on {host} was quiet for {waited} after its line {} and at {when} logged `socket read failed: errno = 62 - Timer expired`: \
its read timer expired. {} A client that is silent that long may be still busy (an incremental scanning many unchanged files) or \
blocked (bpbkar waiting on a locked file) (Troubleshooting Guide, status 41).",
            quiet.line,
            match (&limit.origin, quiet.ms > limit.ms * 3 / 2) {
                (Origin::NoFile, true) => format!("That is well past the default CLIENT_READ_TIMEOUT of {timeout} (half as long again: nbtriage's threshold), so it is probably set higher here."),
                (Origin::NoFile, false) => format!(
                    "That matches CLIENT_READ_TIMEOUT, {timeout} when it is not set (no bp.conf of {} among the files: measured against the default).",
                    if host == "unknown host" { "its host" } else { host.as_str() }
                ),
                (_, true) => format!("That is well past {set} (half as long again: nbtriage's threshold): the setting does not explain so long a wait, so the one in force when the job ran may have differed from this file's."),
                (_, false) => format!("That matches {set}."),
            }
        ),
        Reading::ShorterThanDefault => format!(
            "{process} on {host} was quiet for {waited} after its line {} before its read timer expired at {when}. The default CLIENT_READ_TIMEOUT is \
{timeout}: either it is set lower here, or the read failed for another reason.",
            quiet.line
        ),
        Reading::ShorterThanSetting => format!(
            "{process} on {host} was quiet for {waited} after its line {} before its read timer expired at {when}. It was measured against {set}: \
that setting contradicts a read timeout this soon. Either the setting in force when the job ran was not this file's, or the read failed for another reason.",
            quiet.line
        ),
    }
}

fn fix_steps(wait: &Wait, reading: Reading) -> Vec<String> {
    let waited = &wait.waited;
    match reading {
        Reading::Timeout => vec![
            step(
                "Read the client's bpbkar log (VERBOSE 5) for the same minutes: the last file it names is where it was busy or blocked (on UNIX clients a `bpbkar_path_tr` file in the bpbkar log folder makes it name each file).",
                Basis::Source(SourceId::TroubleshootingStatus41),
            ),
            step(
                &format!("If the client is simply slow, raise CLIENT_READ_TIMEOUT on the media server above {waited} (if a bpstart_notify script is used, it must be at least BPSTART_TIMEOUT)."),
                Basis::Source(SourceId::AdminGuideClientReadTimeout),
            ),
            step(
                "If bpbkar waits on a locked file (UNIX), set LOCKED_FILE_ACTION = SKIP in the client's bp.conf.",
                Basis::Source(SourceId::TroubleshootingStatus41),
            ),
        ],
        Reading::ShorterThanSetting => vec![
            step(
                &format!("Check CLIENT_READ_TIMEOUT in force on {} (`nbgetconfig`, or Host Properties > Timeouts): the file sent sets {}, which does not explain a wait of {waited}.", wait.host, human_duration(wait.limit.ms)),
                Basis::Source(SourceId::AdminGuideClientReadTimeout),
            ),
            step("Read the client's bpbkar log at the same time for what it was doing.", Basis::Practice),
        ],
        Reading::ShorterThanDefault => vec![
            step(
                "Check CLIENT_READ_TIMEOUT on the media server (nbgetconfig, or Host Properties > Timeouts): a value below the default explains the shorter wait.",
                Basis::Source(SourceId::AdminGuideClientReadTimeout),
            ),
            step("Read the client's bpbkar log at the same time for what it was doing.", Basis::Practice),
        ],
    }
}

/// The client's log to collect, when it is not among the files.
fn collect(model: &Model<'_>) -> Vec<String> {
    let client_log_here = model.files.iter().any(|f| f.process.as_deref() == Some("bpbkar"));
    if client_log_here {
        Vec::new()
    } else {
        vec!["The client's bpbkar log for the same time: create install_path\\NetBackup\\logs\\bpbkar (or /usr/openv/netbackup/logs/bpbkar) on the client, set VERBOSE 5, and run the job again.".to_string()]
    }
}

fn facts(
    model: &Model<'_>,
    hit: &Hit<'_>,
    wait: &Wait,
    count: usize,
    reading: Reading,
) -> BTreeMap<String, serde_json::Value> {
    let quiet = wait.quiet;
    let mut facts = BTreeMap::new();
    // Which setting was measured against: the host's bp.conf line, or the default.
    facts.insert("timeout_s".into(), json!(wait.limit.ms / 1000));
    let (source, setting_host, setting_file, setting_line) = match &wait.limit.origin {
        Origin::Configured { host, path, line, .. } => ("bp.conf", Some(host), Some(path), Some(*line)),
        Origin::NotSet { host, path } => ("default", Some(host), Some(path), None),
        Origin::NoFile => ("default", None, None, None),
    };
    facts.insert("timeout_source".into(), json!(source));
    if let Some(host) = setting_host {
        facts.insert("settings_host".into(), json!(host));
        facts.insert("settings_file".into(), json!(setting_file));
    }
    if let Some(line) = setting_line {
        facts.insert("settings_line".into(), json!(line));
    }
    facts.insert("quiet_s".into(), json!(seconds(quiet.ms)));
    facts.insert("default_timeout_s".into(), json!(DEFAULT_READ_TIMEOUT_MS / 1000));
    facts.insert("reading".into(), json!(reading.name()));
    facts.insert("lines".into(), json!(count));
    facts.insert("at".into(), json!(model.iso(hit.at)));
    // The status a read timeout explains (13 on the server, 41: TECH71821, the status 41 text), when the logs report it.
    if reading == Reading::Timeout {
        if let Some(status) = [13, 41].into_iter().find(|s| model.failures.iter().any(|f| f.status == Some(*s))) {
            facts.insert(status_fact::STATED.into(), json!(status));
        }
    }
    facts
}

/// The thread's line before the quiet (its time worked back from the failed read's), then the
/// failed read,
/// and the bp.conf line that sets the timeout measured against, when one does.
fn evidence(model: &Model<'_>, hit: &Hit<'_>, wait: &Wait) -> Vec<Evidence> {
    let quiet = wait.quiet;
    let mut previous = cite::evidence(model, hit.at);
    previous.line = quiet.line;
    previous.offset = quiet.offset;
    previous.time = crate::vocab::time::iso(model.local_ms(hit.at) - quiet.ms, model.date_known(hit.at));
    let mut out = vec![previous, cite::evidence(model, hit.at)];
    if let Origin::Configured { host, path, line, offset } = &wait.limit.origin {
        out.push(Evidence {
            file: path.clone(),
            line: *line,
            offset: *offset,
            time: String::new(),
            host: host.clone(),
            process: None,
            text: String::new(),
        });
    }
    out
}

/// The quiet as a span ending at the failed read, then the failed read.
fn marks(model: &Model<'_>, hit: &Hit<'_>, wait: &Wait) -> Vec<Mark> {
    let start_ms = model.aligned_ms(hit.at) - wait.quiet.ms;
    let mut quiet_mark =
        cite::mark(model, hit.at, MarkKind::Silence, None, format!("{} quiet for {}", wait.process, wait.waited));
    quiet_mark.start_ms = start_ms;
    quiet_mark.end_ms = Some(model.aligned_ms(hit.at));
    vec![quiet_mark, cite::mark(model, hit.at, MarkKind::Failure, None, "read timer expired".into())]
}
