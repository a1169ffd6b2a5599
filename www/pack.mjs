// Packs the page Trunk built into dist/ into one self-contained file, dist/nbtriage.html, that
// opens from disk (file://) with no network and no web server: both WebAssembly modules and the
// worker's code embedded LZMA-compressed in a base-93 text (both below), wasm-bindgen's page
// glue, the LZMA decoder and the loader inline, the styles inline. Its Content-Security-Policy
// allows inline code only by hash, workers only from blob: URLs, and no connection at all. Writes
// dist/nbtriage.html.sha256 and prints the sizes and the SHA-256.
// Node's standard library and python3's (www/lzma_pack.py compresses).
//   node www/pack.mjs [DIST]
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
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
const decoder = text(join(root, 'www/single-file/lzma.js'));
const pageScript = inert(`${glue}\n${decoder}\n${text(join(root, 'www/single-file/boot.js'))}`, 'the page script');
const checkScript = inert(text(join(root, 'www/check.js')), 'www/check.js');
const workerSource = `${text(join(dist, 'worker.js'))}\n${text(join(root, 'www/single-file/worker_boot.js'))}`;
const style = inert(text(join(root, 'www/style.css')), 'www/style.css');

// Base 93: every printable ASCII character but '<' (so nothing can end the block or open a
// comment); 13 bits in two characters, 16/13 of the bytes where base64 takes 16/12. The page's
// loader (www/single-file/boot.js) decodes it; line ends are skipped.
const DIGITS = Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i)).filter((c) => c !== '<').join('');
if (DIGITS.length !== 93) fail('the base-93 digits are not 93');
function base93(bytes) {
  const out = [];
  let acc = 0;
  let bits = 0;
  const put = (v) => out.push(DIGITS[Math.floor(v / 93)], DIGITS[v % 93]);
  for (const byte of bytes) {
    acc = (acc << 8) | byte;
    bits += 8;
    if (bits >= 13) {
      bits -= 13;
      put(acc >>> bits);
      acc &= (1 << bits) - 1;
    }
  }
  if (bits > 0) put(acc << (13 - bits));
  return out.join('').match(/.{1,120}/g).join('\n');
}

// Raw LZMA1 by Python's standard library (www/lzma_pack.py, which chooses the literal and position
// properties by trying a few): 17 to 19% smaller than zopfli's deflate on these modules. The
// page decodes it with www/single-file/lzma.js, which this checks on every block (byte for byte)
// and times. The block records the properties, the uncompressed size and the compressed size.
const lzmaDecode = new Function(`${decoder}\nreturn lzmaDecode;`)();
function compress(bytes, file) {
  const run = spawnSync('python3', [join(root, 'www/lzma_pack.py')], { input: bytes, maxBuffer: 1 << 30 });
  if (run.error?.code === 'ENOENT') fail('python3 is missing: it compresses the single file (www/lzma_pack.py, its standard library\'s lzma)');
  if (run.status !== 0 || run.error) fail(`www/lzma_pack.py failed on ${file}: ${`${run.stderr}`.trim() || run.error?.message || `status ${run.status}`}`);
  const out = run.stdout;
  if (out.length < 13 || Number(out.readBigUInt64LE(5)) !== bytes.length) fail(`www/lzma_pack.py's output for ${file} has no valid header`);
  const props = { lc: out[0] % 9, lp: Math.floor(out[0] / 9) % 5, pb: Math.floor(out[0] / 45), dictSize: out.readUInt32LE(1) };
  const stream = out.subarray(13);
  const started = performance.now();
  const decoded = lzmaDecode(new Uint8Array(stream), props, bytes.length);
  const ms = performance.now() - started;
  if (Buffer.compare(Buffer.from(decoded.buffer, decoded.byteOffset, decoded.length), bytes) !== 0) {
    fail(`www/single-file/lzma.js does not decode ${file} as it was`);
  }
  return { stream, props, ms, lzma: `${props.lc},${props.lp},${props.pb},${props.dictSize}` };
}

const packed = {};
for (const [id, file] of [['page-wasm', 'app_bg.wasm'], ['worker-wasm', 'worker_bg.wasm']]) {
  const raw = readFileSync(join(dist, file));
  packed[id] = { file, raw, gzip: gzipSync(raw, { level: 9 }).length, ...compress(raw, file) };
}
// The worker's code (wasm-bindgen's no-modules glue and the loader) is only ever a Blob's text.
packed['worker-js'] = { file: 'worker.js', raw: Buffer.from(workerSource) };
Object.assign(packed['worker-js'], compress(packed['worker-js'].raw, 'worker.js'));
for (const p of Object.values(packed)) p.text = base93(p.stream);

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
const blocks = Object.entries(packed).map(([id, p]) => `  <script type="application/octet-stream" id="${id}" ` +
  `data-lzma="${p.lzma}" data-size="${p.raw.length}" data-bytes="${p.stream.length}">\n${p.text}\n</script>\n`).join('');
html = replace(html, /<\/body>/, `${blocks}  <script>${checkScript}</script>
  <script type="module">${pageScript}</script>
</body>`, 'body end');

const out = join(dist, 'nbtriage.html');
writeFileSync(out, html);
const digest = sha256(html, 'hex');
writeFileSync(`${out}.sha256`, `${digest}  nbtriage.html\n`);
const bytes = Buffer.byteLength(html);
for (const p of Object.values(packed)) {
  console.log(`${p.file}: ${kb(p.raw.length)}${p.gzip ? ` (gzip -9 ${kb(p.gzip)})` : ''}, embedded ${kb(p.stream.length)} ` +
    `(${p.stream.length.toLocaleString('en')} bytes) LZMA lc=${p.props.lc} lp=${p.props.lp} pb=${p.props.pb}, ` +
    `${kb(p.text.length)} in base 93; decoded in ${Math.round(p.ms)} ms in node`);
}
console.log(`${relative(process.cwd(), out)}: ${kb(bytes)} (gzip ${kb(gzipSync(html, { level: 9 }).length)}), nbtriage ${version}`);
console.log(`SHA-256 of nbtriage.html: ${digest}`);
