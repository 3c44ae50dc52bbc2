// The token service's HTTP contract as a browser or an attacker sees it:
// refusals with stable JSON codes, CORS, rate limiting, and the shape of a session.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import type { TokenService } from '@wd-video/server/token-service.js';
import { expectError } from '../helpers/http-assert.js';
import { postSession, signIn, stackEnv, startOwnTokenService } from '../helpers/stack-env.js';
import { uniqueUid } from '../../shared/ids.js';

const { httpUrl } = stackEnv();

describe('uid validation', () => {
  // Each of these would widen a NATS subject permission or break subjects.
  const bad: [string, unknown][] = [
    ['star wildcard', '*'],
    ['dot splits the subject', 'a.b'],
    ['tail wildcard', '>'],
    ['empty', ''],
    ['65 characters', 'x'.repeat(65)],
    ['space', 'a b'],
    ['unicode letter', 'zoë'],
    ['emoji', '😀'],
    ['number instead of string', 42],
    ['array', ['alice']],
    ['null', null],
    ['missing', undefined],
  ];
  for (const [name, uid] of bad) {
    test(`refuses uid: ${name}`, async () => {
      await expectError(await postSession({ anonymous: { uid } }), 400, 'invalid_uid');
    });
  }

  test('accepts the edges of the allowed alphabet and length', async () => {
    for (const uid of ['x'.repeat(64), 'A_z-09', '-', '_']) {
      const s = await signIn(uid);
      assert.equal(s.uid, uid);
    }
  });
});

describe('request shape', () => {
  test('body over the limit -> 413 (declared content-length)', async () => {
    const body = JSON.stringify({ anonymous: { uid: 'alice' }, pad: 'x'.repeat(9000) });
    await expectError(await postSession(body), 413, 'body_too_large');
  });

  test('body over the limit -> 413 (chunked, no content-length)', async () => {
    const { port } = new URL(httpUrl);
    // A streamed body has no length up front: the limit must be enforced while reading.
    const res = await new Promise<{ status: number; body: string }>((ok, fail) => {
      const req = request(
        { host: '127.0.0.1', port, path: '/v1/session', method: 'POST', headers: { 'content-type': 'application/json' } },
        (r) => {
          let body = '';
          r.setEncoding('utf8').on('data', (c) => (body += c)).on('end', () => ok({ status: r.statusCode ?? 0, body }));
        },
      );
      req.on('error', fail);
      for (let i = 0; i < 10; i++) req.write('x'.repeat(1000));
      req.end();
    });
    assert.equal(res.status, 413);
    assert.equal(JSON.parse(res.body).error.code, 'body_too_large');
  });

  test('non-JSON body -> 400 bad_json', async () => {
    await expectError(await postSession('{"anonymous": {"uid": "alice"'), 400, 'bad_json');
    await expectError(await postSession(''), 400, 'bad_json');
  });

  test('JSON that is not an object -> 400 bad_request', async () => {
    for (const body of ['[]', 'null', '"alice"', '42']) await expectError(await postSession(body), 400, 'bad_request');
  });

  test('neither token nor anonymous -> 400 bad_request', async () => {
    await expectError(await postSession({ uid: 'alice' }), 400, 'bad_request');
  });

  test('wrong content type -> 415', async () => {
    const res = await fetch(`${httpUrl}/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ anonymous: { uid: 'alice' } }),
    });
    await expectError(res, 415, 'unsupported_media_type');
  });

  test('GET /v1/session -> 405 with Allow', async () => {
    const res = await fetch(`${httpUrl}/v1/session`);
    assert.match(res.headers.get('allow') ?? '', /POST/);
    await expectError(res, 405, 'method_not_allowed');
  });

  test('/healthz answers 200', async () => {
    const res = await fetch(`${httpUrl}/healthz`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { ok: true });
  });

  test('unknown path -> 404 JSON', async () => {
    await expectError(await fetch(`${httpUrl}/no/such/thing`), 404, 'not_found');
    await expectError(await fetch(`${httpUrl}/v1/session/extra`, { method: 'POST' }), 404, 'not_found');
  });

  test('a query string cannot choose the uid', async () => {
    // uid comes only from the verified body, never from the URL.
    const uid = uniqueUid('alice');
    const res = await fetch(`${httpUrl}/v1/session?uid=*`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ anonymous: { uid } }),
    });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { uid: string }).uid, uid);
  });
});

describe('anonymous sign-in disabled', () => {
  let svc: TokenService;
  before(async () => {
    svc = await startOwnTokenService({ anonymous: false });
  });
  after(() => svc?.close());

  test('-> 403 anonymous_disabled', async () => {
    await expectError(await postSession({ anonymous: { uid: 'alice' } }, svc.url), 403, 'anonymous_disabled');
  });

  test('a token without a configured key -> 401', async () => {
    await expectError(await postSession({ token: 'a.b.c' }, svc.url), 401, 'token_auth_disabled');
  });
});

describe('rate limit', () => {
  let svc: TokenService;
  before(async () => {
    svc = await startOwnTokenService({ anonymous: true, rateLimit: 3, rateWindow: 60 });
  });
  after(() => svc?.close());

  test('the 4th sign-in in a window -> 429 with Retry-After', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await postSession({ anonymous: { uid: 'alice' } }, svc.url)).status, 200);
    const res = await postSession({ anonymous: { uid: 'alice' } }, svc.url);
    const retry = Number(res.headers.get('retry-after'));
    assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 60, `Retry-After is whole seconds within the window, got ${retry}`);
    await expectError(res, 429, 'rate_limited');
    // Still limited: a client that ignores Retry-After gains nothing.
    await expectError(await postSession({ anonymous: { uid: 'bob' } }, svc.url), 429, 'rate_limited');
  });
});

describe('CORS', () => {
  const allowed = 'https://app.example';
  let svc: TokenService;
  before(async () => {
    svc = await startOwnTokenService({ anonymous: true, allowedOrigins: [allowed] });
  });
  after(() => svc?.close());

  test('an allowed origin gets access-control-allow-origin', async () => {
    const res = await postSession({ anonymous: { uid: 'alice' } }, svc.url, { origin: allowed });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), allowed);
    assert.match(res.headers.get('vary') ?? '', /Origin/i);
  });

  test('the preflight of an allowed origin succeeds', async () => {
    const res = await fetch(`${svc.url}/v1/session`, {
      method: 'OPTIONS',
      headers: { origin: allowed, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), allowed);
    assert.match(res.headers.get('access-control-allow-headers') ?? '', /content-type/i);
  });

  test('a foreign origin -> 403 origin_not_allowed, no ACAO header', async () => {
    const res = await postSession({ anonymous: { uid: 'alice' } }, svc.url, { origin: 'https://evil.example' });
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    await expectError(res, 403, 'origin_not_allowed');
    // Its preflight gets no ACAO either, so the browser never sends the POST.
    const pre = await fetch(`${svc.url}/v1/session`, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
    assert.equal(pre.headers.get('access-control-allow-origin'), null);
  });

  test('a same-origin (no Origin header) request still works', async () => {
    assert.equal((await postSession({ anonymous: { uid: 'alice' } }, svc.url)).status, 200);
  });

  test('a page served by the token service itself (Origin = its own host) may sign in', async () => {
    const own = new URL(svc.url).origin;
    assert.equal((await postSession({ anonymous: { uid: 'alice' } }, svc.url, { origin: own })).status, 200);
    // Same host on another port is another origin.
    const otherPort = own.replace(/:(\d+)$/, (_, p) => `:${Number(p) + 1}`);
    await expectError(await postSession({ anonymous: { uid: 'alice' } }, svc.url, { origin: otherPort }), 403, 'origin_not_allowed');
  });
});
