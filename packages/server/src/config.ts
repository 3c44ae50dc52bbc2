// Configuration of the token service and the local stack.
// Sources, later ones winning: defaults, the caller's base (`npm start`'s
// development settings), a JSON file (WD_CONFIG), environment variables, the
// caller's overrides. Every key has a type in `schema`; a wrong value is an
// Error naming the key, so a typo cannot silently turn a setting around
// (`"anonymous": "false"` is a string, not false). Every key is documented in
// the README's configuration table.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { DEFAULT_PUSH_HOSTS } from './push/subscription.js';
import { webhookKey } from './webhooks/signature.js';

export interface Config {
  /** `production` makes unsafe settings fatal (see productionProblems). */
  env: 'development' | 'production';
  /** Folder for generated keys, configs and logs. */
  stateDir: string;
  httpHost: string;
  httpPort: number;
  /** Host name put into the URLs handed to browsers (ws:// and turn:). */
  publicHost: string;
  natsPort: number;
  natsWsPort: number;
  /** WebSocket URLs handed to clients; default ws://publicHost:natsWsPort. */
  natsServers: string[];
  turnPort: number;
  /** Lifetime of issued NATS and TURN credentials, seconds. */
  credentialTtl: number;
  anonymous: boolean;
  /** Origins allowed by CORS on /v1/session; empty = same-origin only. */
  allowedOrigins: string[];
  tokenSecret?: string;
  tokenJwksUrl?: string;
  tokenJwksFile?: string;
  tokenAudience?: string;
  tokenIssuer?: string;
  /** Oldest custom token accepted, seconds since its `iat`. */
  tokenMaxAge: number;
  /** Sign-ins per client address per rateWindow seconds; 0 = no limit. */
  rateLimit: number;
  rateWindow: number;
  /** Proxy addresses (IPs or CIDRs) whose X-Forwarded-For names the client. */
  trustedProxies: string[];
  bodyLimit: number;
  /** Seconds a client has to send a whole request (headers and body). */
  requestTimeout: number;
  /** Most open connections to the token service. */
  maxConnections: number;
  /** NATS limits put into each user credential. */
  maxPayload: number;
  maxSubs: number;
  /** Serve demo/ and dist/ from the token service. */
  serveStatic: boolean;
  /** TURN shared secret; generated into stateDir when not given. */
  turnSecret?: string;
  /** VAPID contact (mailto: or https:) push services may write to about our pushes. */
  vapidSubject: string;
  /** VAPID key pair (base64url); otherwise from the key folder (`keys init`) or the dev stack's keys.json. */
  vapidPublicKey?: string;
  vapidPrivateKey?: string;
  /** Hosts a push subscription's endpoint may be on (and their subdomains); `*` = any https host. */
  pushEndpointHosts: string[];
  /** Accept push endpoints on loopback addresses, http included (development and tests only). */
  pushLoopback: boolean;
  /** Most devices per user that receive pushes. */
  pushMaxDevices: number;
  /** Ring/cancel pushes per caller, and per callee, per rateWindow seconds; 0 = no limit. */
  pushRingLimit: number;
  /** Where call events are POSTed (webhooks/); off when unset. */
  webhookUrl?: string;
  /** `whsec_<base64>` key that signs them (Standard Webhooks). */
  webhookSecret?: string;
  /** Days a call history record is kept (fractions allowed, e.g. for tests). */
  historyRetentionDays: number;
  /** Records kept per user; the oldest go first. */
  historyMaxPerUser: number;
  /** JetStream replicas of the history streams: 1, or 3 on a cluster of three or more nodes. */
  historyReplicas: number;
}

export const defaults: Config = {
  env: 'development',
  stateDir: '.wd',
  httpHost: '127.0.0.1',
  httpPort: 8080,
  publicHost: '127.0.0.1',
  natsPort: 4222,
  natsWsPort: 9222,
  natsServers: [],
  turnPort: 3478,
  credentialTtl: 3600,
  anonymous: false,
  allowedOrigins: [],
  tokenMaxAge: 86_400,
  rateLimit: 30,
  rateWindow: 60,
  trustedProxies: [],
  bodyLimit: 8192,
  requestTimeout: 10,
  maxConnections: 1024,
  maxPayload: 65536,
  maxSubs: 100,
  serveStatic: false,
  vapidSubject: 'mailto:wd-video@localhost.invalid',
  pushEndpointHosts: DEFAULT_PUSH_HOSTS,
  pushLoopback: false,
  pushMaxDevices: 5,
  pushRingLimit: 20,
  historyRetentionDays: 30,
  historyMaxPerUser: 200,
  historyReplicas: 1,
};

/** A key's type: how to read it from an environment string, and what a value must be (undefined = fine). */
interface Type {
  fromEnv(v: string): unknown;
  check(v: unknown): string | undefined;
}

const got = (v: unknown) => `got ${JSON.stringify(v) ?? String(v)}`;

function text(): Type {
  return { fromEnv: (v) => v, check: (v) => (typeof v === 'string' && v.length > 0 ? undefined : `must be a non-empty string, ${got(v)}`) };
}
function int(min: number, max = Number.MAX_SAFE_INTEGER): Type {
  return {
    fromEnv: (v) => (/^\d+$/.test(v.trim()) ? Number(v) : v),
    check: (v) => (Number.isInteger(v) && (v as number) >= min && (v as number) <= max ? undefined : `must be an integer from ${min} to ${max}, ${got(v)}`),
  };
}
const port = () => int(0, 65535);
/** A number above 0 and at most max (decimals allowed). */
function positive(max: number): Type {
  return {
    fromEnv: (v) => (/^\d*\.?\d+$/.test(v.trim()) ? Number(v) : v),
    check: (v) => (typeof v === 'number' && v > 0 && v <= max ? undefined : `must be a number above 0 and at most ${max}, ${got(v)}`),
  };
}
function bool(): Type {
  return {
    // Anything but these words is refused, not read as false: WD_ANONYMOUS=flase must not pass silently.
    fromEnv: (v) => (/^(1|true|yes|on)$/i.test(v) ? true : /^(0|false|no|off)$/i.test(v) ? false : v),
    check: (v) => (typeof v === 'boolean' ? undefined : `must be true or false, ${got(v)}`),
  };
}
function oneOf(...values: string[]): Type {
  return { fromEnv: (v) => v, check: (v) => (values.includes(v as string) ? undefined : `must be one of ${values.join(', ')}, ${got(v)}`) };
}
/** A list of strings (a comma list in the environment); each item checked by `item`. */
function list(item: (s: string) => string | undefined): Type {
  return {
    fromEnv: (v) => v.split(',').map((s) => s.trim()).filter(Boolean),
    check: (v) => {
      // A string here once became a substring match (`allowedOrigins.includes`).
      if (!Array.isArray(v)) return `must be a list of strings, ${got(v)}`;
      for (const s of v) {
        const bad = typeof s === 'string' ? item(s) : 'is not a string';
        if (bad) return `item ${JSON.stringify(s)} ${bad}`;
      }
      return undefined;
    },
  };
}
function url(...protocols: string[]): (s: string) => string | undefined {
  return (s) => {
    try {
      const u = new URL(s);
      return protocols.includes(u.protocol) ? undefined : `must be a ${protocols.map((p) => `${p}//`).join(' or ')} URL`;
    } catch {
      return 'is not a URL';
    }
  };
}
const oneUrl = (...protocols: string[]): Type => ({
  fromEnv: (v) => v,
  check: (v) => (typeof v === 'string' ? url(...protocols)(v) : `must be a URL string, ${got(v)}`),
});
/** `*`, or exactly an origin (scheme://host[:port], nothing after). */
function origin(s: string): string | undefined {
  if (s === '*') return undefined;
  try {
    const u = new URL(s);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'must be an http(s) origin';
    return u.origin === s ? undefined : `is not an origin (scheme://host[:port]), it would be ${u.origin}`;
  } catch {
    return 'is not an origin';
  }
}
/** An IP address or a CIDR block. */
function ipOrCidr(s: string): string | undefined {
  const [ip, bits, extra] = s.split('/');
  const family = isIP(ip);
  if (!family || extra !== undefined) return 'is not an IP address or CIDR block';
  if (bits === undefined) return undefined;
  const n = /^\d+$/.test(bits) ? Number(bits) : NaN;
  return n <= (family === 4 ? 32 : 128) ? undefined : 'has a bad prefix length';
}
function host(): Type {
  return { fromEnv: (v) => v, check: (v) => (typeof v === 'string' && /^[A-Za-z0-9.:[\]_-]+$/.test(v) ? undefined : `must be a host name or IP address, ${got(v)}`) };
}

/** Every key: its environment variable and its type. */
const schema: { [K in keyof Config]-?: [env: string, type: Type] } = {
  env: ['WD_ENV', oneOf('development', 'production')],
  stateDir: ['WD_STATE_DIR', text()],
  httpHost: ['WD_HTTP_HOST', host()],
  httpPort: ['WD_HTTP_PORT', port()],
  publicHost: ['WD_PUBLIC_HOST', host()],
  natsPort: ['WD_NATS_PORT', port()],
  natsWsPort: ['WD_NATS_WS_PORT', port()],
  natsServers: ['WD_NATS_SERVERS', list(url('ws:', 'wss:'))],
  turnPort: ['WD_TURN_PORT', port()],
  credentialTtl: ['WD_CREDENTIAL_TTL', int(5)],
  anonymous: ['WD_ANONYMOUS', bool()],
  allowedOrigins: ['WD_ALLOWED_ORIGINS', list(origin)],
  tokenSecret: ['WD_TOKEN_SECRET', text()],
  tokenJwksUrl: ['WD_TOKEN_JWKS_URL', oneUrl('https:', 'http:')],
  tokenJwksFile: ['WD_TOKEN_JWKS_FILE', text()],
  tokenAudience: ['WD_TOKEN_AUDIENCE', text()],
  tokenIssuer: ['WD_TOKEN_ISSUER', text()],
  tokenMaxAge: ['WD_TOKEN_MAX_AGE', int(1)],
  rateLimit: ['WD_RATE_LIMIT', int(0)],
  rateWindow: ['WD_RATE_WINDOW', int(1)],
  trustedProxies: ['WD_TRUSTED_PROXIES', list(ipOrCidr)],
  bodyLimit: ['WD_BODY_LIMIT', int(2)],
  requestTimeout: ['WD_REQUEST_TIMEOUT', int(1, 3600)],
  maxConnections: ['WD_MAX_CONNECTIONS', int(1)],
  maxPayload: ['WD_MAX_PAYLOAD', int(0)],
  maxSubs: ['WD_MAX_SUBS', int(0)],
  serveStatic: ['WD_SERVE_STATIC', bool()],
  turnSecret: ['WD_TURN_SECRET', text()],
  vapidSubject: ['WD_VAPID_SUBJECT', oneUrl('mailto:', 'https:')],
  vapidPublicKey: ['WD_VAPID_PUBLIC_KEY', text()],
  vapidPrivateKey: ['WD_VAPID_PRIVATE_KEY', text()],
  pushEndpointHosts: ['WD_PUSH_ENDPOINT_HOSTS', list((h) => (h === '*' || /^[a-z0-9.-]+$/i.test(h) ? undefined : 'is not a host name or *'))],
  pushLoopback: ['WD_PUSH_LOOPBACK', bool()],
  pushMaxDevices: ['WD_PUSH_MAX_DEVICES', int(1, 100)],
  pushRingLimit: ['WD_PUSH_RING_LIMIT', int(0)],
  webhookUrl: ['WD_WEBHOOK_URL', oneUrl('https:', 'http:')],
  webhookSecret: ['WD_WEBHOOK_SECRET', text()],
  historyRetentionDays: ['WD_HISTORY_RETENTION_DAYS', positive(3650)],
  historyMaxPerUser: ['WD_HISTORY_MAX_PER_USER', int(1, 10_000)],
  historyReplicas: ['WD_HISTORY_REPLICAS', int(1, 5)],
};

/** Shortest HS256 secret accepted: 32 bytes, the HMAC-SHA256 output size (RFC 7518 §3.2). */
export const MIN_SECRET_BYTES = 32;

type Env = Record<string, string | undefined>;
const name = (k: keyof Config) => `${k} (${schema[k][0]})`;

/**
 * Build a config from defaults, `base`, an optional JSON file (WD_CONFIG) and
 * the environment, then `overrides`. Throws an Error naming the key on a wrong
 * value, an unsafe setting, or (env production) a setting unsafe in production.
 */
export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}, base: Partial<Config> = {}): Config {
  const cfg: Record<string, unknown> = { ...defaults, ...base };
  if (env.WD_CONFIG) {
    const path = resolve(env.WD_CONFIG);
    let file: unknown;
    try {
      file = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new Error(`config: cannot read WD_CONFIG ${path}: ${(e as Error).message}`);
    }
    if (typeof file !== 'object' || file === null || Array.isArray(file)) throw new Error(`config: ${path} must hold a JSON object`);
    for (const [k, v] of Object.entries(file)) {
      if (!Object.hasOwn(schema, k)) throw new Error(`config: unknown key "${k}" in ${path}`);
      const bad = schema[k as keyof Config][1].check(v);
      if (bad) throw new Error(`config: "${k}" in ${path} ${bad}`);
      cfg[k] = v;
    }
  }
  for (const [k, [envName, type]] of Object.entries(schema)) {
    const v = env[envName];
    if (v === undefined || v === '') continue;
    const parsed = type.fromEnv(v);
    const bad = type.check(parsed);
    if (bad) throw new Error(`config: ${envName} (${k}) ${bad}`);
    cfg[k] = parsed;
  }
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) cfg[k] = v;
  const config = cfg as unknown as Config;
  if (config.natsServers.length === 0) config.natsServers = [`ws://${config.publicHost}:${config.natsWsPort}`];
  checkConfig(config);
  return config;
}

/**
 * Throws an Error naming the first key whose value is wrong or unsafe. Called
 * by loadConfig and again by startTokenService, so a config built in code
 * cannot skip it.
 */
export function checkConfig(cfg: Config): void {
  for (const k of Object.keys(cfg)) {
    if (!Object.hasOwn(schema, k)) throw new Error(`config: unknown key "${k}"`);
  }
  for (const [k, [, type]] of Object.entries(schema)) {
    const v = (cfg as unknown as Record<string, unknown>)[k];
    if (v === undefined && !Object.hasOwn(defaults, k)) continue; // optional key, not set
    const bad = type.check(v);
    if (bad) throw new Error(`config: ${name(k as keyof Config)} ${bad}`);
  }
  // Refused in every environment: a development setup that works with these
  // would break, or be unsafe, the day it is deployed.
  if (cfg.tokenSecret !== undefined && Buffer.byteLength(cfg.tokenSecret) < MIN_SECRET_BYTES) {
    // A short HMAC secret falls to an offline search from any one token the
    // attacker holds (its own), after which it mints tokens for every uid.
    throw new Error(`config: ${name('tokenSecret')} must be at least ${MIN_SECRET_BYTES} bytes (try \`openssl rand -base64 32\`)`);
  }
  if ((cfg.tokenJwksUrl || cfg.tokenJwksFile) && !(cfg.tokenAudience && cfg.tokenIssuer)) {
    // An identity provider's key set is shared (Firebase's by every project, an
    // Auth0 tenant's by all its apps): without aud and iss, anyone with an
    // account there can mint a token for any sub.
    const key = cfg.tokenJwksUrl ? 'tokenJwksUrl' : 'tokenJwksFile';
    throw new Error(`config: ${name(key)} needs ${name('tokenAudience')} and ${name('tokenIssuer')}`);
  }
  if (cfg.webhookUrl !== undefined || cfg.webhookSecret !== undefined) {
    // Half a webhook setup is a mistake: events unsigned, or signed for nobody.
    if (!cfg.webhookUrl || !cfg.webhookSecret) throw new Error(`config: ${name('webhookUrl')} and ${name('webhookSecret')} go together`);
    const key = webhookKey(cfg.webhookSecret);
    if (typeof key === 'string') throw new Error(`config: ${name('webhookSecret')} ${key}`);
  }
  if (cfg.env === 'production') {
    const problems = productionProblems(cfg);
    if (problems.length) throw new Error(problems.map((p) => `config: WD_ENV=production refuses ${p}`).join('\n'));
  }
}

/** What is unsafe on a server that real users reach: one line per setting, naming it. */
export function productionProblems(cfg: Config): string[] {
  const problems: string[] = [];
  if (cfg.anonymous) problems.push(`${name('anonymous')} on: anyone could sign in as any uid`);
  if (cfg.allowedOrigins.length === 0) problems.push(`an empty ${name('allowedOrigins')}: name the sites that sign in`);
  const plain = (list: string[], scheme: string) => list.filter((u) => u.startsWith(scheme));
  for (const u of plain(cfg.natsServers, 'ws://')) problems.push(`${name('natsServers')} ${u}: use wss:// (the default is ws://publicHost)`);
  for (const u of plain(cfg.allowedOrigins, 'http://')) problems.push(`${name('allowedOrigins')} ${u}: use https://`);
  if (cfg.pushLoopback) problems.push(`${name('pushLoopback')} on: push endpoints on loopback are for tests`);
  if (cfg.webhookUrl?.startsWith('http://')) problems.push(`${name('webhookUrl')} ${cfg.webhookUrl}: use https:// (call events name who called whom)`);
  if (cfg.tokenJwksUrl?.startsWith('http://')) problems.push(`${name('tokenJwksUrl')} ${cfg.tokenJwksUrl}: use https:// (a forged key set signs any token)`);
  return problems;
}
