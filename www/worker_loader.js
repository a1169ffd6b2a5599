// Starts the analysis worker: wasm-bindgen's no-modules glue, then its WebAssembly. Paths are
// relative to this script, so the page works under any path of any static server. A failure to
// load is posted as an error message: a rejected promise alone would leave the page waiting.
importScripts('./worker.js');
wasm_bindgen({ module_or_path: './worker_bg.wasm' }).catch((e) => {
  postMessage({ error: { message: `The analysis code could not load: ${e}` } });
});
