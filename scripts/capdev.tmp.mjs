import { loadConfig, startStack } from '@wd-video/server';
import { runCapacity, printCapacity } from '../bench/capacity.mjs';
const stacks = new Set();
async function startStackFor(origin, { natsNodes = 1 } = {}) {
  const config = loadConfig({ ...process.env, WD_STATE_DIR: '/tmp/capdev-state' }, { anonymous: true, serveStatic: false, rateLimit: 1_000_000, allowedOrigins: [] });
  const s = await startStack(config, { freePorts: true, natsNodes });
  return s;
}
const plan = JSON.parse(process.argv[2] ?? '{}');
const topologies = JSON.parse(process.argv[3] ?? '[1]');
const r = await runCapacity({ quick: false, startStackFor, plan, topologies, ...(process.env.WD_CAP_WORKERS ? { workers: Number(process.env.WD_CAP_WORKERS) } : {}) });
printCapacity(r); (await import('node:fs')).writeFileSync('/tmp/capdev.json', JSON.stringify(r, null, 1));
process.exit(0);
