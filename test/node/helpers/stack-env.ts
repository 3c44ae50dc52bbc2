// The stack `npm test` (scripts/test.mjs) started for us, described by WD_TEST_*
// variables, plus ways to talk to it: sign in, connect to NATS, or start an extra
// token service with other settings against the same keys, NATS and TURN.
import './ws-shim.js';
import { resolve } from 'node:path';
import { connect, jwtAuthenticator, type ConnectionOptions, type NatsConnection } from 'nats.ws';
import { loadConfig, type Config } from '@wd-video/server/config.js';
import type { Session } from 'wd-video/contract';
import { loadOrCreateKeys, type StackKeys } from '@wd-video/server/keys.js';
import { startTokenService, type TokenService } from '@wd-video/server/token-service.js';

export type { Session };

function need(name: string): string {
  const v = process.env[name];
  // Without the stack these tests mean nothing; say how to run them.
  if (!v) throw new Error(`${name} is not set: run the node suite with \`npm test -- node\``);
  return v;
}

export interface StackEnv {
  httpUrl: string;
  stateDir: string;
  natsWs: string[];
  natsPort: number;
  turnPort: number;
  keys: StackKeys;
}

let cached: StackEnv | undefined;

export function stackEnv(): StackEnv {
  if (cached) return cached;
  const stateDir = resolve(need('WD_TEST_STATE_DIR'));
  cached = {
    httpUrl: need('WD_TEST_HTTP_URL'),
    stateDir,
    natsWs: need('WD_TEST_NATS_WS').split(','),
    natsPort: Number(need('WD_TEST_NATS_PORT')),
    turnPort: Number(need('WD_TEST_TURN_PORT')),
    // The stack created keys.json before the tests started, so this only reads it.
    keys: loadOrCreateKeys(stateDir),
  };
  return cached;
}

/** A uid no other test (or earlier run) uses, so messages cannot cross between tests. */
export const uniqueUid = (name: string) => `${name}-${Math.random().toString(36).slice(2, 10)}`;

/** POST a JSON body to /v1/session and return the raw response. */
export function postSession(body: unknown, baseUrl = stackEnv().httpUrl, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${baseUrl}/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function sessionFrom(res: Response): Promise<Session> {
  const text = await res.text();
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${text}`);
  return JSON.parse(text) as Session;
}

/** Anonymous sign-in (on by default in the test stack). */
export async function signIn(uid: string, baseUrl = stackEnv().httpUrl): Promise<Session> {
  return sessionFrom(await postSession({ anonymous: { uid } }, baseUrl));
}

/** Sign in with an app's custom token. */
export async function signInWithToken(token: string, baseUrl: string): Promise<Session> {
  return sessionFrom(await postSession({ token }, baseUrl));
}

/**
 * An extra, in-process token service with the stack's keys, NATS and TURN but
 * its own settings (anonymous off unless overridden). Close it in `after`.
 */
export function startOwnTokenService(overrides: Partial<Config> = {}): Promise<TokenService> {
  const env = stackEnv();
  const cfg = loadConfig(
    {}, // not process.env: WD_* of the caller must not leak into the test's settings
    {
      stateDir: env.stateDir,
      httpPort: 0,
      natsServers: env.natsWs,
      turnPort: env.turnPort,
      anonymous: false,
      ...overrides,
    },
  );
  return startTokenService(cfg, env.keys);
}

/** Connect like the SDK does: bearer JWT over WebSocket, inbox under `_INBOX.<uid>`. */
export function connectNats(session: Session, opts: Partial<ConnectionOptions> = {}): Promise<NatsConnection> {
  return connect({
    servers: session.nats.servers,
    authenticator: jwtAuthenticator(session.nats.jwt),
    inboxPrefix: `_INBOX.${session.uid}`,
    name: session.uid,
    reconnect: false, // a test wants to see a refusal, not a retry loop
    timeout: 5000,
    ...opts,
  });
}
