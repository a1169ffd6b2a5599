//! The log viewer: every line of every file merged in time order, virtualized (only the visible
//! rows exist in the DOM; their text is read back from the files by the worker on demand),
//! with filters, find (wrapping around), and jumps between errors. A histogram of lines over
//! time sits above it.
//!
//! Keys in the list: ↑/↓ (and j/k) move the selection and keep it in view, PageUp/PageDown a
//! screenful, Home/End to the first and last line; e/E and n/N jump to the next or previous
//! error or match. The selected line's text is announced through a live region. On a narrow
//! screen rows wrap (the list is then drawn from its scroll position, a row per step).

use super::words::counted;
use super::{clock_time, source_label};
use crate::facts::line_index::level;
use crate::numbers::grouped;
use crate::report::Report;
use crate::viewer::{Filter, Histogram, PacketPick, RowFilter, ShownLine};
use crate::web::dom::{self, add, attr, by_id};
use crate::web::protocol::ToWorker;
use crate::web::state::send;
use gloo::events::{EventListener, EventListenerOptions};
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
struct Viewer {
    view: u32,
    length: u32,
    rows: BTreeMap<u32, ShownLine>,
    in_flight: Option<(u32, u32)>,
    selected: Option<u32>,
    /// Set when a locate or jump is under way, so the next view keeps the selection.
    awaiting_position: bool,
    /// The jump to an error or a match under way, to wrap around when it finds none.
    seek: Option<Seek>,
    /// The row whose text is to be announced once it is drawn.
    announce: Option<u32>,
    /// Set when the selected row must be brought into view once drawn (wrapped rows).
    keep_in_view: bool,
    /// Per table file: (path, host, process, label).
    files: Vec<ViewerFile>,
    filter: Filter,
    /// The connection whose packets are shown among the rows, until "Show all lines".
    packets: Option<PacketPick>,
}

thread_local! {
    static VIEWER: std::cell::RefCell<Viewer> = std::cell::RefCell::new(Viewer::default());
}

/// Runs `f` with the viewer's state, kept apart from the page's: only the viewer reads it.
fn with_viewer<R>(f: impl FnOnce(&mut Viewer) -> R) -> R {
    VIEWER.with(|viewer| f(&mut viewer.borrow_mut()))
}

/// A file of the list: its path, the host and process the filters name, and how its rows say
/// where they come from.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
struct ViewerFile {
    path: String,
    host: String,
    process: String,
    label: String,
}

#[derive(Clone)]
enum SeekKind {
    Error,
    Find(String),
}

#[derive(Clone)]
struct Seek {
    kind: SeekKind,
    forward: bool,
    /// Already started again from the other end.
    wrapped: bool,
}

/// How to bring a selected row into view.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reveal {
    /// Leave the scroll position alone.
    No,
    /// Scroll as little as needed (moving with the keys).
    Nearest,
    /// A third of the way down (a jump or an evidence line).
    Jump,
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
    // Listeners that call preventDefault must not be passive.
    let active = EventListenerOptions::enable_prevent_default();
    EventListener::new_with_options(&by_id("viewer-toolbar"), "submit", active, |e| e.prevent_default()).forget();
    EventListener::new_with_options(&by_id("find-text"), "keydown", active, |e| {
        if e.dyn_ref::<KeyboardEvent>().is_some_and(|k| k.key() == "Enter") {
            e.prevent_default();
            find(true);
        }
    })
    .forget();
    EventListener::new(&by_id("viewer-thread-clear"), "click", |_| show_thread(None)).forget();
    EventListener::new(&by_id("find-next"), "click", |_| find(true)).forget();
    EventListener::new(&by_id("find-prev"), "click", |_| find(false)).forget();
    EventListener::new(&by_id("error-next"), "click", |_| jump_error(true)).forget();
    EventListener::new(&by_id("error-prev"), "click", |_| jump_error(false)).forget();
    EventListener::new(&by_id("viewer"), "scroll", |_| draw()).forget();
    EventListener::new(&gloo::utils::window(), "resize", |_| draw()).forget();
    EventListener::new_with_options(&by_id("viewer"), "keydown", active, |e| {
        let Some(k) = e.dyn_ref::<KeyboardEvent>() else { return };
        if k.ctrl_key() || k.meta_key() || k.alt_key() {
            return;
        }
        let page = i64::from(page_rows());
        match k.key().as_str() {
            "ArrowDown" | "j" => move_selection(1),
            "ArrowUp" | "k" => move_selection(-1),
            "PageDown" => move_selection(page),
            "PageUp" => move_selection(-page),
            "Home" => move_to(0),
            "End" => move_to(u32::MAX),
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
    // archive's map): the same files as the worker's table, in its order. The host and process the worker's table gives a file that names none.
    let mut files: Vec<ViewerFile> = report
        .files
        .iter()
        .filter(|f| f.is_log())
        .map(|f| ViewerFile {
            path: f.path.clone(),
            host: f.host.clone().unwrap_or_else(|| "unknown host".into()),
            process: f.process.clone().unwrap_or_else(|| "unknown".into()),
            label: source_label(f),
        })
        .collect();
    crate::order::sort(&mut files);
    // Nothing to list when no log was read.
    dom::show(&by_id("viewer-section"), !files.is_empty());
    fill_select("f-host", "All hosts", files.iter().map(|f| f.host.clone()));
    fill_select("f-process", "All processes", files.iter().map(|f| f.process.clone()));
    select("f-level").set_value("0");
    input("f-aligned").set_checked(true);
    input("f-text").set_value("");
    input("find-text").set_value("");
    super::histogram::render(histogram);
    dom::set_text(
        &by_id("viewer-status"),
        &format!("{} from {}", counted(lines, "line"), counted(files.len() as u64, "file")),
    );
    dom::set_text(&by_id("viewer-announce"), "");
    with_viewer(|v| *v = Viewer { files, filter: Filter { aligned: true, ..Filter::default() }, ..Viewer::default() });
    by_id("viewer").set_scroll_top(0);
}

fn fill_select(id: &str, all: &str, values: impl Iterator<Item = String>) {
    let element = select(id);
    dom::clear(&element);
    let first = add(&element, "option", "", all);
    attr(&first, "value", "");
    let mut values: Vec<String> = values.collect();
    crate::order::sort(&mut values);
    values.dedup();
    for v in values {
        // The worker's names for "none given", in words.
        let shown = match v.as_str() {
            "unknown host" => "host not known",
            "unknown" => "no process named",
            other => other,
        };
        let option = add(&element, "option", "", shown);
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
        // A thread's rows stay shown until "Show all lines" (`show_thread(None)`).
        rows: with_viewer(|v| v.filter.rows.clone()),
    };
    let text = Some(input("f-text").value()).filter(|t| !t.trim().is_empty());
    (filter, text)
}

fn apply_filter() {
    let (filter, text) = current_filter();
    with_viewer(|v| v.filter = filter.clone());
    // A text search reads every file again: seconds on a large bundle.
    let status = match &text {
        Some(text) => format!("Searching every file for “{text}”…"),
        None => "Filtering…".to_string(),
    };
    dom::set_text(&by_id("viewer-status"), &status);
    match with_viewer(|v| v.packets.clone()) {
        // The worker reads the capture again and sets the row filter from its packets.
        Some(pick) => send(&ToWorker::Packets { pick, filter, text }),
        None => send(&ToWorker::View { filter, text }),
    }
}

/// Shows only one thread's rows (a job's: see `RowFilter`), or every row again with `None`.
pub fn show_thread(rows: Option<RowFilter>) {
    with_viewer(|v| {
        v.filter.rows = rows;
        v.packets = None;
    });
    apply_filter();
}

/// Packet rows shown are asked for again with their addresses redacted, or not.
pub fn redaction_changed(on: bool) {
    let shown = with_viewer(|v| v.packets.as_mut().map(|p| std::mem::replace(&mut p.redact, on) != on));
    if shown == Some(true) {
        apply_filter();
    }
}

/// Shows a connection's packets among its hosts' log lines (the worker sets the row filter).
pub fn show_packets(pick: PacketPick) {
    with_viewer(|v| v.packets = Some(pick));
    apply_filter();
    by_id("viewer-section").scroll_into_view();
    let _ = by_id("viewer").focus();
}

pub fn expect_position() {
    with_viewer(|v| v.awaiting_position = true);
}

pub fn on_view(view: u32, length: u32, filter: Filter, text: Option<String>, packets: Option<String>) {
    let keep = with_viewer(|v| {
        v.view = view;
        v.length = length;
        v.rows.clear();
        v.in_flight = None;
        v.filter = filter.clone();
        if packets.is_none() {
            // The worker showed a view without them (a line found outside them).
            v.packets = None;
        }
        if !v.awaiting_position {
            v.selected = None;
        }
        v.awaiting_position
    });
    // The worker may have reset the filters to find a line: show what it shows.
    if current_filter() != (filter.clone(), text.clone()) {
        reset_controls(&filter, text.as_deref());
    }
    let thread = filter.rows.as_ref().map(|r| r.label.clone());
    dom::show(&by_id("viewer-thread"), thread.is_some());
    let words = match &packets {
        Some(_) => "A connection's packets (from the capture, no payload) are shown among its hosts' log lines within their times.",
        None => "Only one job's lines are shown: its hosts' and processes' lines within its times.",
    };
    dom::set_text(&by_id("viewer-thread-words"), words);
    if !keep {
        by_id("viewer").set_scroll_top(0);
        let of = thread.map(|label| format!(" of {label}")).unwrap_or_default();
        let status = match &packets {
            Some(note) => format!("{}{of} shown: {note}", counted(u64::from(length), "row")),
            None => format!("{}{of} shown", counted(u64::from(length), "line")),
        };
        dom::set_text(&by_id("viewer-status"), &status);
    }
    size_spacer();
    draw();
}

pub fn on_rows(view: u32, start: u32, lines: Vec<ShownLine>) {
    with_viewer(|v| {
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
    let (current, seek, selected) = with_viewer(|v| {
        v.awaiting_position = false;
        (v.view, v.seek.take(), v.selected)
    });
    if view != current {
        return;
    }
    match index {
        Some(index) => {
            select_row(index, Reveal::Jump);
            if let Some(seek) = seek.filter(|s| s.wrapped) {
                let end = if seek.forward { "top" } else { "bottom" };
                let length = with_viewer(|v| v.length);
                dom::set_text(
                    &by_id("viewer-status"),
                    &format!(
                        "Line {} of {} shown (went on from the {end})",
                        grouped(u64::from(index) + 1),
                        grouped(u64::from(length))
                    ),
                );
            }
            let _ = by_id("viewer").focus();
        }
        None => {
            if let (Some(p), Some(l)) = (&path, line) {
                dom::set_text(
                    &by_id("viewer-status"),
                    &format!("{p} line {l} is not in this list (only log files are); its text is in the evidence."),
                );
                return;
            }
            match seek {
                // Nothing more that way: go on from the other end, once.
                Some(seek) if !seek.wrapped && selected.is_some() => {
                    let seek = Seek { wrapped: true, ..seek };
                    send_seek(&seek, None);
                    with_viewer(|v| v.seek = Some(seek));
                }
                Some(Seek { kind: SeekKind::Find(text), .. }) => {
                    dom::set_text(&by_id("viewer-status"), &format!("No line shown holds “{text}”."))
                }
                _ => dom::set_text(&by_id("viewer-status"), "No error line among the lines shown."),
            }
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

fn select_row(index: u32, reveal: Reveal) {
    let length = with_viewer(|v| {
        v.selected = Some(index);
        v.announce = Some(index);
        v.keep_in_view = reveal != Reveal::No;
        v.length
    });
    let viewer = by_id("viewer");
    let step = ROW_HEIGHT * scale(length);
    let top = f64::from(viewer.scroll_top());
    let height = f64::from(viewer.client_height());
    match reveal {
        Reveal::No => {}
        Reveal::Jump => {
            // A third of a screenful above it, counted in rows: once the scroll is scaled (a
            // list past the browser's height cap), a pixel of scroll is less than a row.
            let above = if wraps() { 0.0 } else { (height / ROW_HEIGHT / 3.0).floor() };
            let target = (f64::from(index) - above).max(0.0) * step;
            viewer.set_scroll_top(target.ceil() as i32);
        }
        Reveal::Nearest if wraps() || scale(length) < 1.0 => {
            // The list is drawn from the scroll position, a row per step: above the first row
            // shown, start there; below, `draw` brings it up once it knows the rows' heights.
            let first = first_visible(length);
            if index < first {
                viewer.set_scroll_top((f64::from(index) * step).ceil() as i32);
            } else if index >= first + page_rows() {
                viewer.set_scroll_top((f64::from(index + 1 - page_rows()) * step).ceil() as i32);
            }
        }
        Reveal::Nearest => {
            let (row_top, row_bottom) = (f64::from(index) * ROW_HEIGHT, f64::from(index + 1) * ROW_HEIGHT);
            if row_top < top {
                viewer.set_scroll_top(row_top as i32);
            } else if row_bottom > top + height {
                viewer.set_scroll_top((row_bottom - height).ceil() as i32);
            }
        }
    }
    draw();
    dom::set_text(
        &by_id("viewer-status"),
        &format!("Line {} of {} shown", grouped(u64::from(index) + 1), grouped(u64::from(length))),
    );
}

fn move_selection(delta: i64) {
    let (selected, length) = with_viewer(|v| (v.selected, v.length));
    if length == 0 {
        return;
    }
    let next = match selected {
        Some(s) => (i64::from(s) + delta).clamp(0, i64::from(length) - 1),
        // The first key selects the first line shown.
        None => i64::from(first_visible(length)),
    };
    select_row(next as u32, Reveal::Nearest);
}

/// Selects row `index` (the last when past the end).
fn move_to(index: u32) {
    let length = with_viewer(|v| v.length);
    if length > 0 {
        select_row(index.min(length - 1), Reveal::Nearest);
    }
}

/// Rows in a screenful, less one kept for context.
fn page_rows() -> u32 {
    let rows = (f64::from(by_id("viewer").client_height()) / ROW_HEIGHT) as u32;
    rows.saturating_sub(1).max(1)
}

fn jump_error(forward: bool) {
    let seek = Seek { kind: SeekKind::Error, forward, wrapped: false };
    let from = with_viewer(|v| {
        v.seek = Some(seek.clone());
        v.selected
    });
    send_seek(&seek, from);
}

fn find(forward: bool) {
    let text = input("find-text").value();
    if text.is_empty() {
        let _ = by_id("find-text").focus();
        return;
    }
    let seek = Seek { kind: SeekKind::Find(text), forward, wrapped: false };
    let from = with_viewer(|v| {
        v.seek = Some(seek.clone());
        v.selected
    });
    send_seek(&seek, from);
}

/// Asks the worker for the next error or match after (before) `from`, or from the first (last)
/// line when `from` is `None`.
fn send_seek(seek: &Seek, from: Option<u32>) {
    let forward = seek.forward;
    match &seek.kind {
        SeekKind::Error => send(&ToWorker::NextError { from, forward }),
        SeekKind::Find(text) => send(&ToWorker::Find { text: text.clone(), from, forward }),
    }
}

/// Whether rows wrap (a narrow list): they are then drawn from the scroll position.
fn wraps() -> bool {
    by_id("viewer").class_list().contains("wrap")
}

/// The spacer gives the list its scroll height. When rows are drawn from the scroll position
/// (scaled or wrapped), one screenful more lets the last row reach the top.
fn size_spacer() {
    let viewer = by_id("viewer");
    let length = with_viewer(|v| v.length);
    let mut height = (f64::from(length) * ROW_HEIGHT * scale(length)).ceil();
    if wraps() || scale(length) < 1.0 {
        height += f64::from(viewer.client_height()) - ROW_HEIGHT;
    }
    let _ = by_id("viewer-spacer").style().set_property("height", &format!("{}px", height.max(0.0)));
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

/// Draws the visible rows from the cache and asks the worker for missing ones.
fn draw() {
    let viewer = by_id("viewer");
    // Rows wrap when the list is narrower than a line's time, place and some text.
    let narrow = viewer.client_width() > 0 && viewer.client_width() < 600;
    if narrow != wraps() {
        let _ = viewer.class_list().toggle_with_force("wrap", narrow);
        size_spacer();
    }
    let rows_box = by_id("viewer-rows");
    let (length, view) = with_viewer(|v| (v.length, v.view));
    let scale = scale(length);
    let top = f64::from(viewer.scroll_top());
    let first = first_visible(length);
    let count = ((f64::from(viewer.client_height()) / ROW_HEIGHT).ceil() as u32 + 1).min(length.saturating_sub(first));
    // With scaled scrolling or wrapped rows the window is placed at the scroll position itself.
    let window_top = if scale < 1.0 || narrow { top } else { f64::from(first) * ROW_HEIGHT };
    let _ = rows_box.style().set_property("transform", &format!("translateY({window_top}px)"));
    dom::clear(&rows_box);

    let (missing, selected, files) = with_viewer(|v| {
        let missing = (first..first + count).any(|i| !v.rows.contains_key(&i));
        (missing, v.selected, v.files.clone())
    });
    let mut selected_row = None;
    for i in first..first + count {
        let line = with_viewer(|v| v.rows.get(&i).cloned());
        let row = add(&rows_box, "div", "row", "");
        attr(&row, "data-index", &i.to_string());
        match line {
            Some(l) => {
                let file =
                    if l.packet { packet_file() } else { files.get(l.file as usize).cloned().unwrap_or_default() };
                let class = match l.level {
                    _ if l.packet => "row packet",
                    level::ERROR => "row error",
                    level::WARNING => "row warning",
                    level::OTHER => "row other",
                    _ => "row",
                };
                let class = if selected == Some(i) { format!("{class} selected") } else { class.to_string() };
                row.set_class_name(&class);
                if !l.packet {
                    attr(&row, "data-file", &file.path);
                    attr(&row, "data-line", &l.line.to_string());
                }
                // A line quoted without its time shows none.
                let time = l.time_ms.map(clock_time).unwrap_or_default();
                add(&row, "span", "time", &time);
                let place = add(&row, "span", "where", if l.packet { "" } else { &file.label });
                if l.packet {
                    add(&place, "span", "packet-tag", &file.label);
                } else {
                    attr(&place, "title", &format!("{}:{}", file.path, l.line));
                }
                add(&row, "span", "text", &l.text);
                if selected == Some(i) {
                    selected_row = Some(row.clone());
                    announce(i, length, &time, &file, &l.text);
                }
            }
            None => {
                add(&row, "span", "loading", "…");
            }
        }
    }
    // A row just selected by a key or a jump is brought into view, once.
    let keep = selected_row.is_some() && with_viewer(|v| std::mem::take(&mut v.keep_in_view));
    // Wrapped rows: a selected row below the list's foot brings the rows after it up.
    if let Some(row) = selected_row.as_ref().filter(|_| keep && (narrow || scale < 1.0)) {
        let bottom = viewer.get_bounding_client_rect().bottom();
        let overflow = row.get_bounding_client_rect().bottom() - bottom;
        if overflow > 0.0 {
            let mut skip = 0u32;
            let mut gained = 0.0;
            let mut child = rows_box.first_element_child();
            while let Some(c) = child.filter(|_| gained < overflow) {
                gained += c.get_bounding_client_rect().height();
                skip += 1;
                child = c.next_element_sibling();
            }
            let step = ROW_HEIGHT * scale;
            viewer.set_scroll_top((f64::from(first + skip) * step).ceil() as i32);
        }
    }
    if let Some(row) = selected_row.filter(|_| keep) {
        keep_in_window(&viewer, &row);
    }
    let in_flight = with_viewer(|v| v.in_flight);
    if missing && in_flight.is_none() && length > 0 {
        let start = first.saturating_sub(OVERSCAN);
        let wanted = (count + 2 * OVERSCAN).min(length - start);
        with_viewer(|v| v.in_flight = Some((start, wanted)));
        send(&ToWorker::Rows { view, start, count: wanted });
    }
}

/// How a packet row says where it comes from: a tag, not a file.
fn packet_file() -> ViewerFile {
    ViewerFile { label: "packet".into(), ..ViewerFile::default() }
}

/// Scrolls the page, not the list, so that the part of the selected row inside the list is in
/// the window: the list keeps the row in its own box, but the box may reach past the window's
/// edge (arrow keys move the selection down a list whose foot is below the fold).
fn keep_in_window(viewer: &web_sys::HtmlElement, row: &web_sys::Element) {
    let window = gloo::utils::window();
    let Some(height) = window.inner_height().ok().and_then(|h| h.as_f64()) else { return };
    let (list, rect) = (viewer.get_bounding_client_rect(), row.get_bounding_client_rect());
    let (top, bottom) = (rect.top().max(list.top()), rect.bottom().min(list.bottom()));
    if bottom > height {
        window.scroll_by_with_x_and_y(0.0, (bottom - height).ceil());
    } else if top < 0.0 {
        window.scroll_by_with_x_and_y(0.0, top.floor());
    }
}

/// Says the selected line's text through the live region, once per selection.
fn announce(index: u32, length: u32, time: &str, file: &ViewerFile, text: &str) {
    if with_viewer(|v| v.announce.take_if(|a| *a == index)).is_none() {
        return;
    }
    let when = if time.is_empty() { String::new() } else { format!("{time}, ") };
    dom::set_text(
        &by_id("viewer-announce"),
        &format!(
            "Line {} of {}, {when}{}: {text}",
            grouped(u64::from(index) + 1),
            grouped(u64::from(length)),
            file.label
        ),
    );
}
