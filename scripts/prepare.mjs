// Set-up shared by `npm start`, `npm test` and `npm run bench`: system programs
// (installed with apt-get when we are root), npm packages, and the build.
// Only Node built-ins here: this runs before node_modules exists.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const packages = { 'nats-server': 'nats-server', turnserver: 'coturn' };
const browser = { chromium: 'chromium' };
/** The other engines `npm test` runs the browser tests in (test/browser/launchers.mjs); WebKit's needs an X display, Xvfb. */
const testBrowsers = { 'firefox-esr': 'firefox-esr', WebKitWebDriver: 'webkit2gtk-driver', Xvfb: 'xvfb' };

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

function run(cmd, args, env = process.env) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env });
  if (r.status !== 0) {
    console.error(`\nwd-video: "${cmd} ${args.join(' ')}" failed (exit ${r.status}).`);
    process.exit(1);
  }
}

/** @param {{ needBrowser?: boolean, needTestBrowsers?: boolean, build?: boolean }} opts needBrowser: Chromium; needTestBrowsers: Chromium, Firefox and WebKit */
export function prepare({ needBrowser = false, needTestBrowsers = false, build = true } = {}) {
  const wanted = Object.entries({ ...packages, ...(needBrowser || needTestBrowsers ? browser : {}), ...(needTestBrowsers ? testBrowsers : {}) });
  const missing = wanted.filter(([cmd]) => !has(cmd)).map(([, pkg]) => pkg);
  if (missing.length) {
    const command = `apt-get update && apt-get install -y ${missing.join(' ')}`;
    const isRoot = process.getuid?.() === 0;
    if (!isRoot || !has('apt-get')) {
      console.error(`wd-video needs ${missing.join(', ')}. Install them with:\n\n  sudo ${command}\n`);
      process.exit(1);
    }
    console.log(`wd-video: installing ${missing.join(', ')} with apt-get`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    run('apt-get', ['update', '-q'], env);
    run('apt-get', ['install', '-y', '-q', ...missing], env);
  }
  // coturn's Debian package starts a system service on install; ours runs on its own ports and config.
  const lock = 'package-lock.json';
  const stamp = 'node_modules/.package-lock.json';
  if (!existsSync(stamp) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(stamp).mtimeMs)) {
    run('npm', ['ci', '--no-audit', '--no-fund']);
  }
  // WD_SKIP_BUILD=1: reuse build/ and dist/ as they are (quicker local iterations).
  if (build && !process.env.WD_SKIP_BUILD) run('npm', ['run', '--silent', 'build']);
}

export function gitRoot() {
  try {
    return execFileSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim();
  } catch {
    return process.cwd();
  }
}
