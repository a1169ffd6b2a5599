// nbtriage.html's worker loader (packed by www/pack.mjs after wasm-bindgen's no-modules glue for
// the worker, as one text block the page starts from a Blob URL). Its first message brings the
// compiled WebAssembly and this code's own text; it defines `nbtriageWorker()` for its helpers,
// started from a Blob URL of its own (a worker of a page opened from disk cannot use the page's),
// then starts the WebAssembly, which takes over the messages and posts `ready`. A failure to
// start (or to compile the module, on the page) is posted as an error: a rejected promise alone
// would leave the page waiting.
self.onmessage = (event) => {
  const { module, source, error } = event.data;
  if (error) {
    postMessage({ error: { message: `The analysis code could not load: ${error}` } });
    return;
  }
  let url;
  self.nbtriageWorker = () => {
    url = url || URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    const started = new Worker(url);
    started.postMessage({ module, source });
    return started;
  };
  wasm_bindgen({ module_or_path: module }).catch((e) => {
    postMessage({ error: { message: `The analysis code could not load: ${e}` } });
  });
};
