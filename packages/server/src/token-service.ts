// The token service: the only authority on identity. POST /v1/session turns a
// sign-in (an app's custom token, or an anonymous uid when enabled for dev)
// into NATS and TURN credentials. Every error is JSON {error: {code, message}}.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo, type Socket } from 'node:net';
import { join, resolve } from 'node:path';
import type { NatsConnection } from 'nats.ws';
import { isUid } from 'wd-video/contract';
import type { CallEventSink } from './call-events.js';
import { checkConfig, type Config } from './config.js';
import { issueSession } from './credentials.js';
import { HttpError } from './errors.js';
import type { ServiceKeys } from './keys.js';
import { clientAddress, RateLimiter, rateKey, trustedProxyList } from './rate-limit.js';
import { startHistoryService, type HistoryService } from './history/service.js';
import { serveStatic } from './static-files.js';
import { createTokenVerifier } from './verify-token.js';
import { createPushService, type PushService } from './push/service.js';
import { JetStreamPushStore } from './push/jetstream-store.js';
import { FilePushStore, type PushStore } from './push/store.js';
import { checkVapidKeys } from './push/vapid.js';
import { webhooksFromConfig, type WebhookSender } from './webhooks/index.js';

export interface TokenService {
  server: Server;
  url: string;
  port: number;
  /** The call history service, when the service user's creds were given. */
  history?: HistoryService;
  /** Present when WD_WEBHOOK_URL/SECRET are set: its stats() say what was delivered. */
  webhooks?: WebhookSender;
  close(): Promise<void>;
}

export interface TokenServiceOptions {
  /** URL prefix -> folder, served when config.serveStatic is on. */
  staticMounts?: Record<string, string>;
  /** Where push subscriptions are kept; default: a file in config.stateDir (push/store.ts says what production needs). */
  pushStore?: PushStore;
  log?: (line: string) => void;
  /**
   * The history service's NATS user (a creds file's content, history/service-user.ts):
   * with it this process also keeps the call history and emits call events.
   */
  serviceCreds?: string;
  /** Receivers of call events (webhooks); they need serviceCreds. */
  callEventSinks?: CallEventSink[];
}

export async function startTokenService(cfg: Config, keys: ServiceKeys, opts: TokenServiceOptions = {}): Promise<TokenService> {
  checkConfig(cfg);
  const verify = createTokenVerifier(cfg);
  const limiter = new RateLimiter(cfg.rateLimit, cfg.rateWindow * 1000);
  const trusted = trustedProxyList(cfg.trustedProxies);
  const hosts = allowedHosts(cfg);
  const log = opts.log ?? (() => {});
  let history: HistoryService | undefined;
  const push = startPush(cfg, keys, opts, log, () => history?.connection ?? Promise.reject(new Error('no history service')));

  /** The uid a sign-in names (an app's custom token, or an anonymous uid in development), or an HttpError. */
  async function uidOf(req: IncomingMessage, token: unknown, anonymous: unknown): Promise<string> {
    let uid: unknown;
    if (token !== undefined) {
      if (typeof token !== 'string' || token.length === 0) throw new HttpError(400, 'bad_request', '"token" must be a non-empty string');
      if (!verify) throw new HttpError(401, 'token_auth_disabled', 'custom tokens are not configured on this server');
      uid = await verify(token);
    } else {
      if (!cfg.anonymous) throw new HttpError(403, 'anonymous_disabled', 'anonymous sign-in is disabled on this server');
      checkHost(req, hosts);
      if (typeof anonymous !== 'object' || anonymous === null) throw new HttpError(400, 'bad_request', '"anonymous" must be an object {uid}');
      uid = (anonymous as { uid?: unknown }).uid;
    }
    if (!isUid(uid)) {
      throw new HttpError(400, 'invalid_uid', 'uid must be 1-64 characters of A-Z, a-z, 0-9, "_" or "-"');
    }
    return uid;
  }

  /**
   * Who calls a push endpoint: the same sign-in as POST /v1/session, in the
   * Authorization header (`Bearer <custom token>`, or `Anonymous <uid>` where
   * anonymous sign-in is on). The uid comes from it, never from the body.
   */
  function identify(req: IncomingMessage): Promise<string> {
    const m = /^(Bearer|Anonymous) +(\S+)$/.exec(req.headers.authorization ?? '');
    if (!m) throw new HttpError(401, 'unauthenticated', 'send Authorization: Bearer <sign-in token> (or Anonymous <uid> in development)');
    return m[1] === 'Bearer' ? uidOf(req, m[2], undefined) : uidOf(req, undefined, { uid: m[2] });
  }

  /** Sign-ins and push requests per client address (both check a sign-in token). Returns the address. */
  function limitByAddress(req: IncomingMessage): string {
    const ip = clientAddress(req, trusted);
    const wait = limiter.take(rateKey(ip));
    if (wait) throw new HttpError(429, 'rate_limited', 'too many sign-ins, try again later', { 'retry-after': String(wait) });
    return ip;
  }

  async function signIn(req: IncomingMessage): Promise<unknown> {
    const ip = limitByAddress(req);
    const body = await readJsonBody(req, cfg.bodyLimit);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'bad_request', 'the body must be a JSON object');
    const { token, anonymous } = body as { token?: unknown; anonymous?: unknown };
    if (token === undefined && anonymous === undefined) throw new HttpError(400, 'bad_request', 'send {"token": "..."} or {"anonymous": {"uid": "..."}}');
    const uid = await uidOf(req, token, anonymous);
    // `push` tells the caller's SDK whether asking for a push ring is worth a request.
    const session = { ...(await issueSession(cfg, keys, uid)), push: push !== undefined };
    log(`session issued uid=${uid} ip=${ip}`); // never the JWT or TURN credential
    return session;
  }

  const timeout = cfg.requestTimeout * 1000;
  const server = createServer(
    {
      // A client must send its whole request within requestTimeout (a sign-in
      // is a few KB), and an idle keep-alive socket is closed after 5 s. Node
      // checks these only every connectionsCheckingInterval (default 30 s),
      // which would let a slowloris client hold a socket three times longer.
      headersTimeout: timeout,
      requestTimeout: timeout,
      keepAliveTimeout: 5000,
      connectionsCheckingInterval: Math.min(1000, timeout),
    },
    async (req, res) => {
      const cors = corsHeaders(cfg, req);
      try {
        // Inside the try: `new URL` throws on request targets like `http://[`, and an
        // exception escaping this async handler would crash the whole service.
        const url = parseUrl(req.url);
        if (url.pathname === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
          return send(res, 200, { ok: true }, cors);
        }
        if (url.pathname === '/v1/session') {
          if (preflight(req, res, cors)) return;
          if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'use POST', { allow: 'POST, OPTIONS' });
          checkOrigin(req, cors, 'this origin may not sign in here');
          return send(res, 200, await signIn(req), cors);
        }
        if (url.pathname.startsWith('/v1/push/')) {
          if (preflight(req, res, cors)) return;
          checkOrigin(req, cors, 'this origin may not use push here');
          if (!push) throw new HttpError(404, 'push_disabled', 'Web Push is not configured on this server (no VAPID keys)');
          limitByAddress(req);
          const uid = await identify(req);
          const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await readJsonBody(req, cfg.bodyLimit);
          const [status, reply] = await push.handle(req.method ?? '', url.pathname, uid, body);
          return send(res, status, reply, cors);
        }
        if (cfg.serveStatic && req.method === 'GET' && opts.staticMounts) {
          checkHost(req, hosts);
          if (url.pathname === '/') {
            res.writeHead(302, { location: '/demo/' });
            return res.end();
          }
          if (serveStatic(url.pathname, opts.staticMounts, res)) return;
        }
        throw new HttpError(404, 'not_found', 'no such resource');
      } catch (e) {
        const err = e instanceof HttpError ? e : new HttpError(500, 'internal', 'internal error');
        if (!(e instanceof HttpError)) log(`internal error: ${(e as Error)?.stack ?? e}`);
        if (!res.headersSent) send(res, err.status, { error: { code: err.code, message: err.message } }, { ...cors, ...err.headers });
        else res.destroy();
      }
    },
  );
  // Past the cap Node closes new sockets at once: sockets, not memory, are what a flood of slow clients exhausts.
  server.maxConnections = cfg.maxConnections;
  server.on('clientError', (e: NodeJS.ErrnoException, socket: Socket) => {
    // Malformed HTTP or a request too slow to arrive: answer in JSON like every other error, then close.
    if (!socket.writable || e.code === 'ECONNRESET') return socket.destroy();
    const [status, code] = e.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'request_timeout'] : [400, 'bad_request'];
    const body = JSON.stringify({ error: { code, message: status === 408 ? 'the request took too long to arrive' : 'malformed HTTP request' } });
    socket.end(
      `HTTP/1.1 ${status} ${status === 408 ? 'Request Timeout' : 'Bad Request'}\r\ncontent-type: application/json; charset=utf-8\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\ncache-control: no-store\r\nconnection: close\r\n\r\n${body}`,
      () => socket.destroy(),
    );
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(cfg.httpPort, cfg.httpHost, () => ok());
  });
  const port = (server.address() as AddressInfo).port;
  // The operator's webhooks get the call events the history service learns (none without it).
  const webhooks = webhooksFromConfig(cfg, { log });
  if (webhooks && !opts.serviceCreds) log('webhooks configured, but the history service is off (no service credentials): no call events to send');
  history = opts.serviceCreds
    ? startHistoryService({
        servers: cfg.natsServers,
        creds: opts.serviceCreds,
        retentionMs: Math.round(cfg.historyRetentionDays * 86_400_000),
        maxPerUser: cfg.historyMaxPerUser,
        replicas: cfg.historyReplicas,
        sinks: [...(opts.callEventSinks ?? []), ...(webhooks ? [webhooks.sink] : [])],
        log,
      })
    : undefined;
  return {
    server,
    port,
    url: `http://${cfg.httpHost}:${port}`,
    ...(history ? { history } : {}),
    ...(webhooks ? { webhooks } : {}),
    close: async () => {
      await history?.close();
      await webhooks?.close();
      await new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      });
    },
  };
}

/**
 * The push endpoints, or undefined when there is no VAPID key pair (config or key folder).
 * Subscriptions go to JetStream when the service user is there (every instance
 * sees them), else to a file in the state folder (one instance).
 */
function startPush(
  cfg: Config,
  keys: ServiceKeys,
  opts: TokenServiceOptions,
  log: (line: string) => void,
  serviceConnection: () => Promise<NatsConnection>,
): PushService | undefined {
  const vapid = cfg.vapidPublicKey && cfg.vapidPrivateKey ? checkVapidKeys({ publicKey: cfg.vapidPublicKey, privateKey: cfg.vapidPrivateKey }) : keys.vapid;
  if (!vapid) return undefined;
  const store =
    opts.pushStore ??
    (opts.serviceCreds
      ? new JetStreamPushStore({ connection: serviceConnection, replicas: cfg.historyReplicas, log })
      : new FilePushStore(join(resolve(cfg.stateDir), 'push-subscriptions.json')));
  return createPushService(store, {
    vapid,
    subject: cfg.vapidSubject,
    rules: { hosts: cfg.pushEndpointHosts, loopback: cfg.pushLoopback },
    maxDevices: cfg.pushMaxDevices,
    ringLimit: cfg.pushRingLimit,
    changeLimit: cfg.rateLimit,
    windowMs: cfg.rateWindow * 1000,
    log,
  });
}

/**
 * The host names the dev features (anonymous sign-in, static pages) answer to.
 * DNS rebinding: a page on evil.example re-resolves its own name to 127.0.0.1,
 * and its requests reach a developer's `npm start` as same-origin, with
 * `Host: evil.example`. Refusing unknown Host names stops it there.
 */
function allowedHosts(cfg: Config): Set<string> {
  const hosts = new Set(['localhost', '127.0.0.1', '::1']);
  for (const h of [cfg.publicHost, cfg.httpHost]) hosts.add(h.toLowerCase().replace(/^\[|\]$/g, ''));
  for (const o of cfg.allowedOrigins) if (o !== '*') hosts.add(new URL(o).hostname.replace(/^\[|\]$/g, ''));
  // A wildcard address names no host: a page must not reach us as http://0.0.0.0.
  hosts.delete('0.0.0.0');
  hosts.delete('::');
  return hosts;
}

function checkHost(req: IncomingMessage, hosts: Set<string>) {
  let name: string | undefined;
  try {
    name = new URL(`http://${req.headers.host ?? ''}`).hostname.replace(/^\[|\]$/g, '');
  } catch {
    name = undefined;
  }
  const loopback = !!name && (name.endsWith('.localhost') || (isIP(name) === 4 && name.startsWith('127.')));
  if (!name || !(loopback || hosts.has(name))) {
    throw new HttpError(421, 'host_not_allowed', 'this server does not answer for that host name');
  }
}

function parseUrl(target: string | undefined): URL {
  try {
    return new URL(target ?? '/', 'http://localhost');
  } catch {
    throw new HttpError(400, 'bad_request', 'the request URL is invalid');
  }
}

/** Answers a CORS preflight (the allow headers are in `cors`); true when it did. */
function preflight(req: IncomingMessage, res: ServerResponse, cors: Record<string, string>): boolean {
  if (req.method !== 'OPTIONS') return false;
  res.writeHead(204, { ...cors, 'access-control-max-age': '600' });
  res.end();
  return true;
}

/** A page of another site that CORS does not allow gets 403 (our own pages are same-origin). */
function checkOrigin(req: IncomingMessage, cors: Record<string, string>, message: string) {
  if (req.headers.origin && !cors['access-control-allow-origin'] && !sameOrigin(req)) throw new HttpError(403, 'origin_not_allowed', message);
}

/**
 * Browsers send Origin on every POST, also from our own pages (the demo).
 * A page of another site carries its own origin, which does not match our Host.
 */
function sameOrigin(req: IncomingMessage): boolean {
  const { origin, host } = req.headers;
  return !!origin && !!host && (origin === `http://${host}` || origin === `https://${host}`);
}

function corsHeaders(cfg: Config, req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  const h: Record<string, string> = { vary: 'Origin' };
  if (origin && (cfg.allowedOrigins.includes(origin) || cfg.allowedOrigins.includes('*'))) {
    h['access-control-allow-origin'] = origin;
    // GET, PUT and DELETE, and the Authorization header, for the push endpoints.
    h['access-control-allow-methods'] = 'GET, POST, PUT, DELETE, OPTIONS';
    h['access-control-allow-headers'] = 'content-type, authorization';
  }
  return h;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(json);
}

/** The request's JSON body; 415 unless it is declared application/json. */
function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
    return Promise.reject(new HttpError(415, 'unsupported_media_type', 'send JSON with content-type application/json'));
  }
  return readJson(req, limit);
}

function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.reject(new HttpError(413, 'body_too_large', `the body is larger than ${limit} bytes`));
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        fail(new HttpError(413, 'body_too_large', `the body is larger than ${limit} bytes`));
        req.pause();
        return;
      }
      chunks.push(c);
    });
    req.on('error', () => fail(new HttpError(400, 'bad_request', 'the request body could not be read')));
    req.on('end', () => {
      try {
        ok(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        fail(new HttpError(400, 'bad_json', 'the body is not valid JSON'));
      }
    });
  });
}
