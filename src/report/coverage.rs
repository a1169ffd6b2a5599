//! What the logs sent cover, and which logs of the job were not sent, said in one sentence
//! (the text, Markdown and HTML reports and the page say the same).

use super::{FileFormat, Report};
use crate::numbers::and_list;
use serde::{Deserialize, Serialize};

/// What the logs cover: `coverage` in the JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    /// The hosts that wrote the logs read, by name (else address).
    pub hosts: Vec<String>,
    /// The processes whose logs were read, sorted.
    pub processes: Vec<String>,
    /// The earliest and latest line read (ISO 8601).
    pub first: Option<String>,
    pub last: Option<String>,
    /// The logs NetBackup writes for such a job that were not sent, when the bundle does not
    /// say how the job ended well (empty under `clean` and `nothing-read`).
    pub missing: Vec<MissingLog>,
}

/// A log of the job that was not sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingLog {
    pub process: String,
    /// The host that writes it, when the logs name it (else null: say "the media server").
    pub host: Option<String>,
    /// The host's role: "client", "media server" or "primary server".
    pub role: String,
    /// What the log says about the job.
    pub why: String,
}

/// The missing logs of one host: its name (or "the {role}"), its processes.
type HostGroup = (String, Vec<String>);

impl Coverage {
    /// The missing logs by host, in the order the table lists them.
    fn missing_by_host(&self) -> Vec<HostGroup> {
        let mut groups: Vec<HostGroup> = Vec::new();
        for m in &self.missing {
            let host = m.host.clone().unwrap_or_else(|| format!("the {}", m.role));
            match groups.iter_mut().find(|(h, _)| *h == host) {
                Some(group) => group.1.push(m.process.clone()),
                None => groups.push((host, vec![m.process.clone()])),
            }
        }
        groups
    }

    /// " for 2011-06-03 05:14:36 to 05:23:26", or nothing when no line had a time.
    fn span_words(&self) -> String {
        match (&self.first, &self.last) {
            (Some(a), Some(b)) if short(a) == short(b) => format!(" for the time around {}", short(a)),
            (Some(a), Some(b)) => format!(" for {} to {}", short(a), short_end(a, b)),
            _ => String::new(),
        }
    }

    /// What to ask for, ready to copy: "Collect bpbrm and bptm from media01 for ... . bpbrm runs
    /// ..."; `None` when nothing is missing.
    pub fn request(&self) -> Option<String> {
        if self.missing.is_empty() {
            return None;
        }
        let each: Vec<String> =
            self.missing_by_host().iter().map(|(host, procs)| format!("{} from {host}", and_list(procs))).collect();
        let mut text = format!(
            "Collect the debug logs of {}{} (the time these logs cover).",
            each.join(", and "),
            self.span_words()
        );
        for m in &self.missing {
            text.push(' ');
            text.push_str(&m.why);
            text.push('.');
        }
        Some(text)
    }
}

impl Report {
    /// "You sent only client01's bpbkar log. Not sent: bpbrm and bptm from media01. Collect them
    /// for 2011-06-03 05:14:36 to 05:23:26: they say how the job ran and ended."; `None` when no
    /// log was read.
    pub fn coverage_sentence(&self) -> Option<String> {
        let sent = self.sent_logs();
        if sent.is_empty() {
            return None;
        }
        let c = &self.coverage;
        let span = c.span_words();
        if c.missing.is_empty() {
            return Some(format!(
                "These lines come from {}{}.",
                and_list(&sent),
                span.replacen(" for the time around", ", around", 1).replacen(" for", ",", 1)
            ));
        }
        let groups = c.missing_by_host();
        let not_sent: Vec<String> =
            groups.iter().map(|(host, procs)| format!("{} from {host}", and_list(procs))).collect();
        Some(format!(
            "You sent only {}. Not sent: {}. Collect them{span}: they say how the job ran and ended.",
            and_list(&sent),
            not_sent.join("; ")
        ))
    }

    /// "client01's bpbkar log", "the Job Details": what was sent, by host.
    fn sent_logs(&self) -> Vec<String> {
        let mut groups: Vec<(Option<&str>, Vec<String>)> = Vec::new();
        let mut others: Vec<String> = Vec::new();
        for f in self.files.iter().filter(|f| f.is_log()) {
            if f.format == FileFormat::CommandOutput {
                // An admin command's output is no log: "192.168.6.41's bptestbpcd output".
                let command = f.process.as_deref().unwrap_or("an admin command's");
                let what = match f.host.as_deref().filter(|h| *h != "unknown host") {
                    Some(h) => format!("{h}'s {command} output"),
                    None => format!("the {command} output"),
                };
                if !others.contains(&what) {
                    others.push(what);
                }
                continue;
            }
            let Some(process) = &f.process else {
                let what = match f.format {
                    FileFormat::JobDetails => "the Job Details",
                    FileFormat::Messages => "NetBackup messages quoted without their log headers",
                    _ => "a log whose process is not known",
                };
                if !others.iter().any(|o| o == what) {
                    others.push(what.to_string());
                }
                continue;
            };
            let host = f.host.as_deref().filter(|h| *h != "unknown host");
            match groups.iter_mut().find(|(h, _)| *h == host) {
                Some(group) if !group.1.contains(process) => group.1.push(process.clone()),
                Some(_) => {}
                None => groups.push((host, vec![process.clone()])),
            }
        }
        let mut sent: Vec<String> = groups
            .into_iter()
            .map(|(host, procs)| {
                let n = procs.len();
                match host {
                    Some(h) => format!("{h}'s {} {}", and_list(&procs), logs(n)),
                    None => format!("the {} {}", and_list(&procs), logs(n)),
                }
            })
            .collect();
        sent.extend(others);
        sent
    }
}

fn logs(n: usize) -> &'static str {
    if n == 1 {
        "log"
    } else {
        "logs"
    }
}

/// `2011-06-03T05:14:36.502` → `2011-06-03 05:14:36`.
fn short(iso: &str) -> String {
    let iso = iso.replace('T', " ");
    iso.split('.').next().unwrap_or(&iso).to_string()
}

/// The span's end, its time only when it falls on the first day.
fn short_end(first: &str, last: &str) -> String {
    match (first.split_once('T'), last.split_once('T')) {
        (Some((a, _)), Some((b, time))) if a == b => time.split('.').next().unwrap_or(time).to_string(),
        _ => short(last),
    }
}
