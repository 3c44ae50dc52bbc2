// Every refusal of the token service must look the same to a client:
// the right status, JSON, and a body of exactly {error: {code, message}}.
import assert from 'node:assert/strict';

export async function expectError(res: Response, status: number, code: string): Promise<{ code: string; message: string }> {
  const text = await res.text();
  assert.equal(res.status, status, `status (body: ${text})`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
  assert.deepEqual(Object.keys(body), ['error']);
  assert.deepEqual(Object.keys(body.error ?? {}).sort(), ['code', 'message']);
  assert.equal(body.error?.code, code);
  assert.equal(typeof body.error?.message, 'string');
  assert.ok((body.error?.message as string).length > 0, 'message is not empty');
  return body.error as { code: string; message: string };
}
