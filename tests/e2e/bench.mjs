// Page benchmark: drops generated bundles on the built page in headless Chromium and measures
// wall time (drop → data-state="done"), the worker's scan time, WebAssembly memory, the page's
// JS heap, the peak resident memory of all Chromium processes, and then the time of a text
// search in the log viewer (every file read again); and whether the report the page saves is
// the CLI's, byte for byte. Prints a Markdown table row per run.
//   node bench.mjs DIR [DIR...]        (run from tests/e2e, after the page is built)
// PAGE=file opens dist/nbtriage.html from disk instead of serving dist/; DIST=... another dist/.
import { readFileSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, dirname, basename } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = process.env.DIST ?? join(here, '../../dist');
const server = await serve({ root: dist });
const fromDisk = process.env.PAGE === 'file';
const pageUrl = fromDisk ? pathToFileURL(join(dist, 'nbtriage.html')).href : server.url;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});

/** Resident memory (bytes) of a process and all its descendants. */
function treeRss(root) {
  const parent = new Map();
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      parent.set(Number(pid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch { /* gone */ }
  }
  let total = 0;
  for (const pid of parent.keys()) {
    let p = pid;
    while (p && p !== root) p = parent.get(p);
    if (p !== root) continue;
    try {
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (rss) total += Number(rss[1]) * 1024;
    } catch { /* gone */ }
  }
  return total;
}

// Chromium runs as children of this process: their memory is this tree's growth.
const browserPid = process.pid;
const mib = (b) => `${Math.round(b / 2 ** 20).toLocaleString('en')} MiB`;
for (const dir of process.argv.slice(2)) {
  // The CLI's report on the same folder, named as the page names it (paths start with the folder).
  const cli = spawnSync(join(process.env.CARGO_TARGET_DIR ?? join(here, '../../target'), 'release/nbtriage'), ['analyze', '--format', 'json', basename(dir)],
    { cwd: dirname(dir), encoding: 'utf8', maxBuffer: 256 << 20 });
  if (cli.status !== 0) throw new Error(`the CLI failed on ${dir}: ${cli.stderr}`);
  for (const workers of [1, 0]) {
    const page = await browser.newPage();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(`${pageUrl}?workers=${workers}`);
    await page.waitForSelector('#app[data-state="idle"]');
    const idle = treeRss(browserPid);
    let peak = idle;
    let heap = 0;
    const sampler = setInterval(async () => {
      peak = Math.max(peak, treeRss(browserPid));
      try {
        const { metrics } = await cdp.send('Performance.getMetrics');
        heap = Math.max(heap, metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0);
      } catch { /* page busy */ }
    }, 100);
    const t0 = performance.now();
    await page.setInputFiles('input[type=file][webkitdirectory]', dir);
    await page.waitForSelector('#app[data-state="done"], #app[data-state="error"]', { timeout: 600_000 });
    const wall = performance.now() - t0;
    const state = await page.getAttribute('#app', 'data-state');
    if (state !== 'done') throw new Error(`${dir}: ${await page.textContent('#error')}`);
    // Then a text search in the viewer, which reads every file again; a bundle of job lists
    // alone opens on the jobs view with no log viewer, and has no search time ("–").
    let search = NaN;
    if (await page.locator('#f-text').isVisible()) {
      await page.waitForFunction(() => /lines shown/.test(document.querySelector('#viewer-status').textContent));
      const before = await page.textContent('#viewer-status');
      const t1 = performance.now();
      await page.fill('#f-text', 'SO_ERROR');
      await page.press('#f-text', 'Enter');
      await page.waitForFunction((b) => {
        const now = document.querySelector('#viewer-status').textContent;
        return now !== b && /lines shown/.test(now);
      }, before, { timeout: 600_000 });
      search = performance.now() - t1;
    }
    clearInterval(sampler);
    peak = Math.max(peak, treeRss(browserPid));
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-json')]);
    const same = readFileSync(await download.path(), 'utf8') === cli.stdout ? 'yes' : '**no**';
    const get = async (name) => Number(await page.getAttribute('#app', name));
    const [bytes, scanMs, wasm] = [await get('data-bytes'), await get('data-scan-ms'), await get('data-wasm-bytes')];
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    console.log(`| ${dir.split('/').pop()}${fromDisk ? ', nbtriage.html' : ''} | ${workers || `${cores} (one per core)`} | ${(wall / 1000).toFixed(2)} s | ` +
      `${(scanMs / 1000).toFixed(2)} s | ${Math.round(bytes / 1e6 / (scanMs / 1000)).toLocaleString('en')} MB/s | ` +
      `${mib(wasm)} | ${mib(heap)} | ${mib(peak - idle)} | ${await page.locator('.card').count()} | ${same} | ${Number.isNaN(search) ? '–' : `${(search / 1000).toFixed(2)} s`} |`);
    await page.close();
  }
}
await browser.close();
server.close();
