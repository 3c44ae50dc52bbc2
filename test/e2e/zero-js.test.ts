// The zero-JavaScript page (examples/zero-js.html, and its mirror for bob)
// in two browser contexts: placing and receiving calls with no page script.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launch, micEnabled, person, screenshot, videoMoves, type Person } from './helpers.js';

/** alice on zero-js.html, bob on zero-js-bob.html, both signed in. */
async function both(browser: Browser): Promise<[Person, Person]> {
  const alice = await person(browser, '/examples/zero-js.html');
  const bob = await person(browser, '/examples/zero-js-bob.html');
  for (const p of [alice, bob]) await p.page.locator('wd-video-client[status="connected"]').waitFor({ timeout: 15_000 });
  return [alice, bob];
}

describe('zero-JavaScript page, two browser contexts', () => {
  let browser: Browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it('alice calls bob (relay, data), bob accepts, video both ways, mute, hang up, both idle', async () => {
    const [alice, bob] = await both(browser);
    try {
      await alice.page.getByRole('button', { name: 'Call bob' }).click();
      const dialog = bob.page.getByRole('alertdialog');
      await dialog.waitFor({ timeout: 15_000 });
      const text = (await dialog.textContent()) ?? '';
      assert.match(text, /alice is calling/);
      assert.match(text, /order #42/);
      await bob.page.getByRole('button', { name: 'Accept' }).click();

      // bob's <wd-incoming-call> has no `for`: it shows its own <wd-call>.
      await bob.page.locator('wd-incoming-call[state="in-call"]').waitFor();
      await alice.page.locator('wd-call[state="connected"]').waitFor({ timeout: 20_000 });
      await bob.page.locator('wd-incoming-call wd-call[state="connected"]').waitFor({ timeout: 20_000 });
      const relayed = await alice.page.locator('wd-call').evaluate((el) => (el as HTMLElement & { conversation?: { relay: boolean } }).conversation?.relay);
      assert.equal(relayed, true, 'the relay attribute forces TURN');
      for (const [p, sel] of [[alice, 'wd-call'], [bob, 'wd-incoming-call wd-call']] as const) {
        const moved = await videoMoves(p.page.locator(`${sel} video[part~="remote-video"]`));
        assert.ok(moved.frames >= 10 && moved.advanced > 0 && moved.width > 0, `remote video plays: ${JSON.stringify(moved)}`);
      }
      await screenshot(alice.page, 'zero-js-alice-in-call');
      await screenshot(bob.page, 'zero-js-bob-in-call');

      const mute = bob.page.getByRole('button', { name: 'Mute microphone' });
      await mute.click();
      assert.equal(await mute.getAttribute('aria-pressed'), 'true');
      assert.equal(await micEnabled(bob.page, 'wd-incoming-call wd-call'), false);

      await bob.page.getByRole('button', { name: 'Hang up' }).click();
      await alice.page.locator('wd-call[state="idle"]').waitFor({ timeout: 10_000 });
      await bob.page.locator('wd-incoming-call[state="idle"]').waitFor({ state: 'attached', timeout: 10_000 });
      assert.equal(await alice.page.locator('wd-call [part="status"]').textContent(), 'Call ended');
      assert.deepEqual([...alice.errors, ...bob.errors], []);
    } finally {
      await alice.close();
      await bob.close();
    }
  });

  it('bob declines: alice sees "Call declined"', async () => {
    const [alice, bob] = await both(browser);
    try {
      await alice.page.getByRole('button', { name: 'Call bob' }).click();
      await bob.page.getByRole('alertdialog').waitFor({ timeout: 15_000 });
      await bob.page.getByRole('button', { name: 'Decline' }).click();
      await alice.page.locator('wd-call[state="idle"] [part="status"]', { hasText: 'Call declined' }).waitFor({ timeout: 10_000 });
      await bob.page.locator('wd-incoming-call[state="idle"]').waitFor({ state: 'attached' });
      assert.deepEqual([...alice.errors, ...bob.errors], []);
    } finally {
      await alice.close();
      await bob.close();
    }
  });

  it('alice cancels while it rings: bob\'s dialog goes away', async () => {
    const [alice, bob] = await both(browser);
    try {
      await alice.page.getByRole('button', { name: 'Call bob' }).click();
      await bob.page.getByRole('alertdialog').waitFor({ timeout: 15_000 });
      await alice.page.locator('wd-call[state="ringing"]').waitFor();
      await alice.page.getByRole('button', { name: 'Cancel' }).click();
      await bob.page.getByRole('alertdialog').waitFor({ state: 'hidden', timeout: 10_000 });
      await bob.page.locator('wd-incoming-call[state="idle"]').waitFor({ state: 'attached' });
      await alice.page.locator('wd-call[state="idle"]').waitFor();
      assert.deepEqual([...alice.errors, ...bob.errors], []);
    } finally {
      await alice.close();
      await bob.close();
    }
  });
});
