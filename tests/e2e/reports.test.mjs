// Reports to hand on, end to end: each format saved from the page is the CLI's, the HTML report
// reads with scripts off and runs nothing, the "Redact names" switch leaves no planted name in
// what the page shows or saves, and the copy buttons say "Copied" only when the text was copied
// (on plain http too, where the clipboard API is missing).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, writeFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchChromium } from './browser.mjs';
import { serve } from './serve.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
const bundles = join(root, 'tests/bundles');
const seed = join(bundles, 'seed-technote');
const artifacts = join(here, 'artifacts');
const seedFiles = ['media01/bpbrm/060311.log', 'myclient/bpcd/060311.log', 'myclient/vnetd/060311.log'];

let browser;
let server;
let scratch;

before(async () => {
  await mkdir(artifacts, { recursive: true });
  scratch = await mkdtemp(join(tmpdir(), 'nbtriage-reports-'));
  server = await serve({ root: join(root, 'dist') });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

async function open({ init, options = {} } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(server.url);
  await page.waitForSelector('#app[data-state="idle"]');
  return { page, context, errors };
}

async function analyzeFolder(page, folder) {
  await page.setInputFiles('input[type=file][webkitdirectory]', folder);
  await page.waitForSelector('#app[data-state="done"], #app[data-state="error"]', { timeout: 60_000 });
  assert.equal(await page.getAttribute('#app', 'data-state'), 'done', await page.textContent('#error'));
}

/** The CLI, as tests/run-all builds it. */
function cli(args, cwd) {
  const target = process.env.CARGO_TARGET_DIR ?? join(root, 'target');
  const bin = ['release', 'debug'].map((p) => join(target, p, 'nbtriage')).find(existsSync);
  const run = spawnSync(bin, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout;
}

/** Clicks a save button; the file's suggested name and its text. */
async function saved(page, button) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
  return { name: download.suggestedFilename(), text: await readFile(await download.path(), 'utf8') };
}

/** Opens a saved HTML report from disk: once with scripts off (as a mail client would), once
 * with them on to look inside; no policy violation either time. */
async function openReport(html, name) {
  const file = join(scratch, name);
  await writeFile(file, html);
  const off = await browser.newContext({ javaScriptEnabled: false, offline: true });
  const quiet = await off.newPage();
  await quiet.goto(pathToFileURL(file).href);
  await quiet.screenshot({ path: join(artifacts, name.replace(/\.html$/, '.png')), fullPage: true });
  const cards = await quiet.locator('article.card').count();
  await off.close();
  const on = await browser.newContext({ offline: true });
  await on.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
  const page = await on.newPage();
  const requests = [];
  on.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href);
  const inside = await page.evaluate(() => ({
    scripts: document.scripts.length,
    handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
    embedded: document.querySelectorAll('img, iframe, object, embed, link, a[href]').length,
    styled: getComputedStyle(document.querySelector('.verdict')).borderLeftWidth,
    violations: window.__violations,
    xss: window.__xss,
    policy: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content,
  }));
  await on.close();
  assert.deepEqual(requests.filter((u) => u !== pathToFileURL(file).href), [], 'the report loads nothing');
  return { cards, ...inside };
}

test("each format saved from the page is the CLI's, byte for byte; the HTML report reads with scripts off", async () => {
  const { page, context, errors } = await open();
  await analyzeFolder(page, seed);
  for (const [format, name] of [['html', 'nbtriage-report.html'], ['markdown', 'nbtriage-report.md'], ['json', 'nbtriage-report.json']]) {
    const file = await saved(page, `#save-${format}`);
    assert.equal(file.name, name);
    assert.equal(file.text, cli(['analyze', '--format', format, 'seed-technote'], bundles), `the page's ${format} is not the CLI's`);
    if (format === 'html') {
      const report = await openReport(file.text, 'report-seed.html');
      assert.equal(report.cards, 2, 'cards with scripts off');
      assert.deepEqual(
        { scripts: report.scripts, handlers: report.handlers, embedded: report.embedded, violations: report.violations },
        { scripts: 0, handlers: 0, embedded: 0, violations: [] },
      );
      assert.equal(report.styled, '6px', 'its style is allowed by its policy (hash)');
      assert.match(report.policy, /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; img-src data:; base-uri 'none'; form-action 'none'$/);
    }
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('the HTML report saved from a hostile bundle shows the payloads as text and runs none', async () => {
  const payloads = ['<script>window.__xss=1</script>', '<img src=x onerror="window.__xss=2">', '"><svg onload=window.__xss=4>', '</style><style>*{display:none}</style>'];
  const bundle = join(scratch, 'hostile');
  const host = '<img src=x onerror=window.__xss=5>';
  for (const f of seedFiles) {
    const target = f.startsWith('media01/') ? join(bundle, host, f.slice('media01/'.length)) : join(bundle, f);
    await mkdir(dirname(target), { recursive: true });
    const text = (await readFile(join(seed, f), 'latin1')).replaceAll('fd = 1240', `fd = 1240 ${payloads.join(' ')}`);
    await writeFile(target, text, 'latin1');
  }
  const { page, context } = await open();
  await analyzeFolder(page, bundle);
  const file = await saved(page, '#save-html');
  const report = await openReport(file.text, 'report-hostile.html');
  assert.equal(report.xss, undefined, 'no payload ran');
  assert.deepEqual({ scripts: report.scripts, handlers: report.handlers, embedded: report.embedded }, { scripts: 0, handlers: 0, embedded: 0 });
  assert.equal(report.styled, '6px', 'the report kept its own style');
  assert.ok(file.text.includes('&lt;script&gt;window.__xss=1&lt;/script&gt;'));
  await context.close();
});

/** The seed bundle with names planted where customers' names are (as tests/reports.rs does). */
const planted = ['zmedia07', 'qclient3', 'quokka', '10.77.3.21', '10.77.9.44', 'fd00:77::9', 'prim-x9', 'QuokkaFS_Daily', 'Nightly_Q', 'qstu-dd01', 'wkowalski', 'jnakamura', 'opsbob'];
const caseFolder = 'Case QUOKKA-7731';

async function plant() {
  const bundle = join(scratch, caseFolder);
  for (const f of seedFiles) {
    const target = join(bundle, f.replace('media01', 'zmedia07').replace('myclient', 'qclient3'));
    await mkdir(dirname(target), { recursive: true });
    const text = (await readFile(join(seed, f), 'latin1'))
      .replaceAll('myclient', 'qclient3').replaceAll('media01', 'zmedia07')
      .replaceAll('2.2.2.2', '10.77.3.21').replaceAll('3.3.3.3', '10.77.9.44')
      .replaceAll('fd = 1240', 'fd = 1240 -c qclient3.corp.quokka.net -cl QuokkaFS_Daily -sched Nightly_Q -stunit qstu-dd01 -M prim-x9')
      .replaceAll('fd = 1208', 'fd = 1208 peer [fd00:77::9]:1556 file /home/wkowalski/run.sh C:\\Users\\jnakamura\\AppData');
    await writeFile(target, text, 'latin1');
  }
  await writeFile(join(bundle, 'job details.txt'),
    '09:06:20 Error bpbrm (pid=7249) from client QCLIENT3: ERR - policy QuokkaFS_Daily schedule Nightly_Q on storage unit qstu-dd01 failed\n09:06:20 end writing file read failed (13)\n');
  await mkdir(join(bundle, 'prim-x9'), { recursive: true });
  await writeFile(join(bundle, 'prim-x9', 'nbjm.txt'),
    '12:43:08.415 [Debug] [CallbackQueue::queueRequest] queueing JL updateJobStatus : jobid=249061, backupid=qclient3_1307115858, client=qclient3, policy=QuokkaFS_Daily, status=40 -- retry count=-1(CallbackQueue.cpp:1212)\n');
  await mkdir(join(bundle, 'zmedia07', 'bpbrm', 'opsbob'), { recursive: true });
  await writeFile(join(bundle, 'zmedia07', 'bpbrm', 'opsbob', 'opsbob.060311_00001.log'),
    '17:50:30.000 [5592.5372] <16> bpbrm main: cannot reach 10.77.9.44 for qclient3.corp.quokka.net\n');
  return bundle;
}

function survivors(text) {
  const lower = text.toLowerCase();
  return planted.filter((name) => lower.includes(name.toLowerCase()));
}

test('"Redact names": the page shows and saves the redacted report, the mapping stays in the page unless saved', async () => {
  const bundle = await plant();
  const { page, context, errors } = await open();
  await analyzeFolder(page, bundle);
  const shown = async () => [await page.textContent('#verdict'), await page.textContent('#cards'), await page.textContent('#timeline-section'), await page.textContent('#files')].join('\n');
  assert.ok(survivors(await shown()).length >= 8, 'the names are on the page before redaction');
  assert.equal(await page.isHidden('#redaction'), true);

  await page.check('#redact');
  // The mapping starts folded (the originals are what redaction hides): unfold it.
  await page.waitForSelector('#redaction:not([hidden]) details:not([open]) table.mapping', { state: 'attached' });
  await page.click('#redaction details summary');
  await page.waitForSelector('#redaction table.mapping');
  assert.deepEqual(survivors(await shown()), [], 'no name left on the page');
  assert.match(await page.textContent('#cards'), /host-1/);
  const mapping = await page.locator('#redaction table.mapping tbody tr').evaluateAll((rows) => rows.map((r) => r.textContent));
  assert.ok(mapping.some((row) => /^host-\d+hostzmedia07$/.test(row)), mapping.join(' | '));
  await page.screenshot({ path: join(artifacts, 'redacted-page.png'), fullPage: true });

  // What is saved is the CLI's redacted report, and the mapping is the CLI's --redact-map.
  for (const [format, ext] of [['json', 'json'], ['markdown', 'md'], ['html', 'html']]) {
    const file = await saved(page, `#save-${format}`);
    assert.equal(file.name, `nbtriage-report-redacted.${ext}`);
    assert.deepEqual(survivors(file.text), [], `a name survives in the saved ${format}`);
    assert.equal(file.text, cli(['analyze', '--redact', '--format', format, caseFolder], scratch), `the page's redacted ${format} is not the CLI's`);
  }
  const map = await saved(page, '#save-map');
  assert.equal(map.name, 'nbtriage-redaction-map.json');
  cli(['analyze', '--redact-map', join(scratch, 'map.json'), '--format', 'json', caseFolder], scratch);
  assert.equal(map.text, await readFile(join(scratch, 'map.json'), 'utf8'));

  // An evidence line still opens its file in the viewer, which shows the logs as they are.
  const evidence = page.locator('.card[data-rule="pbx-connect-timeout"] .evidence-line').first();
  assert.match(await evidence.getAttribute('data-open-file'), /^Case name-\d+-7731\/host-\d+\/bpbrm\/060311\.log$/);
  await evidence.click();
  const selected = page.locator('#viewer-rows .row.selected');
  await selected.waitFor();
  assert.equal(await selected.getAttribute('data-file'), `${caseFolder}/zmedia07/bpbrm/060311.log`);
  assert.equal(await selected.getAttribute('data-line'), await evidence.getAttribute('data-open-line'));

  // Off again: the names are back, the mapping is gone from the page.
  await page.uncheck('#redact');
  await page.waitForSelector('#redaction[hidden]', { state: 'attached' });
  assert.ok(survivors(await page.textContent('#cards')).includes('zmedia07'));
  assert.equal((await saved(page, '#save-json')).name, 'nbtriage-report.json');
  assert.deepEqual(errors, []);
  await context.close();
});

test('"Redact names" on the sample: no original name in the verdict box, its copy, the cards, the timeline or the files panel', async () => {
  const { page, context, errors } = await open({ options: { permissions: ['clipboard-read', 'clipboard-write'] } });
  await page.click('#try-sample');
  await page.waitForSelector('#app[data-state="done"]', { timeout: 60_000 });
  const originals = ['media01', 'myclient', '2.2.2.2', '3.3.3.3'];
  // What is shown, read by a screen reader, or copied: the text and the markup (labels,
  // tooltips, data attributes, each Copy button's text) of every panel but the log viewer's.
  const panels = ['#verdict', '#cards', '#timeline-section', '#files-section'];
  const seen = async () => Object.fromEntries(await Promise.all(panels.map(async (p) => [p, await page.locator(p).evaluate((e) => e.outerHTML)])));
  const left = (html) => originals.filter((name) => html.toLowerCase().includes(name));
  assert.ok(left((await seen())['#verdict']).length > 0, 'the verdict names hosts before redaction');

  await page.check('#redact');
  await page.waitForSelector('#redaction:not([hidden])');
  for (const [panel, html] of Object.entries(await seen())) assert.deepEqual(left(html), [], `an original name in ${panel}`);
  assert.match(await page.textContent('#verdict'), /host-\d+|ip-\d+/);
  const copies = await page.locator('button.copy[data-copy]').evaluateAll((bs) => bs.filter((b) => !b.closest('#viewer-section')).map((b) => b.dataset.copy));
  assert.ok(copies.length >= 2, `copy buttons: ${copies.length}`);
  for (const text of copies) assert.deepEqual(left(text), [], `an original name in a Copy button's text: ${text}`);
  // The verdict box's Copy button copies the redacted request.
  const request = await page.textContent('#send-text');
  await page.click('#verdict .send button.copy');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, request);
  assert.deepEqual(left(copied), []);
  // The log viewer shows the lines as they are, and the page says so.
  assert.match(await page.textContent('#redaction'), /The log lines further down are shown as they are\./);
  assert.equal(await page.isVisible('#viewer-redacted'), true, 'the viewer says its lines are not redacted');
  assert.match(await page.textContent('#viewer-redacted'), /^Names are not redacted here/);
  await page.screenshot({ path: join(artifacts, 'redacted-sample.png'), fullPage: true });

  // Off again: the verdict names the hosts again.
  await page.uncheck('#redact');
  await page.waitForSelector('#redaction[hidden]', { state: 'attached' });
  assert.equal(await page.isVisible('#viewer-redacted'), false);
  assert.ok(left(await page.locator('#verdict').evaluate((e) => e.outerHTML)).length > 0);
  assert.deepEqual(errors, []);
  await context.close();
});

/** Records what reaches the clipboard by either road. */
const recorder = () => {
  window.__copied = [];
  document.addEventListener('copy', () => window.__copied.push(`execCommand:${String(getSelection())}`));
};
const plainHttp = () => {
  // As on an intranet page served over plain http: no secure context, no navigator.clipboard.
  Object.defineProperty(window, 'isSecureContext', { get: () => false, configurable: true });
  Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined, configurable: true });
};

for (const [name, init, expected, road] of [
  ['plain http: the text is selected and copied with execCommand', [plainHttp], 'Copied', 'execCommand'],
  ['plain http, and execCommand refuses: the text is left selected for Ctrl+C', [plainHttp, () => { document.execCommand = () => false; }], 'Selected — press Ctrl+C', null],
  ['the clipboard API refuses: execCommand is tried', [() => {
    Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => ({ writeText: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) }), configurable: true });
  }], 'Copied', 'execCommand'],
  ['the clipboard API takes it', [() => {
    Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => ({ writeText: async (t) => { window.__copied.push(`clipboard:${t}`); } }), configurable: true });
  }], 'Copied', 'clipboard'],
]) test(`Copy request, ${name}`, async () => {
  const { page, context, errors } = await open({ init: `(${recorder})(); ${init.map((f) => `(${f})();`).join(' ')}` });
  await page.click('#try-sample');
  await page.waitForSelector('#app[data-state="done"]', { timeout: 60_000 });
  const block = page.locator('.card[data-rule="pbx-connect-timeout"] .request');
  const request = await block.locator('pre').textContent();
  await block.locator('button.copy').click();
  await page.waitForFunction(() => document.querySelector('.card[data-rule="pbx-connect-timeout"] button.copy').dataset.copied !== undefined);
  assert.equal(await block.locator('button.copy').textContent(), expected);
  const copied = await page.evaluate(() => window.__copied);
  if (road) {
    assert.deepEqual(copied, [`${road}:${request}`]);
  } else {
    assert.deepEqual(copied, []);
    assert.equal(await page.evaluate(() => String(getSelection())), request, 'the request is selected');
    await page.screenshot({ path: join(artifacts, 'copy-selected.png') });
  }
  assert.deepEqual(errors, []);
  await context.close();
});
