//! The plain-text report for a terminal: the diagnosis first, then hosts and files.

use super::prose;
use super::{FileFormat, Finding, Report, Severity, Verdict};
use crate::numbers::count;
use std::fmt::Write;

const WIDTH: usize = 100;
/// Evidence lines are cut to this many characters in a terminal; the JSON keeps them whole.
const EVIDENCE_CHARS: usize = 150;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "nbtriage: {}{}",
        report.read_from(("NetBackup log file", "NetBackup log files")),
        match (&report.first, &report.last) {
            (Some(first), Some(last)) => format!(", {} to {}", first.replace('T', " "), last.replace('T', " ")),
            _ => String::new(),
        }
    );
    out.push('\n');

    render_headline(&mut out, report);
    for finding in &report.findings {
        render_finding(&mut out, finding);
    }
    if let Some(jobs) = &report.jobs {
        render_jobs(&mut out, jobs);
    }

    if !report.hosts.is_empty() {
        out.push_str("Hosts\n");
        let reference = report.hosts.iter().find(|h| h.clock_reference).map(|h| h.display_name().to_string());
        for host in &report.hosts {
            let clock = match (host.clock_reference, host.clock_offset_ms, &reference) {
                (true, _, _) => "clock: reference".to_string(),
                (false, Some(offset), Some(reference)) => format!(
                    "clock: {:.1} s {} {} (from {})",
                    offset.abs() as f64 / 1000.0,
                    if offset < 0 { "behind" } else { "ahead of" },
                    reference,
                    count(host.clock_pairs as u64, "connection both logged", "connections both logged")
                ),
                _ => "clock: not compared".to_string(),
            };
            let _ = writeln!(out, "  {:<28} {:<15} {:<22} {}", host.label, host.role, host.processes.join(", "), clock);
        }
        out.push('\n');
    }

    out.push_str("Files\n");
    for file in &report.files {
        let span = match (&file.first, &file.last) {
            (Some(a), Some(b)) => format!("{} to {}", a.replace('T', " "), short_time(a, b)),
            _ => String::new(),
        };
        let what = if file.format == FileFormat::Messages {
            format!("{}, {}", file.kind(), count(file.lines as usize as u64, "line", "lines"))
        } else if file.is_log() {
            format!(
                "{} of {} on {}, {}{}",
                file.kind(),
                file.process.as_deref().unwrap_or("no known process"),
                file.host.as_deref().unwrap_or("unknown host"),
                count(file.lines as usize as u64, "line", "lines"),
                if span.is_empty() { String::new() } else { format!(", {span}") }
            )
        } else {
            format!("{}, {}", file.kind(), crate::numbers::bytes(file.bytes))
        };
        let _ = writeln!(out, "  {}\n      {what}", file.path);
        for note in &file.notes {
            wrap(&mut out, &format!("note: {}", prose::text(note)), "      ", "            ");
        }
    }
    for note in &report.notes {
        out.push('\n');
        wrap(&mut out, &format!("Note: {}", prose::text(note)), "", "      ");
    }
    let _ = writeln!(out, "\nReport by nbtriage {}.", report.version);
    out
}

/// The job lists' groups, largest first.
fn render_jobs(out: &mut String, jobs: &super::jobs::Jobs) {
    out.push_str("Jobs\n");
    wrap(out, &jobs.sentence(), "  ", "  ");
    for (i, g) in jobs.groups.iter().enumerate() {
        wrap(out, &format!("{}. {}: {} [{}]", i + 1, g.size(), prose::text(&g.title), g.owner.label()), "  ", "     ");
        wrap(out, &format!("{}; jobs {}", g.shares, g.ids()), "     ", "     ");
        if let Some(first) = g.fix.first() {
            wrap(out, &format!("Do: {}", prose::text(first)), "     ", "         ");
        }
    }
    out.push('\n');
}

/// The verdict, what failed, who should act, what to send them, and the error lines a bundle
/// with no known cause shows.
fn render_headline(out: &mut String, report: &Report) {
    let tag = match report.verdict {
        Verdict::CauseFound => "CAUSE FOUND",
        Verdict::ErrorsUnexplained => "ERRORS, NO KNOWN CAUSE",
        Verdict::NothingRead => "NOTHING READ",
        Verdict::NoFailureSeen => "NO FAILURE SEEN",
        Verdict::Clean => "CLEAN",
    };
    wrap(out, &format!("{tag}: {}", prose::text(&report.headline.text)), "", "  ");
    if let Some(coverage) = report.coverage_sentence() {
        wrap(out, &format!("Logs: {}", prose::text(&coverage)), "  ", "    ");
    }
    if let Some(send) = &report.headline.send {
        let who = report.headline.owner.map_or("Next".to_string(), |o| format!("Send to {}", o.label()));
        wrap(out, &format!("{who}: {}", prose::text(send)), "  ", "    ");
    }
    if !report.first_errors.is_empty() {
        out.push_str("  Error lines, earliest first:\n");
        for e in &report.first_errors {
            let _ = writeln!(out, "    {}:{}", e.file, e.line);
            let text: String = e.text.chars().take(EVIDENCE_CHARS).collect();
            let _ = writeln!(out, "      {}", text.replace(|c: char| c.is_control(), " "));
        }
    }
    out.push('\n');
}

fn render_finding(out: &mut String, finding: &Finding) {
    let tag = match finding.severity {
        Severity::Critical => "CRITICAL",
        Severity::Warning => "WARNING",
        Severity::Info => "INFO",
    };
    wrap(out, &prose::text(&finding.title), &format!("{tag:<10}"), "          ");
    out.push('\n');
    wrap(out, &prose::text(&finding.summary), "  ", "  ");
    out.push('\n');
    if !finding.owner_note.is_empty() {
        wrap(out, &format!("Who acts: {}", prose::text(&finding.owner_note)), "  ", "    ");
        out.push('\n');
    }
    if !finding.fix.is_empty() {
        out.push_str("  What to do:\n");
        for (i, step) in finding.fix.iter().enumerate() {
            wrap(out, &format!("{}. {}", i + 1, prose::text(step)), "    ", "       ");
        }
        out.push('\n');
    }
    if let Some(request) = &finding.request {
        let _ = writeln!(out, "  For {}:", request.to.label());
        wrap(out, &prose::text(&request.text), "    ", "    ");
        out.push('\n');
    }
    if !finding.evidence.is_empty() {
        out.push_str("  Evidence:\n");
        for e in &finding.evidence {
            let _ = writeln!(out, "    {}:{}", e.file, e.line);
            let text: String = e.text.chars().take(EVIDENCE_CHARS).collect();
            let ellipsis = if e.text.chars().count() > EVIDENCE_CHARS { "…" } else { "" };
            let _ = writeln!(out, "      {}{ellipsis}", text.replace(|c: char| c.is_control(), " "));
        }
        out.push('\n');
    }
    if !finding.collect.is_empty() {
        out.push_str("  Logs to collect next:\n");
        for item in &finding.collect {
            wrap(out, &format!("- {}", prose::text(item)), "    ", "      ");
        }
        out.push('\n');
    }
    if !finding.caveats.is_empty() {
        wrap(out, &format!("Caveat: {}", prose::text(&finding.caveats)), "  ", "    ");
        out.push('\n');
    }
    if !finding.source.is_empty() {
        wrap(out, &format!("Source: {}", prose::text(&finding.source)), "  ", "    ");
        out.push('\n');
    }
}

/// The end of a span: its time of day only when it falls on the span's first day.
fn short_time<'a>(first: &str, iso: &'a str) -> std::borrow::Cow<'a, str> {
    match (first.split_once('T'), iso.split_once('T')) {
        (Some((day, _)), Some((end_day, time))) if day == end_day => time.into(),
        (_, Some(_)) => iso.replace('T', " ").into(),
        _ => iso.into(),
    }
}

/// Word-wraps `text` to [`WIDTH`] columns.
fn wrap(out: &mut String, text: &str, first_indent: &str, indent: &str) {
    let mut line = String::from(first_indent);
    let mut empty = true;
    for word in text.split_whitespace() {
        if !empty && line.chars().count() + 1 + word.chars().count() > WIDTH {
            out.push_str(&line);
            out.push('\n');
            line = String::from(indent);
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    out.push_str(&line);
    out.push('\n');
}
