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
import type { Browser } from 'playwright-core';
import { startPushReceiver, type PushReceiver } from '../shared/push-receiver.js';
import { launch } from './helpers.js';
import { APP, api, bobApp, callee, caller, choose, deliverUntil, notifications, until } from './push-driver.js';

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

      const shown = await deliverUntil(bob, push, async () => (await notifications(bob.worker)).find((n) => n.tag === alice.callId), 'the ring notification');
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
    // Decline.
    const first = await caller(browser, bob.uid);
    try {
      const ring = await rx.next(bob.sub.endpoint, 0, 20_000);
      await deliverUntil(bob, ring, async () => (await notifications(bob.worker)).some((n) => n.tag === first.callId), 'the ring notification');
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
      await deliverUntil(bob, ring, async () => (await notifications(bob.worker)).some((n) => n.tag === second.callId), 'the second ring notification');
      await second.page.evaluate(() => (window as unknown as { conv: { close(): void } }).conv.close());
      const cancel = await until(
        async () => rx.received.find((m) => (m.payload as { type?: string; callId?: string })?.type === 'cancel' && (m.payload as { callId: string }).callId === second.callId),
        'the cancel push',
      );
      assert.equal(cancel.problem, undefined);
      assert.equal(cancel.topic, ring.topic, 'the cancel replaces the ring at the push service if undelivered');
      const left = await deliverUntil(bob, cancel, async () => {
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
      const hashLeft = await bobApp(page, bob.uid, `${APP}#wd-answer=${callId}`, { signIn: true, enablePush: false });
      assert.equal(hashLeft, '', 'the choice is taken out of the URL, so a reload does not answer again');
      return page;
    };
    const rung = async (callId: string) => {
      const ring = await until(async () => rx.received.find((m) => (m.payload as { callId?: string })?.callId === callId), 'the ring push');
      await deliverUntil(bob, ring, async () => (await notifications(bob.worker)).some((n) => n.tag === callId), 'the ring notification');
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
