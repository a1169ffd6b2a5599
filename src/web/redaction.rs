//! The "Redact names" switch. When it is on, the report on the page (the verdict box, cards,
//! timeline, files panel), what is saved and what is copied come from the core's redacted copy
//! (`crate::redact`, run in the worker with the analysis: the page module stays small), and the
//! mapping back to the originals is shown in a table. The mapping
//! leaves the page only if the user saves it; it is not printed. The log viewer shows the logs
//! as they are: they are the user's own files, on the user's own machine.

use super::dom::{self, add, attr, by_id, download};
use super::render;
use super::state::{with_app, Mapping};
use gloo::events::EventListener;
use wasm_bindgen::JsCast;

/// Attached once, at start: the switch, and the panel's "Save the mapping" button (by
/// delegation, since the panel is drawn again with each report).
pub fn wire() {
    EventListener::new(&by_id("redact"), "change", |_| refresh()).forget();
    EventListener::new(&by_id("redaction"), "click", |event| {
        let on_save = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("#save-map").ok().flatten())
            .is_some();
        if let (true, Some(mapping)) = (on_save, with_app(|app| app.mapping.clone())) {
            download("nbtriage-redaction-map.json", "application/json", &mapping.json);
        }
    })
    .forget();
}

fn switch_on() -> bool {
    by_id("redact").unchecked_into::<web_sys::HtmlInputElement>().checked()
}

/// A report has arrived and is shown: with the switch on, it is shown redacted at once.
pub fn on_report() {
    if switch_on() {
        refresh();
    }
}

/// Shows the report as the switch says.
fn refresh() {
    let on = switch_on();
    let shown = with_app(|app| {
        app.redact = on;
        app.shown().map(|report| (report, app.mapping.clone()))
    });
    let panel = by_id("redaction");
    dom::clear(&panel);
    dom::show(&panel, false);
    // The viewer says so itself, beside the lines.
    dom::show(&by_id("viewer-redacted"), on && shown.is_some());
    let Some((report, mapping)) = shown else { return };
    render::verdict::render(&report);
    render::cards::render(&report);
    render::timeline::render(&report);
    render::files::render(&report);
    render::jobs::render(&report);
    render::viewer::redaction_changed(on);
    if let (true, Some(mapping)) = (on, mapping) {
        show_mapping(&panel, &mapping);
    }
}

fn show_mapping(panel: &web_sys::HtmlElement, mapping: &Mapping) {
    add(
        panel,
        "p",
        "",
        "Names are replaced by pseudonyms in the verdict, the diagnosis, the timeline, the files panel, the jobs view (a job's tries too), and in what you save or copy. The table below stays in this page unless you save it. The log lines further down are shown as they are.",
    );
    // Closed at first: a long table would push the diagnosis down.
    let details = add(panel, "details", "", "");
    add(&details, "summary", "", &format!("The mapping: {} names and their pseudonyms", mapping.rows.len()));
    let table = add(&details, "table", "mapping", "");
    add(&table, "caption", "visually-hidden", "Pseudonyms and the names they replace");
    let head = add(&add(&table, "thead", "", ""), "tr", "", "");
    for title in ["Pseudonym", "Kind", "Original"] {
        attr(&add(&head, "th", "", title), "scope", "col");
    }
    let body = add(&table, "tbody", "", "");
    for [pseudonym, kind, originals] in &mapping.rows {
        let row = add(&body, "tr", "", "");
        attr(&add(&row, "th", "", pseudonym), "scope", "row");
        add(&row, "td", "", kind);
        add(&row, "td", "original", originals);
    }
    let button = add(panel, "button", "secondary", "Save the mapping (JSON)");
    attr(&button, "type", "button");
    attr(&button, "id", "save-map");
    dom::show(panel, true);
}
