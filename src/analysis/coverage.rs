//! What the logs cover, and which logs of the job were not sent: the job's kind (a backup, or a
//! restore when a restore's processes wrote the logs), its failing status's area, and the logs
//! NetBackup writes for such a job (`knowledge::JOB_LOGS`, from the Logging Reference Guide).

use crate::catalogue;
use crate::correlate::Model;
use crate::knowledge::{AskWhen, JobLog, Operation, JOB_LOGS, RESTORE_PROCESSES};
use crate::report::{Coverage, FileFormat, Finding, MissingLog, Verdict};

/// The coverage of a judged bundle; `first` and `last` are the report's.
pub fn coverage(
    model: &Model<'_>,
    findings: &[Finding],
    verdict: Verdict,
    span: (Option<String>, Option<String>),
) -> Coverage {
    let logs = || model.files.iter().filter(|v| v.facts.format.is_log());
    let mut processes: Vec<String> = logs().filter_map(|v| v.process.clone()).collect();
    crate::order::sort(&mut processes);
    processes.dedup();
    let mut hosts: Vec<String> = Vec::new();
    for v in logs() {
        let host = model.host(v.host);
        if host.name.is_some() || !host.ips.is_empty() {
            let name = host.short();
            if !hosts.contains(&name) {
                hosts.push(name);
            }
        }
    }
    // An admin command's output is no job's: it asks for no job's logs.
    let only_commands = logs().all(|v| v.facts.format == FileFormat::CommandOutput);
    let missing = match verdict {
        Verdict::Clean | Verdict::NothingRead => Vec::new(),
        _ if only_commands => Vec::new(),
        _ => missing(model, findings, &processes),
    };
    Coverage { hosts, processes, first: span.0, last: span.1, missing }
}

/// The job's logs not sent, in the table's order.
fn missing(model: &Model<'_>, findings: &[Finding], read: &[String]) -> Vec<MissingLog> {
    let is_read = |p: &str| read.iter().any(|r| r == p);
    let operation = if RESTORE_PROCESSES.iter().any(|p| is_read(p)) && !is_read("bpbkar") {
        Operation::Restore
    } else {
        Operation::Backup
    };
    let area = findings
        .iter()
        .filter_map(|f| f.status())
        .find(|&s| s != 0)
        .and_then(|s| catalogue::status(s as u32))
        .and_then(|e| e.area)
        .map(|a| a.label());
    let asked = |log: &JobLog| match log.when {
        AskWhen::Always => true,
        AskWhen::Areas(areas) => area.is_some_and(|a| areas.contains(&a)),
    };
    JOB_LOGS
        .iter()
        .filter(|log| log.operation == operation && asked(log))
        .filter(|log| !is_read(log.process) && !log.or.iter().any(|p| is_read(p)))
        .map(|log| MissingLog {
            process: log.process.to_string(),
            host: host_named(model, log.role),
            role: log.role.to_string(),
            why: log.why.to_string(),
        })
        .collect()
}

/// The name of the bundle's host in that role, when the logs name one.
fn host_named(model: &Model<'_>, role: &str) -> Option<String> {
    model.hosts.iter().find(|h| h.role.label() == role && h.name.is_some()).map(|h| h.short())
}
