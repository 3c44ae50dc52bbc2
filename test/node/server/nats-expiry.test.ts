// NATS credentials are short-lived on purpose: the server itself must refuse an
// expired JWT and drop a live connection when its JWT expires.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ErrorCode, type NatsError } from 'nats.ws';
import type { TokenService } from '@wd-video/server/token-service.js';
import { connectNats, signIn, startOwnTokenService, uniqueUid, type Session } from '../helpers/stack-env.js';
import { recordStatus, sleep } from '../helpers/wait.js';

let svc: TokenService;
let session: Session;

before(async () => {
  // 5 s: the smallest lifetime the config allows, so the test waits little.
  svc = await startOwnTokenService({ anonymous: true, credentialTtl: 5 });
  session = await signIn(uniqueUid('alice'), svc.url);
});
after(() => svc?.close());

test('a live connection is closed by the server when its JWT expires', { timeout: 15_000 }, async () => {
  const nc = await connectNats(session);
  const seen = recordStatus(nc);
  const err = (await nc.closed()) as NatsError | undefined; // resolves once the server kicks us
  const at = Date.now();
  assert.ok(at >= session.expiresAt - 1000, `closed ${session.expiresAt - at} ms before expiry`);
  assert.ok(at < session.expiresAt + 3000, `closed ${at - session.expiresAt} ms after expiry`);
  const codes = [err?.code, ...seen.map((s) => s.data)];
  assert.ok(codes.includes(ErrorCode.AuthenticationExpired), `expected an authentication-expired error, got ${JSON.stringify(codes)}`);
});

test('an expired JWT cannot connect', { timeout: 15_000 }, async () => {
  const wait = session.expiresAt + 1100 - Date.now(); // exp has whole-second granularity
  if (wait > 0) await sleep(wait);
  await assert.rejects(connectNats(session), (e: NatsError) => {
    assert.equal(e.code, ErrorCode.AuthorizationViolation);
    return true;
  });
});
