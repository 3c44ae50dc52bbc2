// Web Push end to end, without the internet: bob's page is signed out (no live
// device), alice calls him, her invite finds no responders and her client asks
// the token service to ring bob by push. The token service sends with
// `web-push` to a push service the test runs on loopback, which verifies the
// VAPID signature and decrypts the payload with the subscription keys the test
// made (test/shared/push-receiver.ts). The test then delivers the payload to
// bob's real service worker (dist/wd-video-sw.js) through the Chrome DevTools
// Protocol (ServiceWorker.deliverPushMessage), reads the notification back
// (registration.getNotifications()) and chooses Accept or Decline in the worker.
//
// Chromium's own pushManager.subscribe() needs Google's push service (FCM) and
// fails offline, so the subscription is the test's: made in Node, uploaded
// through PUT /v1/push/subscription like enablePush() does.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, CDPSession, Page, Worker } from 'playwright-core';
import { fakeId, uniqueUid } from '../shared/ids.js';
import { startPushReceiver, type PushReceiver, type TestSubscription } from '../shared/push-receiver.js';
import { baseUrl, launch } from './helpers.js';

const SW = '/dist/wd-video-sw.js';
const APP = '/examples/index.html';

async function api(method: string, path: string, uid: string, body?: unknown) {
  const res = await fetch(new URL(`/v1/push/${path}`, baseUrl()), {
    method,
    headers: { authorization: `Anonymous ${uid}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

interface Callee {
  uid: string;
  context: BrowserContext;
  page: Page;
  worker: Worker;
  cdp: CDPSession;
  registrationId: string;
  sub: TestSubscription;
}

/**
 * Bob: a browser context whose app page registered the service worker, a
 * VideoClient that is NOT signed in (it answers a notification's choice), and a
 * push subscription on the test's push service.
 */
async function callee(browser: Browser, rx: PushReceiver, o: { live?: boolean } = {}): Promise<Callee> {
  const uid = uniqueUid('bob');
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  await context.grantPermissions(['notifications'], { origin: baseUrl() });
  // CDP through a blank tab of bob's: it stays when the app page closes, and is no page of the app's origin.
  const cdp = await context.newCDPSession(await context.newPage());
  const page = await context.newPage();
  const registrations: { registrationId: string; scopeURL: string }[] = [];
  cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => registrations.push(...e.registrations));
  await cdp.send('ServiceWorker.enable');
  await page.goto(new URL(APP, baseUrl()).href);
  const workerSeen = context.waitForEvent('serviceworker');
  await page.evaluate(
    async ([uid, sw, app, live]) => {
      const sdk = (await import('/dist/wd-video.js' as string)) as typeof import('wd-video');
      const w = window as unknown as Record<string, unknown>;
      const client = new sdk.VideoClient({ authUrl: '/v1/session', anonymous: { uid } });
      const log: string[] = [];
      client.on('called', (c) => log.push(`called ${c.callId}`));
      client.on('notification_accept', async (c) => {
        log.push(`accept ${c.callId}`);
        await c.accept(await sdk.createLocalStream({ captureAudio: true, captureVideo: true }));
      });
      Object.assign(w, { client, log });
      if (live) await client.start();
      // enablePush as an app calls it. Offline, Chromium's push service refuses the subscription
      // (push_unsupported); the worker is registered by then, which the hidden-tab path needs.
      try {
        await client.enablePush({ serviceWorker: sw, openUrl: app });
        log.push('enablePush ok');
      } catch (e) {
        log.push(`enablePush ${(e as { code: string }).code}`);
      }
    },
    [uid, SW, APP, !!o.live] as const,
  );
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

/** Alice signed in, in her own context, calling `to` (ring time 60 s); resolves when the call is placed. */
async function caller(browser: Browser, to: string): Promise<{ page: Page; context: BrowserContext; callId: string; placedAt: number }> {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  const page = await context.newPage();
  await page.goto(new URL(APP, baseUrl()).href);
  const uid = uniqueUid('alice');
  const placedAt = Date.now();
  const callId = await page.evaluate(
    async ([uid, to]) => {
      const sdk = (await import('/dist/wd-video.js' as string)) as typeof import('wd-video');
      const client = new sdk.VideoClient({ authUrl: '/v1/session', anonymous: { uid } });
      await client.start();
      const states: string[] = [];
      const responses: string[] = [];
      const conv = client.call(to, await sdk.createLocalStream({ captureAudio: true, captureVideo: true }), { timeout: 60_000, data: { topic: 'standup' } });
      conv.on('state', (s) => states.push(s));
      conv.on('response', (r) => responses.push(r));
      Object.assign(window, { client, conv, states, responses });
      return conv.callId;
    },
    [uid, to] as const,
  );
  return { page, context, callId, placedAt };
}

/** The notifications bob's worker shows now, as plain data (read in the worker: bob may have no page open). */
const notifications = (worker: Worker) =>
  worker.evaluate(async () => {
    const reg = (self as unknown as { registration: ServiceWorkerRegistration }).registration;
    return (await reg.getNotifications()).map((n) => ({ title: n.title, tag: n.tag, body: n.body, actions: (n as unknown as { actions: { action: string; title: string }[] }).actions, data: n.data }));
  });

async function until<T>(check: () => Promise<T | undefined | false>, what: string, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Click a notification's action, in the worker (no browser lets a script click the real one). */
const choose = (worker: Worker, tag: string, action: string) =>
  worker.evaluate(
    async ([tag, action]) => {
      const scope = self as unknown as { registration: { getNotifications(f: object): Promise<Notification[]> }; dispatchEvent(e: Event): boolean };
      const [n] = await scope.registration.getNotifications({ tag });
      const Ctor = (self as unknown as { NotificationEvent: new (t: string, i: object) => Event }).NotificationEvent;
      scope.dispatchEvent(new Ctor('notificationclick', { notification: n, action }));
    },
    [tag, action] as const,
  );

describe('Web Push: a call rings a signed-out page', () => {
  let browser: Browser;
  let rx: PushReceiver;
  before(async () => {
    browser = await launch();
    const key = await api('GET', 'key', 'push-e2e');
    rx = await startPushReceiver(key.body.publicKey as string);
  });
  after(async () => {
    await browser?.close();
    await rx?.close();
  });

  it('invite with no responders -> push (VAPID-signed, encrypted) -> notification with Accept/Decline -> Accept answers the ringing call', async () => {
    const bob = await callee(browser, rx);
    const alice = await caller(browser, bob.uid);
    try {
      const since = 0;
      const push = await rx.next(bob.sub.endpoint, since, 20_000);
      assert.equal(push.problem, undefined, 'VAPID signature valid and payload decrypted');
      const payload = push.payload as { type: string; caller: string; callId: string; data?: unknown; sdp?: unknown };
      assert.equal(payload.type, 'ring');
      assert.equal(payload.callId, alice.callId);
      assert.deepEqual(payload.data, { topic: 'standup' });
      assert.equal('sdp' in payload, false);
      // Alice hears `ringing` while the push is on its way, not UNAVAILABLE.
      await alice.page.waitForFunction(() => (window as unknown as { states: string[] }).states.includes('ringing'));

      await bob.cdp.send('ServiceWorker.deliverPushMessage', { origin: new URL(baseUrl()).origin, registrationId: bob.registrationId, data: push.text! });
      const shown = await until(async () => (await notifications(bob.worker)).find((n) => n.tag === alice.callId), 'the ring notification');
      const shownAt = Date.now();
      assert.equal(shown.title, `${payload.caller} is calling`);
      assert.deepEqual(shown.actions.map((a) => [a.action, a.title]), [['accept', 'Accept'], ['decline', 'Decline']]);
      // The figure for the closing note (no assertion on it): call placed -> notification shown,
      // including the SDK's NO_RESPONDERS_GRACE_MS (3 s) of retries before it rings by push.
      console.log(`# push: call placed -> notification shown ${shownAt - alice.placedAt} ms (push received after ${push.at - alice.placedAt} ms)`);

      await choose(bob.worker, alice.callId, 'accept');
      await alice.page.waitForFunction(() => (window as unknown as { responses: string[] }).responses.includes('ACCEPTED'), undefined, { timeout: 20_000 });
      await alice.page.waitForFunction(() => (window as unknown as { conv: { state: string } }).conv.state === 'connected', undefined, { timeout: 20_000 });
      const log = await bob.page.evaluate(() => (window as unknown as { log: string[] }).log);
      assert.ok(log.includes(`called ${alice.callId}`) && log.includes(`accept ${alice.callId}`), log.join(', '));
      assert.equal((await notifications(bob.worker)).some((n) => n.tag === alice.callId), false, 'the clicked notification is gone');
    } finally {
      await alice.context.close();
      await bob.context.close();
    }
  });

  it('Decline rejects the call; a cancelled call withdraws its notification and leaves "Missed call"', async () => {
    const bob = await callee(browser, rx);
    const origin = new URL(baseUrl()).origin;
    // Decline.
    const first = await caller(browser, bob.uid);
    try {
      const ring = await rx.next(bob.sub.endpoint, 0, 20_000);
      await bob.cdp.send('ServiceWorker.deliverPushMessage', { origin, registrationId: bob.registrationId, data: ring.text! });
      await until(async () => (await notifications(bob.worker)).some((n) => n.tag === first.callId), 'the ring notification');
      await choose(bob.worker, first.callId, 'decline');
      await first.page.waitForFunction(() => (window as unknown as { responses: string[] }).responses.includes('REJECTED'), undefined, { timeout: 20_000 });
      // Declining signed bob's page in; signed out again, the next call has no live device to ring.
      await bob.page.evaluate(() => (window as unknown as { client: { stop(): Promise<void> } }).client.stop());
    } finally {
      await first.context.close();
    }
    // Cancel: alice hangs up while it rings; her client withdraws the push.
    const second = await caller(browser, bob.uid);
    try {
      const ring = await until(async () => rx.received.find((m) => (m.payload as { callId?: string })?.callId === second.callId), 'the second ring');
      await bob.cdp.send('ServiceWorker.deliverPushMessage', { origin, registrationId: bob.registrationId, data: ring.text! });
      await until(async () => (await notifications(bob.worker)).some((n) => n.tag === second.callId), 'the second ring notification');
      await second.page.evaluate(() => (window as unknown as { conv: { close(): void } }).conv.close());
      const cancel = await until(
        async () => rx.received.find((m) => (m.payload as { type?: string; callId?: string })?.type === 'cancel' && (m.payload as { callId: string }).callId === second.callId),
        'the cancel push',
      );
      assert.equal(cancel.problem, undefined);
      assert.equal(cancel.topic, ring.topic, 'the cancel replaces the ring at the push service if undelivered');
      await bob.cdp.send('ServiceWorker.deliverPushMessage', { origin, registrationId: bob.registrationId, data: cancel.text! });
      const left = await until(async () => {
        const all = await notifications(bob.worker);
        return !all.some((n) => n.tag === second.callId) && all.find((n) => n.tag === `missed-${second.callId}`);
      }, 'the ring withdrawn and a missed-call notice');
      assert.match(left.title, /^Missed call from alice-/);
      assert.equal(left.actions.length, 0);
    } finally {
      await second.context.close();
      await bob.context.close();
    }
  });

  it('a closed tab: Accept records the choice and opens the page (#wd-answer=<callId>), which signs in and answers; a link alone answers nothing', async () => {
    const bob = await callee(browser, rx);
    // Bob closes his tab: the worker stays, no page is open.
    await bob.page.close();
    /** Bob's app page opened with `#wd-answer=<callId>`, signing in on load as an app does. */
    const openApp = async (callId: string) => {
      const page = await bob.context.newPage();
      await page.goto(new URL(`${APP}#wd-answer=${callId}`, baseUrl()).href);
      const hashLeft = await page.evaluate(
        async ([uid]) => {
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
          await client.start();
          return hashLeft;
        },
        [bob.uid] as const,
      );
      assert.equal(hashLeft, '', 'the choice is taken out of the URL, so a reload does not answer again');
      return page;
    };
    const rung = async (callId: string) => {
      const ring = await until(async () => rx.received.find((m) => (m.payload as { callId?: string })?.callId === callId), 'the ring push');
      await bob.cdp.send('ServiceWorker.deliverPushMessage', { origin: new URL(baseUrl()).origin, registrationId: bob.registrationId, data: ring.text! });
      await until(async () => (await notifications(bob.worker)).some((n) => n.tag === callId), 'the ring notification');
    };

    // Accept with no page open: the worker records the choice, then opens the page with it in the hash.
    // (clients.openWindow() needs a real click, which no script can make: the test opens that page.)
    const alice = await caller(browser, bob.uid);
    try {
      await rung(alice.callId);
      await choose(bob.worker, alice.callId, 'accept');
      await bob.worker.evaluate(async () => {
        for (;;) {
          if (await (await caches.open('wd-video-push')).match('/wd-video-push/choice')) return;
          await new Promise((r) => setTimeout(r, 20));
        }
      });
      const page = await openApp(alice.callId);
      await alice.page.waitForFunction(() => (window as unknown as { conv: { state: string } }).conv.state === 'connected', undefined, { timeout: 20_000 });
      await page.close();
    } finally {
      await alice.context.close();
    }

    // A link with the hash, which anyone could send, does not answer: the call only rings there.
    const mallory = await caller(browser, bob.uid);
    try {
      await rung(mallory.callId);
      const forged = await openApp(mallory.callId);
      await forged.waitForFunction((id) => (window as unknown as { log: string[] }).log.includes(`called ${id}`), mallory.callId, { timeout: 20_000 });
      // Quiet window: nothing announces that a choice was NOT applied; the check it waits for (Cache Storage) takes milliseconds.
      await forged.waitForTimeout(500);
      assert.deepEqual(await forged.evaluate(() => (window as unknown as { log: string[] }).log), [`called ${mallory.callId}`]);
      assert.equal(await mallory.page.evaluate(() => (window as unknown as { conv: { state: string } }).conv.state), 'ringing');
    } finally {
      await mallory.context.close();
      await bob.context.close();
    }
  });

  it('a hidden tab that is alive shows the notification itself (no push), and Accept answers in that tab', async () => {
    const bob = await callee(browser, rx, { live: true });
    const log0 = await bob.page.evaluate(() => (window as unknown as { log: string[] }).log);
    console.log(`# push: enablePush in headless Chromium offline -> ${log0.filter((l) => l.startsWith('enablePush')).join(', ')}`);
    // The tab is in the background (headless Chromium keeps every page visible, so the page is told so).
    await bob.page.evaluate(() => Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' }));
    const pushesBefore = rx.received.length;
    const alice = await caller(browser, bob.uid);
    try {
      const shown = await until(async () => (await notifications(bob.worker)).find((n) => n.tag === alice.callId), 'the local notification');
      console.log(`# push: hidden tab, call placed -> notification shown ${Date.now() - alice.placedAt} ms`);
      assert.equal(shown.title, `${(await alice.page.evaluate(() => (window as unknown as { client: { uid: string } }).client.uid))} is calling`);
      assert.deepEqual(shown.actions.map((a) => a.action), ['accept', 'decline']);
      await choose(bob.worker, alice.callId, 'accept');
      await alice.page.waitForFunction(() => (window as unknown as { conv: { state: string } }).conv.state === 'connected', undefined, { timeout: 20_000 });
      assert.equal(rx.received.slice(pushesBefore).length, 0, 'a live device is rung over NATS, not by push');
      assert.equal((await notifications(bob.worker)).some((n) => n.tag === alice.callId), false, 'answered: the notification is gone');
    } finally {
      await alice.context.close();
      await bob.context.close();
    }
  });
});
