// Part 6: Web Push, call placed -> notification shown, in headless Chromium
// against a stack on loopback. Two paths: a signed-out callee rung by push (the
// caller's NO_RESPONDERS_GRACE_MS of invite retries, the ring request, web-push's
// encryption and VAPID signing, a push service on loopback standing in for FCM,
// delivery to the real service worker through CDP, showNotification), and a
// hidden callee tab that is alive (the invite over NATS, the tab's own
// notification). The pieces are the e2e test's (test/e2e/push-driver.ts, built
// to build/), so the bench and `npm test` run the same flow.
import { stats } from './setup.mjs';

/**
 * @param {{ quick: boolean, startStackFor: (origin?: string, o?: { serveStatic?: boolean, pushLoopback?: boolean }) => Promise<any>, log?: (s: string) => void }} o
 */
export async function runPush({ quick, startStackFor, log = console.log }) {
  const { chromium } = await import('playwright-core');
  const { chromiumArgs } = await import('../web-test-runner.config.mjs');
  const rounds = quick ? 2 : 10;
  const stack = await startStackFor(undefined, { serveStatic: true, pushLoopback: true });
  // The driver finds the stack the way e2e tests do.
  process.env.WD_TEST_HTTP_URL = stack.url;
  const { api, callee, caller, deliver, notifications, until } = await import('../build/test/e2e/push-driver.js');
  const { startPushReceiver } = await import('../build/test/shared/push-receiver.js');
  const rx = await startPushReceiver((await api('GET', 'key', 'bench-push')).body.publicKey);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: chromiumArgs });
  const byPush = { pushReceived: [], shown: [] };
  const hidden = [];
  try {
    for (let i = 0; i < rounds; i++) {
      const bob = await callee(browser, rx);
      const alice = await caller(browser, bob.uid);
      try {
        const push = await until(async () => rx.received.find((m) => m.payload?.callId === alice.callId), 'the ring push');
        await deliver(bob, push);
        await until(async () => (await notifications(bob.worker)).some((n) => n.tag === alice.callId), 'the notification');
        byPush.pushReceived.push(push.at - alice.placedAt);
        byPush.shown.push(Date.now() - alice.placedAt);
      } finally {
        await alice.context.close();
        await bob.context.close();
      }
      const live = await callee(browser, rx, { live: true });
      await live.page.evaluate(() => Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' }));
      const a2 = await caller(browser, live.uid);
      try {
        await until(async () => (await notifications(live.worker)).some((n) => n.tag === a2.callId), 'the local notification').catch(async (e) => {
          // Seen once in ~40 runs: say what the callee page saw, for the next time.
          throw new Error(`${e.message}; callee page log: ${JSON.stringify(await live.page.evaluate(() => window.log))}`);
        });
        hidden.push(Date.now() - a2.placedAt);
      } finally {
        await a2.context.close();
        await live.context.close();
      }
      log(`push round ${i + 1}/${rounds}: by push ${byPush.shown.at(-1)} ms, hidden tab ${hidden.at(-1)} ms`);
    }
  } finally {
    await browser.close().catch(() => {});
    await rx.close();
    await stack.stop();
  }
  return {
    rounds,
    signedOutByPushMs: { pushReceived: stats(byPush.pushReceived), notificationShown: stats(byPush.shown) },
    hiddenTabMs: { notificationShown: stats(hidden) },
    notes: [
      'time from call() in the caller page to the notification listed by registration.getNotifications() in the callee worker (polled every 50 ms)',
      'by push: includes NO_RESPONDERS_GRACE_MS (3000 ms) of invite retries before the caller asks for a push; the push service is the test one on loopback, delivery to the worker is CDP ServiceWorker.deliverPushMessage: a real push service (FCM, Mozilla, Apple) adds its own delivery time',
      'hidden tab: the page is told document.visibilityState = hidden (headless Chromium keeps pages visible); no push is involved',
    ],
  };
}

export function printPush(r) {
  const f = (s) => `median ${s.median} ms, p90 ${s.p90} ms, min ${s.min}, max ${s.max} (n=${s.n})`;
  console.log(`\n== push: call placed -> notification shown (${r.rounds} rounds) ==`);
  console.log(`signed-out callee, by push: push at the push service ${f(r.signedOutByPushMs.pushReceived)}; shown ${f(r.signedOutByPushMs.notificationShown)}`);
  console.log(`hidden tab, alive: shown ${f(r.hiddenTabMs.notificationShown)}`);
}
