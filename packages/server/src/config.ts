// Configuration of the token service and the local stack.
// Sources, later ones winning: defaults, a JSON file (WD_CONFIG), environment variables.
// Every key is documented in the README's configuration table.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface Config {
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
  /** Sign-ins per IP per rateWindow seconds. */
  rateLimit: number;
  rateWindow: number;
  bodyLimit: number;
  /** NATS limits put into each user credential. */
  maxPayload: number;
  maxSubs: number;
  /** Serve demo/ and dist/ from the token service. */
  serveStatic: boolean;
  /** TURN shared secret; generated into stateDir when not given. */
  turnSecret?: string;
}

export const defaults: Config = {
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
  rateLimit: 30,
  rateWindow: 60,
  bodyLimit: 8192,
  maxPayload: 65536,
  maxSubs: 100,
  serveStatic: false,
};

type Env = Record<string, string | undefined>;

const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);
const bool = (v: string) => /^(1|true|yes|on)$/i.test(v);
function int(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${v}"`);
  return n;
}

/** Environment variable -> config key and parser. */
const envKeys: Record<string, [keyof Config, (name: string, v: string) => unknown]> = {
  WD_STATE_DIR: ['stateDir', (_, v) => v],
  WD_HTTP_HOST: ['httpHost', (_, v) => v],
  WD_HTTP_PORT: ['httpPort', int],
  WD_PUBLIC_HOST: ['publicHost', (_, v) => v],
  WD_NATS_PORT: ['natsPort', int],
  WD_NATS_WS_PORT: ['natsWsPort', int],
  WD_NATS_SERVERS: ['natsServers', (_, v) => list(v)],
  WD_TURN_PORT: ['turnPort', int],
  WD_CREDENTIAL_TTL: ['credentialTtl', int],
  WD_ANONYMOUS: ['anonymous', (_, v) => bool(v)],
  WD_ALLOWED_ORIGINS: ['allowedOrigins', (_, v) => list(v)],
  WD_TOKEN_SECRET: ['tokenSecret', (_, v) => v],
  WD_TOKEN_JWKS_URL: ['tokenJwksUrl', (_, v) => v],
  WD_TOKEN_JWKS_FILE: ['tokenJwksFile', (_, v) => v],
  WD_TOKEN_AUDIENCE: ['tokenAudience', (_, v) => v],
  WD_TOKEN_ISSUER: ['tokenIssuer', (_, v) => v],
  WD_RATE_LIMIT: ['rateLimit', int],
  WD_RATE_WINDOW: ['rateWindow', int],
  WD_BODY_LIMIT: ['bodyLimit', int],
  WD_MAX_PAYLOAD: ['maxPayload', int],
  WD_MAX_SUBS: ['maxSubs', int],
  WD_SERVE_STATIC: ['serveStatic', (_, v) => bool(v)],
  WD_TURN_SECRET: ['turnSecret', (_, v) => v],
};

/** Build a config from defaults, an optional JSON file and the environment, then `overrides`. */
export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const cfg: Config = { ...defaults };
  if (env.WD_CONFIG) {
    const file = JSON.parse(readFileSync(resolve(env.WD_CONFIG), 'utf8')) as Partial<Config>;
    for (const [k, v] of Object.entries(file)) {
      if (!(k in defaults) && !Object.values(envKeys).some(([key]) => key === k)) {
        throw new Error(`unknown key "${k}" in ${env.WD_CONFIG}`);
      }
      (cfg as unknown as Record<string, unknown>)[k] = v;
    }
  }
  for (const [name, [key, parse]] of Object.entries(envKeys)) {
    const v = env[name];
    if (v !== undefined && v !== '') (cfg as unknown as Record<string, unknown>)[key] = parse(name, v);
  }
  Object.assign(cfg, overrides);
  if (cfg.natsServers.length === 0) cfg.natsServers = [`ws://${cfg.publicHost}:${cfg.natsWsPort}`];
  if (cfg.credentialTtl < 5) throw new Error("credentialTtl must be at least 5 seconds");
  return cfg;
}
