// A static file server for dist/, bound to 127.0.0.1. It logs every request it serves, and can
// send .wasm with a wrong MIME type to check that the page still loads.
//   node serve.mjs [--port 8080] [--root ../../dist] [--wrong-wasm-mime]
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.json': 'application/json', '.png': 'image/png',
};

export function serve({ root, port = 0, wrongWasmMime = false }) {
  const base = resolve(root);
  const served = [];
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = normalize(join(base, path));
    if (!file.startsWith(base)) { res.writeHead(403).end(); return; }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      let type = TYPES[extname(file)] ?? 'application/octet-stream';
      if (wrongWasmMime && file.endsWith('.wasm')) type = 'application/octet-stream';
      served.push(path);
      res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise((ok) => server.listen(port, '127.0.0.1', () => ok({
    url: `http://127.0.0.1:${server.address().port}/`, served, close: () => server.close(),
  })));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : fallback; };
  const here = fileURLToPath(new URL('.', import.meta.url));
  const { url } = await serve({
    root: arg('--root', join(here, '../../dist')),
    port: Number(arg('--port', 8080)),
    wrongWasmMime: process.argv.includes('--wrong-wasm-mime'),
  });
  console.log(`nbtriage is served at ${url} (Ctrl-C to stop)`);
}
