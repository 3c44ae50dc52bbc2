// `npm run bench`: (1) bundle size against lit + nats.ws and the published
// PeerJS / Twilio Video bundles, (2) call set-up in headless Chromium against
// the browser's floor and PeerJS, (3) call set-up capacity of one nats-server
// and of a 3-node cluster (multi-process load generator, rate ramp), (4)
// failover on a 3-node cluster (bench/failover.mjs), (5) the soak: 1,000
// sequential calls between two pages, then leak checks (bench/soak.mjs), (6) Web
// Push: call placed -> notification shown, by push and in a hidden tab (bench/push.mjs),
// (7) the call history: report -> missed_call notice, reading 200 records (bench/history.mjs).
// Starts and stops its own servers on loopback. `-- --quick` is the small
// version `npm test` runs. `-- size setup capacity failover soak push history` runs some parts only.
// `--workers=N`: load-generator processes for the capacity part (default: one per core, at least 2).
// Writes bench/results/<date>.json and <date>.svg (set-up distributions).
// WD_SKIP_PREPARE=1: no apt/npm/build step at all (the test's way in).
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { devStaticMounts } from './dev-paths.mjs';
import { prepare } from './prepare.mjs';

const t0 = Date.now();
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const outArg = args.find((a) => a.startsWith('--out='))?.slice(6);
const workersArg = args.find((a) => a.startsWith('--workers='))?.slice(10);
const workers = workersArg === undefined ? undefined : Number(workersArg);
if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1)) {
  console.error(`--workers wants a whole number >= 1, got ${JSON.stringify(workersArg)}`);
  process.exit(2);
}
const parts = args.filter((a) => !a.startsWith('-'));
const want = (p) => parts.length === 0 || parts.includes(p);

if (!process.env.WD_SKIP_PREPARE) prepare({ needBrowser: want('setup') || want('soak') || want('push') });

const { loadConfig } = await import('@wd-video/server');
const { startStack } = await import('@wd-video/server');
const { runSize, printSize } = await import('../bench/size.mjs');
const { runSetup, printSetup } = await import('../bench/setup.mjs');
const { runCapacity, printCapacity } = await import('../bench/capacity.mjs');
const { runFailover, printFailover } = await import('../bench/failover.mjs');
const { runSoakBench, printSoak } = await import('../bench/soak.mjs');
const { runPush, printPush } = await import('../bench/push.mjs');
const { runHistory, printHistory } = await import('../bench/history.mjs');
const { chart } = await import('../bench/chart.mjs');

const stacks = new Set();
/**
 * A fresh stack on free loopback ports (`natsNodes` > 1: a loopback cluster), stopped by the caller or at exit;
 * `serveStatic`: it serves /dist/ (pages of its own origin).
 */
async function startStackFor(origin, { natsNodes = 1, serveStatic = false, pushLoopback = false } = {}) {
  const config = loadConfig(
    { ...process.env, WD_STATE_DIR: process.env.WD_STATE_DIR ?? '.wd/bench' },
    { anonymous: true, serveStatic, pushLoopback, rateLimit: 1_000_000, allowedOrigins: origin ? [origin] : [] },
  );
  const stack = await startStack(config, { natsNodes, freePorts: true, staticMounts: devStaticMounts() });
  stacks.add(stack);
  const stop = stack.stop.bind(stack);
  stack.stop = async () => {
    stacks.delete(stack);
    await stop();
  };
  return stack;
}
const stopAll = () => Promise.all([...stacks].map((s) => s.stop().catch(() => {})));
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, async () => {
    await stopAll();
    process.exit(130);
  });
}

const cpu = cpus();
const result = {
  date: new Date().toISOString(),
  quick,
  machine: { cores: cpu.length, cpu: cpu[0]?.model ?? 'unknown', memGB: +(totalmem() / 2 ** 30).toFixed(1), node: process.version, platform: process.platform },
};
let failed = false;
const part = async (name, fn) => {
  if (!want(name)) return;
  try {
    await fn();
  } catch (e) {
    failed = true;
    result[name] = { error: String(e?.stack ?? e) };
    console.error(`\nbench part "${name}" failed:`, e);
  }
};

try {
  await part('size', async () => {
    result.size = await runSize({ quick });
    printSize(result.size);
  });
  await part('setup', async () => {
    result.setup = await runSetup({ quick, startStackFor });
    printSetup(result.setup);
  });
  await part('capacity', async () => {
    result.capacity = await runCapacity({ quick, startStackFor, ...(workers ? { workers } : {}) });
    printCapacity(result.capacity);
  });
  await part('failover', async () => {
    result.failover = await runFailover({ quick, startStackFor });
    printFailover(result.failover);
  });
  await part('soak', async () => {
    result.soak = await runSoakBench({ quick, startStackFor });
    printSoak(result.soak);
  });
  await part('push', async () => {
    result.push = await runPush({ quick, startStackFor });
    printPush(result.push);
  });
  await part('history', async () => {
    result.history = await runHistory({ quick, startStackFor });
    printHistory(result.history);
  });
} finally {
  await stopAll();
}

const day = result.date.slice(0, 10);
const base = outArg ?? `bench/results/${day}${quick ? '-quick' : ''}`;
mkdirSync(base.split('/').slice(0, -1).join('/') || '.', { recursive: true });
writeFileSync(`${base}.json`, JSON.stringify(result, null, 2) + '\n');
if (result.setup?.series) writeFileSync(`${base}.svg`, chart(result.setup, result));
console.log(`\nwrote ${base}.json${result.setup?.series ? ` and ${base}.svg` : ''} in ${((Date.now() - t0) / 1000).toFixed(0)} s${failed ? ' (some parts FAILED)' : ''}`);
process.exit(failed ? 1 : 0);
