// Starts the analysis worker: wasm-bindgen's no-modules glue, then its WebAssembly. Paths are
// relative to this script, so the page works under any path of any static server.
importScripts('./worker.js');
wasm_bindgen({ module_or_path: './worker_bg.wasm' });
