//! One honest verdict for the whole bundle, in words a non-admin reads first, and the one line
//! above the findings: what failed, who should act and the one thing to send them.
//!
//! The table, first match wins:
//! - `nothing-read`: no file could be read as a NetBackup log, a packet capture or netstat output;
//! - `cause-found`: a finding names a cause (a known pattern explains a failure or a problem),
//!   or a database agent's failing status follows from the database's own error in the bundle
//!   (`facts.follows_from`, side `database`): the database administrator acts first;
//! - `errors-unexplained`: a job or process failed (status 1 included), a text states a failing
//!   status, an admin command ended with a failing status (the command's, not a job's), or a
//!   first error was named, and no known pattern explains it: this does not mean the job is
//!   healthy;
//! - `clean` (green): a success is recorded in the lines (status 0 as an exit status, or beside
//!   its official message, or its message stated on its own), or an admin command's output shows
//!   a check that passed (a finding with `facts.health`); error lines beside it are listed under
//!   it, not hidden;
//! - `errors-unexplained`: an error line of a NetBackup process stands with no success recorded;
//!   a line a catalogue finding of severity `info` cites (the catalogue says it is no error) does
//!   not count;
//! - `no-failure-seen` (neutral): lines were read, none is an error and none fails, but nothing
//!   says how the job ended (logs that stop before the outcome); an admin command's output
//!   that shows no failure and no check passed (a query that matched nothing, status 227 as its
//!   exit, `facts.matched_nothing`; a listing) gets its own headline.

use crate::catalogue::{self, Basis, SourceId};
use crate::correlate::Model;
use crate::facts::Fact;
use crate::report::{Coverage, Evidence, Finding, Headline, Owner, Role, Severity, Verdict};
use crate::rules::cite;
use crate::vocab::{Area, FileFormat};

/// Error lines listed under a verdict, at most.
pub const FIRST_ERRORS: usize = 10;

/// The verdict, its headline and the error lines to list under it.
pub fn judge(model: &Model<'_>, findings: &[Finding]) -> (Verdict, Headline, Vec<Evidence>) {
    // A capture or netstat output is read for its connections: evidence, though not a log.
    let read_any = model
        .files
        .iter()
        .any(|f| f.facts.format.is_log() || matches!(f.facts.format, FileFormat::Capture | FileFormat::Netstat));
    if !read_any {
        return (Verdict::NothingRead, nothing_read(model), Vec::new());
    }
    let errors = error_lines(model, findings);
    // Before the causes: a database error that is a cause has no status of its own to name.
    if let Some(headline) = database_failed(findings) {
        return (Verdict::CauseFound, headline, Vec::new());
    }
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
            Some(s) if is_stated(findings, s) => format!("The text states {}", catalogue::status_phrase(s)),
            Some(s) => format!("The job failed with {}", catalogue::status_phrase(s)),
            None => failure.title.trim_end_matches('.').to_string(),
        };
        // A command's own exit is no job's: its words say so, not "the job is healthy".
        let not_healthy = if is_command(failure) && status.is_none() && !failure.facts.contains_key("command_status") {
            ": the storage's state as the command showed it, not a job's failure"
        } else if is_command(failure) && status.is_none() {
            ": the command's own status, not a job's"
        } else {
            ": this does not mean the job is healthy"
        };
        let entry = status.and_then(catalogue::status);
        if let Some((s, command)) = status.zip(status.and_then(|s| client_command_failed(model, s))) {
            return (Verdict::ErrorsUnexplained, client_command_headline(command, s, &errors), errors);
        }
        let owner = entry.map_or(failure.owner, |e| e.owner);
        // Reading NetBackup's logs is the backup admin's step, never the network team's.
        let reads_logs = entry.is_some_and(|e| e.rule.is_none() && !e.read_next.is_empty());
        let owner = if reads_logs && owner == Owner::NetworkTeam { Owner::BackupAdmin } else { owner };
        // A status with a rule of its own names its first check; otherwise the logs to read.
        let send = entry
            .filter(|e| e.rule.is_none())
            .map(|e| (e.read_next, e.network_check))
            .filter(|(r, _)| !r.is_empty())
            .map(|(r, network)| {
                let mut send = format!("Read, or collect and send: {r}");
                if !network.is_empty() {
                    send.push_str(" If they show the connection was lost, send the network team the request on the status's card.");
                }
                send
            })
            .or_else(|| failure.fix.first().cloned());
        let listed = if errors.is_empty() { "" } else { " The first errors are listed below, earliest first." };
        let text = format!(
            "{what}, and no known pattern explains it{not_healthy}.{listed} Who should act: {}.",
            owner.label()
        );
        return (Verdict::ErrorsUnexplained, Headline { text, owner: Some(owner), send }, errors);
    }
    if let Some(health) = findings.iter().find(|f| is_health(f)) {
        return (Verdict::Clean, healthy_output(health, &errors), errors);
    }
    // Only when the bundle is admin commands' output alone: logs beside it have their own words.
    let only_commands =
        model.files.iter().filter(|f| f.facts.format.is_log()).all(|f| f.facts.format == FileFormat::CommandOutput);
    let command = findings.iter().find(|f| is_command(f)).filter(|_| only_commands);
    // `EXIT STATUS 227: no entity was found` quoted alone: a query's result, read as one.
    let query = findings.iter().find(|f| matched_nothing(f) && !is_command(f));
    match first_success(model) {
        Some((success, recorded)) => (Verdict::Clean, clean(&success, &recorded, &errors), errors),
        None if !errors.is_empty() => (Verdict::ErrorsUnexplained, unexplained_error_lines(&errors), errors),
        None if command.is_some() => (Verdict::NoFailureSeen, command_read(command), errors),
        None if query.is_some() => (Verdict::NoFailureSeen, query_read(query), errors),
        None if !model.files.iter().any(|f| f.facts.format.is_log()) => {
            (Verdict::NoFailureSeen, network_read(model), errors)
        }
        None => (Verdict::NoFailureSeen, no_failure_seen(), errors),
    }
}

/// A database agent's failing status that may follow from the database's own error (the status
/// finding's `facts.follows_from`, side `database`): the headline names that error, and the
/// database administrator.
fn database_failed(findings: &[Finding]) -> Option<Headline> {
    let (status, rule) = findings.iter().find_map(|f| Some((f, f.follows_database_error()?)))?;
    let error = findings.iter().find(|f| f.rule == rule)?;
    let failed = catalogue::status_phrase(status.stated_status()? as u32);
    let owner = Owner::DatabaseAdmin;
    let text = format!(
        "{}. The job failed with {failed}, which may follow from this database error. Who should act: {}.",
        error.title.trim_end_matches('.'),
        owner.label()
    );
    Some(Headline { text, owner: Some(owner), send: error.fix.first().cloned() })
}

/// The client-side command (`bprestore`, `bpbackup`, `bparchive`, `bplist`: their debug logs and
/// their runs are the client's) whose own line, or whose file, reported the connection status `s`
/// (the status table's network or names-and-trust area), when one did.
fn client_command_failed(model: &Model<'_>, s: u32) -> Option<&'static str> {
    let connection =
        catalogue::status(s).and_then(|e| e.area).is_some_and(|a| matches!(a, Area::Network | Area::NamesAndTrust));
    if !connection {
        return None;
    }
    let refs = model.events_where(|f| matches!(f, Fact::ExitStatus { status, .. } if *status == s));
    refs.into_iter().find_map(|r| {
        let process = model.own_process(r).or(model.file(r).process.as_deref())?;
        CLIENT_COMMANDS.iter().copied().find(|&c| c == process)
    })
}

/// Commands a user or a script runs on the client (the Commands Reference Guide's user
/// commands), each with a debug log folder of its own on the client.
const CLIENT_COMMANDS: &[&str] = &["bprestore", "bpbackup", "bparchive", "bplist"];

/// A client-side command failed to connect: the client's own NetBackup services are checked
/// first (a command on the client needs its local PBX), then the network.
fn client_command_headline(command: &str, s: u32, errors: &[Evidence]) -> Headline {
    let owner = Owner::ClientOwner;
    let listed = if errors.is_empty() { "" } else { " The first errors are listed below, earliest first." };
    let text = format!(
        "{command}, run on the client, ended with {}, and no known pattern explains it: a command run on the client may fail this way when the client's own NetBackup services are not running, so they are checked first, then the network.{listed} Who should act: {}.",
        catalogue::status_phrase(s),
        owner.label()
    );
    let check = catalogue::step(
        &format!("On the client that ran {command}, check its own NetBackup services first: that PBX and vnetd run and listen on their ports, 1556 and 13724 (`netstat -an` showing them LISTEN; `ps -ef | egrep 'pbx_exchange|vnetd|bpcd'` on UNIX; the commands are general practice)."),
        Basis::Source(SourceId::Veritas100021789),
    );
    let windows = catalogue::step(
        "On a Windows client, bpcd is started by the NetBackup Client Service (bpinetd): check that this service runs.",
        Basis::Source(SourceId::CommandsBpcd),
    );
    let case = catalogue::step(
        "In one published case bprestore, run on a client, failed with status 25 because the client's PBX (vxpbx_exchanged) was not started; the fix was to start it before NetBackup's other services.",
        Basis::Source(SourceId::Rear2544),
    );
    let send = format!("{check} {windows} {case} If they run, send the network team the request on the status's card.");
    Headline { text, owner: Some(owner), send: Some(send) }
}

/// The earliest line that records a success (`Fact::records_success`), when one does: what makes
/// `clean`, with the words for what it recorded.
fn first_success(model: &Model<'_>) -> Option<(Evidence, String)> {
    if model.files.iter().all(|f| f.facts.successes == 0) {
        return None;
    }
    let refs = model.events_where(Fact::records_success);
    refs.first().map(|&r| (cite::evidence(model, r), success_words(&model.event(r).fact)))
}

/// What a success line recorded, for "bpbrm recorded {words}". Each fact that
/// `Fact::records_success` names gets its words here.
fn success_words(fact: &Fact) -> String {
    match fact {
        Fact::ExitStatus { status, .. } | Fact::StatedStatus { status, .. } => catalogue::status_phrase(*status),
        _ => "a success".to_string(),
    }
}

/// A finding on a command's output that records a check that passed (`facts.health`).
fn is_health(f: &Finding) -> bool {
    f.facts.get("health").and_then(|v| v.as_bool()) == Some(true)
}

/// A finding on an admin command's output (`facts.command`): the command's state, not a job's.
/// A query that matched nothing (status 227): `facts.matched_nothing`.
fn matched_nothing(f: &Finding) -> bool {
    f.facts.get("matched_nothing").and_then(|v| v.as_bool()) == Some(true)
}

fn is_command(f: &Finding) -> bool {
    f.facts.contains_key("command")
}

/// Whether the failing status `s` is only stated in a text (`facts.form == "stated"`), not
/// reported by a log line.
fn is_stated(findings: &[Finding], s: u32) -> bool {
    let stated = |f: &&Finding| f.facts.get("form").and_then(|v| v.as_str()) == Some("stated");
    let about = |f: &&Finding| f.status() == Some(u64::from(s));
    findings.iter().filter(about).all(|f| stated(&f))
}

/// A command's output shows a check that passed, nothing failed, no cause found.
fn healthy_output(health: &Finding, errors: &[Evidence]) -> Headline {
    let mut text = format!(
        "The command output was read: {}. It shows the check passed when it ran; no failure and no known problem was found in it.",
        health.title.trim_end_matches('.')
    );
    if !errors.is_empty() {
        text.push_str(&format!(" {} beside it, listed below: worth a look.", error_lines_stand(errors.len())));
    }
    Headline { text, owner: None, send: None }
}

/// A success recorded, nothing failed, no cause found; error lines beside it listed.
fn clean(success: &Evidence, recorded: &str, errors: &[Evidence]) -> Headline {
    let mut text = match success.process.as_deref() {
        Some(who) => {
            format!(
                "The logs were read: {who} recorded {recorded}, no job failed and no known problem was found in them."
            )
        }
        // A status stated in a text, with no process: the text's words, not a log's.
        None => format!(
            "The text states {recorded}: the operation it names succeeded, and no known problem was found in it."
        ),
    };
    if !errors.is_empty() {
        text.push_str(&format!(
            " {} beside that success, listed below: worth a look, not a failure.",
            error_lines_stand(errors.len())
        ));
    }
    Headline { text, owner: None, send: None }
}

/// Error lines and no success recorded: they may be how the job ended.
fn unexplained_error_lines(errors: &[Evidence]) -> Headline {
    let text = format!(
        "The logs were read: {} in them, and no line records a success. No known pattern explains {}: this does not mean the job is healthy. Who should act: {}.",
        error_lines_stand(errors.len()),
        if errors.len() == 1 { "it" } else { "them" },
        Owner::BackupAdmin.label()
    );
    Headline { text, owner: Some(Owner::BackupAdmin), send: Some(COLLECT_WHOLE_JOB.to_string()) }
}

/// What to collect when no log the job's kind names is missing, or before coverage is known.
const COLLECT_WHOLE_JOB: &str = "Collect the logs of the whole job, up to its end (the Job Details from the Activity Monitor, and bpbrm and bptm on the media server), to see how it ended.";

/// The logs of the job not sent, asked for by name in place of the generic request: under
/// `no-failure-seen`, and under `errors-unexplained` when error lines stand with no status.
pub fn ask_for_missing(headline: &mut Headline, verdict: Verdict, coverage: &Coverage) {
    let generic = headline.send.as_deref().is_none_or(|s| s == COLLECT_WHOLE_JOB);
    let judged_by_lines = matches!(verdict, Verdict::NoFailureSeen | Verdict::ErrorsUnexplained);
    if let (true, true, Some(request)) = (generic, judged_by_lines, coverage.request()) {
        headline.send = Some(request);
    }
}

/// One owner in the verdict: a card whose owner is another says why (the verdict's owner acts
/// first; the card's acts if that step does not explain or end the failure).
pub fn note_other_owners(findings: &mut [Finding], headline: &Headline) {
    let Some(first) = headline.owner else { return };
    for f in findings.iter_mut().filter(|f| f.owner != first) {
        f.owner_note = format!(
            "The verdict names {} first; {} acts on this card if that step does not explain or end the failure.",
            first.label(),
            f.owner.label()
        );
    }
}

/// Lines read, none an error, none failing, none saying how the job ended.
/// An admin command's output that shows no failure and no check passed: a query that matched
/// nothing (status 227 as its exit), or what a command lists. Nothing said of any job.
fn command_read(command: Option<&Finding>) -> Headline {
    let title = command.map_or("", |f| f.title.trim_end_matches('.'));
    let matched_nothing = command.and_then(|f| f.facts.get("matched_nothing")).and_then(|v| v.as_bool());
    let what = if matched_nothing == Some(true) {
        "That is the command's own status, not a failure"
    } else {
        "It shows no failure"
    };
    let text = format!("The command output was read: {title}. {what}, and it says nothing of how any job ended.");
    Headline { text, owner: None, send: None }
}

/// Packet captures or netstat output alone, with no finding: read, and nothing said of any job.
fn network_read(model: &Model<'_>) -> Headline {
    let has = |format: FileFormat| model.files.iter().any(|f| f.facts.format == format);
    let mut seen = Vec::new();
    if has(FileFormat::Capture) {
        seen.push("the packet capture shows no connection to NetBackup's ports unanswered, refused or reset");
    }
    if has(FileFormat::Netstat) {
        seen.push("the netstat output shows no connection to NetBackup's ports waiting for an answer (SYN_SENT) across its snapshots");
    }
    let text = format!(
        "Read: {}. That says nothing of how any job ended: the job's debug logs and its Job Details do.",
        seen.join("; ")
    );
    Headline { text, owner: None, send: None }
}

/// Status 227 quoted alone: a query that matched nothing, and nothing said of any job.
fn query_read(query: Option<&Finding>) -> Headline {
    let title = query.map_or("", |f| f.title.trim_end_matches('.'));
    let text = format!(
        "The text was read: {title}. That is what a query returns when nothing matches it, not a failure, and it says nothing of how any job ended."
    );
    Headline { text, owner: None, send: None }
}

fn no_failure_seen() -> Headline {
    let text = "These lines show no failure, but they don't say how the job ended.".to_string();
    Headline { text, owner: None, send: None }
}

/// "1 error line stands", "3 error lines stand".
fn error_lines_stand(n: usize) -> String {
    let n = n as u64;
    format!("{} {}", crate::numbers::counted(n, "error line"), if n == 1 { "stands" } else { "stand" })
}

/// The first non-zero status the findings report.
fn failed_status(findings: &[Finding]) -> Option<u32> {
    findings.iter().filter_map(|f| f.status()).map(|s| s as u32).find(|&s| s != 0)
}

/// The files' error lines, earliest first on the aligned clocks, but those a catalogue signature's
/// finding of severity `info` cites: the catalogue says such a line is no error (a correlation
/// rule's `info`, a silence measured before the line, says nothing of the line itself).
fn error_lines(model: &Model<'_>, findings: &[Finding]) -> Vec<Evidence> {
    let benign: Vec<(&str, u64)> = findings
        .iter()
        .filter(|f| {
            f.severity == Severity::Info && (catalogue::SIGNATURES.iter().any(|s| s.id == f.rule) || matched_nothing(f))
        })
        .flat_map(|f| f.evidence.iter().map(|e| (e.file.as_str(), e.line)))
        .collect();
    model
        .events_where(|f| *f == Fact::ErrorLine)
        .into_iter()
        .map(|r| cite::evidence(model, r))
        .filter(|e| !benign.contains(&(e.file.as_str(), e.line)))
        .take(FIRST_ERRORS)
        .collect()
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
            FileFormat::Settings => "a host's bp.conf settings, not a log",
            FileFormat::Capture => "a packet capture, not a log",
            FileFormat::Netstat => "netstat output, not a log",
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

#[cfg(test)]
mod tests {
    use crate::analysis::{Analysis, MemorySource};
    use crate::report::{Report, Verdict};

    /// One bpbrm log of these lines, analyzed.
    fn report_of(lines: &[&str]) -> Report {
        report_of_file("media01/bpbrm/060311.log", lines.join("\n") + "\n")
    }

    fn report_of_file(path: &str, text: String) -> Report {
        let mut analysis = Analysis::new();
        let file = analysis.add_file(path);
        analysis.feed(file, text.as_bytes());
        analysis.finish_file(file);
        let mut source: MemorySource = [(path.to_string(), text.into_bytes())].into_iter().collect();
        analysis.finish(&mut source)
    }

    const ROUTINE: &str = "17:46:37.262 [1660.4296] <2> bpbrm spawn_brm_child: bpbrm child pid = 5592.5372";
    // The `<4> ... INF - EXIT STATUS` form (reference §1.4, [S21, S36]) with status 0's message.
    const SUCCESS: &str =
        "17:58:02.803 [5592.5372] <4> bpbrm Exit: INF - EXIT STATUS 0: the requested operation was successfully completed";
    const ERROR: &str = "17:50:01.100 [5592.5372] <16> bpbrm handle_backup: ERR - something went wrong";

    #[test]
    fn a_recorded_success_makes_clean() {
        let report = report_of(&[ROUTINE, SUCCESS]);
        assert_eq!(report.verdict, Verdict::Clean);
        assert!(report.headline.text.contains("recorded status 0"), "{}", report.headline.text);
    }

    #[test]
    fn no_outcome_is_no_failure_seen_not_clean() {
        let report = report_of(&[ROUTINE]);
        assert_eq!(report.verdict, Verdict::NoFailureSeen);
        assert_eq!(report.headline.text, "These lines show no failure, but they don't say how the job ended.");
    }

    #[test]
    fn an_error_line_with_no_success_is_errors_unexplained() {
        let report = report_of(&[ROUTINE, ERROR]);
        assert_eq!(report.verdict, Verdict::ErrorsUnexplained);
        assert_eq!(report.first_errors.len(), 1);
    }

    #[test]
    fn an_error_line_beside_a_success_is_listed_under_clean() {
        let report = report_of(&[ROUTINE, ERROR, SUCCESS]);
        assert_eq!(report.verdict, Verdict::Clean);
        assert_eq!(report.first_errors.len(), 1);
    }

    #[test]
    fn a_job_details_final_status_0_makes_clean() {
        // The final status alone on its line, as Job Details print it (Veritas 100009743's form).
        let text = "7/27/2012 4:40:01 AM - Info bpbrm(pid=412) accelerator enabled\nthe requested operation was successfully completed (0)\n";
        assert_eq!(report_of_file("job-details.txt", text.to_string()).verdict, Verdict::Clean);
    }

    #[test]
    fn an_error_line_the_catalogue_calls_no_error_is_not_counted() {
        // accelerator-full-rescan's line (an `info` finding: "That is not an error"), given an
        // error level on purpose: the catalogue's word wins over the level.
        let text = "7/25/2012 4:45:35 PM - Error bpbrm(pid=6192) There is no complete backup image match with track journal, a regular full backup will be performed\n";
        let report = report_of_file("job-details.txt", text.to_string());
        assert_eq!(report.findings.len(), 1, "{:?}", report.findings);
        assert_eq!(report.verdict, Verdict::NoFailureSeen);
        assert!(report.first_errors.is_empty());
    }

    #[test]
    fn status_0_without_its_message_or_an_exit_is_no_success() {
        let report = report_of(&[ROUTINE, "17:58:02.803 [5592.5372] <2> bpbrm write_file: status: 0 bytes: 0"]);
        assert_eq!(report.verdict, Verdict::NoFailureSeen);
    }

    #[test]
    fn a_client_log_alone_asks_for_the_media_servers_logs_by_name() {
        // bpbkar's lines from reference §9 [S21], cut before the failure.
        let text = "05:14:36.502 [23506] <2> bpbkar SelectFile: INF - Resolved_path = /export/home/OracleExport\n05:14:36.506 [23506] <4> bpbkar PrintFile: /\n";
        let report = report_of_file("client01/bpbkar/log.060311", text.to_string());
        assert_eq!(report.verdict, Verdict::NoFailureSeen);
        let missing: Vec<&str> = report.coverage.missing.iter().map(|m| m.process.as_str()).collect();
        assert_eq!(missing, ["bpbrm", "bptm"]);
        assert_eq!(report.coverage.missing[0].host, None, "no media server is named in the logs");
        let send = report.headline.send.as_deref().unwrap_or_default();
        assert!(send.starts_with("Collect the debug logs of bpbrm and bptm from the media server for "), "{send}");
        let sentence = report.coverage_sentence().unwrap_or_default();
        assert!(
            sentence
                .starts_with("You sent only client01's bpbkar log. Not sent: bpbrm and bptm from the media server."),
            "{sentence}"
        );
    }

    #[test]
    fn a_client_command_s_connection_failure_goes_to_the_client_s_owner() {
        // ReaR pull request 2544's lines, verbatim, in a file named after the command.
        let text = "EXIT STATUS 25: cannot connect on socket\nbprestore failed (return code = 25)\n";
        let report = report_of_file("bprestore-output.txt", text.to_string());
        assert_eq!(report.verdict, Verdict::ErrorsUnexplained);
        assert_eq!(report.headline.owner, Some(crate::report::Owner::ClientOwner));
        assert!(report.headline.text.starts_with("bprestore, run on the client, ended with status 25"));
        let send = report.headline.send.as_deref().unwrap_or_default();
        assert!(send.starts_with("On the client that ran bprestore, check its own NetBackup services first"), "{send}");
        assert!(report
            .findings
            .iter()
            .all(|f| f.owner == crate::report::Owner::ClientOwner || !f.owner_note.is_empty()));
        // The same line with no command named stays the status's owner's.
        let report = report_of_file("rear-restore.txt", text.to_string());
        assert_eq!(report.headline.owner, Some(crate::report::Owner::NetworkTeam));
    }

    #[test]
    fn a_clean_bundle_misses_nothing() {
        let report = report_of(&[ROUTINE, SUCCESS]);
        assert!(report.coverage.missing.is_empty());
        assert_eq!(report.coverage.processes, ["bpbrm"]);
    }

    #[test]
    fn a_restore_s_log_asks_for_the_restore_s_other_logs() {
        // A tar log (the folder names the process) makes the bundle a restore's: bprd, bpbrm and
        // bptm are asked for, not bpbkar.
        let report = report_of_file("client01/tar/log.060311", format!("{ROUTINE}\n"));
        let missing: Vec<&str> = report.coverage.missing.iter().map(|m| m.process.as_str()).collect();
        assert_eq!(missing, ["bprd", "bpbrm", "bptm"]);
        assert_eq!(report.coverage.missing[0].role, "primary server");
    }
}
