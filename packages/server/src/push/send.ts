// One push to one subscription. `web-push` encrypts the payload (aes128gcm,
// RFC 8291) and signs the VAPID header; we only POST what it built, with fetch:
// that gives a timeout, refuses redirects (a push endpoint that redirects us
// elsewhere is not followed: no request to an address the user picked), and
// reaches a loopback http endpoint in tests (web-push's own sender speaks https only).
import { createHash } from 'node:crypto';
import webpush from 'web-push';
import type { PushPayload } from 'wd-video/contract';
import type { StoredSubscription } from './store.js';
import type { VapidKeys } from './vapid.js';

export type PushResult = 'sent' | 'gone' | 'failed';

export interface PushOptions {
  vapid: VapidKeys;
  /** VAPID `sub`: a mailto: or https: contact for the push service's operator. */
  subject: string;
  /** Seconds the push service keeps the message for an offline device: a ring is worth nothing after it ends. */
  ttlSeconds: number;
  timeoutMs?: number;
}

/**
 * The push service keeps one undelivered message per topic: a cancel replaces
 * its ring if the device has not fetched it yet. Topics are at most 32
 * base64url characters, so the call id is hashed.
 */
export const topicOf = (callId: string) => createHash('sha256').update(callId).digest('base64url').slice(0, 32);

export async function sendPush(sub: StoredSubscription, payload: PushPayload, o: PushOptions): Promise<PushResult> {
  const details = webpush.generateRequestDetails({ endpoint: sub.endpoint, keys: sub.keys }, JSON.stringify(payload), {
    vapidDetails: { subject: o.subject, publicKey: o.vapid.publicKey, privateKey: o.vapid.privateKey },
    TTL: o.ttlSeconds,
    urgency: 'high',
    topic: topicOf(payload.callId),
    contentEncoding: 'aes128gcm',
  });
  try {
    const res = await fetch(details.endpoint, {
      method: details.method,
      headers: details.headers as Record<string, string>,
      body: details.body as Buffer,
      redirect: 'manual',
      signal: AbortSignal.timeout(o.timeoutMs ?? 5000),
    });
    await res.arrayBuffer().catch(() => undefined);
    // 404/410: the browser dropped the subscription (unsubscribed, site data cleared).
    if (res.status === 404 || res.status === 410) return 'gone';
    return res.ok ? 'sent' : 'failed';
  } catch {
    return 'failed';
  }
}
