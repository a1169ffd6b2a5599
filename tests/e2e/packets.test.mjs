// A connection's packets as rows of the log viewer (issue 24) in Chromium: the
// `capture-silent-drop` bundle (constructed, see tests/bundles/README.md) dropped as a folder,
// "Show this connection's packets" on the capture finding's card, the SYN and its two
// retransmissions listed with their times on media01's log clock among media01's and
// myclient's log lines, every packet row tagged and reachable by keyboard, no payload, and
// "Show all lines" lifting it; with "Redact names" on, no original address in a packet row.
// The `capture-zero-window` bundle, whose capture no finding places on a log clock, lists its
// packets alone, in UTC.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, seriousViolations } from './browser.mjs';
import { serve } from './serve.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
const artifacts = join(here, 'artifacts');
/** A packet row: addresses, flags, a closed window, a retransmission; nothing else. */
const packetRow = /^[\w.:[\]-]+:\d+ → [\w.:[\]-]+:\d+( (SYN-ACK|SYN|RST|FIN|PSH|ACK|window 0|retransmission))+( \(UTC\))?$/;

let browser;
let server;

before(async () => {
  await mkdir(artifacts, { recursive: true });
  server = await serve({ root: join(root, 'dist') });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.close();
});

async function openWithBundle(name) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(server.url);
  await page.waitForSelector('#app[data-state="idle"]');
  await page.setInputFiles('input[type=file][webkitdirectory]', join(root, 'tests/bundles', name));
  await page.waitForSelector('#app[data-state="done"], #app[data-state="error"]', { timeout: 60_000 });
  assert.equal(await page.getAttribute('#app', 'data-state'), 'done', await page.textContent('#error'));
  return { page, context, errors };
}

/** Every row the viewer draws from the first, by moving the selection down with the keys. */
async function rowsByKeyboard(page) {
  await page.focus('#viewer');
  await page.keyboard.press('Home');
  const seen = new Map();
  for (let i = 0; i < 400; i++) {
    const row = page.locator('#viewer-rows .row.selected');
    await row.waitFor();
    const index = Number(await row.getAttribute('data-index'));
    if (seen.has(index)) break;
    seen.set(index, {
      packet: (await row.getAttribute('class')).includes('packet'),
      time: await row.locator('.time').textContent(),
      where: await row.locator('.where').textContent(),
      text: await row.locator('.text').textContent(),
    });
    await page.keyboard.press('ArrowDown');
  }
  return [...seen.values()];
}

test("a capture finding's packets among its hosts' log lines, by time, with no payload", async () => {
  const { page, context, errors } = await openWithBundle('capture-silent-drop');
  const card = page.locator('article.card[data-rule="capture-handshake"]');
  await card.locator('button[data-packets]').click();
  await page.waitForSelector('#viewer-thread:not([hidden])');
  await page.waitForFunction(() => /rows of the packets from 2\.2\.2\.2 to 3\.3\.3\.3 port 1556 shown: 6 packets$/
    .test(document.querySelector('#viewer-status').textContent));
  const rows = await rowsByKeyboard(page);
  const packets = rows.filter((r) => r.packet);
  assert.deepEqual(packets.map((r) => [r.time, r.text]), [
    ['17:49:54.222', '2.2.2.2:3582 → 3.3.3.3:1556 SYN'],
    ['17:49:57.222', '2.2.2.2:3582 → 3.3.3.3:1556 SYN retransmission'],
    ['17:50:03.222', '2.2.2.2:3582 → 3.3.3.3:1556 SYN retransmission'],
    ['17:50:04.818', '2.2.2.2:3585 → 3.3.3.3:1556 SYN'],
    ['17:50:07.818', '2.2.2.2:3585 → 3.3.3.3:1556 SYN retransmission'],
    ['17:50:13.818', '2.2.2.2:3585 → 3.3.3.3:1556 SYN retransmission'],
  ]);
  assert.ok(packets.every((r) => r.where.toLowerCase() === 'packet' && packetRow.test(r.text)), JSON.stringify(packets));
  // Interleaved by time with the log lines of both hosts, within the packets' times.
  const logs = rows.filter((r) => !r.packet);
  assert.ok(logs.some((r) => r.text.includes('vnet_async_connect: ... 0: connect in progress: 1')), 'media01 bpbrm');
  assert.ok(logs.some((r) => r.where.includes('myclient')), 'myclient lines');
  assert.ok(!logs.some((r) => r.text.startsWith('17:46:')), 'no line from before the window');
  const times = rows.map((r) => r.time);
  assert.deepEqual(times, [...times].sort(), 'in time order');
  const first = rows.findIndex((r) => r.packet);
  assert.ok(first > 0 && rows[first - 1].text.startsWith('17:49:54.006'), 'the first SYN after the connect it starts');
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown');
  await page.screenshot({ path: join(artifacts, 'packets-rows.png'), fullPage: true });
  await page.locator('#viewer-section').screenshot({ path: join(artifacts, 'packets-viewer.png') });

  // The packets stay while the level filter changes, and go with "Show all lines".
  await page.selectOption('#f-level', '2');
  await page.waitForFunction(() => /shown: 6 packets$/.test(document.querySelector('#viewer-status').textContent));
  await page.click('#viewer-thread-clear');
  await page.waitForSelector('#viewer-thread[hidden]', { state: 'attached' });
  await page.waitForFunction(() => !/packets/.test(document.querySelector('#viewer-status').textContent));
  assert.equal(await page.locator('#viewer-rows .row.packet').count(), 0);

  // Redacted: no original address in a packet row.
  await page.check('#redact');
  await page.waitForSelector('#redaction:not([hidden])');
  await card.locator('button[data-packets]').click();
  await page.waitForSelector('#viewer-rows .row.packet');
  const redacted = await page.locator('#viewer-rows .row.packet .text').allTextContents();
  assert.ok(redacted.length > 0);
  assert.ok(redacted.every((t) => !t.includes('2.2.2.2') && !t.includes('3.3.3.3')), redacted.join('\n'));
  assert.doesNotMatch(await page.textContent('#viewer-status'), /2\.2\.2\.2|3\.3\.3\.3/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a capture no finding places on a log clock: its packets alone, in UTC', async () => {
  const { page, context, errors } = await openWithBundle('capture-zero-window');
  await page.locator('article.card[data-rule="capture-zero-window"] button[data-packets]').click();
  await page.waitForFunction(() => /times in UTC/.test(document.querySelector('#viewer-status').textContent));
  const rows = await rowsByKeyboard(page);
  assert.ok(rows.length > 0 && rows.every((r) => r.packet && packetRow.test(r.text)), JSON.stringify(rows.slice(0, 5)));
  assert.equal(rows[0].time, '10:10:00.000');
  assert.ok(rows.some((r) => r.text.includes('window 0')), 'the closed window');
  await page.screenshot({ path: join(artifacts, 'packets-utc.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('packet rows and the button: no serious accessibility violation in either theme (axe-core)', async () => {
  for (const colorScheme of ['light', 'dark']) {
    // axe is injected as a script, which the page's policy forbids: bypass it for this check only.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.waitForSelector('#app[data-state="idle"]');
    await page.setInputFiles('input[type=file][webkitdirectory]', join(root, 'tests/bundles/capture-silent-drop'));
    await page.waitForSelector('#app[data-state="done"]', { timeout: 60_000 });
    await page.locator('article.card[data-rule="capture-handshake"] button[data-packets]').click();
    await page.waitForSelector('#viewer-rows .row.packet');
    const violations = await seriousViolations(page);
    assert.deepEqual(violations, [], `${colorScheme} theme`);
    if (colorScheme === 'dark') await page.locator('#viewer-section').screenshot({ path: join(artifacts, 'packets-dark.png') });
    await context.close();
  }
});
