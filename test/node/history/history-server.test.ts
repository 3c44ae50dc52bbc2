// The call history against a real nats-server (JetStream) and token service:
// what each report writes, who may read and write what (the forgery attempts
// nats-server or the service refuses), caps, the missed_call notice, and the
// call events the webhooks get. The SDK's own reports are tested in Chromium
// (test/browser/sdk/history.test.ts); here raw connections send them.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { NatsConnection, Status } from 'nats.ws';
import type { CallEvent } from '@wd-video/server/call-events.js';
import { loadConfig } from '@wd-video/server/config.js';
import { startStack, type Stack } from '@wd-video/server/stack.js';
import type { CallRecord, CallReport } from 'wd-video/contract';
import { collect, permissionError } from '../helpers/nats-watch.js';
import { killMentioning, tempStateDir } from '../helpers/procs.js';
import { connectNats, recordStatus, signIn } from '../helpers/stack-env.js';
import { fakeId, uniqueUid } from '../../shared/ids.js';
import { until } from '../../shared/wait.js';

const enc = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));
const dec = (b: Uint8Array) => JSON.parse(new TextDecoder().decode(b));

const stateDir = tempStateDir('history');
let stack: Stack;
const events: CallEvent[] = [];
const conns: NatsConnection[] = [];

before(async () => {
  stack = await startStack(loadConfig({}, { stateDir, anonymous: true, rateLimit: 100_000, historyMaxPerUser: 5 }), {
    freePorts: true,
    callEventSinks: [(e) => events.push(e)],
  });
});
after(async () => {
  await Promise.all(conns.map((c) => c.close().catch(() => {})));
  await stack?.stop();
  killMentioning(stateDir);
  rmSync(stateDir, { recursive: true, force: true });
});

interface User {
  uid: string;
  nc: NatsConnection;
  status: Status[];
}
async function user(prefix: string): Promise<User> {
  const uid = uniqueUid(prefix);
  const nc = await connectNats(await signIn(uid, stack.url));
  conns.push(nc);
  return { uid, nc, status: recordStatus(nc) };
}
const counters = () => stack.tokenService.history!.counters;

/** What the SDK reports when a call ends (call-report.ts). */
function ended(u: User, peer: string, role: CallReport['role'], reason: string, more: Partial<CallReport> = {}, callId = fakeId()): string {
  u.nc.publish(`wd.ev.${u.uid}`, enc({ v: 1, k: 'ended', callId, peer, role, reason, answered: false, agoMs: 1000, ...more }));
  return callId;
}
async function history(u: User, body: unknown = {}): Promise<CallRecord[]> {
  const r = dec((await u.nc.request(`wd.svc.${u.uid}.history`, enc(body), { timeout: 5000 })).data);
  assert.ok(Array.isArray(r.records), JSON.stringify(r));
  return r.records;
}
const untilRecords = (u: User, n: number, what: string) => until(async () => ((await history(u)).length >= n ? history(u) : undefined), 5000, what);

describe('what a report writes', () => {
  test('an unanswered call: the caller gets an outgoing record, the callee a missed call, live and in its history', async () => {
    const [x, y] = [await user('x'), await user('y')];
    const notices = collect(y.nc.subscribe(`wd.n.${y.uid}.>`));
    await y.nc.flush();
    const callId = ended(x, y.uid, 'caller', 'unavailable', { data: { topic: 'hi' } });
    const m = await until(() => notices.got.find((n) => n.subject === `wd.n.${y.uid}.missed_call`), 5000, 'the missed_call notice');
    const notice = dec(m.data).record as CallRecord;
    const rec = await until(() => notices.got.find((n) => n.subject === `wd.n.${y.uid}.call_record`), 5000, 'the call_record notice');
    assert.deepEqual(dec(rec.data).record, notice, 'the same record, also as call_record');
    assert.deepEqual([notice.callId, notice.caller, notice.callee, notice.outcome, notice.reason, notice.seen], [callId, x.uid, y.uid, 'missed', 'unavailable', false]);
    assert.deepEqual(notice.data, { topic: 'hi' });
    const [theirs] = await history(y);
    assert.deepEqual({ ...theirs, at: 0 }, { ...notice, at: 0 });
    assert.ok(Math.abs(theirs.at - (Date.now() - 1000)) < 60_000, 'at = server time minus agoMs');
    const [mine] = await untilRecords(x, 1, "the caller's record");
    assert.deepEqual([mine.direction, mine.outcome, mine.callee], ['outgoing', 'unavailable', y.uid]);
  });

  for (const reason of ['timeout', 'cancelled', 'busy']) {
    test(`a call that ended ${reason} is a missed call for the callee`, async () => {
      const [x, y] = [await user('x'), await user('y')];
      ended(x, y.uid, 'caller', reason);
      const [r] = await untilRecords(y, 1, 'the missed call');
      assert.deepEqual([r.outcome, r.reason, r.direction, r.caller], ['missed', reason, 'incoming', x.uid]);
      assert.equal((await untilRecords(x, 1, "caller's record"))[0].outcome, reason);
    });
  }

  test('a rejected call: no missed call from the caller; the callee records its own reject', async () => {
    const [x, y] = [await user('x'), await user('y')];
    const callId = ended(x, y.uid, 'caller', 'rejected');
    ended(y, x.uid, 'callee', 'rejected', {}, callId);
    const [r] = await untilRecords(y, 1, "the callee's reject");
    assert.deepEqual([r.outcome, r.direction, r.caller], ['rejected', 'incoming', x.uid]);
    assert.equal((await untilRecords(x, 1, 'caller'))[0].outcome, 'rejected');
    assert.equal((await history(y)).length, 1, 'no missed call beside it');
  });

  test('an answered call: each side its own record with duration, live as call_record (no missed_call); events ringing, answered, ended', async () => {
    const [x, y] = [await user('x'), await user('y')];
    const [xNotices, yNotices] = [collect(x.nc.subscribe(`wd.n.${x.uid}.>`)), collect(y.nc.subscribe(`wd.n.${y.uid}.>`))];
    await Promise.all([x.nc.flush(), y.nc.flush()]);
    const callId = fakeId();
    x.nc.publish(`wd.ev.${x.uid}`, enc({ v: 1, k: 'ringing', callId, peer: y.uid, role: 'caller' }));
    x.nc.publish(`wd.ev.${x.uid}`, enc({ v: 1, k: 'answered', callId, peer: y.uid, role: 'caller' }));
    ended(x, y.uid, 'caller', 'hangup', { answered: true, durationMs: 42_000 }, callId);
    ended(y, x.uid, 'callee', 'hangup', { answered: true, durationMs: 41_900 }, callId);
    const [xr] = await untilRecords(x, 1, 'x');
    const [yr] = await untilRecords(y, 1, 'y');
    assert.deepEqual([xr.outcome, xr.direction, xr.durationMs], ['answered', 'outgoing', 42_000]);
    assert.deepEqual([yr.outcome, yr.direction, yr.durationMs], ['answered', 'incoming', 41_900]);
    for (const [notices, u, r] of [[xNotices, x, xr], [yNotices, y, yr]] as const) {
      const got = await until(() => (notices.got.length ? notices.got : undefined), 5000, `${u.uid}'s call_record notice`);
      assert.deepEqual(got.map((n) => n.subject), [`wd.n.${u.uid}.call_record`]);
      assert.deepEqual(dec(got[0]!.data).record, { ...r, seen: false });
    }
    const mine = await until(() => {
      const e = events.filter((e) => e.callId === callId);
      return e.length === 3 ? e : undefined;
    }, 5000, 'three call events');
    assert.deepEqual(mine.map((e) => e.kind), ['ringing', 'answered', 'ended']);
    assert.deepEqual({ ...mine[2], at: 0 }, { kind: 'ended', callId, caller: x.uid, callee: y.uid, at: 0, reason: 'hangup', durationMs: 42_000 });
  });

  test('missed and rejected call events', async () => {
    const [x, y] = [await user('x'), await user('y')];
    const a = ended(x, y.uid, 'caller', 'timeout');
    const b = ended(x, y.uid, 'caller', 'rejected');
    await until(() => events.some((e) => e.callId === b), 5000, 'the events');
    assert.deepEqual(events.filter((e) => e.callId === a).map((e) => [e.kind, e.reason]), [['missed', 'timeout']]);
    assert.deepEqual(events.filter((e) => e.callId === b).map((e) => [e.kind, e.reason]), [['rejected', 'rejected']]);
  });

  test('two devices of the callee reporting the same missed call make one record and one notice', async () => {
    const [x, y] = [await user('x'), await user('y')];
    const notices = collect(y.nc.subscribe(`wd.n.${y.uid}.>`));
    await y.nc.flush();
    const callId = ended(x, y.uid, 'caller', 'timeout');
    ended(y, x.uid, 'callee', 'timeout', {}, callId);
    ended(y, x.uid, 'callee', 'timeout', {}, callId);
    await untilRecords(y, 1, 'the record');
    // A marker write after them: once it is in, the duplicates would be too.
    const marker = ended(x, y.uid, 'caller', 'busy');
    await until(async () => (await history(y)).some((r) => r.callId === marker), 5000, 'the marker');
    assert.equal((await history(y)).filter((r) => r.callId === callId).length, 1);
    const kinds = notices.got.filter((m) => dec(m.data).record.callId === callId).map((m) => m.subject.split('.').pop());
    assert.deepEqual(kinds.sort(), ['call_record', 'missed_call'], 'one notice of each kind');
  });
});

describe('forgery attempts', () => {
  test('Z cannot report as X (the subject names the sender): nats-server refuses, nothing is written', async () => {
    const [x, y, z] = [await user('x'), await user('y'), await user('z')];
    z.nc.publish(`wd.ev.${x.uid}`, enc({ v: 1, k: 'ended', callId: fakeId(), peer: y.uid, role: 'caller', reason: 'timeout', answered: false }));
    await until(() => permissionError(z.status, 'publish', `wd.ev.${x.uid}`), 5000, 'the violation');
    const marker = ended(z, y.uid, 'caller', 'timeout');
    const recs = await until(async () => {
      const r = await history(y);
      return r.some((x) => x.callId === marker) ? r : undefined;
    }, 5000, "z's own (real) call as a marker");
    assert.deepEqual(recs.map((r) => r.caller), [z.uid], 'only the missed call Z really reported, from Z');
  });

  test('Z claiming to be the callee of X writes only into Z\'s own history', async () => {
    const [x, z] = [await user('x'), await user('z')];
    const callId = ended(z, x.uid, 'callee', 'hangup', { answered: true, durationMs: 5 });
    await untilRecords(z, 1, "z's record");
    const marker = ended(z, x.uid, 'caller', 'timeout');
    await until(async () => (await history(x)).some((r) => r.callId === marker), 5000, 'marker');
    assert.equal((await history(x)).filter((r) => r.callId === callId).length, 0, 'nothing in X\'s history says X talked to Z');
  });

  test("Y cannot read X's records, publish into JetStream (history or push subscriptions), or hear X's notices", async () => {
    const [x, y] = [await user('x'), await user('y')];
    ended(y, x.uid, 'caller', 'timeout');
    await untilRecords(x, 1, "x's record");
    await assert.rejects(y.nc.request(`wd.svc.${x.uid}.history`, enc({}), { timeout: 2000 }));
    await until(() => permissionError(y.status, 'publish', `wd.svc.${x.uid}.history`), 5000, 'refused read');
    for (const subject of [`wd.hist.${x.uid}`, `wd.seen.${x.uid}`, '$JS.API.INFO', '$JS.API.STREAM.INFO.WD_HISTORY', `$JS.API.DIRECT.GET.WD_HISTORY.wd.hist.${x.uid}`, '$JS.API.STREAM.DELETE.WD_HISTORY', `wd.push.${y.uid}`, `wd.push.${x.uid}`, '$JS.API.STREAM.INFO.WD_PUSH', `$JS.API.DIRECT.GET.WD_PUSH.wd.push.${x.uid}`]) {
      y.nc.publish(subject, enc({ callId: fakeId(), caller: y.uid, callee: x.uid, direction: 'incoming', at: Date.now(), outcome: 'missed' }));
      await until(() => permissionError(y.status, 'publish', subject), 5000, `the refusal of ${subject}`);
    }
    for (const subject of [`wd.n.${x.uid}.>`, 'wd.ev.*', 'wd.svc.*.*', '_WDSVC.>']) {
      const spy = collect(y.nc.subscribe(subject));
      await until(() => spy.state.error, 5000, `the refusal of sub ${subject}`);
    }
    assert.equal((await history(x)).length, 1, "x's history unchanged");
  });

  test('malformed reports are counted and dropped', async () => {
    const [x, y] = [await user('x'), await user('y')];
    const before = { ...counters().byReason };
    const bad: [unknown, string][] = [
      ['not json', 'bad_json'],
      [[1, 2], 'bad_json'],
      [{ v: 2, k: 'ended' }, 'bad_version'],
      [{ v: 1, k: 'exploded', callId: fakeId(), peer: y.uid, role: 'caller' }, 'bad_kind'],
      [{ v: 1, k: 'ended', callId: 'x', peer: y.uid, role: 'caller', reason: 'timeout', answered: false }, 'bad_call_id'],
      [{ v: 1, k: 'ended', callId: fakeId(), peer: 'a.b', role: 'caller', reason: 'timeout', answered: false }, 'bad_peer'],
      [{ v: 1, k: 'ended', callId: fakeId(), peer: x.uid, role: 'caller', reason: 'timeout', answered: false }, 'bad_peer'],
      [{ v: 1, k: 'ended', callId: fakeId(), peer: y.uid, role: 'boss', reason: 'timeout', answered: false }, 'bad_role'],
      [{ v: 1, k: 'ended', callId: fakeId(), peer: y.uid, role: 'caller', reason: '<b>', answered: false }, 'bad_reason'],
      [{ v: 1, k: 'ended', callId: fakeId(), peer: y.uid, role: 'caller', reason: 'hangup', answered: true, durationMs: -5 }, 'bad_duration'],
      [{ v: 1, k: 'ended', callId: fakeId(), peer: y.uid, role: 'caller' }, 'bad_ended'],
      ['x'.repeat(9000), 'oversize'],
    ];
    for (const [body] of bad) x.nc.publish(`wd.ev.${x.uid}`, enc(body));
    const want: Record<string, number> = {};
    for (const [, reason] of bad) want[reason] = (want[reason] ?? 0) + 1;
    await until(() => Object.entries(want).every(([k, n]) => (counters().byReason[k] ?? 0) - (before[k] ?? 0) >= n), 5000, () => `the drops, got ${JSON.stringify(counters().byReason)}`);
    assert.deepEqual(await history(y), []);
    assert.deepEqual(await history(x), []);
    const r = dec((await x.nc.request(`wd.svc.${x.uid}.history`, enc({ limit: 1000 }), { timeout: 5000 })).data);
    assert.equal(r.error, 'bad_limit');
  });
});

describe('caps and seen', () => {
  test('a user keeps at most historyMaxPerUser records, the newest', async () => {
    const [x, y] = [await user('x'), await user('y')];
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push(ended(x, y.uid, 'caller', 'rejected', { agoMs: 10_000 - i * 1000 }));
    const recs = await until(async () => {
      const r = await history(x);
      return r.some((z) => z.callId === ids[6]) ? r : undefined;
    }, 5000, 'the last record');
    assert.deepEqual(recs.map((r) => r.callId), ids.slice(2).reverse());
  });

  test('one caller leaves one callee at most 5 missed calls per 10 minutes; its own history still grows', async () => {
    const [x, y] = [await user('x'), await user('y')];
    const before = counters().byReason.missed_capped ?? 0;
    for (let i = 0; i < 7; i++) ended(x, y.uid, 'caller', 'timeout');
    await until(() => (counters().byReason.missed_capped ?? 0) - before >= 2, 5000, 'two capped');
    assert.equal((await untilRecords(y, 5, 'five missed')).length, 5);
  });

  test('markSeen: some calls, then all', async () => {
    const [x, y] = [await user('x'), await user('y')];
    const a = ended(x, y.uid, 'caller', 'timeout', { agoMs: 3000 });
    const b = ended(x, y.uid, 'caller', 'timeout', { agoMs: 2000 });
    await untilRecords(y, 2, 'two missed');
    const seen = async (body: unknown) => dec((await y.nc.request(`wd.svc.${y.uid}.seen`, enc(body), { timeout: 5000 })).data);
    assert.deepEqual(await seen({ callIds: [a] }), { v: 1, ok: true });
    assert.deepEqual((await history(y)).map((r) => [r.callId, r.seen]), [[b, false], [a, true]]);
    assert.deepEqual((await history(y, { missedOnly: true, limit: 1 })).map((r) => r.callId), [b]);
    assert.equal((await seen({ callIds: ['<script>'] })).error, 'bad_call_ids');
    await seen({});
    assert.deepEqual((await history(y)).map((r) => r.seen), [true, true]);
  });
});
