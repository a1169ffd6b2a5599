//! The few labels every view of a report shows (the page, the HTML and text reports), worded
//! once: which clock the times are on, how a file's process and time span were decided.

use super::{FileReport, HostReport, Report};
use crate::numbers::counted;

impl Report {
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
