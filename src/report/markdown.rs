//! The report as Markdown, to paste into a ticket or a chat.

use super::prose::{self, Piece};
use super::Report;
use std::fmt::Write;

pub fn render(report: &Report) -> String {
    let mut out = String::from("# NetBackup log triage\n\n");
    if let (Some(first), Some(last)) = (&report.first, &report.last) {
        let hosts = match report.hosts.len() {
            0 => String::new(), // a capture, netstat output or job list alone names no host
            n => format!(" from {n} hosts"),
        };
        let _ = writeln!(out, "{} files{hosts}, {first} to {last}.\n", report.files.len());
    }
    let _ = writeln!(out, "**Verdict: {}.** {}\n", report.verdict.name(), md_prose(&report.headline.text));
    if let Some(coverage) = report.coverage_sentence() {
        let _ = writeln!(out, "**What the logs cover:** {}\n", md_prose(&coverage));
    }
    if let Some(send) = &report.headline.send {
        let who = report.headline.owner.map_or("Next".to_string(), |o| format!("Send to {}", o.label()));
        let send = prose::text(send);
        let fence = fence_for(&send);
        let _ = writeln!(out, "{who}:\n\n{fence}text\n{send}\n{fence}\n");
    }
    if !report.first_errors.is_empty() {
        out.push_str("**Error lines, earliest first**\n\n");
        let body: Vec<String> =
            report.first_errors.iter().map(|e| format!("{}:{}  {}", e.file, e.line, e.text)).collect();
        let fence = fence_for(&body.join("\n"));
        let _ = writeln!(out, "{fence}text\n{}\n{fence}\n", body.join("\n"));
    }
    for f in &report.findings {
        let _ = writeln!(out, "## {}: {}\n", f.severity.label().to_ascii_uppercase(), md_prose(&f.title));
        let _ = writeln!(out, "{}\n", md_prose(&f.summary));
        if !f.owner_note.is_empty() {
            let _ = writeln!(out, "Who acts: {}\n", md_prose(&f.owner_note));
        }
        if !f.fix.is_empty() {
            out.push_str("**What to do**\n\n");
            for (i, step) in f.fix.iter().enumerate() {
                let _ = writeln!(out, "{}. {}", i + 1, md_prose(step));
            }
            out.push('\n');
        }
        if let Some(request) = &f.request {
            let _ = writeln!(out, "**For {}**\n\n> {}\n", request.to.label(), md_prose(&request.text));
        }
        if !f.evidence.is_empty() {
            out.push_str("**Evidence**\n\n");
            let body: Vec<String> = f.evidence.iter().map(|e| format!("{}:{}  {}", e.file, e.line, e.text)).collect();
            let fence = fence_for(&body.join("\n"));
            let _ = writeln!(out, "{fence}text\n{}\n{fence}\n", body.join("\n"));
        }
        if !f.collect.is_empty() {
            out.push_str("**Logs to collect next**\n\n");
            for item in &f.collect {
                let _ = writeln!(out, "- {}", md_prose(item));
            }
            out.push('\n');
        }
        if !f.caveats.is_empty() {
            let _ = writeln!(out, "Caveat: {}\n", md_prose(&f.caveats));
        }
        if !f.source.is_empty() {
            let _ = writeln!(out, "Source: {}\n", md_prose(&f.source));
        }
    }
    if !report.hosts.is_empty() {
        out.push_str("## Hosts\n\n| Host | Role | Processes | Clock |\n|---|---|---|---|\n");
        for h in &report.hosts {
            let clock = match (h.clock_reference, h.clock_offset_ms) {
                (true, _) => "reference".to_string(),
                (false, Some(ms)) => format!("{:+.1} s ({} connections)", ms as f64 / 1000.0, h.clock_pairs),
                _ => "not compared".to_string(),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                escape(&h.label),
                h.role,
                escape(&h.processes.join(", ")),
                clock
            );
        }
        out.push('\n');
    }
    if let Some(jobs) = &report.jobs {
        jobs_section(&mut out, jobs);
    }
    out.push_str("## Files\n\n| File | Process | Host | Lines | Notes |\n|---|---|---|---|---|\n");
    for f in &report.files {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            escape(&f.path),
            escape(f.process.as_deref().unwrap_or("?")),
            escape(f.host.as_deref().unwrap_or("?")),
            f.lines,
            md_prose(&f.notes.join(" "))
        );
    }
    for note in &report.notes {
        let _ = write!(out, "\n> {}\n", md_prose(note));
    }
    let _ = write!(out, "\nReport by nbtriage {}.\n", escape(&report.version));
    out
}

/// The job lists' groups as a table, largest first.
fn jobs_section(out: &mut String, jobs: &super::jobs::Jobs) {
    let _ = writeln!(out, "## Jobs\n\n{}\n", md_prose(&jobs.sentence()));
    if jobs.groups.is_empty() {
        return;
    }
    out.push_str("| Jobs | Cause | What they share | Who | First step | Job ids |\n|---|---|---|---|---|---|\n");
    for g in &jobs.groups {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            escape(&g.size()),
            md_prose(&g.title),
            escape(&g.shares),
            g.owner.label(),
            g.fix.first().map(|f| md_prose(f)).unwrap_or_default(),
            escape(&g.ids())
        );
    }
    out.push('\n');
}

/// Log text is untrusted: Markdown and HTML specials are escaped outside code blocks.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A sentence of the core in Markdown: words escaped, quotes and commands as inline code.
fn md_prose(text: &str) -> String {
    prose::pieces(&prose::plain(text))
        .into_iter()
        .map(|piece| match piece {
            Piece::Words(w) => escape(&w),
            Piece::Quote(q) | Piece::Command(q) => {
                let q = q.replace(['\n', '\r'], " ");
                let fence = "`".repeat(q.split(|c| c != '`').map(str::len).max().unwrap_or(0) + 1);
                // A space inside the fence keeps a quote that starts or ends with a backtick apart.
                if q.starts_with('`') || q.ends_with('`') {
                    format!("{fence} {q} {fence}")
                } else {
                    format!("{fence}{q}{fence}")
                }
            }
        })
        .collect()
}

/// A backtick fence longer than any run of backticks inside `body`.
fn fence_for(body: &str) -> String {
    let longest = body.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}
