// The token service faces the internet: no request, however broken, may crash it
// or make it answer 500. Hundreds of malformed requests, then /healthz must answer.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { test } from 'node:test';
import { stackEnv } from '../helpers/stack-env.js';

const { httpUrl } = stackEnv();
const port = Number(new URL(httpUrl).port);

/** Send raw bytes, collect whatever comes back until the server closes or 3 s pass. */
function raw(bytes: Buffer | string): Promise<string> {
  return new Promise((ok) => {
    const chunks: Buffer[] = [];
    const s = connect(port, '127.0.0.1', () => s.end(bytes));
    const done = () => {
      clearTimeout(timer);
      s.destroy();
      ok(Buffer.concat(chunks).toString('latin1'));
    };
    const timer = setTimeout(done, 3000);
    s.on('data', (c) => chunks.push(c));
    s.on('close', done);
    s.on('error', done); // a reset is a fine answer to garbage
  });
}

const post = (body: Buffer | string, headers = 'Content-Type: application/json\r\n') => {
  const b = typeof body === 'string' ? Buffer.from(body) : body;
  return Buffer.concat([
    Buffer.from(`POST /v1/session HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${headers}Content-Length: ${b.length}\r\n\r\n`),
    b,
  ]);
};

function* garbage(): Generator<Buffer | string> {
  // Not HTTP at all.
  for (let i = 0; i < 100; i++) yield randomBytes(1 + Math.floor(Math.random() * 2000));
  // Broken request lines and targets (`http://[` once crashed the service).
  for (const target of ['http://[', 'http://[::1', '//', '/%', '/%ZZ', '/demo/%E0%A4%A', '/v1/session/../../etc/passwd', '*', '\u00ff\u00fe', 'x'.repeat(5000)]) {
    for (const method of ['GET', 'POST', 'OPTIONS', 'BREW']) yield `${method} ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`;
  }
  // Broken JSON and wrong JSON types.
  const bodies = [
    '{', '}', '{"anonymous":', '{"anonymous":{"uid":"alice"}', '[[[[[[[[[[', 'nul', 'true', '"\\ud800"',
    '{"anonymous":null}', '{"anonymous":"alice"}', '{"anonymous":{"uid":{"toString":"x"}}}', '{"token":null}',
    '{"token":{}}', '{"token":"a.b.c"}', '{"__proto__":{"anonymous":{"uid":"x"}}}', '{"constructor":{"prototype":{}}}',
    '[' .repeat(3000) + ']'.repeat(3000), JSON.stringify({ anonymous: { uid: 'a'.repeat(7000) } }),
  ];
  for (const b of bodies) yield post(b);
  // Invalid UTF-8 in the body, inside and outside strings.
  for (let i = 0; i < 20; i++) yield post(Buffer.concat([Buffer.from('{"anonymous":{"uid":"'), randomBytes(8), Buffer.from('"}}')]));
  yield post(Buffer.from([0xff, 0xfe, 0xfd]));
  yield post(Buffer.from([0xc3, 0x28, 0xa0, 0xa1]));
  // Lying content-length: shorter, longer, negative, not a number.
  yield 'POST /v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 3\r\n\r\n{"anonymous":{}}';
  yield 'POST /v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{}';
  yield 'POST /v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: -1\r\n\r\n{}';
  yield 'POST /v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: abc\r\n\r\n{}';
  yield 'POST /v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 99999999999999999999\r\n\r\n{}';
  yield 'POST /v1/session HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\n{}\r\n0\r\n\r\n';
  // Huge and weird headers.
  yield `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`;
  yield `GET /healthz HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 3000 }, (_, i) => `X-H${i}: v`).join('\r\n')}\r\n\r\n`;
  yield post('{}', `Content-Type: ${'application/json;'.repeat(500)}\r\n`);
  yield post('{}', 'Content-Type: application/json\r\nOrigin: \u00ff\u00fe\r\n');
  yield post('{}', 'Content-Type: \r\n');
  yield Buffer.concat([Buffer.from('POST /v1/session HTTP/1.1\r\nHost: x\r\nOrigin: '), randomBytes(50), Buffer.from('\r\n\r\n')]);
  // Random mutations of a valid sign-in.
  const valid = post(JSON.stringify({ anonymous: { uid: 'alice' } }));
  for (let i = 0; i < 120; i++) {
    const b = Buffer.from(valid);
    for (let j = 0; j < 1 + (i % 5); j++) b[Math.floor(Math.random() * b.length)] = Math.floor(Math.random() * 256);
    yield b;
  }
}

test('hundreds of malformed requests never crash the service or cause a 500', { timeout: 120_000 }, async () => {
  const all = [...garbage()];
  assert.ok(all.length >= 300, `sent ${all.length} requests`);
  const answers: string[] = [];
  // In parallel batches: also exercises concurrent broken connections.
  for (let i = 0; i < all.length; i += 25) answers.push(...(await Promise.all(all.slice(i, i + 25).map(raw))));
  const statuses = answers.map((a) => /^HTTP\/1\.1 (\d{3})/.exec(a)?.[1]).filter(Boolean);
  assert.ok(statuses.length > 50, 'the service answered many of them');
  assert.deepEqual(statuses.filter((s) => s!.startsWith('5')), [], 'no 5xx answers');
  // Every JSON answer to a refusal has the documented shape.
  for (const a of answers) {
    const head = /^HTTP\/1\.1 4\d\d [^]*?\r\n\r\n/.exec(a)?.[0];
    const length = Number(/\r\ncontent-length: (\d+)/i.exec(head ?? '')?.[1]);
    if (!head || !/\r\ncontent-type: application\/json/i.test(head) || !length) continue;
    // Only the first response: a mangled length can make the server read a second request.
    const body = JSON.parse(a.slice(head.length, head.length + length)) as { error: { code: string; message: string } };
    assert.equal(typeof body.error.code, 'string', a);
    assert.equal(typeof body.error.message, 'string', a);
  }
  const res = await fetch(`${httpUrl}/healthz`);
  assert.equal(res.status, 200);
});
