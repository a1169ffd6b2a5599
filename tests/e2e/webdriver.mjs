// A small W3C WebDriver client for Debian's Firefox ESR through geckodriver (installed by
// tests/run-all: `cargo install geckodriver`). playwright-core drives only its own patched
// Firefox builds, which cannot be downloaded here; plain WebDriver drives the Firefox customers
// run. Node's standard library only (fetch, child_process).
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { homedir } from 'node:os';

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

/** Where geckodriver is: GECKODRIVER, else cargo's bin folder, else PATH. */
export function geckodriverPath() {
  if (process.env.GECKODRIVER) return process.env.GECKODRIVER;
  const cargo = join(process.env.CARGO_HOME ?? join(homedir(), '.cargo'), 'bin', 'geckodriver');
  return existsSync(cargo) ? cargo : 'geckodriver';
}

export const firefoxBinary = process.env.FIREFOX ?? '/usr/bin/firefox-esr';

function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** Starts geckodriver and a headless Firefox session. */
export async function launchFirefox({ width = 1280, height = 900 } = {}) {
  const port = await freePort();
  const driver = spawn(geckodriverPath(), ['--port', String(port), '--host', '127.0.0.1', '--binary', firefoxBinary, '--log', 'error'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  driver.stderr.on('data', (d) => { stderr += d; });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      const r = await fetch(`${base}/status`);
      if (r.ok) break;
    } catch { /* not listening yet */ }
    if (i > 100 || driver.exitCode !== null) throw new Error(`geckodriver did not start: ${stderr}`);
    await sleep(100);
  }
  const session = new Session(base, driver);
  const created = await session.command('POST', '/session', {
    capabilities: {
      alwaysMatch: {
        browserName: 'firefox',
        'moz:firefoxOptions': {
          binary: firefoxBinary,
          args: ['-headless', `--width=${width}`, `--height=${height}`],
          prefs: { 'browser.shell.checkDefaultBrowser': false, 'datareporting.policy.dataSubmissionEnabled': false },
        },
      },
    },
  }, false);
  session.id = created.sessionId;
  session.capabilities = created.capabilities;
  return session;
}

export class Session {
  constructor(base, driver) {
    this.base = base;
    this.driver = driver;
  }

  async command(method, path, body, inSession = true) {
    const url = `${this.base}${inSession ? `/session/${this.id}` : ''}${path}`;
    const response = await fetch(url, {
      method,
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = await response.json();
    if (!response.ok || data.value?.error) {
      throw new Error(`WebDriver ${method} ${path}: ${data.value?.error}: ${data.value?.message}`);
    }
    return data.value;
  }

  goto(url) { return this.command('POST', '/url', { url }); }

  async find(css) {
    const found = await this.command('POST', '/element', { using: 'css selector', value: css });
    return found[ELEMENT];
  }

  async click(css) { return this.command('POST', `/element/${await this.find(css)}/click`, {}); }

  /** Types `text` into the element; for a file input, the path (or paths, one a line) to pick. */
  async type(css, text) { return this.command('POST', `/element/${await this.find(css)}/value`, { text }); }

  /** Runs `fn` (a function, given as source) in the page with `args`; returns its value. */
  run(fn, ...args) {
    return this.command('POST', '/execute/sync', { script: `return (${fn}).apply(null, arguments)`, args });
  }

  /** Runs an async `fn` in the page and waits for its promise. */
  runAsync(fn, ...args) {
    return this.command('POST', '/execute/async', {
      script: `const done = arguments[arguments.length - 1]; Promise.resolve((${fn}).apply(null, Array.prototype.slice.call(arguments, 0, -1))).then((v) => done({ ok: v }), (e) => done({ error: String(e) }));`,
      args,
    }).then((r) => { if ('error' in r) throw new Error(r.error); return r.ok; });
  }

  /** Waits until `fn` (run in the page) returns a truthy value; returns it. */
  async waitFor(fn, { timeout = 60_000, what = String(fn) } = {}, ...args) {
    const end = Date.now() + timeout;
    for (;;) {
      const value = await this.run(fn, ...args).catch(() => undefined);
      if (value) return value;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await sleep(100);
    }
  }

  async screenshot() {
    return Buffer.from(await this.command('GET', '/screenshot'), 'base64');
  }

  async quit() {
    try {
      await this.command('DELETE', '');
    } finally {
      this.driver.kill();
    }
  }
}
