// The page at and past nbtriage's limits, beside the CLI (tests/limits-bundle writes the inputs):
// a 50 MB line, a 100,000-file archive, zip and gzip bombs, NetBackup binaries, a 3 GiB log.
// Each gets its note in the page as in the CLI, the tab stays alive, the rest is analyzed, and
// the report does not depend on the number of scanning workers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './browser.mjs';
import { serve } from './serve.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
// The size of the big log in MiB: 3 GiB unless LIMITS_BIG_MIB says otherwise (0: skip that test).
const bigMiB = Number(process.env.LIMITS_BIG_MIB ?? 3072);

let browser;
let server;
let scratch;
let bundle;

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'nbtriage-limits-'));
  bundle = join(scratch, 'limits');
  run(join(root, 'tests/limits-bundle'), [bundle]);
  server = await serve({ root: join(root, 'dist') });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

function run(program, args, cwd = root) {
  const done = spawnSync(program, args, { cwd, encoding: 'utf8', maxBuffer: 256 << 20 });
  assert.equal(done.status, 0, `${program} ${args.join(' ')}: ${done.stderr}`);
  return done.stdout;
}

/** The CLI's JSON report, as tests/run-all builds it. */
function cli(args, cwd) {
  const target = process.env.CARGO_TARGET_DIR ?? join(root, 'target');
  const bin = ['release', 'debug'].map((p) => join(target, p, 'nbtriage')).find(existsSync);
  return run(bin, ['analyze', '--format', 'json', ...args], cwd);
}

/** Drops `folder` on a fresh page with `workers` scanning workers (0: one per core); returns the
 * page, once done, with the errors it logged. */
async function analyze(folder, workers = 0, timeout = 120_000) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('crash', () => errors.push('the tab crashed'));
  await page.goto(`${server.url}?workers=${workers}`);
  await page.waitForSelector('#app[data-state="idle"]');
  await page.setInputFiles('input[type=file][webkitdirectory]', folder);
  await page.waitForSelector('#app[data-state="done"], #app[data-state="error"]', { timeout });
  assert.equal(await page.getAttribute('#app', 'data-state'), 'done', await page.textContent('#error'));
  return { page, context, errors };
}

async function savedJson(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-json')]);
  return readFile(await download.path(), 'utf8');
}

/** The notes the files panel shows for the file whose path ends with `suffix`. */
async function shownNotes(page, suffix) {
  return page.evaluate((suffix) => {
    const row = [...document.querySelectorAll('table.files tbody tr')]
      .find((r) => r.querySelector('th.path').textContent.endsWith(suffix));
    return row ? row.querySelector('td.notes').textContent : `no row for ${suffix}`;
  }, suffix);
}

const EXPECTED_NOTES = [
  ['media01/bpbrm/huge-line.log', '1 line longer than 64 KiB (the longest 48829 KiB) was read up to 64 KiB.'],
  ['media01/many.tar.gz', 'Stopped after 20,000 files: the limit on files per archive.'],
  ['media01/bomb.zip/zeros.log', 'Cut after 1 MiB unpacked: it expands more than 200 times'],
  ['media01/bomb.log.gz/bomb.log', 'Cut after 1 MiB unpacked: it expands more than 200 times'],
  ['1307000000/Policy_1307123456_FULL.f', 'Not a text file (binary content): skipped.'],
  // The command, in a copyable block (its backticks are the core's markup, not shown).
  ['nbjm/51216-117-2201360136-110603-0000000000.log', 'convert it to text with vxlogview -d all -i 117 > nbjm.txtCopy command and add that file'],
];

test('inputs past the limits: each shows its note, the tab stays alive, the seed is diagnosed, the report is the CLI\'s', async () => {
  const { page, context, errors } = await analyze(bundle);
  for (const [suffix, note] of EXPECTED_NOTES) {
    assert.ok((await shownNotes(page, suffix)).includes(note), `${suffix}: ${await shownNotes(page, suffix)}`);
  }
  await mkdir(join(here, 'artifacts'), { recursive: true });
  await page.locator('table.files tbody tr').first().evaluate((row) => row.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: join(here, 'artifacts', 'limits-files.png') });
  const rules = await page.locator('.card').evaluateAll((cards) => cards.map((c) => c.dataset.rule));
  assert.deepEqual(rules, ['pbx-connect-timeout', 'forward-socket-expired']);
  // Still responsive: the viewer opens an evidence line.
  await page.locator('.card[data-rule="pbx-connect-timeout"] .evidence-line').first().click();
  await page.locator('#viewer-rows .row.selected').waitFor();
  assert.equal(await savedJson(page), cli(['limits'], scratch), 'the page and the CLI disagree');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the report is the same with 1, 2, 3 and 4 scanning workers, and the CLI\'s with 1 to 4 threads', async () => {
  // The bundle without its 100,000-file archive, which alone takes the page 15-30 s.
  const lighter = join(scratch, 'workers');
  await cp(bundle, lighter, { recursive: true });
  await rm(join(lighter, 'media01/many.tar.gz'));
  const reports = new Set();
  for (const workers of [1, 2, 3, 4]) {
    const { page, context, errors } = await analyze(lighter, workers);
    reports.add(await savedJson(page));
    assert.deepEqual(errors, [], `${workers} workers`);
    await context.close();
  }
  for (const threads of ['1', '2', '3', '4']) reports.add(cli(['--threads', threads, 'workers'], scratch));
  assert.equal(reports.size, 1, 'the number of workers or threads changed the report');
});

test(`a ${bigMiB} MiB log: evidence past 2 GiB is found and read back, in the page as in the CLI`, { skip: bigMiB === 0 }, async () => {
  const big = join(scratch, 'big');
  run(join(root, 'tests/limits-bundle'), ['--big', big, String(bigMiB)]);
  const started = Date.now();
  const expected = cli(['big'], scratch);
  const cliSeconds = (Date.now() - started) / 1000;
  const report = JSON.parse(expected);
  const pbx = report.findings.find((f) => f.rule === 'pbx-connect-timeout');
  assert.ok(pbx, 'still diagnosed');
  const evidence = pbx.evidence.find((e) => e.file.endsWith('media01/bpbrm/060311.log'));
  assert.ok(evidence.offset > 2 ** 31, `offset ${evidence.offset}`);
  assert.match(evidence.text, /connect in progress: 1/);

  const pageStarted = Date.now();
  const { page, context, errors } = await analyze(big, 0, 600_000);
  const pageSeconds = (Date.now() - pageStarted) / 1000;
  assert.equal(await savedJson(page), expected, 'the page and the CLI disagree');
  assert.deepEqual(errors, []);
  console.log(`# ${bigMiB} MiB log: CLI ${cliSeconds.toFixed(1)} s, page ${pageSeconds.toFixed(1)} s`);
  await context.close();
  await rm(big, { recursive: true, force: true });
});
