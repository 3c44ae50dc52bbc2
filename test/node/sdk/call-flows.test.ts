// The call logic (ringing, busy, timeout, cancel, glare, several devices,
// reliable delivery, input validation) on an in-memory transport and fake
// WebRTC. The same flows run against the real stack in Chromium (test/browser/sdk).
import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { VideoClient, type Conversation } from 'wd-video';
import { encode, subjectFor, withSeams } from 'wd-video/internal';
import { FakeMediaStream, FakePeerConnection, installFakeWebRTC } from '../helpers/fake-webrtc.js';
import { MemoryHub, type MemoryTransport } from '../helpers/memory-transport.js';

installFakeWebRTC();

let hub: MemoryHub;
const clients: VideoClient[] = [];
const transports = new Map<VideoClient, MemoryTransport>();

async function client(uid: string, timeout?: number) {
  const c: VideoClient = withSeams(new VideoClient({ authUrl: 'memory:', anonymous: { uid }, timeout }), {
    session: async () => ({ uid, nats: { servers: [], jwt: 'x' }, iceServers: [], expiresAt: Date.now() + 3_600_000 }),
    transport: async () => {
      const t = hub.transport(uid);
      transports.set(c, t);
      return t;
    },
  });
  clients.push(c);
  await c.start();
  return c;
}
const stream = () => new FakeMediaStream() as unknown as MediaStream;
const next = <T>(em: { once(e: string, f: (a: T) => void): unknown }, ev: string, ms = 3000) =>
  new Promise<T>((ok, fail) => {
    const t = setTimeout(() => fail(new Error(`no ${ev}`)), ms);
    em.once(ev, (a: T) => {
      clearTimeout(t);
      ok(a);
    });
  });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean, ms = 3000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(5);
  }
}

/** alice calls bob; returns the caller's conversation and bob's incoming one (ringing). */
async function ring(a: VideoClient, b: VideoClient, to = 'bob') {
  const called = next<Conversation>(b, 'called');
  const conv = a.call(to, stream());
  return { conv, incoming: await called };
}
/** ring(), bob accepts, both connected. */
async function connected(a: VideoClient, b: VideoClient) {
  const { conv, incoming } = await ring(a, b);
  await incoming.accept(stream());
  await until(() => conv.state === 'connected' && incoming.state === 'connected');
  return { conv, incoming };
}

describe('call flows (in-memory transport)', () => {
  beforeEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    hub = new MemoryHub();
    FakePeerConnection.instances = [];
  });
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
    await until(() => conv.state === 'connected' && incoming.state === 'connected');
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

  it('offline callee: UNAVAILABLE at once', async () => {
    const a = await client('alice');
    const t0 = Date.now();
    const conv = a.call('nobody', stream());
    assert.equal(await next<string>(conv, 'response'), 'UNAVAILABLE');
    assert.ok(Date.now() - t0 < 500);
    assert.equal(conv.closeReason, 'unavailable');
  });

  it('timeout: caller hears TIMEOUT and the callee stops ringing', async () => {
    const a = await client('alice', 150);
    const b = await client('bob');
    const { conv, incoming } = await ring(a, b);
    const calleeClosed = next<string>(incoming, 'closed');
    assert.equal(await next<string>(conv, 'response'), 'TIMEOUT');
    assert.equal(await calleeClosed, 'timeout');
  });

  it('cancel before answer: callee closed(cancelled)', async () => {
    const a = await client('alice');
    const b = await client('bob');
    const { conv, incoming } = await ring(a, b);
    await until(() => conv.state === 'ringing');
    const closed = next<string>(incoming, 'closed');
    conv.close();
    assert.equal(await closed, 'cancelled');
    assert.equal(conv.closeReason, 'cancelled');
  });

  it('glare: both call at once, exactly one call survives on both sides', async () => {
    const a = await client('alice');
    const b = await client('bob');
    let calledA = 0;
    let calledB = 0;
    a.on('called', () => calledA++);
    b.on('called', () => calledB++);
    const ca = a.call('bob', stream());
    const cb = b.call('alice', stream());
    await until(() => ca.state === 'connected' && cb.state === 'connected');
    assert.equal(ca.callId, cb.callId);
    assert.equal(calledA + calledB, 0, 'nobody sees a ringing dialog');
    assert.equal(a.conversation, ca);
    assert.equal(b.conversation, cb);
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
    await until(() => conv.state === 'connected' && i1.state === 'connected');
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

  it('a hang-up sent while the peer is offline arrives after it reconnects', async () => {
    const a = await client('alice');
    const b = await client('bob');
    const { conv, incoming: ib } = await connected(a, b);
    transports.get(b)!.pause();
    const closed = next<string>(ib, 'closed', 5000);
    conv.close();
    await sleep(600);
    assert.equal(ib.state, 'connected', 'not delivered while offline');
    transports.get(b)!.resume();
    assert.equal(await closed, 'hangup');
  });

  it('malformed input is dropped and counted, and changes nothing', async () => {
    const b = await client('bob');
    const a = await client('alice');
    const { conv, incoming: ib } = await connected(a, b);
    const before = b.counters.dropped;
    const te = new TextEncoder();
    hub.deliver('wd.u.bob.mallory.invite', te.encode('{bad json'));
    hub.deliver('wd.u.bob.mallory.hangup', te.encode(JSON.stringify({ v: 1, callId: ib.callId, dev: 'dev-000000000000', reason: 'hangup' })));
    hub.deliver('wd.u.bob.alice.bogus', te.encode('{}'));
    hub.deliver('wd.u.bob.alice.answer', te.encode(JSON.stringify({ v: 1, callId: ib.callId, dev: 'x', sdp: 1 })));
    hub.deliver('wd.u.bob.alice.hangup', new Uint8Array(70_000));
    await sleep(20);
    assert.equal(b.counters.dropped - before, 5);
    assert.equal(b.counters.byReason.unknown_call, 1, 'a hang-up from a third party does not end the call');
    assert.equal(ib.state, 'connected');
    assert.equal(conv.state, 'connected');
  });

  it('an invite whose reply inbox belongs to someone else is not answered', async () => {
    const b = await client('bob');
    let rang = false;
    b.on('called', () => (rang = true));
    const seenByCarol: unknown[] = [];
    hub.add('_INBOX.carol.>', (m) => seenByCarol.push(m));
    const invite = { type: 'invite' as const, callId: 'call-forged-0001', dev: 'dev-mallory-001', sdp: 'v=0\r\n', relay: false, ttl: 30000 };
    hub.deliver(subjectFor('bob', 'mallory', 'invite'), encode(invite), '_INBOX.carol.1');
    await sleep(20);
    assert.equal(rang, false);
    assert.deepEqual(seenByCarol, []);
    assert.equal(b.counters.byReason.forged_reply, 1);
  });

  it('a cancel that crosses accept() still ends the callee, and accept() settles', async () => {
    const a = await client('alice');
    const b = await client('bob');
    const { conv, incoming } = await ring(a, b);
    await until(() => conv.state === 'ringing');
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
    await until(() => ca.state === 'connected' && cb.state === 'connected');
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
    await sleep(10);
    assert.equal(hub.log.length, before);
  });
});
