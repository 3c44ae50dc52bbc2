// What the service worker shows for a call push, in the browser's language
// (wd-video/push-worker on a stand-in worker scope: the real worker runs in
// Chromium in test/e2e/push.test.ts, in English there).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CancelPush, RingPush } from 'wd-video/contract';
import { handleCallPush, type PushWorkerScope } from 'wd-video/push-worker';

interface Shown {
  title: string;
  options: { body: string; tag: string; actions?: { action: string; title: string }[] };
}

function workerIn(language: string | undefined) {
  const shown: Shown[] = [];
  const scope = {
    location: { href: 'https://app.example/sw.js', origin: 'https://app.example' },
    ...(language === undefined ? {} : { navigator: { language } }),
    registration: {
      showNotification: async (title: string, options?: object) => void shown.push({ title, options: options as Shown['options'] }),
      getNotifications: async () => [],
    },
    clients: { matchAll: async () => [], openWindow: async () => undefined },
    addEventListener: () => {},
  } satisfies PushWorkerScope;
  return { scope, shown };
}

const ring = (expiresIn: number): RingPush => ({ type: 'ring', caller: 'alice-1', callId: 'call-0001', expiresAt: Date.now() + expiresIn });
const cancel: CancelPush = { type: 'cancel', caller: 'alice-1', callId: 'call-0001', reason: 'cancelled' };

describe('call notifications in the browser language', () => {
  for (const [language, calling, body, accept, decline, missed] of [
    ['en-US', 'alice-1 is calling', 'Video call', 'Accept', 'Decline', 'Missed call from alice-1'],
    ['zh-CN', 'alice-1 来电', '视频通话', '接听', '拒绝', 'alice-1 的未接来电'],
    ['zh-Hans-CN', 'alice-1 来电', '视频通话', '接听', '拒绝', 'alice-1 的未接来电'],
    ['fr-FR', 'alice-1 is calling', 'Video call', 'Accept', 'Decline', 'Missed call from alice-1'],
    [undefined, 'alice-1 is calling', 'Video call', 'Accept', 'Decline', 'Missed call from alice-1'],
  ] as const) {
    it(`${language ?? 'no language'}: "${calling}" with ${accept} and ${decline}; "${missed}" after a cancel or a late ring`, async () => {
      const w = workerIn(language);
      await handleCallPush(w.scope, ring(30_000));
      await handleCallPush(w.scope, cancel);
      await handleCallPush(w.scope, ring(-1000));
      assert.deepEqual(
        w.shown.map((s) => s.title),
        [calling, missed, missed],
      );
      assert.equal(w.shown[0]!.options.body, body);
      assert.deepEqual(w.shown[0]!.options.actions, [
        { action: 'accept', title: accept },
        { action: 'decline', title: decline },
      ]);
    });
  }
});
