//! The log viewer: every line of every file merged in time order, virtualized (only the visible
//! rows exist in the DOM; their text is read back from the files by the worker on demand),
//! with filters, find, and jumps between errors. A histogram of lines over time sits above it.

use super::clock_time;
use crate::facts::line_index::level;
use crate::numbers::grouped;
use crate::report::Report;
use crate::viewer::{Filter, Histogram, ShownLine};
use crate::web::app::{send, with_app};
use crate::web::dom::{self, add, attr, by_id, svg, text};
use crate::web::protocol::ToWorker;
use gloo::events::EventListener;
use std::collections::BTreeMap;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement, KeyboardEvent};

const ROW_HEIGHT: f64 = 20.0;
/// Browsers cap an element's height; past this the scroll position is scaled.
const MAX_SCROLL_PX: f64 = 8_000_000.0;
/// Rows fetched beyond the visible ones, each way.
const OVERSCAN: u32 = 40;
const CACHE_LIMIT: usize = 4000;

/// What the viewer shows.
#[derive(Default)]
pub struct Viewer {
    view: u32,
    length: u32,
    rows: BTreeMap<u32, ShownLine>,
    in_flight: Option<(u32, u32)>,
    selected: Option<u32>,
    /// Set when a locate or jump is under way, so the next view keeps the selection.
    awaiting_position: bool,
    /// Per table file: (path, host, process).
    files: Vec<(String, String, String)>,
    filter: Filter,
}

fn input(id: &str) -> HtmlInputElement {
    by_id(id).unchecked_into()
}

fn select(id: &str) -> HtmlSelectElement {
    by_id(id).unchecked_into()
}

pub fn wire() {
    for id in ["f-host", "f-process", "f-level", "f-aligned", "f-text"] {
        EventListener::new(&by_id(id), "change", |_| apply_filter()).forget();
    }
    EventListener::new(&by_id("viewer-toolbar"), "submit", |e| e.prevent_default()).forget();
    EventListener::new(&by_id("find-text"), "keydown", |e| {
        if e.dyn_ref::<KeyboardEvent>().is_some_and(|k| k.key() == "Enter") {
            e.prevent_default();
            find(true);
        }
    })
    .forget();
    EventListener::new(&by_id("find-next"), "click", |_| find(true)).forget();
    EventListener::new(&by_id("find-prev"), "click", |_| find(false)).forget();
    EventListener::new(&by_id("error-next"), "click", |_| jump_error(true)).forget();
    EventListener::new(&by_id("error-prev"), "click", |_| jump_error(false)).forget();
    EventListener::new(&by_id("viewer"), "scroll", |_| draw()).forget();
    EventListener::new(&by_id("viewer"), "keydown", |e| {
        let Some(key) = e.dyn_ref::<KeyboardEvent>().map(|k| k.key()) else { return };
        match key.as_str() {
            "ArrowDown" | "j" => move_selection(1),
            "ArrowUp" | "k" => move_selection(-1),
            "e" => jump_error(true),
            "E" => jump_error(false),
            "n" => find(true),
            "N" => find(false),
            _ => return,
        }
        e.prevent_default();
    })
    .forget();
}

/// A new report: fills the filters, draws the histogram and empties the list.
pub fn reset(report: &Report, histogram: Option<&Histogram>, lines: u64) {
    // Every log file is listed, those inside archives too (the worker reads them through each
    // archive's map): the same files as the worker's table, in its order.
    dom::show(&by_id("viewer-note"), false);
    let mut files: Vec<(String, String, String)> = report
        .files
        .iter()
        .filter(|f| f.is_log())
        .map(|f| {
            (
                f.path.clone(),
                f.host.clone().unwrap_or_else(|| "unknown host".into()),
                f.process.clone().unwrap_or_else(|| "unknown".into()),
            )
        })
        .collect();
    files.sort();
    fill_select("f-host", "All hosts", files.iter().map(|f| f.1.clone()));
    fill_select("f-process", "All processes", files.iter().map(|f| f.2.clone()));
    select("f-level").set_value("0");
    input("f-aligned").set_checked(true);
    input("f-text").set_value("");
    input("find-text").set_value("");
    draw_histogram(histogram);
    dom::set_text(
        &by_id("viewer-status"),
        &format!("{} lines from {} files", grouped(lines), grouped(files.len() as u64)),
    );
    with_app(|app| {
        app.viewer = Viewer { files, filter: Filter { aligned: true, ..Filter::default() }, ..Viewer::default() }
    });
    by_id("viewer").set_scroll_top(0);
}

fn fill_select(id: &str, all: &str, values: impl Iterator<Item = String>) {
    let element = select(id);
    dom::clear(&element);
    let first = add(&element, "option", "", all);
    attr(&first, "value", "");
    let mut values: Vec<String> = values.collect();
    values.sort();
    values.dedup();
    for v in values {
        let option = add(&element, "option", "", &v);
        attr(&option, "value", &v);
    }
}

fn current_filter() -> (Filter, Option<String>) {
    let one = |id: &str| {
        let v = select(id).value();
        if v.is_empty() {
            Vec::new()
        } else {
            vec![v]
        }
    };
    let filter = Filter {
        hosts: one("f-host"),
        processes: one("f-process"),
        min_level: select("f-level").value().parse().unwrap_or(0),
        aligned: input("f-aligned").checked(),
    };
    let text = Some(input("f-text").value()).filter(|t| !t.trim().is_empty());
    (filter, text)
}

fn apply_filter() {
    let (filter, text) = current_filter();
    with_app(|app| app.viewer.filter = filter.clone());
    // A text search reads every file again: seconds on a large bundle.
    let status = match &text {
        Some(text) => format!("Searching every file for “{text}”…"),
        None => "Filtering…".to_string(),
    };
    dom::set_text(&by_id("viewer-status"), &status);
    send(&ToWorker::View { filter, text });
}

pub fn expect_position() {
    with_app(|app| app.viewer.awaiting_position = true);
}

pub fn on_view(view: u32, length: u32, filter: Filter, text: Option<String>) {
    let keep = with_app(|app| {
        let v = &mut app.viewer;
        v.view = view;
        v.length = length;
        v.rows.clear();
        v.in_flight = None;
        v.filter = filter.clone();
        if !v.awaiting_position {
            v.selected = None;
        }
        v.awaiting_position
    });
    // The worker may have reset the filters to find a line: show what it shows.
    if current_filter() != (filter.clone(), text.clone()) {
        reset_controls(&filter, text.as_deref());
    }
    if !keep {
        by_id("viewer").set_scroll_top(0);
        dom::set_text(&by_id("viewer-status"), &format!("{} lines shown", grouped(u64::from(length))));
    }
    let spacer = by_id("viewer-spacer");
    let _ = spacer
        .style()
        .set_property("height", &format!("{}px", (f64::from(length) * ROW_HEIGHT * scale(length)).ceil()));
    draw();
}

pub fn on_rows(view: u32, start: u32, lines: Vec<ShownLine>) {
    with_app(|app| {
        let v = &mut app.viewer;
        if view != v.view {
            return;
        }
        v.in_flight = None;
        if v.rows.len() > CACHE_LIMIT {
            v.rows.clear();
        }
        for (i, line) in lines.into_iter().enumerate() {
            v.rows.insert(start + i as u32, line);
        }
    });
    draw();
}

pub fn on_position(view: u32, index: Option<u32>, line: Option<u32>, path: Option<String>) {
    let current = with_app(|app| {
        app.viewer.awaiting_position = false;
        app.viewer.view
    });
    if view != current {
        return;
    }
    match index {
        Some(index) => {
            select_row(index, true);
            let _ = by_id("viewer").focus();
        }
        None => {
            let what = match (path, line) {
                (Some(p), Some(l)) => {
                    format!("{p} line {l} is not in this list (only log files are); its text is in the evidence.")
                }
                _ => "No more matches in that direction.".into(),
            };
            dom::set_text(&by_id("viewer-status"), &what);
        }
    }
}

fn reset_controls(filter: &Filter, text: Option<&str>) {
    select("f-host").set_value(filter.hosts.first().map_or("", String::as_str));
    select("f-process").set_value(filter.processes.first().map_or("", String::as_str));
    select("f-level").set_value(&filter.min_level.to_string());
    input("f-aligned").set_checked(filter.aligned);
    input("f-text").set_value(text.unwrap_or(""));
}

fn select_row(index: u32, scroll: bool) {
    let length = with_app(|app| {
        app.viewer.selected = Some(index);
        app.viewer.length
    });
    if scroll {
        let viewer = by_id("viewer");
        let target = f64::from(index) * ROW_HEIGHT * scale(length) - f64::from(viewer.client_height()) / 3.0;
        viewer.set_scroll_top(target.max(0.0) as i32);
    }
    draw();
    dom::set_text(
        &by_id("viewer-status"),
        &format!("Line {} of {} shown", grouped(u64::from(index) + 1), grouped(u64::from(length))),
    );
}

fn move_selection(delta: i64) {
    let (selected, length) = with_app(|app| (app.viewer.selected, app.viewer.length));
    if length == 0 {
        return;
    }
    let first = first_visible(length);
    let next = (i64::from(selected.unwrap_or(first)) + if selected.is_some() { delta } else { 0 })
        .clamp(0, i64::from(length) - 1);
    select_row(next as u32, !is_visible(next as u32, length));
}

fn jump_error(forward: bool) {
    let from = with_app(|app| app.viewer.selected);
    send(&ToWorker::NextError { from, forward });
}

fn find(forward: bool) {
    let text = input("find-text").value();
    if text.is_empty() {
        let _ = by_id("find-text").focus();
        return;
    }
    let from = with_app(|app| app.viewer.selected);
    send(&ToWorker::Find { text, from, forward });
}

fn scale(length: u32) -> f64 {
    let total = f64::from(length) * ROW_HEIGHT;
    if total > MAX_SCROLL_PX {
        MAX_SCROLL_PX / total
    } else {
        1.0
    }
}

fn first_visible(length: u32) -> u32 {
    let top = f64::from(by_id("viewer").scroll_top());
    ((top / (ROW_HEIGHT * scale(length))) as u32).min(length.saturating_sub(1))
}

fn is_visible(index: u32, length: u32) -> bool {
    let first = first_visible(length);
    let count = (f64::from(by_id("viewer").client_height()) / ROW_HEIGHT) as u32;
    index >= first && index + 1 < first + count
}

/// Draws the visible rows from the cache and asks the worker for missing ones.
fn draw() {
    let viewer = by_id("viewer");
    let rows_box = by_id("viewer-rows");
    let (length, view) = with_app(|app| (app.viewer.length, app.viewer.view));
    let scale = scale(length);
    let top = f64::from(viewer.scroll_top());
    let first = first_visible(length);
    let count = ((f64::from(viewer.client_height()) / ROW_HEIGHT).ceil() as u32 + 1).min(length.saturating_sub(first));
    // With scaled scrolling the window is placed at the scroll position itself.
    let window_top = if scale < 1.0 { top } else { f64::from(first) * ROW_HEIGHT };
    let _ = rows_box.style().set_property("transform", &format!("translateY({window_top}px)"));
    dom::clear(&rows_box);

    let (missing, selected, files) = with_app(|app| {
        let v = &app.viewer;
        let missing = (first..first + count).any(|i| !v.rows.contains_key(&i));
        (missing, v.selected, v.files.clone())
    });
    for i in first..first + count {
        let line = with_app(|app| app.viewer.rows.get(&i).cloned());
        let row = add(&rows_box, "div", "row", "");
        attr(&row, "data-index", &i.to_string());
        match line {
            Some(l) => {
                let (path, host, process) = files.get(l.file as usize).cloned().unwrap_or_default();
                let class = match l.level {
                    level::ERROR => "row error",
                    level::WARNING => "row warning",
                    level::OTHER => "row other",
                    _ => "row",
                };
                let class = if selected == Some(i) { format!("{class} selected") } else { class.to_string() };
                row.set_class_name(&class);
                attr(&row, "data-file", &path);
                attr(&row, "data-line", &l.line.to_string());
                add(&row, "span", "time", &clock_time(l.time_ms));
                let place = add(&row, "span", "where", &format!("{host} · {process}"));
                attr(&place, "title", &format!("{path}:{}", l.line));
                add(&row, "span", "text", &l.text);
            }
            None => {
                add(&row, "span", "loading", "…");
            }
        }
    }
    let in_flight = with_app(|app| app.viewer.in_flight);
    if missing && in_flight.is_none() && length > 0 {
        let start = first.saturating_sub(OVERSCAN);
        let wanted = (count + 2 * OVERSCAN).min(length - start);
        with_app(|app| app.viewer.in_flight = Some((start, wanted)));
        send(&ToWorker::Rows { view, start, count: wanted });
    }
}

fn draw_histogram(histogram: Option<&Histogram>) {
    let root = by_id("histogram");
    dom::clear(&root);
    let Some(h) = histogram else { return };
    let max = h.bins.iter().map(|b| b[0] + b[1] + b[2]).max().unwrap_or(0).max(1);
    let (width, height) = (1000.0, 70.0);
    let bar = width / h.bins.len() as f64;
    let chart = svg("svg");
    attr(&chart, "viewBox", &format!("0 0 {width} {}", height + 16.0));
    attr(&chart, "class", "histogram");
    attr(&chart, "role", "img");
    let errors: u32 = h.bins.iter().map(|b| b[2]).sum();
    attr(&chart, "aria-label", &format!("Log lines over time; {errors} error lines"));
    for (i, counts) in h.bins.iter().enumerate() {
        let mut y = height;
        for (level, class) in [(0, "info"), (1, "warning"), (2, "error")] {
            let n = counts[level];
            if n == 0 {
                continue;
            }
            let hgt = (f64::from(n) / f64::from(max) * height).max(1.5);
            y -= hgt;
            let rect = svg("rect");
            for (k, v) in [("x", i as f64 * bar), ("y", y), ("width", (bar - 0.5).max(0.5)), ("height", hgt)] {
                attr(&rect, k, &format!("{v:.2}"));
            }
            attr(&rect, "class", class);
            let tip = svg("title");
            let start = h.start_ms + i as i64 * h.bin_ms;
            text(&tip, &format!("{}: {n} {class} lines", clock_time(start)));
            let _ = rect.append_child(&tip);
            let _ = chart.append_child(&rect);
        }
    }
    for (x, anchor, ms) in [(0.0, "start", h.start_ms), (width, "end", h.start_ms + h.bin_ms * h.bins.len() as i64)] {
        let label = svg("text");
        attr(&label, "x", &format!("{x}"));
        attr(&label, "y", &format!("{}", height + 14.0));
        attr(&label, "text-anchor", anchor);
        attr(&label, "class", "tick-label");
        text(&label, &clock_time(ms));
        let _ = chart.append_child(&label);
    }
    let _ = root.append_child(&chart);
}
