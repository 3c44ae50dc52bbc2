// The token service's /v1/push/* endpoints as a page's SDK calls them, for the node tests.
import assert from 'node:assert/strict';
import type { TokenService } from '@wd-video/server/token-service.js';
import { fakeId } from '../../shared/ids.js';
import type { TestSubscription } from '../../shared/push-receiver.js';

export const anon = (uid: string) => `Anonymous ${uid}`;

export async function call(svc: TokenService, method: string, path: string, auth: string | undefined, body?: unknown, headers: Record<string, string> = {}) {
  return fetch(`${svc.url}/v1/push/${path}`, {
    method,
    headers: { ...(auth ? { authorization: auth } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export const asJson = (sub: TestSubscription) => ({ endpoint: sub.endpoint, expirationTime: null, keys: sub.keys });

export async function register(svc: TokenService, uid: string, sub: TestSubscription, deviceId = fakeId()) {
  const res = await call(svc, 'PUT', 'subscription', anon(uid), { deviceId, subscription: asJson(sub) });
  assert.ok(res.status === 201 || res.status === 200, `register: ${res.status} ${await res.clone().text()}`);
  return deviceId;
}

export const ring = (svc: TokenService, from: string, to: string, extra: Record<string, unknown> = {}) =>
  call(svc, 'POST', 'ring', anon(from), { to, callId: fakeId(), ttl: 30_000, ...extra });
