// The call logic (ringing, busy, timeout, cancel, glare, several devices,
// reliable delivery, input validation, timers) on the in-memory transport and
// fake WebRTC. The same flows run against the real stack in Chromium
// (test/browser/sdk); what depends on time runs here on a fake clock.
import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { VideoClient, type Conversation, type Session } from 'wd-video';
import { decode, encode, NO_RESPONDERS_GRACE_MS, subjectFor } from 'wd-video/internal';
import { argsOf, next, record } from '../../shared/events.js';
import { until } from '../../shared/wait.js';
import { fakeClock, settle } from '../helpers/fake-clock.js';
import { memoryClient } from '../helpers/memory-client.js';
import { FakeMediaStream, FakePeerConnection, installFakeWebRTC } from '../helpers/fake-webrtc.js';
import { MemoryHub, type MemoryTransport } from '../helpers/memory-transport.js';

installFakeWebRTC();

let hub: MemoryHub;
const clients: VideoClient[] = [];
const transports = new Map<VideoClient, MemoryTransport>();

async function fresh() {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  hub = new MemoryHub();
  FakePeerConnection.instances = [];
}

/** A started client signed in as `uid` on the hub; `token` signs in with a token, so the uid is known only from the session. */
async function client(uid: string, options: { timeout?: number; token?: boolean; start?: boolean; session?: Partial<Session>; authUrl?: string } = {}) {
  const c: VideoClient = memoryClient(hub, uid, { ...options, onTransport: (t) => transports.set(c, t) });
  clients.push(c);
  if (options.start !== false) await c.start();
  return c;
}
const stream = () => new FakeMediaStream() as unknown as MediaStream;
const bothConnected = (x: Conversation, y: Conversation) => x.state === 'connected' && y.state === 'connected';
/** What the hub routed: message type and callId of every signaling message. */
const sent = (type: string) =>
  hub.log
    .filter((m) => m.subject.endsWith(`.${type}`))
    .map((m) => {
      const [, , to, from] = m.subject.split('.');
      const d = decode(to, m.subject, m.data);
      return { from, to, callId: d.ok ? d.msg.callId : undefined };
    });

/** alice calls bob; returns the caller's conversation and bob's incoming one (ringing). */
async function ring(a: VideoClient, b: VideoClient, to = 'bob', options: { timeout?: number } = {}) {
  const called = next<Conversation>(b, 'called');
  const conv = a.call(to, stream(), options);
  return { conv, incoming: await called };
}
/** ring(), and the caller has heard that bob's device rings. */
async function ringing(a: VideoClient, b: VideoClient) {
  const r = await ring(a, b);
  await until(() => r.conv.state === 'ringing', 3000, () => `ringing (is ${r.conv.state})`);
  return r;
}
/** ring(), bob accepts, both connected (on the real clock). */
async function connected(a: VideoClient, b: VideoClient) {
  const { conv, incoming } = await ring(a, b);
  await incoming.accept(stream());
  await until(() => bothConnected(conv, incoming), 3000, 'both connected');
  return { conv, incoming };
}

/**
 * Until the test ends, setLocalDescription of `type` neither resolves nor fails
 * until the returned function is called: then it fails, as a browser that
 * refuses the description would.
 */
function holdLocalDescription(t: { after(fn: () => void): void }, type: 'offer' | 'answer'): () => void {
  const real = FakePeerConnection.prototype.setLocalDescription;
  t.after(() => (FakePeerConnection.prototype.setLocalDescription = real));
  let refuse: () => void = () => {};
  FakePeerConnection.prototype.setLocalDescription = function (this: FakePeerConnection, d: { type: string; sdp: string }) {
    if (d.type !== type) return real.call(this, d);
    return new Promise<void>((_, fail) => (refuse = () => fail(new Error('OperationError: refused'))));
  };
  return () => refuse();
}

describe('call flows (in-memory transport)', () => {
  beforeEach(fresh);
  after(() => Promise.all(clients.map((c) => c.close())));

  it('answered: ACCEPTED, both connected, state moves in order', async () => {
    const a = await client('alice');
    const b = await client('bob');
    const called = next<Conversation>(b, 'called');
    const conv = a.call('bob', stream(), { data: { n: 1 } });
    const states: string[] = [];
    conv.on('state', (s) => states.push(s));
    const incoming = await called;
    assert.deepEqual(incoming.data, { n: 1 });
    const response = next<string>(conv, 'response');
    await incoming.accept(stream());
    assert.equal(await response, 'ACCEPTED');
    await until(() => bothConnected(conv, incoming), 3000, 'both connected');
    assert.deepEqual(states, ['ringing', 'connecting', 'connected']);
  });

  it('rejected: REJECTED and closed(rejected) on both sides', async () => {
    const a = await client('alice');
    const b = await client('bob');
    const called = next<Conversation>(b, 'called');
    const conv = a.call('bob', stream());
    const response = next<string>(conv, 'response');
    const closed = next<string>(conv, 'closed');
    (await called).reject();
    assert.equal(await response, 'REJECTED');
    assert.equal(await closed, 'rejected');
    assert.equal(b.conversation, undefined);
  });

  it('busy: a second caller hears BUSY and the first call goes on', async () => {
    const a = await client('alice');
    const b = await client('bob');
    const c = await client('carol');
    const { conv: first } = await connected(a, b);
    const second = c.call('bob', stream());
    assert.equal(await next<string>(second, 'response'), 'BUSY');
    assert.equal(second.closeReason, 'busy');
    assert.equal(first.state, 'connected');
    assert.equal(b.conversation?.remoteUid, 'alice');
  });

  it('offline callee: UNAVAILABLE once no responders lasted NO_RESPONDERS_GRACE_MS (not before), retried meanwhile', async (t) => {
    const clock = fakeClock(t);
    const a = await client('alice');
    const conv = a.call('nobody', stream());
    const log = record(conv, ['response', 'closed']);
    await clock.advance(NO_RESPONDERS_GRACE_MS - 300);
    assert.deepEqual(log, [], 'still calling: the callee may be failing over to another node');
    assert.equal(conv.state, 'calling');
    await clock.advance(400);
    assert.deepEqual(argsOf(log, 'response'), ['UNAVAILABLE']);
    assert.equal(conv.closeReason, 'unavailable');
    assert.ok(sent('invite').length >= 3, `retried meanwhile (${sent('invite').length} invites)`);
  });

  it('offline callee: the caller asks the token service to ring by push, unless its session says the server has no push', async (t) => {
    const clock = fakeClock(t);
    const asked: string[] = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = async (url) => {
      asked.push(String(url));
      return new Response(JSON.stringify({ error: { code: 'no_push_devices', message: 'none' } }), { status: 404 });
    };
    t.after(() => (globalThis.fetch = realFetch));
    for (const push of [undefined, true, false]) {
      asked.length = 0;
      const a = await client(`alice${String(push)}`, { authUrl: 'https://calls.example/v1/session', session: push === undefined ? {} : { push } });
      const conv = a.call('nobody', stream());
      await clock.advance(NO_RESPONDERS_GRACE_MS + 100);
      await until(() => conv.state === 'closed', 3000, () => `closed (is ${conv.state}, push ${push})`);
      assert.equal(conv.closeReason, 'unavailable');
      assert.deepEqual(asked.filter((u) => u.endsWith('/v1/push/ring')).length, push === false ? 0 : 1, `push ${push}: ${asked.join(' ')}`);
    }
  });

  it('a callee whose node fails over (no responders for a moment) rings: the invite is retried, not UNAVAILABLE', async (t) => {
    const clock = fakeClock(t);
    const a = await client('alice');
    const conv = a.call('bob', stream());
    const log = record(conv, ['response']);
    // Bob comes online 1 s into the call, as a client reconnecting to another node would.
    await clock.advance(1000);
    assert.equal(conv.state, 'calling');
    const b = await client('bob');
    const called = next<Conversation>(b, 'called', 5000);
    await clock.advance(1000);
    await called;
    assert.equal(conv.state, 'ringing');
    assert.deepEqual(log, []);
  });

  it('calling your own uid, known only once signed in: UNAVAILABLE, and no invite goes out', async (t) => {
    fakeClock(t);
    const a = await client('alice', { token: true, start: false });
    const conv = a.call('alice', stream()); // call() signs in itself; only then is the uid known
    const log = record(conv, ['response']);
    await settle();
    assert.deepEqual(argsOf(log, 'response'), ['UNAVAILABLE']);
    assert.deepEqual(sent('invite'), []);
  });

  it('ring timeout: TIMEOUT exactly when the caller\'s timer runs out, and the callee stops ringing then', async (t) => {
    const clock = fakeClock(t);
    const a = await client('alice');
    const b = await client('bob');
    const { conv, incoming } = await ring(a, b, 'bob', { timeout: 1500 });
    const log = record(conv, ['response', 'closed']);
    const calleeLog = record(incoming, ['closed']);
    await clock.advance(1499);
    assert.equal(log.length, 0, 'still ringing 1 ms before the timeout');
    assert.equal(incoming.state, 'incoming');
    await clock.advance(1);
    assert.deepEqual(argsOf(log, 'response'), ['TIMEOUT']);
    assert.deepEqual(argsOf(log, 'closed'), ['timeout']);
    // The caller's cancel, not the callee's own fallback timer (ttl + 5 s), ends the ringing.
    assert.deepEqual(argsOf(calleeLog, 'closed'), ['timeout']);
  });

  it('the client-wide timeout applies when call() gives none', async (t) => {
    const clock = fakeClock(t);
    const a = await client('alice', { timeout: 700 });
    const b = await client('bob');
    const { conv } = await ring(a, b);
    const log = record(conv, ['response']);
    await clock.advance(699);
    assert.equal(log.length, 0, 'still ringing 1 ms before the timeout');
    await clock.advance(1);
    assert.deepEqual(argsOf(log, 'response'), ['TIMEOUT']);
  });

  it('cancel before answer: callee closed(cancelled)', async () => {
    const a = await client('alice');
    const b = await client('bob');
    const { conv, incoming } = await ringing(a, b);
    const closed = next<string>(incoming, 'closed');
    conv.close();
    assert.equal(await closed, 'cancelled');
    assert.equal(conv.closeReason, 'cancelled');
  });

  it('an offer that fails to apply after its invite left (the invite does not wait for it): the caller ends media_failed and the ringing callee stops', async (t) => {
    const a = await client('alice');
    const b = await client('bob');
    const refuse = holdLocalDescription(t, 'offer');
    const called = next<Conversation>(b, 'called');
    const conv = a.call('bob', stream());
    // It rings while the offer is still being applied.
    const incoming = await called;
    const error = next<{ code: string }>(conv, 'error');
    const closedA = next<string>(conv, 'closed');
    const closedB = next<string>(incoming, 'closed');
    refuse();
    assert.equal((await error).code, 'media_failed');
    assert.equal(await closedA, 'media_failed');
    assert.equal(await closedB, 'media_failed', 'the cancel reached the callee');
  });

  it('accepted at once, the pre-warmed answer leaves before it is applied; if applying it then fails, the callee hangs up media_failed and the caller hears it', async (t) => {
    const a = await client('alice');
    const b = await client('bob');
    const refuse = holdLocalDescription(t, 'answer');
    const { conv, incoming } = await ring(a, b);
    const closedA = next<string>(conv, 'closed');
    const closedB = next<string>(incoming, 'closed');
    const accepted = incoming.accept(stream()).then(
      () => 'resolved',
      (e: { code: string }) => e.code,
    );
    await until(() => sent('answer').length === 1, 3000, 'the answer left while still being applied');
    refuse();
    assert.equal(await closedB, 'media_failed');
    assert.equal(await closedA, 'media_failed', 'the hangup reached the caller');
    assert.equal(await accepted, 'invalid_state', 'accept() says the call ended');
  });

  it('glare: both call at once; the smaller callId survives on both sides, the other invite is never answered', async () => {
    const winners = new Set<string>();
    // Which side draws the smaller random callId is chance: go on until both have won.
    for (let round = 0; round < 40 && winners.size < 2; round++) {
      await fresh();
      const a = await client('alice');
      const b = await client('bob');
      let called = 0;
      a.on('called', () => called++);
      b.on('called', () => called++);
      const ca = a.call('bob', stream());
      const cb = b.call('alice', stream());
      // Captured before the invites cross: glare makes the loser adopt the winner's callId.
      const [idA, idB] = [ca.callId, cb.callId];
      const statesA = record(ca, ['state']);
      const statesB = record(cb, ['state']);
      await until(() => bothConnected(ca, cb), 3000, () => `both connected (alice ${ca.state}, bob ${cb.state})`);
      const smaller = idA < idB ? idA : idB;
      const [winner, loser] = smaller === idA ? ['alice', 'bob'] : ['bob', 'alice'];
      winners.add(winner);
      const what = `round ${round}, ${winner}'s callId is smaller`;
      assert.equal(ca.callId, smaller, `${what}: alice's surviving callId`);
      assert.equal(cb.callId, smaller, `${what}: bob's surviving callId`);
      assert.equal(called, 0, `${what}: nobody sees a ringing dialog`);
      assert.equal(a.conversation, ca);
      assert.equal(b.conversation, cb);
      // The loser answered the winner's invite; nobody answered the loser's.
      assert.deepEqual(sent('answer'), [{ from: loser, to: winner, callId: smaller }], `${what}: the one answer`);
      const [winnerStates, loserStates] = winner === 'alice' ? [statesA, statesB] : [statesB, statesA];
      assert.ok(argsOf(loserStates, 'state').includes('answering'), `${what}: the loser answers (${argsOf(loserStates, 'state')})`);
      assert.ok(!argsOf(winnerStates, 'state').includes('answering'), `${what}: the winner's own invite is the call (${argsOf(winnerStates, 'state')})`);
    }
    assert.deepEqual([...winners].sort(), ['alice', 'bob'], 'both orders were seen');
  });

  it('two devices of one uid: the first to answer wins, the other stops with answered_elsewhere', async () => {
    const a = await client('alice');
    const b1 = await client('bob');
    const b2 = await client('bob');
    const called1 = next<Conversation>(b1, 'called');
    const called2 = next<Conversation>(b2, 'called');
    const conv = a.call('bob', stream());
    const [i1, i2] = await Promise.all([called1, called2]);
    const closed2 = next<string>(i2, 'closed');
    await i1.accept(stream());
    assert.equal(await closed2, 'answered_elsewhere');
    await until(() => bothConnected(conv, i1), 3000, 'alice and bob1 connected');
  });

  it('a new call() hangs up the current one with reason replaced', async () => {
    const a = await client('alice');
    const b = await client('bob');
    const c = await client('carol');
    const { conv: first, incoming: ib } = await connected(a, b);
    const bobClosed = next<string>(ib, 'closed');
    const calledC = next<Conversation>(c, 'called');
    a.call('carol', stream());
    assert.equal(first.closeReason, 'replaced');
    assert.equal(await bobClosed, 'replaced');
    assert.equal((await calledC).remoteUid, 'alice');
  });

  it('a hang-up sent while the peer is offline is retried, and arrives after it reconnects', async (t) => {
    const clock = fakeClock(t);
    const a = await client('alice');
    const b = await client('bob');
    const { conv, incoming: ib } = await ring(a, b);
    await ib.accept(stream());
    await clock.advance(20); // fake ICE connects
    assert.ok(bothConnected(conv, ib), `connected (alice ${conv.state}, bob ${ib.state})`);
    const closed = record(ib, ['closed']);
    transports.get(b)!.pause();
    conv.close();
    await clock.advance(15_000); // retries with backoff, all finding no responders
    assert.equal(ib.state, 'connected', 'not delivered while offline');
    assert.ok(sent('hangup').length > 1, `retried (${sent('hangup').length} attempts)`);
    transports.get(b)!.resume();
    await clock.advance(2000); // the backoff is at most 2 s
    assert.deepEqual(argsOf(closed, 'closed'), ['hangup']);
  });

  it('stats: local_stats and remote_stats every 2 s while connected, none after close', async (t) => {
    const clock = fakeClock(t);
    const a = await client('alice');
    const b = await client('bob');
    const { conv, incoming } = await ring(a, b);
    let connectedAt = 0;
    conv.on('state', (s) => s === 'connected' && (connectedAt = Date.now()));
    await incoming.accept(stream());
    await clock.advance(20);
    assert.ok(connectedAt > 0 && bothConnected(conv, incoming), 'connected');
    const caller = record(conv, ['local_stats', 'remote_stats']);
    const callee = record(incoming, ['local_stats', 'remote_stats']);
    await clock.advance(connectedAt + 1999 - Date.now());
    assert.equal(caller.length, 0, 'no sample before 2 s');
    await clock.advance(1);
    assert.deepEqual(caller.map((r) => r.event), ['local_stats', 'remote_stats']);
    await clock.advance(2000);
    assert.equal(argsOf(caller, 'local_stats').length, 2, 'a second sample 2 s later');
    const [nCaller, nCallee] = [caller.length, callee.length];
    assert.ok(nCallee >= 2, 'the callee samples too');
    conv.close();
    await clock.advance(10_000);
    assert.equal(caller.length, nCaller, 'no caller stats after close');
    assert.equal(callee.length, nCallee, 'no callee stats after close');
  });

  it('malformed input is dropped and counted, and changes nothing', async () => {
    const b = await client('bob');
    const a = await client('alice');
    const { conv, incoming: ib } = await connected(a, b);
    const before = { received: b.counters.received, dropped: b.counters.dropped };
    const te = new TextEncoder();
    const mallory = hub.transport('mallory');
    const rawAlice = hub.transport('alice'); // another connection of alice's, as a raw NATS client
    // Speaking as alice is refused by the server: bob never sees it.
    mallory.publish('wd.u.bob.alice.hangup', te.encode(JSON.stringify({ v: 1, callId: ib.callId, dev: 'dev-000000000000', reason: 'hangup' })));
    mallory.publish('wd.u.bob.mallory.invite', te.encode('{bad json'));
    mallory.publish('wd.u.bob.mallory.hangup', te.encode(JSON.stringify({ v: 1, callId: ib.callId, dev: 'dev-000000000000', reason: 'hangup' })));
    rawAlice.publish('wd.u.bob.alice.bogus', te.encode('{}'));
    rawAlice.publish('wd.u.bob.alice.answer', te.encode(JSON.stringify({ v: 1, callId: ib.callId, dev: 'x', sdp: 1 })));
    rawAlice.publish('wd.u.bob.alice.hangup', new Uint8Array(70_000));
    await until(() => b.counters.dropped - before.dropped >= 5, 3000, () => `5 drops (${JSON.stringify(b.counters)})`);
    await settle();
    assert.equal(b.counters.dropped - before.dropped, 5);
    assert.equal(b.counters.received - before.received, 5, 'the spoofed hang-up never reached bob');
    assert.equal(b.counters.byReason.unknown_call, 1, 'a hang-up from a third party does not end the call');
    assert.equal(ib.state, 'connected');
    assert.equal(conv.state, 'connected');
  });

  it('an invite whose reply inbox belongs to someone else is not answered', async () => {
    const b = await client('bob');
    let rang = false;
    b.on('called', () => (rang = true));
    const seenByCarol: unknown[] = [];
    hub.transport('carol').subscribe('_INBOX.carol.>', (m) => seenByCarol.push(m));
    const invite = { type: 'invite' as const, callId: 'call-forged-0001', dev: 'dev-mallory-001', sdp: 'v=0\r\n', relay: false, ttl: 30000 };
    // The server lets bob answer once on whatever reply subject a request names: only bob's guard stands between.
    hub.transport('mallory').publishWithReply(subjectFor('bob', 'mallory', 'invite'), encode(invite), '_INBOX.carol.1');
    await until(() => b.counters.byReason.forged_reply === 1, 3000, 'forged_reply counted');
    await settle();
    assert.equal(rang, false);
    assert.deepEqual(seenByCarol, []);
  });

  it('a cancel that crosses accept() still ends the callee, and accept() settles', async () => {
    const a = await client('alice');
    const b = await client('bob');
    const { conv, incoming } = await ringing(a, b);
    const closed = next<string>(incoming, 'closed');
    conv.close();
    const accepted = incoming.accept(stream()).then(() => 'resolved', (e) => e.code);
    assert.equal(await closed, 'cancelled');
    assert.match(String(await accepted), /resolved|invalid_state/);
  });

  it('calling back the person whose call rings here answers that call', async () => {
    const a = await client('alice');
    const b = await client('bob');
    const called = next<Conversation>(b, 'called');
    const ca = a.call('bob', stream());
    await called;
    const cb = b.call('alice', stream());
    assert.equal(cb.direction, 'incoming');
    assert.equal(await next<string>(cb, 'response'), 'ACCEPTED');
    await until(() => bothConnected(ca, cb), 3000, 'both connected');
    assert.equal(ca.callId, cb.callId);
  });

  it('the seed pattern accept(...).then(c => c.on("stream_received")) hears the remote stream', async () => {
    const a = await client('alice');
    const b = await client('bob');
    const called = next<Conversation>(b, 'called');
    a.call('bob', stream());
    const incoming = await called;
    const got = await incoming.accept(stream()).then((c) => next<unknown>(c, 'stream_received'));
    assert.ok(got);
  });

  it('calling yourself is refused at once', async () => {
    const a = await client('alice');
    assert.throws(() => a.call('alice', stream()), { code: 'invalid_argument' });
  });

  it('oversize or invalid call() arguments throw and send nothing', async () => {
    const a = await client('alice');
    const before = hub.log.length;
    assert.throws(() => a.call('bob', stream(), { data: 'x'.repeat(5000) }), { code: 'data_too_large' });
    assert.throws(() => a.call('*', stream()), { code: 'invalid_argument' });
    assert.throws(() => a.call('a.b', stream()), { code: 'invalid_argument' });
    await settle(); // a call placed anyway would have sent its invite by now: dialing needs no timer here
    assert.equal(hub.log.length, before);
  });
});
