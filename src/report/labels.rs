//! The few labels every view of a report shows (the page, the HTML and text reports), worded
//! once: which clock the times are on, how a file's process and time span were decided.

use super::{FileFormat, FileReport, HostReport, Report};
use crate::numbers::{and_list, count, counted};

impl Report {
    /// What was read, by kind: "3 NetBackup log files", "1 NetBackup log file and 1 admin
    /// command's output", "1 text of NetBackup messages", "2 job lists". `logs` words a log ("NetBackup log
    /// file", "NetBackup log files"): the page says "NetBackup log". Empty when nothing was read.
    pub fn read_kinds(&self, logs: (&str, &str)) -> String {
        let read = || self.files.iter().filter(|f| f.is_log());
        let of = |format: FileFormat| read().filter(|f| f.format == format).count() as u64;
        let (messages, commands) = (of(FileFormat::Messages), of(FileFormat::CommandOutput));
        let system = of(FileFormat::SystemLog);
        let other = read().count() as u64 - messages - commands - system;
        // Read for their connections or their jobs, not as logs.
        let not_logs = |format: FileFormat| self.files.iter().filter(|f| f.format == format).count() as u64;
        let (captures, netstat) = (not_logs(FileFormat::Capture), not_logs(FileFormat::Netstat));
        let lists = not_logs(FileFormat::JobList);
        let mut kinds = Vec::new();
        if other > 0 || messages + commands + system + captures + netstat + lists == 0 {
            kinds.push(count(other, logs.0, logs.1));
        }
        if lists > 0 {
            kinds.push(count(lists, "job list", "job lists"));
        }
        if messages > 0 {
            kinds.push(count(messages, "text of NetBackup messages", "texts of NetBackup messages"));
        }
        if commands > 0 {
            kinds.push(count(commands, "admin command's output", "admin commands' outputs"));
        }
        if system > 0 {
            kinds.push(count(system, "system log", "system logs"));
        }
        if captures > 0 {
            kinds.push(count(captures, "packet capture", "packet captures"));
        }
        if netstat > 0 {
            kinds.push(count(netstat, "netstat output", "netstat outputs"));
        }
        and_list(&kinds)
    }

    /// What was read and from how many hosts: "3 NetBackup log files from 2 hosts". Hosts come
    /// from logs, so a bundle of captures, netstat output or job lists alone names none, and
    /// "from 0 hosts" would read as a failure to read: the hosts are then left out.
    pub fn read_from(&self, logs: (&str, &str)) -> String {
        let kinds = self.read_kinds(logs);
        match self.hosts.len() as u64 {
            0 => kinds,
            hosts => format!("{kinds} from {}", count(hosts, "host", "hosts")),
        }
    }

    /// Which clock the timeline's times are on, and how each other host's clock was shifted.
    pub fn clock_note(&self) -> String {
        let reference = self.hosts.iter().find(|h| h.clock_reference);
        let mut words = match reference {
            Some(r) => format!("Times are on {}'s clock.", r.display_name()),
            None => "Times are as each host logged them: no connection was logged by two hosts, so clocks could not be compared.".to_string(),
        };
        if reference.is_none() {
            return words;
        }
        for h in self.hosts.iter().filter(|h| !h.clock_reference) {
            words.push_str(&match h.clock_offset_ms {
                Some(ms) => format!(
                    " {}'s clock runs {:.1} s {} (measured from {} both hosts logged); its lines are shifted to match.",
                    h.display_name(),
                    ms.abs() as f64 / 1000.0,
                    if ms < 0 { "behind" } else { "ahead" },
                    counted(h.clock_pairs as u64, "connection"),
                ),
                None => {
                    format!(" {}'s clock could not be compared (no connection both hosts logged).", h.display_name())
                }
            });
        }
        words
    }
}

impl HostReport {
    /// Its name when known, else its label.
    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.label)
    }
}

impl FileReport {
    /// Its process and how that was decided: "bpbrm (from folder)"; "—" when none.
    pub fn process_label(&self) -> String {
        match (&self.process, &self.process_source) {
            (Some(p), Some(source)) => format!("{p} (from {source})"),
            (Some(p), None) => p.clone(),
            _ => "—".into(),
        }
    }

    /// Its first and last line's times, and where its date came from when not its name:
    /// "2011-06-03 17:46:35.940 – 17:50:36.102 (date from lines)"; "—" when it has none.
    pub fn span_label(&self) -> String {
        let span = match (&self.first, &self.last) {
            (Some(a), Some(b)) => format!("{} – {}", a.replace('T', " "), b.rsplit('T').next().unwrap_or(b)),
            _ => return "—".into(),
        };
        match &self.date_source {
            Some(source) if source != "file name" => format!("{span} (date from {source})"),
            _ => span,
        }
    }
}
