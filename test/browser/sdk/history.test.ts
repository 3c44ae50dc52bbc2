// Call history with real SDK clients, the real stack and its history service:
// every way a call ends leaves the records a user would expect, on both sides,
// a missed call reaches a signed-in callee live (`missed_call`), and every
// stored record reaches its owner live (`call_record`).
import { expect } from '@open-wc/testing';
import type { CallRecord, Conversation, VideoClient } from 'wd-video';
import { next } from '../../shared/events.js';
import { uniqueUid } from '../../shared/ids.js';
import { until } from '../../shared/wait.js';
import { camera, cleanup, client, connectedPair, reach, ringingPair } from './helpers.js';
import { suiteNeeds } from '../engine.js';

/** The record of `callId` in `c`'s history, once the service has written it. */
const recordOf = (c: VideoClient, callId: string) =>
  until(async () => (await c.history()).find((r) => r.callId === callId), 5000, () => `the record of ${callId} in ${c.uid}'s history`);

describe('call history', function () {
  this.timeout(30_000);
  suiteNeeds('webrtc');
  afterEach(cleanup);

  it('an answered call: each side has it, with the duration and the invite data, and hears call_record live', async () => {
    const { a, b, ca } = await connectedPair({ data: { topic: 'support <b>#42</b>' } });
    const [liveA, liveB] = [next<CallRecord>(a, 'call_record', 10_000), next<CallRecord>(b, 'call_record', 10_000)];
    let missedCalls = 0;
    b.on('missed_call', () => missedCalls++);
    ca.close();
    await reach(ca, 'closed', 5000);
    const mine = await recordOf(a, ca.callId);
    const theirs = await recordOf(b, ca.callId);
    expect([mine.direction, mine.outcome, mine.caller, mine.callee]).to.deep.equal(['outgoing', 'answered', a.uid, b.uid]);
    expect([theirs.direction, theirs.outcome, theirs.caller]).to.deep.equal(['incoming', 'answered', a.uid]);
    for (const r of [mine, theirs]) {
      expect(r.durationMs, 'a duration').to.be.a('number').and.above(0);
      expect(r.data).to.deep.equal({ topic: 'support <b>#42</b>' });
    }
    expect(await liveA, "alice's live record").to.deep.equal({ ...mine, seen: false });
    expect(await liveB, "bob's live record").to.deep.equal({ ...theirs, seen: false });
    expect(missedCalls, 'an answered call is no missed call').to.equal(0);
  });

  it('rejected: both sides record the reject, the callee has no missed call', async () => {
    const { a, b, conv, incoming } = await ringingPair();
    incoming.reject();
    await reach(conv, 'closed', 5000);
    expect((await recordOf(a, conv.callId)).outcome).to.equal('rejected');
    expect((await recordOf(b, conv.callId)).outcome).to.equal('rejected');
    expect(await b.history({ missedOnly: true })).to.deep.equal([]);
  });

  it('cancelled while ringing: the callee gets missed_call live, and it is in the history unseen; markSeen marks it', async () => {
    const { a, b, conv } = await ringingPair();
    const missed = next<CallRecord>(b, 'missed_call', 5000);
    conv.close();
    const rec = await missed;
    expect([rec.callId, rec.caller, rec.callee, rec.outcome, rec.reason, rec.seen]).to.deep.equal([conv.callId, a.uid, b.uid, 'missed', 'cancelled', false]);
    expect((await recordOf(a, conv.callId)).outcome).to.equal('cancelled');
    expect((await b.history({ missedOnly: true })).map((r) => [r.callId, r.seen])).to.deep.equal([[conv.callId, false]]);
    await b.markSeen([conv.callId]);
    expect((await b.history({ missedOnly: true })).map((r) => r.seen)).to.deep.equal([true]);
  });

  it('timeout: the caller records a timeout, the callee a missed call', async () => {
    const a = await client(uniqueUid('alice'), { timeout: 1000 });
    const b = await client(uniqueUid('bob'));
    const called = next<Conversation>(b, 'called');
    const missed = next<CallRecord>(b, 'missed_call', 10_000);
    const conv = a.call(b.uid!, await camera());
    await called;
    await reach(conv, 'closed', 5000);
    expect(conv.closeReason).to.equal('timeout');
    expect([(await missed).reason, (await missed).callId]).to.deep.equal(['timeout', conv.callId]);
    expect((await recordOf(a, conv.callId)).outcome).to.equal('timeout');
  });

  it('busy: the caller records busy, the busy callee a missed call', async () => {
    const { b: bob } = await connectedPair();
    const carol = await client(uniqueUid('carol'));
    const missed = next<CallRecord>(bob, 'missed_call', 10_000);
    const conv = carol.call(bob.uid!, await camera());
    await reach(conv, 'closed', 5000);
    expect(conv.closeReason).to.equal('busy');
    expect([(await missed).caller, (await missed).reason]).to.deep.equal([carol.uid, 'busy']);
    expect((await recordOf(carol, conv.callId)).outcome).to.equal('busy');
  });

  it('unavailable: a callee offline at the time finds the missed call when it signs in', async () => {
    const a = await client(uniqueUid('alice'));
    const bobUid = uniqueUid('bob');
    const conv = a.call(bobUid, await camera());
    await reach(conv, 'closed', 10_000);
    expect(conv.closeReason).to.equal('unavailable');
    await recordOf(a, conv.callId);
    const b = await client(bobUid);
    const rec = await recordOf(b, conv.callId);
    expect([rec.direction, rec.outcome, rec.reason, rec.caller]).to.deep.equal(['incoming', 'missed', 'unavailable', a.uid]);
  });

  it('history() refuses a bad limit, markSeen() a bad callId; markSeen() without ids marks everything', async () => {
    const { b, conv } = await ringingPair();
    conv.close();
    await recordOf(b, conv.callId);
    let err: unknown;
    await b.history({ limit: 0 }).catch((e) => (err = e));
    expect(err).to.have.property('code', 'invalid_argument');
    err = undefined;
    await b.markSeen(['<b>x</b>']).catch((e) => (err = e));
    expect(err, 'a callId history() never gives').to.have.property('code', 'invalid_argument');
    await b.markSeen();
    expect((await b.history()).every((r) => r.seen)).to.equal(true);
  });
});
