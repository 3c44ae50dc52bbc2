// The page's side of Web Push: enablePush() registers the service worker,
// subscribes with the token service's VAPID key and uploads the subscription;
// the caller rings and cancels through the token service; a hidden tab shows
// the same notification the service worker would. docs/push.md has the flow.
import { WdVideoError } from './errors.js';
import { isId } from './contract.js';
import { PUSH_PATHS, ringNotification, type RingPush } from './push-contract.js';
import type { SignIn } from './session.js';

export interface EnablePushOptions {
  /** URL of the service worker script, e.g. `/dist/wd-video-sw.js` (or your own worker that imports its logic). */
  serviceWorker: string;
  /** Its scope (default: the script's folder). */
  scope?: string;
  /** The page a notification click opens when none is open (default: this page, without its hash). */
  openUrl?: string;
}

/** The sign-in, as the push endpoints take it (the same token as POST /v1/session). */
function authorization(signIn: SignIn): string {
  return 'token' in signIn ? `Bearer ${signIn.token}` : `Anonymous ${signIn.anonymous.uid}`;
}

/** `/v1/session` -> `/v1/push/...`: the push endpoints sit beside the sign-in URL. */
const urlOf = (authUrl: string, path: string) => new URL(path, new URL(authUrl, typeof location !== 'undefined' ? location.href : undefined)).href;

/** JSON request to a push endpoint; the response, or undefined when the service could not be reached. */
async function request(authUrl: string, signIn: SignIn, method: string, path: string, body?: unknown): Promise<Response | undefined> {
  try {
    return await fetch(urlOf(authUrl, path), {
      method,
      headers: { authorization: authorization(signIn), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
  } catch {
    return undefined;
  }
}

async function refusal(res: Response | undefined, what: string): Promise<WdVideoError> {
  if (!res) return new WdVideoError('connect_failed', `${what}: the token service cannot be reached`);
  const err = ((await res.json().catch(() => undefined)) as { error?: { code?: string; message?: string } } | undefined)?.error;
  return new WdVideoError('push_failed', `${what}: ${err?.message ?? res.statusText} (${err?.code ?? res.status})`);
}

const DEVICE_KEY = 'wd-video-push-device';

/** Longest wait for the browser's push service to hand out a subscription. */
const SUBSCRIBE_TIMEOUT_MS = 15_000;

/** One id per browser profile (all tabs share its one push subscription), kept in localStorage. */
export function pushDeviceId(): string {
  const fresh = () => Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');
  try {
    let id = localStorage.getItem(DEVICE_KEY);
    if (!id || !isId(id)) localStorage.setItem(DEVICE_KEY, (id = fresh()));
    return id;
  } catch {
    return fresh();
  }
}

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const bin = atob(base64url.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** Resolves once `reg` has an active worker (showNotification and push need one). */
function activated(reg: ServiceWorkerRegistration): Promise<void> {
  const w = reg.installing ?? reg.waiting;
  if (reg.active || !w) return Promise.resolve();
  return new Promise((ok, fail) => {
    w.addEventListener('statechange', () => {
      if (w.state === 'activated') ok();
      else if (w.state === 'redundant') fail(new WdVideoError('push_failed', 'the service worker failed to install'));
    });
  });
}

/** The service worker's registration, with the page to open on a click in its URL (`?open=`). */
export async function registerPushWorker(o: EnablePushOptions): Promise<ServiceWorkerRegistration> {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator) || typeof Notification === 'undefined') {
    throw new WdVideoError('push_unsupported', 'this browser has no service workers or notifications');
  }
  const script = new URL(o.serviceWorker, location.href);
  const open = new URL(o.openUrl ?? location.href, location.href);
  open.hash = '';
  if (open.origin !== location.origin) throw new WdVideoError('invalid_argument', 'openUrl must be on this page\'s origin');
  script.searchParams.set('open', open.pathname + open.search);
  const reg = await navigator.serviceWorker.register(script.href, o.scope ? { scope: o.scope } : undefined);
  await activated(reg);
  return reg;
}

/**
 * Permission (asked here: call from a click), the worker (handed to `registered`
 * as soon as it is active), a push subscription with our VAPID key, uploaded for this device.
 */
export async function enablePush(authUrl: string, signIn: SignIn, o: EnablePushOptions, registered: (reg: ServiceWorkerRegistration) => void): Promise<void> {
  if (!o?.serviceWorker) throw new WdVideoError('invalid_argument', 'enablePush needs {serviceWorker: url}');
  if (typeof Notification === 'undefined') throw new WdVideoError('push_unsupported', 'this browser has no notifications');
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') throw new WdVideoError('push_denied', `notifications are ${permission === 'denied' ? 'blocked' : 'not allowed'} for this site`);
  const reg = await registerPushWorker(o);
  // Worker and permission are enough for a hidden tab's own notifications, even where Web Push fails below.
  registered(reg);
  if (!('PushManager' in window)) throw new WdVideoError('push_unsupported', 'this browser has no Web Push');
  const keyRes = await request(authUrl, signIn, 'GET', PUSH_PATHS.key);
  if (!keyRes?.ok) throw await refusal(keyRes, 'push key');
  const { publicKey } = (await keyRes.json()) as { publicKey: string };
  let sub = await reg.pushManager.getSubscription();
  const same = sub?.options.applicationServerKey && new Uint8Array(sub.options.applicationServerKey).join() === keyBytes(publicKey).join();
  if (sub && !same) {
    await sub.unsubscribe(); // made for another server key: pushes signed with ours would be refused
    sub = null;
  }
  try {
    // Some Chromium builds without Google's push service never settle this promise: bound it.
    sub ??= await Promise.race([
      reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) }),
      new Promise<never>((_, fail) => setTimeout(() => fail(new Error('no answer from the push service')), SUBSCRIBE_TIMEOUT_MS)),
    ]);
  } catch (e) {
    throw new WdVideoError('push_unsupported', `the browser's push service refused a subscription: ${(e as Error).message}`, { cause: e });
  }
  const put = await request(authUrl, signIn, 'PUT', PUSH_PATHS.subscription, { deviceId: pushDeviceId(), subscription: sub.toJSON() });
  if (!put?.ok) throw await refusal(put, 'push subscription');
}

/** Stop pushes to this device: the server forgets it, the browser drops the subscription. */
export async function disablePush(authUrl: string, signIn: SignIn, reg: ServiceWorkerRegistration | undefined): Promise<void> {
  const res = await request(authUrl, signIn, 'DELETE', PUSH_PATHS.subscription, { deviceId: pushDeviceId() });
  await (await reg?.pushManager.getSubscription())?.unsubscribe();
  if (res && !res.ok && res.status !== 404) throw await refusal(res, 'push subscription');
}

/** Ask the token service to ring `to`'s devices; true when at least one push went out (202). */
export async function ringByPush(authUrl: string, signIn: SignIn, ring: { to: string; callId: string; ttl: number; data?: unknown }): Promise<boolean> {
  const res = await request(authUrl, signIn, 'POST', PUSH_PATHS.ring, ring);
  return res?.status === 202;
}

/** Withdraw a push ring (best effort: the notification expires with the ring anyway). */
export function cancelPushRing(authUrl: string, signIn: SignIn, cancel: { to: string; callId: string; reason: 'cancelled' | 'timeout' | 'answered' }): void {
  void request(authUrl, signIn, 'POST', PUSH_PATHS.cancel, cancel);
}

/**
 * A hidden tab that is alive gets the invite itself: it shows the notification
 * the service worker would have shown for a push, and closes it when the call
 * stops ringing here. Returns that closer.
 */
export function showLocalRing(reg: ServiceWorkerRegistration, ring: RingPush): () => void {
  // The page's language, as the elements choose theirs.
  const { title, options } = ringNotification(ring, document.documentElement.lang || navigator.language);
  const shown = reg.showNotification(title, options as NotificationOptions).catch(() => {});
  return () =>
    void shown.then(async () => {
      for (const n of await reg.getNotifications({ tag: ring.callId })) n.close();
    });
}
