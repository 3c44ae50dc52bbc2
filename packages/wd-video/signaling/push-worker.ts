// The service worker's logic for call pushes, importable into an app's own
// worker (`import { installPushHandlers } from 'wd-video/push-worker'`) or used
// as shipped in dist/wd-video-sw.js. On a push it shows "<caller> is calling"
// with Accept and Decline (tag = callId), and on a cancel withdraws it (leaving
// "Missed call" unless the call was answered). On a click it hands the choice
// to an open page of the app (postMessage), or opens one with the choice in its
// hash; that page signs in and the client answers or declines the call when
// the caller's retried invite arrives. The worker holds no credentials, so it
// cannot decline by itself: Decline also goes through the page.
import { ACTION_HASH, CHOICE_CACHE, CHOICE_KEY, missedNotification, parsePushPayload, ringNotification, type PushAction, type PushPayload, type RecordedChoice, type RingPush } from './push-contract.js';

// The few worker types used here (the DOM lib has no ServiceWorkerGlobalScope).
interface WorkerNotification {
  readonly tag: string;
  readonly data: unknown;
  close(): void;
}
interface WindowClientLike {
  readonly url: string;
  postMessage(m: unknown): void;
  focus(): Promise<unknown>;
}
interface ExtendableEventLike extends Event {
  waitUntil(p: Promise<unknown>): void;
}
interface PushEventLike extends ExtendableEventLike {
  readonly data: { json(): unknown } | null;
}
interface NotificationEventLike extends ExtendableEventLike {
  readonly notification: WorkerNotification;
  readonly action: string;
}
export interface PushWorkerScope {
  readonly location: { href: string; origin: string };
  /** The notifications' language comes from here (a worker has no document). */
  readonly navigator?: { readonly language?: string };
  readonly registration: {
    showNotification(title: string, options?: object): Promise<void>;
    getNotifications(filter?: { tag?: string }): Promise<WorkerNotification[]>;
  };
  readonly clients: {
    matchAll(o: { type: 'window'; includeUncontrolled: boolean }): Promise<readonly WindowClientLike[]>;
    openWindow(url: string): Promise<unknown>;
  };
  addEventListener(type: string, listener: (e: Event) => void): void;
}

export interface PushWorkerOptions {
  /** The app page a click opens when none is open (same origin). Default: the worker URL's `?open=` (enablePush sets it), else `/`. */
  openUrl?: string;
}

/** Shows or withdraws a call notification for one push payload. */
export async function handleCallPush(scope: PushWorkerScope, payload: PushPayload): Promise<void> {
  const reg = scope.registration;
  const lang = scope.navigator?.language;
  if (payload.type === 'ring') {
    // Delivered after the ring ended (a device that was asleep): say it was missed instead.
    if (Date.now() > payload.expiresAt) {
      const { title, options } = missedNotification({ type: 'cancel', caller: payload.caller, callId: payload.callId, reason: 'timeout' }, lang);
      return reg.showNotification(title, options);
    }
    const { title, options } = ringNotification(payload, lang);
    return reg.showNotification(title, options);
  }
  // Only the caller of a call withdraws its notification (the token service names the caller from its sign-in).
  for (const n of await reg.getNotifications({ tag: payload.callId })) {
    if ((n.data as RingPush | undefined)?.caller === payload.caller) n.close();
  }
  if (payload.reason !== 'answered') {
    const { title, options } = missedNotification(payload, lang);
    await reg.showNotification(title, options);
  }
}

/** Accept, Decline or a click on the notification: to an open page, or a new one. */
export async function handleCallClick(scope: PushWorkerScope, notification: WorkerNotification, action: string, o: PushWorkerOptions = {}): Promise<void> {
  notification.close();
  const ring = notification.data as RingPush | undefined;
  const open = new URL(o.openUrl ?? new URL(scope.location.href).searchParams.get('open') ?? '/', scope.location.origin);
  // Only our own origin: the worker URL's query is not trusted to send the person elsewhere.
  if (open.origin !== scope.location.origin) open.href = new URL('/', scope.location.origin).href;
  const choice = ring?.type === 'ring' && Date.now() <= ring.expiresAt && (action === 'accept' || action === 'decline') ? action : undefined;
  const windows = await scope.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const page = windows.find((w) => new URL(w.url).pathname === open.pathname) ?? windows.find((w) => new URL(w.url).origin === open.origin);
  if (page) {
    if (choice) page.postMessage({ type: 'wd-push-action', action: choice, callId: ring!.callId, caller: ring!.caller } satisfies PushAction);
    // Declining needs no attention: the page rejects the call in the background.
    if (choice !== 'decline') await page.focus().catch(() => {});
    return;
  }
  if (choice) {
    // The page trusts the hash only with this record beside it (push-contract.ts, CHOICE_CACHE).
    const record: RecordedChoice = { action: choice, callId: ring!.callId, until: ring!.expiresAt };
    await (await caches.open(CHOICE_CACHE)).put(CHOICE_KEY, new Response(JSON.stringify(record)));
    open.hash = `${ACTION_HASH[choice]}=${encodeURIComponent(ring!.callId)}`;
  }
  await scope.clients.openWindow(open.href);
}

/**
 * waitUntil keeps the worker alive until `p` settles. It throws on an event the
 * browser did not dispatch itself (a test's synthetic notificationclick: no
 * browser lets a script click a notification), where the work runs regardless.
 */
function keepAlive(ev: ExtendableEventLike, p: Promise<unknown>) {
  try {
    ev.waitUntil(p);
  } catch {
    // untrusted event: nothing to keep alive for
  }
}

/** Installs the push and notificationclick listeners on a service worker's global scope. */
export function installPushHandlers(scope: PushWorkerScope, o: PushWorkerOptions = {}): void {
  scope.addEventListener('push', (e) => {
    const ev = e as PushEventLike;
    let payload: PushPayload | undefined;
    try {
      payload = parsePushPayload(ev.data?.json());
    } catch {
      payload = undefined; // not JSON: not ours
    }
    if (payload) keepAlive(ev, handleCallPush(scope, payload));
  });
  scope.addEventListener('notificationclick', (e) => {
    const ev = e as NotificationEventLike;
    const data = ev.notification.data as { type?: string } | undefined;
    if (data?.type !== 'ring' && data?.type !== 'cancel') return; // another notification of the app's own worker
    keepAlive(ev, handleCallClick(scope, ev.notification, ev.action, o));
  });
}
