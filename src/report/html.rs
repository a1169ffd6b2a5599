//! The report as one standalone HTML file, to attach to a ticket or a mail: the verdict and
//! what to send first, one card per finding, the timeline as SVG, the evidence lines, the hosts
//! and the files. It reads the same with scripts off because it has none: its
//! Content-Security-Policy allows no script, no connection and only its own style (by hash).
//! Every string from the report is escaped ([`esc`]); the page and the CLI write the same bytes.

use super::prose::{self, Piece};
use super::{Evidence, Finding, Mark, MarkKind, Report, Severity, Verdict};
use crate::numbers::{count, grouped};
use crate::vocab::time::time_of_day;
use std::fmt::Write;

/// The report's only style: light, dark (by the reader's setting) and print.
pub const STYLE: &str = r#"
:root{color-scheme:light dark;--fg:#1b1f24;--muted:#57606a;--bg:#fff;--panel:#f6f8fa;--line:#d0d7de;--accent:#14213d;--crit:#b42318;--warn:#9a6700;--info:#0b5cad;--ok:#1a7f37;--lane:#f3f5f8;--wait:#d1495b;--socket:#3d85c6;--mark:#6f42c1}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9da7b3;--bg:#0d1117;--panel:#161b22;--line:#30363d;--accent:#9ecbff;--crit:#ff7b72;--warn:#e3b341;--info:#79c0ff;--ok:#56d364;--lane:#161b22;--wait:#ff7b72;--socket:#79c0ff;--mark:#d2a8ff}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:72rem;padding:1rem 1.5rem 3rem;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
h1{font-size:1.5rem;margin:.5rem 0 0}h2{font-size:1.2rem;margin:2rem 0 .5rem;border-bottom:1px solid var(--line);padding-bottom:.25rem}h3{font-size:1.05rem;margin:0}h4{font-size:.95rem;margin:1rem 0 .25rem}
p{margin:.4rem 0}.muted,.hint{color:var(--muted)}
code,pre,.lines{font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:.6rem .8rem;margin:.25rem 0}
.redacted{border-left:4px solid var(--info);padding:.25rem .75rem;background:var(--panel)}
.verdict{border:1px solid var(--line);border-left:6px solid var(--info);border-radius:8px;padding:.75rem 1rem;margin-top:1rem;background:var(--panel)}
.verdict h2{border:0;margin:0 0 .25rem;padding:0}.verdict.cause-found{border-left-color:var(--crit)}.verdict.errors-unexplained{border-left-color:var(--warn)}.verdict.clean{border-left-color:var(--ok)}.verdict.no-failure-seen{border-left-color:var(--muted)}
.headline{font-size:1.05rem}
.card{border:1px solid var(--line);border-left:6px solid var(--info);border-radius:8px;padding:.75rem 1rem;margin:1rem 0;break-inside:avoid}
.card.critical{border-left-color:var(--crit)}.card.warning{border-left-color:var(--warn)}
.card header{display:flex;gap:.6rem;align-items:baseline}
.badge{font-size:.75rem;font-weight:700;text-transform:uppercase;letter-spacing:.04em;padding:.05rem .45rem;border-radius:999px;border:1px solid currentColor}
.critical .badge{color:var(--crit)}.warning .badge{color:var(--warn)}.info .badge{color:var(--info)}
dl.numbers{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;margin:.5rem 0}dl.numbers div{min-width:8rem}dt{font-size:.8rem;color:var(--muted)}dd{margin:0;font-weight:600}
.lines{list-style:none;padding:0;margin:.25rem 0}.lines li{padding:.2rem 0;border-top:1px solid var(--line);overflow-wrap:anywhere}
.where{color:var(--muted);margin-right:.5rem}.lines code{white-space:pre-wrap}
.caveat,.source{font-size:.85rem;color:var(--muted)}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{text-align:left;vertical-align:top;border-bottom:1px solid var(--line);padding:.3rem .5rem}th{font-weight:600}td.num{text-align:right}
td p{margin:0 0 .2rem}.path{overflow-wrap:anywhere;min-width:18rem}
svg.timeline{width:100%;height:auto;display:block}
.lane{fill:var(--lane)}.lane.alt{fill:var(--bg)}.tick{stroke:var(--line)}.tick-label,.lane-label{fill:var(--muted);font-size:12px;font-family:system-ui,sans-serif}
.mark rect,.mark path{fill:var(--mark)}.mark.wait rect{fill:var(--wait)}.mark.socket rect{fill:var(--socket);opacity:.55}.mark.timeout path,.mark.failure path{fill:var(--crit)}.mark.needed path{fill:var(--warn)}.mark.silence rect{fill:var(--muted);opacity:.45}
.legend{list-style:none;display:flex;flex-wrap:wrap;gap:1rem;padding:0;font-size:.85rem}.swatch{display:inline-block;width:.9rem;height:.9rem;border-radius:2px;margin-right:.35rem;vertical-align:-2px;background:var(--mark)}
.legend .wait .swatch{background:var(--wait)}.legend .socket .swatch{background:var(--socket)}.legend .timeout .swatch,.legend .failure .swatch{background:var(--crit)}.legend .needed .swatch{background:var(--warn)}.legend .silence .swatch{background:var(--muted);opacity:.45}
.events{font-size:.85rem;color:var(--muted);padding-left:1.5rem}.events .time{font-variant-numeric:tabular-nums;color:var(--fg)}
footer{margin-top:2rem;color:var(--muted);font-size:.85rem}
@media print{:root{color-scheme:light;--fg:#000;--muted:#444;--bg:#fff;--panel:#fff;--line:#bbb;--lane:#f2f2f2}body{max-width:none;padding:0;font-size:11pt}h2{break-after:avoid}.card,.verdict,tr,.lines li{break-inside:avoid}pre{border-color:#999}a{color:inherit}}
"#;

/// `'sha256-…'` of [`STYLE`], for the policy (`tests/reports.rs` checks it).
pub const STYLE_HASH: &str = "'sha256-UMH2e8D27ytvVGirxA2ga2YHAZI5vfwynwaWOYoHk/s='";

const WIDTH: f64 = 1000.0;
const LABEL_WIDTH: f64 = 190.0;
const LANE_HEIGHT: f64 = 34.0;
const AXIS_HEIGHT: f64 = 28.0;

pub fn render(report: &Report) -> String {
    let mut out = String::with_capacity(16 * 1024);
    let verdict = verdict_words(report.verdict);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src {STYLE_HASH}; img-src data:; base-uri 'none'; form-action 'none'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <meta name=\"generator\" content=\"nbtriage {}\">\n\
         <title>NetBackup log triage: {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        esc(&report.version),
        esc(&verdict.to_ascii_lowercase()),
    );
    header(&mut out, report);
    out.push_str("<main>\n");
    headline(&mut out, report);
    findings(&mut out, report);
    if let Some(jobs) = &report.jobs {
        jobs_section(&mut out, jobs);
    }
    timeline(&mut out, report);
    hosts(&mut out, report);
    files(&mut out, report);
    if !report.notes.is_empty() {
        out.push_str("<section aria-labelledby=\"notes-title\">\n<h2 id=\"notes-title\">Notes</h2>\n");
        for note in &report.notes {
            let _ = writeln!(out, "<p>{}</p>", prose_html(note));
        }
        out.push_str("</section>\n");
    }
    let _ = write!(
        out,
        "</main>\n<footer><p>Report by nbtriage {}. It reads NetBackup logs offline; this file holds no script and loads nothing.</p></footer>\n</body>\n</html>\n",
        esc(&report.version)
    );
    out
}

/// Escapes text for HTML content and quoted attributes. Control characters (but tab and line
/// ends) and the bidirectional overrides that can make text read differently from what it is
/// become U+FFFD.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' => out.push(c),
            '\r' => {}
            c if c.is_control() => out.push('\u{FFFD}'),
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' => out.push('\u{FFFD}'),
            _ => out.push(c),
        }
    }
    out
}

fn verdict_words(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::CauseFound => "Cause found",
        Verdict::ErrorsUnexplained => "Errors, no known cause",
        Verdict::NothingRead => "Nothing read",
        Verdict::NoFailureSeen => "No failure seen",
        Verdict::Clean => "Clean",
    }
}

fn header(out: &mut String, report: &Report) {
    out.push_str("<header>\n<h1>NetBackup log triage</h1>\n");
    let span = match (&report.first, &report.last) {
        (Some(first), Some(last)) => format!(", {} to {}", first.replace('T', " "), last.replace('T', " ")),
        _ => String::new(),
    };
    let _ = writeln!(
        out,
        "<p class=\"muted\">{}{}.</p>",
        esc(&report.read_from(("NetBackup log file", "NetBackup log files"))),
        esc(&span)
    );
    if report.redacted {
        out.push_str("<p class=\"redacted\">Names in this report are pseudonyms (host-1, ip-1, ...). The mapping back to the originals is not in this file.</p>\n");
    }
    out.push_str("</header>\n");
}

fn headline(out: &mut String, report: &Report) {
    let _ = writeln!(
        out,
        "<section class=\"verdict {}\" aria-labelledby=\"verdict-title\">\n<h2 id=\"verdict-title\">{}</h2>\n<p class=\"headline\">{}</p>",
        report.verdict.name(),
        verdict_words(report.verdict),
        prose_html(&report.headline.text)
    );
    if let Some(coverage) = report.coverage_sentence() {
        let _ = writeln!(out, "<p class=\"coverage\">{}</p>", prose_html(&coverage));
    }
    if let Some(send) = &report.headline.send {
        let who = report.headline.owner.map_or("Next".to_string(), |o| format!("Send to {}", o.label()));
        let _ = writeln!(out, "<h3>{}</h3>\n<pre class=\"send\">{}</pre>", esc(&who), esc(&prose::text(send)));
    }
    if !report.first_errors.is_empty() {
        out.push_str("<h3>Error lines, earliest first</h3>\n");
        lines(out, &report.first_errors);
    }
    out.push_str("</section>\n");
}

fn findings(out: &mut String, report: &Report) {
    out.push_str("<section aria-labelledby=\"findings-title\">\n<h2 id=\"findings-title\">Findings</h2>\n");
    if report.findings.is_empty() {
        out.push_str("<p>No known problem was found.</p>\n");
    }
    for (i, f) in report.findings.iter().enumerate() {
        card(out, f, i + 1);
    }
    out.push_str("</section>\n");
}

fn card(out: &mut String, f: &Finding, n: usize) {
    let severity = f.severity.label();
    let badge = match f.severity {
        Severity::Critical => "Critical",
        Severity::Warning => "Warning",
        Severity::Info => "Info",
    };
    let _ = writeln!(
        out,
        "<article class=\"card {severity}\" data-rule=\"{}\" aria-labelledby=\"finding-{n}\">\n<header><span class=\"badge\">{badge}</span><h3 id=\"finding-{n}\">{}</h3></header>\n<p class=\"summary\">{}</p>",
        esc(&f.rule),
        prose_html(&f.title),
        prose_html(&f.summary)
    );
    if !f.owner_note.is_empty() {
        let _ = writeln!(out, "<p class=\"owner-note\">Who acts: {}</p>", prose_html(&f.owner_note));
    }
    if !f.figures.is_empty() {
        out.push_str("<dl class=\"numbers\">");
        for figure in &f.figures {
            let value =
                if figure.unit.is_empty() { figure.value.clone() } else { format!("{} {}", figure.value, figure.unit) };
            let _ = write!(out, "<div><dt>{}</dt><dd>{}</dd></div>", esc(&figure.label), esc(&value));
        }
        out.push_str("</dl>\n");
    }
    if !f.fix.is_empty() {
        out.push_str("<h4>What to do</h4>\n<ol class=\"fix\">\n");
        for step in &f.fix {
            let _ = writeln!(out, "<li>{}</li>", prose_html(step));
        }
        out.push_str("</ol>\n");
    }
    if let Some(request) = &f.request {
        let _ = writeln!(
            out,
            "<h4>Request for {}</h4>\n<pre class=\"request\">{}</pre>",
            esc(request.to.label()),
            esc(&prose::text(&request.text))
        );
    }
    if !f.evidence.is_empty() {
        let _ = writeln!(out, "<h4>Evidence: {}</h4>", count(f.evidence.len() as u64, "log line", "log lines"));
        lines(out, &f.evidence);
    }
    if !f.collect.is_empty() {
        out.push_str("<h4>Logs to collect next</h4>\n<ul>\n");
        for item in &f.collect {
            let _ = writeln!(out, "<li>{}</li>", prose_html(item));
        }
        out.push_str("</ul>\n");
    }
    if !f.caveats.is_empty() {
        let _ = writeln!(out, "<p class=\"caveat\">Caveat: {}</p>", prose_html(&f.caveats));
    }
    if !f.source.is_empty() {
        let _ = writeln!(out, "<p class=\"source\">Source: {}</p>", prose_html(&f.source));
    }
    out.push_str("</article>\n");
}

/// A sentence of the core as HTML: words escaped, quotes and commands as code (`prose`).
fn prose_html(text: &str) -> String {
    prose::pieces(&prose::plain(text))
        .into_iter()
        .map(|piece| match piece {
            Piece::Words(w) => esc(&w),
            Piece::Quote(q) | Piece::Command(q) => format!("<code>{}</code>", esc(&q)),
        })
        .collect()
}

/// Evidence lines: where, when, and the line itself.
fn lines(out: &mut String, evidence: &[Evidence]) {
    out.push_str("<ul class=\"lines\">\n");
    for e in evidence {
        let _ = writeln!(
            out,
            "<li><span class=\"where\">{}:{}</span> <code>{}</code></li>",
            esc(&e.file),
            e.line,
            esc(&e.text)
        );
    }
    out.push_str("</ul>\n");
}

/// The findings' marks, one lane per host and process, on the reference host's clock: the same
/// drawing as the page's timeline, with each mark's line in its tooltip.
fn timeline(out: &mut String, report: &Report) {
    out.push_str("<section aria-labelledby=\"timeline-title\">\n<h2 id=\"timeline-title\">Timeline</h2>\n");
    let _ = writeln!(out, "<p class=\"hint\">{}</p>", esc(&report.clock_note()));
    let marks: Vec<&Mark> = report.findings.iter().flat_map(|f| f.marks.iter()).collect();
    if marks.is_empty() {
        out.push_str("<p>Nothing to draw: no finding has timed events.</p>\n</section>\n");
        return;
    }
    let mut by_time = marks.clone();
    crate::order::sort_by_key(&mut by_time, |m| m.start_ms);
    // One lane per name (the page's: `Mark::lane_label`).
    let mark_lanes: Vec<String> = by_time.iter().map(|m| m.lane_label(&report.files)).collect();
    let mut lanes: Vec<&str> = Vec::new();
    for lane in &mark_lanes {
        if !lanes.contains(&lane.as_str()) {
            lanes.push(lane);
        }
    }
    let t0 = marks.iter().map(|m| m.start_ms).min().unwrap_or(0);
    let t1 = marks.iter().map(|m| m.end_ms.unwrap_or(m.start_ms)).max().unwrap_or(t0);
    let pad = (((t1 - t0) as f64) * 0.04).max(1000.0);
    let span = (t1 - t0) as f64 + 2.0 * pad;
    let x = |ms: i64| LABEL_WIDTH + ((ms - t0) as f64 + pad) / span * (WIDTH - LABEL_WIDTH - 10.0);
    let height = AXIS_HEIGHT + lanes.len() as f64 * LANE_HEIGHT + 8.0;
    let long = t1 - t0 > crate::vocab::time::MS_PER_DAY;
    let _ = writeln!(
        out,
        "<svg class=\"timeline\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-label=\"Timeline of the findings, on the reference host's clock\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    for i in 0..=6 {
        let ms = t0 - pad as i64 + (span * f64::from(i) / 6.0) as i64;
        let tx = x(ms);
        let anchor = match i {
            0 => "start",
            6 => "end",
            _ => "middle",
        };
        let _ = writeln!(
            out,
            "<line class=\"tick\" x1=\"{tx:.1}\" x2=\"{tx:.1}\" y1=\"{:.1}\" y2=\"{height:.1}\"/><text class=\"tick-label\" x=\"{tx:.1}\" y=\"14\" text-anchor=\"{anchor}\">{}</text>",
            AXIS_HEIGHT - 6.0,
            tick_label(ms, long)
        );
    }
    for (i, lane) in lanes.iter().enumerate() {
        let y = AXIS_HEIGHT + i as f64 * LANE_HEIGHT;
        let _ = writeln!(
            out,
            "<rect class=\"lane{}\" x=\"0\" y=\"{y:.1}\" width=\"{WIDTH}\" height=\"{:.1}\"/><text class=\"lane-label\" x=\"6\" y=\"{:.1}\">{}</text>",
            if i % 2 == 0 { "" } else { " alt" },
            LANE_HEIGHT - 2.0,
            y + LANE_HEIGHT / 2.0 + 4.0,
            esc(lane)
        );
    }
    for (m, name) in by_time.iter().zip(&mark_lanes) {
        let lane = lanes.iter().position(|l| l == name).unwrap_or(0);
        let y = AXIS_HEIGHT + lane as f64 * LANE_HEIGHT;
        let tip = format!("{} at {}\n{}:{}", m.label, time_of_day(m.start_ms), m.file, m.line);
        let _ = write!(out, "<g class=\"mark {}\"><title>{}</title>", m.kind.name(), esc(&tip));
        mark_shape(out, m, y, &x);
        out.push_str("</g>\n");
    }
    out.push_str("</svg>\n<ul class=\"legend\">\n");
    for kind in MarkKind::ALL {
        if marks.iter().any(|m| m.kind == kind) {
            let _ = writeln!(out, "<li class=\"{}\"><span class=\"swatch\"></span>{}</li>", kind.name(), kind.legend());
        }
    }
    // What the tooltips say, for print and for screen readers.
    out.push_str("</ul>\n<ol class=\"events\">\n");
    for (m, lane) in by_time.iter().zip(&mark_lanes) {
        let _ = writeln!(
            out,
            "<li><span class=\"time\">{}</span> {}: {} <span class=\"where\">({}:{})</span></li>",
            if long { crate::vocab::time::iso(m.start_ms, true).replace('T', " ") } else { time_of_day(m.start_ms) },
            esc(lane),
            esc(&m.label),
            esc(&m.file),
            m.line
        );
    }
    out.push_str("</ol>\n</section>\n");
}
/// A mark's shape: a bar for a span, a diamond for a moment.
fn mark_shape(out: &mut String, m: &Mark, y: f64, x: &dyn Fn(i64) -> f64) {
    match m.end_ms {
        Some(end) => {
            let (x0, x1) = (x(m.start_ms), x(end));
            let (top, h) = if m.kind.is_tall() { (y + 5.0, LANE_HEIGHT - 12.0) } else { (y + 9.0, LANE_HEIGHT - 20.0) };
            let _ = write!(
                out,
                "<rect x=\"{x0:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{h:.1}\" rx=\"3\"/>",
                (x1 - x0).max(3.0)
            );
        }
        None => {
            let at = x(m.start_ms);
            let mid = y + LANE_HEIGHT / 2.0 - 1.0;
            let _ = write!(
                out,
                "<path d=\"M{at:.1} {:.1} L{:.1} {mid:.1} L{at:.1} {:.1} L{:.1} {mid:.1} Z\"/>",
                mid - 8.0,
                at + 8.0,
                mid + 8.0,
                at - 8.0
            );
        }
    }
}

/// `17:46:36` on the axis; `03-15 10:29` when the marks span more than a day.
fn tick_label(ms: i64, long: bool) -> String {
    if long {
        crate::vocab::time::iso(ms, true).get(5..16).unwrap_or_default().replace('T', " ")
    } else {
        time_of_day(ms)[..8].to_string()
    }
}

/// The job lists' groups as a table, largest first.
fn jobs_section(out: &mut String, jobs: &super::jobs::Jobs) {
    let _ = writeln!(
        out,
        "<section aria-labelledby=\"jobs-title\">\n<h2 id=\"jobs-title\">Jobs</h2>\n<p>{}</p>",
        esc(&jobs.sentence())
    );
    if !jobs.groups.is_empty() {
        out.push_str("<table>\n<thead><tr><th scope=\"col\">Jobs</th><th scope=\"col\">Cause</th><th scope=\"col\">What they share</th><th scope=\"col\">Who</th><th scope=\"col\">First step</th><th scope=\"col\">Job ids</th></tr></thead>\n<tbody>\n");
        for g in &jobs.groups {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&g.size()),
                prose_html(&g.title),
                esc(&g.shares),
                esc(g.owner.label()),
                g.fix.first().map(|f| prose_html(f)).unwrap_or_default(),
                esc(&g.ids())
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</section>\n");
}

fn hosts(out: &mut String, report: &Report) {
    if report.hosts.is_empty() {
        return;
    }
    out.push_str("<section aria-labelledby=\"hosts-title\">\n<h2 id=\"hosts-title\">Hosts</h2>\n<table>\n<thead><tr><th scope=\"col\">Host</th><th scope=\"col\">Role</th><th scope=\"col\">Processes</th><th scope=\"col\">Clock</th></tr></thead>\n<tbody>\n");
    for h in &report.hosts {
        let clock = match (h.clock_reference, h.clock_offset_ms) {
            (true, _) => "reference".to_string(),
            (false, Some(ms)) => {
                format!(
                    "{:+.1} s (from {})",
                    ms as f64 / 1000.0,
                    count(h.clock_pairs as u64, "connection", "connections")
                )
            }
            _ => "not compared".to_string(),
        };
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&h.label),
            esc(&h.role),
            esc(&h.processes.join(", ")),
            esc(&clock)
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn files(out: &mut String, report: &Report) {
    out.push_str("<section aria-labelledby=\"files-title\">\n<h2 id=\"files-title\">Files</h2>\n<table>\n<thead><tr><th scope=\"col\">File</th><th scope=\"col\">Kind</th><th scope=\"col\">Process</th><th scope=\"col\">Host</th><th scope=\"col\">Time span</th><th scope=\"col\">Lines</th><th scope=\"col\">Errors</th><th scope=\"col\">Notes</th></tr></thead>\n<tbody>\n");
    for f in &report.files {
        let notes: String = f.notes.iter().map(|n| format!("<p>{}</p>", prose_html(n))).collect();
        let _ = writeln!(
            out,
            "<tr data-format=\"{}\"><th scope=\"row\" class=\"path\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{notes}</td></tr>",
            f.format.name(),
            esc(&f.path),
            esc(f.kind()),
            esc(&f.process_label()),
            esc(f.host.as_deref().unwrap_or("—")),
            esc(&f.span_label()),
            grouped(f.lines),
            grouped(f.errors)
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_quotes_controls_and_direction_overrides() {
        assert_eq!(esc("<script>&\"'"), "&lt;script&gt;&amp;&quot;&#39;");
        assert_eq!(esc("a\u{0}b\u{1b}[31m\u{202E}c\r\n"), "a\u{FFFD}b\u{FFFD}[31m\u{FFFD}c\n");
        assert_eq!(esc("média01 · ok"), "média01 · ok");
    }
}
