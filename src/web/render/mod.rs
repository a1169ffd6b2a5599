//! Renders the report: the verdict first, then the findings' cards, the timeline, the log
//! viewer and the files panel. Rendering builds elements only: the page's listeners are
//! attached once, at start ([`wire`]), and find what was clicked by delegation, so an analysis
//! adds none (twenty analyses in a tab leave the listener count where it was).

pub mod cards;
pub mod files;
mod histogram;
mod job_table;
mod job_thread;
pub mod jobs;
mod packets;
pub mod progress;
pub mod rules;
pub mod timeline;
pub mod verdict;
pub mod viewer;
pub mod words;

use super::dom::{self, attr, by_id};
use super::protocol::ToWorker;
use super::state;
use crate::report::{FileReport, Report};
use crate::viewer::Histogram;
use crate::vocab::time;
use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent};

pub fn show_report(report: &Report, histogram: Option<&Histogram>, lines: u64) {
    verdict::render(report);
    cards::render(report);
    timeline::render(report);
    viewer::reset(report, histogram, lines);
    files::render(report);
    jobs::render(report);
    dom::show(&by_id("results"), true);
    // A job list opens on its jobs; logs alone on their diagnosis.
    jobs::select_tab(report.jobs.is_some());
    if report.jobs.is_some() {
        skip_to("jobs-title", "Skip to the night's jobs");
        by_id("jobs-title").focus().ok();
    } else {
        skip_to("verdict-title", "Skip to the diagnosis");
        by_id("verdict-title").focus().ok();
    }
}

/// Points the skip link at an element that is on the page now.
pub fn skip_to(id: &str, words: &str) {
    let link = by_id("skip-link");
    attr(&link, "href", &format!("#{id}"));
    dom::set_text(&link, words);
}

/// `17:46:36.299` (with the date when it is not the same as `day_of`).
pub fn clock_time(ms: i64) -> String {
    time::time_of_day(ms)
}

/// Turns `total_wait_s` into `total-wait-s` for a data attribute.
pub fn kebab(key: &str) -> String {
    key.replace('_', "-")
}

/// Marks `element` as opening `file`'s line `line` in the log viewer when clicked (or, for a
/// timeline mark, on Enter or Space).
pub fn open_attrs(element: &Element, file: &str, line: u64) {
    attr(element, "data-open-file", file);
    attr(element, "data-open-line", &line.to_string());
}

/// What a file's lines come from, for a person: `media01 · bpbrm`, or, with no host or process
/// named, what the file is (`Job Details`, `Job Details (pasted)`), never a question mark.
pub fn source_label(f: &FileReport) -> String {
    let label = f.source_label();
    if f.path == super::input::PASTED_NAME {
        format!("{label} (pasted)")
    } else {
        label
    }
}

/// Opens a file's line in the log viewer.
pub fn open_in_viewer(path: &str, line: u32) {
    viewer::expect_position();
    // With names redacted the page shows pseudonyms; the worker knows the files by their names.
    state::send(&ToWorker::Locate { path: state::original_path(path), line });
    by_id("viewer-section").scroll_into_view();
}

/// The page's delegated listeners, attached once: a click on anything carrying
/// `data-open-file` opens that line; a click on a Copy button copies its text; Enter or Space
/// on a timeline mark opens its line.
pub fn wire() {
    let document = dom::document();
    EventListener::new(&document, "click", |event| {
        let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
        if let Ok(Some(button)) = target.closest("button.copy[data-copy]") {
            copy(&button);
        } else if let Ok(Some(opener)) = target.closest("[data-open-file]") {
            open(&opener);
        } else if let Ok(Some(button)) = target.closest("button[data-packets]") {
            let finding = button.get_attribute("data-packets").and_then(|i| i.parse().ok());
            finding.into_iter().for_each(packets::show);
        }
    })
    .forget();
    // It prevents the page from scrolling on Space, so it is not passive.
    EventListener::new_with_options(&document, "keydown", EventListenerOptions::enable_prevent_default(), |event| {
        let Some(key) = event.dyn_ref::<KeyboardEvent>().map(KeyboardEvent::key) else { return };
        if key != "Enter" && key != " " {
            return;
        }
        let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
        if let Ok(Some(mark)) = target.closest(".mark[data-open-file]") {
            event.prevent_default();
            open(&mark);
        }
    })
    .forget();
}

fn open(opener: &Element) {
    let file = opener.get_attribute("data-open-file").unwrap_or_default();
    let line = opener.get_attribute("data-open-line").and_then(|l| l.parse().ok()).unwrap_or(1);
    open_in_viewer(&file, line);
}

/// Copies a Copy button's text; the element before the button shows it (selected for Ctrl+C
/// where the browser allows no copying).
fn copy(button: &Element) {
    let text = button.get_attribute("data-copy").unwrap_or_default();
    let (Some(shown), Ok(button)) =
        (button.previous_element_sibling(), button.clone().dyn_into::<web_sys::HtmlElement>())
    else {
        return;
    };
    crate::web::clipboard::copy(text, shown, button);
}
