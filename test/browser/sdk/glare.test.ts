// Glare: alice calls bob while bob calls alice. One deterministic rule, exactly one
// call survives and connects on both sides, never both failing, nobody stuck.
import { expect } from '@open-wc/testing';
import type { Conversation, VideoClient } from 'wd-video';
import { next } from '../../shared/events.js';
import { uniqueUid } from '../../shared/ids.js';
import { sleep, until } from '../../shared/wait.js';
import { framesArrive } from '../frames.js';
import { camera, cleanup, client, diag } from './helpers.js';

interface Side {
  client: VideoClient;
  convs: Conversation[];
}

function watch(c: VideoClient): Side {
  const side: Side = { client: c, convs: [] };
  c.on('called', (conv: Conversation) => add(side, conv));
  return side;
}

/** Track a conversation once (call() may hand back the incoming one it answered). */
const log = new WeakMap<Conversation, string[]>();
const events = (s: Side) => s.convs.map((c) => (log.get(c) ?? []).join(' ')).join(' / ');

function add(side: Side, conv: Conversation) {
  if (side.convs.includes(conv)) return;
  side.convs.push(conv);
  const l: string[] = [];
  log.set(conv, l);
  const t0 = performance.now();
  const at = () => Math.round(performance.now() - t0);
  conv.on('state', (st) => l.push(`${st}@${at()}`));
  conv.on('stream_received', () => l.push(`stream@${at()}`));
  conv.on('response', (r) => l.push(`${r}@${at()}`));
  conv.on('error', (e) => l.push(`error:${e.code}:${e.message}@${at()}`));
}

const live = (s: Side) => s.convs.filter((c) => c.state !== 'closed');
const describeSide = (s: Side) => s.convs.map((c) => `${c.direction}:${c.callId}:${c.state}${c.closeReason ? `(${c.closeReason})` : ''}`).join(', ');

/** Both sides end with exactly one conversation, connected, same callId; media flows; hang-up reaches the other side. */
async function expectOneLiveCall(a: Side, b: Side, what: string) {
  const end = Date.now() + 15_000;
  const settled = () => {
    const la = live(a);
    const lb = live(b);
    return la.length === 1 && lb.length === 1 && la[0].state === 'connected' && lb[0].state === 'connected';
  };
  while (!settled()) {
    if (Date.now() > end) throw new Error(`${what}: no single live call after 15 s. alice: [${describeSide(a)}] bob: [${describeSide(b)}]`);
    await sleep(50);
  }
  const [ca] = live(a);
  const [cb] = live(b);
  expect(ca.callId, `${what}: same callId on both sides`).to.equal(cb.callId);
  expect(ca.remoteUid).to.equal(b.client.uid);
  expect(cb.remoteUid).to.equal(a.client.uid);
  expect(a.client.conversation).to.equal(ca);
  expect(b.client.conversation).to.equal(cb);
  await until(() => !!ca.remoteStream && !!cb.remoteStream, 5000, 'remote streams').catch(async () => {
    throw new Error(`${what}: connected without a remote stream: alice ${await diag(ca)} stream ${!!ca.remoteStream} [${events(a)}] | bob ${await diag(cb)} stream ${!!cb.remoteStream} [${events(b)}]`);
  });
  await framesArrive(ca.remoteStream!.stream);
  await framesArrive(cb.remoteStream!.stream);
  // still exactly one a moment later (no late teardown of the survivor)
  await sleep(500);
  expect(live(a), `${what}: alice [${describeSide(a)}]`).to.deep.equal([ca]);
  expect(live(b), `${what}: bob [${describeSide(b)}]`).to.deep.equal([cb]);
  expect(ca.state).to.equal('connected');
  expect(cb.state).to.equal('connected');
  const closed = next<string>(cb, 'closed', 5000);
  ca.close();
  expect(await closed, `${what}: hang-up reaches bob`).to.equal('hangup');
  expect(a.client.conversation).to.equal(undefined);
  expect(b.client.conversation).to.equal(undefined);
  return ca.callId;
}

async function pair() {
  const a = watch(await client(uniqueUid('alice')));
  const b = watch(await client(uniqueUid('bob')));
  return { a, b, sa: await camera(), sb: await camera() };
}

describe('glare: both call each other at once', function () {
  this.timeout(120_000);
  afterEach(cleanup);

  it('same tick: exactly one live call, same callId, media both ways (5 rounds)', async () => {
    const winners: string[] = [];
    for (let round = 0; round < 5; round++) {
      const { a, b, sa, sb } = await pair();
      const ca = a.client.call(b.client.uid!, sa);
      const cb = b.client.call(a.client.uid!, sb);
      add(a, ca);
      add(b, cb);
      const [idA, idB] = [ca.callId, cb.callId];
      const id = await expectOneLiveCall(a, b, `round ${round}`);
      // The rule is deterministic: the survivor is one of the two callIds.
      expect([idA, idB]).to.include(id);
      winners.push(`${id === idA ? 'alice' : 'bob'}${id === [idA, idB].sort()[0] ? ' (smaller id)' : ' (larger id)'}`);
    }
    console.log(`glare same tick: surviving call placed by ${winners.join(', ')}`);
  });

  it('a few ms apart (invites cross while offers are being created): exactly one live call', async () => {
    for (const offset of [1, 3, 6, 10, 15, 25]) {
      const { a, b, sa, sb } = await pair();
      add(a, a.client.call(b.client.uid!, sa));
      await sleep(offset);
      add(b, b.client.call(a.client.uid!, sb));
      await expectOneLiveCall(a, b, `offset ${offset} ms`);
    }
  });

  it('bob calls alice back while alice\'s call already rings at him: exactly one live call', async () => {
    // If call() places a new call, whether bob's callId sorts before or after alice's decides which
    // branch of the glare rule runs: keep going until both orders have been seen. If call() answers
    // the ringing call instead, there is one path; three rounds.
    const seen = new Set<string>();
    let rounds = 0;
    for (; rounds < 12; rounds++) {
      const { a, b, sa, sb } = await pair();
      const called = next<Conversation>(b.client, 'called', 5000);
      const ca = a.client.call(b.client.uid!, sa);
      add(a, ca);
      const incoming = await called;
      const idA = ca.callId;
      const cb = b.client.call(a.client.uid!, sb);
      add(b, cb);
      const how = cb === incoming ? 'answered the ringing call' : cb.callId < idA ? "new call, bob's callId smaller" : "new call, alice's callId smaller";
      seen.add(how);
      await expectOneLiveCall(a, b, `call-back round ${rounds} (${how})`);
      if (seen.has('answered the ringing call') ? rounds >= 2 : seen.size >= 2) break;
    }
    console.log(`glare call-back: ${[...seen].join(', ')} in ${rounds + 1} rounds`);
  });
});
