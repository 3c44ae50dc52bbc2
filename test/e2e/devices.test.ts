// The pre-call check and the device menu on a zero-JavaScript page served from
// the CDN bundle (their lazy chunks come from dist/chunks), in two browser
// contexts; saves screenshots of both to test-artifacts/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, Locator } from 'playwright-core';
import { launch, person, videoMoves } from './helpers.js';

/** A PNG of just `el` under test-artifacts/. */
async function shot(el: Locator, name: string) {
  mkdirSync('test-artifacts', { recursive: true });
  await el.screenshot({ path: `test-artifacts/${name}.png` });
}

describe('devices, zero-JavaScript page', () => {
  let browser: Browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it('the pre-call panel checks everything by itself; then, in the call, the Devices menu works from the keyboard', async () => {
    const alice = await person(browser, '/examples/device-check.html');
    const bob = await person(browser, '/examples/zero-js-bob.html');
    try {
      const panel = alice.page.locator('wd-device-check');
      await alice.page.locator('wd-device-check[state="done"]').waitFor({ timeout: 30_000 });
      const results = alice.page.getByRole('list', { name: 'Results' });
      for (const [name, status] of [
        ['Camera', 'OK'],
        ['Microphone', 'OK'],
        ['Speaker', 'Not tested'],
        ['Sign-in', 'OK'],
        ['Call server', 'OK'],
        ['Media relay', 'OK'],
      ]) {
        const item = results.getByRole('listitem').filter({ hasText: name });
        assert.match((await item.textContent()) ?? '', new RegExp(`${name}\\s*${status}`), `${name}: ${await item.textContent()}`);
      }
      assert.equal(await alice.page.getByRole('status').filter({ hasText: 'Check complete' }).textContent(), 'Check complete: 5 of 6 fine.');
      await videoMoves(panel.locator('video[part~="preview"]'));
      await shot(panel, 'device-check-panel');

      // The call (the panel lets go of camera and microphone when it starts): alice calls, bob accepts.
      for (const p of [alice, bob]) await p.page.locator('wd-video-client[status="connected"]').waitFor({ timeout: 15_000 });
      await alice.page.getByRole('button', { name: 'Call bob' }).click();
      await bob.page.getByRole('alertdialog').waitFor({ timeout: 15_000 });
      await bob.page.getByRole('button', { name: 'Accept' }).click();
      await alice.page.locator('wd-call[state="connected"]').waitFor({ timeout: 20_000 });
      await videoMoves(alice.page.locator('wd-call video[part~="remote-video"]'));

      const devices = alice.page.getByRole('button', { name: 'Devices' });
      await devices.focus();
      await alice.page.keyboard.press('ArrowDown');
      const menu = alice.page.getByRole('menu', { name: 'Devices' });
      await menu.waitFor();
      assert.equal(await alice.page.getByRole('group', { name: 'Camera' }).getByRole('menuitemradio', { name: 'fake_device_0', checked: true }).count(), 1);
      assert.ok(await alice.page.getByRole('group', { name: 'Speaker' }).getByRole('menuitemradio').count() > 0, 'speakers listed');
      const focused = await alice.page.evaluate(() => {
        let a: Element | null = document.activeElement;
        while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
        return a?.textContent?.trim();
      });
      assert.equal(focused, 'fake_device_0', 'focus on the camera in use');
      // The menu sits in the top layer over the call: a shot of the page region around the call.
      const box = (await alice.page.locator('wd-call').boundingBox())!;
      mkdirSync('test-artifacts', { recursive: true });
      await alice.page.screenshot({ path: 'test-artifacts/device-menu.png', clip: { x: box.x, y: Math.max(0, box.y), width: box.width, height: box.height } });

      await alice.page.keyboard.press('ArrowDown');
      await alice.page.keyboard.press('ArrowDown');
      await alice.page.keyboard.press('Enter');
      await menu.waitFor({ state: 'hidden' });
      // Choosing closes the menu at once; the switch itself (getUserMedia for the new camera, then
      // replaceTrack) finishes a moment later, so wait for the sent track to change rather than read it once.
      const sentCamera = () =>
        alice.page.locator('wd-call').evaluate((el) => (el as HTMLElement & { conversation?: { localStream?: { stream: MediaStream } } }).conversation?.localStream?.stream.getVideoTracks()[0]?.label);
      await alice.page
        .waitForFunction(
          () => {
            const el = document.querySelector('wd-call') as (HTMLElement & { conversation?: { localStream?: { stream: MediaStream } } }) | null;
            return el?.conversation?.localStream?.stream.getVideoTracks()[0]?.label === 'fake_device_2';
          },
          undefined,
          { timeout: 10_000 },
        )
        .catch(() => undefined);
      assert.equal(await sentCamera(), 'fake_device_2', 'the call now sends the chosen camera');
      await alice.page.getByRole('button', { name: 'Hang up' }).click();
      await alice.page.locator('wd-call[state="idle"]').waitFor({ timeout: 10_000 });
      assert.deepEqual([...alice.errors, ...bob.errors], []);
    } finally {
      await alice.close();
      await bob.close();
    }
  });

  it('the classic-script bundle registers <wd-device-check> and loads its panel (lazy chunks inlined)', async () => {
    const page = await person(browser, '/examples/');
    try {
      await page.page.addScriptTag({ url: '/dist/wd-video.classic.js' });
      assert.equal(await page.page.evaluate(() => typeof (window as unknown as { wdVideo?: { devices?: unknown } }).wdVideo?.devices), 'function');
      await page.page.evaluate(() => document.body.append(document.createElement('wd-device-check')));
      assert.equal(await page.page.locator('wd-device-check [part~="title"]').textContent({ timeout: 10_000 }), 'Before your call');
    } finally {
      await page.close();
    }
  });
});
