// A push service on loopback, for tests: it stands where FCM or Mozilla's
// autopush would, so the token service's real `web-push` output is checked
// without the internet. For each POST it verifies the VAPID header (an ES256
// JWT, RFC 8292, signed by the key the token service publishes, for this
// endpoint's origin) and decrypts the aes128gcm body (RFC 8291/8188) with the
// subscription keys the test made, using only node:crypto. A message that fails
// either check is answered 400 and recorded with its `problem`.
import { createDecipheriv, createECDH, hkdfSync, randomBytes, type ECDH } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { importJWK, jwtVerify } from 'jose';

/** A browser's push subscription, made by the test: the keys stay here so the receiver can decrypt. */
export interface TestSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  ecdh: ECDH;
  authSecret: Buffer;
}

export interface ReceivedPush {
  endpoint: string;
  /** The decrypted payload as JSON, when the checks passed. */
  payload?: unknown;
  /** The decrypted payload as text: what a push service hands the browser (and CDP's deliverPushMessage takes). */
  text?: string;
  ttl: number;
  topic?: string;
  urgency?: string;
  jwt?: { aud: string; sub: string; exp: number };
  problem?: string;
  at: number;
}

export interface PushReceiver {
  url: string;
  received: ReceivedPush[];
  /** A new subscription with an endpoint here; `status` is what this endpoint answers (410: gone). */
  subscribe(name: string, status?: number): TestSubscription;
  /** Resolves with the next push to `endpoint` (or one already received after `since` messages). */
  next(endpoint: string, since?: number, ms?: number): Promise<ReceivedPush>;
  close(): Promise<void>;
}

/** RFC 8291 §3.4 and RFC 8188 §2: the payload of a single-record aes128gcm body. */
export function decryptAes128gcm(body: Buffer, sub: { ecdh: ECDH; authSecret: Buffer }): Buffer {
  const salt = body.subarray(0, 16);
  const idlen = body[20]!;
  const asPublic = body.subarray(21, 21 + idlen);
  const ciphertext = body.subarray(21 + idlen);
  const uaPublic = sub.ecdh.getPublicKey();
  const secret = sub.ecdh.computeSecret(asPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), uaPublic, asPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', secret, sub.authSecret, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  // The last record ends with the delimiter 0x02, then zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error('no last-record delimiter');
  return padded.subarray(0, end);
}

/** Checks `Authorization: vapid t=<jwt>, k=<key>` against the key the token service publishes. */
async function checkVapid(header: string | undefined, publicKey: string, audience: string) {
  const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header ?? '');
  if (!m) throw new Error(`no VAPID authorization header: ${header}`);
  if (m[2] !== publicKey) throw new Error('the VAPID k= is not the token service key');
  const raw = Buffer.from(publicKey, 'base64url');
  const key = await importJWK({ kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33, 65).toString('base64url') }, 'ES256');
  const { payload } = await jwtVerify(m[1]!, key, { algorithms: ['ES256'], audience, requiredClaims: ['exp', 'sub'] });
  if ((payload.exp as number) > Date.now() / 1000 + 24 * 3600 + 60) throw new Error('VAPID exp is more than 24 h ahead');
  return { aud: payload.aud as string, sub: payload.sub as string, exp: payload.exp as number };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => ok(Buffer.concat(chunks)));
    req.on('error', fail);
  });
}

/** Starts the receiver on 127.0.0.1; `vapidPublicKey` is what GET /v1/push/key returned. */
export async function startPushReceiver(vapidPublicKey: string): Promise<PushReceiver> {
  const subs = new Map<string, { sub: TestSubscription; status: number }>();
  const received: ReceivedPush[] = [];
  const waiters: (() => void)[] = [];
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const endpoint = `${url}${req.url}`;
    const entry = subs.get(endpoint);
    const msg: ReceivedPush = {
      endpoint,
      ttl: Number(req.headers.ttl),
      topic: req.headers.topic as string | undefined,
      urgency: req.headers.urgency as string | undefined,
      at: Date.now(),
    };
    try {
      if (!entry) throw new Error('unknown endpoint');
      if (req.method !== 'POST') throw new Error(`method ${req.method}`);
      if (req.headers['content-encoding'] !== 'aes128gcm') throw new Error(`content-encoding ${req.headers['content-encoding']}`);
      msg.jwt = await checkVapid(req.headers.authorization, vapidPublicKey, url);
      msg.text = decryptAes128gcm(body, entry.sub).toString('utf8');
      msg.payload = JSON.parse(msg.text);
    } catch (e) {
      msg.problem = (e as Error).message;
    }
    received.push(msg);
    for (const w of waiters.splice(0)) w();
    res.writeHead(msg.problem ? 400 : entry!.status).end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    subscribe(name, status = 201) {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const authSecret = randomBytes(16);
      const sub: TestSubscription = {
        endpoint: `${url}/push/${name}`,
        keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: authSecret.toString('base64url') },
        ecdh,
        authSecret,
      };
      subs.set(sub.endpoint, { sub, status });
      return sub;
    },
    async next(endpoint, since = 0, ms = 10_000) {
      const end = Date.now() + ms;
      for (;;) {
        const hit = received.slice(since).find((m) => m.endpoint === endpoint);
        if (hit) return hit;
        const left = end - Date.now();
        if (left <= 0) throw new Error(`no push to ${endpoint} within ${ms} ms`);
        await new Promise<void>((ok) => {
          const t = setTimeout(ok, left);
          waiters.push(() => (clearTimeout(t), ok()));
        });
      }
    },
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}
