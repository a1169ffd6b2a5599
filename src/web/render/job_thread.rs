//! One job's thread: the picked job's tries and their Job Details lines (the worker reads the
//! job's record back from the job list and parses it with the core's
//! `parse::bpdbjobs::job_thread`), and, when debug logs were dropped with the list, "Show this
//! job's log lines": the log viewer narrowed by its row filter to the job's hosts, within its
//! times on each host's clock (where the report knows the offset), and to its tries' pids.

use super::viewer;
use crate::parse::bpdbjobs::JobTry;
use crate::report::jobs::JobRow;
use crate::report::Report;
use crate::viewer::{same_host, RowFilter, ThreadHost};
use crate::web::dom::{self, add, attr, by_id, text};
use crate::web::protocol::ToWorker;
use crate::web::state::{send, with_app};
use gloo::events::EventListener;

/// Time added before a job's start and after its end when its log lines are shown: a job list
/// gives whole seconds, and processes log a little before the list says a job started
/// (nbtriage's threshold, not a NetBackup figure).
const THREAD_MARGIN_MS: i64 = 60_000;

/// The picked job: its row's index, and, once read, its tries' pids and servers (as the files
/// name them, for the row filter; never shown).
#[derive(Default)]
struct Picked {
    row: Option<usize>,
    pids: Vec<u32>,
    servers: Vec<String>,
    tries: Vec<(Option<i64>, Option<i64>)>,
}

thread_local! {
    static PICKED: std::cell::RefCell<Picked> = std::cell::RefCell::new(Picked::default());
}

/// Shows job `i` (an index into `jobs.rows`) and asks the worker for its tries.
pub fn pick(i: usize) {
    let (shown, original, redact) = with_app(|app| (app.shown(), app.report.clone(), app.redact));
    let row = |r: &Option<std::rc::Rc<Report>>| r.as_ref().and_then(|r| r.jobs.as_ref()?.rows.get(i).cloned());
    let (Some(shown), Some(original)) = (row(&shown), row(&original)) else { return };
    PICKED.with(|p| *p.borrow_mut() = Picked { row: Some(i), ..Picked::default() });
    let section = by_id("job-thread");
    dom::show(&section, true);
    if let Ok(rows) = by_id("jobs-rows").query_selector_all("tr[aria-current]") {
        for k in 0..rows.length() {
            if let Some(e) = rows.item(k).and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok()) {
                let _ = e.remove_attribute("aria-current");
            }
        }
    }
    if let Ok(Some(tr)) = by_id("jobs-rows").query_selector(&format!("tr[data-job=\"{i}\"]")) {
        attr(&tr, "aria-current", "true");
    }
    let title = by_id("job-thread-title");
    dom::set_text(&title, &format!("Job {}", shown.id));
    dom::set_text(&by_id("job-thread-meta"), &meta(&shown));
    dom::show(&by_id("job-thread-logs"), false);
    let tries = by_id("job-thread-tries");
    dom::clear(&tries);
    match original.line {
        Some(line) => {
            add(&tries, "p", "hint", "Reading its tries from the job list…");
            send(&ToWorker::Thread { path: original.file.clone(), line: line as u32, redact });
        }
        None => {
            add(&tries, "p", "hint", "This list gives no tries (a REST page lists jobs without their Job Details).");
        }
    }
    section.scroll_into_view();
    let _ = title.focus();
}

fn meta(r: &JobRow) -> String {
    let mut parts = Vec::new();
    if let Some(status) = r.status {
        parts.push(format!("status {status}"));
    }
    for (label, value) in [
        ("type", &r.job_type),
        ("client", &r.client),
        ("policy", &r.policy),
        ("schedule", &r.schedule),
        ("media server", &r.media_server),
        ("storage unit", &r.storage_unit),
    ] {
        if !value.is_empty() {
            parts.push(format!("{label} {value}"));
        }
    }
    if let Some(start) = r.start_ms {
        parts.push(format!("started {} UTC", when(start)));
    }
    if let Some(end) = r.end_ms {
        parts.push(format!("ended {} UTC", when(end)));
    }
    parts.join(" · ")
}

/// The worker's answer: the tries of the job read from `path` line `line`.
pub fn on_thread(line: u32, tries: Vec<JobTry>, servers: Vec<String>, read: bool) {
    let picked = PICKED.with(|p| p.borrow().row);
    let original = with_app(|app| app.report.clone());
    let Some(report) = original else { return };
    let Some(row) = picked.and_then(|i| report.jobs.as_ref()?.rows.get(i)) else { return };
    if row.line != Some(u64::from(line)) {
        return;
    }
    let root = by_id("job-thread-tries");
    dom::clear(&root);
    if !read {
        add(&root, "p", "hint", "Its record could not be read back from the job list.");
        return;
    }
    if tries.is_empty() {
        add(&root, "p", "hint", "Its record lists no tries (a list written with -most_columns leaves them out).");
    }
    for t in &tries {
        let block = add(&root, "section", "job-try", "");
        let mut head = format!("Try {}", t.number);
        if t.pid != 0 {
            head.push_str(&format!(" · pid {}", t.pid));
        }
        if !t.media_server.is_empty() {
            head.push_str(&format!(" · on {}", t.media_server));
        }
        if let Some(status) = t.status {
            head.push_str(&format!(" · status {status}"));
        }
        add(&block, "h4", "", &head);
        let times = [
            t.start_ms.map(|s| format!("started {} UTC", when(s))),
            t.end_ms.map(|e| format!("ended {} UTC", when(e))),
        ];
        let times: Vec<String> = times.into_iter().flatten().collect();
        if !times.is_empty() {
            add(&block, "p", "meta", &times.join(" · "));
        }
        let list = add(&block, "ol", "job-lines", "");
        attr(&list, "aria-label", &format!("Job Details of try {}", t.number));
        for l in &t.lines {
            let item = add(&list, "li", "", "");
            text(&item, l);
        }
    }
    let has_logs = report.files.iter().any(|f| f.process.is_some());
    PICKED.with(|p| {
        let mut p = p.borrow_mut();
        p.pids = tries.iter().map(|t| t.pid).filter(|&pid| pid != 0).collect();
        p.servers = servers;
        p.tries = tries.iter().map(|t| (t.start_ms, t.end_ms)).collect();
    });
    dom::show(&by_id("job-thread-logs"), has_logs);
}

/// `2026-03-06 02:13:04`: a time in UTC, to the second (job lists give seconds).
pub fn when(ms: i64) -> String {
    let iso = crate::vocab::time::iso(ms, true);
    iso.get(..19).unwrap_or(&iso).replace('T', " ")
}

/// The row filter of the picked job's lines, on the original names (the worker's).
fn row_filter() -> Option<RowFilter> {
    let report = with_app(|app| app.report.clone())?;
    let jobs = report.jobs.as_ref()?;
    PICKED.with(|p| {
        let p = p.borrow();
        let row = jobs.rows.get(p.row?)?;
        let starts = p.tries.iter().filter_map(|t| t.0).chain(row.start_ms);
        let ends = p.tries.iter().filter_map(|t| t.1).chain(row.end_ms);
        let window = starts.min().map(|start| {
            let end = ends.max().unwrap_or(i64::MAX / 4);
            (start - THREAD_MARGIN_MS, end.saturating_add(THREAD_MARGIN_MS))
        });
        let mut names: Vec<&String> = p.servers.iter().chain([&row.client, &row.media_server]).collect();
        names.retain(|n| !n.is_empty());
        let mut hosts: Vec<ThreadHost> = Vec::new();
        for name in names {
            if hosts.iter().any(|h| same_host(&h.name, name)) {
                continue;
            }
            // The report's offset is added to a host's time to give UTC; the filter wants the
            // host's time less UTC.
            let offset_ms = jobs.clock.iter().find(|c| same_host(&c.host, name)).and_then(|c| c.offset_ms).map(|o| -o);
            hosts.push(ThreadHost { name: name.clone(), offset_ms });
        }
        Some(RowFilter {
            label: format!("job {}", row.id),
            window,
            hosts,
            pids: p.pids.clone(),
            ..RowFilter::default()
        })
    })
}

/// Attached once: "Show this job's log lines".
pub fn wire() {
    EventListener::new(&by_id("job-thread-logs"), "click", |_| {
        if let Some(rows) = row_filter() {
            viewer::show_thread(Some(rows));
            by_id("viewer-section").scroll_into_view();
        }
    })
    .forget();
}
