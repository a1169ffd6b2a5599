// nbtriage.html's loader (packed by www/pack.mjs after wasm-bindgen's glue for the page module and
// the LZMA decoder, www/single-file/lzma.js, in the same inline module script). The two WebAssembly
// modules and the worker's code are embedded LZMA-compressed, in base 93 (www/pack.mjs), in inert
// data blocks (<script type="application/octet-stream">, never run). Nothing is fetched: the page
// makes no connection.
// A page opened from disk cannot start workers from files, so the analysis worker starts from a
// Blob URL of its code and is handed the compiled worker module (see src/web/spawn.rs).
(async () => {
  if (window.nbtriageUnsupported) return; // www/check.js has said why
  // Base 93: printable ASCII but '<', 13 bits in two characters; other characters (line ends) skipped.
  const digit = new Int8Array(128).fill(-1);
  for (let c = 33, d = 0; c < 127; c++) if (c !== 60) digit[c] = d++;
  // A block's bytes, decoded (synchronously: about 0.3 s for all three in Chromium, timed as
  // `performance` measures named `nbtriage unpack <id>`).
  const unpack = (id) => {
    const started = performance.now();
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
    const [lc, lp, pb, dictSize] = block.dataset.lzma.split(',').map(Number);
    const unpacked = lzmaDecode(bytes, { lc, lp, pb, dictSize }, Number(block.dataset.size));
    performance.measure(`nbtriage unpack ${id}`, { start: started });
    return unpacked;
  };
  try {
    // Always the asynchronous compile: Chromium refuses synchronous ones over 8 MB on the page.
    // The worker module (the largest block, about two thirds of the decoding) is decoded once the
    // page has started, in a task of its own (the browser may paint first), and compiled; a worker
    // started before it is ready gets it when it is (messages wait for the worker).
    let pageStarted;
    const worker = new Promise((resolve) => { pageStarted = resolve; })
      .then(() => new Promise((resolve) => setTimeout(resolve)))
      .then(() => WebAssembly.compile(unpack('worker-wasm')));
    worker.catch(() => {}); // said below, once the page has started
    const source = new TextDecoder().decode(unpack('worker-js'));
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    window.nbtriageWorker = () => {
      const started = new Worker(url);
      worker.then((module) => started.postMessage({ module, source }), (error) => started.postMessage({ error: `${error}` }));
      return started;
    };
    await nbtriageInit({ module_or_path: unpack('page-wasm') });
    pageStarted();
    await worker;
  } catch (error) {
    const root = document.getElementById('app');
    const box = document.getElementById('error');
    root.dataset.state = 'error';
    box.hidden = false;
    box.textContent = `The page could not start: ${error}.`;
  }
})();
