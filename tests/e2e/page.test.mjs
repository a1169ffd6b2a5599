// End-to-end tests of the built page (dist/) in Debian's headless Chromium, driven by
// playwright-core. Run by tests/run-all after `trunk build`; screenshots go to artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, readdir, writeFile, rm } from 'node:fs/promises';
import { createWriteStream, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchChromium } from './browser.mjs';
import { serve } from './serve.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
const dist = join(root, 'dist');
const seed = join(root, 'tests/bundles/seed-technote');
const artifacts = join(here, 'artifacts');
// The single file, opened from disk as an admin would: no web server, no network.
const single = pathToFileURL(join(dist, 'nbtriage.html')).href;
const seedFiles = ['media01/bpbrm/060311.log', 'myclient/bpcd/060311.log', 'myclient/vnetd/060311.log'];

let browser;
let server;
let scratch;

before(async () => {
  await mkdir(artifacts, { recursive: true });
  scratch = await mkdtemp(join(tmpdir(), 'nbtriage-e2e-'));
  server = await serve({ root: dist });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** A fresh page with every request, console error and dialog recorded. `init` runs in the page
 * before its own scripts; `state` is the state to wait for. */
async function open(options = {}, url = server.url, { init, state = 'idle' } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  const seen = { requests: [], errors: [], dialogs: [] };
  context.on('request', (r) => seen.requests.push(r.url()));
  page.on('pageerror', (e) => seen.errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') seen.errors.push(m.text()); });
  page.on('dialog', async (d) => { seen.dialogs.push(d.message()); await d.dismiss(); });
  await page.goto(url);
  await page.waitForSelector(`#app[data-state="${state}"]`);
  return { page, context, seen };
}

async function done(page) {
  await page.waitForSelector('#app[data-state="done"], #app[data-state="error"]', { timeout: 60_000 });
  assert.equal(await page.getAttribute('#app', 'data-state'), 'done', await page.textContent('#error'));
}

async function seedDiagnosisIsRight(page) {
  const pbx = page.locator('.card[data-rule="pbx-connect-timeout"]');
  assert.equal(await pbx.getAttribute('data-severity'), 'critical');
  assert.equal(await pbx.getAttribute('data-count'), '2');
  assert.equal(Number(await pbx.getAttribute('data-total-wait-s')), 20);
  assert.equal(await pbx.getAttribute('data-source-ip'), '2.2.2.2');
  assert.equal(await pbx.getAttribute('data-target-ip'), '3.3.3.3');
  assert.match(await pbx.locator('h3').textContent(), /port 1556/);
  const socket = page.locator('.card[data-rule="forward-socket-expired"]');
  assert.equal(await socket.getAttribute('data-ipc-port'), '57276');
  assert.equal(await socket.getAttribute('data-timeout-s'), '120');
  // Root cause first.
  assert.equal(await page.locator('.card').first().getAttribute('data-rule'), 'pbx-connect-timeout');
}

test('the sample is one click away and gives the technote diagnosis', async () => {
  const { page, context, seen } = await open();
  await page.click('#try-sample');
  await done(page);
  await seedDiagnosisIsRight(page);
  assert.equal(await page.locator('.tl .mark.wait').count(), 2);
  assert.equal(await page.locator('.tl .mark.socket').count(), 1);
  assert.match(await page.textContent('#clock-note'), /myclient's clock runs 1\.1 s behind/);
  assert.equal(await page.locator('table.files tbody tr').count(), 3);
  await page.screenshot({ path: join(artifacts, 'sample-diagnosis.png'), fullPage: true });
  assert.deepEqual(seen.errors, []);
  await context.close();
});

test('files picked with the file input: same names do not collide, hosts come from the lines', async () => {
  const { page, context } = await open();
  await page.setInputFiles('input[type=file][multiple]:not([webkitdirectory])', seedFiles.map((f) => join(seed, f)));
  await done(page);
  await seedDiagnosisIsRight(page);
  const paths = await page.locator('table.files th.path').allTextContents();
  assert.equal(new Set(paths).size, 3, `paths: ${paths}`);
  const processes = await page.locator('table.files tbody tr td.process').allTextContents();
  assert.deepEqual(processes.sort(), ['bpbrm (from lines)', 'bpcd (from lines)', 'vnetd (from lines)']);
  await context.close();
});

test('a folder picked with the folder input keeps relative paths', async () => {
  const { page, context } = await open();
  await page.setInputFiles('input[type=file][webkitdirectory]', seed);
  await done(page);
  await seedDiagnosisIsRight(page);
  const paths = await page.locator('table.files th.path').allTextContents();
  assert.ok(paths.some((p) => p.endsWith('media01/bpbrm/060311.log')), `paths: ${paths}`);
  const hosts = await page.locator('table.files tbody tr td.host').allTextContents();
  assert.deepEqual([...new Set(hosts)].sort(), ['media01', 'myclient']);
  await context.close();
});

for (const [mode, query] of [['every line\'s time', ''], ['per-block times', '?index=per-block']]) test(`an evidence line opens in the log viewer, highlighted; keys jump between errors (index with ${mode})`, async () => {
  const { page, context } = await open({}, `${server.url}${query}`);
  await page.click('#try-sample');
  await done(page);
  const first = page.locator('.card[data-rule="pbx-connect-timeout"] .evidence-line').first();
  assert.equal(await first.getAttribute('data-open-line'), '5');
  await first.click();
  const selected = page.locator('#viewer-rows .row.selected');
  await selected.waitFor();
  assert.equal(await selected.getAttribute('data-file'), 'media01/bpbrm/060311.log');
  assert.equal(await selected.getAttribute('data-line'), '5');
  assert.match(await selected.textContent(), /connect in progress: 1/);
  await page.screenshot({ path: join(artifacts, 'viewer-evidence.png') });

  // The viewer has focus: `e` jumps to the next error line.
  await page.keyboard.press('e');
  await page.waitForFunction(() => document.querySelector('#viewer-rows .row.selected.error'));
  assert.match(await page.locator('#viewer-rows .row.selected').textContent(), /<16>/);

  // Errors only, then a filter by text.
  await page.selectOption('#f-level', '2');
  await page.waitForFunction(() => /^2 lines shown/.test(document.querySelector('#viewer-status').textContent));
  assert.equal(await page.locator('#viewer-rows .row').count(), 2);
  await page.selectOption('#f-level', '0');
  await page.fill('#f-text', 'SO_ERROR');
  await page.press('#f-text', 'Enter');
  await page.waitForFunction(() => /^5 lines shown/.test(document.querySelector('#viewer-status').textContent));

  // On each host's own clock, the time shown is the one the line itself carries.
  await page.fill('#f-text', '');
  await page.press('#f-text', 'Enter');
  await page.uncheck('#f-aligned');
  await page.waitForFunction(() => /^[\d,]+ lines shown/.test(document.querySelector('#viewer-status').textContent)
    && !document.querySelector('#f-aligned').checked && !document.querySelector('#viewer-rows .loading'));
  const shown = await page.locator('#viewer-rows .row').evaluateAll((rows) => rows.map((r) =>
    [r.querySelector('.time')?.textContent, r.querySelector('.text')?.textContent?.slice(0, 12)]));
  const timed = shown.filter(([, text]) => /^\d\d:\d\d:\d\d\.\d{3}$/.test(text ?? ''));
  assert.ok(timed.length >= 10, `rows: ${JSON.stringify(shown)}`);
  for (const [time, text] of timed) assert.equal(time, text);
  await context.close();
});

test('keyboard only: reach the sample button, run it, move through the log', async () => {
  const { page, context } = await open();
  let focused = '';
  for (let i = 0; i < 10 && focused !== 'try-sample'; i++) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => document.activeElement?.id ?? '');
  }
  assert.equal(focused, 'try-sample');
  await page.keyboard.press('Enter');
  await done(page);
  const button = page.locator('.card[data-rule="forward-socket-expired"] .evidence-line').first();
  await button.focus();
  await page.keyboard.press('Enter');
  await page.locator('#viewer-rows .row.selected').waitFor();
  const before = await page.getAttribute('#viewer-rows .row.selected', 'data-index');
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction((b) => document.querySelector('#viewer-rows .row.selected')?.dataset.index !== b, before);
  await context.close();
});

for (const form of ['served', 'nbtriage.html']) test(`untrusted text shows literally and runs nothing (${form})`, async () => {
  const payloads = ['<script>window.__xss=1</script>', '<img src=x onerror="window.__xss=2">', 'javascript:window.__xss=3', '"><svg onload=window.__xss=4>'];
  // The host folder's name, the file name and the log text all carry payloads.
  const host = '<img src=x onerror=window.__xss=5>';
  const bundle = join(scratch, 'xss');
  for (const f of seedFiles) {
    const target = f.startsWith('media01/') ? join(bundle, host, f.slice('media01/'.length)) : join(bundle, f);
    await mkdir(dirname(target), { recursive: true });
    let text = await readFile(join(seed, f), 'latin1');
    text = text.replaceAll('fd = 1240', `fd = 1240 ${payloads.join(' ')}`);
    await writeFile(target, text, 'latin1');
  }
  await writeFile(join(bundle, 'myclient', '"><svg onload=window.__xss=6>.log'), `17:00:00.000 [1] <16> bpcd main: ${payloads.join(' ')}\n`);

  const { page, context, seen } = await open({}, form === 'served' ? server.url : single);
  await page.setInputFiles('input[type=file][webkitdirectory]', bundle);
  await done(page);
  await page.click('#error-next');
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(artifacts, `xss-${form}.png`), fullPage: true });

  assert.equal(await page.evaluate(() => window.__xss), undefined, 'no payload ran');
  assert.deepEqual(seen.dialogs, []);
  const injected = await page.evaluate(() => {
    const results = document.querySelector('#results');
    const bad = [...results.querySelectorAll('script, img, iframe, object, embed, a[href^="javascript:"]')].length;
    const handlers = [...results.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length;
    return { bad, handlers };
  });
  assert.deepEqual(injected, { bad: 0, handlers: 0 });
  const cards = await page.textContent('#cards');
  assert.ok(cards.includes(payloads[0]) && cards.includes(payloads[1]), 'payloads are shown as text');
  assert.ok((await page.textContent('#files')).includes(host), 'the host name is shown as text');
  await context.close();
});

test('nothing leaves the machine: every request is for the page\'s own files', async () => {
  const { page, context, seen } = await open();
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /connect-src 'self'/);
  await page.click('#try-sample');
  await done(page);
  await page.setInputFiles('input[type=file][webkitdirectory]', seed);
  await done(page);
  await page.locator('.evidence-line').first().click();
  await page.locator('#viewer-rows .row.selected').waitFor();
  const own = new Set((await readdir(dist)).map((f) => `${server.url}${f}`));
  own.add(server.url);
  const foreign = seen.requests.filter((u) => !own.has(u) && !u.startsWith('data:') && !u.startsWith('blob:'));
  assert.deepEqual(foreign, [], 'requests outside the page\'s own files');
  assert.ok(seen.requests.length >= 5, `requests seen: ${seen.requests}`);
  await context.close();
});

test('the served page works under any path: dist/ served from a folder of the site', async () => {
  const site = await serve({ root });
  try {
    const { page, context, seen } = await open({}, `${site.url}dist/?workers=2`);
    await page.click('#try-sample');
    await done(page);
    await seedDiagnosisIsRight(page);
    assert.ok(seen.requests.every((u) => u.startsWith(`${site.url}dist/`) || u.startsWith('blob:')), `${seen.requests}`);
    await context.close();
  } finally {
    site.close();
  }
});

test('the page still loads when the server sends .wasm with the wrong MIME type', async () => {
  const wrong = await serve({ root: dist, wrongWasmMime: true });
  try {
    const { page, context } = await open({}, wrong.url);
    await page.click('#try-sample');
    await done(page);
    await seedDiagnosisIsRight(page);
    await context.close();
  } finally {
    wrong.close();
  }
});

test('analysis code that cannot load is said in plain words, not left spinning', async () => {
  const { page, context } = await open();
  await context.route('**/worker_bg.wasm', (route) => route.fulfill({ status: 404, body: 'gone' }));
  await page.click('#try-sample');
  await page.waitForSelector('#app[data-state="error"]', { timeout: 30_000 });
  assert.match(await page.textContent('#error'), /^The analysis code could not load: /);
  await context.close();
});

test('nbtriage.html: analysis code that cannot compile is said in plain words, not left spinning', async () => {
  const { page, context } = await open({}, single, {
    init: () => { WebAssembly.compile = () => Promise.reject(new Error('no compiling today')); },
    state: 'error',
  });
  assert.equal(await page.textContent('#error'), 'The page could not start: Error: no compiling today.');
  await page.click('#try-sample');
  await page.waitForFunction(() => /could not load/.test(document.querySelector('#error').textContent), null, { timeout: 30_000 });
  assert.equal(await page.textContent('#error'), 'The analysis code could not load: Error: no compiling today');
  assert.equal(await page.getAttribute('#app', 'data-state'), 'error');
  await context.close();
});

test('nbtriage.html unpacks itself (its own LZMA decoder): no DecompressionStream needed', async () => {
  const { page, context, seen } = await open({}, single, { init: () => { delete window.DecompressionStream; } });
  await page.click('#try-sample');
  await done(page);
  await seedDiagnosisIsRight(page);
  // The loader times each block it decodes.
  const unpacked = await page.evaluate(() => performance.getEntriesByType('measure').map((m) => m.name).filter((n) => n.startsWith('nbtriage unpack ')).sort());
  assert.deepEqual(unpacked, ['nbtriage unpack page-wasm', 'nbtriage unpack worker-js', 'nbtriage unpack worker-wasm']);
  assert.deepEqual(seen.errors, []);
  await context.close();
});

test('a scanning worker that fails to load does not stop the analysis', async () => {
  // The coordinator loads worker.js first, then each helper: the first helper's load fails.
  const { page, context } = await open({}, `${server.url}?workers=2`);
  let loads = 0;
  await context.route('**/worker.js', (route) => (++loads === 2 ? route.abort('connectionreset') : route.continue()));
  await page.click('#try-sample');
  await done(page);
  assert.ok(loads >= 3, `worker.js loads: ${loads}`);
  await seedDiagnosisIsRight(page);
  await context.close();
});

test('a large file shows progress, and cancel stops the analysis', async () => {
  const big = join(scratch, 'media01', 'bpbrm', '060311.log');
  await mkdir(dirname(big), { recursive: true });
  const line = '17:00:00.000 [1660.4296] <2> bpbrm write_data: waited for full buffer 123 times, delayed 456 times\n';
  const block = line.repeat(10_000);
  const out = createWriteStream(big);
  for (let i = 0; i < 300; i++) out.write(block);
  await new Promise((ok) => out.end(ok));

  const { page, context } = await open();
  await page.setInputFiles('input[type=file][multiple]:not([webkitdirectory])', big);
  await page.waitForFunction(() => /Reading \d+% – \d+ MiB\/s/.test(document.querySelector('#progress-text').textContent), null, { timeout: 30_000 });
  // Overall and for the file being read.
  assert.match(await page.textContent('#progress-text'),
    /^Reading \d+% – \d+ MiB\/s \([\d.]+ (?:bytes|KiB|MiB) of 283\.2 MiB; 0 of 1 file done\)\. Now: 060311\.log, \d+%$/);
  await page.screenshot({ path: join(artifacts, 'progress.png') });
  await page.click('#cancel');
  assert.equal(await page.getAttribute('#app', 'data-state'), 'idle');
  await page.waitForTimeout(1500);
  assert.equal(await page.getAttribute('#app', 'data-state'), 'idle', 'a cancelled analysis does not come back');
  assert.equal(await page.isHidden('#results'), true);

  // The same file, left to finish: the page reports it and stays usable.
  await page.setInputFiles('input[type=file][multiple]:not([webkitdirectory])', big);
  await done(page);
  assert.equal(await page.locator('table.files tbody tr td.num').first().textContent(), '3,000,000');
  await context.close();
});

/** The CLI, as tests/run-all builds it. */
function cli(args, cwd) {
  const target = process.env.CARGO_TARGET_DIR ?? join(root, 'target');
  const bin = ['release', 'debug'].map((p) => join(target, p, 'nbtriage')).find(existsSync);
  const run = spawnSync(bin, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout;
}

async function savedJson(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-json')]);
  assert.equal(download.suggestedFilename(), 'nbtriage-report.json');
  return readFile(await download.path(), 'utf8');
}

test('a list past the browser\'s height cap: a jump shows the line it names, selected, in view', async () => {
  // 2,000,000 rows of 20 px are five times the 8,000,000 px the viewer scrolls unscaled: a row
  // is then 4 px of scroll, and a jump placed in pixels lands 30 rows off. One error line at 70%.
  const big = join(scratch, 'tall', 'media01', 'bpbrm', '060311.log');
  await mkdir(dirname(big), { recursive: true });
  const out = createWriteStream(big);
  const rows = 2_000_000;
  const errorAt = 1_400_000;
  for (let start = 0; start < rows; start += 10_000) {
    let block = '';
    for (let i = start; i < start + 10_000; i++) {
      const ms = String(i % 1000).padStart(3, '0');
      const s = String(Math.floor(i / 1000) % 60).padStart(2, '0');
      const m = String(Math.floor(i / 60_000) % 60).padStart(2, '0');
      const h = String(10 + Math.floor(i / 3_600_000)).padStart(2, '0');
      block += i === errorAt
        ? `${h}:${m}:${s}.${ms} [1660] <16> bpbrm main: ERR - the one error line\n`
        : `${h}:${m}:${s}.${ms} [1660] <2> bpbrm r ${i}\n`;
    }
    out.write(block);
  }
  await new Promise((ok) => out.end(ok));
  const { page, context, seen } = await open();
  await page.setInputFiles('#pick-folder', join(scratch, 'tall'));
  await page.waitForSelector('#app[data-state="done"]', { timeout: 120_000 });
  await page.waitForFunction(() => /^2,000,000 lines shown/.test(document.querySelector('#viewer-status').textContent));
  await page.locator('#viewer').focus();
  await page.keyboard.press('e');
  await page.waitForFunction(() => document.querySelector('#viewer-rows .row.selected'), null, { timeout: 30_000 });
  const selected = page.locator('#viewer-rows .row.selected');
  assert.equal(await selected.getAttribute('data-line'), String(errorAt + 1));
  assert.match(await selected.textContent(), /the one error line/);
  const [row, list] = await Promise.all([selected.boundingBox(), page.locator('#viewer').boundingBox()]);
  assert.ok(row.y >= list.y && row.y + row.height <= list.y + list.height, `the selected row is in view: ${JSON.stringify([row, list])}`);
  assert.deepEqual(seen.errors, []);
  await context.close();
});

test("one worker or one per core, the page's report is the CLI's, byte for byte", async () => {
  cli(['generate', '--seed', '5', '--size', '12MiB', join(scratch, 'gen')], root);
  const reports = [];
  for (const workers of [1, 0]) {
    const { page, context } = await open({}, `${server.url}?workers=${workers}`);
    await page.setInputFiles('input[type=file][webkitdirectory]', join(scratch, 'gen'));
    await done(page);
    assert.equal(await page.locator('.card[data-rule="pbx-connect-timeout"]').count(), 2);
    reports.push(await savedJson(page));
    await context.close();
  }
  assert.equal(reports[0], reports[1], 'the number of workers changed the report');
  assert.equal(reports[0], cli(['analyze', '--format', 'json', 'gen'], scratch), 'the page and the CLI disagree');
  const parsed = JSON.parse(reports[0]);
  assert.equal(parsed.findings.length, 3);
});

/** A ustar archive of [{ name, data }], as `tar` writes it. */
function tar(files) {
  const blocks = [];
  for (const { name, data } of files) {
    const header = Buffer.alloc(512);
    header.write(name, 0);
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
    header.write('14700000000\0', 136);
    header.write('0', 156);
    header.write('ustar\0', 257);
    header.write('00', 263);
    header.fill(' ', 148, 156);
    const sum = header.reduce((a, b) => a + b, 0);
    header.write(`${sum.toString(8).padStart(6, '0')}\0`, 148);
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

test('an archive of 2,000 small files: every file listed, counts written for people', async () => {
  const files = Array.from({ length: 2000 }, (_, i) => ({
    name: `host${i % 7}/bpcd/log.1125${String(i % 10).padStart(2, '0')}.${i}`,
    data: Buffer.from(`10:00:00.${String(i % 1000).padStart(3, '0')} [123] <2> bpcd main: line ${i}\n`),
  }));
  await writeFile(join(scratch, 'many.tar.gz'), gzipSync(tar(files)));
  const { page, context } = await open();
  await page.setInputFiles('input[type=file][multiple]:not([webkitdirectory])', join(scratch, 'many.tar.gz'));
  await done(page);
  assert.equal(await page.locator('table.files tbody tr').count(), 2001, 'the archive and each of its files');
  assert.match(await page.textContent('#verdict .scope'), /^Read 2,000 files \(from an archive\): 2,000 NetBackup logs from 7 hosts/);
  await context.close();
});

test("a .tar.gz of the case gives the files' diagnosis, with evidence text, and the CLI's report", async () => {
  const files = await Promise.all(seedFiles.map(async (name) => ({ name, data: await readFile(join(seed, name)) })));
  await writeFile(join(scratch, 'case.tar.gz'), gzipSync(tar(files)));
  const { page, context, seen } = await open();
  await page.setInputFiles('input[type=file][multiple]:not([webkitdirectory])', join(scratch, 'case.tar.gz'));
  await done(page);
  await seedDiagnosisIsRight(page);
  const evidence = page.locator('.card[data-rule="pbx-connect-timeout"] .evidence-line').first();
  assert.match(await evidence.textContent(), /connect in progress/);
  assert.equal(await page.locator('[data-format="archive"]').count(), 1, 'the archive is listed in the files panel');
  // Its files are in the log viewer: the evidence line opens there (archives.test.mjs has more).
  await evidence.click();
  const selected = page.locator('#viewer-rows .row.selected');
  await selected.waitFor();
  assert.equal(await selected.getAttribute('data-file'), 'case.tar.gz/media01/bpbrm/060311.log');
  assert.match(await selected.textContent(), /connect in progress/);
  await page.screenshot({ path: join(artifacts, 'archive-diagnosis.png'), fullPage: true });
  assert.equal(await savedJson(page), cli(['analyze', '--format', 'json', 'case.tar.gz'], scratch));
  assert.deepEqual(seen.errors, []);
  await context.close();
});

test('pasted Job Details text is recognized and listed as Job Details', async () => {
  const { page, context, seen } = await open();
  await page.click('#paste-box summary');
  await page.fill('#paste-text', [
    '05/02/2013 22:21:52 - Critical bptm (pid=5186) sts_close_handle failed: 2060017 system call failed',
    '05/02/2013 22:23:34 - end writing; write time: 3:32:21 media close error  (87)',
    '<img src=x onerror="window.pwned=1">',
  ].join('\n'));
  await page.click('#analyze-paste');
  await done(page);
  const row = page.locator('#files-section tr[data-format="job-details"]');
  assert.equal(await row.count(), 1);
  assert.match(await row.textContent(), /Job Details/);
  assert.match(await row.textContent(), /2013-05-02 22:21:52/);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.deepEqual(seen.errors, []);
  await context.close();
});


test('the arrow keys keep the selected log line in the window, not only in the list', async () => {
  const { page, context, seen } = await open({ viewport: { width: 1280, height: 700 } });
  await page.click('#try-sample');
  await done(page);
  await page.waitForSelector('#viewer-rows .row[data-line]');
  // The list's top 100 px in the window, the rest of it below the fold; focus without scrolling.
  await page.evaluate(() => {
    const list = document.querySelector('#viewer');
    window.scrollTo(0, list.getBoundingClientRect().top + window.scrollY - window.innerHeight + 100);
    list.focus({ preventScroll: true });
  });
  assert.ok(await page.evaluate(() => document.querySelector('#viewer').getBoundingClientRect().bottom > window.innerHeight), 'the list reaches past the window');
  await page.keyboard.press('Home');
  for (let i = 0; i <= 30; i++) {
    if (i > 0) await page.keyboard.press('ArrowDown');
    await page.waitForSelector(`#viewer-rows .row.selected[data-index="${i}"]`);
    const place = await page.evaluate(() => {
      const r = document.querySelector('#viewer-rows .row.selected').getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, height: window.innerHeight };
    });
    assert.ok(place.top >= 0 && place.bottom <= place.height + 0.5, `row ${i} is out of the window: ${JSON.stringify(place)}`);
  }
  // And back up: the page follows the selection the other way too.
  await page.evaluate(() => window.scrollBy(0, 400));
  for (let i = 29; i >= 20; i--) {
    await page.keyboard.press('ArrowUp');
    await page.waitForSelector(`#viewer-rows .row.selected[data-index="${i}"]`);
    const place = await page.evaluate(() => {
      const r = document.querySelector('#viewer-rows .row.selected').getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, height: window.innerHeight };
    });
    assert.ok(place.top >= -0.5 && place.bottom <= place.height + 0.5, `row ${i} is out of the window: ${JSON.stringify(place)}`);
  }
  assert.deepEqual(seen.errors, []);
  await context.close();
});

test('timeline marks: one tab stop each, and a ring on the one with keyboard focus', async () => {
  const { page, context, seen } = await open();
  await page.click('#try-sample');
  await done(page);
  const marks = await page.locator('.tl .mark').count();
  assert.ok(marks >= 3, `marks: ${marks}`);
  // Reach the first mark by keyboard: focus it, step back, step forward.
  await page.locator('.tl .mark').first().evaluate((m) => m.focus());
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  const stops = [];
  for (let i = 0; i < marks + 1; i++) {
    stops.push(await page.evaluate(() => {
      const e = document.activeElement;
      const all = [...document.querySelectorAll('.tl .mark')];
      return e?.matches('.tl .mark') ? all.indexOf(e) : `${e?.tagName}#${e?.id}.${e?.getAttribute('class')}`;
    }));
    if (i === 0) {
      const ring = await page.evaluate(() => {
        const shape = document.activeElement.querySelector('rect, path');
        const style = getComputedStyle(shape);
        return { focusVisible: document.activeElement.matches(':focus-visible'), width: style.strokeWidth, colour: style.stroke };
      });
      assert.equal(ring.focusVisible, true);
      assert.equal(ring.width, '4px', JSON.stringify(ring));
      assert.notEqual(ring.colour, 'rgba(0, 0, 0, 0)', JSON.stringify(ring));
      await page.screenshot({ path: join(artifacts, 'timeline-mark-focus.png') });
    }
    await page.keyboard.press('Tab');
  }
  // Each mark once, in order, then out of the timeline.
  assert.deepEqual(stops.slice(0, marks), [...Array(marks).keys()], JSON.stringify(stops));
  assert.equal(typeof stops[marks], 'string', `after the marks: ${stops[marks]}`);
  assert.deepEqual(seen.errors, []);
  await context.close();
});

test('the paste box can be opened again after a result', async () => {
  const { page, context, seen } = await open();
  await page.click('#try-sample');
  await done(page);
  for (const round of [1, 2]) {
    assert.equal(await page.isVisible('#paste-box summary'), true, `round ${round}: the paste box's summary is shown`);
    assert.equal(await page.isVisible('#paste-text'), false, 'folded');
    await page.click('#paste-box summary');
    assert.equal(await page.isVisible('#paste-text'), true, 'unfolded');
    await page.fill('#paste-text', '05/02/2013 22:23:34 - end writing; write time: 3:32:21 media close error  (87)');
    await page.click('#analyze-paste');
    await done(page);
    assert.equal(await page.locator('#files-section tr[data-format="job-details"]').count(), 1);
  }
  assert.deepEqual(seen.errors, []);
  await context.close();
});

test('loose files keep their names: one file picked alone, one file dropped alone', async () => {
  const { page, context, seen } = await open();
  await page.setInputFiles('#pick-files', join(seed, 'media01/bpbrm/060311.log'));
  await done(page);
  assert.deepEqual(await page.locator('table.files th.path').allTextContents(), ['060311.log']);
  const text = await readFile(join(seed, 'myclient/bpcd/060311.log'), 'latin1');
  const transfer = await page.evaluateHandle((text) => {
    const data = new DataTransfer();
    data.items.add(new File([text], 'bpcd myclient 060311.log'));
    return data;
  }, text);
  await page.dispatchEvent('#app', 'drop', { dataTransfer: transfer });
  await page.waitForFunction(() => document.querySelector('table.files th.path')?.textContent === 'bpcd myclient 060311.log', null, { timeout: 60_000 });
  await done(page);
  assert.deepEqual(await page.locator('table.files th.path').allTextContents(), ['bpcd myclient 060311.log']);
  assert.deepEqual(seen.errors, []);
  await context.close();
});

test('nbtriage.html from disk: the sample, a picked folder and dropped files, the CLI\'s report, and no request at all', async () => {
  // Two scanning workers, so that the coordinator starts helpers of its own.
  const { page, context, seen } = await open({ offline: true }, `${single}?workers=2`);
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.match(csp, /(^|; )connect-src 'none'(;|$)/);
  assert.match(csp, /(^|; )worker-src blob:(;|$)/);
  assert.match(csp, /(^|; )default-src 'none'(;|$)/);
  assert.match(csp, /(^|; )script-src ('sha256-[A-Za-z0-9+/=]+' )+'wasm-unsafe-eval'(;|$)/, 'inline code only by hash');
  assert.match(await page.textContent('#version'), /^nbtriage \d+\.\d+\.\d+$/);

  await page.click('#try-sample');
  await done(page);
  await seedDiagnosisIsRight(page);
  assert.equal(await page.locator('table.files tbody tr').count(), 3);
  await page.screenshot({ path: join(artifacts, 'single-file-sample.png'), fullPage: true });

  await page.setInputFiles('input[type=file][webkitdirectory]', seed);
  await done(page);
  await seedDiagnosisIsRight(page);
  await page.locator('.evidence-line').first().click();
  await page.locator('#viewer-rows .row.selected').waitFor();
  const json = await savedJson(page);
  assert.equal(json, cli(['analyze', '--format', 'json', 'seed-technote'], join(root, 'tests/bundles')), 'the page and the CLI disagree');
  assert.equal(JSON.parse(json).version, await page.evaluate(() => document.querySelector('#version').textContent.split(' ')[1]));

  // Files dropped on the page (no folder entries: names only; hosts come from the lines).
  const dropped = await Promise.all(seedFiles.map(async (f) => [f.split('/').pop(), await readFile(join(seed, f), 'latin1')]));
  const transfer = await page.evaluateHandle((files) => {
    const data = new DataTransfer();
    for (const [name, text] of files) data.items.add(new File([text], name));
    return data;
  }, dropped);
  await page.dispatchEvent('#app', 'drop', { dataTransfer: transfer });
  await page.waitForFunction(() => document.querySelectorAll('table.files th.path').length === 3
    && [...document.querySelectorAll('table.files th.path')].every((p) => !p.textContent.includes('/')));
  await done(page);
  await seedDiagnosisIsRight(page);

  // Every worker started from a Blob URL: the page's for the coordinator, the coordinator's own
  // for its helpers. Nothing else was requested: no network, not even another file.
  const page_ = (u) => u.split('?')[0] === single;
  assert.deepEqual(seen.requests.filter((u) => !page_(u) && !u.startsWith('blob:')), [], 'requests besides the file itself');
  const blobs = seen.requests.filter((u) => u.startsWith('blob:'));
  assert.ok(new Set(blobs).size >= 2 && blobs.length >= 6, `workers started: ${blobs}`);
  assert.deepEqual(seen.errors, []);
  // And the policy is enforced: a connection is refused, not just absent.
  const refused = await page.evaluate(() => new Promise((ok) => {
    document.addEventListener('securitypolicyviolation', (e) => ok(e.effectiveDirective), { once: true });
    fetch('http://127.0.0.1:9/').catch(() => {});
  }));
  assert.equal(refused, 'connect-src');
  await context.close();
});

for (const [missing, url, init] of [
  ['Web Workers', () => single, () => { delete window.Worker; }],
  ['WebAssembly SIMD', () => server.url, () => { WebAssembly.validate = () => false; }],
]) test(`a browser without ${missing} is told which browsers work (${missing === 'Web Workers' ? 'nbtriage.html' : 'served page'})`, async () => {
  const { page, context, seen } = await open({}, url(), { init, state: 'unsupported' });
  const message = await page.textContent('#error');
  assert.ok(await page.isVisible('#error'));
  assert.match(message, new RegExp(`^This browser is too old for nbtriage: it lacks [^.]*${missing}`));
  assert.match(message, /Chrome or Edge 96 or later, Firefox 113 or later, and Safari 16\.4 or later\.$/);
  assert.equal(await page.isVisible('#try-sample'), false, 'no button that cannot work');
  assert.equal(await page.evaluate(() => document.querySelector('#skip-link').hidden), true, 'no link to a hidden start');
  if (missing === 'Web Workers') await page.screenshot({ path: join(artifacts, 'old-browser.png') });
  await page.waitForTimeout(300);
  assert.equal(await page.getAttribute('#app', 'data-state'), 'unsupported', 'nothing started after the message');
  assert.deepEqual(seen.errors, []);
  await context.close();
});
