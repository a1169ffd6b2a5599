//! The page's state between events, below everything that renders it: the worker that runs the
//! analysis, the report it sent (and its redacted copy with the mapping back), and the
//! "Redact names" switch. The renderers read it; `app.rs` fills it.

use super::protocol::{to_js, ToWorker};
use crate::report::Report;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsValue;
use web_sys::Worker;

/// What the page knows between events.
#[derive(Default)]
pub struct App {
    pub worker: Option<Worker>,
    pub worker_ready: bool,
    /// The analyze message, held until the worker says it is ready.
    pub pending: Option<JsValue>,
    pub report: Option<Rc<Report>>,
    /// The report with names replaced, and the mapping back (made by the worker with the
    /// report; see `redaction`).
    pub redacted: Option<Rc<Report>>,
    pub mapping: Option<Rc<Mapping>>,
    /// Whether the "Redact names" switch is on.
    pub redact: bool,
}

impl App {
    /// The report the page shows, saves and copies: the redacted one when the switch is on.
    pub fn shown(&self) -> Option<Rc<Report>> {
        if self.redact {
            self.redacted.clone()
        } else {
            self.report.clone()
        }
    }
}

/// The mapping as the worker sends it: the file to save, and the table's rows (pseudonym,
/// kind, originals).
pub struct Mapping {
    pub json: String,
    pub rows: Vec<[String; 3]>,
}

thread_local! {
    static APP: RefCell<App> = RefCell::new(App::default());
}

/// Runs `f` with the app state. Handlers keep the borrow short and do DOM work after it.
pub fn with_app<R>(f: impl FnOnce(&mut App) -> R) -> R {
    APP.with(|app| f(&mut app.borrow_mut()))
}

/// Sends a request to the worker (ignored when none is running).
pub fn send(message: &ToWorker) {
    let worker = with_app(|app| app.worker.clone().filter(|_| app.worker_ready));
    if let Some(worker) = worker {
        let _ = worker.post_message(&to_js(message));
    }
}

/// The path of the file the worker knows for a path on the page (a redacted one when the
/// switch is on): files keep their order in the redacted copy.
pub fn original_path(path: &str) -> String {
    with_app(|app| {
        let (Some(report), Some(redacted), true) = (&app.report, &app.redacted, app.redact) else {
            return path.to_string();
        };
        redacted
            .files
            .iter()
            .position(|f| f.path == path)
            .and_then(|i| report.files.get(i))
            .map_or_else(|| path.to_string(), |f| f.path.clone())
    })
}
