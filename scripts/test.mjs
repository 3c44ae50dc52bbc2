// `npm test`: set up, start the stack on free loopback ports, run every suite
// (node:test for Node code, web-test-runner in Chromium, Firefox and WebKit for browser code,
// playwright-core end-to-end), and stop every server, also when a test fails.
// Pass suite names to run some: `npm test -- node browser e2e`.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { devStaticMounts } from './dev-paths.mjs';
import { prepare } from './prepare.mjs';

const t0 = Date.now();
prepare({ needTestBrowsers: true });

const { loadConfig } = await import('@wd-video/server');
const { startStack } = await import('@wd-video/server');
const { freePort } = await import('@wd-video/server/processes.js');

const suites = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const want = (s) => suites.length === 0 || suites.includes(s);

const wtrPort = await freePort();
const config = loadConfig(
  { ...process.env, WD_STATE_DIR: process.env.WD_STATE_DIR ?? '.wd/test' },
  {
    anonymous: true,
    serveStatic: true,
    rateLimit: 100_000,
    // The push end-to-end test stands in for the browser's push service on loopback.
    pushLoopback: true,
    allowedOrigins: [`http://127.0.0.1:${wtrPort}`, `http://localhost:${wtrPort}`],
  },
);
const stack = await startStack(config, { freePorts: true, staticMounts: devStaticMounts() });
globalThis.wdTestStack = stack;
const env = {
  ...process.env,
  WD_TEST_HTTP_URL: stack.url,
  WD_TEST_STATE_DIR: config.stateDir,
  WD_TEST_NATS_WS: stack.config.natsServers.join(','),
  WD_TEST_NATS_PORT: String(stack.nats[0].port),
  WD_TEST_NATS_MONITOR: String(stack.nats[0].monitorPort),
  WD_TEST_TURN_PORT: String(stack.config.turnPort),
  WD_TEST_WTR_PORT: String(wtrPort),
};
Object.assign(process.env, env);

let failed = false;
const failedSuites = [];
const onSignal = async () => {
  await stack.stop();
  process.exit(130);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

function runNode(files) {
  return new Promise((ok) => {
    const p = // --conditions=development: the SDK's development build, where an illegal state transition throws.
    spawn(process.execPath, ['--conditions=development', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files], { stdio: 'inherit', env });
    p.on('exit', (code) => ok(code === 0));
  });
}
/** Every *.test.js below `dir` (Node 20 has no fs.glob). */
function files(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .filter((f) => f.endsWith('.test.js'))
    .map((f) => join(dir, f))
    .sort();
}

try {
  if (want('node')) {
    console.log('\n== node tests (server, protocol, state machine) ==');
    // WD_TEST_NODE_FILES=build/test/node/x.test.js,...: some of them.
    if (!(await runNode(process.env.WD_TEST_NODE_FILES?.split(',') ?? files('build/test/node')))) failedSuites.push('node');
  }
  if (want('browser')) {
    console.log('\n== browser tests (Chromium, Firefox, WebKit; real stack) ==');
    const { startTestRunner } = await import('@web/test-runner');
    const runner = await startTestRunner({ readCliArgs: false, autoExitProcess: false, configName: 'web-test-runner.config' });
    if (!runner) failedSuites.push('browser');
    else {
      // On 'finished' the runner's CLI starts stop() itself, so our stop() can return at
      // once: 'stopped' is when every browser (and WebKit's Xvfb and driver) is closed.
      const stopped = new Promise((ok) => runner.on('stopped', ok));
      const passed = await new Promise((ok) => runner.on('finished', ok));
      await runner.stop();
      await stopped;
      if (!passed) failedSuites.push('browser');
    }
  }
  if (want('e2e')) {
    // WD_TEST_E2E_FILES=build/test/e2e/x.test.js,...: some of them.
    const e2e = process.env.WD_TEST_E2E_FILES?.split(',') ?? files('build/test/e2e');
    if (e2e.length) {
      console.log('\n== end-to-end (playwright-core and puppeteer-core: Chromium, Firefox) ==');
      if (!(await runNode(e2e))) failedSuites.push('e2e');
    }
  }
} catch (e) {
  console.error(e);
  failedSuites.push('the runner itself');
} finally {
  await stack.stop();
}
failed = failedSuites.length > 0;
// The end of the output is what a CI log keeps: say there which suite failed and, for the
// browser suite, which test (test/browser/failure-summary-reporter.mjs); node:test's spec
// reporter already lists its failures at the end of its own output.
if (failed) console.log(`\nfailed suites: ${failedSuites.join(', ')}`);
if (globalThis.wdBrowserFailureSummary) console.log(`\n${globalThis.wdBrowserFailureSummary}`);
console.log(`\nwd-video tests ${failed ? 'FAILED' : 'passed'} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
process.exit(failed ? 1 : 0);
