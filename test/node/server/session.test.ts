// What a successful sign-in hands to the browser, checked field by field: the
// NATS user JWT (named after the uid, signed by the account's scoped key, whose
// template is the security model) and TURN credentials.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode, type Account, type SigningKey, type User } from '@nats-io/jwt';
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
  svc = await startOwnTokenService({ anonymous: true, credentialTtl: ttl });
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
  assert.equal(claims.exp, session.expiresAt / 1000);
});

test('NATS JWT: a scoped user carries no permissions or limits of its own', () => {
  const { nats } = decode<User>(session.nats.jwt);
  // nats-server refuses a scoped user with any of these; the template supplies them.
  for (const k of ['pub', 'sub', 'resp', 'subs', 'payload', 'data', 'bearer_token', 'allowed_connection_types'] as const) {
    assert.equal(nats[k], undefined, `${k} must come from the template`);
  }
});

/** The signing key entry of the account JWT the stack's nats-server preloads. */
function scopedKey(): SigningKey {
  const conf = readFileSync(join(env.stateDir, `nats-${env.natsPort}.conf`), 'utf8');
  const account = publicKey(env.keys.accountSeed);
  const jwt = new RegExp(`${account}: "([^"]+)"`).exec(conf)?.[1];
  assert.ok(jwt, 'the account JWT is preloaded');
  const keys = decode<Account>(jwt).nats.signing_keys ?? [];
  assert.equal(keys.length, 1, 'one signing key, and no unscoped one');
  const [key] = keys;
  assert.ok(typeof key === 'object' && key.kind === 'user_scope', 'the signing key is scoped');
  assert.equal(key.key, publicKey(env.keys.signingSeed));
  return key;
}

test('the scoped template: permissions are exactly the wire protocol rules, uid = the JWT name', () => {
  const t = scopedKey().template;
  // Publish only as yourself (the 4th token is the sender); call reports and history requests only for yourself.
  assert.deepEqual(t.pub, { allow: ['wd.u.*.{{name()}}.>', 'wd.ev.{{name()}}', 'wd.svc.{{name()}}.*'] });
  // Subscribe only to your own subjects, your own notices and your own request inbox.
  assert.deepEqual(t.sub, { allow: ['wd.u.{{name()}}.>', 'wd.n.{{name()}}.>', '_INBOX.{{name()}}.>'] });
  // One reply per request, briefly.
  assert.equal(t.resp?.max, 1);
  assert.ok(typeof t.resp?.ttl === 'number' && t.resp.ttl > 0 && t.resp.ttl <= 60e9, `short resp ttl, got ${t.resp?.ttl} ns`);
  assert.equal(t.bearer_token, true);
  assert.deepEqual(t.allowed_connection_types, ['WEBSOCKET']);
});

test('the scoped template: subs and payload limits from the stack config', () => {
  const t = scopedKey().template;
  assert.equal(t.subs, 100);
  assert.equal(t.payload, 65536);
});

test('each sign-in gets its own user key', async () => {
  const again = await signIn(uid, svc.url);
  assert.notEqual(decode(again.nats.jwt).sub, decode(session.nats.jwt).sub);
});
