// The push endpoints' logic, behind the token service's authentication: each
// handler gets the signed-in uid (from the sign-in token, never from the body)
// and the parsed JSON body, and returns [status, body] or throws an HttpError.
//
//   GET    /v1/push/key           -> {publicKey}                 VAPID public key
//   PUT    /v1/push/subscription  {deviceId, subscription}      store this device's subscription
//   DELETE /v1/push/subscription  {deviceId}                    remove it
//   POST   /v1/push/ring          {to, callId, ttl, data?}      "<uid> is calling" to every device of `to`
//   POST   /v1/push/cancel        {to, callId, reason}          withdraw it
import { isId, isUid, CANCEL_REASONS, PUSH_DATA_LIMIT, type CancelPush, type PushPayload, type RingPush } from 'wd-video/contract';
import { HttpError } from '../errors.js';
import { RateLimiter } from '../rate-limit.js';
import { sendPush, type PushResult } from './send.js';
import type { PushStore } from './store.js';
import { parseSubscription, type EndpointRules } from './subscription.js';
import type { VapidKeys } from './vapid.js';

/** Longest ring, ms (the SDK's LIMITS.ring): a push for a longer one is refused. */
export const MAX_RING_MS = 120_000;

export interface PushSettings {
  vapid: VapidKeys;
  subject: string;
  rules: EndpointRules;
  maxDevices: number;
  /** Ring and cancel pushes per caller, and per callee, in each window; 0 = no limit. */
  ringLimit: number;
  /** Subscription changes (PUT/DELETE) per user in each window; 0 = no limit. */
  changeLimit: number;
  windowMs: number;
  log?: (line: string) => void;
}

export type PushReply = [status: number, body: unknown];

export interface PushService {
  handle(method: string, path: string, uid: string, body: unknown): Promise<PushReply>;
}

const badRequest = (message: string) => new HttpError(400, 'bad_request', message);

function object(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('the body must be a JSON object');
  return body as Record<string, unknown>;
}

function callee(b: Record<string, unknown>, uid: string): string {
  if (!isUid(b.to)) throw new HttpError(400, 'invalid_uid', '"to" must be a uid: 1-64 characters of A-Z, a-z, 0-9, "_" or "-"');
  if (b.to === uid) throw badRequest('"to" is yourself');
  return b.to;
}

function callId(b: Record<string, unknown>): string {
  if (!isId(b.callId)) throw badRequest('"callId" must be 8-64 characters of A-Z, a-z, 0-9, "_" or "-"');
  return b.callId;
}

/** The invite's data when its JSON fits PUSH_DATA_LIMIT; undefined otherwise (the call still rings). */
function smallData(data: unknown): unknown {
  if (data === undefined) return undefined;
  try {
    const json = JSON.stringify(data);
    return json !== undefined && Buffer.byteLength(json) <= PUSH_DATA_LIMIT ? JSON.parse(json) : undefined;
  } catch {
    return undefined;
  }
}

export function createPushService(store: PushStore, s: PushSettings): PushService {
  const byCaller = new RateLimiter(s.ringLimit, s.windowMs);
  const byCallee = new RateLimiter(s.ringLimit, s.windowMs);
  const subscriptionChanges = new RateLimiter(s.changeLimit, s.windowMs);
  /** Rings sent recently, by call id: a second ring for one call is a 409 (per process; bounded). */
  const rung = new Map<string, number>();
  const log = s.log ?? (() => {});

  function limit(limiter: RateLimiter, key: string, what: string) {
    const wait = limiter.take(key);
    if (wait) throw new HttpError(429, 'rate_limited', `too many ${what}, try again later`, { 'retry-after': String(wait) });
  }

  /** Push `payload` to every device of `to`; devices the push service says are gone are removed. */
  async function pushAll(to: string, payload: PushPayload, ttlSeconds: number): Promise<number> {
    const subs = await store.list(to);
    if (subs.length === 0) throw new HttpError(404, 'no_push_devices', `${to} has no device registered for push`);
    const results: PushResult[] = await Promise.all(subs.map((sub) => sendPush(sub, payload, { vapid: s.vapid, subject: s.subject, ttlSeconds })));
    await Promise.all(subs.map((sub, i) => (results[i] === 'gone' ? store.remove(to, sub.deviceId) : undefined)));
    const sent = results.filter((r) => r === 'sent').length;
    log(`push ${payload.type} ${payload.caller} -> ${to}: ${sent}/${subs.length} sent`);
    if (sent === 0) {
      if (results.every((r) => r === 'gone')) throw new HttpError(404, 'no_push_devices', `${to} has no device registered for push`);
      throw new HttpError(502, 'push_failed', 'no push service accepted the message');
    }
    return sent;
  }

  async function ring(uid: string, b: Record<string, unknown>): Promise<PushReply> {
    const to = callee(b, uid);
    const id = callId(b);
    const ttl = b.ttl;
    if (!Number.isInteger(ttl) || (ttl as number) < 1000 || (ttl as number) > MAX_RING_MS) throw badRequest(`"ttl" must be whole ms from 1000 to ${MAX_RING_MS}`);
    const now = Date.now();
    for (const [k, until] of rung) if (until < now) rung.delete(k);
    if (rung.has(id)) throw new HttpError(409, 'already_ringing', 'this call was rung by push already');
    limit(byCaller, uid, 'pushes from you');
    limit(byCallee, to, `pushes to ${to}`);
    const data = smallData(b.data);
    const payload: RingPush = { type: 'ring', caller: uid, callId: id, expiresAt: now + (ttl as number), ...(data !== undefined ? { data } : {}) };
    rung.set(id, now + (ttl as number));
    if (rung.size > 10_000) rung.delete(rung.keys().next().value!);
    try {
      return [202, { devices: await pushAll(to, payload, Math.ceil((ttl as number) / 1000)), data: data !== undefined }];
    } catch (e) {
      rung.delete(id);
      throw e;
    }
  }

  async function cancel(uid: string, b: Record<string, unknown>): Promise<PushReply> {
    const to = callee(b, uid);
    const id = callId(b);
    if (!CANCEL_REASONS.includes(b.reason as CancelPush['reason'])) throw badRequest(`"reason" must be one of ${CANCEL_REASONS.join(', ')}`);
    limit(byCaller, uid, 'pushes from you');
    limit(byCallee, to, `pushes to ${to}`);
    rung.delete(id);
    // The cancel names its caller: a service worker withdraws only a notification of that caller's call.
    const payload: CancelPush = { type: 'cancel', caller: uid, callId: id, reason: b.reason as CancelPush['reason'] };
    return [202, { devices: await pushAll(to, payload, 60) }];
  }

  async function putSubscription(uid: string, b: Record<string, unknown>): Promise<PushReply> {
    const sub = parseSubscription(b, s.rules);
    limit(subscriptionChanges, uid, 'subscription changes');
    const r = await store.put(uid, sub, s.maxDevices);
    if (r === 'full') throw new HttpError(409, 'too_many_devices', `at most ${s.maxDevices} devices per user receive pushes: remove one first`);
    return [r === 'added' ? 201 : 200, { deviceId: sub.deviceId, devices: (await store.list(uid)).length }];
  }

  async function deleteSubscription(uid: string, b: Record<string, unknown>): Promise<PushReply> {
    if (typeof b.deviceId !== 'string' || b.deviceId.length > 64) throw badRequest('"deviceId" must be a string');
    limit(subscriptionChanges, uid, 'subscription changes');
    if (!(await store.remove(uid, b.deviceId))) throw new HttpError(404, 'no_such_device', 'no subscription for this device');
    return [200, { deviceId: b.deviceId, devices: (await store.list(uid)).length }];
  }

  const routes: Record<string, Record<string, (uid: string, b: Record<string, unknown>) => Promise<PushReply>>> = {
    '/v1/push/key': { GET: async () => [200, { publicKey: s.vapid.publicKey }] },
    '/v1/push/subscription': { PUT: putSubscription, DELETE: deleteSubscription },
    '/v1/push/ring': { POST: ring },
    '/v1/push/cancel': { POST: cancel },
  };

  return {
    async handle(method, path, uid, body) {
      const route = routes[path];
      if (!route) throw new HttpError(404, 'not_found', 'no such resource');
      const handler = route[method];
      if (!handler) throw new HttpError(405, 'method_not_allowed', `use ${Object.keys(route).join(', ')}`, { allow: `${Object.keys(route).join(', ')}, OPTIONS` });
      return handler(uid, method === 'GET' ? {} : object(body));
    },
  };
}
