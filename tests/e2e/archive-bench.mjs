// Page benchmark of the log viewer over archives: drops each input (a generated bundle's folder,
// or an archive of it) on the built page in headless Chromium, then measures what reading lines
// back costs: the first rows after the analysis, a jump to an evidence line, rows at eight places
// scrolled to, and a text search; with the analysis's wall time, scan time, WebAssembly memory
// and the growth of Chromium's resident memory. Prints a Markdown table row per input.
//   node archive-bench.mjs PATH [PATH...]     (run from tests/e2e, after the page is built)
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, dirname, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const server = await serve({ root: process.env.DIST ?? join(here, '../../dist') });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});

/** Resident memory (bytes) of this process's descendants (Chromium). */
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

const settled = (page) => page.waitForFunction(() => document.querySelectorAll('#viewer-rows .row').length > 0
  && !document.querySelector('#viewer-rows .loading'), null, { timeout: 600_000, polling: 10 });
const timed = async (work) => { const t = performance.now(); await work(); return performance.now() - t; };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
const msf = (ms) => `${Math.round(ms)} ms`;
const mib = (b) => `${Math.round(b / 2 ** 20)} MiB`;

const workers = Number(process.env.WORKERS ?? 1);
for (const input of process.argv.slice(2)) {
  const folder = statSync(input).isDirectory();
  const cli = spawnSync(join(process.env.CARGO_TARGET_DIR ?? join(here, '../../target'), 'release/nbtriage'),
    ['analyze', '--format', 'json', basename(input)], { cwd: dirname(input), encoding: 'utf8', maxBuffer: 256 << 20 });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(`${server.url}?workers=${workers}`);
  await page.waitForSelector('#app[data-state="idle"]');
  const idle = treeRss(process.pid);
  let peak = idle;
  const sampler = setInterval(() => { peak = Math.max(peak, treeRss(process.pid)); }, 100);
  const t0 = performance.now();
  if (folder) await page.setInputFiles('input[type=file][webkitdirectory]', input);
  else await page.setInputFiles('input[type=file][multiple]:not([webkitdirectory])', input);
  await page.waitForSelector('#app[data-state="done"], #app[data-state="error"]', { timeout: 1_800_000 });
  const wall = performance.now() - t0;
  if (await page.getAttribute('#app', 'data-state') !== 'done') throw new Error(`${input}: ${await page.textContent('#error')}`);
  const first = await timed(() => settled(page));
  // A jump to the first evidence line of the first card.
  const jump = await timed(async () => {
    await page.locator('.card .evidence-line').first().click();
    await page.waitForFunction(() => document.querySelector('#viewer-rows .row.selected')
      && !document.querySelector('#viewer-rows .loading'), null, { timeout: 600_000, polling: 10 });
  });
  // Rows at eight places of the list.
  const scrolls = [];
  for (const f of [0.13, 0.87, 0.31, 0.55, 0.05, 0.72, 0.41, 0.97]) {
    scrolls.push(await timed(async () => {
      await page.evaluate((x) => {
        const v = document.querySelector('#viewer');
        v.scrollTop = Math.floor((v.scrollHeight - v.clientHeight) * x);
      }, f);
      await page.waitForFunction(() => document.querySelector('#viewer-rows .loading'), null, { timeout: 2000, polling: 5 }).catch(() => {});
      await settled(page);
    }));
  }
  const before = await page.textContent('#viewer-status');
  const search = await timed(async () => {
    await page.fill('#f-text', 'SO_ERROR');
    await page.press('#f-text', 'Enter');
    await page.waitForFunction((b) => {
      const now = document.querySelector('#viewer-status').textContent;
      return now !== b && /lines shown/.test(now);
    }, before, { timeout: 1_800_000 });
  });
  clearInterval(sampler);
  peak = Math.max(peak, treeRss(process.pid));
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-json')]);
  const same = readFileSync(await download.path(), 'utf8') === cli.stdout ? 'yes' : '**no**';
  const get = async (name) => Number(await page.getAttribute('#app', name));
  console.log(`| ${basename(input)} | ${workers || 'one per core'} | ${s(wall)} | ${s(await get('data-scan-ms'))} | `
    + `${mib(await get('data-wasm-bytes'))} | ${mib(peak - idle)} | ${msf(first)} | ${msf(jump)} | `
    + `${msf(median(scrolls))} (max ${msf(Math.max(...scrolls))}) | ${s(search)} | ${same} |`);
  await page.close();
}
await browser.close();
server.close();
