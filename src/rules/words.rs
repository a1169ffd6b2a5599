//! Small helpers for the sentences rules write.

use crate::correlate::{EvRef, Model};
use crate::vocab::FileFormat;

/// A time for a sentence: the time of day only, since the date is in the facts.
pub fn clock(iso: &str) -> &str {
    iso.rsplit_once('T').map_or(iso, |(_, t)| t)
}

/// When a line was written, for a sentence ("first at {moment}", "just before {moment}"): its
/// time of day, or, in a file that gives no time (lines quoted without it), the line itself.
pub fn moment(model: &Model<'_>, r: EvRef) -> String {
    if model.time_known(r) {
        clock(&model.iso(r)).to_string()
    } else {
        format!("line {} of {}", model.event(r).line, model.file(r).facts.path)
    }
}

/// Who wrote a line: "bpbrm on media02", "the Job Details", "bptm (in the Job Details)". The
/// process a line names itself (`bpbkar: ERR - ...` pasted among bpbrm's lines, a quoted
/// `bptm:4940:host: ...`) comes before its file's.
pub fn reporter(model: &Model<'_>, r: EvRef) -> String {
    let view = model.file(r);
    if view.facts.format == FileFormat::JobDetails {
        return "the Job Details".into();
    }
    let process = model.own_process(r).or(view.process.as_deref()).unwrap_or("a process");
    let host = model.host(view.host);
    if host.name.is_some() || !host.ips.is_empty() {
        format!("{process} on {}", host.short())
    } else {
        process.to_string()
    }
}

/// Capitalizes our own "the ..." or "a ..." at the start of a sentence ("a process" when the
/// process is not known); process names stay as NetBackup writes them (bpbrm, not Bpbrm).
pub fn sentence_start(text: &str) -> String {
    if let Some(rest) = text.strip_prefix("the ") {
        format!("The {rest}")
    } else if let Some(rest) = text.strip_prefix("a ") {
        format!("A {rest}")
    } else {
        text.to_string()
    }
}

pub fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// The status a job's failure states, for "failed with status 25 (...)": the first of the
/// failure lines `failures` that names one.
pub fn failure_status(model: &Model<'_>, failures: &[EvRef]) -> Option<u32> {
    failures.iter().find_map(|&r| model.failures.iter().find(|f| f.at == r).and_then(|f| f.status))
}

#[cfg(test)]
mod tests {
    use super::sentence_start;

    #[test]
    fn a_sentence_starts_with_a_capital_but_a_process_name_keeps_its_case() {
        assert_eq!(sentence_start("the Job Details logged"), "The Job Details logged");
        assert_eq!(sentence_start("a process logged"), "A process logged");
        assert_eq!(sentence_start("bpbrm on media01 logged"), "bpbrm on media01 logged");
        assert_eq!(sentence_start("avrd logged"), "avrd logged");
    }
}
