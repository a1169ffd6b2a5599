// The page's core flows in Debian's Firefox ESR (what customers' desktops often run), driven
// over W3C WebDriver by geckodriver (tests/run-all installs both): the sample, a picked folder,
// an archive, and each verdict. Beside the Chromium suite, not instead of it.
//
// One limit of WebDriver: geckodriver picks files for a file input, not folders (a folder's
// path is refused as "File not found"). The folder flow therefore gives the folder input the
// folder's files as a folder pick does: each File carrying its path below the folder
// (`webkitRelativePath`), and a change event.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchFirefox } from './webdriver.mjs';
import { serve } from './serve.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
const bundles = join(root, 'tests/bundles');
const artifacts = join(here, 'artifacts');
const seedFiles = ['media01/bpbrm/060311.log', 'myclient/bpcd/060311.log', 'myclient/vnetd/060311.log'];

let ff;
let server;
let scratch;

before(async () => {
  await mkdir(artifacts, { recursive: true });
  scratch = await mkdtemp(join(tmpdir(), 'nbtriage-firefox-'));
  server = await serve({ root: join(root, 'dist') });
  ff = await launchFirefox({ width: 1366, height: 900 });
});

after(async () => {
  await ff?.quit();
  server?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** The page, fresh, with its errors recorded from here on (WebDriver cannot listen earlier). */
async function open(url = server.url) {
  await ff.goto(url);
  await ff.waitFor(() => document.querySelector('#app')?.dataset.state === 'idle', { what: 'the page to start' });
  await ff.run(() => {
    window.__errors = [];
    window.addEventListener('error', (e) => window.__errors.push(String(e.message)));
    window.addEventListener('unhandledrejection', (e) => window.__errors.push(String(e.reason)));
    const error = console.error.bind(console);
    console.error = (...args) => { window.__errors.push(args.join(' ')); error(...args); };
  });
}

async function done() {
  const state = await ff.waitFor(() => ['done', 'error'].includes(document.querySelector('#app').dataset.state)
    && document.querySelector('#app').dataset.state, { what: 'the analysis to end' });
  assert.equal(state, 'done', await ff.run(() => document.querySelector('#error').textContent));
  return ff.run(() => document.querySelector('#results').dataset.verdict);
}

async function noErrors() {
  assert.deepEqual(await ff.run(() => window.__errors), []);
  assert.equal(await ff.run(() => document.querySelector('#error').hidden), true);
}

/** Gives the folder input the files under `dir`, each with its path below `dir`'s parent. */
async function pickFolder(dir) {
  const files = [];
  const walk = async (d) => {
    for (const name of (await readdir(d)).sort()) {
      const path = join(d, name);
      if ((await stat(path)).isDirectory()) await walk(path);
      else files.push([relative(dirname(dir), path), (await readFile(path)).toString('base64')]);
    }
  };
  await walk(dir);
  await ff.run((list) => {
    const transfer = new DataTransfer();
    for (const [path, base64] of list) {
      const text = atob(base64);
      const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
      const file = new File([bytes], path.split('/').pop());
      Object.defineProperty(file, 'webkitRelativePath', { value: path });
      transfer.items.add(file);
    }
    const input = document.querySelector('#pick-folder');
    input.files = transfer.files;
    input.dispatchEvent(new Event('change'));
  }, files);
}

/** The CLI's JSON report, as tests/run-all builds it. */
function cli(args, cwd) {
  const target = process.env.CARGO_TARGET_DIR ?? join(root, 'target');
  const bin = ['release', 'debug'].map((p) => join(target, p, 'nbtriage')).find(existsSync);
  const run = spawnSync(bin, ['analyze', '--format', 'json', ...args], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout;
}

/** The JSON report the page saves, caught before it becomes a download. */
async function savedJson() {
  await ff.run(() => {
    const make = URL.createObjectURL.bind(URL);
    URL.createObjectURL = (blob) => { window.__saved = blob; return make(blob); };
    HTMLAnchorElement.prototype.click = function click() {};
  });
  await ff.click('#save-json');
  return ff.runAsync(() => window.__saved.text());
}

async function seedDiagnosisIsRight() {
  const cards = await ff.run(() => [...document.querySelectorAll('.card')].map((c) => [c.dataset.rule, c.dataset.severity, c.dataset.count ?? null]));
  assert.deepEqual(cards, [['pbx-connect-timeout', 'critical', '2'], ['forward-socket-expired', 'critical', null]]);
  assert.equal(await ff.run(() => document.querySelector('#verdict .send h3').textContent), 'Send to the network team');
}

test('Firefox ESR: the sample, its evidence in the viewer, its keys, and the CLI\'s report', async () => {
  await open();
  await ff.click('#try-sample');
  assert.equal(await done(), 'cause-found');
  await seedDiagnosisIsRight();
  await ff.click('.card[data-rule="pbx-connect-timeout"] .evidence-line');
  await ff.waitFor(() => document.querySelector('#viewer-rows .row.selected')?.dataset.line === '5', { what: 'line 5 selected' });
  await ff.type('#viewer', 'e');
  await ff.waitFor(() => document.querySelector('#viewer-rows .row.selected.error'), { what: 'the next error selected' });
  const before = await ff.run(() => Number(document.querySelector('#viewer-rows .row.selected').dataset.index));
  await ff.type('#viewer', '\uE015'); // ArrowDown
  await ff.waitFor((b) => Number(document.querySelector('#viewer-rows .row.selected')?.dataset.index) === b + 1, {}, before);
  assert.match(await ff.run(() => document.querySelector('#viewer-announce').textContent), /^Line \d+ of 90, /);
  await writeFile(join(artifacts, 'firefox-sample.png'), await ff.screenshot());
  const json = await savedJson();
  assert.equal(json, cli(seedFiles, join(bundles, 'seed-technote')), 'the page and the CLI disagree');
  await noErrors();
});

test('Firefox ESR: nbtriage.html from disk unpacks itself (LZMA) and gives the sample\'s diagnosis', async () => {
  await open(pathToFileURL(join(root, 'dist/nbtriage.html')).href);
  await ff.click('#try-sample');
  assert.equal(await done(), 'cause-found');
  await seedDiagnosisIsRight();
  const unpacked = await ff.run(() => performance.getEntriesByType('measure').filter((m) => m.name.startsWith('nbtriage unpack '))
    .map((m) => `${m.name.slice(16)} ${Math.round(m.duration)} ms`));
  assert.equal(unpacked.length, 3, `blocks decoded: ${unpacked}`);
  console.log(`Firefox ESR decoded: ${unpacked.join(', ')}`);
  await noErrors();
});

test('Firefox ESR: "Redact names" leaves no original name in the verdict box, its copy or the panels but the viewer', async () => {
  await open();
  await ff.click('#try-sample');
  assert.equal(await done(), 'cause-found');
  const shown = () => ff.run(() => ['#verdict', '#cards', '#timeline-section', '#files-section']
    .map((p) => document.querySelector(p).outerHTML)
    .concat([...document.querySelectorAll('button.copy[data-copy]')].filter((b) => !b.closest('#viewer-section')).map((b) => b.dataset.copy))
    .join('\n').toLowerCase());
  const originals = ['media01', 'myclient', '2.2.2.2', '3.3.3.3'];
  const left = (text) => originals.filter((name) => text.includes(name));
  assert.ok(left(await shown()).length > 0, 'the names are there before redaction');
  await ff.click('#redact');
  await ff.waitFor(() => !document.querySelector('#redaction').hidden, { what: 'the redacted report shown' });
  assert.deepEqual(left(await shown()), []);
  assert.match(await ff.run(() => document.querySelector('#send-text').textContent), /host-\d+|ip-\d+/);
  assert.equal(await ff.run(() => document.querySelector('#verdict .send button.copy').dataset.copy),
    await ff.run(() => document.querySelector('#send-text').textContent), 'the Copy button copies the redacted request');
  await ff.click('#redact');
  await ff.waitFor(() => document.querySelector('#redaction').hidden, { what: 'the names back' });
  assert.ok(left(await shown()).length > 0);
  await noErrors();
});

test('Firefox ESR: a picked folder keeps its paths and hosts', async () => {
  await open();
  await pickFolder(join(bundles, 'seed-technote'));
  assert.equal(await done(), 'cause-found');
  await seedDiagnosisIsRight();
  const hosts = await ff.run(() => [...new Set([...document.querySelectorAll('table.files td.host')].map((e) => e.textContent))].sort());
  assert.deepEqual(hosts, ['media01', 'myclient']);
  assert.equal(await savedJson(), cli(['seed-technote'], bundles));
  await noErrors();
});

test('Firefox ESR: an archive of the case', async () => {
  const archive = join(scratch, 'case.tar.gz');
  const tar = spawnSync('tar', ['-czf', archive, '-C', join(bundles, 'seed-technote'), ...seedFiles]);
  assert.equal(tar.status, 0, String(tar.stderr));
  await open();
  await ff.type('#pick-files', archive);
  assert.equal(await done(), 'cause-found');
  await seedDiagnosisIsRight();
  assert.equal(await ff.run(() => document.querySelectorAll('tr[data-format="archive"]').length), 1);
  assert.match(await ff.run(() => document.querySelector('#verdict .scope').textContent), /^Read 3 files \(from an archive\)/);
  await noErrors();
});

test('Firefox ESR: each verdict', async () => {
  const png = join(scratch, 'screenshot.png');
  await writeFile(png, Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d763f8ffff3f0005fe02fe0def46b80000000049454e44ae426082', 'hex'));
  await open();
  await ff.type('#pick-files', png);
  assert.equal(await done(), 'nothing-read');
  assert.equal(await ff.run(() => document.querySelector('#verdict-title').textContent), 'Nothing could be read');
  assert.match(await ff.run(() => document.querySelector('.files-seen').textContent), /screenshot\.png: not text/);

  // Once a report is shown the paste box is folded, its summary still there: unfold it.
  await ff.click('#paste-box summary');
  await ff.waitFor(() => document.querySelector('#paste-box').open, { what: 'the paste box unfolded' });
  await ff.type('#paste-text', 'The backup failed with status 13, here are the logs');
  await ff.click('#analyze-paste');
  await ff.waitFor(() => document.querySelector('#files th.path')?.textContent === 'pasted text.txt', { what: 'the pasted text read' });
  assert.equal(await done(), 'nothing-read');
  assert.match(await ff.run(() => document.querySelector('#verdict .headline').textContent), /The text names status 13 \(file read failed\)\./);

  // Status 24 with a broken pipe on the client: no known pattern explains it (tests/bundles/expected.toml).
  await pickFolder(join(bundles, 'broken-pipe-24'));
  await ff.waitFor(() => document.querySelector('#results').dataset.verdict === 'errors-unexplained' && document.querySelector('#app').dataset.state === 'done',
    { what: 'errors-unexplained' });
  assert.match(await ff.run(() => document.querySelector('#verdict .headline').textContent), /this does not mean the job is healthy/);
  assert.equal(await ff.run(() => document.querySelectorAll('#verdict .error-lines .evidence-line').length), 5);
  // One owner: reading the logs is the backup admin's; the network team's check is on the status card.
  assert.equal(await ff.run(() => document.querySelector('#verdict .send h3').textContent), 'Send to the backup admin');
  assert.match(await ff.run(() => document.querySelector('#verdict .coverage').textContent), /^You sent only client9's bpbkar log and the Job Details\. Not sent: bpbrm and bptm from the media server; bpcd from client9\./);

  await pickFolder(join(bundles, 'healthy'));
  await ff.waitFor(() => document.querySelector('#results').dataset.verdict === 'clean' && document.querySelector('#app').dataset.state === 'done', { what: 'clean' });
  assert.match(await ff.run(() => document.querySelector('#verdict').className), /\bok\b/);
  assert.match(await ff.run(() => document.querySelector('#verdict .coverage').textContent), /^These lines come from media01's bpbrm log/);

  // Lines that stop before the job's outcome: grey, never green.
  await pickFolder(join(bundles, 'pbx-rst'));
  await ff.waitFor(() => document.querySelector('#results').dataset.verdict === 'no-failure-seen' && document.querySelector('#app').dataset.state === 'done', { what: 'no-failure-seen' });
  assert.doesNotMatch(await ff.run(() => document.querySelector('#verdict').className), /\bok\b/);
  assert.match(await ff.run(() => document.querySelector('#verdict').className), /\bno-outcome\b/);
  assert.match(await ff.run(() => document.querySelector('#verdict .coverage').textContent), /^You sent only media01's bpbrm log and myclient's vnetd log\. Not sent: bptm from media01; bpbkar from myclient\./);
  assert.match(await ff.run(() => document.querySelector('#send-text').textContent), /^Collect the debug logs of bptm from media01, and bpbkar from myclient for /);
  await writeFile(join(artifacts, 'firefox-no-failure-seen.png'), await ff.screenshot());

  // An error line and no outcome: errors-unexplained, never green.
  await pickFolder(join(bundles, 'stray-error-line'));
  await ff.waitFor(() => document.querySelector('#results').dataset.verdict === 'errors-unexplained' && document.querySelector('#app').dataset.state === 'done', { what: 'errors-unexplained (a stray error line)' });
  assert.equal(await ff.run(() => document.querySelectorAll('#verdict .error-lines .evidence-line').length), 1);
  await noErrors();
});

test('Firefox ESR: the arrow keys keep the selected log line in the window, not only in the list', async () => {
  await open();
  await ff.click('#try-sample');
  assert.equal(await done(), 'cause-found');
  await ff.waitFor(() => document.querySelector('#viewer-rows .row[data-line]'), { what: 'the viewer\'s rows' });
  // The list's top 100 px in the window, the rest of it below the fold; focus without scrolling.
  await ff.run(() => {
    const list = document.querySelector('#viewer');
    window.scrollTo(0, list.getBoundingClientRect().top + window.scrollY - window.innerHeight + 100);
    list.focus({ preventScroll: true });
  });
  assert.ok(await ff.run(() => document.querySelector('#viewer').getBoundingClientRect().bottom > window.innerHeight), 'the list reaches past the window');
  const inWindow = () => ff.run(() => {
    const r = document.querySelector('#viewer-rows .row.selected').getBoundingClientRect();
    return r.top >= -0.5 && r.bottom <= window.innerHeight + 0.5;
  });
  await ff.type('#viewer', '\uE011'); // Home
  await ff.waitFor(() => document.querySelector('#viewer-rows .row.selected')?.dataset.index === '0', { what: 'the first row selected' });
  for (let i = 1; i <= 25; i++) {
    await ff.type('#viewer', '\uE015'); // ArrowDown
    await ff.waitFor((n) => document.querySelector('#viewer-rows .row.selected')?.dataset.index === String(n), { what: `row ${i} selected` }, i);
    assert.ok(await inWindow(), `row ${i} is out of the window`);
  }
  await ff.run(() => window.scrollBy(0, 400));
  for (let i = 24; i >= 18; i--) {
    await ff.type('#viewer', '\uE013'); // ArrowUp
    await ff.waitFor((n) => document.querySelector('#viewer-rows .row.selected')?.dataset.index === String(n), { what: `row ${i} selected` }, i);
    assert.ok(await inWindow(), `row ${i} is out of the window`);
  }
  await writeFile(join(artifacts, 'firefox-viewer-keys.png'), await ff.screenshot());
  await noErrors();
});

test("Firefox ESR: a job list's groups, its table sorted, and one job's tries", async () => {
  await open();
  await pickFolder(join(bundles, 'job-list-night'));
  await done();
  assert.equal(await ff.run(() => document.querySelector('#tab-jobs').getAttribute('aria-selected')), 'true');
  const groups = await ff.run(() => [...document.querySelectorAll('#jobs-groups .job-group h4')].map((h) => h.textContent));
  assert.ok(groups.length >= 2, groups.join(' | '));
  await ff.click('#jobs-head button[data-sort=id]');
  const ids = await ff.run(() => [...document.querySelectorAll('#jobs-rows tr')].map((r) => Number(r.dataset.jobId)));
  assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
  await ff.click('#jobs-rows tr[data-job-id="1201"] td');
  await ff.waitFor(() => document.querySelector('#job-thread-tries ol.job-lines li'), { what: "the job's tries" });
  const lines = await ff.run(() => [...document.querySelectorAll('#job-thread-tries li')].map((l) => l.textContent));
  assert.ok(lines.some((l) => l.includes('image write failed: error 2060022')), lines.join('\n'));
  await writeFile(join(artifacts, 'firefox-jobs.png'), await ff.screenshot());
  await noErrors();
});
