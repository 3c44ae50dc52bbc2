// Standard Webhooks signatures (https://www.standardwebhooks.com/): the header
// scheme Svix, Make and others use, so an operator verifies our calls with the
// Standard Webhooks library of their language instead of code of their own.
// Signing is one HMAC with node:crypto; the reference library (a test
// dependency) checks in test/node/server/webhooks.test.ts that it verifies.
import { createHmac } from 'node:crypto';

const PREFIX = 'whsec_';
/** Shortest key accepted: 24 bytes, the spec's lower bound. */
export const MIN_WEBHOOK_KEY_BYTES = 24;

/** The HMAC key of a `whsec_<base64>` secret, or why it is not one. */
export function webhookKey(secret: string): Buffer | string {
  if (!secret.startsWith(PREFIX)) return `must start with "${PREFIX}" followed by base64 (try \`echo whsec_$(openssl rand -base64 32)\`)`;
  const b64 = secret.slice(PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 !== 0) return `must be "${PREFIX}" followed by base64`;
  const key = Buffer.from(b64, 'base64');
  if (key.length < MIN_WEBHOOK_KEY_BYTES) return `must hold at least ${MIN_WEBHOOK_KEY_BYTES} bytes after "${PREFIX}" (it holds ${key.length})`;
  return key;
}

/** The three headers for one delivery attempt; `timestamp` in Unix seconds. */
export function signatureHeaders(key: Buffer, id: string, timestamp: number, body: string): Record<string, string> {
  const mac = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': `v1,${mac}` };
}
