// What a successful sign-in hands to the browser, checked field by field:
// the NATS user JWT (its permissions are the security model) and TURN credentials.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, test } from 'node:test';
import { decode, type User } from '@nats-io/jwt';
import { fromPublic, fromSeed } from '@nats-io/nkeys';
import type { TokenService } from '@wd-video/server/token-service.js';
import { signIn, stackEnv, startOwnTokenService, type Session } from '../helpers/stack-env.js';
import { uniqueUid } from '../../shared/ids.js';

const ttl = 600; // a known lifetime instead of whatever the shared stack was given
const env = stackEnv();
let svc: TokenService;
let session: Session;
let uid: string;
let before_: number;
const publicKey = (seed: string) => fromSeed(new TextEncoder().encode(seed)).getPublicKey();

before(async () => {
  svc = await startOwnTokenService({ anonymous: true, credentialTtl: ttl, maxSubs: 77, maxPayload: 32768 });
  uid = uniqueUid('alice');
  before_ = Date.now();
  session = await signIn(uid, svc.url);
});
after(() => svc?.close());

test('returns the uid, the NATS websocket servers and a lifetime of ttl', () => {
  assert.equal(session.uid, uid);
  assert.deepEqual(session.nats.servers, env.natsWs);
  assert.ok(session.nats.servers.every((s) => s.startsWith('ws://')));
  // JWT exp is whole seconds, so expiresAt is now + ttl rounded down to a second.
  assert.equal(session.expiresAt % 1000, 0);
  assert.ok(session.expiresAt > before_ + (ttl - 2) * 1000, 'expires about ttl from now');
  assert.ok(session.expiresAt <= Date.now() + ttl * 1000, 'not later than ttl from now');
});

test('TURN: udp and tcp urls, username <expiry>:<uid>, credential = base64 HMAC-SHA1', () => {
  assert.equal(session.iceServers.length, 1);
  const [ice] = session.iceServers;
  assert.deepEqual(ice.urls, [`turn:127.0.0.1:${env.turnPort}?transport=udp`, `turn:127.0.0.1:${env.turnPort}?transport=tcp`]);
  assert.equal(ice.username, `${session.expiresAt / 1000}:${uid}`);
  // Recomputed from the secret coturn was configured with: coturn does exactly this.
  const expected = createHmac('sha1', env.keys.turnSecret).update(ice.username).digest('base64');
  assert.equal(ice.credential, expected);
});

test('NATS JWT: a bearer user JWT signed by the account signing key', () => {
  const claims = decode<User>(session.nats.jwt); // also verifies the signature against iss
  assert.equal(claims.nats.type, 'user');
  assert.equal(claims.nats.version, 2);
  assert.equal(claims.name, uid);
  assert.ok(claims.sub.startsWith('U'), 'sub is a user nkey');
  assert.doesNotThrow(() => fromPublic(claims.sub));
  assert.equal(claims.iss, publicKey(env.keys.signingSeed));
  assert.notEqual(claims.iss, publicKey(env.keys.accountSeed), 'the account key itself stays offline');
  assert.equal(claims.nats.issuer_account, publicKey(env.keys.accountSeed));
  assert.equal(claims.nats.bearer_token, true);
  assert.deepEqual(claims.nats.allowed_connection_types, ['WEBSOCKET']);
  assert.equal(claims.exp, session.expiresAt / 1000);
});

test('NATS JWT: permissions are exactly the wire protocol rules', () => {
  const { nats } = decode<User>(session.nats.jwt);
  // Publish only as yourself (the 4th token is the sender).
  assert.deepEqual(nats.pub, { allow: [`wd.u.*.${uid}.>`] });
  // Subscribe only to your own subjects and your own request inbox.
  assert.deepEqual(nats.sub, { allow: [`wd.u.${uid}.>`, `_INBOX.${uid}.>`] });
  // One reply per request, briefly.
  assert.equal(nats.resp?.max, 1);
  assert.ok(typeof nats.resp?.ttl === 'number' && nats.resp.ttl > 0 && nats.resp.ttl <= 60e9, `short resp ttl, got ${nats.resp?.ttl} ns`);
});

test('NATS JWT: subs and payload limits from the config', () => {
  const { nats } = decode<User>(session.nats.jwt);
  assert.equal(nats.subs, 77);
  assert.equal(nats.payload, 32768);
});

test('each sign-in gets its own user key', async () => {
  const again = await signIn(uid, svc.url);
  assert.notEqual(decode(again.nats.jwt).sub, decode(session.nats.jwt).sub);
});
