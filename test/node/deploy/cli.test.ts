// The `wd-video` command's table of refusals: every bad flag or missing
// setting is a usage error (exit 2) that names it, or a failure (exit 1) that
// names the file; plus what keys init writes and what serve accepts.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { decode, type User } from '@nats-io/jwt';
import { runCli } from '@wd-video/server/cli/run.js';
import { PUBLIC_FILES, SECRET_FILES } from '@wd-video/server/prod/key-files.js';
import { deployDir, serviceKeysDir, wdVideo } from './fixtures.js';

const SECRET = 'x'.repeat(43);
let dir: string;
let keys: string;

before(async () => {
  ({ dir, keys } = await deployDir('cli'));
});

/** In-process run: same code path as the bin, without a process per row. */
async function run(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const result = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env });
  return { result, out: out.join('\n'), err: err.join('\n') };
}

// Every row fails before anything is read or written, so the paths need not exist.
const turn = (...extra: string[]) => ['config', 'turn', '--listen-ip', '127.0.0.2', '--public-ip', '127.0.0.2', '--out', 'unused/t.conf', ...extra];
const nats = (...extra: string[]) => ['config', 'nats', '--keys', 'unused', '--out', 'unused/n.conf', '--name', 'n1', '--tls-cert', 'c.pem', '--tls-key', 'k.pem', '--allowed-origins', 'https://app.example', ...extra];

// [argv, env, exit code, what the message must name]
const table: [string[], Record<string, string>, number, RegExp][] = [
  [[], {}, 2, /usage: wd-video <command>/],
  [['deploy'], {}, 2, /unknown command "deploy"/],
  [['keys'], {}, 2, /unknown command "keys"/],
  [['keys', 'init'], {}, 2, /--dir is required/],
  [['keys', 'init', '--dir'], {}, 2, /--dir/],
  [['keys', 'init', '--dir', 'x', '--force'], {}, 2, /--force/],
  [['serve'], {}, 2, /--keys is required \(or WD_KEYS_DIR\)/],
  [['config', 'turn', '--public-ip', '127.0.0.2', '--out', 'x'], { WD_TURN_SECRET: SECRET }, 2, /--listen-ip is required/],
  [['config', 'turn', '--listen-ip', '127.0.0.2', '--out', 'x'], { WD_TURN_SECRET: SECRET }, 2, /--public-ip is required/],
  [['config', 'turn', '--listen-ip', '300.1.1.1', '--public-ip', '127.0.0.2', '--out', 'x'], { WD_TURN_SECRET: SECRET }, 2, /--listen-ip must be an IPv4 or IPv6 address, got "300.1.1.1"/],
  [['config', 'turn', '--listen-ip', '127.0.0.2', '--public-ip', 'turn.example', '--out', 'x'], { WD_TURN_SECRET: SECRET }, 2, /--public-ip must be an IPv4 or IPv6 address/],
  [turn('--port', '70000'), { WD_TURN_SECRET: SECRET }, 2, /--port must be an integer from 1 to 65535, got "70000"/],
  [turn('--port', '34x'), { WD_TURN_SECRET: SECRET }, 2, /--port must be an integer/],
  [turn('--user-quota', '0'), { WD_TURN_SECRET: SECRET }, 2, /--user-quota must be an integer from 1/],
  [turn('--max-bps', 'fast'), { WD_TURN_SECRET: SECRET }, 2, /--max-bps must be an integer/],
  [turn('--min-port', '60000', '--max-port', '50000'), { WD_TURN_SECRET: SECRET }, 2, /--min-port must not be above --max-port/],
  [turn('--tls-cert', 'c.pem'), { WD_TURN_SECRET: SECRET }, 2, /--tls-cert and --tls-key go together/],
  [turn(), {}, 2, /WD_TURN_SECRET is not set/],
  [turn(), { WD_TURN_SECRET: 'short' }, 2, /WD_TURN_SECRET must be at least 32 characters/],
  [turn('--secret', SECRET), { WD_TURN_SECRET: SECRET }, 2, /--secret/],
  [nats().filter((a) => a !== '--name' && a !== 'n1'), {}, 2, /--name is required/],
  [nats('--name', 'a b'), {}, 2, /--name must be letters/],
  [nats().filter((a) => a !== '--tls-cert' && a !== 'c.pem'), {}, 2, /--tls-cert is required/],
  [nats().filter((a) => a !== '--allowed-origins' && a !== 'https://app.example'), {}, 2, /--allowed-origins is required/],
  [['config', 'nats', '--keys', 'k', '--out', 'o', '--name', 'n', '--tls-cert', 'c', '--tls-key', 'k', '--allowed-origins', 'http://app.example'], {}, 2, /--allowed-origins must be https:\/\/ origins.*"http:\/\/app.example"/],
  [['config', 'nats', '--keys', 'k', '--out', 'o', '--name', 'n', '--tls-cert', 'c', '--tls-key', 'k', '--allowed-origins', 'https://app.example/call'], {}, 2, /--allowed-origins must be https:\/\/ origins/],
  [['config', 'nats', '--keys', 'k', '--out', 'o', '--name', 'n', '--tls-cert', 'c', '--tls-key', 'k', '--allowed-origins', '*'], {}, 2, /--allowed-origins must be https:\/\/ origins/],
  [nats('--ws-port', '0'), {}, 2, /--ws-port must be an integer from 1/],
  [nats('--ws-host', 'example.com'), {}, 2, /--ws-host must be an IPv4 or IPv6 address/],
  [nats('--max-pending', '1GB'), {}, 2, /--max-pending must be a size/],
  [nats('--lame-duck', '30'), {}, 2, /--lame-duck must be a duration/],
  [nats('--account-max-connections', '-1'), {}, 2, /--account-max-connections/],
  [nats('--routes', 'nats2'), {}, 2, /--routes must be a comma-separated list of host:port, got "nats2"/],
  [nats('--routes', '10.0.0.2:6222'), {}, 2, /--cluster-tls-cert is required with --routes/],
  [nats('--routes', '10.0.0.2:6222', '--cluster-tls-cert', 'c', '--cluster-tls-key', 'k'), {}, 2, /--cluster-tls-ca is required with --routes/],
];

describe('usage errors name the flag', () => {
  for (const [argv, env, code, message] of table) {
    test(`wd-video ${argv.join(' ')}${Object.keys(env).length ? ` (${Object.keys(env).join(', ')})` : ''} -> exit ${code}`, async () => {
      const r = await run(argv, env);
      assert.equal(r.result, code, `exit code; stderr: ${r.err}`);
      assert.match(r.err, message);
    });
  }

  test('--help prints the flags of a command and exits 0', async () => {
    const r = await run(['config', 'turn', '--help']);
    assert.equal(r.result, 0);
    for (const flag of ['--listen-ip', '--public-ip', '--port', '--out', '--tls-cert', '--user-quota', '--total-quota', '--max-bps']) assert.match(r.out, new RegExp(flag));
  });
});

describe('keys init', () => {
  test('each secret in its own 0600 file in a 0700 folder; the placement is printed', async () => {
    assert.equal(statSync(keys).mode & 0o777, 0o700);
    for (const f of Object.values(SECRET_FILES)) assert.equal(statSync(join(keys, f)).mode & 0o777, 0o600, f);
    for (const f of Object.values(PUBLIC_FILES)) assert.equal(statSync(join(keys, f)).mode & 0o077, 0o044, `${f} is public`);
    const r = await wdVideo(['keys', 'init', '--dir', join(dir, 'second')]);
    assert.equal(r.code, 0, r.stderr);
    const tokenHost = r.stdout.split('\n').find((l) => l.includes('token service hosts')) ?? '';
    assert.match(tokenHost, /signing\.nk/);
    assert.doesNotMatch(tokenHost, /operator\.nk|system\.nk|account\.nk/, 'no operator, system or account seed on a token service host');
    assert.match(r.stdout, /admin machine only.*operator\.nk system\.nk account\.nk/);
  });

  test('never overwrites existing keys', async () => {
    const before_ = readFileSync(join(keys, SECRET_FILES.operatorSeed), 'utf8');
    const r = await run(['keys', 'init', '--dir', keys]);
    assert.equal(r.result, 1);
    assert.match(r.err, /already holds operator\.nk/);
    assert.equal(readFileSync(join(keys, SECRET_FILES.operatorSeed), 'utf8'), before_);
  });
});

describe('keys service-creds', () => {
  test('writes a new 0600 service.creds from account.nk, whose user may reach the push store; without account.nk it names the file', async () => {
    const file = join(keys, SECRET_FILES.serviceCreds);
    const old = readFileSync(file, 'utf8');
    const r = await run(['keys', 'service-creds', '--dir', keys]);
    assert.equal(r.result, 0, r.err);
    const creds = readFileSync(file, 'utf8');
    assert.notEqual(creds, old, 'a new user');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const jwt = /-----BEGIN NATS USER JWT-----\n(\S+)\n/.exec(creds)?.[1];
    assert.ok(jwt, creds.slice(0, 40));
    const claims = decode<User>(jwt);
    assert.equal(claims.iss, readFileSync(join(keys, PUBLIC_FILES.accountPublicKey), 'utf8').trim(), 'signed by the account key');
    assert.ok(claims.nats.pub?.allow?.includes('wd.push.*'), JSON.stringify(claims.nats.pub));
    const missing = await run(['keys', 'service-creds', '--dir', serviceKeysDir(dir, keys)]);
    assert.equal(missing.result, 1);
    assert.match(missing.err, /account\.nk is missing/);
  });
});

describe('serve', () => {
  test('refuses a keys folder that holds the operator, system or account seed', async () => {
    const r = await run(['serve', '--keys', keys], { WD_HTTP_PORT: '0' });
    assert.equal(r.result, 1);
    assert.match(r.err, /operator\.nk must not be on a token service host/);
  });

  test('config nats needs the operator seed: missing, it names the file', async () => {
    const r = await run(nats('--keys', serviceKeysDir(dir, keys), '--out', join(dir, 'n.conf')));
    assert.equal(r.result, 1);
    assert.match(r.err, /operator\.nk is missing/);
  });

  test('with only signing.nk, account.pub and turn-secret it issues scoped user JWTs', async () => {
    const r = await run(['serve', '--keys', serviceKeysDir(dir, keys)], { WD_HTTP_PORT: '0', WD_ANONYMOUS: '1' });
    assert.equal(typeof r.result, 'function', r.err);
    const stop = r.result as () => Promise<void>;
    try {
      const url = /token service on (http:\/\/\S+)/.exec(r.out)?.[1];
      assert.ok(url, r.out);
      const res = await fetch(`${url}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ anonymous: { uid: 'alice' } }) });
      assert.equal(res.status, 200);
      const claims = decode<User>(((await res.json()) as { nats: { jwt: string } }).nats.jwt);
      assert.equal(claims.name, 'alice');
      assert.equal(claims.iss, readFileSync(join(keys, PUBLIC_FILES.signingPublicKey), 'utf8').trim());
      assert.equal(claims.nats.issuer_account, readFileSync(join(keys, PUBLIC_FILES.accountPublicKey), 'utf8').trim());
      assert.equal(claims.nats.pub, undefined, 'permissions come from the scoped template');
    } finally {
      await stop();
    }
  });
});
