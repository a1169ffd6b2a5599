//! The jobs view (issue 23), beside the single job's view as a tab: the night's jobs counted,
//! failures per hour by status as a chart, the groups of failed and partial jobs (largest
//! first: what they share, who acts and the one thing to do), and the table of jobs
//! (`job_table`) with one job's thread (`job_thread`). Everything shown comes from the report
//! the page shows (the redacted one with "Redact names" on); strings go in as text.

use super::words::counted;
use super::{job_table, job_thread};
use crate::numbers::grouped;
use crate::report::jobs::{JobGroup, JobHour, Jobs};
use crate::report::Report;
use crate::web::dom::{self, add, attr, by_id, svg, text};
use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent};

/// Draws the jobs view when the report has jobs, and shows the tabs; hides both otherwise.
pub fn render(report: &Report) {
    let jobs = report.jobs.as_ref();
    dom::show(&by_id("view-tabs"), jobs.is_some());
    let panel = by_id("job-panel");
    if jobs.is_some() {
        attr(&panel, "role", "tabpanel");
        attr(&panel, "aria-labelledby", "tab-job");
    } else {
        let _ = panel.remove_attribute("role");
        let _ = panel.remove_attribute("aria-labelledby");
    }
    let Some(jobs) = jobs else {
        dom::show(&by_id("jobs-section"), false);
        dom::show(&panel, true);
        return;
    };
    summary(jobs);
    chart(&jobs.hours);
    groups(&jobs.groups);
    job_table::render(report);
}

/// The picked job's tries, from the worker (see `job_thread`).
pub use super::job_thread::on_thread;

/// Shows the jobs tab (`true`) or the single job's; the other panel is hidden.
pub fn select_tab(jobs: bool) {
    for (id, on) in [("tab-jobs", jobs), ("tab-job", !jobs)] {
        let tab = by_id(id);
        attr(&tab, "aria-selected", if on { "true" } else { "false" });
        attr(&tab, "tabindex", if on { "0" } else { "-1" });
    }
    dom::show(&by_id("jobs-section"), jobs);
    dom::show(&by_id("job-panel"), !jobs);
}

fn summary(jobs: &Jobs) {
    let mut words = format!(
        "{}: {} failed, {} partially successful",
        counted(jobs.total, "job"),
        grouped(jobs.failed),
        grouped(jobs.partial)
    );
    if jobs.retried_ok > 0 {
        words.push_str(&format!(
            "; made good by a later try, counted apart: {}",
            counted(jobs.retried_ok, "failed job")
        ));
    }
    words.push('.');
    dom::set_text(&by_id("jobs-summary"), &words);
}

fn groups(groups: &[JobGroup]) {
    let root = by_id("jobs-groups");
    dom::clear(&root);
    if groups.is_empty() {
        add(&root, "p", "no-findings", "No failed or partially successful job.");
    }
    for (i, g) in groups.iter().enumerate() {
        let card = add(&root, "article", "card job-group", "");
        attr(&card, "data-group", &i.to_string());
        attr(&card, "data-status", &g.status.to_string());
        attr(&card, "aria-labelledby", &format!("job-group-{i}"));
        let title = add(&card, "h4", "", &format!("{}: {}", counted(g.count, "job"), g.title));
        attr(&title, "id", &format!("job-group-{i}"));
        let meta = add(&card, "p", "meta", &format!("Status {} · for {}", g.status, g.owner.label()));
        if g.retried_ok > 0 {
            text(&meta, &format!(" · {} made good by a later try", grouped(g.retried_ok)));
        }
        if !g.shares.is_empty() {
            add(&card, "p", "shares", &g.shares);
        }
        if let Some(first) = g.fix.first() {
            let todo = add(&card, "p", "todo", "");
            add(&todo, "strong", "", "First: ");
            text(&todo, first);
        }
        if !g.explanation.is_empty() {
            add(&card, "p", "", &g.explanation);
        }
        let show = add(&card, "button", "secondary", "Show these jobs");
        attr(&show, "type", "button");
        attr(&show, "data-show-group", &i.to_string());
    }
}

/// The statuses drawn apart in the chart (the most frequent); the rest are one "other" band.
const CHART_STATUSES: usize = 6;

/// Failed and partial jobs per hour by status, stacked (status 0 is left out).
fn chart(hours: &[JobHour]) {
    let root = by_id("jobs-chart");
    dom::clear(&root);
    let failing = |h: &JobHour| h.by_status.iter().filter(|(s, _)| s.as_str() != "0").map(|(_, n)| *n).sum::<u64>();
    let total: u64 = hours.iter().map(failing).sum();
    if total == 0 {
        return;
    }
    // The statuses by how many jobs ended with each, most first.
    let mut statuses: Vec<(String, u64)> = Vec::new();
    for (s, n) in hours.iter().flat_map(|h| h.by_status.iter()).filter(|(s, _)| s.as_str() != "0") {
        match statuses.iter_mut().find(|(t, _)| t == s) {
            Some(entry) => entry.1 += n,
            None => statuses.push((s.clone(), *n)),
        }
    }
    crate::order::sort_by(&mut statuses, |a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let band = |s: &str| statuses.iter().position(|(t, _)| t == s).unwrap_or(CHART_STATUSES).min(CHART_STATUSES);
    let max = hours.iter().map(failing).max().unwrap_or(1).max(1);
    let (width, height) = (1000.0, 90.0);
    let bar = width / hours.len().max(1) as f64;
    let chart = svg("svg");
    attr(&chart, "viewBox", &format!("0 0 {width} {height}"));
    attr(&chart, "preserveAspectRatio", "none");
    attr(&chart, "class", "histogram jobs-chart");
    attr(&chart, "role", "img");
    attr(&chart, "aria-label", &format!("Failed and partial jobs per hour, by status: {} in all", grouped(total)));
    for (i, h) in hours.iter().enumerate() {
        let mut y = height;
        for (s, n) in h.by_status.iter().filter(|(s, _)| s.as_str() != "0") {
            let hgt = (*n as f64 / max as f64 * height).max(1.5);
            y -= hgt;
            let rect = svg("rect");
            for (k, v) in [("x", i as f64 * bar), ("y", y), ("width", (bar - 1.0).max(0.5)), ("height", hgt)] {
                attr(&rect, k, &format!("{v:.2}"));
            }
            attr(&rect, "class", &format!("status-band-{}", band(s)));
            let tip = svg("title");
            text(&tip, &format!("{} UTC: {} with status {s}", hour(h.start_ms), counted(*n, "job")));
            let _ = rect.append_child(&tip);
            let _ = chart.append_child(&rect);
        }
    }
    let _ = root.append_child(&chart);
    let axis = add(&root, "div", "histogram-axis", "");
    attr(&axis, "aria-hidden", "true");
    if let (Some(first), Some(last)) = (hours.first(), hours.last()) {
        add(&axis, "span", "", &format!("{} UTC", hour(first.start_ms)));
        add(&axis, "span", "", &format!("{} UTC", hour(last.start_ms)));
    }
    let legend = add(&root, "ul", "legend", "");
    for (b, (s, n)) in statuses.iter().enumerate().take(CHART_STATUSES) {
        let item = add(&legend, "li", "", "");
        add(&item, "span", &format!("swatch status-band-{b}"), "");
        text(&item, &format!("status {s}: {}", counted(*n, "job")));
    }
    if statuses.len() > CHART_STATUSES {
        let rest: u64 = statuses[CHART_STATUSES..].iter().map(|(_, n)| n).sum();
        let item = add(&legend, "li", "", "");
        add(&item, "span", &format!("swatch status-band-{CHART_STATUSES}"), "");
        text(&item, &format!("other statuses: {}", counted(rest, "job")));
    }
}

/// `2026-03-06 02:00`: an hour in UTC.
pub fn hour(ms: i64) -> String {
    let iso = crate::vocab::time::iso(ms, true);
    iso.get(..16).unwrap_or(&iso).replace('T', " ")
}

/// Attached once, at start: the tabs (click, and ←/→/Home/End between them), the groups'
/// "Show these jobs", the table's controls and the thread's button.
pub fn wire() {
    for (id, jobs) in [("tab-jobs", true), ("tab-job", false)] {
        EventListener::new(&by_id(id), "click", move |_| select_tab(jobs)).forget();
    }
    let active = EventListenerOptions::enable_prevent_default();
    EventListener::new_with_options(&by_id("view-tabs"), "keydown", active, |e| {
        let Some(key) = e.dyn_ref::<KeyboardEvent>().map(KeyboardEvent::key) else { return };
        let jobs = match key.as_str() {
            "ArrowLeft" | "Home" => true,
            "ArrowRight" | "End" => false,
            _ => return,
        };
        e.prevent_default();
        select_tab(jobs);
        let _ = by_id(if jobs { "tab-jobs" } else { "tab-job" }).focus();
    })
    .forget();
    EventListener::new(&by_id("jobs-groups"), "click", |e| {
        let target = e.target().and_then(|t| t.dyn_into::<Element>().ok());
        let group = target.and_then(|t| t.closest("[data-show-group]").ok().flatten());
        if let Some(group) = group.and_then(|g| g.get_attribute("data-show-group")) {
            job_table::show_group(&group);
        }
    })
    .forget();
    job_table::wire();
    job_thread::wire();
}
