//! The page's main thread: wires the inputs, talks to the worker, and renders what it sends.
//! It does no analysis and never reads file contents itself.

use super::dom::{self, by_id};
use super::input;
use super::protocol::{from_js, FromWorker};
use super::render;
use super::spawn;
use super::state::{with_app, Mapping};
use crate::report::Report;
use gloo::events::{EventListener, EventListenerOptions};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DragEvent, ErrorEvent, File, HtmlInputElement, MessageEvent};

/// A worker's `onmessage` and `onerror`.
type WorkerHandlers = (Closure<dyn FnMut(MessageEvent)>, Closure<dyn FnMut(web_sys::Event)>);

thread_local! {
    /// The worker's message and error handlers: made once, given to each new worker (an
    /// analysis leaves nothing behind).
    static WORKER_HANDLERS: WorkerHandlers = (
        Closure::new(|event: MessageEvent| on_worker_message(event.data())),
        Closure::new(|event: web_sys::Event| {
            // A worker that reported its own error first (its panic hook) has said it better.
            if by_id("app").get_attribute("data-state").as_deref() == Some("error") {
                return;
            }
            let detail = event.dyn_ref::<ErrorEvent>().map(|e| e.message()).filter(|m| !m.is_empty());
            fail(&format!(
                "The analysis worker failed to load or crashed{}. Reload the page and try again.",
                detail.map(|m| format!(" ({m})")).unwrap_or_default()
            ))
        }),
    );
}

pub fn start() {
    std::panic::set_hook(Box::new(|info| fail(&format!("The page stopped on an internal error: {info}"))));
    dom::set_text(&by_id("version"), concat!("nbtriage ", env!("CARGO_PKG_VERSION")));
    wire_inputs();
    render::wire();
    render::viewer::wire();
    render::jobs::wire();
    render::rules::render();
    super::redaction::wire();
    set_state("idle");
}

/// `data-state` on the app root: loading, idle, working, done, error.
pub fn set_state(state: &str) {
    let root = by_id("app");
    dom::attr(&root, "data-state", state);
    dom::attr(&root, "aria-busy", if state == "working" || state == "loading" { "true" } else { "false" });
}

pub fn fail(message: &str) {
    let error = by_id("error");
    dom::set_text(&error, message);
    dom::show(&error, true);
    dom::show(&by_id("progress"), false);
    set_state("error");
}

fn wire_inputs() {
    for (button, input) in [("choose-files", "pick-files"), ("choose-folder", "pick-folder")] {
        EventListener::new(&by_id(button), "click", move |_| by_id(input).click()).forget();
        let element: HtmlInputElement = by_id(input).unchecked_into();
        let target = element.clone();
        EventListener::new(&element, "change", move |_| {
            if let Some(list) = target.files() {
                let files = input::from_file_list(&list);
                target.set_value("");
                begin(files);
            }
        })
        .forget();
    }
    EventListener::new(&by_id("try-sample"), "click", |_| begin(input::sample())).forget();
    EventListener::new(&by_id("analyze-paste"), "click", |_| {
        let text = by_id("paste-text").unchecked_into::<web_sys::HtmlTextAreaElement>().value();
        if text.trim().is_empty() {
            return fail("Paste some text into the box first.");
        }
        // Folded, so that the verdict is what shows next; the text stays for another try.
        let _ = by_id("paste-box").remove_attribute("open");
        begin(input::pasted(&text).into_iter().collect());
    })
    .forget();
    EventListener::new(&by_id("cancel"), "click", |_| cancel()).forget();
    EventListener::new(&by_id("save-html"), "click", |_| save("html")).forget();
    EventListener::new(&by_id("save-markdown"), "click", |_| save("markdown")).forget();
    EventListener::new(&by_id("save-json"), "click", |_| save("json")).forget();

    // Drop anywhere on the page.
    let document = dom::document();
    let active = EventListenerOptions::enable_prevent_default();
    EventListener::new_with_options(&document, "dragover", active, |event| {
        event.prevent_default();
        dom::attr(&by_id("app"), "data-dragging", "true");
    })
    .forget();
    EventListener::new_with_options(&document, "dragleave", active, |_| {
        let _ = by_id("app").remove_attribute("data-dragging");
    })
    .forget();
    EventListener::new_with_options(&document, "drop", active, |event| {
        event.prevent_default();
        let _ = by_id("app").remove_attribute("data-dragging");
        let Some(transfer) = event.dyn_ref::<DragEvent>().and_then(|e| e.data_transfer()) else { return };
        wasm_bindgen_futures::spawn_local(async move {
            let files = input::from_drop(transfer).await;
            begin(files);
        });
    })
    .forget();
}

/// Starts an analysis of `files` in a fresh worker.
pub fn begin(files: Vec<(String, File)>) {
    if files.is_empty() {
        fail("No file was found in what was dropped or picked.");
        return;
    }
    stop_worker();
    dom::show(&by_id("error"), false);
    dom::show(&by_id("results"), false);
    render::skip_to("start-title", "Skip to the start");
    render::progress::reset(&files);
    set_state("working");
    let worker = match spawn::worker() {
        Ok(w) => w,
        Err(e) => return fail(&format!("The analysis worker could not start: {}.", super::scan::describe(&e))),
    };
    WORKER_HANDLERS.with(|(on_message, on_error)| {
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    });
    with_app(|app| {
        app.worker = Some(worker);
        app.worker_ready = false;
        let workers = page_option("workers").and_then(|n| n.parse().ok()).unwrap_or(0);
        let per_block_times = page_option("index").as_deref() == Some("per-block");
        app.pending = Some(input::analyze_message(&files, workers, per_block_times));
        app.report = None;
        app.redacted = None;
        app.mapping = None;
    });
}

/// An option from the page's address. The tests use two: `?workers=N`, how many scanning
/// workers to use (default: one per core), and `?index=per-block`, the viewer's per-block line
/// times whatever the bundle's size, to check that neither changes what the user sees.
fn page_option(name: &str) -> Option<String> {
    let search = gloo::utils::window().location().search().unwrap_or_default();
    search
        .trim_start_matches('?')
        .split('&')
        .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('=').map(str::to_string))
}

fn stop_worker() {
    if let Some(worker) = with_app(|app| app.worker.take()) {
        worker.terminate();
        worker.set_onmessage(None);
        worker.set_onerror(None);
    }
}

fn cancel() {
    stop_worker();
    dom::show(&by_id("progress"), false);
    render::progress::cancelled();
    set_state("idle");
}

/// Saves the report as a file (a standalone HTML page, Markdown for a ticket, JSON for
/// scripts): made here, from the report shown (redacted when the switch is on); nothing is sent
/// anywhere.
fn save(format: &str) {
    let Some(report) = with_app(|app| app.shown()) else { return };
    let text = match format {
        "json" => crate::report::json::render(&report),
        "html" => crate::report::html::render(&report),
        _ => crate::report::markdown::render(&report),
    };
    let (extension, mime) = match format {
        "json" => ("json", "application/json"),
        "html" => ("html", "text/html"),
        _ => ("md", "text/markdown"),
    };
    let name = format!("nbtriage-report{}.{extension}", if report.redacted { "-redacted" } else { "" });
    dom::download(&name, mime, &text);
}

fn on_worker_message(data: JsValue) {
    let message = match from_js::<FromWorker>(data) {
        Ok(m) => m,
        Err(e) => return fail(&format!("The worker sent something unexpected: {e}")),
    };
    match message {
        FromWorker::Ready => {
            let (worker, pending) = with_app(|app| {
                app.worker_ready = true;
                (app.worker.clone(), app.pending.take())
            });
            if let (Some(worker), Some(pending)) = (worker, pending) {
                let _ = worker.post_message(&pending);
            }
        }
        FromWorker::Progress { .. } => render::progress::update(&message),
        FromWorker::Done {
            report_json,
            redacted_json,
            mapping_json,
            mapping_rows,
            histogram,
            lines,
            scan_ms,
            wasm_bytes,
        } => {
            let (report, redacted): (Report, Report) =
                match (serde_json::from_str(&report_json), serde_json::from_str(&redacted_json)) {
                    (Ok(report), Ok(redacted)) => (report, redacted),
                    (Err(e), _) | (_, Err(e)) => return fail(&format!("The report could not be read: {e}")),
                };
            dom::show(&by_id("progress"), false);
            render::show_report(&report, histogram.as_ref(), lines);
            // Figures for the benchmarks and tests: how long scanning took, and memory.
            let root = by_id("app");
            dom::attr(&root, "data-scan-ms", &format!("{scan_ms:.0}"));
            dom::attr(&root, "data-wasm-bytes", &format!("{wasm_bytes:.0}"));
            dom::attr(&root, "data-bytes", &report.files.iter().map(|f| f.bytes).sum::<u64>().to_string());
            with_app(|app| {
                app.report = Some(Rc::new(report));
                app.redacted = Some(Rc::new(redacted));
                app.mapping = Some(Rc::new(Mapping { json: mapping_json, rows: mapping_rows }));
            });
            super::redaction::on_report();
            set_state("done");
        }
        FromWorker::View { view, length, filter, text, packets } => {
            render::viewer::on_view(view, length, filter, text, packets)
        }
        FromWorker::Rows { view, start, lines } => render::viewer::on_rows(view, start, lines),
        FromWorker::Position { view, index, line, path } => render::viewer::on_position(view, index, line, path),
        FromWorker::Thread { line, tries, servers, read, .. } => render::jobs::on_thread(line, tries, servers, read),
        FromWorker::Error { message } => fail(&message),
    }
}
