// Glare: alice calls bob while bob calls alice. The rule: the smaller callId
// survives on both sides (the other side answers it), exactly one call
// connects with media both ways, never both failing, nobody stuck.
import { expect } from '@open-wc/testing';
import type { Conversation, VideoClient } from 'wd-video';
import { argsOf, next, record, type Recorded } from '../../shared/events.js';
import { uniqueUid } from '../../shared/ids.js';
import { sleep, until } from '../../shared/wait.js';
import { framesArrive } from '../frames.js';
import { camera, cleanup, client, diag } from './helpers.js';
import { suiteNeeds } from '../engine.js';

interface Side {
  client: VideoClient;
  convs: Conversation[];
}

/** Every conversation a side has (its own call, and any `called`), each with its events. */
const logs = new WeakMap<Conversation, Recorded[]>();
function add(side: Side, conv: Conversation) {
  if (side.convs.includes(conv)) return; // call() may hand back the incoming one it answered
  side.convs.push(conv);
  logs.set(conv, record(conv, ['state', 'stream_received', 'response', 'error', 'closed']));
}
function watch(c: VideoClient): Side {
  const side: Side = { client: c, convs: [] };
  c.on('called', (conv: Conversation) => add(side, conv));
  return side;
}

const statesOf = (c: Conversation) => argsOf(logs.get(c) ?? [], 'state');
const live = (s: Side) => s.convs.filter((c) => c.state !== 'closed');
const describeSide = (s: Side) =>
  s.convs.map((c) => `${c.direction}:${c.callId}:${c.state}${c.closeReason ? `(${c.closeReason})` : ''} [${(logs.get(c) ?? []).map((r) => `${r.event} ${typeof r.args[0] === 'string' ? r.args[0] : ''}`).join(', ')}]`).join(' / ');

/**
 * Both sides end with exactly one conversation, connected, on callId `survivor`;
 * media flows both ways; the hang-up reaches the other side and is the only way it ends.
 */
async function expectOneLiveCall(a: Side, b: Side, survivor: string, what: string) {
  const state = () => `alice: [${describeSide(a)}] bob: [${describeSide(b)}]`;
  await until(
    () => {
      const [la, lb] = [live(a), live(b)];
      return la.length === 1 && lb.length === 1 && la[0].state === 'connected' && lb[0].state === 'connected';
    },
    15_000,
    () => `${what}: a single live call. ${state()}`,
  );
  const [ca] = live(a);
  const [cb] = live(b);
  expect(ca.callId, `${what}: alice's call is the surviving callId. ${state()}`).to.equal(survivor);
  expect(cb.callId, `${what}: bob's call is the surviving callId. ${state()}`).to.equal(survivor);
  expect(ca.remoteUid).to.equal(b.client.uid);
  expect(cb.remoteUid).to.equal(a.client.uid);
  expect(a.client.conversation).to.equal(ca);
  expect(b.client.conversation).to.equal(cb);
  await until(() => !!ca.remoteStream && !!cb.remoteStream, 5000, 'remote streams').catch(async () => {
    throw new Error(`${what}: connected without a remote stream: alice ${await diag(ca)} | bob ${await diag(cb)}. ${state()}`);
  });
  await framesArrive(ca.remoteStream!.stream);
  await framesArrive(cb.remoteStream!.stream);
  // No late teardown of the survivor: it is still the one live call, and it ends only by our hang-up.
  expect(live(a), `${what}: ${state()}`).to.deep.equal([ca]);
  expect(live(b), `${what}: ${state()}`).to.deep.equal([cb]);
  const closed = next<string>(cb, 'closed', 5000);
  ca.close();
  expect(await closed, `${what}: hang-up reaches bob`).to.equal('hangup');
  expect(argsOf(logs.get(ca)!, 'closed'), `${what}: alice's call closed once, by the hang-up`).to.deep.equal(['hangup']);
  expect(a.client.conversation).to.equal(undefined);
  expect(b.client.conversation).to.equal(undefined);
  return { ca, cb };
}

async function pair() {
  const a = watch(await client(uniqueUid('alice')));
  const b = watch(await client(uniqueUid('bob')));
  return { a, b, sa: await camera(), sb: await camera() };
}

describe('glare: both call each other at once', function () {
  suiteNeeds('webrtc');
  this.timeout(120_000);
  afterEach(cleanup);

  it('same tick: the smaller callId survives on both sides; the other side answers it (5 rounds)', async () => {
    for (let round = 0; round < 5; round++) {
      const { a, b, sa, sb } = await pair();
      const ca = a.client.call(b.client.uid!, sa);
      const cb = b.client.call(a.client.uid!, sb);
      add(a, ca);
      add(b, cb);
      // Captured before the invites cross: the losing side takes over the winner's callId.
      const [idA, idB] = [ca.callId, cb.callId];
      const smaller = idA < idB ? idA : idB;
      const [winner, loser] = smaller === idA ? [ca, cb] : [cb, ca];
      const what = `round ${round} (${winner === ca ? 'alice' : 'bob'}'s callId is smaller)`;
      await expectOneLiveCall(a, b, smaller, what);
      // The loser's own invite is not the call: it answered the winner's instead; the winner never answered.
      expect(statesOf(loser), `${what}: the loser answers`).to.include('answering');
      expect(statesOf(winner), `${what}: the winner's invite is answered, it answers nothing`).to.not.include('answering');
      expect(a.convs.length + b.convs.length, `${what}: nobody was shown a second, ringing call`).to.equal(2);
    }
  });

  it('a few ms apart (invites cross while offers are being created): the smaller callId survives', async () => {
    for (const offset of [1, 3, 6, 10, 15, 25]) {
      const { a, b, sa, sb } = await pair();
      const ca = a.client.call(b.client.uid!, sa);
      add(a, ca);
      const idA = ca.callId;
      // The scenario itself: bob's call starts `offset` ms after alice's.
      await sleep(offset);
      const cb = b.client.call(a.client.uid!, sb);
      add(b, cb);
      // If alice's invite already rang at bob, call() answered it and cb.callId is idA.
      const idB = cb.callId;
      await expectOneLiveCall(a, b, idA < idB ? idA : idB, `offset ${offset} ms`);
    }
  });

  it("bob calls alice back while alice's call already rings at him: call() answers alice's call (3 rounds)", async () => {
    for (let round = 0; round < 3; round++) {
      const { a, b, sa, sb } = await pair();
      const called = next<Conversation>(b.client, 'called', 5000);
      const ca = a.client.call(b.client.uid!, sa);
      add(a, ca);
      const incoming = await called;
      const idA = ca.callId;
      const cb = b.client.call(a.client.uid!, sb);
      add(b, cb);
      expect(cb, `round ${round}: call() hands back the ringing call`).to.equal(incoming);
      await expectOneLiveCall(a, b, idA, `call-back round ${round}`);
    }
  });
});
