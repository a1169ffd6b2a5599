// nbtriage.html's loader (packed by www/pack.mjs after wasm-bindgen's glue for the page module, in
// the same inline module script). The two WebAssembly modules are embedded gzip-compressed, in
// base64, in inert data blocks (<script type="application/octet-stream">, never run); the
// worker's code is in a text block. Nothing is fetched: the page makes no connection at all.
// A page opened from disk cannot start workers from files, so the analysis worker starts from a
// Blob URL of its code and is handed the compiled worker module (see src/web/spawn.rs).
(async () => {
  if (window.nbtriageUnsupported) return; // www/check.js has said why
  const block = (id) => document.getElementById(id).textContent;
  const unpack = (id) => {
    const base64 = atob(block(id));
    const bytes = new Uint8Array(base64.length);
    for (let i = 0; i < base64.length; i++) bytes[i] = base64.charCodeAt(i);
    return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer();
  };
  try {
    // Always the asynchronous compile: Chromium refuses synchronous ones over 8 MB on the page.
    // The worker module compiles while the page starts; a worker started before it is ready
    // gets it when it is (messages wait for the worker).
    const worker = unpack('worker-wasm').then((bytes) => WebAssembly.compile(bytes));
    const source = block('worker-js');
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    window.nbtriageWorker = () => {
      const started = new Worker(url);
      worker.then((module) => started.postMessage({ module, source }), (error) => started.postMessage({ error: `${error}` }));
      return started;
    };
    worker.catch(() => {}); // said below, once the page has started
    await nbtriageInit({ module_or_path: await unpack('page-wasm') });
    await worker;
  } catch (error) {
    const root = document.getElementById('app');
    const box = document.getElementById('error');
    root.dataset.state = 'error';
    box.hidden = false;
    box.textContent = `The page could not start: ${error}.`;
  }
})();
