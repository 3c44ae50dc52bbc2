// Ring-bombing on the in-memory transport and a fake clock: a ring is bounded
// (120 s, whatever the caller asks) and a caller just rejected hears BUSY
// instead of ringing again. The same attack against the real stack:
// test/browser/sdk/ring-bomb.test.ts.
import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { VideoClient, WdVideoError, type Conversation } from 'wd-video';
import { decodeReply, encode, LIMITS, randomId, subjectFor } from 'wd-video/internal';
import { argsOf, record } from '../../shared/events.js';
import { fakeClock, settle } from '../helpers/fake-clock.js';
import { FakeMediaStream, installFakeWebRTC } from '../helpers/fake-webrtc.js';
import { memoryNetwork } from '../helpers/memory-client.js';

installFakeWebRTC();

const net = memoryNetwork();
const stream = () => new FakeMediaStream() as unknown as MediaStream;
const SDP = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n';

/** What `code` a throw of `fn` carries (undefined: it did not throw). */
function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof WdVideoError ? e.code : `not a WdVideoError: ${e}`;
  }
  return undefined;
}

describe('ring-bombing (in-memory transport, fake clock)', () => {
  beforeEach(() => net.reset());
  after(() => net.close());

  it('call() and the client refuse a ring timeout over 120 s; 120 s itself is allowed', async () => {
    const a = await net.client('alice');
    assert.equal(LIMITS.ring, 120_000);
    assert.equal(codeOf(() => a.call('bob', stream(), { timeout: 120_001 })), 'invalid_argument');
    assert.equal(codeOf(() => a.call('bob', stream(), { timeout: 600_000 })), 'invalid_argument');
    assert.equal(codeOf(() => new VideoClient({ authUrl: 'memory:', anonymous: { uid: 'x' }, timeout: 120_001 })), 'invalid_argument');
    assert.equal(codeOf(() => new VideoClient({ authUrl: 'memory:', anonymous: { uid: 'x' }, timeout: 120_000 })), undefined);
    assert.equal(codeOf(() => a.call('bob', stream(), { timeout: 120_000 }).close()), undefined);
  });

  it('an invite asking to ring 600 s rings 120 s: the callee gives up at 120 s + 5 s grace, and is free again', async (t) => {
    const clock = fakeClock(t);
    const bob = await net.client('bob');
    const rang = record(bob, ['called']);
    // mallory speaks raw protocol: she asks the v1 wire maximum and never cancels.
    const mallory = net.hub.transport('mallory');
    const callId = randomId();
    const reply = mallory.request(subjectFor('bob', 'mallory', 'invite'), encode({ type: 'invite', callId, dev: randomId(), sdp: SDP, relay: false, ttl: 600_000 }), 4000);
    await settle();
    assert.equal(decodeReply(await reply)?.t, 'ringing');
    const incoming = argsOf(rang, 'called')[0] as Conversation;
    assert.ok(incoming, 'the invite rang');
    const closed = record(incoming, ['closed']);
    await clock.advance(LIMITS.ring + 5000 - 100, 100);
    await clock.advance(99, 1);
    assert.equal(incoming.state, 'incoming', 'still ringing 1 ms before 125 s');
    await clock.advance(1);
    assert.deepEqual(argsOf(closed, 'closed'), ['timeout'], 'stopped ringing at 125 s, not 605 s');
    assert.equal(bob.conversation, undefined, 'bob is free for other callers');
  });

  it('a caller just rejected hears BUSY for 5 s and nothing rings; then it rings again; others ring at once', async (t) => {
    const clock = fakeClock(t);
    const alice = await net.client('alice');
    const bob = await net.client('bob');
    const carol = await net.client('carol');
    const rang = record(bob, ['called']);
    const first = alice.call('bob', stream());
    const firstLog = record(first, ['response']);
    await settle();
    (argsOf(rang, 'called')[0] as Conversation).reject();
    await settle();
    assert.deepEqual(argsOf(firstLog, 'response'), ['REJECTED']);

    // At once, and again 1 ms before the cooldown ends: BUSY, no `called`.
    for (const wait of [0, 4999]) {
      await clock.advance(wait, 100);
      const again = alice.call('bob', stream());
      const log = record(again, ['response']);
      await settle();
      assert.deepEqual(argsOf(log, 'response'), ['BUSY'], `a new call ${wait} ms later`);
      assert.equal(argsOf(rang, 'called').length, 1, 'bob did not ring again');
    }
    assert.equal(bob.counters.byReason.recent_reject, 2);

    // Another caller is not affected.
    const fromCarol = carol.call('bob', stream());
    await settle();
    assert.equal(argsOf(rang, 'called').length, 2, "carol's call rings");
    fromCarol.close();
    await settle();

    // 5 s after the reject, alice rings again.
    await clock.advance(1);
    alice.call('bob', stream());
    await settle();
    assert.equal(argsOf(rang, 'called').length, 3, "alice's call rings after the cooldown");
  });
});
