// Malformed and oversize messages injected with a raw NATS client (mallory, a real signed-in
// user): bob's client drops and counts them, never throws, and no call state changes.
import { expect } from '@open-wc/testing';
import type { NatsConnection } from 'nats.ws';
import type { VideoClient } from 'wd-video';
import { next, record } from '../../shared/events.js';
import { fakeId, uniqueUid } from '../../shared/ids.js';
import { until } from '../../shared/wait.js';
import { streamFrames } from '../frames.js';
import { camera, catchPageErrors, cleanup, client, collect, connectedPair, json, rawNats, utf8 } from './helpers.js';
import { suiteNeeds } from '../engine.js';

interface Injection {
  type: string;
  data: Uint8Array;
  what: string;
  /** Reply subject (mallory's own inbox): a malformed request must get no reply either. */
  reply?: boolean;
}

const SDP = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n';

/** Everything mallory throws at bob. `live` = the callId and devices of bob's live call with alice, if any. */
function payloads(live?: { callId: string; aliceDev: string; bobDev: string }): Injection[] {
  const id = fakeId;
  const inv = (o: Record<string, unknown> = {}) => ({ v: 1, callId: id(), dev: id(), sdp: SDP, relay: false, ttl: 30000, ...o });
  const cand = { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 9 typ host', sdpMid: '0', sdpMLineIndex: 0 };
  const list: Injection[] = [
    // not JSON at all
    ...['invite', 'answer', 'cand', 'hangup', 'bogus'].map((type) => ({ type, data: utf8('{not json'), what: `bad JSON (${type})`, reply: true })),
    { type: 'invite', data: new Uint8Array(0), what: 'empty payload', reply: true },
    { type: 'invite', data: json([1, 2, 3]), what: 'JSON array' },
    { type: 'invite', data: json(null), what: 'JSON null' },
    { type: 'invite', data: json('string'), what: 'JSON string' },
    { type: 'hangup', data: json(42), what: 'JSON number' },
    { type: 'hangup', data: utf8('['.repeat(20000) + ']'.repeat(20000)), what: 'deeply nested JSON' },
    // non-UTF-8
    { type: 'invite', data: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), what: 'non-UTF-8 bytes' },
    { type: 'hangup', data: new Uint8Array([...utf8('{"v":1,"callId":"'), 0xc3, 0x28, ...utf8(`","dev":"${id()}","reason":"hangup"}`)]), what: 'invalid UTF-8 inside a string', reply: true },
    // wrong version
    { type: 'invite', data: json(inv({ v: 2 })), what: 'version 2' },
    { type: 'invite', data: json({ ...inv(), v: undefined }), what: 'no version' },
    { type: 'hangup', data: json({ v: '1', callId: id(), dev: id(), reason: 'hangup' }), what: 'version as string', reply: true },
    // wrong types and bad fields
    { type: 'invite', data: json(inv({ callId: 123 })), what: 'numeric callId' },
    { type: 'invite', data: json(inv({ callId: 'a.b.c.d' })), what: 'callId with dots' },
    { type: 'invite', data: json(inv({ callId: 'x'.repeat(65) })), what: 'callId too long' },
    { type: 'invite', data: json(inv({ callId: 'short' })), what: 'callId too short' },
    { type: 'invite', data: json(inv({ dev: {} })), what: 'dev object' },
    { type: 'invite', data: json(inv({ to: '*' })), what: 'to wildcard' },
    { type: 'invite', data: json(inv({ relay: 'yes' })), what: 'relay string' },
    { type: 'invite', data: json(inv({ ttl: -1 })), what: 'negative ttl' },
    { type: 'invite', data: json(inv({ ttl: 1.5 })), what: 'fractional ttl' },
    { type: 'invite', data: json(inv({ ttl: 1e12 })), what: 'huge ttl' },
    { type: 'invite', data: json(inv({ sdp: 42 })), what: 'numeric sdp' },
    { type: 'invite', data: json(inv({ sdp: 'hello' })), what: 'sdp not starting with v=0' },
    { type: 'invite', data: json(inv({ sdp: '' })), what: 'empty sdp' },
    { type: 'invite', data: json(inv({ sdp: SDP + 'a=x'.repeat(17000) })), what: 'huge sdp (~51 KB)' },
    { type: 'answer', data: json({ v: 1, callId: live?.callId ?? id(), dev: id(), sdp: SDP + 'a=x'.repeat(17000) }), what: 'huge answer sdp', reply: true },
    { type: 'invite', data: json(inv({ data: 'x'.repeat(5000) })), what: 'oversize user data' },
    { type: 'invite', data: json(inv({ data: '中'.repeat(1400) })), what: 'oversize unicode user data' },
    { type: 'cand', data: json({ v: 1, callId: id(), dev: id(), c: 'x' }), what: 'cand not an array' },
    { type: 'cand', data: json({ v: 1, callId: id(), dev: id(), c: [] }), what: 'empty cand array' },
    { type: 'cand', data: json({ v: 1, callId: id(), dev: id(), c: [{ candidate: 5 }] }), what: 'numeric candidate' },
    { type: 'cand', data: json({ v: 1, callId: id(), dev: id(), c: Array(33).fill(cand) }), what: '33 candidates' },
    { type: 'cand', data: json({ v: 1, callId: id(), dev: id(), c: [{ candidate: 'x'.repeat(2000) }] }), what: '2 KB candidate' },
    { type: 'cand', data: json({ v: 1, callId: id(), dev: id(), c: [{ ...cand, sdpMLineIndex: -1 }] }), what: 'negative mline index' },
    { type: 'cand', data: json({ v: 1, callId: id(), dev: id(), c: [null] }), what: 'null candidate' },
    { type: 'hangup', data: json({ v: 1, callId: id(), dev: id(), reason: '<script>alert(1)</script>' }), what: 'hangup with HTML reason', reply: true },
    { type: 'hangup', data: json({ v: 1, callId: id(), dev: id(), reason: 123 }), what: 'numeric reason', reply: true },
    { type: 'taken', data: json({ v: 1, callId: id(), dev: id(), by: 5 }), what: 'numeric taken.by', reply: true },
    { type: 'bogus', data: json({ v: 1, callId: id(), dev: id() }), what: 'unknown type' },
    { type: '__proto__', data: json({ v: 1, callId: id(), dev: id() }), what: '__proto__ type' },
    { type: 'invite.extra', data: json(inv()), what: 'extra subject token', reply: true },
    // oversize blobs (server max_payload is 64 KB; the SDK's own limit is 60 KB)
    { type: 'invite', data: utf8('x'.repeat(60 * 1024 + 1)), what: '60 KB + 1 blob' },
    { type: 'answer', data: utf8('{' + 'x'.repeat(62 * 1024)), what: '62 KB blob', reply: true },
    { type: 'hangup', data: json({ v: 1, pad: 'x'.repeat(59 * 1024) }), what: '59 KB JSON without callId', reply: true },
    // over their type's limit, though every field is valid: dropped unparsed, and so never acked
    { type: 'hangup', data: json({ v: 1, callId: id(), dev: id(), reason: 'hangup', pad: 'x'.repeat(2000) }), what: '2 KB hangup (small types: 1 KB)', reply: true },
    { type: 'cand', data: json({ v: 1, callId: id(), dev: id(), c: Array(20).fill({ ...cand, candidate: 'x'.repeat(1000) }) }), what: '20 KB cand (16 KB)' },
    { type: `hangup${'.x'.repeat(100)}`, data: json({ v: 1, callId: id(), dev: id(), reason: 'hangup' }), what: 'subject with 100 extra tokens', reply: true },
    // well-formed, but for calls that do not exist
    { type: 'hangup', data: json({ v: 1, callId: id(), dev: id(), reason: 'hangup' }), what: 'hangup, unknown callId' },
    { type: 'cancel', data: json({ v: 1, callId: id(), dev: id(), reason: 'cancelled' }), what: 'cancel, unknown callId' },
    { type: 'answer', data: json({ v: 1, callId: id(), dev: id(), sdp: SDP }), what: 'answer, unknown callId' },
    { type: 'cand', data: json({ v: 1, callId: id(), dev: id(), c: [cand] }), what: 'cand, unknown callId' },
    { type: 'reject', data: json({ v: 1, callId: id(), dev: id() }), what: 'reject, unknown callId' },
    { type: 'busy', data: json({ v: 1, callId: id(), dev: id() }), what: 'busy, unknown callId' },
    { type: 'taken', data: json({ v: 1, callId: id(), dev: id(), by: id() }), what: 'taken, unknown callId' },
    { type: 'reoffer', data: json({ v: 1, callId: id(), dev: id(), sdp: SDP }), what: 'reoffer, unknown callId' },
    { type: 'hangup', data: utf8(`{"v":1,"__proto__":{"polluted":true},"callId":"${id()}","dev":"${id()}","reason":"hangup"}`), what: '__proto__ key' },
    // a well-formed invite without a reply subject (cannot be answered: dropped)
    { type: 'invite', data: json(inv()), what: 'invite without reply' },
  ];
  if (live) {
    // The live call's own callId, even with alice's device id, but sent by mallory: the sender is
    // the subject's 4th token, which the server guarantees, so none of these may touch the call.
    const base = { v: 1, callId: live.callId, dev: live.aliceDev, to: live.bobDev };
    list.push(
      { type: 'hangup', data: json({ ...base, reason: 'hangup' }), what: 'hangup for the live call' },
      { type: 'cancel', data: json({ ...base, reason: 'cancelled' }), what: 'cancel for the live call' },
      { type: 'taken', data: json({ ...base, by: fakeId() }), what: 'taken for the live call' },
      { type: 'reoffer', data: json({ ...base, sdp: SDP }), what: 'reoffer for the live call' },
      { type: 'reanswer', data: json({ ...base, sdp: SDP }), what: 'reanswer for the live call' },
      { type: 'answer', data: json({ ...base, sdp: SDP }), what: 'answer for the live call' },
      { type: 'cand', data: json({ ...base, c: [cand] }), what: 'cand for the live call' },
      { type: 'reject', data: json(base), what: 'reject for the live call' },
      { type: 'busy', data: json(base), what: 'busy for the live call' },
      { type: 'invite', data: json(inv({ callId: live.callId, dev: live.aliceDev })), what: 'invite with the live callId' },
    );
  }
  return list;
}

async function inject(nc: NatsConnection, mallory: string, bob: VideoClient, list: Injection[]) {
  const replies = collect(nc, `_INBOX.${mallory}.>`);
  const before = { received: bob.counters.received, dropped: bob.counters.dropped, byReason: { ...bob.counters.byReason } };
  list.forEach((m, i) => nc.publish(`wd.u.${bob.uid}.${mallory}.${m.type}`, m.data, m.reply ? { reply: `_INBOX.${mallory}.m${i}` } : undefined));
  // Then one well-formed reliable message bob acknowledges: bob handles mallory's messages in
  // order and answers on one connection, so once its ack is here, any reply to the junk would be too.
  const control = `_INBOX.${mallory}.control`;
  nc.publish(`wd.u.${bob.uid}.${mallory}.hangup`, json({ v: 1, callId: fakeId(), dev: fakeId(), reason: 'hangup' }), { reply: control });
  await until(() => replies.msgs.some((m) => m.subject === control), 10_000, () => `bob's ack to the control message (dropped ${bob.counters.dropped - before.dropped} of ${list.length})`);
  // The control itself: received once, dropped once as a hang-up for an unknown call.
  const byReason: Record<string, number> = {};
  for (const [k, v] of Object.entries(bob.counters.byReason)) {
    const n = v - (before.byReason[k] ?? 0) - (k === 'unknown_call' ? 1 : 0);
    if (n) byReason[k] = n;
  }
  return {
    received: bob.counters.received - before.received - 1,
    dropped: bob.counters.dropped - before.dropped - 1,
    byReason,
    replies: replies.msgs.filter((m) => m.subject !== control),
  };
}

function expectCounted(r: Awaited<ReturnType<typeof inject>>, n: number) {
  const counts = `dropped ${r.dropped} of ${n} injected: ${JSON.stringify(r.byReason)}`;
  // Each message is dropped and counted (a forged reply on a reliable type may count twice: reply + call).
  expect(r.dropped, `every injected message is counted as dropped (${counts})`).to.be.at.least(n);
  expect(r.received, `every injected message was seen (${counts})`).to.be.at.least(n);
  expect(Object.values(r.byReason).reduce((s, v) => s + v, 0), `byReason adds up to dropped (${counts})`).to.equal(r.dropped);
  expect(Object.keys(r.byReason).length, `distinct drop reasons (${counts})`).to.be.at.least(8);
  expect(r.replies.map((m) => m.subject), 'no reply to any malformed request').to.deep.equal([]);
}

describe('malformed and oversize messages from a raw NATS client', function () {
  suiteNeeds('webrtc');
  this.timeout(60_000);
  afterEach(cleanup);

  it('bob idle: no throw, no call, no state, every message counted', async () => {
    const errors = catchPageErrors();
    const bob = await client(uniqueUid('bob'));
    const clientLog = record(bob, ['called', 'error', 'status']);
    const malloryUid = uniqueUid('mallory');
    const { nc } = await rawNats(malloryUid);
    const list = payloads();
    const r = await inject(nc, malloryUid, bob, list);
    expectCounted(r, list.length);
    expect(errors, 'nothing thrown in the page').to.deep.equal([]);
    expect(clientLog, 'no called/error/status event').to.deep.equal([]);
    expect(bob.conversation).to.equal(undefined);
    expect(bob.status).to.equal('connected');
    expect(({} as Record<string, unknown>).polluted, 'no prototype pollution').to.equal(undefined);

    // bob still works: a real call rings him.
    const alice = await client(uniqueUid('alice'));
    const called = next(bob, 'called', 5000);
    alice.call(bob.uid!, await camera());
    await called;
  });

  it('bob in a live call with alice: no throw, no state change, media and hang-up still work', async () => {
    const errors = catchPageErrors();
    const { a, b: bob, ca, cb } = await connectedPair();
    const frames = streamFrames(cb.remoteStream!.stream);
    await frames.more(3);
    const bobLog = record(cb, ['state', 'closed', 'error', 'response', 'stream_received']);
    const aliceLog = record(ca, ['state', 'closed', 'error']);
    const clientLog = record(bob, ['called', 'error', 'status']);
    const pcState = cb.peerConnection!.signalingState;
    const malloryUid = uniqueUid('mallory');
    const { nc } = await rawNats(malloryUid);
    const list = payloads({ callId: cb.callId, aliceDev: a.deviceId, bobDev: bob.deviceId });
    const r = await inject(nc, malloryUid, bob, list);
    expectCounted(r, list.length);
    expect(errors, 'nothing thrown in the page').to.deep.equal([]);
    expect(bobLog, "bob's conversation: no event").to.deep.equal([]);
    expect(aliceLog, "alice's conversation: no event").to.deep.equal([]);
    expect(clientLog, 'no called/error/status event').to.deep.equal([]);
    expect(bob.conversation).to.equal(cb);
    expect(cb.state).to.equal('connected');
    expect(ca.state).to.equal('connected');
    expect(cb.peerConnection!.signalingState, 'no renegotiation happened').to.equal(pcState);
    await frames.more(10);

    const closed = next<string>(cb, 'closed', 5000);
    ca.close();
    expect(await closed).to.equal('hangup');
  });

  it('bob ringing with alice\'s call: third-party cancel/taken/hangup for that callId change nothing; bob can still accept', async () => {
    const errors = catchPageErrors();
    const alice = await client(uniqueUid('alice'));
    const bob = await client(uniqueUid('bob'));
    const called = next<import('wd-video').Conversation>(bob, 'called', 5000);
    const conv = alice.call(bob.uid!, await camera());
    const incoming = await called;
    await until(() => conv.state === 'ringing', 5000, 'ringing');
    const bobLog = record(incoming, ['state', 'closed', 'error']);
    const malloryUid = uniqueUid('mallory');
    const { nc } = await rawNats(malloryUid);
    const list = payloads({ callId: incoming.callId, aliceDev: alice.deviceId, bobDev: bob.deviceId });
    const r = await inject(nc, malloryUid, bob, list);
    expectCounted(r, list.length);
    expect(errors).to.deep.equal([]);
    expect(bobLog, 'the ringing conversation had no event').to.deep.equal([]);
    expect(incoming.state).to.equal('incoming');
    expect(conv.state).to.equal('ringing');
    await incoming.accept(await camera());
    await until(() => conv.state === 'connected' && incoming.state === 'connected', 15_000, 'connected');
  });

  it('a flood of 2000 junk messages: counted, bob still answers a real call', async () => {
    const errors = catchPageErrors();
    const bob = await client(uniqueUid('bob'));
    const malloryUid = uniqueUid('mallory');
    const { nc } = await rawNats(malloryUid);
    const list: Injection[] = Array.from({ length: 2000 }, (_, i) => ({ type: ['invite', 'cand', 'hangup', 'x'][i % 4], data: utf8(`junk ${i}`), what: 'junk' }));
    const rang = record(bob, ['called']);
    const r = await inject(nc, malloryUid, bob, list);
    expect(r.dropped).to.equal(2000);
    expect(rang, 'no call from the junk').to.deep.equal([]);
    expect(errors).to.deep.equal([]);
    const alice = await client(uniqueUid('alice'));
    const called = next(bob, 'called', 5000);
    alice.call(bob.uid!, await camera());
    await called;
  });
});
