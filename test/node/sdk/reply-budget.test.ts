// Requests as a flood: every valid request earns a reply (ack, ringing, busy),
// so a sender flooding them would make the victim publish as fast as it
// receives. Each sender gets a reply budget (a burst of 32, 16 a second); on
// the in-memory transport and a fake clock. The flood against the real stack:
// test/browser/sdk/flood.test.ts ('acked').
import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import type { Conversation } from 'wd-video';
import { encode, randomId, subjectFor } from 'wd-video/internal';
import { argsOf, record } from '../../shared/events.js';
import { fakeClock, settle } from '../helpers/fake-clock.js';
import { FakeMediaStream, installFakeWebRTC } from '../helpers/fake-webrtc.js';
import { memoryNetwork } from '../helpers/memory-client.js';

installFakeWebRTC();

const net = memoryNetwork();
const SDP = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n';

/** mallory, speaking raw protocol to bob; `replies` collects what lands in her inbox. */
function mallory() {
  const t = net.hub.transport('mallory');
  const replies: string[] = [];
  t.subscribe('_INBOX.mallory.>', (m) => replies.push(m.subject));
  /** A well-formed hang-up for a call that does not exist, as a request to `reply`. */
  const hangup = (reply: string) =>
    t.publishWithReply(subjectFor('bob', 'mallory', 'hangup'), encode({ type: 'hangup', callId: randomId(), dev: randomId(), reason: 'hangup' }), reply);
  const invite = (reply: string) =>
    t.publishWithReply(subjectFor('bob', 'mallory', 'invite'), encode({ type: 'invite', callId: randomId(), dev: randomId(), sdp: SDP, relay: false, ttl: 30_000 }), reply);
  return { replies, hangup, invite };
}

describe('reply budget per sender (in-memory transport, fake clock)', () => {
  beforeEach(() => net.reset());
  after(() => net.close());

  it('100 requests at once get 32 acks; 16 more a second later; the rest are counted, not answered', async (t) => {
    const clock = fakeClock(t);
    const bob = await net.client('bob');
    const m = mallory();
    for (let i = 0; i < 100; i++) m.hangup(`_INBOX.mallory.a${i}`);
    await settle();
    assert.equal(m.replies.length, 32);
    assert.equal(bob.counters.byReason.reply_limited, 68);
    assert.equal(bob.counters.byReason.unknown_call, 100, 'each is still handled (and dropped as an unknown call)');
    await clock.advance(999, 100);
    for (let i = 0; i < 100; i++) m.hangup(`_INBOX.mallory.b${i}`);
    await settle();
    assert.equal(m.replies.length, 32 + 15, '999 ms refill 15 replies');
  });

  it('a reply inbox used twice is answered once (a second reply is a permissions violation at nats-server)', async () => {
    const bob = await net.client('bob');
    const errors = record(bob, ['error']);
    const m = mallory();
    for (let i = 0; i < 10; i++) m.hangup('_INBOX.mallory.same');
    await settle();
    assert.deepEqual(m.replies, ['_INBOX.mallory.same']);
    assert.equal(bob.counters.byReason.reply_limited, 9);
    assert.deepEqual(errors, [], 'bob made no publish nats-server would refuse');
  });

  it('answers for a call closed here get a hang-up each, within the same budget', async () => {
    const bob = await net.client('bob');
    const rang = record(bob, ['called']);
    const m = mallory();
    const t = net.hub.transport('mallory');
    const hangups: string[] = [];
    t.subscribe('wd.u.mallory.>', (msg) => msg.subject.endsWith('.hangup') && hangups.push(msg.subject));
    const callId = randomId();
    t.publishWithReply(subjectFor('bob', 'mallory', 'invite'), encode({ type: 'invite', callId, dev: randomId(), sdp: SDP, relay: false, ttl: 30_000 }), '_INBOX.mallory.inv');
    await settle();
    (argsOf(rang, 'called')[0] as Conversation).reject();
    for (let i = 0; i < 100; i++) t.publish(subjectFor('bob', 'mallory', 'answer'), encode({ type: 'answer', callId, dev: randomId(), sdp: SDP }));
    await settle();
    assert.equal(bob.counters.byReason.stale_call, 100);
    assert.equal(m.replies.length, 1, 'the ringing reply');
    assert.equal(hangups.length, 31, 'the rest of the burst of 32');
  });

  it("past its budget a sender's invite does not ring; another caller's does, and connects", async () => {
    const bob = await net.client('bob');
    const alice = await net.client('alice');
    const rang = record(bob, ['called']);
    const m = mallory();
    for (let i = 0; i < 40; i++) m.hangup(`_INBOX.mallory.h${i}`);
    m.invite('_INBOX.mallory.invite');
    await settle();
    assert.deepEqual(rang, [], "mallory's invite did not ring");
    assert.equal(m.replies.length, 32);
    const conv = alice.call('bob', new FakeMediaStream() as unknown as MediaStream);
    await settle();
    const incoming = argsOf(rang, 'called')[0] as Conversation;
    assert.equal(incoming?.remoteUid, 'alice');
    await incoming.accept(new FakeMediaStream() as unknown as MediaStream);
    assert.equal(conv.state === 'connecting' || conv.state === 'connected', true, `alice's call is answered (${conv.state})`);
  });
});
