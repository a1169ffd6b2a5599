// Packs the page Trunk built into dist/ into one self-contained file, dist/nbtriage.html, that
// opens from disk (file://) with no network and no web server: both WebAssembly modules embedded
// gzip-compressed in base64, wasm-bindgen's glue and the loaders inline, the styles inline. Its
// Content-Security-Policy allows inline code only by hash, workers only from blob: URLs, and no
// connection at all. Writes dist/nbtriage.html.sha256 and prints the sizes and the SHA-256.
// Node's standard library only.   node www/pack.mjs [DIST]
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = process.argv[2] ?? join(root, 'dist');
const text = (path) => readFileSync(path, 'utf8');
const fail = (message) => { console.error(`www/pack.mjs: ${message}`); process.exit(1); };
const sha256 = (data, encoding) => createHash('sha256').update(data).digest(encoding);
const hash = (source) => `'sha256-${sha256(source, 'base64')}'`;
const kb = (n) => `${Math.round(n / 1000).toLocaleString('en')} KB`;

/** `from` replaced by `to` (a string is taken literally), where `from` must match `count` times. */
function replace(source, from, to, what, count = 1) {
  const found = source.match(new RegExp(from.source, from.flags.includes('g') ? from.flags : `${from.flags}g`))?.length ?? 0;
  if (found !== count) fail(`expected ${count} ${what}, found ${found}`);
  return source.replace(from, typeof to === 'string' ? () => to : to);
}

/** Code or style text that is safe inside its element: nothing in it can end the element early. */
function inert(source, what) {
  if (/<\/(script|style)|<!--/i.test(source)) fail(`${what} holds "</script", "</style" or "<!--"`);
  return source;
}

const version = /^\[package\][^[]*?^version\s*=\s*"([^"]+)"/ms.exec(text(join(root, 'Cargo.toml')))?.[1] ?? fail('no version in Cargo.toml');

// The page module's glue (wasm-bindgen --target web) becomes part of one inline module script:
// its exports become plain declarations, its default export (the async init) `nbtriageInit`.
let glue = text(join(dist, 'app.js'));
const init = /^export \{[^}]*\b(\w+) as default\b[^}]*\};?$/m.exec(glue)?.[1] ?? /^export default (\w+);$/m.exec(glue)?.[1];
if (!init) fail('app.js has no default export (the async init)');
glue = glue.replace(/^export default \w+;$/m, '').replace(/^export \{[^}]*\};?$/gm, '');
glue = `${glue.replace(/^export (?=(async )?(function|class|const|let) )/gm, '')}\nconst nbtriageInit = ${init};\n`;
if (/^\s*(export|import)\b/m.test(glue)) fail('app.js has an import or export this packer does not know');
const pageScript = inert(`${glue}\n${text(join(root, 'www/single-file/boot.js'))}`, 'the page script');
const checkScript = inert(text(join(root, 'www/check.js')), 'www/check.js');
const workerSource = inert(`${text(join(dist, 'worker.js'))}\n${text(join(root, 'www/single-file/worker_boot.js'))}`, 'the worker script');
const style = inert(text(join(root, 'www/style.css')), 'www/style.css');

const wasm = {};
for (const [id, file] of [['page-wasm', 'app_bg.wasm'], ['worker-wasm', 'worker_bg.wasm']]) {
  const raw = readFileSync(join(dist, file));
  const packed = gzipSync(raw, { level: 9 });
  wasm[id] = { file, raw: raw.length, gzip: packed.length, base64: packed.toString('base64').match(/.{1,120}/g).join('\n') };
}

const csp = [
  "default-src 'none'",
  `script-src ${hash(checkScript)} ${hash(pageScript)} 'wasm-unsafe-eval'`,
  `style-src ${hash(style)}`,
  'img-src data:',
  "connect-src 'none'",
  'worker-src blob:',
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

let html = text(join(root, 'www/index.html'));
html = replace(html, /[ \t]*<!--[\s\S]*?-->\n?/g, '', 'comments in www/index.html', (html.match(/<!--/g) ?? []).length);
html = replace(html, /[ \t]*<link data-trunk[^>]*>\n/g, '', 'Trunk links', (html.match(/<link data-trunk/g) ?? []).length);
html = replace(html, /[ \t]*<script[^>]*src="\.\/(boot|check)\.js"><\/script>\n/g, '', 'script files', 2);
html = replace(html, /<!DOCTYPE html>\n/, `<!DOCTYPE html>
<!-- nbtriage ${version}: NetBackup log triage in one file. Open it from disk in Chrome or Edge 96+,
     Firefox 113+ or Safari 16.4+; it needs no web server and makes no connection (see the
     Content-Security-Policy below: no connection, inline code only by hash, workers only from
     blob: URLs). The build prints this file's SHA-256 and writes it to nbtriage.html.sha256. -->
`, 'doctype');
html = replace(html, /<meta http-equiv="Content-Security-Policy" content="[^"]*">/,
  `<meta http-equiv="Content-Security-Policy" content="${csp}">\n  <meta name="generator" content="nbtriage ${version}">`, 'policy');
html = replace(html, /<span id="version">nbtriage<\/span>/, `<span id="version">nbtriage ${version}</span>`, 'version in the footer');
html = replace(html, /<\/head>/, `  <style>${style}</style>\n</head>`, 'head end');
const blocks = Object.entries(wasm).map(([id, w]) =>
  `  <script type="application/octet-stream" id="${id}">\n${w.base64}\n</script>\n`).join('');
html = replace(html, /<\/body>/, `${blocks}  <script type="text/plain" id="worker-js">${workerSource}</script>
  <script>${checkScript}</script>
  <script type="module">${pageScript}</script>
</body>`, 'body end');

const out = join(dist, 'nbtriage.html');
writeFileSync(out, html);
const digest = sha256(html, 'hex');
writeFileSync(`${out}.sha256`, `${digest}  nbtriage.html\n`);
const bytes = Buffer.byteLength(html);
for (const w of Object.values(wasm)) console.log(`${w.file}: ${kb(w.raw)} (gzip ${kb(w.gzip)})`);
console.log(`${relative(process.cwd(), out)}: ${kb(bytes)} (gzip ${kb(gzipSync(html, { level: 9 }).length)}), nbtriage ${version}`);
console.log(`SHA-256 of nbtriage.html: ${digest}`);
