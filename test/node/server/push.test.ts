// Web Push endpoints of the token service, against a push service on loopback
// (test/shared/push-receiver.ts) that verifies the VAPID signature and decrypts
// what `web-push` sent: who may register and ring, what a push carries, rate
// limits, and refusals of bad input (4xx with a JSON reason, nothing stored).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SignJWT } from 'jose';
import { loadConfig } from '@wd-video/server/config.js';
import { FilePushStore } from '@wd-video/server/push/store.js';
import { startTokenService, type TokenService } from '@wd-video/server/token-service.js';
import { expectError } from '../helpers/http-assert.js';
import { anon, asJson, call, register, ring } from '../helpers/push-api.js';
import { postSession, stackEnv, startOwnTokenService } from '../helpers/stack-env.js';
import { fakeId, uniqueUid } from '../../shared/ids.js';
import { startPushReceiver, type PushReceiver, type TestSubscription } from '../../shared/push-receiver.js';

const secret = 'push-test-secret-that-is-long-enough-for-hs256';
describe('Web Push endpoints', () => {
  let svc: TokenService;
  let rx: PushReceiver;
  const vapid = stackEnv().keys.vapid!;

  before(async () => {
    svc = await startOwnTokenService(
      { anonymous: true, rateLimit: 100_000, pushLoopback: true, pushRingLimit: 4, pushMaxDevices: 2, tokenSecret: secret, tokenAudience: 'wd', tokenIssuer: 'app' },
      { pushStore: new FilePushStore() },
    );
    rx = await startPushReceiver(vapid.publicKey);
  });
  after(async () => {
    await svc?.close();
    await rx?.close();
  });

  test('GET /v1/push/key gives the VAPID public key to a signed-in user only', async () => {
    const res = await call(svc, 'GET', 'key', anon(uniqueUid()));
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { publicKey: vapid.publicKey });
    await expectError(await call(svc, 'GET', 'key', undefined), 401, 'unauthenticated');
    await expectError(await call(svc, 'GET', 'key', 'Bearer not-a-jwt'), 401, 'token_invalid');
  });

  test('a ring reaches every device of the callee, VAPID-signed and encrypted, with no SDP and the ring time as TTL', async () => {
    const [alice, bob] = [uniqueUid('alice'), uniqueUid('bob')];
    const phone = rx.subscribe(`${bob}-phone`);
    const laptop = rx.subscribe(`${bob}-laptop`);
    await register(svc, bob, phone);
    await register(svc, bob, laptop);
    const callId = fakeId();
    const since = rx.received.length;
    const res = await call(svc, 'POST', 'ring', anon(alice), { to: bob, callId, ttl: 25_500, data: { topic: 'standup' }, sdp: 'v=0 ignored' });
    assert.equal(res.status, 202);
    assert.deepEqual(await res.json(), { devices: 2, data: true });
    for (const sub of [phone, laptop]) {
      const m = await rx.next(sub.endpoint, since);
      assert.equal(m.problem, undefined);
      const p = m.payload as Record<string, unknown>;
      assert.deepEqual(Object.keys(p).sort(), ['callId', 'caller', 'data', 'expiresAt', 'type']);
      assert.equal(p.type, 'ring');
      assert.equal(p.caller, alice);
      assert.equal(p.callId, callId);
      assert.deepEqual(p.data, { topic: 'standup' });
      assert.ok(Math.abs((p.expiresAt as number) - (Date.now() + 25_500)) < 5000, 'expires with the ring');
      assert.equal(m.ttl, 26, 'push TTL = ring time, seconds');
      assert.equal(m.urgency, 'high');
      assert.match(m.jwt!.sub, /^(mailto|https):/);
    }
    const cancel = await call(svc, 'POST', 'cancel', anon(alice), { to: bob, callId, reason: 'cancelled' });
    assert.equal(cancel.status, 202);
    const c = await rx.next(phone.endpoint, since + 2);
    assert.deepEqual(c.payload, { type: 'cancel', caller: alice, callId, reason: 'cancelled' });
    assert.equal(c.topic, (await rx.next(phone.endpoint, since)).topic, 'the cancel replaces an undelivered ring (same Topic)');
  });

  test('data over the push cap is left out; the ring still goes', async () => {
    const [alice, bob] = [uniqueUid('alice'), uniqueUid('bob')];
    const sub = rx.subscribe(bob);
    await register(svc, bob, sub);
    const since = rx.received.length;
    const res = await ring(svc, alice, bob, { data: 'x'.repeat(2000) });
    assert.deepEqual(await res.json(), { devices: 1, data: false });
    assert.equal((await rx.next(sub.endpoint, since)).payload && 'data' in ((await rx.next(sub.endpoint, since)).payload as object), false);
  });

  test('nobody registers for, or rings as, someone else: the uid comes from the sign-in token', async () => {
    const [alice, bob, mallory] = [uniqueUid('alice'), uniqueUid('bob'), uniqueUid('mallory')];
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(mallory).setAudience('wd').setIssuer('app').setIssuedAt().setExpirationTime('5m').sign(new TextEncoder().encode(secret));
    const sub = rx.subscribe(`${mallory}-as-bob`);
    // Mallory names bob in the body: the subscription is stored for mallory.
    const put = await call(svc, 'PUT', 'subscription', `Bearer ${token}`, { uid: bob, deviceId: fakeId(), subscription: asJson(sub) });
    assert.equal(put.status, 201);
    await expectError(await ring(svc, alice, bob), 404, 'no_push_devices');
    // Mallory rings alice "as bob": the push names mallory.
    const aliceSub = rx.subscribe(alice);
    await register(svc, alice, aliceSub);
    const since = rx.received.length;
    const res = await call(svc, 'POST', 'ring', `Bearer ${token}`, { to: alice, callId: fakeId(), ttl: 5000, caller: bob, from: bob });
    assert.equal(res.status, 202);
    assert.equal(((await rx.next(aliceSub.endpoint, since)).payload as { caller: string }).caller, mallory);
    // A forged token is refused before anything happens.
    const forged = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    await expectError(await call(svc, 'POST', 'ring', `Bearer ${forged}`, { to: alice, callId: fakeId(), ttl: 5000 }), 401, 'token_bad_signature');
  });

  test('no devices -> 404, the same call rung twice -> 409, a device the push service dropped is removed', async () => {
    const [alice, bob, carol] = [uniqueUid('alice'), uniqueUid('bob'), uniqueUid('carol')];
    await expectError(await ring(svc, alice, bob), 404, 'no_push_devices');
    await register(svc, bob, rx.subscribe(bob));
    const callId = fakeId();
    assert.equal((await ring(svc, alice, bob, { callId })).status, 202);
    await expectError(await ring(svc, alice, bob, { callId }), 409, 'already_ringing');
    await register(svc, carol, rx.subscribe(carol, 410));
    await expectError(await ring(svc, alice, carol), 404, 'no_push_devices');
    const del = await call(svc, 'DELETE', 'subscription', anon(carol), { deviceId: fakeId() });
    await expectError(del, 404, 'no_such_device');
  });

  test('rings are rate limited per caller and per callee (429 with retry-after)', async () => {
    const [alice, bob, carol] = [uniqueUid('alice'), uniqueUid('bob'), uniqueUid('carol')];
    await register(svc, bob, rx.subscribe(bob));
    await register(svc, carol, rx.subscribe(carol));
    // Limit 4 per window: alice rings bob 4 times, the 5th is refused.
    for (let i = 0; i < 4; i++) assert.equal((await ring(svc, alice, bob)).status, 202);
    const limited = await ring(svc, alice, carol);
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    await expectError(limited, 429, 'rate_limited');
    // Bob has had 4: another caller cannot ring him either, but can ring carol.
    const dave = uniqueUid('dave');
    await expectError(await ring(svc, dave, bob), 429, 'rate_limited');
    assert.equal((await ring(svc, dave, carol)).status, 202);
  });

  test('a device limit per user, update in place, and DELETE', async () => {
    const bob = uniqueUid('bob');
    const [a, b, c] = [rx.subscribe(`${bob}-a`), rx.subscribe(`${bob}-b`), rx.subscribe(`${bob}-c`)];
    const devA = await register(svc, bob, a);
    await register(svc, bob, b);
    const full = await call(svc, 'PUT', 'subscription', anon(bob), { deviceId: fakeId(), subscription: asJson(c) });
    await expectError(full, 409, 'too_many_devices');
    // The same device with a new subscription replaces its old one.
    const upd = await call(svc, 'PUT', 'subscription', anon(bob), { deviceId: devA, subscription: asJson(c) });
    assert.equal(upd.status, 200);
    assert.equal(((await upd.json()) as { devices: number }).devices, 2);
    const del = await call(svc, 'DELETE', 'subscription', anon(bob), { deviceId: devA });
    assert.deepEqual(await del.json(), { deviceId: devA, devices: 1 });
  });

  describe('bad input: 4xx with a JSON reason, nothing stored', () => {
    const good = () => asJson(rx.subscribe(fakeId()));
    const cases: [string, () => unknown, string][] = [
      ['no deviceId', () => ({ subscription: good() }), 'invalid_subscription'],
      ['deviceId with a dot', () => ({ deviceId: 'device.one', subscription: good() }), 'invalid_subscription'],
      ['subscription missing', () => ({ deviceId: fakeId() }), 'invalid_subscription'],
      ['unknown field', () => ({ deviceId: fakeId(), subscription: { ...good(), extra: 1 } }), 'invalid_subscription'],
      ['http endpoint off loopback', () => ({ deviceId: fakeId(), subscription: { ...good(), endpoint: 'http://push.example/x' } }), 'invalid_subscription'],
      ['https endpoint on an unknown host', () => ({ deviceId: fakeId(), subscription: { ...good(), endpoint: 'https://169.254.169.254/latest' } }), 'invalid_subscription'],
      ['endpoint with credentials', () => ({ deviceId: fakeId(), subscription: { ...good(), endpoint: 'https://u:p@fcm.googleapis.com/fcm/send/x' } }), 'invalid_subscription'],
      ['endpoint too long', () => ({ deviceId: fakeId(), subscription: { ...good(), endpoint: `https://fcm.googleapis.com/${'x'.repeat(1100)}` } }), 'invalid_subscription'],
      ['p256dh too short', () => ({ deviceId: fakeId(), subscription: { ...good(), keys: { ...good().keys, p256dh: 'AAAA' } } }), 'invalid_subscription'],
      ['p256dh off the curve', () => ({ deviceId: fakeId(), subscription: { ...good(), keys: { ...good().keys, p256dh: Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 7)]).toString('base64url') } } }), 'invalid_subscription'],
      ['auth not base64url', () => ({ deviceId: fakeId(), subscription: { ...good(), keys: { ...good().keys, auth: '<script>' } } }), 'invalid_subscription'],
    ];
    for (const [name, body, code] of cases) {
      test(`PUT subscription: ${name}`, async () => {
        const uid = uniqueUid('bad');
        await expectError(await call(svc, 'PUT', 'subscription', anon(uid), body()), 400, code);
        await expectError(await ring(svc, uniqueUid(), uid), 404, 'no_push_devices');
      });
    }
    const rings: [string, Record<string, unknown>, string][] = [
      ['to missing', { callId: fakeId(), ttl: 5000 }, 'invalid_uid'],
      ['to a wildcard', { to: '*', callId: fakeId(), ttl: 5000 }, 'invalid_uid'],
      ['callId too short', { to: 'bob', callId: 'abc', ttl: 5000 }, 'bad_request'],
      ['ttl above the longest ring', { to: 'bob', callId: fakeId(), ttl: 600_000 }, 'bad_request'],
      ['ttl not a number', { to: 'bob', callId: fakeId(), ttl: '30s' }, 'bad_request'],
    ];
    for (const [name, body, code] of rings) {
      test(`POST ring: ${name}`, async () => {
        await expectError(await call(svc, 'POST', 'ring', anon(uniqueUid()), body), 400, code);
      });
    }
    test('POST ring: yourself; POST cancel: a reason not in the list', async () => {
      const me = uniqueUid();
      await expectError(await call(svc, 'POST', 'ring', anon(me), { to: me, callId: fakeId(), ttl: 5000 }), 400, 'bad_request');
      await expectError(await call(svc, 'POST', 'cancel', anon(me), { to: 'bob', callId: fakeId(), reason: 'because' }), 400, 'bad_request');
    });
    test('not JSON, the wrong content type, the wrong method', async () => {
      await expectError(await call(svc, 'POST', 'ring', anon('alice'), '{nope'), 400, 'bad_json');
      await expectError(await call(svc, 'POST', 'ring', anon('alice'), undefined, { 'content-type': 'text/plain' }), 415, 'unsupported_media_type');
      await expectError(await call(svc, 'GET', 'ring', anon('alice')), 405, 'method_not_allowed');
      await expectError(await call(svc, 'GET', 'nothing', anon('alice')), 404, 'not_found');
    });
  });
});

describe('Web Push settings', () => {
  test('WD_ENV=production refuses loopback push endpoints, and a bad VAPID subject or endpoint host list stops the start', () => {
    const prod = { WD_ENV: 'production', WD_ALLOWED_ORIGINS: 'https://app.example', WD_NATS_SERVERS: 'wss://nats.example' };
    assert.doesNotThrow(() => loadConfig(prod));
    assert.throws(() => loadConfig({ ...prod, WD_PUSH_LOOPBACK: 'on' }), /pushLoopback \(WD_PUSH_LOOPBACK\)/);
    assert.throws(() => loadConfig({ WD_VAPID_SUBJECT: 'http://me.example' }), /WD_VAPID_SUBJECT/);
    assert.throws(() => loadConfig({ WD_PUSH_ENDPOINT_HOSTS: 'fcm.googleapis.com,evil/path' }), /WD_PUSH_ENDPOINT_HOSTS/);
  });

  test('loopback endpoints are refused unless pushLoopback is on (development and tests only)', async () => {
    const svc = await startOwnTokenService({ anonymous: true }, { pushStore: new FilePushStore() });
    const rx = await startPushReceiver(stackEnv().keys.vapid!.publicKey);
    try {
      const res = await call(svc, 'PUT', 'subscription', anon(uniqueUid()), { deviceId: fakeId(), subscription: asJson(rx.subscribe('x')) });
      await expectError(res, 400, 'invalid_subscription');
    } finally {
      await svc.close();
      await rx.close();
    }
  });

  test('the session says whether push is on: true with VAPID keys, false without (and then /v1/push/ring is push_disabled)', async () => {
    const env = stackEnv();
    const withPush = await (await postSession({ anonymous: { uid: uniqueUid() } })).json();
    assert.equal(withPush.push, true, 'the test stack has VAPID keys');
    const cfg = loadConfig({}, { stateDir: env.stateDir, httpPort: 0, natsServers: env.natsWs, turnPort: env.turnPort, anonymous: true });
    const svc = await startTokenService(cfg, { ...env.keys, vapid: undefined });
    try {
      const res = await postSession({ anonymous: { uid: uniqueUid() } }, svc.url);
      assert.equal(res.status, 200);
      assert.equal((await res.json()).push, false);
      await expectError(await ring(svc, uniqueUid(), uniqueUid()), 404, 'push_disabled');
    } finally {
      await svc.close();
    }
  });
});
