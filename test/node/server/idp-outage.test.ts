// An identity provider that is down (its key set times out or answers 5xx) is
// an outage, not a bad token: the token service answers 503 idp_unavailable
// and the SDK reports connect_failed, so users are not sent to sign in again.
import assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { VideoClient, type WdVideoError } from 'wd-video';
import type { TokenService } from '@wd-video/server/token-service.js';
import { expectError } from '../helpers/http-assert.js';
import { authUrlOf, postSession, signInWithToken, startOwnTokenService } from '../helpers/stack-env.js';

const audience = 'wd-video-test';
const issuer = 'https://idp.example';
const kid = 'idp-key';

/** How the fake identity provider answers GET /jwks now. */
let mode: 'keys' | 'error' | 'hang' = 'keys';
let jwks: unknown;
let idp: Server;
const hanging: ServerResponse[] = [];
let key: CryptoKey;
let svc: TokenService;

const token = () =>
  new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid })
    .setSubject('carol')
    .setAudience(audience)
    .setIssuer(issuer)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key);

before(async () => {
  const pair = await generateKeyPair('ES256', { extractable: true });
  key = pair.privateKey;
  jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid, alg: 'ES256' }] };
  idp = createServer((_req, res) => {
    if (mode === 'hang') return void hanging.push(res); // never answers: the service must time out
    if (mode === 'error') return void res.writeHead(500).end('upstream exploded');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
  });
  await new Promise<void>((ok) => idp.listen(0, '127.0.0.1', ok));
  const jwksUrl = `http://127.0.0.1:${(idp.address() as AddressInfo).port}/jwks`;
  svc = await startOwnTokenService({ tokenJwksUrl: jwksUrl, tokenAudience: audience, tokenIssuer: issuer });
});
after(async () => {
  await svc?.close();
  idp?.closeAllConnections();
  await new Promise((ok) => idp?.close(ok));
});

describe('identity provider outage', () => {
  // Each test starts on a fresh service would be cleaner, but jose caches a
  // fetched key set for 10 minutes: the outage cases run before any success.
  test('key set answers 500 -> 503 idp_unavailable, not a token error', async () => {
    mode = 'error';
    const res = await postSession({ token: await token() }, svc.url);
    assert.ok(res.headers.get('retry-after'), 'Retry-After tells the client when to try again');
    await expectError(res, 503, 'idp_unavailable');
  });

  test('the SDK maps it to connect_failed and emits no token_error', async () => {
    mode = 'error';
    const client = new VideoClient({ authUrl: authUrlOf(svc.url), token: await token() });
    let tokenError: WdVideoError | undefined;
    client.on('token_error', (e) => (tokenError = e));
    await assert.rejects(client.start(), (e: WdVideoError) => {
      assert.equal(e.code, 'connect_failed', e.message);
      assert.match(e.message, /idp_unavailable/);
      return true;
    });
    // token_error is emitted synchronously before start() rejects, so it would be set by now.
    assert.equal(tokenError, undefined, 'no token_error: the user must not be asked to sign in again');
    await client.close();
  });

  test('key set fetch hangs -> 503 idp_unavailable after the fetch timeout', { timeout: 20_000 }, async () => {
    mode = 'hang';
    await expectError(await postSession({ token: await token() }, svc.url), 503, 'idp_unavailable');
    for (const res of hanging.splice(0)) res.destroy();
  });

  test('once the provider is back, the same token signs in', async () => {
    mode = 'keys';
    assert.equal((await signInWithToken(await token(), svc.url)).uid, 'carol');
  });

  test('a token for a key the provider does not have is still the token\u2019s fault (401)', async () => {
    const other = await generateKeyPair('ES256');
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: 'no-such-key' })
      .setSubject('carol')
      .setAudience(audience)
      .setIssuer(issuer)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(other.privateKey);
    await expectError(await postSession({ token: forged }, svc.url), 401, 'token_unknown_key');
  });
});
