// A web-test-runner launcher for WebKit: Debian's webkit2gtk-driver
// (WebKitWebDriver, which starts the MiniBrowser) on an Xvfb display of its
// own, spoken to in plain W3C WebDriver over fetch. @web/test-runner-webdriver
// does the same through webdriverio, a large dependency tree (with driver
// downloaders) for the four commands used here: new session, navigate, key
// actions, delete session.
// Every process it starts (Xvfb, WebKitWebDriver and through it MiniBrowser)
// is stopped in stop(), by its pid or through the WebDriver session.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const miniBrowserPath = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/**
 * MiniBrowser's flags: without --automation the session request hangs; the
 * media-stream flags give a fake camera and microphone; autoplay as in the
 * other engines' test set-up.
 */
export const miniBrowserArgs = ['--automation', '--enable-media-stream=true', '--enable-mock-capture-devices=true', '--autoplay-policy=allow'];

/** WebDriver's codes for the named keys @web/test-runner-commands' sendKeys({ press }) uses. */
const KEYS = {
  Enter: '\uE007',
  Escape: '\uE00C',
  Tab: '\uE004',
  Space: ' ',
  Backspace: '\uE003',
  ArrowLeft: '\uE012',
  ArrowUp: '\uE013',
  ArrowRight: '\uE014',
  ArrowDown: '\uE015',
};

function logTo(name) {
  const dir = join(process.env.WD_TEST_STATE_DIR ?? '.wd/test', 'logs');
  mkdirSync(dir, { recursive: true });
  return createWriteStream(join(dir, `${name}.log`), { flags: 'a' });
}

/** Starts `cmd`, its output in .wd/test/logs/<name>.log; resolves `exited` with its code. */
function start(name, cmd, args, options = {}) {
  const log = logTo(name);
  const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe', ...(options.extraStdio ?? [])], env: options.env ?? process.env });
  proc.stdout.pipe(log);
  proc.stderr.pipe(log);
  const exited = new Promise((ok) => {
    proc.once('exit', (code) => ok(code));
    proc.once('error', (e) => {
      log.write(`spawn error: ${e.message}\n`);
      ok(-1);
    });
  });
  return { name, proc, exited };
}

async function stop(child) {
  if (!child || child.proc.exitCode !== null || child.proc.signalCode !== null) return;
  child.proc.kill('SIGTERM');
  const timer = setTimeout(() => child.proc.kill('SIGKILL'), 3000);
  await child.exited;
  clearTimeout(timer);
}

/** Xvfb picks a free display itself (-displayfd) and writes its number to fd 3. */
async function startXvfb() {
  const x = start('xvfb', 'Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { extraStdio: ['pipe'] });
  const display = await new Promise((ok, fail) => {
    let out = '';
    x.proc.stdio[3].on('data', (d) => {
      out += d;
      if (out.includes('\n')) ok(`:${out.trim()}`);
    });
    void x.exited.then((code) => fail(new Error(`Xvfb exited with code ${code} (see .wd/test/logs/xvfb.log)`)));
  });
  return { x, display };
}

async function freeLoopbackPort() {
  const { freePort } = await import('@wd-video/server/processes.js');
  return freePort('127.0.0.1');
}

class WebkitLauncher {
  name = 'WebKit';
  // What @web/test-runner-commands checks to send keys through sendKeys() below.
  type = 'webdriver';
  // One WebDriver session is one window: one test file at a time.
  concurrency = 1;
  urls = new Map();

  initialize(config) {
    this.config = config;
  }

  async startSession(id, url) {
    await this.ensureSession();
    this.urls.set(id, url);
    await this.command('POST', '/url', { url });
  }

  isActive(id) {
    return this.urls.has(id);
  }

  getBrowserUrl(id) {
    return this.urls.get(id);
  }

  async stopSession(id) {
    // An empty page stops whatever the test left running (timers, calls).
    await this.command('POST', '/url', { url: 'about:blank' });
    this.urls.delete(id);
    return {};
  }

  async startDebugSession() {
    throw new Error('WebKit: no debug sessions (run a Chromium or Firefox session to debug)');
  }

  /** For sendKeys({ press }) and sendKeys({ type }): one key down and up per entry. */
  async sendKeys(_id, keys) {
    const actions = keys.flatMap((k) => {
      const value = KEYS[k] ?? k;
      if ([...value].length !== 1) throw new Error(`WebKit sendKeys: no WebDriver code for key "${k}"`);
      return [
        { type: 'keyDown', value },
        { type: 'keyUp', value },
      ];
    });
    await this.command('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions }] });
  }

  async stop() {
    const session = this.session;
    this.session = undefined;
    this.starting = undefined;
    try {
      if (session) await this.request('DELETE', `/session/${session}`);
    } catch {
      // the driver is stopped next in any case
    }
    await stop(this.driver);
    await stop(this.xvfb);
    this.driver = this.xvfb = undefined;
  }

  ensureSession() {
    this.starting ??= this.startBrowser().catch(async (e) => {
      await this.stop();
      throw e;
    });
    return this.starting;
  }

  async startBrowser() {
    const { x, display } = await startXvfb();
    this.xvfb = x;
    const port = await freeLoopbackPort();
    this.base = `http://127.0.0.1:${port}`;
    this.driver = start('webkit-webdriver', 'WebKitWebDriver', [`--port=${port}`, '--host=127.0.0.1'], { env: { ...process.env, DISPLAY: display } });
    await this.untilDriverReady();
    const res = await this.request('POST', '/session', {
      capabilities: {
        alwaysMatch: {
          browserName: 'MiniBrowser',
          'webkitgtk:browserOptions': { binary: miniBrowserPath, args: miniBrowserArgs },
        },
      },
    });
    this.session = res.sessionId;
    this.name = `WebKit ${res.capabilities?.browserVersion ?? ''}`.trim();
  }

  async untilDriverReady() {
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (this.driver.proc.exitCode !== null) throw new Error(`WebKitWebDriver exited with code ${this.driver.proc.exitCode} (see .wd/test/logs/webkit-webdriver.log)`);
      try {
        const r = await this.request('GET', '/status');
        if (r.ready) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error('WebKitWebDriver did not answer /status within 15 s');
      await new Promise((ok) => setTimeout(ok, 100));
    }
  }

  command(method, path, body) {
    if (!this.session) throw new Error('WebKit: no WebDriver session');
    return this.request(method, `/session/${this.session}${path}`, body);
  }

  async request(method, path, body) {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(`WebKitWebDriver ${method} ${path}: ${res.status} ${json.value?.error ?? ''} ${json.value?.message ?? ''}`);
    return json.value;
  }
}

export const webkitLauncher = () => new WebkitLauncher();
