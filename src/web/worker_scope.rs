//! A worker's side of the messaging, below both the analysis worker (`worker.rs`) and the
//! scanning it spreads over helpers (`parallel.rs`): its global scope, a message posted to the
//! page, and how much WebAssembly memory it holds.

use super::protocol::{to_js, FromWorker};
use wasm_bindgen::JsCast;
use web_sys::DedicatedWorkerGlobalScope;

pub fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

pub fn post(message: &FromWorker) {
    let _ = scope().post_message(&to_js(message));
}

/// The size of this worker's WebAssembly memory (it only grows).
pub fn wasm_memory_bytes() -> f64 {
    let memory = wasm_bindgen::memory().unchecked_into::<js_sys::WebAssembly::Memory>().buffer();
    memory.unchecked_into::<js_sys::ArrayBuffer>().byte_length() as f64
}
