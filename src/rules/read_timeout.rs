//! `read-timeout`: the media server gave up reading from the client (`socket read failed: errno =
//! 62 - Timer expired`), measured: how long bpbrm's thread had been quiet before it, against the
//! client read timeout. A timeout needs the wait; a failure far sooner than any timeout is not one.

use super::cite;
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
cause, which the logs do not tell apart.",
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
gap exceeds \"the current CLIENT_READ_TIMEOUT setting\", Veritas TECH71821). The 30 s margin around the \
default is nbtriage's threshold. Why the client was silent is not in bpbrm's log, so the finding says \
\"may\" and names the client's log to read.",
    },
    area: Area::Network,
    role: Role::Cause,
    check,
    explains: EXPLAINS,
    positive: &["job-details-status-13"],
    negative: &["healthy", "seed-technote"],
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
}

impl Reading {
    fn of(quiet: Quiet) -> Reading {
        if quiet.ms >= DEFAULT_READ_TIMEOUT_MS - NEAR_DEFAULT_MS {
            Reading::Timeout
        } else {
            Reading::ShorterThanDefault
        }
    }

    /// Its name in the facts.
    fn name(self) -> &'static str {
        match self {
            Reading::Timeout => "timeout",
            Reading::ShorterThanDefault => "shorter-than-default",
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
    /// The default read timeout, "5 min".
    timeout: String,
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
        timeout: human_duration(DEFAULT_READ_TIMEOUT_MS),
    };
    let reading = Reading::of(quiet);
    let timed_out = reading == Reading::Timeout;
    Some(Finding {
        rule: RULE.doc.id.into(),
        severity: if timed_out { Severity::Critical } else { Severity::Warning },
        title: title(&wait, reading),
        summary: summary(&wait, reading),
        fix: fix_steps(&wait, reading),
        evidence: evidence(model, hit, quiet),
        facts: facts(model, hit, quiet, count, reading),
        marks: marks(model, hit, &wait),
        area: Some(Area::Network),
        // A measured timeout explains the failure; a read that failed too soon only says where not to look.
        role: if timed_out { Role::Cause } else { Role::Symptom },
        // Its steps are the backup admin's: bpbkar's log to read, CLIENT_READ_TIMEOUT on the media
        // server, LOCKED_FILE_ACTION in the client's NetBackup configuration.
        owner: Owner::BackupAdmin,
        figures: vec![
            Figure::new("Quiet before the timeout", format!("{:.1}", seconds(quiet.ms)), "s"),
            Figure::new("Default read timeout", (DEFAULT_READ_TIMEOUT_MS / 1000).to_string(), "s"),
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
    }
}

fn summary(wait: &Wait, reading: Reading) -> String {
    let Wait { quiet, process, host, waited, when, timeout } = wait;
    match reading {
        Reading::Timeout => format!(
            "{process} on {host} was quiet for {waited} after its line {} and at {when} logged `socket read failed: errno = 62 - Timer expired`: \
its read timer expired. {} A client that is silent that long may be still busy (an incremental scanning many unchanged files) or \
blocked (bpbkar waiting on a locked file) (Troubleshooting Guide, status 41).",
            quiet.line,
            if quiet.ms > DEFAULT_READ_TIMEOUT_MS * 3 / 2 {
                format!("That is well past the default CLIENT_READ_TIMEOUT of {timeout} (half as long again: nbtriage's threshold), so it is probably set higher here.")
            } else {
                format!("That matches CLIENT_READ_TIMEOUT, {timeout} when it is not set.")
            }
        ),
        Reading::ShorterThanDefault => format!(
            "{process} on {host} was quiet for {waited} after its line {} before its read timer expired at {when}. The default CLIENT_READ_TIMEOUT is \
{timeout}: either it is set lower here, or the read failed for another reason.",
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
    quiet: Quiet,
    count: usize,
    reading: Reading,
) -> BTreeMap<String, serde_json::Value> {
    let mut facts = BTreeMap::new();
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
/// failed read.
fn evidence(model: &Model<'_>, hit: &Hit<'_>, quiet: Quiet) -> Vec<Evidence> {
    let mut previous = cite::evidence(model, hit.at);
    previous.line = quiet.line;
    previous.offset = quiet.offset;
    previous.time = crate::vocab::time::iso(model.local_ms(hit.at) - quiet.ms, model.date_known(hit.at));
    vec![previous, cite::evidence(model, hit.at)]
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
