// Push subscriptions in JetStream (push/jetstream-store.ts), against the test
// stack's real nats-server: two token services of one deployment share them,
// concurrent changes lose nothing, and without JetStream a request is a 503
// with a reason instead of a silent per-instance file.
import '../helpers/ws-shim.js';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connect, credsAuthenticator, type NatsConnection } from 'nats.ws';
import { serviceCreds } from '@wd-video/server/history/service-user.js';
import { freePort } from '@wd-video/server/processes.js';
import { JetStreamPushStore } from '@wd-video/server/push/jetstream-store.js';
import type { StoredSubscription } from '@wd-video/server/push/store.js';
import type { TokenService } from '@wd-video/server/token-service.js';
import { expectError } from '../helpers/http-assert.js';
import { anon, asJson, call, register, ring } from '../helpers/push-api.js';
import { stackEnv, startOwnTokenService } from '../helpers/stack-env.js';
import { fakeId, uniqueUid } from '../../shared/ids.js';
import { startPushReceiver, type PushReceiver } from '../../shared/push-receiver.js';

const settings = { anonymous: true, rateLimit: 100_000, pushLoopback: true, pushMaxDevices: 10 };

describe('push subscriptions in JetStream, shared by the token services of a deployment', () => {
  let creds: string;
  let a: TokenService;
  let b: TokenService;
  let rx: PushReceiver;
  const conns: NatsConnection[] = [];

  before(async () => {
    creds = await serviceCreds(stackEnv().keys.accountSeed);
    // Two instances on the same NATS, as behind a load balancer; neither is given a store.
    [a, b] = await Promise.all([startOwnTokenService(settings, { serviceCreds: creds }), startOwnTokenService(settings, { serviceCreds: creds })]);
    rx = await startPushReceiver(stackEnv().keys.vapid!.publicKey);
  });
  after(async () => {
    await Promise.all(conns.map((c) => c.close().catch(() => {})));
    await Promise.all([a?.close(), b?.close(), rx?.close()]);
  });

  test('a device registered through one instance is rung through the other, and removed through either', async () => {
    const [alice, bob] = [uniqueUid('alice'), uniqueUid('bob')];
    const phone = rx.subscribe(`${bob}-phone`);
    const deviceId = await register(a, bob, phone);
    const since = rx.received.length;
    const res = await ring(b, alice, bob);
    assert.equal(res.status, 202, await res.clone().text());
    assert.deepEqual(await res.json(), { devices: 1, data: false });
    const got = await rx.next(phone.endpoint, since);
    assert.equal(got.problem, undefined);
    assert.equal((got.payload as { caller: string }).caller, alice);

    const del = await call(b, 'DELETE', 'subscription', anon(bob), { deviceId });
    assert.equal(del.status, 200);
    assert.deepEqual(await del.json(), { deviceId, devices: 0 });
    await expectError(await ring(a, alice, bob), 404, 'no_push_devices');
  });

  test('changes at the same moment through both instances keep every device (compare-and-set)', async () => {
    const bob = uniqueUid('bob');
    const subs = Array.from({ length: 6 }, (_, i) => rx.subscribe(`${bob}-${i}`));
    const codes = await Promise.all(subs.map((s, i) => call(i % 2 ? a : b, 'PUT', 'subscription', anon(bob), { deviceId: fakeId(), subscription: asJson(s) }).then((r) => r.status)));
    assert.deepEqual(codes, [201, 201, 201, 201, 201, 201]);
    const res = await ring(a, uniqueUid('alice'), bob);
    assert.deepEqual(await res.json(), { devices: 6, data: false }, 'no change overwrote another');
  });

  test('the store on its own: list, update in place, the device cap, remove', async () => {
    const nc = await connect({ servers: stackEnv().natsWs, authenticator: credsAuthenticator(new TextEncoder().encode(`${creds.trimEnd()}\n`)), inboxPrefix: '_WDSVC' });
    conns.push(nc);
    const store = new JetStreamPushStore({ connection: async () => nc, replicas: 1 });
    const uid = uniqueUid('carol');
    const sub = (deviceId: string, n: number): StoredSubscription => ({ deviceId, endpoint: `https://push.example/${deviceId}/${n}`, keys: { p256dh: 'p', auth: 'a' }, updatedAt: n });
    assert.deepEqual(await store.list(uid), []);
    assert.equal(await store.put(uid, sub('dev-one-1', 1), 2), 'added');
    assert.equal(await store.put(uid, sub('dev-one-1', 2), 2), 'updated');
    assert.equal(await store.put(uid, sub('dev-two-2', 3), 2), 'added');
    assert.equal(await store.put(uid, sub('dev-three', 4), 2), 'full');
    assert.deepEqual((await store.list(uid)).map((s) => [s.deviceId, s.updatedAt]), [['dev-one-1', 2], ['dev-two-2', 3]]);
    assert.equal(await store.remove(uid, 'dev-one-1'), true);
    assert.equal(await store.remove(uid, 'dev-one-1'), false);
    assert.deepEqual((await store.list(uid)).map((s) => s.deviceId), ['dev-two-2']);
  });

  test('JetStream out of reach: push requests answer 503 push_unavailable, nothing is kept elsewhere', async () => {
    const port = await freePort(); // nothing listens there
    const svc = await startOwnTokenService({ ...settings, natsServers: [`ws://127.0.0.1:${port}`] }, { serviceCreds: creds });
    try {
      const sub = rx.subscribe(uniqueUid('dave'));
      const res = await call(svc, 'PUT', 'subscription', anon(uniqueUid('dave')), { deviceId: fakeId(), subscription: asJson(sub) });
      await expectError(res, 503, 'push_unavailable');
    } finally {
      await svc.close();
    }
  });
});
