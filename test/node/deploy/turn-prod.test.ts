// coturn with the config `wd-video config turn` generates, on loopback:
// 127.0.0.2 plays the relay's public IP, so 127.0.0.1 (and every other
// non-public range) stays a denied peer. Driven by coturn's own client,
// turnutils_uclient, with TURN REST credentials made from the generated secret.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { turnCredential } from '@wd-video/server/credentials.js';
import { freePort } from '@wd-video/server/processes.js';
import { uniqueUid } from '../../shared/ids.js';
import { deployDir, startServer, wdVideo } from './fixtures.js';

const RELAY_IP = '127.0.0.2';
let port: number;
let secret: string;

before(async () => {
  const { dir, keys } = await deployDir('turn');
  secret = readFileSync(join(keys, 'turn-secret'), 'utf8').trim();
  port = await freePort(RELAY_IP);
  const out = join(dir, 'turnserver.conf');
  // Exactly the command README "Deploy" gives.
  const r = await wdVideo(['config', 'turn', '--listen-ip', RELAY_IP, '--public-ip', RELAY_IP, '--port', String(port), '--out', out], { WD_TURN_SECRET: secret });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(statSync(out).mode & 0o777, 0o600, 'the config holds the secret');
  await startServer(`turnserver-${port}`, 'turnserver', ['-c', out], dir, RELAY_IP, port);
});

interface Uclient {
  code: number | null;
  out: string;
}

function uclientArgs(args: string[], uid: string): string[] {
  const { username, credential } = turnCredential(secret, uid, Math.floor(Date.now() / 1000) + 600);
  return ['-v', '-c', '-u', username, '-w', credential, '-p', String(port), ...args, RELAY_IP];
}

/** turnutils_uclient against the test server; a fresh uid per call so quotas do not leak between tests. */
function uclient(args: string[], uid = uniqueUid('u')): Promise<Uclient> {
  const all = uclientArgs(args, uid);
  return new Promise((ok) => {
    execFile('turnutils_uclient', all, { timeout: 30_000, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: unknown }).code as number | null) ?? null : 0;
      ok({ code: typeof code === 'number' ? code : null, out: stdout + stderr });
    });
  });
}

/**
 * turnutils_uclient until its output matches `done` (then it is killed: toward
 * a peer that never answers it would wait for replies forever) or it exits.
 */
function uclientUntil(args: string[], done: RegExp): Promise<Uclient> {
  return new Promise((ok) => {
    const p = spawn('turnutils_uclient', uclientArgs(args, uniqueUid('u')));
    let out = '';
    const guard = setTimeout(() => p.kill('SIGKILL'), 20_000); // a bound if neither happens, not a synchronisation
    const onData = (d: Buffer) => {
      out += d.toString();
      if (done.test(out)) p.kill('SIGKILL');
    };
    p.stdout.on('data', onData);
    p.stderr.on('data', onData);
    p.on('close', (code) => {
      clearTimeout(guard);
      ok({ code, out });
    });
  });
}

const relayed = (r: Uclient) => new RegExp(`Received relay addr: ${RELAY_IP.replace(/\./g, '\\.')}:\\d+`).test(r.out);

describe('production coturn config', () => {
  test('a relayed call between two clients connects through it (relay to relay, data both ways)', { timeout: 30_000 }, async () => {
    // -y: two clients, each sending to the other's relay address, the path two relayed browsers take.
    const r = await uclient(['-y', '-n', '5']);
    assert.ok(relayed(r), r.out);
    assert.match(r.out, /tot_send_msgs=10, tot_recv_msgs=10/, 'every message crossed the relays');
    assert.match(r.out, /Total lost packets 0 /);
  });

  for (const peer of ['8.8.8.8', '1.1.1.1']) {
    test(`a relay to a public address (${peer}) is permitted`, { timeout: 30_000 }, async () => {
      // The permission and channel are granted locally and -n 0 sends no data:
      // nothing leaves this machine for the peer (tests use loopback only).
      const bound = /cb response received: \s*\n[^\n]*success/;
      const decided = new RegExp(`${bound.source}|403`);
      let r = await uclientUntil(['-n', '0', '-e', peer], decided);
      // turnutils_uclient now and then ends right after the allocation, before it
      // asks for the channel: that says nothing about coturn, so ask again.
      for (let i = 0; i < 2 && !decided.test(r.out); i++) r = await uclientUntil(['-n', '0', '-e', peer], decided);
      assert.ok(relayed(r), r.out);
      assert.match(r.out, bound, r.out);
      assert.doesNotMatch(r.out, /403/);
    });
  }

  for (const peer of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.1']) {
    test(`a relay to ${peer} is refused: 403 Forbidden IP`, { timeout: 30_000 }, async () => {
      const r = await uclient(['-n', '1', '-e', peer]);
      assert.ok(relayed(r), `the allocation itself succeeds:\n${r.out}`);
      assert.match(r.out, /error 403 \(Forbidden IP\)/, r.out);
      assert.notEqual(r.code, 0);
    });
  }

  test('a TCP relay (RFC 6062) is refused', { timeout: 30_000 }, async () => {
    const r = await uclient(['-T', '-n', '1', '-e', '127.0.0.1']);
    assert.ok(!relayed(r), r.out);
    assert.match(r.out, /error 442/, r.out);
  });

  test('one credential past the user quota (10 relays) gets 486 Allocation Quota Reached', { timeout: 30_000 }, async () => {
    // -m 12: twelve allocations under one username; the quota admits 10.
    const r = await uclient(['-y', '-m', '12', '-n', '1']);
    // How many of the last two are refused depends on when uclient's clients give up; at least one is.
    assert.match(r.out, /error 486 \(Allocation Quota Reached\)/, r.out);
    assert.ok(relayed(r), 'the first ten were allocated');
  });
});
