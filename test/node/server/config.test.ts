// The configuration an operator writes is what runs: explicit settings win over
// `npm start`'s development base, every value is type-checked with the key
// named, and WD_ENV=production refuses each unsafe setting at start.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, test } from 'node:test';
import { loadConfig, type Config } from '@wd-video/server/config.js';
import { repoRoot } from '../helpers/procs.js';
import { within } from '../../shared/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'wd-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
/** A WD_CONFIG file holding `content` (an object, or raw text). */
function configFile(content: unknown): string {
  const file = join(dir, `config-${files++}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

/** What `npm start` layers under the operator's settings (scripts/dev-config.mjs). */
async function devBase(): Promise<Partial<Config>> {
  const mod = (await import(pathToFileURL(join(repoRoot, 'scripts', 'dev-config.mjs')).href)) as { devBase: Partial<Config> };
  return mod.devBase;
}

describe('npm start: explicit settings win over the development base', () => {
  test('nothing said: anonymous sign-in and the demo pages are on', async () => {
    const cfg = loadConfig({}, {}, await devBase());
    assert.equal(cfg.anonymous, true);
    assert.equal(cfg.serveStatic, true);
  });

  test('WD_CONFIG {"anonymous": false} turns anonymous sign-in off', async () => {
    assert.equal(loadConfig({ WD_CONFIG: configFile({ anonymous: false }) }, {}, await devBase()).anonymous, false);
  });

  test('WD_ANONYMOUS=0 turns it off, and the environment wins over the file', async () => {
    assert.equal(loadConfig({ WD_ANONYMOUS: '0' }, {}, await devBase()).anonymous, false);
    assert.equal(loadConfig({ WD_CONFIG: configFile({ anonymous: true }), WD_ANONYMOUS: 'off' }, {}, await devBase()).anonymous, false);
  });
});

describe('schema: a wrong value is an error naming its key', () => {
  const fileCases: [string, unknown, RegExp][] = [
    ['"anonymous": "false" (a string is not false)', { anonymous: 'false' }, /"anonymous".*true or false/],
    ['allowedOrigins as a string (was a substring match)', { allowedOrigins: 'https://app.example' }, /"allowedOrigins".*list/],
    ['allowedOrigins with a path', { allowedOrigins: ['https://app.example/page'] }, /"allowedOrigins".*not an origin/],
    ['a bad URL in natsServers', { natsServers: ['not a url'] }, /"natsServers".*not a URL/],
    ['an http:// URL in natsServers', { natsServers: ['http://nats.example'] }, /"natsServers".*ws:\/\/ or wss:\/\//],
    ['a bad tokenJwksUrl', { tokenJwksUrl: 'idp.example/jwks' }, /"tokenJwksUrl".*not a URL/],
    ['a port out of range', { httpPort: 70000 }, /"httpPort".*0 to 65535/],
    ['a number as a string', { rateLimit: '30' }, /"rateLimit".*integer/],
    ['a bad trusted proxy', { trustedProxies: ['10.0.0.1/33'] }, /"trustedProxies".*prefix/],
    ['an unknown env', { env: 'prod' }, /"env".*development, production/],
    ['an unknown key', { anonymus: true }, /unknown key "anonymus"/],
  ];
  for (const [what, content, message] of fileCases) {
    test(`file: ${what}`, () => {
      assert.throws(() => loadConfig({ WD_CONFIG: configFile(content) }), message);
    });
  }
  test('file: not JSON, or not an object', () => {
    assert.throws(() => loadConfig({ WD_CONFIG: configFile('{"anonymous": ') }), /WD_CONFIG/);
    assert.throws(() => loadConfig({ WD_CONFIG: configFile([]) }), /JSON object/);
  });

  const envCases: [Record<string, string>, RegExp][] = [
    [{ WD_ANONYMOUS: 'flase' }, /WD_ANONYMOUS \(anonymous\) must be true or false/],
    [{ WD_HTTP_PORT: '80a' }, /WD_HTTP_PORT/],
    [{ WD_ALLOWED_ORIGINS: 'app.example' }, /WD_ALLOWED_ORIGINS/],
    [{ WD_TRUSTED_PROXIES: '10.0.0.1,proxy.example' }, /WD_TRUSTED_PROXIES.*"proxy.example"/],
    [{ WD_ENV: 'prod' }, /WD_ENV/],
    [{ WD_RATE_WINDOW: '0' }, /WD_RATE_WINDOW/],
    [{ WD_TOKEN_MAX_AGE: '-1' }, /WD_TOKEN_MAX_AGE/],
    [{ WD_CREDENTIAL_TTL: '4' }, /WD_CREDENTIAL_TTL/],
  ];
  for (const [env, message] of envCases) {
    test(`environment: ${JSON.stringify(env)}`, () => {
      assert.throws(() => loadConfig(env), message);
    });
  }

  test('a config built in code is checked too', () => {
    assert.throws(() => loadConfig({}, { anonymous: 'yes' as unknown as boolean }), /anonymous \(WD_ANONYMOUS\)/);
  });

  test('every WD_* variable still reads as before', () => {
    const cfg = loadConfig({
      WD_ANONYMOUS: 'yes',
      WD_ALLOWED_ORIGINS: 'https://a.example, https://b.example',
      WD_RATE_LIMIT: '0',
      WD_HTTP_PORT: '0',
      WD_TRUSTED_PROXIES: '10.0.0.1,10.1.0.0/16,::1',
      WD_TOKEN_MAX_AGE: '600',
      WD_ENV: 'development',
    });
    assert.equal(cfg.anonymous, true);
    assert.deepEqual(cfg.allowedOrigins, ['https://a.example', 'https://b.example']);
    assert.equal(cfg.rateLimit, 0); // 0 = no limit, see the rate limit tests
    assert.deepEqual(cfg.trustedProxies, ['10.0.0.1', '10.1.0.0/16', '::1']);
    assert.equal(cfg.tokenMaxAge, 600);
  });
});

describe('WD_ENV=production refuses unsafe settings', () => {
  /** A production configuration that passes; each case below breaks one thing. */
  const safe: Record<string, string> = {
    WD_ENV: 'production',
    WD_ALLOWED_ORIGINS: 'https://app.example',
    WD_NATS_SERVERS: 'wss://nats.example:443',
    WD_TOKEN_SECRET: 'x'.repeat(32),
  };

  test('the safe configuration passes', () => {
    assert.equal(loadConfig(safe).env, 'production');
  });

  const unsafe: [string, Record<string, string | undefined>, RegExp][] = [
    ['anonymous sign-in on', { WD_ANONYMOUS: '1' }, /anonymous \(WD_ANONYMOUS\) on/],
    ['an HS256 secret of 31 bytes', { WD_TOKEN_SECRET: 'x'.repeat(31) }, /tokenSecret \(WD_TOKEN_SECRET\) must be at least 32 bytes/],
    ['a JWKS URL without audience and issuer', { WD_TOKEN_SECRET: undefined, WD_TOKEN_JWKS_URL: 'https://idp.example/jwks' }, /tokenJwksUrl.*tokenAudience.*tokenIssuer/],
    ['no allowed origins', { WD_ALLOWED_ORIGINS: undefined }, /empty allowedOrigins \(WD_ALLOWED_ORIGINS\)/],
    ['ws:// NATS URLs', { WD_NATS_SERVERS: 'wss://a.example,ws://b.example' }, /natsServers \(WD_NATS_SERVERS\) ws:\/\/b\.example/],
    ['the ws:// URL derived from publicHost', { WD_NATS_SERVERS: undefined, WD_PUBLIC_HOST: 'video.example' }, /natsServers.*ws:\/\/video\.example:9222/],
    ['an http:// allowed origin', { WD_ALLOWED_ORIGINS: 'http://app.example' }, /allowedOrigins \(WD_ALLOWED_ORIGINS\) http:\/\/app\.example/],
    [
      'an http:// JWKS URL',
      { WD_TOKEN_SECRET: undefined, WD_TOKEN_JWKS_URL: 'http://idp.example/jwks', WD_TOKEN_AUDIENCE: 'a', WD_TOKEN_ISSUER: 'i' },
      /tokenJwksUrl \(WD_TOKEN_JWKS_URL\) http:/,
    ],
  ];
  for (const [what, change, message] of unsafe) {
    test(`refuses ${what}`, () => {
      const env = { ...safe, ...change };
      assert.throws(() => loadConfig(env), (e: Error) => {
        assert.match(e.message, message);
        // One line per refused setting.
        assert.equal(e.message.split('\n').length, 1, e.message);
        return true;
      });
    });
  }

  test('development allows what production refuses (the same settings minus WD_ENV)', () => {
    assert.equal(loadConfig({ ...safe, WD_ENV: undefined, WD_ANONYMOUS: '1', WD_ALLOWED_ORIGINS: undefined }).anonymous, true);
  });
});

describe('scripts/start.mjs refuses a bad configuration before starting anything', () => {
  /** Runs start.mjs with `env`, expecting it to exit by itself; returns its exit code and stderr. */
  async function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
    // The caller's WD_* settings must not leak into this run.
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('WD_')));
    const proc = spawn(process.execPath, ['scripts/start.mjs'], {
      cwd: repoRoot,
      env: { ...clean, WD_SKIP_PREPARE: '1', WD_STATE_DIR: join(dir, 'state'), ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    proc.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const code = await within(
      new Promise<number | null>((ok) => proc.once('exit', ok)),
      15_000,
      () => {
        proc.kill('SIGKILL'); // it started the stack instead of refusing
        return `start.mjs did not exit: ${stderr}`;
      },
    );
    return { code, stderr };
  }

  test('a wrong type: exit 1, one line naming the key', async () => {
    const { code, stderr } = await start({ WD_CONFIG: configFile({ anonymous: 'false' }) });
    assert.equal(code, 1, stderr);
    assert.match(stderr.trim(), /^wd-video: config: "anonymous" in .* must be true or false, got "false"$/);
  });

  test('WD_ENV=production: exit 1 naming anonymous sign-in, which npm start would turn on', async () => {
    const { code, stderr } = await start({ WD_ENV: 'production', WD_ALLOWED_ORIGINS: 'https://app.example', WD_NATS_SERVERS: 'wss://nats.example' });
    assert.equal(code, 1, stderr);
    assert.match(stderr.trim(), /^wd-video: config: WD_ENV=production refuses anonymous \(WD_ANONYMOUS\) on/);
  });
});
