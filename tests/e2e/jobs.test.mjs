// The jobs view (issue 23) in Chromium: a job list dropped with a debug log, its groups read,
// the table sorted and filtered, one job's thread opened (its tries read back from the
// record), its log lines shown through the viewer's row filter, and "Redact names" leaving no
// original client, policy or server name in the view.
//
// The bundle is the constructed `tests/bundles/job-list-night` (see tests/bundles/README.md)
// with one more record, constructed here: job 1203's record (its real Job Details lines
// unchanged) as job 1230 whose try ran as pid 5592, the pid of the bpbrm lines beside it, so
// that the job's thread reaches them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, writeFile, rm, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, seriousViolations } from './browser.mjs';
import { serve } from './serve.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
const night = join(root, 'tests/bundles/job-list-night');
const artifacts = join(here, 'artifacts');
/** Names the job list gives (clients, policies, servers, storage units): none may show redacted. */
const names = ['fs01', 'fs02', 'db01', 'web01', 'web03', 'vm-app01', 'media01', 'media02', 'P-FS', 'P-DB', 'P-WEB', 'stu-msdp-01', 'stu-msdp-02', 'master01'];

let browser;
let server;
let scratch;
let bundle;

before(async () => {
  await mkdir(artifacts, { recursive: true });
  scratch = await mkdtemp(join(tmpdir(), 'nbtriage-jobs-'));
  bundle = join(scratch, 'night');
  await mkdir(join(bundle, 'primary'), { recursive: true });
  await mkdir(join(bundle, 'media01/bpbrm'), { recursive: true });
  await copyFile(join(night, 'media01/bpbrm/060311.log'), join(bundle, 'media01/bpbrm/060311.log'));
  const list = await readFile(join(night, 'primary/bpdbjobs-all-columns.txt'), 'utf8');
  const record = list.split('\n').find((l) => l.startsWith('1203,'));
  assert.ok(record && record.includes(',5186,stu-msdp-01,media01,'), 'job 1203 ran on media01 as pid 5186');
  const constructed = record.replace(/^1203,/, '1230,').replace(',5186,stu-msdp-01,media01,', ',5592,stu-msdp-01,media01,');
  await writeFile(join(bundle, 'primary/bpdbjobs-all-columns.txt'), `${list.trimEnd()}\n${constructed}\n`);
  server = await serve({ root: join(root, 'dist') });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

async function openWithBundle(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(server.url);
  await page.waitForSelector('#app[data-state="idle"]');
  await page.setInputFiles('input[type=file][webkitdirectory]', bundle);
  await page.waitForSelector('#app[data-state="done"], #app[data-state="error"]', { timeout: 60_000 });
  assert.equal(await page.getAttribute('#app', 'data-state'), 'done', await page.textContent('#error'));
  return { page, context, errors };
}

const ids = (page) => page.locator('#jobs-rows tr').evaluateAll((rows) => rows.map((r) => Number(r.dataset.jobId)));

test('a job list opens on its jobs: the groups, a sortable and filterable table, the chart', async () => {
  const { page, context, errors } = await openWithBundle();
  assert.equal(await page.getAttribute('#tab-jobs', 'aria-selected'), 'true');
  assert.equal(await page.isVisible('#jobs-section'), true);
  assert.equal(await page.isHidden('#job-panel'), true);
  assert.match(await page.textContent('#jobs-summary'), /^\d+ jobs: \d+ failed, \d+ partially successful/);
  const groups = page.locator('#jobs-groups .job-group');
  assert.ok(await groups.count() >= 2, 'failures are grouped');
  const counts = await groups.locator('h4').allTextContents();
  const numbers = counts.map((t) => Number(t.match(/^(\d+) jobs?:/)[1]));
  assert.deepEqual(numbers, [...numbers].sort((a, b) => b - a), `largest first: ${counts}`);
  assert.match(await groups.first().locator('.meta').textContent(), /^Status \d+ · for /);
  assert.equal(await page.locator('#jobs-chart svg[role=img] rect').count() > 0, true);
  await page.screenshot({ path: join(artifacts, 'jobs-view.png'), fullPage: true });

  // Sort by job id, both ways; aria-sort says how.
  await page.click('#jobs-head button[data-sort=id]');
  const up = await ids(page);
  assert.deepEqual(up, [...up].sort((a, b) => a - b));
  assert.equal(await page.getAttribute('#jobs-head th:has(button[data-sort=id])', 'aria-sort'), 'ascending');
  await page.click('#jobs-head button[data-sort=id]');
  const down = await ids(page);
  assert.deepEqual(down, [...up].reverse());
  // Filter by text, then by status.
  await page.fill('#jobs-text', 'web');
  const web = await page.locator('#jobs-rows tr td:nth-child(4)').allTextContents();
  assert.ok(web.length > 0 && web.every((c) => c.includes('web')), `clients: ${web}`);
  await page.fill('#jobs-text', '');
  await page.selectOption('#jobs-status', 'failed');
  const statuses = await page.locator('#jobs-rows tr td:nth-child(2)').allTextContents();
  assert.ok(statuses.length > 0 && statuses.every((s) => Number(s.split(' ')[0]) > 1), `statuses: ${statuses}`);
  // A group's "Show these jobs" shows that group's.
  await groups.first().locator('button[data-show-group]').click();
  assert.equal(await page.inputValue('#jobs-status'), 'g0');
  assert.equal(await page.locator('#jobs-rows tr').count(), numbers[0]);
  // The tabs by keyboard.
  await page.focus('#tab-jobs');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.getAttribute('#tab-job', 'aria-selected'), 'true');
  assert.equal(await page.isVisible('#verdict'), true);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-job');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.isVisible('#jobs-section'), true);
  assert.deepEqual(errors, []);
  await context.close();
});

test("one job's thread: its tries from the record, then its log lines in the viewer", async () => {
  const { page, context, errors } = await openWithBundle();
  // Enter on a row picks it.
  await page.focus('#jobs-rows tr[data-job-id="1201"]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#job-thread-tries ol.job-lines li');
  assert.equal(await page.textContent('#job-thread-title'), 'Job 1201');
  assert.match(await page.textContent('#job-thread-tries h4'), /^Try 1 · pid 2772 · on media02 · status 84$/);
  const lines = await page.locator('#job-thread-tries li').allTextContents();
  assert.ok(lines.some((l) => l.includes('accelerator verification failed: backupid=hostname_XXXXXXXX, offset=23761920')), lines.join('\n'));

  await page.click('#jobs-rows tr[data-job-id="1230"]');
  await page.waitForSelector('#job-thread-logs:not([hidden])');
  await page.click('#job-thread-logs');
  await page.waitForSelector('#viewer-thread:not([hidden])');
  await page.waitForFunction(() => /lines? of job 1230 shown/.test(document.querySelector('#viewer-status').textContent));
  await page.waitForSelector('#viewer-rows .row .text');
  const shown = await page.locator('#viewer-rows .row .text').allTextContents();
  assert.ok(shown.length > 0 && shown.every((t) => t.includes('[5592.')), `only pid 5592's lines: ${shown.join('\n')}`);
  await page.screenshot({ path: join(artifacts, 'jobs-thread.png'), fullPage: true });
  await page.click('#viewer-thread-clear');
  await page.waitForSelector('#viewer-thread[hidden]', { state: 'attached' });
  await page.waitForFunction(() => !/ of job /.test(document.querySelector('#viewer-status').textContent));
  assert.deepEqual(errors, []);
  await context.close();
});

test('"Redact names": the jobs view names no original client, policy or server', async () => {
  const { page, context, errors } = await openWithBundle();
  const view = () => page.textContent('#jobs-section');
  // Table cells run together in textContent: a name is looked for anywhere.
  const left = (text) => names.filter((n) => text.toLowerCase().includes(n.toLowerCase()));
  assert.ok(left(await view()).length >= 8, 'the names are shown before redaction');
  await page.check('#redact');
  await page.waitForSelector('#redaction:not([hidden])');
  assert.deepEqual(left(await view()), [], 'no original name in the jobs view');
  await page.click('#jobs-rows tr[data-job-id="1201"]');
  await page.waitForSelector('#job-thread-tries ol.job-lines li');
  assert.deepEqual(left(await view()), [], "no original name in a job's thread");
  await page.screenshot({ path: join(artifacts, 'jobs-redacted.png'), fullPage: true });
  // What is saved is the redacted report.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-json')]);
  const saved = await readFile(await download.path(), 'utf8');
  assert.deepEqual(left(saved), [], 'no original name in the saved JSON');
  assert.ok(JSON.parse(saved).jobs.rows.length > 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the jobs view and a job thread: no serious accessibility violation in either theme (axe-core)', async () => {
  for (const colorScheme of ['light', 'dark']) {
    // axe is injected as a script, which the page's policy forbids: bypass it for this check only.
    const { page, context } = await openWithBundle({ colorScheme, bypassCSP: true });
    await page.click('#jobs-rows tr[data-job-id="1201"]');
    await page.waitForSelector('#job-thread-tries ol.job-lines li');
    const violations = await seriousViolations(page);
    assert.deepEqual(violations, [], `${colorScheme} theme`);
    if (colorScheme === 'dark') await page.screenshot({ path: join(artifacts, 'jobs-dark.png'), fullPage: true });
    await context.close();
  }
});
