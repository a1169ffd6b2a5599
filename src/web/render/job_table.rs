//! The table of jobs: sorted by any column (a button in its header, `aria-sort` saying how),
//! filtered by text and by status or group, and drawn a page at a time (a list of 20,000 jobs
//! shows its first rows and a "Show more jobs" button, so the DOM stays small). A row is picked
//! with a click or Enter, and its thread shown (`job_thread`).

use super::job_thread::{self, when};
use super::words::counted;
use crate::numbers::grouped;
use crate::report::jobs::JobRow;
use crate::report::Report;
use crate::web::dom::{self, add, attr, by_id};
use crate::web::state::with_app;
use gloo::events::{EventListener, EventListenerOptions};
use std::cmp::Ordering;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement, HtmlSelectElement, KeyboardEvent};

/// Rows drawn at first, and added by each "Show more jobs".
const PAGE_ROWS: usize = 200;

/// The columns: key (for `data-sort`) and title.
const COLUMNS: [(&str, &str); 11] = [
    ("id", "Job"),
    ("status", "Status"),
    ("state", "State"),
    ("client", "Client"),
    ("policy", "Policy"),
    ("schedule", "Schedule"),
    ("media_server", "Media server"),
    ("storage_unit", "Storage unit"),
    ("start", "Started (UTC)"),
    ("end", "Ended (UTC)"),
    ("tries", "Tries"),
];

#[derive(Default)]
struct Table {
    /// Column key and direction.
    sort: (&'static str, bool),
    /// Rows drawn.
    limit: usize,
    /// The rows shown, as indexes into the report's `jobs.rows`, in order.
    order: Vec<usize>,
}

thread_local! {
    static TABLE: std::cell::RefCell<Table> = std::cell::RefCell::new(Table::default());
}

fn with_table<R>(f: impl FnOnce(&mut Table) -> R) -> R {
    TABLE.with(|t| f(&mut t.borrow_mut()))
}

/// A new report: the status choices, the header, and every row in the list's order.
pub fn render(report: &Report) {
    let Some(jobs) = &report.jobs else { return };
    let status = select("jobs-status");
    let kept = status.value();
    dom::clear(&status);
    let mut choices = vec![
        (String::new(), "All jobs".to_string()),
        ("failed".into(), "Failed".into()),
        ("partial".into(), "Partially successful".into()),
        ("retried".into(), "Failed, then made good by a later try".into()),
        ("ok".into(), "Successful".into()),
    ];
    for (i, g) in jobs.groups.iter().enumerate() {
        choices.push((format!("g{i}"), format!("Group {}: {}", i + 1, g.title)));
    }
    for (value, words) in &choices {
        attr(&add(&status, "option", "", words), "value", value);
    }
    status.set_value(&kept);
    head();
    dom::show(&by_id("job-thread"), false);
    with_table(|t| t.limit = PAGE_ROWS);
    // The page's state gets the report after it is drawn: the rows come from it here.
    refresh_rows(jobs);
}

/// Shows only group `group`'s jobs (from a group's "Show these jobs").
pub fn show_group(group: &str) {
    select("jobs-status").set_value(&format!("g{group}"));
    input("jobs-text").set_value("");
    with_table(|t| t.limit = PAGE_ROWS);
    refresh();
    by_id("jobs-table-title").scroll_into_view();
}

fn head() {
    let row = by_id("jobs-head");
    dom::clear(&row);
    let (key, descending) = with_table(|t| t.sort);
    for (k, title) in COLUMNS {
        let th = add(&row, "th", "", "");
        attr(&th, "scope", "col");
        if k == key {
            attr(&th, "aria-sort", if descending { "descending" } else { "ascending" });
        }
        let button = add(&th, "button", "sort", title);
        attr(&button, "type", "button");
        attr(&button, "data-sort", k);
    }
}

/// Whether a row passes the status choice.
fn passes_status(row: &JobRow, choice: &str) -> bool {
    match choice {
        "failed" => row.status.is_some_and(|s| s > 1),
        "partial" => row.status == Some(1),
        "retried" => row.retried_ok,
        "ok" => row.status == Some(0),
        "" => true,
        group => group.strip_prefix('g').and_then(|g| g.parse().ok()).is_some_and(|g: usize| row.group == Some(g)),
    }
}

/// Whether a job's names hold `needle` (already lowercased), ignoring ASCII case: the names are
/// host, policy and storage unit names, which NetBackup keeps to ASCII, and Unicode's case tables
/// would cost the page module more than the whole filter.
fn passes_text(row: &JobRow, needle: &str) -> bool {
    needle.is_empty()
        || [&row.client, &row.policy, &row.schedule, &row.media_server, &row.storage_unit, &row.job_type, &row.state]
            .iter()
            .any(|v| v.to_ascii_lowercase().contains(needle))
        || row.id.to_string() == needle
        || row.status.is_some_and(|s| s.to_string() == needle)
}

fn compare(a: &JobRow, b: &JobRow, key: &str) -> Ordering {
    match key {
        "status" => a.status.cmp(&b.status),
        "state" => a.state.cmp(&b.state),
        "client" => a.client.cmp(&b.client),
        "policy" => a.policy.cmp(&b.policy),
        "schedule" => a.schedule.cmp(&b.schedule),
        "media_server" => a.media_server.cmp(&b.media_server),
        "storage_unit" => a.storage_unit.cmp(&b.storage_unit),
        "start" => a.start_ms.cmp(&b.start_ms),
        "end" => a.end_ms.cmp(&b.end_ms),
        "tries" => a.tries.cmp(&b.tries),
        "id" => a.id.cmp(&b.id),
        // No column chosen: the list's own order (failures first).
        _ => Ordering::Equal,
    }
}

/// Filters and sorts the shown report's rows again, and draws the first page of them.
fn refresh() {
    if let Some(jobs) = with_app(|app| app.shown()).as_ref().and_then(|r| r.jobs.as_ref()) {
        refresh_rows(jobs);
    }
}

fn refresh_rows(jobs: &crate::report::jobs::Jobs) {
    let choice = select("jobs-status").value();
    let needle = input("jobs-text").value().trim().to_ascii_lowercase();
    let (key, descending) = with_table(|t| t.sort);
    let mut order: Vec<usize> = (0..jobs.rows.len())
        .filter(|&i| passes_status(&jobs.rows[i], &choice) && passes_text(&jobs.rows[i], &needle))
        .collect();
    crate::order::sort_by(&mut order, |&a, &b| {
        let o = compare(&jobs.rows[a], &jobs.rows[b], key).then(a.cmp(&b));
        if descending {
            o.reverse()
        } else {
            o
        }
    });
    let mut words = format!("{} of {} shown", counted(order.len() as u64, "job"), grouped(jobs.rows.len() as u64));
    if jobs.rows_omitted > 0 {
        words.push_str(&format!(" ({} more not kept in the report)", grouped(jobs.rows_omitted)));
    }
    dom::set_text(&by_id("jobs-count"), &words);
    with_table(|t| t.order = order);
    draw(&jobs.rows);
}

fn draw(rows: &[JobRow]) {
    let body = by_id("jobs-rows");
    dom::clear(&body);
    let (order, limit) = with_table(|t| (t.order.clone(), t.limit));
    for &i in order.iter().take(limit) {
        let r = &rows[i];
        let tr = add(&body, "tr", "", "");
        attr(&tr, "tabindex", "0");
        attr(&tr, "data-job", &i.to_string());
        attr(&tr, "data-job-id", &r.id.to_string());
        let status = r.status.map_or_else(String::new, |s| s.to_string());
        let status = if r.retried_ok { format!("{status} (made good)") } else { status };
        let class = match r.status {
            Some(0) => "ok",
            Some(1) => "partial",
            Some(_) => "failed",
            None => "",
        };
        let id = match r.parent {
            Some(parent) if parent != r.id => format!("{} (of {parent})", r.id),
            _ => r.id.to_string(),
        };
        let cells = [
            (id, ""),
            (status, class),
            (r.state.clone(), ""),
            (r.client.clone(), ""),
            (r.policy.clone(), ""),
            (r.schedule.clone(), ""),
            (r.media_server.clone(), ""),
            (r.storage_unit.clone(), ""),
            (r.start_ms.map(when).unwrap_or_default(), ""),
            (r.end_ms.map(when).unwrap_or_default(), ""),
            (r.tries.to_string(), ""),
        ];
        for (value, class) in cells {
            add(&tr, "td", class, &value);
        }
    }
    dom::show(&by_id("jobs-more"), order.len() > limit);
}

fn select(id: &str) -> HtmlSelectElement {
    by_id(id).unchecked_into()
}

fn input(id: &str) -> HtmlInputElement {
    by_id(id).unchecked_into()
}

/// The row a table event came from, as an index into `jobs.rows`.
fn picked_row(e: &web_sys::Event) -> Option<usize> {
    let target = e.target()?.dyn_into::<Element>().ok()?;
    target.closest("tr[data-job]").ok()??.get_attribute("data-job")?.parse().ok()
}

/// Attached once: sorting, filtering, "Show more jobs", and picking a row.
pub fn wire() {
    for id in ["jobs-text", "jobs-status"] {
        EventListener::new(&by_id(id), "input", |_| {
            with_table(|t| t.limit = PAGE_ROWS);
            refresh();
        })
        .forget();
    }
    let active = EventListenerOptions::enable_prevent_default();
    EventListener::new_with_options(&by_id("jobs-toolbar"), "submit", active, |e| e.prevent_default()).forget();
    EventListener::new(&by_id("jobs-head"), "click", |e| {
        let target = e.target().and_then(|t| t.dyn_into::<Element>().ok());
        let Some(key) =
            target.and_then(|t| t.closest("[data-sort]").ok().flatten()).and_then(|b| b.get_attribute("data-sort"))
        else {
            return;
        };
        let Some(&(key, _)) = COLUMNS.iter().find(|(k, _)| *k == key) else { return };
        with_table(|t| t.sort = if t.sort.0 == key { (key, !t.sort.1) } else { (key, false) });
        head();
        refresh();
        if let Ok(Some(button)) = by_id("jobs-head").query_selector(&format!("[data-sort={key}]")) {
            let _ = button.unchecked_into::<web_sys::HtmlElement>().focus();
        }
    })
    .forget();
    EventListener::new(&by_id("jobs-more"), "click", |_| {
        with_table(|t| t.limit += PAGE_ROWS);
        if let Some(report) = with_app(|app| app.shown()) {
            draw(report.jobs.as_ref().map_or(&[][..], |j| &j.rows));
        }
    })
    .forget();
    EventListener::new(&by_id("jobs-rows"), "click", |e| {
        if let Some(i) = picked_row(e) {
            job_thread::pick(i);
        }
    })
    .forget();
    EventListener::new_with_options(&by_id("jobs-rows"), "keydown", active, |e| {
        if e.dyn_ref::<KeyboardEvent>().is_some_and(|k| k.key() == "Enter") {
            if let Some(i) = picked_row(e) {
                e.prevent_default();
                job_thread::pick(i);
            }
        }
    })
    .forget();
}
