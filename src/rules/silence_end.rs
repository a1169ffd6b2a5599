//! `silence` at the end of a log: a process whose log stops after a long wait. The scanner keeps
//! each file's latest long gap (`FileFacts::last_long_gap`, a store only when a gap of at least
//! [`MIN_SILENCE_MS`] ends); when the line that ended it is at the file's last time, the wait is
//! the last thing the log shows, whatever that line says.

use super::silence::{against_timeouts, silence_finding};
use crate::correlate::Model;
use crate::facts::LongGap;
use crate::knowledge::{MIN_SILENCE_MS, SILENCE_PACE_FACTOR};
use crate::report::{Evidence, Finding, Mark, MarkKind};
use crate::vocab::time::{human_duration, iso, seconds};
use crate::vocab::FileFormat;
use serde_json::json;
use std::collections::BTreeMap;

/// The files whose log ends after a long wait, long against the rest of the file's pace, with no
/// success recorded, and
/// that no later file of the same process on the same host continues (a rotated log's end is
/// not the process's).
pub fn ends(model: &Model<'_>) -> Vec<(usize, LongGap)> {
    let mut out = Vec::new();
    for (i, view) in model.files.iter().enumerate() {
        let facts = view.facts;
        let (Some(gap), Some(first), Some(last)) = (facts.last_long_gap, facts.first_ms, facts.last_ms) else {
            continue;
        };
        // A log that records a success ended with its outcome: a wait before it (bpbrm's while
        // the data moves) is no silence worth naming; nor is a gap in the system log, which many
        // programs write.
        if gap.end_ms != last
            || facts.successes > 0
            || facts.format == FileFormat::JobDetails
            || facts.format == FileFormat::SystemLog
            || !facts.format.is_log()
        {
            continue;
        }
        let others = facts.log_lines.saturating_sub(2).max(1) as i64;
        let pace = last.saturating_sub(first).saturating_sub(gap.ms).max(0) / others;
        if gap.ms < MIN_SILENCE_MS || gap.ms < SILENCE_PACE_FACTOR.saturating_mul(pace) {
            continue;
        }
        let continued = model.files.iter().enumerate().any(|(j, other)| {
            j != i
                && other.host == view.host
                && other.process.is_some()
                && other.process == view.process
                && other
                    .facts
                    .first_ms
                    .is_some_and(|f| other.base_ms.saturating_add(f) >= view.base_ms.saturating_add(last))
        });
        if !continued {
            out.push((i, gap));
        }
    }
    out
}

/// "bptm wrote nothing for 4 min 10 s before its log's last line."
pub fn finding(model: &Model<'_>, file: usize, gap: LongGap) -> Finding {
    let view = &model.files[file];
    let host = model.host(view.host);
    let process = view.process.clone().unwrap_or_else(|| "the process".to_string());
    let who = match &host.name {
        Some(name) => format!("{process} on {name}"),
        None => process.clone(),
    };
    let waited = human_duration(gap.ms);
    let end_local = view.base_ms.saturating_add(gap.end_ms);
    let aligned = end_local.saturating_sub(model.clock_offset_ms(view.host));
    let when = iso(end_local, view.date_known);
    let clock = crate::rules::words::clock(&when).to_string();
    let mut summary = format!(
        "{} wrote nothing for {waited} before line {} at {clock}, its log's last time: the log stops after that wait.",
        crate::rules::words::sentence_start(&who),
        gap.line
    );
    // The wait ended with an ordinary line: a default timeout is named only when the wait
    // lasted about as long as one.
    let (against, matches) = against_timeouts(gap.ms);
    if matches {
        summary.push(' ');
        summary.push_str(against);
    }
    let evidence = Evidence {
        file: view.facts.path.clone(),
        line: gap.line,
        offset: gap.offset,
        time: when.clone(),
        host: host.label(),
        process: view.process.clone(),
        text: String::new(),
    };
    let mark = Mark {
        host: host.short(),
        process: view.process.clone(),
        kind: MarkKind::Silence,
        start_ms: aligned.saturating_sub(gap.ms),
        end_ms: Some(aligned),
        label: format!("{process} wrote nothing for {waited}"),
        file: view.facts.path.clone(),
        line: gap.line,
    };
    let mut facts = BTreeMap::new();
    facts.insert("silence_s".into(), json!(seconds(gap.ms)));
    facts.insert("process".into(), json!(process));
    facts.insert("before".into(), json!(when));
    facts.insert("at_end".into(), json!(true));
    facts.insert("threshold_s".into(), json!(seconds(MIN_SILENCE_MS)));
    facts.insert("matches_timeout".into(), json!(matches));
    let title =
        format!("{} wrote nothing for {waited} before its log's last line", crate::rules::words::sentence_start(&who));
    let fix = format!(
        "Read what {process} was doing just before line {}, and what the process at the other end of its work logged during those {waited}; if the log was collected while the job still ran, collect it again after the job's end.",
        gap.line
    );
    silence_finding(title, summary, &fix, vec![evidence], facts, mark, gap.ms)
}

#[cfg(test)]
mod tests {
    use crate::analysis::{Analysis, MemorySource};
    use crate::report::{Report, Verdict};

    fn report_of(path: &str, text: &str) -> Report {
        let mut analysis = Analysis::new();
        let file = analysis.add_file(path);
        // Fed in small chunks: the gap is kept across them.
        for chunk in text.as_bytes().chunks(7) {
            analysis.feed(file, chunk);
        }
        analysis.finish_file(file);
        let mut source: MemorySource = [(path.to_string(), text.as_bytes().to_vec())].into_iter().collect();
        analysis.finish(&mut source)
    }

    // bpbrm's line forms (Veritas 100024894), times set for the test: a busy start, then 4 min
    // 10 s without a line before the log's last line, which is no error.
    const BUSY: &str = "17:46:37.262 [1660.4296] <2> bpbrm spawn_brm_child: bpbrm child pid = 5592.5372\n\
17:46:38.262 [1660.4296] <2> bpbrm spawn_brm_child: bpbrm child pid = 5592.5372\n\
17:46:39.262 [1660.4296] <2> bpbrm spawn_brm_child: bpbrm child pid = 5592.5372\n";
    const LAST: &str = "17:50:49.262 [1660.4296] <2> bpbrm spawn_brm_child: bpbrm child pid = 5592.5372\n";

    #[test]
    fn a_log_that_stops_after_a_long_wait_names_the_wait() {
        let report = report_of("media01/bpbrm/log.060311", &format!("{BUSY}{LAST}"));
        let silence: Vec<_> = report.findings.iter().filter(|f| f.rule == "silence").collect();
        assert_eq!(silence.len(), 1, "{:?}", report.findings);
        assert_eq!(silence[0].title, "bpbrm on media01 wrote nothing for 4 min 10 s before its log's last line");
        assert_eq!(silence[0].evidence[0].line, 4);
        assert_eq!(report.verdict, Verdict::NoFailureSeen, "information, not a failure");
    }

    #[test]
    fn a_wait_before_more_lines_or_a_success_is_not_an_end() {
        let more =
            format!("{BUSY}{LAST}17:50:50.262 [1660.4296] <2> bpbrm x: y\n17:50:51.262 [1660.4296] <2> bpbrm x: y\n");
        let report = report_of("media01/bpbrm/log.060311", &more);
        // The log goes on after the wait ended: the wait is not before its last line.
        assert!(report.findings.iter().all(|f| f.rule != "silence"), "{:?}", report.findings);
        let success = format!(
            "{BUSY}17:50:49.262 [5592.5372] <4> bpbrm Exit: INF - EXIT STATUS 0: the requested operation was successfully completed\n"
        );
        let report = report_of("media01/bpbrm/log.060311", &success);
        assert!(report.findings.iter().all(|f| f.rule != "silence"), "{:?}", report.findings);
    }
}
