// The subject permissions in each user JWT, enforced by the real nats-server:
// you can reach anyone, but only as yourself, and read only what is addressed to you.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ErrorCode, type Msg, type NatsConnection, type NatsError, type Status } from 'nats.ws';
import { collect, permissionError } from '../helpers/nats-watch.js';
import { connectNats, signIn, recordStatus } from '../helpers/stack-env.js';
import { uniqueUid } from '../../shared/ids.js';
import { until } from '../../shared/wait.js';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (m: Msg) => new TextDecoder().decode(m.data);

describe('NATS subject permissions', () => {
  const alice = uniqueUid('alice');
  const bob = uniqueUid('bob');
  const carol = uniqueUid('carol');
  let a: NatsConnection, b: NatsConnection, c: NatsConnection;
  let aStatus: Status[];
  let bInbox: ReturnType<typeof collect>;

  before(async () => {
    [a, b, c] = await Promise.all([alice, bob, carol].map(async (u) => connectNats(await signIn(u))));
    aStatus = recordStatus(a);
    bInbox = collect(b.subscribe(`wd.u.${bob}.>`));
    await b.flush(); // the server has bob's interest before anyone publishes
  });
  after(async () => {
    await Promise.all([a, b, c].map((nc) => nc?.close()));
  });

  test('alice reaches bob on wd.u.<bob>.<alice>.x', async () => {
    a.publish(`wd.u.${bob}.${alice}.x`, enc('hello'));
    const m = await until(() => bInbox.got.find((x) => x.subject === `wd.u.${bob}.${alice}.x`), 2000, 'bob to receive');
    assert.equal(dec(m), 'hello');
  });

  test('alice speaking as carol is not delivered, and alice is told', async () => {
    const spoofed = `wd.u.${bob}.${carol}.x`;
    a.publish(spoofed, enc('i am carol'));
    // A legit message after it: once bob has that, the spoofed one would have arrived first.
    a.publish(`wd.u.${bob}.${alice}.after-spoof`, enc('marker'));
    await until(() => bInbox.got.find((x) => x.subject.endsWith('.after-spoof')), 2000, 'the marker');
    assert.equal(bInbox.got.filter((x) => x.subject === spoofed).length, 0, 'bob never sees the spoofed message');
    await until(() => permissionError(aStatus, 'publish', spoofed), 2000, "a permissions violation on alice's status stream");
    assert.equal(a.isClosed(), false, 'the connection survives a violation');
  });

  test("alice cannot subscribe to bob's subjects", async () => {
    const spy = collect(a.subscribe(`wd.u.${bob}.>`));
    await a.flush();
    await until(() => permissionError(aStatus, 'subscription', `wd.u.${bob}.>`), 2000, 'a subscription violation');
    await until(() => spy.state.error, 2000, 'the subscription to end with an error');
    assert.equal(spy.state.error?.code, ErrorCode.PermissionsViolation);
    const aliceOwn = collect(a.subscribe(`wd.u.${alice}.>`));
    await a.flush();
    // Carol writes to bob, then to alice: had the spy subscription been accepted, bob's message would reach alice first.
    c.publish(`wd.u.${bob}.${carol}.secret`, enc('for bob only'));
    c.publish(`wd.u.${alice}.${carol}.marker`, enc('for alice'));
    await until(() => bInbox.got.find((x) => x.subject === `wd.u.${bob}.${carol}.secret`), 2000, 'bob to receive');
    await until(() => aliceOwn.got.length > 0, 2000, 'the marker at alice');
    assert.equal(spy.got.length, 0);
  });

  test("alice cannot subscribe to bob's request inbox", async () => {
    const spy = collect(a.subscribe(`_INBOX.${bob}.>`));
    await a.flush();
    await until(() => permissionError(aStatus, 'subscription', `_INBOX.${bob}.>`), 2000, 'a subscription violation');
    await until(() => spy.state.error, 2000, 'the subscription to end with an error');
  });

  test('wildcard subscriptions that would cover other users are refused', async () => {
    for (const subject of ['wd.u.*.>', 'wd.>', '>', '_INBOX.>']) {
      const spy = collect(a.subscribe(subject));
      await a.flush();
      await until(() => spy.state.error, 2000, `the refusal of ${subject}`);
    }
  });

  test('bob can answer alice\'s request once, but cannot write to her inbox unasked', async () => {
    const bStatus = recordStatus(b);
    const responder = b.subscribe(`wd.u.${bob}.${alice}.invite`, { callback: (_e, m) => m.respond(enc('ringing')) });
    await b.flush();
    const reply = await a.request(`wd.u.${bob}.${alice}.invite`, enc('offer'), { timeout: 2000 });
    assert.equal(dec(reply), 'ringing');
    responder.unsubscribe();
    // Unsolicited: resp permission covers only real replies.
    const aInbox = collect(a.subscribe(`_INBOX.${alice}.unasked`));
    const aliceOwn = collect(a.subscribe(`wd.u.${alice}.>`));
    await a.flush();
    b.publish(`_INBOX.${alice}.unasked`, enc('injected'));
    // A legitimate message after it on bob's connection: once alice has it, the injected one would have arrived first.
    b.publish(`wd.u.${alice}.${bob}.marker`, enc('marker'));
    await until(() => permissionError(bStatus, 'publish', `_INBOX.${alice}.unasked`), 2000, "a violation on bob's status");
    await until(() => aliceOwn.got.length > 0, 2000, 'the marker at alice');
    assert.equal(aInbox.got.length, 0);
  });

  test('a request to an offline uid fails with no responders (503), not a timeout', async () => {
    // How fast is the bench's business; the code says the server answered rather than the timer firing.
    await assert.rejects(a.request(`wd.u.${uniqueUid('nobody')}.${alice}.invite`, enc('offer'), { timeout: 60_000 }), (e: NatsError) => {
      assert.equal(e.code, ErrorCode.NoResponders);
      return true;
    });
  });
});
