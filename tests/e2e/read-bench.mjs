// The page's reading alone, without the scan: a worker reads every file of a folder through a
// BYOB reader in 8 MiB slices and copies each out, as src/web/scan.rs does (read-bench/), in
// Debian's headless Chromium; prints the time of each of RUNS runs (default 5). BENCHMARKS.md,
// "Figures in one run", splits the page's scan time into this and the core's own.
//   node read-bench.mjs DIR            (run from tests/e2e)
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';

const server = await serve({ root: join(dirname(fileURLToPath(import.meta.url)), 'read-bench') });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
for (let run = 0; run < Number(process.env.RUNS ?? 5); run++) {
  const page = await browser.newPage();
  await page.goto(server.url);
  await page.setInputFiles('input', process.argv[2]);
  await page.waitForSelector('body[data-done]', { timeout: 600_000 });
  const { bytes, ms } = JSON.parse(await page.textContent('#out'));
  console.log(`read ${bytes.toLocaleString('en')} bytes in ${ms.toFixed(0)} ms: ${(bytes / 1e3 / ms).toFixed(0)} MB/s`);
  await page.close();
}
await browser.close();
server.close();
