//! Starting the analysis worker: from the page (the coordinator), and from the coordinator (its
//! helpers).
//!
//! Served over http(s), the worker's script is `worker_loader.js` beside the page. The
//! single-file page (`dist/nbtriage.html`, made by `www/pack.mjs`) has nothing beside it: its
//! loader defines a global `nbtriageWorker()` that starts the same code from a Blob URL and
//! hands it the compiled WebAssembly, and every worker started that way defines it again for its
//! own helpers (a page opened from disk has an opaque origin, and its workers cannot start
//! workers from the page's Blob URLs: only from their own).

use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Worker;

/// Starts one analysis worker. It posts `ready` when its WebAssembly has started, or an `error`
/// message saying why it could not.
pub fn worker() -> Result<Worker, JsValue> {
    match Reflect::get(&js_sys::global(), &"nbtriageWorker".into())?.dyn_into::<Function>() {
        Ok(embedded) => Ok(embedded.call0(&JsValue::UNDEFINED)?.unchecked_into()),
        Err(_) => Worker::new("./worker_loader.js"),
    }
}
