// Strict checks of a subscription a browser uploads. The endpoint is a URL the
// token service will POST to whenever someone rings this user, so it is held to
// the push services browsers use (no request to an address a user picked: SSRF),
// or, in development and tests only, to a loopback address.
import { createECDH } from 'node:crypto';
import { isIP } from 'node:net';
import { isId } from 'wd-video/contract';
import { HttpError } from '../errors.js';
import type { StoredSubscription } from './store.js';

/** Push services of Chrome/Edge/Opera (FCM), Firefox, Safari and Windows: an endpoint's host must be one of these or below one. */
export const DEFAULT_PUSH_HOSTS = ['fcm.googleapis.com', 'updates.push.services.mozilla.com', 'push.services.mozilla.com', 'web.push.apple.com', 'notify.windows.com'];

/** Longest endpoint accepted (FCM's are ~200 characters). */
export const MAX_ENDPOINT = 1024;


export interface EndpointRules {
  /** Host names (a name allows itself and its subdomains); `*` allows any https host. */
  hosts: string[];
  /** http:// and https:// endpoints on loopback addresses (development and tests). */
  loopback: boolean;
}

const bad = (message: string) => new HttpError(400, 'invalid_subscription', message);

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || (isIP(h) === 4 && h.startsWith('127.'));
}

export function checkEndpoint(endpoint: unknown, rules: EndpointRules): string {
  if (typeof endpoint !== 'string' || endpoint.length === 0 || endpoint.length > MAX_ENDPOINT) throw bad(`"subscription.endpoint" must be a URL of at most ${MAX_ENDPOINT} characters`);
  let u: URL;
  try {
    u = new URL(endpoint);
  } catch {
    throw bad('"subscription.endpoint" is not a URL');
  }
  if (u.username || u.password) throw bad('"subscription.endpoint" must not carry credentials');
  if (rules.loopback && isLoopbackHost(u.hostname) && (u.protocol === 'http:' || u.protocol === 'https:')) return u.href;
  if (u.protocol !== 'https:') throw bad('"subscription.endpoint" must be an https:// URL');
  const host = u.hostname.toLowerCase();
  const known = rules.hosts.some((h) => h === '*' || host === h || host.endsWith(`.${h}`));
  if (!known) throw bad(`"subscription.endpoint" must be on a browser push service (${rules.hosts.join(', ')})`);
  return u.href;
}

function base64url(v: unknown, field: string, bytes: number): string {
  if (typeof v !== 'string' || !/^[A-Za-z0-9_-]+={0,2}$/.test(v)) throw bad(`"${field}" must be base64url`);
  const b = Buffer.from(v, 'base64url');
  if (b.length !== bytes) throw bad(`"${field}" must decode to ${bytes} bytes`);
  return b.toString('base64url');
}

/** `{deviceId, subscription: PushSubscription.toJSON()}` -> what the store keeps, or a 400 naming the field. */
export function parseSubscription(body: unknown, rules: EndpointRules, now = Date.now()): StoredSubscription {
  const b = body as { deviceId?: unknown; subscription?: unknown };
  if (!isId(b?.deviceId)) throw bad('"deviceId" must be 8-64 characters of A-Z, a-z, 0-9, "_" or "-"');
  const s = b.subscription as { endpoint?: unknown; keys?: { p256dh?: unknown; auth?: unknown }; expirationTime?: unknown };
  if (typeof s !== 'object' || s === null || Array.isArray(s)) throw bad('"subscription" must be an object (PushSubscription.toJSON())');
  for (const k of Object.keys(s)) if (!['endpoint', 'keys', 'expirationTime'].includes(k)) throw bad(`unknown field "subscription.${k}"`);
  const endpoint = checkEndpoint(s.endpoint, rules);
  if (typeof s.keys !== 'object' || s.keys === null) throw bad('"subscription.keys" must be {p256dh, auth}');
  const p256dh = base64url(s.keys.p256dh, 'subscription.keys.p256dh', 65);
  const auth = base64url(s.keys.auth, 'subscription.keys.auth', 16);
  // A point off the curve would make every push to this device fail later: refuse it now.
  try {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    ecdh.computeSecret(Buffer.from(p256dh, 'base64url'));
  } catch {
    throw bad('"subscription.keys.p256dh" is not a P-256 public key');
  }
  return { deviceId: b.deviceId, endpoint, keys: { p256dh, auth }, updatedAt: now };
}
