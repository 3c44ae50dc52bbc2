// The client's side of "calls survive", on the in-memory transport: acks come
// only from the device a message is for, credentials are refreshed
// make-before-break on the client's own clock (however wrong it is), and
// an invite is retried while the callee's node fails over (call-flows.test.ts).
// The same against real nats-server clusters and Chromium: test/browser/sdk/failover.test.ts.
import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { VideoClient, type Conversation } from 'wd-video';
import { MOVE_OVERLAP_MS, withSeams, type Session } from 'wd-video/internal';
import { next } from '../../shared/events.js';
import { until } from '../../shared/wait.js';
import { fakeClock, settle } from '../helpers/fake-clock.js';
import { FakeMediaStream, installFakeWebRTC } from '../helpers/fake-webrtc.js';
import { MemoryHub, type MemoryTransport } from '../helpers/memory-transport.js';

installFakeWebRTC();

let hub: MemoryHub;
const clients: VideoClient[] = [];
const stream = () => new FakeMediaStream() as unknown as MediaStream;

interface Device {
  client: VideoClient;
  /** Every transport this client connected, oldest first. */
  transports: MemoryTransport[];
  signIns: number;
}

/**
 * A client signed in as `uid`. `skewMs` moves the server's clock against ours:
 * the session's expiresAt is on the server's clock, as from a real token service
 * when the client's clock is wrong.
 */
async function device(uid: string, o: { ttl?: number; skewMs?: number; start?: boolean } = {}): Promise<Device> {
  const d: Device = { client: undefined as unknown as VideoClient, transports: [], signIns: 0 };
  const ttl = o.ttl ?? 3600;
  d.client = withSeams(new VideoClient({ authUrl: 'memory:', anonymous: { uid } }), {
    session: async (): Promise<Session> => {
      d.signIns++;
      return { uid, nats: { servers: [], jwt: `jwt-${d.signIns}` }, iceServers: [], expiresAt: Date.now() + (o.skewMs ?? 0) + ttl * 1000, ttl };
    },
    transport: async () => {
      const t = hub.transport(uid);
      d.transports.push(t);
      return t;
    },
  });
  clients.push(d.client);
  if (o.start !== false) await d.client.start();
  return d;
}

describe('multi-device acknowledgements', () => {
  beforeEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    hub = new MemoryHub();
  });
  after(() => Promise.all(clients.map((c) => c.close())));

  it('the answer for the calling device is not acked by its idle twin while that device reconnects: it arrives once back', async () => {
    const phone = await device('alice');
    const laptop = await device('alice'); // idle, signed in as the same uid
    const bob = await device('bob');
    const called = next<Conversation>(bob.client, 'called');
    const conv = phone.client.call('bob', stream());
    const incoming = await called;
    await until(() => conv.state === 'ringing', 3000, 'ringing');
    // The calling device drops off the network; bob answers meanwhile.
    phone.transports[0]!.pause();
    const accepted = incoming.accept(stream());
    await until(() => laptop.client.counters.byReason.other_device! > 0, 3000, 'the answer reached the idle device, which left it alone');
    await settle();
    assert.equal(conv.state, 'ringing', 'nothing arrived at the calling device yet');
    phone.transports[0]!.resume();
    await accepted;
    // bob's reliable send was not acked by the laptop, so it retried until the phone had it.
    // (Candidates are best-effort and were lost in the outage; real ICE recovers from that, the fake does not.)
    await until(() => conv.state !== 'ringing', 10_000, () => `the answer reached the calling device (caller ${conv.state})`);
    assert.ok(['connecting', 'connected'].includes(conv.state), conv.state);
    assert.equal(laptop.client.conversation, undefined, 'the idle device took no part');
  });

  it('a hang-up for the device in the call is not acked by the other device of that uid', async () => {
    const phone = await device('bob');
    const laptop = await device('bob');
    const alice = await device('alice');
    const called = next<Conversation>(phone.client, 'called');
    const calledToo = next<Conversation>(laptop.client, 'called');
    const conv = alice.client.call('bob', stream());
    const [incoming] = await Promise.all([called, calledToo]);
    await incoming.accept(stream());
    await until(() => conv.state === 'connected' && incoming.state === 'connected', 5000, 'connected');
    phone.transports[0]!.pause();
    const closed = next<string>(incoming, 'closed', 10_000);
    conv.close();
    await until(() => (laptop.client.counters.byReason.other_device ?? 0) > 0, 3000, 'the laptop saw the hang-up and left it');
    assert.equal(incoming.state, 'connected');
    phone.transports[0]!.resume();
    assert.equal(await closed, 'hangup', 'the hang-up was retried until the phone had it');
  });
});

describe('credential refresh', () => {
  beforeEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    hub = new MemoryHub();
  });
  after(() => Promise.all(clients.map((c) => c.close())));

  for (const [name, skewMs] of [
    ['a client clock 2 h fast', -2 * 3600_000],
    ['a client clock 5 min slow', 5 * 60_000],
    ['a right clock', 0],
  ] as const) {
    it(`${name}: one sign-in per lifetime, refreshed before the credentials end`, async (t) => {
      const clock = fakeClock(t);
      const ttl = 60;
      const alice = await device('alice', { ttl, skewMs });
      assert.equal(alice.signIns, 1);
      await clock.advance(30_000, 100);
      assert.equal(alice.signIns, 1, 'no refresh loop: half the lifetime later, still the first sign-in');
      await clock.advance(ttl * 1000 - 30_000 - 1, 100);
      assert.equal(alice.signIns, 2, 'refreshed once, before the credentials ended');
      await clock.advance(ttl * 1000, 100);
      assert.equal(alice.signIns, 3, 'and once per lifetime after');
    });
  }

  it('make-before-break: the new connection is subscribed before the old one is let go, and an invite right after rings', async (t) => {
    const clock = fakeClock(t);
    const bob = await device('bob', { ttl: 60 });
    const alice = await device('alice', { ttl: 3600 });
    const old = bob.transports[0]!;
    let atDrain: string[] | undefined;
    const drain = old.drain.bind(old);
    old.drain = async () => {
      // What the server knows of bob when the old connection starts to go.
      atDrain = bob.transports[1]?.subscriptions;
      return drain();
    };
    // ttl 60 s: the refresh starts 12 s before the end (a fifth of the lifetime);
    // the old connection keeps receiving for MOVE_OVERLAP_MS more.
    await clock.advance(48_000, 100);
    assert.equal(bob.transports.length, 2, 'the refresh opened a new connection');
    assert.equal(old.closed, false, 'the old one still receives while the cluster learns the new one');
    await clock.advance(MOVE_OVERLAP_MS, 100);
    assert.equal(old.closed, true, 'then it is drained');
    assert.deepEqual(atDrain, ['wd.u.bob.>', 'wd.n.bob.*'], 'the new connection was subscribed (calls and notices) before the old one drained');
    assert.equal(bob.transports.length, 2, 'one new connection');
    assert.equal(bob.transports[1]!.closed, false);
    assert.equal(bob.client.status, 'connected');
    const called = next<Conversation>(bob.client, 'called', 5000);
    alice.client.call('bob', stream());
    await clock.advance(100);
    await called;
  });

  it('stop() while a refresh signs in: no new connection, and no refresh timer left running', async (t) => {
    const clock = fakeClock(t);
    let release: () => void = () => {};
    const d = await device('alice', { ttl: 60 });
    // The refresh's sign-in hangs until released.
    const seams = (await import('wd-video/internal')).seamsOf(d.client);
    const original = seams.session!;
    seams.session = async () => {
      await new Promise<void>((r) => (release = r));
      return original();
    };
    await clock.advance(48_000, 100); // the refresh starts (12 s before the end)
    await d.client.stop();
    release();
    await clock.advance(10 * 60_000, 1000);
    assert.equal(d.transports.length, 1, 'no connection opened after stop()');
    assert.equal(d.signIns, 2, 'the hanging sign-in finished, and nothing signed in after it');
  });
});
