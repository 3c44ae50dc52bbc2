// Attacks on the token service's HTTP side: picking one's own rate-limit
// bucket, a proxy that makes every user share one, slow clients holding
// sockets, too many sockets, and DNS rebinding against a developer's stack.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { RateLimiter } from '@wd-video/server/rate-limit.js';
import type { TokenService } from '@wd-video/server/token-service.js';
import { expectError } from '../helpers/http-assert.js';
import { postSession, stackEnv, startOwnTokenService } from '../helpers/stack-env.js';
import { until, within } from '../../shared/wait.js';

const anon = { anonymous: { uid: 'alice' } };
const from = (xff: string) => ({ 'x-forwarded-for': xff });

describe('rate limit: the client address', () => {
  test('without trusted proxies, X-Forwarded-For cannot pick a fresh bucket', async () => {
    const svc = await startOwnTokenService({ anonymous: true, rateLimit: 2 });
    try {
      for (const ip of ['1.1.1.1', '2.2.2.2']) assert.equal((await postSession(anon, svc.url, from(ip))).status, 200);
      await expectError(await postSession(anon, svc.url, from('3.3.3.3')), 429, 'rate_limited');
    } finally {
      await svc.close();
    }
  });

  test('behind a trusted proxy each client has its own bucket', async () => {
    // This test's socket (127.0.0.1) plays the proxy. Before trustedProxies,
    // every user behind it shared one bucket: one abuser locked out everyone.
    const svc = await startOwnTokenService({ anonymous: true, rateLimit: 2, trustedProxies: ['127.0.0.1'] });
    try {
      for (let i = 0; i < 2; i++) assert.equal((await postSession(anon, svc.url, from('203.0.113.7'))).status, 200);
      await expectError(await postSession(anon, svc.url, from('203.0.113.7')), 429, 'rate_limited');
      assert.equal((await postSession(anon, svc.url, from('198.51.100.9'))).status, 200, 'another user behind the proxy still signs in');
      // What the client wrote itself sits left of what the proxy appended, and is not read.
      await expectError(await postSession(anon, svc.url, from('198.51.100.1, 203.0.113.7')), 429, 'rate_limited');
      // IPv6: one client holds a whole /64, so another address in it is the same client.
      for (let i = 0; i < 2; i++) assert.equal((await postSession(anon, svc.url, from(`2001:db8:1:2::${i + 1}`))).status, 200);
      await expectError(await postSession(anon, svc.url, from('2001:db8:1:2:ffff::9')), 429, 'rate_limited');
    } finally {
      await svc.close();
    }
  });

  test('a chain of trusted proxies is skipped from the right', async () => {
    const svc = await startOwnTokenService({ anonymous: true, rateLimit: 1, trustedProxies: ['127.0.0.1', '10.0.0.0/8'] });
    try {
      assert.equal((await postSession(anon, svc.url, from('192.0.2.5, 10.1.2.3'))).status, 200);
      await expectError(await postSession(anon, svc.url, from('spoofed, 192.0.2.5, 10.9.9.9')), 429, 'rate_limited');
    } finally {
      await svc.close();
    }
  });

  test('WD_RATE_LIMIT=0 means no limit (it used to refuse every sign-in)', async () => {
    const svc = await startOwnTokenService({ anonymous: true, rateLimit: 0 });
    try {
      for (let i = 0; i < 5; i++) assert.equal((await postSession(anon, svc.url)).status, 200);
    } finally {
      await svc.close();
    }
  });
});

describe('rate limiter bookkeeping', () => {
  test('many live keys: each take() stays cheap (no sweep of the whole map per call)', () => {
    const limiter = new RateLimiter(1, 60_000);
    // 30,000 live windows. The old limiter walked all of them on every call
    // past 10,000 keys: these 60,000 calls cost it over a billion steps
    // (tens of seconds); amortised expiry does them in milliseconds, so the
    // bound below has a wide margin for a busy machine.
    const t0 = performance.now();
    for (let i = 0; i < 60_000; i++) limiter.take(`k${i}`, 1000 + (i % 2));
    const ms = performance.now() - t0;
    assert.ok(ms < 2000, `60,000 takes with up to 60,000 live keys took ${ms.toFixed(0)} ms`);
    assert.equal(limiter.size, 60_000);
  });

  test('expired windows are dropped and limits still hold', () => {
    const limiter = new RateLimiter(2, 1000);
    for (let i = 0; i < 100; i++) limiter.take(`old${i}`, 0);
    assert.equal(limiter.take('a', 500), 0);
    assert.equal(limiter.take('a', 600), 0);
    assert.equal(limiter.take('a', 700), 1, 'third in the window waits');
    // One call after the window: every expired key is gone, only live ones stay.
    assert.equal(limiter.take('b', 1000), 0);
    assert.equal(limiter.size, 2, 'the 100 expired windows are gone, a and b remain');
    assert.equal(limiter.take('a', 1500), 0, 'a new window for a');
    assert.equal(limiter.take('a', 1600), 0);
    assert.ok(limiter.take('a', 1700) > 0);
  });
});

/** Opens a raw TCP connection and records what comes back and when it closes. */
function rawClient(port: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  let data = '';
  socket.setEncoding('latin1').on('data', (d: string) => (data += d));
  socket.on('error', () => {}); // a reset is one way of being cut off
  const closed = new Promise<void>((ok) => socket.once('close', () => ok()));
  const connected = new Promise<void>((ok) => socket.once('connect', () => ok()));
  return { socket, closed, connected, data: () => data };
}

describe('slow and numerous clients', () => {
  test('a slowloris client sending headers byte by byte is cut off with a JSON 408', { timeout: 20_000 }, async () => {
    const svc = await startOwnTokenService({ anonymous: true, requestTimeout: 1 });
    const c = rawClient(svc.port);
    // One header byte every 100 ms forever: never a complete request. Before
    // the fix Node allowed 10 s for headers and looked only every 30 s.
    const drip = setInterval(() => c.socket.writable && c.socket.write('a'), 100);
    try {
      await c.connected;
      c.socket.write('POST /v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
      await within(c.closed, 6000, 'the server closing the slow connection');
      assert.match(c.data(), /^HTTP\/1\.1 408 /);
      assert.match(c.data(), /"code":"request_timeout"/);
    } finally {
      clearInterval(drip);
      c.socket.destroy();
      await svc.close();
    }
  });

  test('a connection that sends nothing is closed too', { timeout: 20_000 }, async () => {
    const svc = await startOwnTokenService({ anonymous: true, requestTimeout: 1 });
    const c = rawClient(svc.port);
    try {
      await within(c.closed, 6000, 'the server closing the idle connection');
    } finally {
      c.socket.destroy();
      await svc.close();
    }
  });

  test('past maxConnections new sockets are closed at once; the service recovers when one goes', async () => {
    const svc = await startOwnTokenService({ anonymous: true, maxConnections: 2, requestTimeout: 60 });
    const held = [rawClient(svc.port), rawClient(svc.port)];
    try {
      await Promise.all(held.map((c) => c.connected));
      await until(
        () => new Promise<boolean>((ok) => svc.server.getConnections((_e, n) => ok(n === 2))),
        5000,
        'the server counting both held connections',
      );
      const extra = rawClient(svc.port);
      await within(extra.closed, 3000, 'the server closing the connection over the cap');
      assert.equal(extra.data(), '');
      held[0].socket.destroy();
      await held[0].closed;
      await until(
        () => new Promise<boolean>((ok) => svc.server.getConnections((_e, n) => ok(n < 2))),
        5000,
        'the server noticing a held connection went',
      );
      const res = await fetch(`${svc.url}/healthz`);
      assert.equal(res.status, 200);
    } finally {
      for (const c of held) c.socket.destroy();
      await svc.close();
    }
  });
});

/** A request with a Host header of our choosing (fetch does not let us set Host). */
function withHost(url: string, host: string, method: 'GET' | 'POST', body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return new Promise((ok, fail) => {
    const req = request(url, { method, headers: { host, 'content-type': 'application/json', ...headers } }, (r) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c)).on('end', () => {
        const h = new Headers();
        for (const [k, v] of Object.entries(r.headers)) if (typeof v === 'string') h.set(k, v);
        ok(new Response(Buffer.concat(chunks), { status: r.statusCode, headers: h }));
      });
    });
    req.on('error', fail);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe('DNS rebinding against the development stack (anonymous sign-in and static pages on)', () => {
  const { httpUrl } = stackEnv();
  const port = new URL(httpUrl).port;

  test('anonymous sign-in with Host: evil.example -> 421 host_not_allowed', async () => {
    // The rebinding page is same-origin with itself: Origin matches Host.
    const res = await withHost(`${httpUrl}/v1/session`, `evil.example:${port}`, 'POST', anon, { origin: `http://evil.example:${port}` });
    await expectError(res, 421, 'host_not_allowed');
  });

  test('static pages with Host: evil.example -> 421', async () => {
    await expectError(await withHost(`${httpUrl}/demo/`, `evil.example:${port}`, 'GET'), 421, 'host_not_allowed');
    await expectError(await withHost(`${httpUrl}/`, 'evil.example', 'GET'), 421, 'host_not_allowed');
  });

  test('loopback names still work', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `app.localhost:${port}`]) {
      const res = await withHost(`${httpUrl}/v1/session`, host, 'POST', anon);
      assert.equal(res.status, 200, `${host}: ${await res.text()}`);
    }
  });

  describe('a configured publicHost or allowed origin', () => {
    let svc: TokenService;
    before(async () => {
      svc = await startOwnTokenService({ anonymous: true, publicHost: 'video.example', allowedOrigins: ['https://app.example'] });
    });
    after(() => svc?.close());

    test('is answered; other names are not', async () => {
      for (const host of ['video.example', 'app.example:443']) {
        assert.equal((await withHost(`${svc.url}/v1/session`, host, 'POST', anon)).status, 200, host);
      }
      await expectError(await withHost(`${svc.url}/v1/session`, 'evil.example', 'POST', anon), 421, 'host_not_allowed');
    });
  });
});
