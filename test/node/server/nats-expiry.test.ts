// NATS credentials are short-lived on purpose: the server itself must refuse an
// expired JWT and drop a live connection when its JWT expires.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ErrorCode, type NatsError } from 'nats.ws';
import type { TokenService } from '@wd-video/server/token-service.js';
import { connectNats, signIn, startOwnTokenService, type Session, recordStatus } from '../helpers/stack-env.js';
import { uniqueUid } from '../../shared/ids.js';
import { sleep } from '../../shared/wait.js';

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
  // The cause, not the moment: the server says the authentication expired (how promptly is
  // nats-server's business; the test's timeout bounds it).
  const codes = [err?.code, ...seen.map((s) => s.data)];
  assert.ok(codes.includes(ErrorCode.AuthenticationExpired), `expected an authentication-expired error, got ${JSON.stringify(codes)}`);
});

test('an expired JWT cannot connect', { timeout: 15_000 }, async () => {
  // The scenario is a credential past its expiry, and only the clock gets it
  // there: wait out the rest of its lifetime (exp has whole-second granularity).
  const wait = session.expiresAt + 1100 - Date.now();
  if (wait > 0) await sleep(wait);
  await assert.rejects(connectNats(session), (e: NatsError) => {
    assert.equal(e.code, ErrorCode.AuthorizationViolation);
    return true;
  });
});
