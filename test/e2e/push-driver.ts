// Web Push end to end, the pieces: bob (a callee whose app page registered the
// service worker, with a push subscription on the test's push service), alice
// (a signed-in caller), and ways to deliver a push through CDP, read the
// notifications and click one. Used by test/e2e/push.test.ts and by the push
// bench (bench/push.mjs), which sets WD_TEST_HTTP_URL to its own stack.
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, CDPSession, Page, Worker } from 'playwright-core';
import { fakeId, uniqueUid } from '../shared/ids.js';
import type { PushReceiver, ReceivedPush, TestSubscription } from '../shared/push-receiver.js';
import { baseUrl } from './helpers.js';

export const SW = '/dist/wd-video-sw.js';
export const APP = '/examples/index.html';

export async function api(method: string, path: string, uid: string, body?: unknown) {
  const res = await fetch(new URL(`/v1/push/${path}`, baseUrl()), {
    method,
    headers: { authorization: `Anonymous ${uid}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export interface Callee {
  uid: string;
  context: BrowserContext;
  page: Page;
  worker: Worker;
  cdp: CDPSession;
  registrationId: string;
  sub: TestSubscription;
}

/**
 * Bob's app page at `path`: a VideoClient for `uid` that answers a
 * notification's Accept (`window.log` records what it saw); it signs in when
 * `signIn`, and calls enablePush as an app does when `enablePush`. Returns the
 * URL hash as it was once the client had read it.
 */
export async function bobApp(page: Page, uid: string, path: string, o: { signIn: boolean; enablePush: boolean }): Promise<string> {
  await page.goto(new URL(path, baseUrl()).href);
  return page.evaluate(
    async ([uid, sw, app, signIn, enablePush]) => {
      const sdk = (await import('/dist/wd-video.js' as string)) as typeof import('wd-video');
      const client = new sdk.VideoClient({ authUrl: '/v1/session', anonymous: { uid } });
      const log: string[] = [];
      client.on('called', (c) => log.push(`called ${c.callId}`));
      client.on('notification_accept', async (c) => {
        log.push(`accept ${c.callId}`);
        await c.accept(await sdk.createLocalStream({ captureAudio: true, captureVideo: true }));
      });
      Object.assign(window, { client, log });
      const hashLeft = location.hash;
      if (signIn) await client.start();
      if (enablePush) {
        // Offline, Chromium's push service refuses the subscription (push_unsupported);
        // the worker is registered by then, which the hidden-tab path needs.
        try {
          await client.enablePush({ serviceWorker: sw, openUrl: app });
          log.push('enablePush ok');
        } catch (e) {
          log.push(`enablePush ${(e as { code: string }).code}`);
        }
      }
      return hashLeft;
    },
    [uid, SW, APP, o.signIn, o.enablePush] as const,
  );
}

/**
 * Bob: a browser context whose app page registered the service worker, a
 * VideoClient that is NOT signed in (it answers a notification's choice), and a
 * push subscription on the test's push service.
 */
export async function callee(browser: Browser, rx: PushReceiver, o: { live?: boolean } = {}): Promise<Callee> {
  const uid = uniqueUid('bob');
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  await context.grantPermissions(['notifications'], { origin: baseUrl() });
  // CDP through a blank tab of bob's: it stays when the app page closes, and is no page of the app's origin.
  const cdp = await context.newCDPSession(await context.newPage());
  const page = await context.newPage();
  const registrations: { registrationId: string; scopeURL: string }[] = [];
  cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => registrations.push(...e.registrations));
  await cdp.send('ServiceWorker.enable');
  const workerSeen = context.waitForEvent('serviceworker');
  await bobApp(page, uid, APP, { signIn: !!o.live, enablePush: true });
  const worker = context.serviceWorkers()[0] ?? (await workerSeen);
  await page.waitForFunction(async (sw) => (await navigator.serviceWorker.getRegistration(sw))?.active?.state === 'activated', SW);
  const reg = registrations.find((r) => r.scopeURL === new URL('/dist/', baseUrl()).href);
  assert.ok(reg, `the worker's registration is known to CDP: ${JSON.stringify(registrations)}`);
  // The subscription a push service would have issued, with keys the test's push service can decrypt with.
  const sub = rx.subscribe(uid);
  const put = await api('PUT', 'subscription', uid, { deviceId: fakeId(), subscription: { endpoint: sub.endpoint, expirationTime: null, keys: sub.keys } });
  assert.equal(put.status, 201, JSON.stringify(put.body));
  return { uid, context, page, worker, cdp, registrationId: reg.registrationId, sub };
}

/** Alice signed in, in her own context, calling `to` (ring time 60 s); resolves when the call is placed (`placedAt`: when call() ran). */
export async function caller(browser: Browser, to: string): Promise<{ page: Page; context: BrowserContext; callId: string; placedAt: number }> {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  const page = await context.newPage();
  await page.goto(new URL(APP, baseUrl()).href);
  const uid = uniqueUid('alice');
  const { callId, placedAt } = await page.evaluate(
    async ([uid, to]) => {
      const sdk = (await import('/dist/wd-video.js' as string)) as typeof import('wd-video');
      const client = new sdk.VideoClient({ authUrl: '/v1/session', anonymous: { uid } });
      await client.start();
      const states: string[] = [];
      const responses: string[] = [];
      const stream = await sdk.createLocalStream({ captureAudio: true, captureVideo: true });
      // Signed in and with a camera: the clock starts at call() (the page and the test share the machine's clock).
      const placedAt = Date.now();
      const conv = client.call(to, stream, { timeout: 60_000, data: { topic: 'standup' } });
      conv.on('state', (s) => states.push(s));
      conv.on('response', (r) => responses.push(r));
      Object.assign(window, { client, conv, states, responses });
      return { callId: conv.callId, placedAt };
    },
    [uid, to] as const,
  );
  return { page, context, callId, placedAt };
}

/** The notifications bob's worker shows now, as plain data (read in the worker: bob may have no page open). */
export const notifications = (worker: Worker) =>
  worker.evaluate(async () => {
    const reg = (self as unknown as { registration: ServiceWorkerRegistration }).registration;
    return (await reg.getNotifications()).map((n) => ({ title: n.title, tag: n.tag, body: n.body, actions: (n as unknown as { actions: { action: string; title: string }[] }).actions, data: n.data }));
  });

export async function until<T>(check: () => Promise<T | undefined | false>, what: string, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Click a notification's action, in the worker (no browser lets a script click the real one). */
export const choose = (worker: Worker, tag: string, action: string) =>
  worker.evaluate(
    async ([tag, action]) => {
      const scope = self as unknown as { registration: { getNotifications(f: object): Promise<Notification[]> }; dispatchEvent(e: Event): boolean };
      const [n] = await scope.registration.getNotifications({ tag });
      const Ctor = (self as unknown as { NotificationEvent: new (t: string, i: object) => Event }).NotificationEvent;
      scope.dispatchEvent(new Ctor('notificationclick', { notification: n, action }));
    },
    [tag, action] as const,
  );

/** Hands a received push to bob's worker, as a push service would (CDP ServiceWorker.deliverPushMessage). */
export const deliver = async (bob: Callee, push: ReceivedPush): Promise<void> =>
  void await bob.cdp.send('ServiceWorker.deliverPushMessage', { origin: new URL(baseUrl()).origin, registrationId: bob.registrationId, data: push.text! });

/**
 * Delivers `push` again until `check` holds, as a push service does: it keeps a
 * message until the browser has taken it (RFC 8030), while CDP's
 * deliverPushMessage is fire and forget and now and then lost (about one run in
 * four here) while the worker starts. Showing a notification with the same tag
 * again replaces it, so a repeat is harmless.
 */
export async function deliverUntil<T>(bob: Callee, push: ReceivedPush, check: () => Promise<T | undefined | false>, what: string, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (let tries = 1; ; tries++) {
    await deliver(bob, push);
    const v = await until(check, what, Math.max(0, Math.min(3000, end - Date.now()))).catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (push delivered ${tries} times)`);
  }
}
