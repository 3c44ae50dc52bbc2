// Sign-in with an app's own signed token (HS256 shared secret, or ES256 via a
// JWKS file): only a valid, current token for this audience and issuer yields a uid.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type JWTPayload } from 'jose';
import type { TokenService } from '@wd-video/server/token-service.js';
import { expectError } from '../helpers/http-assert.js';
import { postSession, signInWithToken, startOwnTokenService } from '../helpers/stack-env.js';
import { uniqueUid } from '../../shared/ids.js';

const secret = 'test-secret-that-is-long-enough-for-hs256!';
const audience = 'wd-video-test';
const issuer = 'https://app.example';
const now = () => Math.floor(Date.now() / 1000);

/** An HS256 token that is valid unless `claims`/`key` say otherwise. */
function hs256(claims: JWTPayload & { sub?: string } = {}, key = secret) {
  const { sub = 'alice', ...rest } = claims;
  let jwt = new SignJWT({ ...rest }).setProtectedHeader({ alg: 'HS256' }).setSubject(sub);
  if (!('aud' in rest)) jwt = jwt.setAudience(audience);
  if (!('iss' in rest)) jwt = jwt.setIssuer(issuer);
  if (!('exp' in rest)) jwt = jwt.setExpirationTime(now() + 300);
  if (!('iat' in rest)) jwt = jwt.setIssuedAt(now());
  return jwt.sign(new TextEncoder().encode(key));
}

describe('HS256 with audience and issuer', () => {
  let svc: TokenService;
  before(async () => {
    svc = await startOwnTokenService({ tokenSecret: secret, tokenAudience: audience, tokenIssuer: issuer });
  });
  after(() => svc?.close());

  const refused = async (token: string, code: string) => expectError(await postSession({ token }, svc.url), 401, code);

  test('a valid token signs in as its sub', async () => {
    const uid = uniqueUid('alice');
    const s = await signInWithToken(await hs256({ sub: uid }), svc.url);
    assert.equal(s.uid, uid);
  });

  test('the uid of a valid token must still be a valid uid', async () => {
    await expectError(await postSession({ token: await hs256({ sub: '*' }) }, svc.url), 400, 'invalid_uid');
    await expectError(await postSession({ token: await hs256({ sub: 'a.b' }) }, svc.url), 400, 'invalid_uid');
  });

  test('alg none -> 401', async () => {
    const token = new UnsecuredJWT({ sub: 'alice', aud: audience, iss: issuer }).setExpirationTime(now() + 300).encode();
    await refused(token, 'token_alg_not_allowed');
  });

  test('wrong signature -> 401', async () => {
    await refused(await hs256({}, 'another-secret-another-secret-another!'), 'token_bad_signature');
    // A valid token with its payload swapped for another uid's.
    const [h, , s] = (await hs256({ sub: 'alice' })).split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'bob', aud: audience, iss: issuer, exp: now() + 300 })).toString('base64url');
    await refused(`${h}.${forged}.${s}`, 'token_bad_signature');
  });

  test('expired -> 401 token_expired', async () => {
    await refused(await hs256({ exp: now() - 60 }), 'token_expired');
  });

  test('not yet valid (nbf in the future) -> 401', async () => {
    await refused(await hs256({ nbf: now() + 300 }), 'token_not_yet_valid');
  });

  test('wrong audience -> 401', async () => {
    await refused(await hs256({ aud: 'someone-else' }), 'token_claim_invalid');
  });

  test('wrong issuer -> 401', async () => {
    await refused(await hs256({ iss: 'https://evil.example' }), 'token_claim_invalid');
  });

  test('missing exp -> 401 (tokens must not live forever)', async () => {
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('alice')
      .setAudience(audience)
      .setIssuer(issuer)
      .setIssuedAt(now())
      .sign(new TextEncoder().encode(secret));
    await refused(token, 'token_claim_invalid');
  });

  test('missing sub -> 401', async () => {
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setAudience(audience)
      .setIssuer(issuer)
      .setExpirationTime(now() + 300)
      .setIssuedAt(now())
      .sign(new TextEncoder().encode(secret));
    await refused(token, 'token_claim_invalid');
  });

  test('issued longer ago than tokenMaxAge (default 24 h) -> 401 token_expired, even with a far exp', async () => {
    // A token minted once with a far exp must not sign in forever.
    await refused(await hs256({ iat: now() - 86_400 - 60, exp: now() + 365 * 86_400 }), 'token_expired');
  });

  test('issued in the future (beyond 5 s of clock skew) -> 401', async () => {
    // A future iat would stretch the maximum age past tokenMaxAge.
    await refused(await hs256({ iat: now() + 3600, exp: now() + 7200 }), 'token_claim_invalid');
  });

  test('missing iat -> 401 (the age of the token must be known)', async () => {
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('alice')
      .setAudience(audience)
      .setIssuer(issuer)
      .setExpirationTime(now() + 300)
      .sign(new TextEncoder().encode(secret));
    await refused(token, 'token_claim_invalid');
  });

  test('garbage token -> 401, empty or non-string token -> 400', async () => {
    await refused('not.a.jwt', 'token_invalid');
    await expectError(await postSession({ token: '' }, svc.url), 400, 'bad_request');
    await expectError(await postSession({ token: 42 }, svc.url), 400, 'bad_request');
  });

  test('a token wins over anonymous (anonymous is off here anyway)', async () => {
    const uid = uniqueUid('alice');
    const res = await postSession({ token: await hs256({ sub: uid }), anonymous: { uid: 'mallory' } }, svc.url);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { uid: string }).uid, uid);
  });
});

describe('ES256 via a JWKS file', () => {
  let svc: TokenService;
  let dir: string;
  let appKey: CryptoKey;
  let publicJwk: Record<string, unknown>;
  const kid = 'app-key-1';

  before(async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    appKey = pair.privateKey;
    publicJwk = { ...(await exportJWK(pair.publicKey)), kid, alg: 'ES256', use: 'sig' };
    dir = mkdtempSync(join(tmpdir(), 'wd-jwks-'));
    const file = join(dir, 'jwks.json');
    writeFileSync(file, JSON.stringify({ keys: [publicJwk] }));
    svc = await startOwnTokenService({ tokenJwksFile: file, tokenAudience: audience, tokenIssuer: issuer });
  });
  after(async () => {
    await svc?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const es256 = (sub: string, key: CryptoKey, k = kid) =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: k })
      .setSubject(sub)
      .setAudience(audience)
      .setIssuer(issuer)
      .setIssuedAt(now())
      .setExpirationTime(now() + 300)
      .sign(key);

  test('a token signed by the app key signs in', async () => {
    const uid = uniqueUid('bob');
    const s = await signInWithToken(await es256(uid, appKey), svc.url);
    assert.equal(s.uid, uid);
  });

  test('a token signed by another ES256 key -> 401', async () => {
    const other = await generateKeyPair('ES256');
    await expectError(await postSession({ token: await es256('bob', other.privateKey) }, svc.url), 401, 'token_bad_signature');
  });

  test('an HS256 token "signed" with the public key (algorithm confusion) -> 401', async () => {
    for (const material of [JSON.stringify(publicJwk), String(publicJwk.x)]) {
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256', kid })
        .setSubject('bob')
        .setAudience(audience)
        .setIssuer(issuer)
        .setIssuedAt(now())
        .setExpirationTime(now() + 300)
        .sign(new TextEncoder().encode(material));
      await expectError(await postSession({ token }, svc.url), 401, 'token_alg_not_allowed');
    }
  });

  test('an HS256 token with a random secret -> 401', async () => {
    await expectError(await postSession({ token: await hs256({ sub: 'bob' }) }, svc.url), 401, 'token_alg_not_allowed');
  });
});

describe('a token for another app of the same identity provider', () => {
  // The provider's key set is shared by every app (project, tenant) it serves:
  // a token it signed for another app must not sign in here.
  let svc: TokenService;
  let dir: string;
  let providerKey: CryptoKey;
  let file: string;
  const kid = 'idp-key';
  const token = (aud: string, iss: string) =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid })
      .setSubject('victim')
      .setAudience(aud)
      .setIssuer(iss)
      .setIssuedAt(now())
      .setExpirationTime(now() + 300)
      .sign(providerKey);

  before(async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    providerKey = pair.privateKey;
    dir = mkdtempSync(join(tmpdir(), 'wd-jwks-'));
    file = join(dir, 'jwks.json');
    writeFileSync(file, JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid, alg: 'ES256' }] }));
    svc = await startOwnTokenService({ tokenJwksFile: file, tokenAudience: audience, tokenIssuer: issuer });
  });
  after(async () => {
    await svc?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('a key set without tokenAudience and tokenIssuer is refused at start', async () => {
    for (const missing of [{}, { tokenAudience: audience }, { tokenIssuer: issuer }]) {
      await assert.rejects(startOwnTokenService({ tokenJwksFile: file, ...missing }), /tokenAudience.*tokenIssuer/);
      await assert.rejects(startOwnTokenService({ tokenJwksUrl: 'https://idp.example/jwks', ...missing }), /tokenAudience.*tokenIssuer/);
    }
  });

  test("another app's audience or issuer -> 401", async () => {
    await expectError(await postSession({ token: await token('attacker-app', issuer) }, svc.url), 401, 'token_claim_invalid');
    await expectError(await postSession({ token: await token(audience, 'https://idp.example/attacker-app') }, svc.url), 401, 'token_claim_invalid');
  });

  test('our audience and issuer sign in', async () => {
    assert.equal((await signInWithToken(await token(audience, issuer), svc.url)).uid, 'victim');
  });
});

describe('HS256 secret length', () => {
  test('a secret shorter than 32 bytes is refused at start, in every environment', async () => {
    // 31 bytes: an offline search from one token could find a short secret and mint any uid.
    await assert.rejects(startOwnTokenService({ tokenSecret: 'x'.repeat(31) }), /tokenSecret \(WD_TOKEN_SECRET\) must be at least 32 bytes/);
    const svc = await startOwnTokenService({ tokenSecret: 'x'.repeat(32) });
    await svc.close();
  });
});
