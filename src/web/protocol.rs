//! Messages between the page and its worker. The one message that carries `File` objects
//! (`analyze`) is built by hand, since serde cannot carry them; the rest go through
//! serde-wasm-bindgen.

use crate::report::Report;
use crate::viewer::{Filter, Histogram, ShownLine};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

/// Page → worker.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ToWorker {
    /// Show the lines `filter` (and, when given, `text`) selects; the worker answers `View`.
    View { filter: Filter, text: Option<String> },
    /// Lines `start..start + count` of view `view`.
    Rows { view: u32, start: u32, count: u32 },
    /// Where a file's line (1-based) is in the current view.
    Locate { path: String, line: u32 },
    /// The next or previous error line after (before) position `from`; from the start (end)
    /// when `from` is `None`.
    NextError { from: Option<u32>, forward: bool },
    /// The next or previous line holding `text`, in the same way.
    Find { text: String, from: Option<u32>, forward: bool },
}

/// Worker → page.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum FromWorker {
    Ready,
    Progress { done_bytes: f64, total_bytes: f64, file: String, files_done: u32, files_total: u32, elapsed_ms: f64 },
    Done { report: Box<Report>, histogram: Option<Histogram>, lines: u64 },
    /// A new view: its id, length, and the filter it shows (the worker may reset the filter
    /// to find a line).
    View { view: u32, length: u32, filter: Filter, text: Option<String> },
    Rows { view: u32, start: u32, lines: Vec<ShownLine> },
    /// An answer to `Locate`, `NextError` or `Find`: a position in view `view`, if any.
    Position { view: u32, index: Option<u32>, line: Option<u32>, path: Option<String> },
    Error { message: String },
}

pub fn to_js<T: Serialize>(value: &T) -> JsValue {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::NULL)
}

pub fn from_js<T: for<'de> Deserialize<'de>>(value: JsValue) -> Result<T, String> {
    serde_wasm_bindgen::from_value(value).map_err(|e| e.to_string())
}
