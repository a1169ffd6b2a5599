//! One honest verdict for the whole bundle, in words a non-admin reads first, and the one line
//! above the findings: what failed, who should act and the one thing to send them.
//!
//! - `cause-found`: a finding names a cause (a known pattern explains a failure or a problem);
//! - `errors-unexplained`: a job or process failed (status 1 included), or a first error was
//!   named, and no known pattern explains it: this does not mean the job is healthy;
//! - `nothing-read`: no file could be read as a NetBackup log;
//! - `clean`: logs were read, nothing failed and no cause was found (stray error lines are
//!   listed, not hidden).

use crate::catalogue;
use crate::correlate::{EvRef, Model};
use crate::facts::Fact;
use crate::report::{Evidence, Finding, Headline, Owner, Role, Severity, Verdict};
use crate::rules::cite;
use crate::vocab::FileFormat;

/// Error lines listed under a verdict, at most.
pub const FIRST_ERRORS: usize = 10;

/// The verdict, its headline and the error lines to list under it.
pub fn judge(model: &Model<'_>, findings: &[Finding]) -> (Verdict, Headline, Vec<Evidence>) {
    let read_any = model.files.iter().any(|f| f.facts.format.is_log());
    if !read_any {
        return (Verdict::NothingRead, nothing_read(model), Vec::new());
    }
    let errors = error_lines(model);
    if let Some(cause) = findings.iter().find(|f| f.role == Role::Cause) {
        // The status this cause explains, when it names one (not another failure in the bundle).
        let own = cause.status();
        let failed =
            own.filter(|&s| s != 0).map(|s| format!(" The job failed with {}.", catalogue::status_phrase(s as u32)));
        let send = cause.request.as_ref().map(|r| r.text.clone()).or_else(|| cause.fix.first().cloned());
        let text = format!(
            "{}.{} Who should act: {}.",
            cause.title.trim_end_matches('.'),
            failed.unwrap_or_default(),
            cause.owner.label()
        );
        return (Verdict::CauseFound, Headline { text, owner: Some(cause.owner), send }, Vec::new());
    }
    // Information (an Accelerator full backup run as planned) is no failure.
    let failure =
        findings.iter().find(|f| matches!(f.role, Role::Symptom | Role::FirstError) && f.severity >= Severity::Warning);
    if let Some(failure) = failure {
        let status = failed_status(findings);
        let what = match status {
            Some(s) => format!("The job failed with {}", catalogue::status_phrase(s)),
            None => failure.title.trim_end_matches('.').to_string(),
        };
        let entry = status.and_then(catalogue::status);
        let owner = entry.map_or(failure.owner, |e| e.owner);
        // A status with a rule of its own names its first check; otherwise the logs to read.
        let send = entry
            .filter(|e| e.rule.is_none())
            .map(|e| e.read_next)
            .filter(|r| !r.is_empty())
            .map(|r| format!("Read, or collect and send: {r}"))
            .or_else(|| failure.fix.first().cloned());
        let listed = if errors.is_empty() { "" } else { " The first errors are listed below, earliest first." };
        let text = format!(
            "{what}, and no known pattern explains it: this does not mean the job is healthy.{listed} Who should act: {}.",
            owner.label()
        );
        return (Verdict::ErrorsUnexplained, Headline { text, owner: Some(owner), send }, errors);
    }
    let text = if errors.is_empty() {
        "The logs were read: no job failed and no known problem was found in them.".to_string()
    } else {
        format!(
            "The logs were read: no job failed and no known problem was found in them. {} error line{} stand{} in them, listed below: worth a look, not a failure.",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" },
            if errors.len() == 1 { "s" } else { "" }
        )
    };
    (Verdict::Clean, Headline { text, owner: None, send: None }, errors)
}

/// The first non-zero status the findings report.
fn failed_status(findings: &[Finding]) -> Option<u32> {
    findings.iter().filter_map(|f| f.status()).map(|s| s as u32).find(|&s| s != 0)
}

/// The files' error lines, earliest first on the aligned clocks.
fn error_lines(model: &Model<'_>) -> Vec<Evidence> {
    let mut refs: Vec<EvRef> = model.events_where(|f| *f == Fact::ErrorLine);
    refs.truncate(FIRST_ERRORS);
    refs.into_iter().map(|r| cite::evidence(model, r)).collect()
}

/// What to say when no file could be read as a log: what the files looked like, what to
/// collect, and what a status the text names means.
fn nothing_read(model: &Model<'_>) -> Headline {
    let mut kinds: Vec<&str> = model
        .files
        .iter()
        .filter(|f| f.facts.format != FileFormat::Archive)
        .map(|f| match f.facts.format {
            FileFormat::Binary => "a file that is not text",
            FileFormat::UnknownText => "text that is not a NetBackup log",
            FileFormat::RawVxul => "a raw unified log that needs vxlogview first",
            FileFormat::Empty => "an empty file",
            _ => "a file",
        })
        .collect();
    crate::order::sort(&mut kinds);
    kinds.dedup();
    let status = model.files.iter().find_map(|f| f.facts.mentioned_status);
    let mut text = format!(
        "No file could be read as a NetBackup log ({}). nbtriage needs the debug logs themselves: see each file's note below.",
        if kinds.is_empty() { "no file was given".to_string() } else { kinds.join(", ") }
    );
    let mut send = String::from(
        "Collect the debug logs of the failed job: on the media server bpbrm and bptm, on the client bpcd and bpbkar (install_path\\NetBackup\\logs\\<process> or /usr/openv/netbackup/logs/<process>, VERBOSE 5), the Job Details from the Activity Monitor, and nbjm's unified log rendered with `vxlogview -d all -i 117 > nbjm.txt`.",
    );
    if let Some(code) = status {
        match catalogue::status(code) {
            Some(entry) => {
                text.push_str(&format!(" The text names {}.", catalogue::status_phrase(code)));
                if !entry.meaning.is_empty() {
                    text.push(' ');
                    text.push_str(entry.meaning);
                }
                if !entry.read_next.is_empty() {
                    send = format!("For status {code}, collect: {} {send}", entry.read_next);
                }
            }
            None => {
                text.push_str(&format!(" The text names status {code}, which nbtriage's status table does not list."))
            }
        }
    }
    Headline { text, owner: Some(Owner::BackupAdmin), send: Some(send) }
}
