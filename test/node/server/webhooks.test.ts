// Webhooks as the operator's backend sees them: a real HTTP receiver on
// loopback gets signed call events that the Standard Webhooks reference
// library verifies, retries carry the same id (the idempotency key) until the
// receiver takes them, and a misconfiguration is refused at start.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import type { CallEvent } from '@wd-video/server/call-events.js';
import { loadConfig } from '@wd-video/server/config.js';
import { createWebhookSender, webhookKey, webhooksFromConfig, type WebhookSender } from '@wd-video/server/webhooks/index.js';
import { Receiver } from '../helpers/webhook-receiver.js';
import { sleep, until } from '../../shared/wait.js';

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const key = webhookKey(SECRET) as Buffer;

const event = (over: Partial<CallEvent> = {}): CallEvent => ({
  kind: 'missed',
  callId: 'call-abcdefgh',
  caller: 'alice',
  callee: 'bob',
  at: Date.parse('2026-11-30T12:00:00Z'),
  reason: 'timeout',
  ...over,
});

describe('webhooks: signed call events with retries', () => {
  let rx: Receiver;
  const senders: WebhookSender[] = [];
  const sender = (o: Partial<Parameters<typeof createWebhookSender>[0]> = {}) => {
    const s = createWebhookSender({ url: rx.url, key, retryDelaysMs: [50, 50, 50], ...o });
    senders.push(s);
    return s;
  };
  before(async () => {
    rx = await new Receiver().start();
  });
  after(async () => {
    await Promise.all(senders.map((s) => s.close()));
    await rx.close();
  });

  test('the Standard Webhooks reference library verifies each event, and its body says what happened', async () => {
    rx.got = [];
    const s = sender();
    s.sink(event());
    s.sink(event({ kind: 'ended', reason: 'hangup', durationMs: 61_500 }));
    await until(() => rx.got.length === 2, 5000, 'two deliveries');
    const verifier = new Webhook(SECRET);
    const bodies = rx.got.map((r) => verifier.verify(r.body, r.headers as Record<string, string>) as { type: string; timestamp: string; data: Record<string, unknown> });
    assert.deepEqual(bodies.map((b) => b.type).sort(), ['call.ended', 'call.missed']);
    const ended = bodies.find((b) => b.type === 'call.ended')!;
    assert.deepEqual(ended.data, { callId: 'call-abcdefgh', caller: 'alice', callee: 'bob', reason: 'hangup', durationMs: 61_500 });
    assert.equal(ended.timestamp, '2026-11-30T12:00:00.000Z');
    assert.equal(rx.got[0].headers['content-type'], 'application/json');
    assert.deepEqual(s.stats(), { delivered: 2, failed: 0, retried: 0, dropped: 0, pending: 0 });
  });

  test('a tampered body, a wrong secret or an old timestamp does not verify', async () => {
    rx.got = [];
    sender().sink(event());
    await until(() => rx.got.length === 1, 5000, 'a delivery');
    const { headers, body } = rx.got[0];
    const h = headers as Record<string, string>;
    assert.throws(() => new Webhook(SECRET).verify(body.replace('alice', 'mallory'), h), /signature/i);
    assert.throws(() => new Webhook(`whsec_${Buffer.alloc(32, 8).toString('base64')}`).verify(body, h), /signature/i);
    // The scheme by hand (HMAC-SHA256 over id.timestamp.body), independent of both implementations.
    const mac = createHmac('sha256', key).update(`${h['webhook-id']}.${h['webhook-timestamp']}.${body}`).digest('base64');
    assert.equal(h['webhook-signature'], `v1,${mac}`);
    const old = String(Number(h['webhook-timestamp']) - 600);
    const oldMac = createHmac('sha256', key).update(`${h['webhook-id']}.${old}.${body}`).digest('base64');
    assert.throws(() => new Webhook(SECRET).verify(body, { ...h, 'webhook-timestamp': old, 'webhook-signature': `v1,${oldMac}` }), /timestamp/i);
  });

  test('503, then 500, then 200: three attempts, one id, one event delivered', async () => {
    rx.got = [];
    rx.script = [503, 500];
    const s = sender();
    s.sink(event({ callId: 'call-retry0001' }));
    await until(() => s.stats().delivered === 1, 5000, 'the delivery after two failures');
    assert.equal(rx.got.length, 3);
    assert.deepEqual(new Set(rx.got.map((r) => r.headers['webhook-id'])), new Set(['call-retry0001_missed']));
    assert.deepEqual(new Set(rx.got.map((r) => r.body)).size, 1, 'every attempt carries the same body');
    assert.deepEqual(s.stats(), { delivered: 1, failed: 0, retried: 2, dropped: 0, pending: 0 });
  });

  test('the same event reported twice carries the same idempotency key; different kinds do not', async () => {
    rx.got = [];
    const s = sender();
    s.sink(event({ callId: 'call-twice001', kind: 'answered' }));
    s.sink(event({ callId: 'call-twice001', kind: 'answered' }));
    s.sink(event({ callId: 'call-twice001', kind: 'ended' }));
    await until(() => rx.got.length === 3, 5000, 'three deliveries');
    const ids = rx.got.map((r) => r.headers['webhook-id']).sort();
    assert.deepEqual(ids, ['call-twice001_answered', 'call-twice001_answered', 'call-twice001_ended']);
  });

  test('a 400 is not retried (a retry cannot fix it), and neither is a redirect', async () => {
    rx.got = [];
    rx.script = [400, { status: 302, headers: { location: 'http://127.0.0.1:1/elsewhere' } }];
    const lines: string[] = [];
    const s = sender({ log: (l) => lines.push(l) });
    s.sink(event({ callId: 'call-bad00001' }));
    s.sink(event({ callId: 'call-bad00002' }));
    await until(() => s.stats().failed === 2, 5000, 'both given up');
    assert.equal(rx.got.length, 2, 'one attempt each, and the redirect was not followed');
    assert.ok(lines.some((l) => /HTTP 400; not retried/.test(l)) && lines.some((l) => /302 \(redirects are not followed\)/.test(l)), lines.join('\n'));
  });

  test('429 with Retry-After waits at least that long before the next attempt', async () => {
    rx.got = [];
    rx.script = [{ status: 429, headers: { 'retry-after': '1' } }];
    const s = sender({ retryDelaysMs: [10] });
    s.sink(event({ callId: 'call-slow0001' }));
    await until(() => s.stats().delivered === 1, 5000, 'the delivery after Retry-After');
    const [first, second] = rx.got.map((r) => Number(r.headers['webhook-timestamp']));
    assert.ok(second - first >= 1, `second attempt ${second - first} s after the first (Retry-After: 1)`);
  });

  test('a receiver that is down: retried until it is up, then given up after the last attempt', async () => {
    const down = await new Receiver().start();
    const url = down.url;
    await down.close(); // the port is now refused
    const s = sender({ url, retryDelaysMs: [20, 20] });
    s.sink(event({ callId: 'call-down0001' }));
    await until(() => s.stats().failed === 1, 5000, 'given up');
    assert.deepEqual(s.stats(), { delivered: 0, failed: 1, retried: 2, dropped: 0, pending: 0 });
  });

  test('a full queue drops the oldest waiting event and counts it; the service keeps running', async () => {
    rx.got = [];
    // The receiver holds every request until released: nothing completes while the queue fills.
    let release!: () => void;
    const gate = new Promise<void>((ok) => (release = ok));
    const slow = await new Receiver().start();
    slow.server.removeAllListeners('request');
    slow.server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        slow.got.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        void gate.then(() => res.writeHead(200).end());
      });
    });
    try {
      const s = sender({ url: slow.url, concurrency: 1, maxPending: 3 });
      for (let i = 0; i < 6; i++) s.sink(event({ callId: `call-full000${i}` }));
      assert.deepEqual(s.stats(), { delivered: 0, failed: 0, retried: 0, dropped: 3, pending: 3 });
      release();
      await until(() => s.stats().delivered === 3, 5000, 'the rest delivered');
      // In flight first (0), then the newest two: the oldest waiting ones went.
      assert.deepEqual(slow.got.map((r) => r.headers['webhook-id']), ['call-full0000_missed', 'call-full0004_missed', 'call-full0005_missed']);
    } finally {
      await slow.close();
    }
  });

  test('close() stops retries: nothing is sent after it', async () => {
    rx.got = [];
    rx.script = [503];
    const s = sender({ retryDelaysMs: [200] });
    s.sink(event({ callId: 'call-close001' }));
    await until(() => rx.got.length === 1, 5000, 'the first attempt');
    await s.close();
    // No event marks "a retry did not happen": wait out the retry delay and more, then look.
    await sleep(400);
    assert.equal(rx.got.length, 1);
  });
});

describe('webhooks: configuration', () => {
  test('off unless configured', () => {
    assert.equal(webhooksFromConfig(loadConfig({})), undefined);
  });

  test('a URL without a secret, or a secret without a URL, is refused naming both keys', () => {
    assert.throws(() => loadConfig({ WD_WEBHOOK_URL: 'https://hooks.example/wd' }), /webhookUrl \(WD_WEBHOOK_URL\) and webhookSecret \(WD_WEBHOOK_SECRET\) go together/);
    assert.throws(() => loadConfig({ WD_WEBHOOK_SECRET: SECRET }), /go together/);
  });

  test('a secret that is not whsec_ base64 of at least 24 bytes is refused', () => {
    const url = 'https://hooks.example/wd';
    assert.throws(() => loadConfig({ WD_WEBHOOK_URL: url, WD_WEBHOOK_SECRET: 'hunter2' }), /WD_WEBHOOK_SECRET\) must start with "whsec_"/);
    assert.throws(() => loadConfig({ WD_WEBHOOK_URL: url, WD_WEBHOOK_SECRET: `whsec_${Buffer.alloc(16).toString('base64')}` }), /at least 24 bytes/);
    assert.throws(() => loadConfig({ WD_WEBHOOK_URL: url, WD_WEBHOOK_SECRET: 'whsec_not base64!' }), /followed by base64/);
    assert.ok(webhooksFromConfig(loadConfig({ WD_WEBHOOK_URL: url, WD_WEBHOOK_SECRET: SECRET })));
  });

  test('production refuses a plain http:// receiver (events name who called whom)', () => {
    const prod = { WD_ENV: 'production', WD_ALLOWED_ORIGINS: 'https://app.example', WD_NATS_SERVERS: 'wss://nats.example', WD_WEBHOOK_SECRET: SECRET };
    assert.throws(() => loadConfig({ ...prod, WD_WEBHOOK_URL: 'http://hooks.example/wd' }), /webhookUrl \(WD_WEBHOOK_URL\) http:\/\/hooks.example\/wd: use https:\/\//);
    assert.doesNotThrow(() => loadConfig({ ...prod, WD_WEBHOOK_URL: 'https://hooks.example/wd' }));
  });
});
