// The page a first-time non-admin can trust (issue 15), in Debian's headless Chromium: one
// honest verdict for each kind of input (a PNG, a pasted sentence, a bundle whose errors no
// rule explains, a healthy bundle, the sample), who acts and what to send them above the cards,
// plain words, the log viewer's keys with no console error, a phone's width, page zoom, the dark
// theme (axe in both themes), and twenty analyses in one tab with the listener count and the
// JS heap flat. Screenshots go to artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { deflateSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, seriousViolations } from './browser.mjs';
import { serve } from './serve.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
const bundles = join(root, 'tests/bundles');
const artifacts = join(here, 'artifacts');
const SENTENCE = 'The backup failed with status 13, here are the logs';

let browser;
let server;
let scratch;
let png;

before(async () => {
  await mkdir(artifacts, { recursive: true });
  scratch = await mkdtemp(join(tmpdir(), 'nbtriage-honest-'));
  png = join(scratch, 'screenshot.png');
  await writeFile(png, pngImage());
  server = await serve({ root: join(root, 'dist') });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** A small valid PNG: what a helpdesk person drops when told "here is the error". */
function pngImage() {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => { let c = 0xffffffff; for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(16, 0);
  header.writeUInt32BE(16, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.concat(Array.from({ length: 16 }, () => Buffer.concat([Buffer.from([0]), Buffer.alloc(48, 0x80)])));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

/** A fresh page; console errors and warnings, and page errors, are recorded. */
async function open({ width = 1366, height = 768, dark = false, url = server.url, ...options } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme: dark ? 'dark' : 'light', ...options });
  const page = await context.newPage();
  const seen = { errors: [], warnings: [] };
  page.on('pageerror', (e) => seen.errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') seen.errors.push(m.text());
    if (m.type() === 'warning') seen.warnings.push(m.text());
  });
  await page.goto(url);
  await page.waitForSelector('#app[data-state="idle"]');
  return { page, context, seen };
}

async function done(page) {
  await page.waitForSelector('#app[data-state="done"], #app[data-state="error"]', { timeout: 60_000 });
  assert.equal(await page.getAttribute('#app', 'data-state'), 'done', await page.textContent('#error'));
}

/** The inputs, one per verdict, and how to give each to the page. */
const inputs = {
  png: { verdict: 'nothing-read', give: (page) => page.setInputFiles('#pick-files', png), cli: () => [['screenshot.png'], scratch] },
  sentence: {
    verdict: 'nothing-read',
    give: async (page) => { await page.click('#paste-box summary'); await page.fill('#paste-text', SENTENCE); await page.click('#analyze-paste'); },
  },
  // Status 24 after a broken pipe on the client: errors, and no known pattern explains them.
  unexplained: { verdict: 'errors-unexplained', give: (page) => page.setInputFiles('#pick-folder', join(bundles, 'broken-pipe-24')), cli: () => [['broken-pipe-24'], bundles] },
  // A read timeout measured (the cause) and the job's status 13 (a symptom), Job Details with (pid=N).
  status13: { verdict: 'cause-found', give: (page) => page.setInputFiles('#pick-folder', join(bundles, 'job-details-status-13')) },
  healthy: { verdict: 'clean', give: (page) => page.setInputFiles('#pick-folder', join(bundles, 'healthy')), cli: () => [['healthy'], bundles] },
  stray: { verdict: 'errors-unexplained', give: (page) => page.setInputFiles('#pick-folder', join(bundles, 'stray-error-line')) },
  noOutcome: { verdict: 'no-failure-seen', give: (page) => page.setInputFiles('#pick-folder', join(bundles, 'pbx-rst')) },
  // Messages quoted into a ticket without their log's header: no time at all.
  quoted: { verdict: 'cause-found', give: (page) => page.setInputFiles('#pick-folder', join(bundles, 'quoted-messages')) },
  sample: { verdict: 'cause-found', give: (page) => page.click('#try-sample') },
};

async function analyze(page, name) {
  await inputs[name].give(page);
  await done(page);
  assert.equal(await page.getAttribute('#results', 'data-verdict'), inputs[name].verdict, name);
}

/** The CLI's JSON report (text), as tests/run-all builds it, run on `[args, cwd]`. */
function cli([args, cwd]) {
  const target = process.env.CARGO_TARGET_DIR ?? join(root, 'target');
  const bin = ['release', 'debug'].map((p) => join(target, p, 'nbtriage')).find(existsSync);
  const run = spawnSync(bin, ['analyze', '--format', 'json', ...args], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout;
}

async function savedJson(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-json')]);
  return readFile(await download.path(), 'utf8');
}

/** The page's own prose: every text a person reads as sentences (not log lines, paths, code,
 * copyable blocks or the source line). */
function prose(page) {
  return page.evaluate(() => {
    const parts = document.querySelectorAll('#verdict .headline, #verdict .scope, #verdict h2, #verdict h3, .files-seen .note, .card h3, .card .meta, .card .summary, .card .fix li, .card .collect li, .card h4, .evidence summary, .no-findings, #files td.notes p, .bundle-note, #rules-list li, #rules-intro, #clock-note, #viewer-status, footer');
    return [...parts].map((e) => {
      const copy = e.cloneNode(true);
      copy.querySelectorAll('code, pre, .command, button.file-link').forEach((c) => c.remove());
      return copy.textContent;
    }).join('\n');
  });
}

function assertPlain(text, name) {
  assert.doesNotMatch(text, /`/, `${name}: a raw backtick in the page's prose`);
  assert.doesNotMatch(text, /§|\[S\d+/, `${name}: a reference section tag in the page's prose`);
  for (const id of ['pbx-connect-timeout', 'forward-socket-expired', 'job-status', 'tape-alert']) {
    assert.ok(!text.includes(id), `${name}: the rule id ${id} in the page's prose`);
  }
  assert.doesNotMatch(text, /\b1 (log )?lines\b|\b1 files\b|\b1 connections\b/, `${name}: a count that does not agree`);
  assert.doesNotMatch(text, /nbtriage rules|command line tool|command-line tool/, `${name}: points to the command line`);
}

test('a dropped PNG: nothing could be read, said plainly, with what the file looked like and what to collect', async () => {
  const { page, context, seen } = await open();
  await analyze(page, 'png');
  assert.match(await page.textContent('#verdict-title'), /^Nothing could be read$/);
  assert.match(await page.textContent('#verdict .headline'), /No file could be read as a NetBackup log/);
  assert.doesNotMatch(await page.getAttribute('#verdict', 'class'), /\bok\b/, 'never green');
  assert.match(await page.textContent('.files-seen'), /screenshot\.png: not text/);
  assert.match(await page.textContent('.files-seen'), /PNG image/);
  assert.match(await page.textContent('#verdict .send h3'), /^Send to the backup admin$/);
  assert.match(await page.textContent('#send-text'), /Collect the debug logs/);
  assert.equal(await page.locator('.card').count(), 0);
  assertPlain(await prose(page), 'png');
  await page.screenshot({ path: join(artifacts, 'verdict-png.png') });
  assert.deepEqual(seen.errors, []);
  await context.close();
});

test('a pasted sentence naming a status: nothing read, and what the status table says of it', async () => {
  const { page, context, seen } = await open();
  await analyze(page, 'sentence');
  const headline = await page.textContent('#verdict .headline');
  assert.match(headline, /No file could be read as a NetBackup log \(text that is not a NetBackup log\)/);
  assert.match(headline, /The text names status 13 \(file read failed\)\./);
  assert.match(await page.textContent('#send-text'), /^For status 13, collect: /);
  assert.match(await page.textContent('.files-seen'), /pasted text\.txt: text, but not a NetBackup log \(1 line\)/);
  // The verdict is in view, not pushed down by the paste box.
  assert.ok(await page.isVisible('#verdict-title'));
  assert.equal(await page.evaluate(() => document.querySelector('#paste-box').open), false);
  assertPlain(await prose(page), 'sentence');
  await page.screenshot({ path: join(artifacts, 'verdict-sentence.png') });
  assert.deepEqual(seen.errors, []);
  await context.close();
});

test('errors no rule explains: not healthy, the first errors earliest first, each one click from its line', async () => {
  const { page, context, seen } = await open();
  await analyze(page, 'unexplained');
  const expected = JSON.parse(cli(inputs.unexplained.cli()));
  assert.equal(await page.textContent('#verdict-title'), 'Errors found, cause not known');
  assert.match(await page.textContent('#verdict .headline'), /no known pattern explains it: this does not mean the job is healthy/);
  assert.doesNotMatch(await page.getAttribute('#verdict', 'class'), /\bok\b/, 'never green');
  // One owner: reading the logs is the backup admin's step, never the network team's; the
  // network team's own check (a device's idle timeout) is the request on status 24's card.
  assert.match(await page.textContent('#verdict .send h3'), /^Send to the backup admin$/);
  assert.match(await page.textContent('#send-text'), /^Read, or collect and send: bpbkar on the client/);
  assert.match(await page.textContent('.card[data-rule="job-status"] .request'), /idle timeout/);
  const lines = page.locator('#verdict .error-lines .evidence-line');
  assert.equal(await lines.count(), expected.first_errors.length);
  const shown = await lines.evaluateAll((b) => b.map((e) => [e.dataset.openFile, Number(e.dataset.openLine)]));
  assert.deepEqual(shown, expected.first_errors.map((e) => [e.file, e.line]));
  // Earliest first.
  const times = expected.first_errors.map((e) => e.time);
  assert.deepEqual(times, [...times].sort());
  // One click from its line.
  await lines.nth(2).click();
  const selected = page.locator('#viewer-rows .row.selected');
  await selected.waitFor();
  assert.equal(await selected.getAttribute('data-file'), shown[2][0]);
  assert.equal(await selected.getAttribute('data-line'), String(shown[2][1]));
  // The job's status card: the owner the status table names, its lines, its source, and where
  // to read next.
  const card = page.locator('.card[data-rule="job-status"][data-status="24"]');
  assert.match(await card.textContent(), /the files panel links each \(pid=N\) to its process's log when it is here/);
  assert.match(await card.locator('.evidence summary').textContent(), /^Evidence: 3 log lines$/);
  assert.equal(await card.getAttribute('data-owner'), 'backup-admin', 'the verdict\'s owner: one owner');
  assert.match(await card.locator('.meta').textContent(), /Who acts: the backup admin/);
  assert.match(await card.locator('.request h4, .request h3').first().textContent(), /Request for the network team/);
  assert.match(await card.locator('.source').textContent(), /^Source: NetBackup status 24/);
  assertPlain(await prose(page), 'unexplained');
  await page.screenshot({ path: join(artifacts, 'verdict-errors-unexplained.png'), fullPage: true });

  // Where the Job Details name a (pid=N) whose log is in the bundle, the files panel links it.
  await analyze(page, 'status13');
  const link = page.locator('#files tr[data-path="job-details-status-13/job-details.txt"] button.file-link');
  assert.equal(await link.textContent(), 'job-details-status-13/media02/bpbrm/log.031513');
  await link.click();
  await page.waitForFunction(() => document.querySelector('#viewer-rows .row.selected')?.dataset.file === 'job-details-status-13/media02/bpbrm/log.031513');
  // A lane with no host or process is named for what it is.
  const lanes = await page.locator('.tl-row:not(.tl-axis) .tl-label').allTextContents();
  assert.ok(lanes.includes('Job Details'), `lanes: ${lanes}`);
  assert.ok(lanes.every((l) => !l.includes('?')), `lanes: ${lanes}`);
  const places = await page.locator('#viewer-rows .row .where').allTextContents();
  assert.ok(places.every((p) => !p.includes('?') && !p.includes('unknown')), `viewer rows: ${places}`);
  assertPlain(await prose(page), 'status13');
  assert.deepEqual(seen.errors, []);
  await context.close();
});

test('green only with a success recorded; grey when the lines stop before the outcome; a stray error line is unexplained', async () => {
  const { page, context, seen } = await open();
  await analyze(page, 'healthy');
  assert.equal(await page.textContent('#verdict-title'), 'No problem found');
  assert.match(await page.getAttribute('#verdict', 'class'), /\bok\b/);
  assert.match(await page.textContent('#verdict .headline'), /^The logs were read: bpbrm recorded status 0 \(the requested operation was successfully completed\), no job failed and no known problem was found in them\.$/);
  assert.equal(await page.locator('#verdict .send').count(), 0, 'nobody to send anything to');
  assert.equal(await page.locator('.card').count(), 0);
  assert.match(await page.textContent('#verdict .coverage'), /^These lines come from media01's bpbrm log and myclient's bpcd and vnetd logs, 2011-06-03 17:46:35 to 17:58:02\.$/);
  assertPlain(await prose(page), 'healthy');
  await page.screenshot({ path: join(artifacts, 'verdict-clean.png') });

  await analyze(page, 'noOutcome');
  assert.equal(await page.textContent('#verdict-title'), 'No failure seen');
  assert.match(await page.getAttribute('#verdict', 'class'), /\bno-outcome\b/);
  assert.doesNotMatch(await page.getAttribute('#verdict', 'class'), /\bok\b/, 'never green');
  assert.equal(await page.textContent('#verdict .headline'), "These lines show no failure, but they don't say how the job ended.");
  // What was sent and what was not, by name and host, and the request for the missing logs.
  assert.match(await page.textContent('#verdict .coverage'), /^You sent only media01's bpbrm log and myclient's vnetd log\. Not sent: bptm from media01; bpbkar from myclient\. Collect them for 2011-06-03 \S+ to \S+: they say how the job ran and ended\.$/);
  assert.match(await page.textContent('#send-text'), /^Collect the debug logs of bptm from media01, and bpbkar from myclient for /);
  assert.doesNotMatch(await page.textContent('#send-text'), /Collect the logs of the whole job/, 'the generic request is replaced');
  assertPlain(await prose(page), 'noOutcome');
  await page.screenshot({ path: join(artifacts, 'verdict-no-failure-seen.png') });

  await analyze(page, 'stray');
  assert.equal(await page.textContent('#verdict-title'), 'Errors found, cause not known');
  assert.doesNotMatch(await page.getAttribute('#verdict', 'class'), /\bok\b/, 'never green');
  assert.match(await page.textContent('#verdict .headline'), /1 error line stands in them, and no line records a success\./);
  assert.equal(await page.locator('#verdict .error-lines .evidence-line').count(), 1);
  assert.match(await page.textContent('#verdict .error-lines'), /MBDeleteImage: Failed to complete/);
  assert.match(await page.textContent('#verdict .coverage'), /^You sent only .+\. Not sent: .+\. Collect them/);
  assertPlain(await prose(page), 'stray');
  assert.deepEqual(seen.errors, []);
  await context.close();
});

test('lines quoted without their time: found, named by their line, and kept off the timeline', async () => {
  const { page, context, seen } = await open();
  await analyze(page, 'quoted');
  const card = page.locator('.card[data-rule="tape-rewound-frozen"]');
  assert.match(await card.locator('.summary').textContent(), /^A process found at line 3 of (quoted-messages\/)?ticket\.txt that tape xxxxxx/);
  const results = await page.locator('#results').textContent();
  const midnight = results.indexOf('00:00:00');
  assert.equal(midnight, -1, `no made-up midnight: ${JSON.stringify(results.slice(midnight - 300, midnight + 80).replace(/\s+/g, " "))}`);
  assert.equal(await page.locator('#timeline-section').isVisible(), false, 'nothing to place on a timeline');
  assertPlain(await prose(page), 'quoted');
  assert.deepEqual(seen.errors, []);
  await context.close();
});

test('the sample: cause found; who acts and the request for them in view on a 1366x768 screen, copyable', async () => {
  const { page, context, seen } = await open({ permissions: ['clipboard-read', 'clipboard-write'] });
  await analyze(page, 'sample');
  assert.equal(await page.textContent('#verdict-title'), 'Cause found');
  assert.match(await page.getAttribute('#verdict', 'class'), /\bcritical\b/);
  const headline = await page.textContent('#verdict .headline');
  assert.match(headline, /firewall or other network device silently drops\. The job failed with status 25 \(cannot connect on socket\)\. Who should act: the network team\.$/);
  assert.equal(await page.textContent('#verdict .send h3'), 'Send to the network team');
  // Above the cards, and in view without scrolling: within the 768 px screen less the
  // browser's own bars (about 120 px).
  const send = await page.locator('#verdict .send').boundingBox();
  const card = await page.locator('.card').first().boundingBox();
  assert.ok(send.y + send.height <= 640, `the request ends at ${send.y + send.height}px`);
  assert.ok(send.y < card.y);
  assert.equal(await page.evaluate(() => window.scrollY), 0);
  const request = await page.textContent('#send-text');
  assert.match(request, /^Please allow TCP port 1556 \(NetBackup PBX\) in both directions/);
  await page.click('#verdict .send button.copy');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), request);
  assert.equal(await page.textContent('#verdict .send button.copy'), 'Copied');
  // Each card names its owner and its role; its source stands at its foot, not in its steps.
  for (const c of await page.locator('.card').all()) {
    assert.equal(await c.getAttribute('data-owner'), 'network-team');
    assert.match(await c.locator('.meta').textContent(), /^Cause · network · Who acts: the network team$/);
    assert.match(await c.locator('.source').textContent(), /^Source: Veritas article 100024894/);
    assert.ok((await c.locator('.fix li').allTextContents()).every((s) => !s.startsWith('Source:')));
  }
  assertPlain(await prose(page), 'sample');
  await page.screenshot({ path: join(artifacts, 'verdict-cause-found-1366x768.png') });
  assert.deepEqual(seen.errors, []);
  await context.close();
});

test('the page\'s report is the CLI\'s, byte for byte, for each verdict', async () => {
  for (const name of ['png', 'unexplained', 'healthy']) {
    const { page, context } = await open();
    await analyze(page, name);
    const saved = await savedJson(page);
    assert.equal(saved, cli(inputs[name].cli()), name);
    assert.equal(JSON.parse(saved).verdict, inputs[name].verdict);
    await context.close();
  }
});

test('the log viewer\'s keys: in view, a screenful, first and last, wrap-around find, announced, no console error', async () => {
  const { page, context, seen } = await open({ height: 900 });
  await analyze(page, 'sample');
  await page.locator('.card[data-rule="pbx-connect-timeout"] .evidence-line').first().click();
  await page.locator('#viewer-rows .row.selected').waitFor();
  const state = () => page.evaluate(() => {
    const viewer = document.querySelector('#viewer').getBoundingClientRect();
    const row = document.querySelector('#viewer-rows .row.selected');
    const box = row?.getBoundingClientRect();
    return {
      index: row ? Number(row.dataset.index) : null,
      inView: !!box && box.top >= viewer.top - 0.5 && box.bottom <= viewer.bottom + 0.5,
      announced: document.querySelector('#viewer-announce').textContent,
      text: row?.querySelector('.text')?.textContent,
      scrollY: window.scrollY,
    };
  });
  const settle = async (index) => page.waitForFunction((i) => Number(document.querySelector('#viewer-rows .row.selected')?.dataset.index) === i
    && !document.querySelector('#viewer-rows .loading'), index);
  let s = await state();
  const scrollY = s.scrollY;
  const start = s.index;
  assert.ok(s.inView);
  assert.match(s.announced, /connect in progress: 1/);
  // ↓ through more lines than the list shows: the selection stays in view, the page does not scroll.
  for (let i = 1; i <= 30; i++) {
    await page.keyboard.press('ArrowDown');
    await settle(start + i);
    s = await state();
    assert.ok(s.inView, `row ${s.index} out of view`);
    assert.equal(s.scrollY, scrollY, 'the page itself scrolled');
  }
  assert.ok(s.announced.endsWith(s.text), `announced: ${s.announced}`);
  for (let i = 1; i <= 3; i++) await page.keyboard.press('ArrowUp');
  await settle(start + 27);
  assert.ok((await state()).inView);
  await page.keyboard.press('End');
  await settle(89);
  assert.ok((await state()).inView);
  assert.match((await state()).announced, /^Line 90 of 90, /);
  await page.keyboard.press('Home');
  await settle(0);
  assert.ok((await state()).inView);
  await page.keyboard.press('PageDown');
  const page1 = (await state()).index;
  assert.ok(page1 > 5, `PageDown moved to ${page1}`);
  assert.ok((await state()).inView);
  await page.keyboard.press('PageUp');
  await settle(0);
  assert.equal((await state()).scrollY, scrollY, 'the page itself scrolled');

  // Find wraps around: past the last match, on from the top.
  await page.fill('#find-text', 'get_vnetd_forward_socket failed');
  await page.press('#find-text', 'Enter');
  await page.waitForFunction(() => /get_vnetd_forward_socket failed/.test(document.querySelector('#viewer-rows .row.selected')?.textContent ?? ''));
  const first = (await state()).index;
  await page.focus('#viewer');
  await page.keyboard.press('n');
  await page.waitForFunction(() => /went on from the top/.test(document.querySelector('#viewer-status').textContent));
  assert.equal((await state()).index, first, 'the only match, found again from the top');
  await page.keyboard.press('N');
  await page.waitForFunction(() => /went on from the bottom/.test(document.querySelector('#viewer-status').textContent));
  await page.fill('#find-text', 'no line says this');
  await page.press('#find-text', 'Enter');
  await page.waitForFunction(() => /^No line shown holds “no line says this”\.$/.test(document.querySelector('#viewer-status').textContent));
  assert.deepEqual(seen.errors, []);
  assert.deepEqual(seen.warnings.filter((w) => /preventDefault|passive/i.test(w)), []);
  await context.close();
});

test('timeline marks: a visible focus, distinct names, Enter opens the line; the skip link\'s target exists', async () => {
  const { page, context, seen } = await open();
  const skipTarget = () => page.evaluate(() => {
    const link = document.querySelector('#skip-link');
    const target = document.querySelector(link.getAttribute('href'));
    return target && target.getClientRects().length > 0 ? target.id : null;
  });
  assert.equal(await skipTarget(), 'start-title');
  await analyze(page, 'sample');
  assert.equal(await skipTarget(), 'verdict-title');
  const names = await page.locator('.mark').evaluateAll((m) => m.map((e) => e.getAttribute('aria-label')));
  assert.ok(names.length >= 5);
  assert.equal(new Set(names).size, names.length, `names: ${names}`);
  // Reach the first mark with the keyboard.
  await page.focus('#clock-note').catch(() => {});
  await page.locator('.mark').first().focus();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  const ring = await page.evaluate(() => {
    const mark = document.activeElement;
    const shape = mark.querySelector('rect, path');
    const style = getComputedStyle(shape);
    return { focused: mark.classList.contains('mark'), visible: mark.matches(':focus-visible'), width: style.strokeWidth, color: style.stroke };
  });
  assert.deepEqual([ring.focused, ring.visible, ring.width], [true, true, '4px'], JSON.stringify(ring));
  assert.notEqual(ring.color, 'rgba(0, 0, 0, 0)');
  await page.locator('#timeline').screenshot({ path: join(artifacts, 'timeline-focus.png') });
  const line = await page.evaluate(() => document.activeElement.dataset.openLine);
  await page.keyboard.press('Enter');
  await page.waitForFunction((l) => document.querySelector('#viewer-rows .row.selected')?.dataset.line === l, line);
  assert.deepEqual(seen.errors, []);
  await context.close();
});

test('390 px wide: nothing scrolls sideways; wide tables scroll inside themselves, log rows wrap', async () => {
  for (const name of ['sample', 'unexplained', 'png']) {
    const { page, context, seen } = await open({ width: 390, height: 844, isMobile: false });
    await analyze(page, name);
    await page.waitForFunction(() => !document.querySelector('#viewer-rows .loading'));
    const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, view: document.documentElement.clientWidth }));
    assert.ok(widths.page <= widths.view, `${name}: the page is ${widths.page}px wide in a ${widths.view}px window`);
    // Past the right edge and not clipped by a box that is itself inside the window.
    const wide = await page.evaluate(() => {
      const edge = document.documentElement.clientWidth + 1;
      const clipped = (e) => {
        for (let a = e.parentElement; a; a = a.parentElement) {
          if (getComputedStyle(a).overflowX !== 'visible' && a.getBoundingClientRect().right <= edge) return true;
        }
        return false;
      };
      return [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > edge && !clipped(e))
        .map((e) => e.tagName + (e.id ? `#${e.id}` : '')).slice(0, 5);
    });
    assert.deepEqual(wide, [], `${name}: elements past the right edge`);
    if (name !== 'png') {
      assert.equal(await page.getAttribute('#viewer', 'class'), 'wrap');
      const rows = await page.locator('#viewer-rows .row').evaluateAll((r) => r.map((e) => e.getBoundingClientRect().height));
      assert.ok(rows.some((h) => h > 20), 'long rows wrap');
      const inner = await page.evaluate(() => { const v = document.querySelector('#viewer'); return v.scrollWidth <= v.clientWidth; });
      assert.ok(inner, 'the log list does not scroll sideways');
    }
    if (name === 'sample') {
      // Wrapped rows have no fixed height: the keys still keep the selection in view.
      await page.locator('.card[data-rule="pbx-connect-timeout"] .evidence-line').first().click();
      await page.locator('#viewer-rows .row.selected').waitFor();
      const inView = () => page.evaluate(() => {
        const viewer = document.querySelector('#viewer').getBoundingClientRect();
        const row = document.querySelector('#viewer-rows .row.selected')?.getBoundingClientRect();
        return !!row && row.top >= viewer.top - 0.5 && row.bottom <= viewer.bottom + 0.5;
      });
      const start = Number(await page.getAttribute('#viewer-rows .row.selected', 'data-index'));
      for (const [key, index] of [...Array.from({ length: 12 }, (_, i) => ['ArrowDown', start + i + 1]), ['End', 89], ['Home', 0]]) {
        await page.keyboard.press(key);
        await page.waitForFunction((i) => Number(document.querySelector('#viewer-rows .row.selected')?.dataset.index) === i
          && !document.querySelector('#viewer-rows .loading'), index);
        await page.waitForTimeout(30);
        assert.ok(await inView(), `${key}: row ${index} out of view at 390 px`);
      }
    }
    await page.screenshot({ path: join(artifacts, `narrow-390-${name}.png`), fullPage: true });
    assert.deepEqual(seen.errors, []);
    await context.close();
  }
});

test('zoomed to 200%, the timeline\'s text grows with the page', async () => {
  // At 200% zoom a 1366 px window is 683 CSS pixels wide and text keeps its CSS size: the
  // timeline's labels must keep their size at half the width (an SVG scaled to its width would
  // halve them).
  const sizes = [];
  for (const width of [1366, 683]) {
    const { page, context } = await open({ width });
    await analyze(page, 'sample');
    sizes.push(await page.evaluate(() => ({
      tick: document.querySelector('.tick-label').getBoundingClientRect().height,
      lane: parseFloat(getComputedStyle(document.querySelector('.tl-label')).fontSize),
      laneHeight: document.querySelector('.tl-plot').getBoundingClientRect().height,
    })));
    if (width === 683) await page.locator('#timeline-section').screenshot({ path: join(artifacts, 'timeline-683.png') });
    await context.close();
  }
  assert.ok(sizes[1].tick >= sizes[0].tick * 0.95, JSON.stringify(sizes));
  assert.equal(sizes[1].lane, sizes[0].lane);
  assert.equal(sizes[1].laneHeight, sizes[0].laneHeight);
});

test('dark theme: dark colours, and no serious accessibility violation in either theme (axe-core)', async () => {
  for (const dark of [false, true]) {
    for (const name of ['sample', 'unexplained', 'png']) {
      // axe is injected as a script, which the page's policy forbids: bypass it for this check only.
      const { page, context } = await open({ dark, bypassCSP: true });
      await analyze(page, name);
      await page.waitForFunction(() => !document.querySelector('#viewer-rows .loading'));
      const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
      const [r, g, b] = background.match(/\d+/g).map(Number);
      assert.ok(dark ? r + g + b < 120 : r + g + b > 600, `${dark ? 'dark' : 'light'} background: ${background}`);
      if (dark && name === 'sample') await page.screenshot({ path: join(artifacts, 'dark-sample.png'), fullPage: true });
      if (dark && name === 'unexplained') await page.screenshot({ path: join(artifacts, 'dark-errors-unexplained.png') });
      await page.evaluate(() => { document.querySelector('#rules-box').open = true; });
      const violations = await seriousViolations(page);
      assert.deepEqual(violations, [], `${dark ? 'dark' : 'light'} theme, ${name}`);
      await context.close();
    }
  }
});

test('twenty analyses in a row in one tab leave the listener count and the JS heap flat', async () => {
  const { page, context, seen } = await open();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const measure = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const get = (name) => metrics.find((m) => m.name === name).value;
    return { listeners: get('JSEventListeners'), heap: get('JSHeapUsedSize'), nodes: get('Nodes') };
  };
  const figures = [];
  for (let i = 1; i <= 20; i++) {
    await page.click('#try-sample');
    await done(page);
    await page.locator('.evidence-line').first().click();
    await page.locator('#viewer-rows .row.selected').waitFor();
    if (i === 2 || i === 20) figures.push(await measure());
  }
  const [warm, last] = figures;
  console.log(`after analysis 2: ${JSON.stringify(warm)}; after analysis 20: ${JSON.stringify(last)}`);
  assert.equal(last.listeners, warm.listeners, 'event listeners added per analysis');
  assert.ok(last.heap - warm.heap < 512 * 1024, `the JS heap grew by ${last.heap - warm.heap} bytes over 18 analyses`);
  assert.ok(Math.abs(last.nodes - warm.nodes) < 200, `DOM nodes: ${warm.nodes} then ${last.nodes}`);
  assert.deepEqual(seen.errors, []);
  await context.close();
});

/** Paste `text` into the page, as a new user with one line or one command's output would. */
async function paste(page, text) {
  await page.click('#paste-box summary');
  await page.fill('#paste-text', text);
  await page.click('#analyze-paste');
  await done(page);
}

test('a status message pasted alone: the status it states, what it means, who acts and the next step', async () => {
  const { page, context, seen } = await open();
  // The line as a copy of Veritas's status 57 document prints it (tests/bundles/stated-statuses).
  await paste(page, 'Client connection refused');
  assert.equal(await page.getAttribute('#results', 'data-verdict'), 'errors-unexplained');
  assert.match(await page.textContent('#verdict .headline'), /^The text states status 57 \(client connection refused\)/);
  assert.doesNotMatch(await page.textContent('#verdict .headline'), /The job failed/);
  assert.match(await page.textContent('#verdict .scope'), /^Read 1 file: 1 text of NetBackup messages from 1 host/);
  assert.match(await page.textContent('#verdict .send h3'), /^Send to the /);
  const card = page.locator('.card').first();
  assert.match(await card.textContent(), /bpcd/);
  assert.match(await page.textContent('.files-seen, #files'), /pasted text\.txt/);
  assertPlain(await prose(page), 'stated status');
  await page.screenshot({ path: join(artifacts, 'verdict-stated-status.png') });
  assert.deepEqual(seen.errors, []);
  await context.close();
});

test("one command's output pasted alone: the check it proves passed is green, named, and asks for no job's logs", async () => {
  const { page, context, seen } = await open();
  const output = await readFile(join(bundles, 'command-bptestbpcd', 'bptestbpcd.txt'), 'utf8');
  await paste(page, output);
  assert.equal(await page.getAttribute('#results', 'data-verdict'), 'clean');
  assert.match(await page.getAttribute('#verdict', 'class'), /\bok\b/);
  assert.match(await page.textContent('#verdict .headline'), /^The command output was read: bptestbpcd connected to bpcd at 172\.20\.0\.81:1556\./);
  assert.doesNotMatch(await page.textContent('#verdict'), /Not sent:/);
  assert.match(await page.textContent('#verdict .scope'), /^Read 1 file: 1 admin command's output from 1 host/);
  assert.match(await page.textContent('#files'), /output of bptestbpcd|bptestbpcd/i);
  assertPlain(await prose(page), 'command output');
  await page.screenshot({ path: join(artifacts, 'verdict-command-output.png') });
  assert.deepEqual(seen.errors, []);
  await context.close();
});
