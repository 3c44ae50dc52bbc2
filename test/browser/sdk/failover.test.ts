// Calls on a real 3-node nats-server cluster survive the node their clients are
// on: killed (SIGKILL), frozen (SIGSTOP: the socket stays open, only pings can
// tell). The node is the one the client is connected to, found in the nodes'
// /connz, never a random one. (A page that sleeps while its node freezes:
// test/e2e/sleep.test.ts, since freezing the page cuts web-test-runner's own link to it.) Figures
// (how long a client was unreachable) are printed; the bench measures them
// over many trials (`node scripts/bench.mjs failover`).
import { executeServerCommand } from '@web/test-runner-commands';
import { expect } from '@open-wc/testing';
import type { ClientStatus, Conversation, VideoClient } from 'wd-video';
import { next, record } from '../../shared/events.js';
import { uniqueUid } from '../../shared/ids.js';
import { until } from '../../shared/wait.js';
import { streamFrames } from '../frames.js';
import { camera, cleanup, client, connectedPair } from './helpers.js';
import { suiteNeeds } from '../engine.js';

interface Cluster {
  id: string;
  authUrl: string;
}
type Signal = 'SIGKILL' | 'SIGSTOP' | 'SIGCONT';

const cluster = <T>(payload: Record<string, unknown>) => executeServerCommand('wd-cluster', payload) as Promise<T>;
let current: Cluster | undefined;

async function startCluster(): Promise<Cluster> {
  current = await cluster<Cluster>({ action: 'start' });
  return current;
}
/** Index of the node `c` is connected to, once it is connected to one. */
const nodeOf = (c: VideoClient) =>
  until(async () => {
    const { index } = await cluster<{ index: number }>({ action: 'node-of', id: current!.id, uid: c.uid });
    return index >= 0 ? index + 1 : 0;
  }, 10_000, `${c.uid} on a node`).then((i) => i - 1);
const signal = (index: number, sig: Signal) => cluster({ action: 'signal', id: current!.id, index, signal: sig });

function statuses(c: VideoClient) {
  const s: ClientStatus[] = [];
  c.on('status', (x: ClientStatus) => s.push(x));
  return s;
}

/** `caller` calls `callee` and hears back (BUSY while in a call, else it rings): `callee` is reachable. Returns ms taken. */
async function reachable(caller: VideoClient, callee: VideoClient, ms: number): Promise<number> {
  const t0 = performance.now();
  const conv = caller.call(callee.uid!, await camera(), { timeout: 10_000 });
  const log = record(conv, ['response']);
  await until(() => conv.state === 'ringing' || log.length > 0, ms, () => `${callee.uid} reachable (call ${conv.state}, ${JSON.stringify(log)})`);
  const took = performance.now() - t0;
  expect(log.map((r) => r.args[0]), 'never UNAVAILABLE').to.not.include('UNAVAILABLE');
  conv.close();
  return took;
}

describe('failover on a 3-node nats cluster', function () {
  suiteNeeds('webrtc');
  this.timeout(120_000);
  afterEach(async () => {
    await cleanup();
    if (current) await cluster({ action: 'stop', id: current.id });
    current = undefined;
  });

  for (const sig of ['SIGKILL', 'SIGSTOP'] as const) {
    const what = sig === 'SIGKILL' ? 'killed' : 'frozen (SIGSTOP)';
    it(`the node alice is on is ${what} mid-call: media never stops, both are reachable again, a hang-up after it arrives`, async () => {
      const { authUrl } = await startCluster();
      const { a, b, ca, cb } = await connectedPair({ authUrl });
      const carol = await client(uniqueUid('carol'), { authUrl });
      const fa = streamFrames(ca.remoteStream!.stream);
      const fb = streamFrames(cb.remoteStream!.stream);
      await fa.more(5);
      await fb.more(5);
      const node = await nodeOf(a);
      const bobsNode = await nodeOf(b);
      const carolsNode = await nodeOf(carol);
      const sa = statuses(a);
      const calls = [record(ca, ['state', 'closed']), record(cb, ['state', 'closed'])];

      const t0 = performance.now();
      await signal(node, sig);
      // alice notices (the socket closing, or unanswered pings) and moves to another node.
      await until(() => sa.includes('reconnecting') && a.status === 'connected', 20_000, () => `alice failed over (${sa})`);
      const failedOver = performance.now() - t0;
      expect(await nodeOf(a), 'alice is on another node').to.not.equal(node);
      // Bob and carol too, if they were on that node. Carol calls both: BUSY means reachable.
      const toAlice = await reachable(carol, a, 10_000);
      const toBob = await reachable(carol, b, 10_000);
      console.log(`failover figures (${sig}): alice on node ${node + 1}, bob on ${bobsNode + 1}, carol on ${carolsNode + 1}; alice reconnected after ${failedOver.toFixed(0)} ms, reachable again ${(performance.now() - t0).toFixed(0)} ms after the ${sig} (calls answered in ${toAlice.toFixed(0)} / ${toBob.toFixed(0)} ms)`);

      // Peer to peer, the media never depended on the node.
      await fa.more(10);
      await fb.more(10);
      expect(calls, 'no state change in either call').to.deep.equal([[], []]);
      const closed = next<string>(cb, 'closed', 15_000);
      ca.close();
      expect(await closed, 'the hang-up sent after the failover reached bob').to.equal('hangup');
    });
  }

  it('an invite sent while the callee\'s node dies rings once the callee is back: not UNAVAILABLE', async () => {
    const { authUrl } = await startCluster();
    const a = await client(uniqueUid('alice'), { authUrl });
    const b = await client(uniqueUid('bob'), { authUrl });
    const node = await nodeOf(b);
    const called = next<Conversation>(b, 'called', 15_000);
    await signal(node, 'SIGKILL');
    // Right away: bob's subscription is gone from the cluster until he reconnects.
    const conv = a.call(b.uid!, await camera());
    const log = record(conv, ['response', 'closed']);
    await called;
    await until(() => conv.state === 'ringing', 10_000, () => `ringing (is ${conv.state}, ${JSON.stringify(log)})`);
    expect(log).to.deep.equal([]);
  });

  it('the network changes (an `online` event, dispatched by the test) while the node is frozen: the client checks at once and moves', async () => {
    const { authUrl } = await startCluster();
    const a = await client(uniqueUid('alice'), { authUrl });
    const carol = await client(uniqueUid('carol'), { authUrl });
    const node = await nodeOf(a);
    const wakes: string[] = [];
    a.on('wake', (r: string) => wakes.push(r));
    await signal(node, 'SIGSTOP');
    const t0 = performance.now();
    window.dispatchEvent(new Event('online'));
    // The ping on waking has a 1 s deadline; nats.ws's own ping timer needs 2-3 intervals of 1.25 s.
    await until(() => wakes.length > 0, 10_000, 'a liveness check that found the connection dead');
    await until(() => a.status === 'connected' && a.server !== undefined, 10_000, 'alice reconnected');
    const moved = performance.now() - t0;
    expect(wakes).to.deep.equal(['online']);
    expect(await nodeOf(a)).to.not.equal(node);
    if ((await nodeOf(carol)) === node) await until(() => carol.status === 'connected', 10_000, 'carol reconnected too');
    const took = await reachable(carol, a, 10_000);
    console.log(`wake figures: alice left the frozen node ${moved.toFixed(0)} ms after the online event (a call answered in ${took.toFixed(0)} ms)`);
  });
});
