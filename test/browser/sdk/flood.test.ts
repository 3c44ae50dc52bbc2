// A flood against the real stack: mallory, a signed-in user with raw NATS
// connections in Workers (flood-attacker.ts), publishes to bob's subjects as
// fast as nats-server takes it (small junk; 60 KB oversize and unknown types;
// well-formed requests that each ask for an ack), while alice calls bob and
// bob's page freezes for a second. Bob must stay connected (no slow-consumer
// disconnect), the call must connect and carry frames during the flood, and
// every junk message must reach bob and be dropped by reason. The figures
// (rate, drops, bob's event-loop delay) are printed for docs/security.md#floods.
import { expect } from '@open-wc/testing';
import type { Conversation, Session, VideoClient } from 'wd-video';
import { next, record } from '../../shared/events.js';
import { uniqueUid } from '../../shared/ids.js';
import { until } from '../../shared/wait.js';
import { onCleanup } from '../cleanup.js';
import { streamFrames } from '../frames.js';
import type { FloodDone, FloodReport, FloodStart } from './flood-attacker.js';
import { camera, catchPageErrors, cleanup, client, diag, signIn } from './helpers.js';
import { suiteNeeds } from '../engine.js';

/** The scenario's length: the flood runs at least this long, and until the call carries frames. */
const FLOOD_MS = 5000;
const CONNECTIONS = 3;
const FREEZE_MS = 1000;

/** Starts mallory's flood against `victim`; stop() ends it and resolves with what was sent. */
async function startFlood(victim: string, kind: FloodStart['kind'], connections: number) {
  const uid = uniqueUid('mallory');
  const session = await signIn(uid);
  const floods = await Promise.all(Array.from({ length: connections }, () => startWorker(victim, kind, uid, session)));
  return {
    async stop(): Promise<FloodDone> {
      const all = await Promise.all(floods.map((f) => f.stop()));
      const byReason: Record<string, number> = {};
      for (const d of all) for (const [k, v] of Object.entries(d.byReason)) byReason[k] = (byReason[k] ?? 0) + v;
      const sum = (f: (d: FloodDone) => number) => all.reduce((a, d) => a + f(d), 0);
      return { type: 'done', sent: sum((d) => d.sent), bytes: sum((d) => d.bytes), ms: Math.max(...all.map((d) => d.ms)), byReason };
    },
  };
}

async function startWorker(victim: string, kind: FloodStart['kind'], uid: string, session: Session) {
  const worker = new Worker(new URL('./flood-attacker.js', import.meta.url), { type: 'module' });
  onCleanup(() => worker.terminate());
  const reports: FloodReport[] = [];
  worker.onmessage = (e: MessageEvent<FloodReport>) => reports.push(e.data);
  worker.onerror = (e) => reports.push({ type: 'failed', error: e.message });
  worker.postMessage({ type: 'start', servers: session.nats.servers, jwt: session.nats.jwt, uid, victim, kind } satisfies FloodStart);
  const failed = () => reports.find((r) => r.type === 'failed');
  await until(() => failed() ?? reports.find((r) => r.type === 'started'), 10_000, 'the attacker connected');
  expect(failed(), 'the attacker').to.equal(undefined);
  return {
    async stop(): Promise<FloodDone> {
      worker.postMessage({ type: 'stop' });
      const r = await until(() => reports.find((x) => x.type !== 'started'), 15_000, 'the attacker stopped');
      if (r.type === 'failed') throw new Error(`the attacker failed: ${r.error}`);
      return r;
    },
  };
}

/** How late bob's page runs timers (its event loop is what decodes and drops the junk). */
function loopDelay() {
  const delays: number[] = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    delays.push(Math.max(0, now - last - 20));
    last = now;
  }, 20);
  onCleanup(() => clearInterval(timer));
  return {
    /** Leave out the time since the last tick (the test's own freeze). */
    skip: () => void (last = performance.now()),
    stop() {
      clearInterval(timer);
      const s = [...delays].sort((a, b) => a - b);
      const at = (p: number) => Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0);
      return { p50: at(0.5), p99: at(0.99), max: Math.round(s[s.length - 1] ?? 0) };
    },
  };
}

const delta = (bob: VideoClient, before: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(bob.counters.byReason).map(([k, v]) => [k, v - (before[k] ?? 0)]).filter(([, v]) => v));

for (const kind of ['small', 'oversize', 'acked'] as const) {
  describe(`a ${kind} junk flood while bob is called`, function () {
    suiteNeeds('webrtc');
    this.timeout(90_000);
    afterEach(cleanup);

    it('bob stays connected, the call connects and carries frames, every junk message is dropped by reason', async () => {
      const errors = catchPageErrors();
      const bob = await client(uniqueUid('bob'));
      const alice = await client(uniqueUid('alice'));
      const statuses = record(bob, ['status', 'error']);
      const before = { ...bob.counters.byReason };
      const receivedBefore = bob.counters.received;
      const droppedBefore = bob.counters.dropped;
      const delay = loopDelay();
      const flood = await startFlood(bob.uid!, kind, CONNECTIONS);
      const t0 = performance.now();
      // The call starts once bob is visibly under fire, not after a fixed wait.
      await until(() => bob.counters.dropped - droppedBefore >= 100, 10_000, () => `bob dropping junk (dropped ${bob.counters.dropped - droppedBefore})`);

      const sb = await camera();
      bob.on('called', (c: Conversation) => void c.accept(sb).catch(() => {}));
      const called = next<Conversation>(bob, 'called', 15_000, 'alice ringing at bob during the flood');
      const ca = alice.call(bob.uid!, await camera());
      const cb = await called;
      await until(() => ca.state === 'connected' && cb.state === 'connected', 30_000, () => `connected during the flood (alice ${ca.state}, bob ${cb.state})`).catch(async (e) => {
        throw new Error(`${e.message}: ${await diag(ca)} / ${await diag(cb)}`);
      });
      await until(() => cb.remoteStream, 10_000, "alice's media at bob");
      await streamFrames(cb.remoteStream!.stream).more(10, 15_000);
      const connectedAfter = performance.now() - t0;
      // A page that stops reading for a moment (a long task, a GC pause) while the flood goes
      // on: nats-server queues for bob meanwhile, and must not cut him off as a slow consumer.
      const frozeAt = performance.now();
      while (performance.now() - frozeAt < FREEZE_MS);
      delay.skip();
      // The scenario: the flood lasts FLOOD_MS at least (longer if the call took longer).
      await until(() => performance.now() - t0 >= FLOOD_MS, FLOOD_MS + 1000, 'the flood running its course');
      const sent = await flood.stop();
      const lag = delay.stop();

      // Core NATS loses nothing on a live connection: all of it arrives, in order, and is dropped
      // (alice's messages are for the live call, so no drop is hers).
      const expected = sent.byReason;
      await until(
        () => Object.entries(expected).every(([k, v]) => (delta(bob, before)[k] ?? 0) >= v),
        30_000,
        () => `every junk message dropped: sent ${JSON.stringify(expected)}, dropped ${JSON.stringify(delta(bob, before))}`,
      );
      const got = delta(bob, before);
      const figures = {
        kind,
        attacker: { sent: sent.sent, msgPerS: Math.round((sent.sent / sent.ms) * 1000), MBPerS: +((sent.bytes / sent.ms) * 1000 / 2 ** 20).toFixed(1), ms: Math.round(sent.ms) },
        victim: { received: bob.counters.received - receivedBefore, dropped: got, loopDelayMs: lag },
        callConnectedAndFramesAfterMs: Math.round(connectedAfter),
      };
      console.log(`flood figures: ${JSON.stringify(figures)}`);

      for (const [k, v] of Object.entries(expected)) expect(got[k], `dropped as ${k}`).to.equal(v);
      if (kind === 'acked') {
        // Requests each earn a reply, within mallory's budget: a burst of 32, then 16 a second.
        const budget = 32 + 16 * Math.ceil((performance.now() - t0) / 1000);
        expect(got.reply_limited, `replies to mallory past her budget of ${budget}`).to.be.at.least(sent.sent - budget);
      }
      expect(statuses, 'bob never left connected, no error').to.deep.equal([]);
      expect(bob.status).to.equal('connected');
      expect(connectedAfter, 'the call connected while the flood ran').to.be.below(sent.ms);
      expect(ca.state).to.equal('connected');
      expect(cb.state).to.equal('connected');
      expect(errors, 'nothing thrown in the page').to.deep.equal([]);
    });
  });
}
