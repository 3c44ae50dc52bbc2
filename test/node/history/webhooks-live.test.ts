// Webhooks fed by the real call-event source: a stack (nats-server with
// JetStream, token service with its history service) configured with a
// webhook URL on loopback; raw connections send the reports the SDK sends
// (the SDK's own reports are tested in test/browser/sdk/history.test.ts), and
// the receiver gets each call milestone signed, verified by the Standard
// Webhooks reference library.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { NatsConnection } from 'nats.ws';
import { Webhook } from 'standardwebhooks';
import { loadConfig } from '@wd-video/server/config.js';
import { startStack, type Stack } from '@wd-video/server/stack.js';
import { killMentioning, tempStateDir } from '../helpers/procs.js';
import { Receiver } from '../helpers/webhook-receiver.js';
import { connectNats, signIn } from '../helpers/stack-env.js';
import { fakeId, uniqueUid } from '../../shared/ids.js';
import { until } from '../../shared/wait.js';

const SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
const stateDir = tempStateDir('webhooks-live');
const receiver = new Receiver();
let stack: Stack;
const conns: NatsConnection[] = [];

before(async () => {
  await receiver.start();
  stack = await startStack(loadConfig({}, { stateDir, anonymous: true, rateLimit: 100_000, webhookUrl: receiver.url, webhookSecret: SECRET }), { freePorts: true });
});
after(async () => {
  await Promise.all(conns.map((c) => c.close().catch(() => {})));
  await stack?.stop();
  killMentioning(stateDir);
  rmSync(stateDir, { recursive: true, force: true });
  await receiver.close();
});

async function user(prefix: string) {
  const uid = uniqueUid(prefix);
  const nc = await connectNats(await signIn(uid, stack.url));
  conns.push(nc);
  return { uid, nc };
}
const bodies = (callId: string) =>
  receiver.got.map((r) => new Webhook(SECRET).verify(r.body, r.headers as Record<string, string>) as { type: string; data: Record<string, unknown> }).filter((b) => b.data.callId === callId);

test('an answered call reaches the operator as signed call.ringing, call.answered and call.ended; a missed one as call.missed', async () => {
  const [x, y] = [await user('x'), await user('y')];
  const callId = fakeId();
  x.nc.publish(`wd.ev.${x.uid}`, enc({ v: 1, k: 'ringing', callId, peer: y.uid, role: 'caller' }));
  x.nc.publish(`wd.ev.${x.uid}`, enc({ v: 1, k: 'answered', callId, peer: y.uid, role: 'caller' }));
  x.nc.publish(`wd.ev.${x.uid}`, enc({ v: 1, k: 'ended', callId, peer: y.uid, role: 'caller', reason: 'hangup', answered: true, durationMs: 30_000, agoMs: 31_000 }));
  const three = await until(() => (bodies(callId).length >= 3 ? bodies(callId) : undefined), 10_000, 'three webhooks for the call');
  assert.deepEqual(three.map((b) => b.type), ['call.ringing', 'call.answered', 'call.ended']);
  assert.deepEqual(three[2].data, { callId, caller: x.uid, callee: y.uid, reason: 'hangup', durationMs: 30_000 });

  const missed = fakeId();
  y.nc.publish(`wd.ev.${y.uid}`, enc({ v: 1, k: 'ended', callId: missed, peer: x.uid, role: 'caller', reason: 'timeout', answered: false, agoMs: 30_000 }));
  const [m] = await until(() => (bodies(missed).length ? bodies(missed) : undefined), 10_000, 'the missed-call webhook');
  assert.equal(m.type, 'call.missed');
  assert.deepEqual(m.data, { callId: missed, caller: y.uid, callee: x.uid, reason: 'timeout' });
  // Every request the receiver got was an event delivered once, none retried or lost.
  await until(() => stack.tokenService.webhooks?.stats().pending === 0, 5000, 'nothing pending');
  assert.deepEqual(stack.tokenService.webhooks?.stats(), { delivered: receiver.got.length, failed: 0, retried: 0, dropped: 0, pending: 0 });
});
