// nbtriage.html's loader (packed by www/pack.mjs after wasm-bindgen's glue for the page module, in
// the same inline module script). The two WebAssembly modules and the worker's code are embedded
// deflate-compressed, in base 93 (www/pack.mjs), in inert data blocks (<script
// type="application/octet-stream">, never run). Nothing is fetched: the page makes no connection.
// A page opened from disk cannot start workers from files, so the analysis worker starts from a
// Blob URL of its code and is handed the compiled worker module (see src/web/spawn.rs).
(async () => {
  if (window.nbtriageUnsupported) return; // www/check.js has said why
  // Base 93: printable ASCII but '<', 13 bits in two characters; other characters (line ends) skipped.
  const digit = new Int8Array(128).fill(-1);
  for (let c = 33, d = 0; c < 127; c++) if (c !== 60) digit[c] = d++;
  const unpack = (id) => {
    const block = document.getElementById(id);
    const text = block.textContent;
    const bytes = new Uint8Array(Number(block.dataset.bytes));
    let acc = 0;
    let bits = 0;
    let high = -1;
    let n = 0;
    for (let i = 0; i < text.length && n < bytes.length; i++) {
      const d = digit[text.charCodeAt(i)];
      if (d === undefined || d < 0) continue;
      if (high < 0) {
        high = d;
        continue;
      }
      acc = (acc << 13) | (high * 93 + d);
      bits += 13;
      high = -1;
      while (bits >= 8 && n < bytes.length) {
        bits -= 8;
        bytes[n++] = acc >>> bits;
        acc &= (1 << bits) - 1;
      }
    }
    if (n !== bytes.length) throw new Error(`the block ${id} is damaged`);
    return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate')));
  };
  try {
    // Always the asynchronous compile: Chromium refuses synchronous ones over 8 MB on the page.
    // The worker module compiles while the page starts; a worker started before it is ready
    // gets it when it is (messages wait for the worker).
    const worker = unpack('worker-wasm').arrayBuffer().then((bytes) => WebAssembly.compile(bytes));
    worker.catch(() => {}); // said below, once the page has started
    const source = await unpack('worker-js').text();
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    window.nbtriageWorker = () => {
      const started = new Worker(url);
      worker.then((module) => started.postMessage({ module, source }), (error) => started.postMessage({ error: `${error}` }));
      return started;
    };
    await nbtriageInit({ module_or_path: await unpack('page-wasm').arrayBuffer() });
    await worker;
  } catch (error) {
    const root = document.getElementById('app');
    const box = document.getElementById('error');
    root.dataset.state = 'error';
    box.hidden = false;
    box.textContent = `The page could not start: ${error}.`;
  }
})();
