// The shipped 3-node nats-server cluster on loopback: users on different nodes
// reach each other through routes, offline callees are still reported at once,
// and stopping the stack leaves no process behind.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { ErrorCode, type NatsConnection, type NatsError } from 'nats.ws';
import { loadConfig } from '@wd-video/server/config.js';
import { startStack, type Stack } from '@wd-video/server/stack.js';
import { killMentioning, processesMentioning, tempStateDir } from '../helpers/procs.js';
import { connectNats, signIn } from '../helpers/stack-env.js';
import { uniqueUid } from '../../shared/ids.js';
import { until } from '../../shared/wait.js';

const enc = (s: string) => new TextEncoder().encode(s);
const stateDir = tempStateDir('cluster');
let stack: Stack | undefined;
const conns: NatsConnection[] = [];

before(async () => {
  stack = await startStack(loadConfig({}, { stateDir, anonymous: true, rateLimit: 100_000 }), { natsNodes: 3, freePorts: true });
});
after(async () => {
  await Promise.all(conns.map((c) => c.close().catch(() => {})));
  await stack?.stop();
  killMentioning(stateDir); // only if stop() failed; the dir name is unique to this run
  rmSync(stateDir, { recursive: true, force: true });
});

/** Whether a request to `subject` now gets no-responders (the server answering, not the timer). */
async function noResponders(nc: NatsConnection, subject: string): Promise<boolean> {
  try {
    await nc.request(subject, enc('offer'), { timeout: 2000 });
    return false;
  } catch (e) {
    return (e as NatsError).code === ErrorCode.NoResponders;
  }
}

test('three nodes, each with its own websocket url', () => {
  assert.equal(stack!.nats.length, 3);
  assert.equal(new Set(stack!.config.natsServers).size, 3);
});

test('alice on node 1 reaches bob on node 3 and gets his answer', { timeout: 30_000 }, async () => {
  const alice = uniqueUid('alice');
  const bob = uniqueUid('bob');
  const [node1, , node3] = stack!.config.natsServers;
  const a = await connectNats(await signIn(alice, stack!.url), { servers: [node1] });
  const b = await connectNats(await signIn(bob, stack!.url), { servers: [node3] });
  conns.push(a, b);
  assert.notEqual(a.info?.server_id, b.info?.server_id, 'on different nodes');

  const got: string[] = [];
  b.subscribe(`wd.u.${bob}.>`, {
    callback: (_e, m) => {
      got.push(m.subject);
      if (m.reply) m.respond(enc('ringing'));
    },
  });
  await b.flush();
  // Bob's interest reaches node 1 over the routes shortly after the cluster forms.
  await until(
    () => {
      a.publish(`wd.u.${bob}.${alice}.hello`);
      return got.includes(`wd.u.${bob}.${alice}.hello`);
    },
    10_000,
    'delivery across the cluster',
  );
  // A request/reply across routes: bob's one-shot response permission works there too.
  const reply = await a.request(`wd.u.${bob}.${alice}.invite`, enc('offer'), { timeout: 2000 });
  assert.equal(new TextDecoder().decode(reply.data), 'ringing');

  // Bob leaves: once his interest is withdrawn cluster-wide, an invite gets no-responders.
  await b.close();
  await until(() => noResponders(a, `wd.u.${bob}.${alice}.invite`), 10_000, 'no-responders for bob after he left');
});

test('no responders (not a timeout) for a uid that was never online', { timeout: 15_000 }, async () => {
  const alice = uniqueUid('alice');
  const a = await connectNats(await signIn(alice, stack!.url), { servers: [stack!.config.natsServers[1]] });
  conns.push(a);
  await assert.rejects(a.request(`wd.u.${uniqueUid('nobody')}.${alice}.invite`, enc('offer'), { timeout: 10_000 }), (e: NatsError) => {
    assert.equal(e.code, ErrorCode.NoResponders);
    return true;
  });
});

test('call history on the cluster: a missed call reported on node 1 is read on node 3, from a stream with 3 replicas', { timeout: 30_000 }, async () => {
  const x = uniqueUid('x');
  const y = uniqueUid('y');
  const [node1, , node3] = stack!.config.natsServers;
  const a = await connectNats(await signIn(x, stack!.url), { servers: [node1] });
  const b = await connectNats(await signIn(y, stack!.url), { servers: [node3] });
  conns.push(a, b);
  const callId = `call${uniqueUid('c').replace('-', '')}`;
  a.publish(`wd.ev.${x}`, enc(JSON.stringify({ v: 1, k: 'ended', callId, peer: y, role: 'caller', reason: 'timeout', answered: false })));
  const records = await until(
    async () => {
      const r = JSON.parse(new TextDecoder().decode((await b.request(`wd.svc.${y}.history`, enc('{}'), { timeout: 5000 })).data)) as { records: { callId: string; outcome: string }[] };
      return r.records.length ? r.records : undefined;
    },
    10_000,
    "the missed call in y's history",
  );
  assert.deepEqual(records.map((r) => [r.callId, r.outcome]), [[callId, 'missed']]);
  const jsz = (await (await fetch(`http://127.0.0.1:${stack!.nats[2].monitorPort}/jsz?accounts=true&streams=true&config=true`)).json()) as {
    account_details?: { stream_detail?: { name: string; config?: { num_replicas?: number } }[] }[];
  };
  const streams = (jsz.account_details ?? []).flatMap((d) => d.stream_detail ?? []);
  assert.equal(streams.find((s) => s.name === 'WD_HISTORY')?.config?.num_replicas, 3);
});

test('stop() leaves no nats-server or turnserver', { timeout: 20_000 }, async () => {
  const running = processesMentioning(stateDir);
  assert.equal(running.filter((p) => /nats-server/.test(p.cmdline)).length, 3);
  assert.equal(running.filter((p) => /turnserver/.test(p.cmdline)).length, 1);
  await Promise.all(conns.splice(0).map((c) => c.close().catch(() => {})));
  const s = stack!;
  stack = undefined;
  await s.stop();
  assert.deepEqual(processesMentioning(stateDir), []);
});
