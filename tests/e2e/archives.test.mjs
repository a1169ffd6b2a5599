// The log viewer over archives, in headless Chromium: one generated bundle dropped as a folder,
// as a .zip and as a .tar.gz (both written by Python's zipfile and tarfile) shows the same rows
// (time, host · process, text, line) wherever the list is scrolled, the same search hits, the
// same evidence jumps and the same files panel; and the page's report is the CLI's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import { launchChromium } from './browser.mjs';
import { serve } from './serve.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');

let browser;
let server;
let scratch;

function run(program, args, cwd = root) {
  const done = spawnSync(program, args, { cwd, encoding: 'utf8', maxBuffer: 256 << 20 });
  assert.equal(done.status, 0, `${program} ${args.join(' ')}: ${done.stderr}`);
  return done.stdout;
}

function cli(args, cwd) {
  const target = process.env.CARGO_TARGET_DIR ?? join(root, 'target');
  const bin = ['release', 'debug'].map((p) => join(target, p, 'nbtriage')).find(existsSync);
  return run(bin, args, cwd);
}

before(async () => {
  await mkdir(join(here, 'artifacts'), { recursive: true });
  scratch = await mkdtemp(join(tmpdir(), 'nbtriage-archives-'));
  // 12 MiB: the .tar.gz's gzip stream gets restart points (every 4 MiB) that reads start from.
  cli(['generate', '--seed', '3', '--size', '12MiB', join(scratch, 'case')], root);
  run('python3', ['-c', `
import os, tarfile, zipfile
files = sorted(os.path.relpath(os.path.join(d, f), 'case') for d, _, fs in os.walk('case') for f in fs)
with zipfile.ZipFile('case.zip', 'w', zipfile.ZIP_DEFLATED) as z:
    for f in files:
        z.write(os.path.join('case', f), f)
with tarfile.open('case.tar.gz', 'w:gz') as t:
    for f in files:
        t.add(os.path.join('case', f), f)
`], scratch);
  server = await serve({ root: join(root, 'dist') });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** The path inside the bundle: without `case/`, `case.zip/` or `case.tar.gz/`. */
const inside = (path) => path.replace(/^case(\.zip|\.tar\.gz)?\//, '');

async function open(input, workers) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${server.url}?workers=${workers}`);
  await page.waitForSelector('#app[data-state="idle"]');
  if (input.endsWith('case')) await page.setInputFiles('input[type=file][webkitdirectory]', input);
  else await page.setInputFiles('input[type=file][multiple]:not([webkitdirectory])', input);
  await page.waitForSelector('#app[data-state="done"], #app[data-state="error"]', { timeout: 120_000 });
  assert.equal(await page.getAttribute('#app', 'data-state'), 'done', await page.textContent('#error'));
  return { page, context, errors };
}

/** Waits until the list shows rows and none is still loading. */
async function settled(page) {
  await page.waitForFunction(() => {
    const rows = document.querySelectorAll('#viewer-rows .row');
    return rows.length > 0 && !document.querySelector('#viewer-rows .loading')
      && /lines? shown|^Line /.test(document.querySelector('#viewer-status').textContent);
  }, null, { timeout: 60_000 });
}

/** The rows the list shows: position, time, host · process, text, line, path inside. */
async function rows(page) {
  await settled(page);
  return page.locator('#viewer-rows .row').evaluateAll((list) => list.map((r) => [
    r.dataset.index, r.querySelector('.time')?.textContent, r.querySelector('.where')?.textContent,
    r.querySelector('.text')?.textContent, r.dataset.line, r.dataset.file]))
    .then((list) => list.map(([i, time, where, text, line, file]) => [i, time, where, text, line, inside(file ?? '')]));
}

/** The list scrolled to a fraction of its height, its rows. */
async function rowsAt(page, fraction) {
  await page.evaluate((f) => {
    const viewer = document.querySelector('#viewer');
    viewer.scrollTop = Math.floor((viewer.scrollHeight - viewer.clientHeight) * f);
  }, fraction);
  await page.waitForTimeout(50);
  return rows(page);
}

/** Everything compared between the folder and the archives. */
async function observe(page) {
  const seen = {};
  await settled(page);
  seen.status = await page.textContent('#viewer-status');
  seen.files = (await page.locator('table.files tbody tr:not([data-format="archive"])').evaluateAll((list) =>
    list.map((r) => [...r.children].map((c) => c.textContent))))
    .map(([path, ...rest]) => [inside(path), ...rest])
    .sort((a, b) => a[0].localeCompare(b[0]));
  seen.scrolled = [];
  for (const f of [0, 0.37, 0.71, 1]) seen.scrolled.push(await rowsAt(page, f));
  // An evidence line of each card opens in the list, selected.
  seen.evidence = [];
  const cards = page.locator('.card[data-rule] .evidence-line');
  for (let i = 0; i < Math.min(await cards.count(), 6); i++) {
    const evidence = cards.nth(i);
    const want = [await evidence.getAttribute('data-open-file'), await evidence.getAttribute('data-open-line')];
    await evidence.click();
    // The line it names, not the one the click before selected.
    await page.waitForFunction(([file, line]) => {
      const s = document.querySelector('#viewer-rows .row.selected');
      return s?.dataset.file === file && s?.dataset.line === line;
    }, want);
    const selected = page.locator('#viewer-rows .row.selected');
    seen.evidence.push([await selected.getAttribute('data-index'), inside(await selected.getAttribute('data-file')),
      await selected.getAttribute('data-line'), await selected.locator('.text').textContent()]);
  }
  // Next error from there, then find a word forward and back.
  await page.locator('#viewer').focus();
  await page.keyboard.press('e');
  await page.waitForFunction(() => document.querySelector('#viewer-rows .row.selected.error'));
  seen.nextError = await page.getAttribute('#viewer-rows .row.selected', 'data-index');
  await page.fill('#find-text', 'errno');
  await page.press('#find-text', 'Enter');
  await page.waitForFunction(() => /errno/i.test(document.querySelector('#viewer-rows .row.selected .text')?.textContent ?? ''));
  seen.found = [await page.getAttribute('#viewer-rows .row.selected', 'data-index'),
    await page.textContent('#viewer-rows .row.selected .text')];
  // A text filter: every file read again (an archive: unpacked once more for all its files).
  const before = await page.textContent('#viewer-status');
  await page.fill('#f-text', 'connect');
  await page.press('#f-text', 'Enter');
  await page.waitForFunction((b) => {
    const now = document.querySelector('#viewer-status').textContent;
    return now !== b && /lines shown/.test(now);
  }, before, { timeout: 60_000 });
  seen.searched = await page.textContent('#viewer-status');
  seen.searchRows = [await rowsAt(page, 0), await rowsAt(page, 0.5), await rowsAt(page, 1)];
  return seen;
}

async function savedJson(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-json')]);
  return readFile(await download.path(), 'utf8');
}

test('a .zip and a .tar.gz of a bundle show the same lines, hits and jumps as its folder', async () => {
  const { page, context, errors } = await open(join(scratch, 'case'), 1);
  const folder = await observe(page);
  assert.match(folder.status, /^[\d,]+ lines shown$/);
  assert.ok(folder.evidence.length >= 2, `evidence: ${JSON.stringify(folder.evidence)}`);
  assert.match(folder.searched, /^[\d,]+ lines shown$/);
  assert.deepEqual(errors, []);
  await context.close();
  for (const [archive, workers] of [['case.zip', 1], ['case.tar.gz', 1], ['case.tar.gz', 0]]) {
    const { page, context, errors } = await open(join(scratch, archive), workers);
    const seen = await observe(page);
    if (archive === 'case.tar.gz' && workers === 1) await page.screenshot({ path: join(here, 'artifacts', 'archive-viewer.png') });
    for (const key of Object.keys(folder)) assert.deepEqual(seen[key], folder[key], `${archive} (${workers} workers): ${key}`);
    assert.equal(await savedJson(page), cli(['analyze', '--format', 'json', archive], scratch), `${archive}: the page and the CLI disagree`);
    assert.deepEqual(errors, []);
    await context.close();
  }
});
