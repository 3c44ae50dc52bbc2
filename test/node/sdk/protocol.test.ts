// The wire codec: what is valid decodes to a typed message, everything else to
// a drop reason. Nothing throws.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decode, decodeReply, encode, encodeReply, LIMITS, MESSAGE_TYPES, PAYLOAD_LIMITS, replyAllowed, subjectFor, type Message } from 'wd-video/internal';

const te = new TextEncoder();
const raw = (o: unknown) => te.encode(JSON.stringify(o));
const ids = { callId: 'call-0000000001', dev: 'dev-000000000001' };
const sdp = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n';

describe('protocol codec', () => {
  const roundTrips: Message[] = [
    { type: 'invite', ...ids, sdp, relay: true, ttl: 30000, data: { order: 42, note: '中文 ✓' } },
    { type: 'answer', ...ids, to: 'dev-000000000002', sdp },
    { type: 'cand', ...ids, c: [{ candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 }] },
    { type: 'cancel', ...ids, reason: 'timeout' },
    { type: 'hangup', ...ids, reason: 'hangup' },
    { type: 'reject', ...ids },
    { type: 'busy', ...ids },
    { type: 'taken', ...ids, by: 'dev-000000000003' },
    { type: 'reoffer', ...ids, sdp },
    { type: 'reanswer', ...ids, sdp },
  ];
  for (const msg of roundTrips) {
    it(`round-trips ${msg.type}`, () => {
      const d = decode('bob', subjectFor('bob', 'alice', msg.type), encode(msg));
      assert.deepEqual(d, { ok: true, from: 'alice', msg });
    });
  }

  const drops: [string, string, Uint8Array, string][] = [
    ['too few tokens', 'wd.u.bob.invite', encode(roundTrips[0]), 'bad_subject'],
    ['another user', 'wd.u.carol.alice.invite', encode(roundTrips[0]), 'not_for_me'],
    ['bad sender uid', 'wd.u.bob.al%ce.invite', encode(roundTrips[0]), 'bad_sender'],
    ['unknown type', 'wd.u.bob.alice.bogus', encode(roundTrips[0]), 'unknown_type'],
    ['not JSON', 'wd.u.bob.alice.invite', te.encode('{nope'), 'bad_json'],
    ['JSON array', 'wd.u.bob.alice.invite', raw([1, 2]), 'bad_json'],
    ['invalid UTF-8', 'wd.u.bob.alice.invite', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), 'bad_json'],
    ['wrong version', 'wd.u.bob.alice.reject', raw({ v: 2, ...ids }), 'bad_version'],
    ['bad callId', 'wd.u.bob.alice.reject', raw({ v: 1, callId: 'x', dev: ids.dev }), 'bad_call_id'],
    ['callId with dots', 'wd.u.bob.alice.reject', raw({ v: 1, callId: 'a.b.c.d.e.f.g.h', dev: ids.dev }), 'bad_call_id'],
    ['missing device', 'wd.u.bob.alice.reject', raw({ v: 1, callId: ids.callId }), 'bad_device'],
    ['sdp not a string', 'wd.u.bob.alice.answer', raw({ v: 1, ...ids, sdp: 5 }), 'bad_answer'],
    ['sdp without v=0', 'wd.u.bob.alice.answer', raw({ v: 1, ...ids, sdp: '<script>' }), 'bad_answer'],
    ['oversize sdp', 'wd.u.bob.alice.answer', raw({ v: 1, ...ids, sdp: 'v=0' + 'a'.repeat(LIMITS.sdp) }), 'bad_answer'],
    ['oversize data', 'wd.u.bob.alice.invite', raw({ v: 1, ...ids, sdp, relay: false, ttl: 1000, data: 'x'.repeat(LIMITS.data) }), 'oversize_data'],
    ['ttl out of range', 'wd.u.bob.alice.invite', raw({ v: 1, ...ids, sdp, relay: false, ttl: 1e9 }), 'bad_invite'],
    ['relay not boolean', 'wd.u.bob.alice.invite', raw({ v: 1, ...ids, sdp, relay: 'yes', ttl: 1000 }), 'bad_invite'],
    ['too many candidates', 'wd.u.bob.alice.cand', raw({ v: 1, ...ids, c: Array(LIMITS.candidatesPerMessage + 1).fill({ candidate: '' }) }), 'bad_cand'],
    ['candidate not an object', 'wd.u.bob.alice.cand', raw({ v: 1, ...ids, c: ['x'] }), 'bad_cand'],
    ['reason with spaces', 'wd.u.bob.alice.hangup', raw({ v: 1, ...ids, reason: 'bye bye' }), 'bad_hangup'],
    ['oversize payload', 'wd.u.bob.alice.hangup', new Uint8Array(LIMITS.payload + 1), 'oversize'],
    // The subject is judged before the payload: these would be bad_json if it were parsed first.
    ['unknown type, junk payload', 'wd.u.bob.alice.bogus', te.encode('{nope'), 'unknown_type'],
    ['__proto__ type', 'wd.u.bob.alice.__proto__', te.encode('{nope'), 'unknown_type'],
    ['small type over its limit', 'wd.u.bob.alice.hangup', te.encode('{' + ' '.repeat(PAYLOAD_LIMITS.hangup)), 'oversize'],
    ['cand over its limit', 'wd.u.bob.alice.cand', te.encode('{' + ' '.repeat(PAYLOAD_LIMITS.cand)), 'oversize'],
    ['invite over its limit', 'wd.u.bob.alice.invite', te.encode('{' + ' '.repeat(PAYLOAD_LIMITS.invite)), 'oversize'],
  ];
  for (const [name, subject, data, reason] of drops) {
    it(`drops ${name} as ${reason}`, () => {
      assert.deepEqual(decode('bob', subject, data), { ok: false, reason });
    });
  }

  it('looks at no payload byte of an unknown or oversize message', () => {
    // A payload whose every read throws: decode must answer from the subject and the length alone.
    const untouchable = (length: number) =>
      new Proxy(new Uint8Array(length), {
        get(target, key) {
          if (key === 'length' || key === 'byteLength') return target.length;
          throw new Error(`payload read: ${String(key)}`);
        },
      });
    assert.deepEqual(decode('bob', 'wd.u.bob.alice.bogus', untouchable(10)), { ok: false, reason: 'unknown_type' });
    assert.deepEqual(decode('bob', `wd.u.bob.alice.hangup${'.x'.repeat(2000)}`, untouchable(10)), { ok: false, reason: 'bad_subject' });
    const longest = subjectFor('u'.repeat(64), 'a'.repeat(64), 'reanswer');
    assert.deepEqual(decode('u'.repeat(64), longest, untouchable(PAYLOAD_LIMITS.reanswer + 1)), { ok: false, reason: 'oversize' }, 'the longest real subject is still read');
    for (const type of MESSAGE_TYPES) {
      assert.deepEqual(decode('bob', subjectFor('bob', 'alice', type), untouchable(PAYLOAD_LIMITS[type] + 1)), { ok: false, reason: 'oversize' }, type);
    }
  });

  it('keeps every payload limit within the server limit and above the largest message the SDK sends', () => {
    for (const type of MESSAGE_TYPES) assert.ok(PAYLOAD_LIMITS[type] <= LIMITS.payload, type);
    const longId = 'x'.repeat(64);
    const big = { callId: longId, dev: longId, to: longId };
    // The longest small messages the SDK writes: every id at 64 chars, the longest close reason.
    for (const m of [
      { type: 'hangup', ...big, reason: 'answered_elsewhere' },
      { type: 'cancel', ...big, reason: 'answered_elsewhere' },
      { type: 'taken', ...big, by: longId },
      { type: 'reject', ...big },
      { type: 'busy', ...big },
    ] as Message[]) {
      assert.equal(decode('bob', subjectFor('bob', 'alice', m.type), encode(m)).ok, true, m.type);
    }
    // A full trickle batch (16) of long relay candidates.
    const line = 'candidate:3 1 udp 41885439 203.0.113.77 61234 typ relay raddr 198.51.100.5 rport 54321 generation 0 ufrag AbCd network-id 1 network-cost 10';
    const cand: Message = { type: 'cand', ...big, c: Array(16).fill({ candidate: line, sdpMid: '0', sdpMLineIndex: 0 }) };
    assert.equal(decode('bob', subjectFor('bob', 'alice', 'cand'), encode(cand)).ok, true);
    // The largest SDP and user data decode's field rules allow, as an invite.
    const maxSdp = 'v=0\r\n' + 'a'.repeat(LIMITS.sdp - 5);
    const inv: Message = { type: 'invite', ...big, sdp: maxSdp, relay: false, ttl: 600_000, data: 'd'.repeat(LIMITS.data - 2) };
    assert.equal(decode('bob', subjectFor('bob', 'alice', 'invite'), encode(inv)).ok, true);
  });

  it('accepts an invite ttl up to the v1 wire bound (600 s): the callee rings it at most LIMITS.ring', () => {
    const inv = (ttl: number) => decode('bob', 'wd.u.bob.alice.invite', raw({ v: 1, ...ids, sdp, relay: false, ttl }));
    assert.equal(inv(600_000).ok, true);
    assert.deepEqual(inv(600_001), { ok: false, reason: 'bad_invite' });
    assert.equal(LIMITS.ring, 120_000);
  });

  it('decodes replies and refuses malformed ones', () => {
    assert.deepEqual(decodeReply(encodeReply({ t: 'ringing', callId: ids.callId, dev: ids.dev })), { t: 'ringing', callId: ids.callId, dev: ids.dev });
    assert.equal(decodeReply(raw({ v: 1, t: 'accept-everything', callId: ids.callId })), undefined);
    assert.equal(decodeReply(te.encode('nope')), undefined);
  });

  it('allows replies only to the sender\'s own inbox', () => {
    assert.equal(replyAllowed('alice', '_INBOX.alice.abc.1'), true);
    assert.equal(replyAllowed('alice', '_INBOX.carol.abc.1'), false);
    assert.equal(replyAllowed('alice', '_INBOX.alicex.abc'), false);
    assert.equal(replyAllowed('alice', 'wd.u.carol.alice.invite'), false);
    assert.equal(replyAllowed('alice', undefined), false);
    assert.equal(replyAllowed('alice', '_INBOX.alice.>'), false);
  });
});
