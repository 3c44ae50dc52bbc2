// Records expire after the configured retention: JetStream itself deletes
// them (max_age), not just the reader hiding them. A stack of its own, with a
// retention of about 4 s (WD_HISTORY_RETENTION_DAYS takes fractions).
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { NatsConnection } from 'nats.ws';
import { loadConfig } from '@wd-video/server/config.js';
import { startStack, type Stack } from '@wd-video/server/stack.js';
import { killMentioning, tempStateDir } from '../helpers/procs.js';
import { connectNats, signIn } from '../helpers/stack-env.js';
import { fakeId, uniqueUid } from '../../shared/ids.js';
import { until } from '../../shared/wait.js';

const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
const stateDir = tempStateDir('history-retention');
let stack: Stack;
const conns: NatsConnection[] = [];

before(async () => {
  const cfg = loadConfig({ WD_HISTORY_RETENTION_DAYS: '0.00005' }, { stateDir, anonymous: true, rateLimit: 100_000 });
  stack = await startStack(cfg, { freePorts: true, natsNodes: 1 });
  // The nats monitor is off on a single fixed-port node; free ports give it one.
});
after(async () => {
  await Promise.all(conns.map((c) => c.close().catch(() => {})));
  await stack?.stop();
  killMentioning(stateDir);
  rmSync(stateDir, { recursive: true, force: true });
});

/** Messages the WD_HISTORY stream holds, from nats-server's own monitor. */
async function storedMessages(): Promise<number> {
  const port = stack.nats[0].monitorPort;
  const jsz = (await (await fetch(`http://127.0.0.1:${port}/jsz?accounts=true&streams=true&config=true`)).json()) as {
    account_details?: { stream_detail?: { name: string; state?: { messages?: number } }[] }[];
  };
  const s = (jsz.account_details ?? []).flatMap((d) => d.stream_detail ?? []).find((x) => x.name === 'WD_HISTORY');
  return s?.state?.messages ?? 0;
}

test('WD_HISTORY_RETENTION_DAYS: a record is gone from the stream and the history once it is that old', { timeout: 60_000 }, async () => {
  assert.equal(stack.config.historyRetentionDays, 0.00005);
  const x = uniqueUid('x');
  const y = uniqueUid('y');
  const a = await connectNats(await signIn(x, stack.url));
  const b = await connectNats(await signIn(y, stack.url));
  conns.push(a, b);
  const history = async () => (JSON.parse(new TextDecoder().decode((await b.request(`wd.svc.${y}.history`, enc({}), { timeout: 5000 })).data)) as { records: unknown[] }).records;
  a.publish(`wd.ev.${x}`, enc({ v: 1, k: 'ended', callId: fakeId(), peer: y, role: 'caller', reason: 'timeout', answered: false }));
  await until(async () => (await history()).length === 1, 5000, 'the record');
  assert.equal(await storedMessages(), 2, "the caller's and the callee's record");
  await until(async () => (await storedMessages()) === 0, 30_000, 'JetStream to expire the records');
  assert.deepEqual(await history(), []);
});
