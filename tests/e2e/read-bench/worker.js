// Reads every file through a BYOB reader in 8 MiB slices, as src/web/scan.rs does, copying each
// slice out as wasm-bindgen's copy_to does; nothing else.
onmessage = async (e) => {
  const SLICE = 8 * 1024 * 1024;
  const t0 = performance.now();
  let bytes = 0, sum = 0;
  const out = new Uint8Array(SLICE);
  for (const file of e.data) {
    const reader = file.stream().getReader({ mode: 'byob' });
    let buffer = new ArrayBuffer(SLICE);
    for (;;) {
      let filled = 0, ended = false;
      while (filled < SLICE && !ended) {
        const { done, value } = await reader.read(new Uint8Array(buffer, filled, SLICE - filled));
        ended = done;
        if (value) { buffer = value.buffer; filled += value.byteLength; }
      }
      out.set(new Uint8Array(buffer, 0, filled));
      sum += out[0];
      bytes += filled;
      if (ended) break;
    }
  }
  postMessage({ bytes, ms: performance.now() - t0, sum });
};
