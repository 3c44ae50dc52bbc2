// coturn accepts exactly the TURN REST credentials the token service issues:
// an allocation with them succeeds; a wrong, expired or re-targeted one fails.
// Driven by coturn's own client, turnutils_uclient, against 127.0.0.1 only.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { before, test } from 'node:test';
import { signIn, stackEnv, type Session } from '../helpers/stack-env.js';
import { uniqueUid } from '../../shared/ids.js';

const env = stackEnv();
let session: Session;

before(async () => {
  session = await signIn(uniqueUid('alice'));
});

interface Run {
  code: number | null;
  out: string;
}

/**
 * One client-to-client (-y) allocation, one message (-n 1), no RTCP (-c), verbose (-v)
 * so the relay address is printed. Exit 0 and "Received relay addr" = allocated;
 * a refused allocation ends with "Cannot complete Allocation" and exit 255.
 */
function allocate(username: string, password: string, tcp = false): Promise<Run> {
  const args = [...(tcp ? ['-t'] : []), '-v', '-y', '-c', '-n', '1', '-u', username, '-w', password, '-p', String(env.turnPort), '-e', '127.0.0.1', '127.0.0.1'];
  return new Promise((ok) => {
    execFile('turnutils_uclient', args, { timeout: 20_000, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: unknown }).code as number | null) ?? null : 0;
      ok({ code: typeof code === 'number' ? code : null, out: stdout + stderr });
    });
  });
}

const allocated = (r: Run) => r.code === 0 && /Received relay addr: 127\.0\.0\.1:\d+/.test(r.out);

/** Refused by the server (it answered), not merely unreachable or timed out. */
function assertRefused(r: Run) {
  assert.ok(!allocated(r), `allocation must fail:\n${r.out}`);
  assert.notEqual(r.code, 0);
  assert.match(r.out, /allocate response received/, 'the server answered');
  assert.match(r.out, /Cannot complete Allocation/);
}

/** The issued TURN server, with the REST credentials every session carries. */
function turnOf(s: Session) {
  const [ice] = s.iceServers;
  assert.ok(ice?.username && ice.credential, 'the session carries TURN credentials');
  return { username: ice.username, credential: ice.credential };
}

const hmac = (username: string) => createHmac('sha1', env.keys.turnSecret).update(username).digest('base64');

test('issued credentials allocate a relay over UDP and TCP', { timeout: 30_000 }, async () => {
  const ice = turnOf(session);
  const [udp, tcp] = await Promise.all([allocate(ice.username, ice.credential), allocate(ice.username, ice.credential, true)]);
  assert.ok(allocated(udp), `UDP allocation failed (exit ${udp.code}):\n${udp.out}`);
  assert.ok(allocated(tcp), `TCP allocation failed (exit ${tcp.code}):\n${tcp.out}`);
});

test('a wrong credential is refused', { timeout: 30_000 }, async () => {
  const ice = turnOf(session);
  assertRefused(await allocate(ice.username, hmac(`${ice.username}x`)));
  assertRefused(await allocate(ice.username, 'not-the-credential'));
});

test('an expired username is refused even with a correct HMAC', { timeout: 30_000 }, async () => {
  const username = `${Math.floor(Date.now() / 1000) - 60}:${session.uid}`;
  assertRefused(await allocate(username, hmac(username)));
});

test("one user's credential does not work under another uid", { timeout: 30_000 }, async () => {
  const ice = turnOf(session);
  const expiry = ice.username.split(':')[0];
  assertRefused(await allocate(`${expiry}:${uniqueUid('mallory')}`, ice.credential));
});
