// Chromium and Firefox call each other through the real stack on the demo
// page: both directions, peer to peer and relay-only (TURN), moving video both
// ways, hang-up and decline. And why relay failed in Firefox as users have it:
// Firefox skips TURN servers on loopback addresses (docs/testing.md), which
// the SDK now names in its ice_failed error.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { uniqueUid } from '../shared/ids.js';
import { callState, clickPart, demoUser, launchEngine, placeCall, receivedCodecs, remoteVideoMoves, shownPath, type DemoUser, type EngineBrowser, type EngineName } from './engines.js';

describe('Chromium and Firefox call each other (demo page, real stack)', () => {
  const browsers = {} as Record<EngineName, EngineBrowser>;
  before(async () => {
    browsers.chromium = await launchEngine('chromium');
    browsers.firefox = await launchEngine('firefox');
  });
  after(async () => {
    await Promise.all(Object.values(browsers).map((b) => b?.close()));
  });

  /** Signed-in caller on `from`, callee on `to`; closed after `fn`. */
  async function withPair(from: EngineName, to: EngineName, fn: (caller: DemoUser, callee: DemoUser) => Promise<void>) {
    const caller = await demoUser(browsers[from], from, uniqueUid(`${from}-caller`));
    const callee = await demoUser(browsers[to], to, uniqueUid(`${to}-callee`));
    try {
      await fn(caller, callee);
      assert.deepEqual([...caller.errors, ...callee.errors], [], 'no page errors');
    } finally {
      await caller.close();
      await callee.close();
    }
  }

  for (const [from, to] of [['chromium', 'firefox'], ['firefox', 'chromium']] as const) {
    for (const relay of [false, true]) {
      it(`${from} calls ${to}${relay ? ', relay only (TURN)' : ', peer to peer'}: video moves both ways, then hang-up`, async () => {
        await withPair(from, to, async (caller, callee) => {
          await placeCall(caller, callee.uid, relay);
          await callee.page.waitForSelector('wd-incoming-call[state="ringing"]', { timeout: 15_000 });
          await clickPart(callee, 'wd-incoming-call', 'accept-button');
          await callState(caller, 'connected');
          await callState(callee, 'connected');
          for (const u of [caller, callee]) {
            const moved = await remoteVideoMoves(u);
            assert.ok(moved.frames >= 10 && moved.advanced > 0 && moved.width > 0, `${u.engine} remote video plays: ${JSON.stringify(moved)}`);
            const line = await shownPath(u, relay ? 'relayed (TURN)' : 'peer to peer');
            assert.match(line, /Receiving [1-9]\d*×[1-9]\d*/, `${u.engine}: ${line}`);
            assert.deepEqual(await receivedCodecs(u), ['audio/opus', 'video/VP8'], `${u.engine} receives opus and VP8`);
          }
          await clickPart(caller, 'wd-call#call', 'hangup-button');
          await callState(caller, 'idle');
          await callState(callee, 'idle');
          assert.deepEqual(await callee.wdErrors(), []);
          assert.deepEqual(await caller.wdErrors(), []);
        });
      });
    }

    it(`${to} declines ${from}'s call: the caller hears it, both idle`, async () => {
      await withPair(from, to, async (caller, callee) => {
        await placeCall(caller, callee.uid);
        await callee.page.waitForSelector('wd-incoming-call[state="ringing"]', { timeout: 15_000 });
        await clickPart(callee, 'wd-incoming-call', 'decline-button');
        await callState(caller, 'idle');
        await caller.page.waitForFunction(() => document.querySelector('wd-call#call')?.shadowRoot?.querySelector('[part="status"]')?.textContent === 'Call declined', { timeout: 10_000 });
        await callState(callee, 'idle');
      });
    });
  }

  it('Firefox as users have it (no media.peerconnection.ice.loopback) cannot relay through a TURN server on loopback, and the error says why', async () => {
    const plain = await launchEngine('firefox', { 'media.peerconnection.ice.loopback': null });
    try {
      const caller = await demoUser(plain, 'firefox', uniqueUid('firefox-plain'));
      const callee = await demoUser(browsers.chromium, 'chromium', uniqueUid('chromium-callee'));
      try {
        await placeCall(caller, callee.uid, true);
        await callee.page.waitForSelector('wd-incoming-call[state="ringing"]', { timeout: 15_000 });
        await clickPart(callee, 'wd-incoming-call', 'accept-button');
        await callState(caller, 'idle', 30_000);
        const errors = await caller.wdErrors();
        assert.ok(
          errors.some((e) => /^ice_failed: .*no relay candidate was gathered.*loopback.*media\.peerconnection\.ice\.loopback/.test(e)),
          `Firefox's ice_failed names the cause: ${JSON.stringify(errors)}`,
        );
      } finally {
        await caller.close();
        await callee.close();
      }
    } finally {
      await plain.close();
    }
  });
});
