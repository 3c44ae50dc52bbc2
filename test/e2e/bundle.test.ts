// The browser bundles as a CDN user loads them: dist/wd-video.js exports the
// SDK and the elements; with dist/wd-video-elements.js the elements render
// before the SDK chunk has arrived.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { baseUrl, launch } from './helpers.js';

describe('bundles', () => {
  let browser: Browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it('dist/wd-video.js: one module with the SDK, the Wilddog facade and the registered elements', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(new URL('/examples/', baseUrl()).href);
      const names = await page.evaluate(async () => {
        const m = (await import('/dist/wd-video.js' as string)) as Record<string, unknown>;
        return {
          exports: Object.keys(m).sort(),
          defined: ['wd-video-client', 'wd-call', 'wd-incoming-call'].map((t) => !!customElements.get(t)),
        };
      });
      for (const n of ['VideoClient', 'Conversation', 'LocalStream', 'RemoteStream', 'createLocalStream', 'wdVideo', 'WdVideoError', 'WdCall', 'WdIncomingCall', 'WdVideoClient', 'setStrings']) {
        assert.ok(names.exports.includes(n), `exports ${n}`);
      }
      assert.deepEqual(names.defined, [true, true, true]);
    } finally {
      await context.close();
    }
  });

  it('dist/wd-video-elements.js: the elements render while the SDK chunk is still on its way', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const probe = new URL('/examples/elements-only.html', baseUrl()).href;
      let sdkRequested = false;
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      // The SDK chunk is the one that holds VideoClient; hold every lazy chunk until the check is done.
      await page.route('**/dist/chunks/*.js', async (route) => {
        sdkRequested = true;
        await held;
        await route.continue();
      });
      await page.goto(probe);
      const label = page.locator('wd-call [part~="call-button"]');
      await label.waitFor({ state: 'attached', timeout: 5000 });
      assert.equal((await label.textContent())?.trim(), 'Call bob');
      assert.equal(await page.locator('wd-video-client').getAttribute('status'), 'connecting', 'no SDK yet: still connecting');
      assert.ok(sdkRequested, 'the SDK is fetched lazily, after the elements rendered');
      release();
      await page.locator('wd-video-client[status="connected"]').waitFor({ state: 'attached', timeout: 15_000 });
    } finally {
      await context.close();
    }
  });
});
