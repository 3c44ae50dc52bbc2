// The subject permissions in each user JWT, enforced by the real nats-server:
// you can reach anyone, but only as yourself, and read only what is addressed to you.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ErrorCode, type Msg, type NatsConnection, type NatsError, type Status, type Subscription } from 'nats.ws';
import { connectNats, signIn, uniqueUid } from '../helpers/stack-env.js';
import { recordStatus, sleep, waitFor } from '../helpers/wait.js';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (m: Msg) => new TextDecoder().decode(m.data);

/** Collect a subscription's messages; `error` is set if the server refuses it. */
function collect(sub: Subscription) {
  const got: Msg[] = [];
  const state: { error?: NatsError } = {};
  void (async () => {
    try {
      for await (const m of sub) got.push(m);
    } catch (e) {
      state.error = e as NatsError;
    }
  })();
  return { got, state };
}

const permissionError = (seen: Status[], operation: string, subject: string) =>
  seen.find(
    (s) => s.data === ErrorCode.PermissionsViolation && s.permissionContext?.operation === operation && s.permissionContext.subject === subject,
  );

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
    const m = await waitFor(() => bInbox.got.find((x) => x.subject === `wd.u.${bob}.${alice}.x`), 2000, 'bob to receive');
    assert.equal(dec(m), 'hello');
  });

  test('alice speaking as carol is not delivered, and alice is told', async () => {
    const spoofed = `wd.u.${bob}.${carol}.x`;
    a.publish(spoofed, enc('i am carol'));
    // A legit message after it: once bob has that, the spoofed one would have arrived first.
    a.publish(`wd.u.${bob}.${alice}.after-spoof`, enc('marker'));
    await waitFor(() => bInbox.got.find((x) => x.subject.endsWith('.after-spoof')), 2000, 'the marker');
    assert.equal(bInbox.got.filter((x) => x.subject === spoofed).length, 0, 'bob never sees the spoofed message');
    await waitFor(() => permissionError(aStatus, 'publish', spoofed), 2000, "a permissions violation on alice's status stream");
    assert.equal(a.isClosed(), false, 'the connection survives a violation');
  });

  test("alice cannot subscribe to bob's subjects", async () => {
    const spy = collect(a.subscribe(`wd.u.${bob}.>`));
    await a.flush();
    await waitFor(() => permissionError(aStatus, 'subscription', `wd.u.${bob}.>`), 2000, 'a subscription violation');
    await waitFor(() => spy.state.error, 2000, 'the subscription to end with an error');
    assert.equal(spy.state.error?.code, ErrorCode.PermissionsViolation);
    // Carol writes to bob; bob gets it, alice's refused subscription does not.
    c.publish(`wd.u.${bob}.${carol}.secret`, enc('for bob only'));
    await waitFor(() => bInbox.got.find((x) => x.subject === `wd.u.${bob}.${carol}.secret`), 2000, 'bob to receive');
    await sleep(100);
    assert.equal(spy.got.length, 0);
  });

  test("alice cannot subscribe to bob's request inbox", async () => {
    const spy = collect(a.subscribe(`_INBOX.${bob}.>`));
    await a.flush();
    await waitFor(() => permissionError(aStatus, 'subscription', `_INBOX.${bob}.>`), 2000, 'a subscription violation');
    await waitFor(() => spy.state.error, 2000, 'the subscription to end with an error');
  });

  test('wildcard subscriptions that would cover other users are refused', async () => {
    for (const subject of ['wd.u.*.>', 'wd.>', '>', '_INBOX.>']) {
      const spy = collect(a.subscribe(subject));
      await a.flush();
      await waitFor(() => spy.state.error, 2000, `the refusal of ${subject}`);
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
    await a.flush();
    b.publish(`_INBOX.${alice}.unasked`, enc('injected'));
    await waitFor(() => permissionError(bStatus, 'publish', `_INBOX.${alice}.unasked`), 2000, "a violation on bob's status");
    await sleep(100);
    assert.equal(aInbox.got.length, 0);
  });

  test('a request to an offline uid fails fast with no responders (503)', async () => {
    const t0 = Date.now();
    await assert.rejects(a.request(`wd.u.${uniqueUid('nobody')}.${alice}.invite`, enc('offer'), { timeout: 5000 }), (e: NatsError) => {
      assert.equal(e.code, ErrorCode.NoResponders);
      return true;
    });
    const ms = Date.now() - t0;
    assert.ok(ms < 1000, `no-responders took ${ms} ms`);
  });
});
