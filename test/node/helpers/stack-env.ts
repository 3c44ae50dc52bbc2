// The stack `npm test` (scripts/test.mjs) started for us, described by WD_TEST_*
// variables, plus ways to talk to it: sign in (test/shared/sign-in.ts, with this
// stack's URL), connect to NATS, or start an extra token service with other
// settings against the same keys, NATS and TURN.
import './ws-shim.js';
import { resolve } from 'node:path';
import { connect, jwtAuthenticator, type ConnectionOptions, type NatsConnection, type Status } from 'nats.ws';
import { loadConfig, type Config } from '@wd-video/server/config.js';
import type { Session } from 'wd-video/contract';
import { loadOrCreateKeys, type StackKeys } from '@wd-video/server/keys.js';
import { startTokenService, type TokenService, type TokenServiceOptions } from '@wd-video/server/token-service.js';
import * as shared from '../../shared/sign-in.js';

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

/** The stack's sign-in URL, or that of an extra token service at `baseUrl`. */
export const authUrlOf = (baseUrl = stackEnv().httpUrl) => `${baseUrl}/v1/session`;

/** POST a JSON body to /v1/session and return the raw response. */
export const postSession = (body: unknown, baseUrl = stackEnv().httpUrl, headers: Record<string, string> = {}) => shared.postSession(authUrlOf(baseUrl), body, headers);

/** Anonymous sign-in (on by default in the test stack). */
export const signIn = (uid: string, baseUrl = stackEnv().httpUrl): Promise<Session> => shared.signIn(authUrlOf(baseUrl), uid);

/** Sign in with an app's custom token. */
export const signInWithToken = (token: string, baseUrl: string): Promise<Session> => shared.signInWithToken(authUrlOf(baseUrl), token);

/**
 * An extra, in-process token service with the stack's keys, NATS and TURN but
 * its own settings (anonymous off unless overridden). Close it in `after`.
 * A config the server refuses is a rejection (async), so tests can assert it.
 */
export async function startOwnTokenService(overrides: Partial<Config> = {}, opts: TokenServiceOptions = {}): Promise<TokenService> {
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
  return startTokenService(cfg, env.keys, opts);
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

/** Records a connection's status events (permission errors arrive only here). */
export function recordStatus(nc: NatsConnection): Status[] {
  const seen: Status[] = [];
  void (async () => {
    for await (const s of nc.status()) seen.push(s);
  })();
  return seen;
}
