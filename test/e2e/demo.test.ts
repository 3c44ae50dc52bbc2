// The demo page (demo/index.html under the token service) in two browser
// contexts, used as a person would: sign in, call, answer, talk, hang up.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { uniqueUid } from '../shared/ids.js';
import { launch, micEnabled, person, screenshot, videoMoves, type Person } from './helpers.js';

async function signIn(p: Person, uid: string) {
  const { page } = p;
  await page.getByLabel('Your name').fill(uid);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('wd-video-client[status="connected"]').waitFor({ timeout: 15_000 });
  assert.equal(await page.locator('#my-uid').textContent(), uid);
}

async function placeCall(page: Page, remote: string, data = '') {
  await page.getByLabel('Call uid').fill(remote);
  if (data) await page.getByLabel('Message to send (data)').fill(data);
  await page.locator('#call-button').click();
}

const idle = (page: Page) => page.locator('wd-call#call[state="idle"]').waitFor({ timeout: 15_000 });

describe('demo page, two people in two browser contexts', () => {
  let browser: Browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it('sign in, call, incoming dialog, accept, moving video both ways, mute, hang up, both idle', async () => {
    const alice = await person(browser, '/demo/');
    const bob = await person(browser, '/demo/');
    try {
      const [a, b] = [uniqueUid('alice'), uniqueUid('bob')];
      await signIn(alice, a);
      await signIn(bob, b);

      await placeCall(alice.page, b, 'hello <img src=x onerror=alert(1)>');
      const dialog = bob.page.getByRole('alertdialog');
      await dialog.waitFor({ timeout: 15_000 });
      assert.match((await dialog.textContent()) ?? '', new RegExp(`${a} is calling`));
      assert.match((await dialog.textContent()) ?? '', /hello <img src=x onerror=alert\(1\)>/);
      assert.equal(await bob.page.locator('wd-incoming-call img').count(), 0, 'data is text, not HTML');
      await screenshot(bob.page, 'demo-bob-incoming');
      await bob.page.getByRole('button', { name: 'Accept' }).click();

      await alice.page.locator('wd-call#call[state="connected"]').waitFor({ timeout: 20_000 });
      await bob.page.locator('wd-call#call[state="connected"]').waitFor({ timeout: 20_000 });
      for (const p of [alice, bob]) {
        const moved = await videoMoves(p.page.locator('wd-call#call video[part~="remote-video"]'));
        assert.ok(moved.frames >= 10 && moved.advanced > 0 && moved.width > 0, `remote video plays: ${JSON.stringify(moved)}`);
      }
      await alice.page.getByText(/^\d+:\d\d$/).first().waitFor();
      await screenshot(alice.page, 'demo-alice-in-call');
      await screenshot(bob.page, 'demo-bob-in-call');

      // Mute, then unmute.
      const mute = alice.page.getByRole('button', { name: 'Mute microphone' });
      await mute.click();
      assert.equal(await mute.getAttribute('aria-pressed'), 'true');
      assert.equal(await micEnabled(alice.page, 'wd-call#call'), false);
      await mute.click();
      assert.equal(await micEnabled(alice.page, 'wd-call#call'), true);

      await alice.page.getByRole('button', { name: 'Hang up' }).click();
      await idle(alice.page);
      await idle(bob.page);
      assert.equal(await bob.page.locator('wd-call#call [part="status"]').textContent(), 'Call ended');
      assert.equal(await bob.page.locator('wd-incoming-call').getAttribute('state'), 'idle');
      // Both histories show the call as it ends, without a reload.
      for (const [p, peer] of [[alice, `To ${b}`], [bob, `From ${a}`]] as const) {
        const item = p.page.locator('wd-call-history [part~="item"]').first();
        await item.locator('[part="outcome"]', { hasText: /^Answered, / }).waitFor({ timeout: 10_000 });
        assert.equal(await item.locator('[part="peer"]').textContent(), peer);
      }
      assert.deepEqual([...alice.errors, ...bob.errors], []);
    } finally {
      await alice.close();
      await bob.close();
    }
  });

  it('decline: the caller sees "Call declined", both idle', async () => {
    const alice = await person(browser, '/demo/');
    const bob = await person(browser, '/demo/');
    try {
      const [a, b] = [uniqueUid('alice'), uniqueUid('bob')];
      await signIn(alice, a);
      await signIn(bob, b);
      await placeCall(alice.page, b);
      await bob.page.getByRole('alertdialog').waitFor({ timeout: 15_000 });
      await bob.page.getByRole('button', { name: 'Decline' }).click();
      await idle(alice.page);
      await alice.page.locator('wd-call#call [part="status"]', { hasText: 'Call declined' }).waitFor();
      await bob.page.getByRole('alertdialog').waitFor({ state: 'hidden' });
      await idle(bob.page);
      assert.deepEqual([...alice.errors, ...bob.errors], []);
    } finally {
      await alice.close();
      await bob.close();
    }
  });

  it('caller cancels: the incoming dialog goes away, the callee\'s history shows the missed call, Call back rings the caller', async () => {
    const alice = await person(browser, '/demo/');
    const bob = await person(browser, '/demo/');
    try {
      const [a, b] = [uniqueUid('alice'), uniqueUid('bob')];
      await signIn(alice, a);
      await signIn(bob, b);
      await placeCall(alice.page, b);
      await bob.page.getByRole('alertdialog').waitFor({ timeout: 15_000 });
      await alice.page.locator('wd-call#call[state="ringing"]').waitFor();
      await alice.page.getByRole('button', { name: 'Cancel' }).click();
      await bob.page.getByRole('alertdialog').waitFor({ state: 'hidden', timeout: 10_000 });
      await idle(alice.page);
      await idle(bob.page);
      assert.equal(await bob.page.locator('wd-incoming-call').getAttribute('state'), 'idle');
      // Bob's history shows the missed call; Call back rings alice, who declines.
      const missed = bob.page.locator('wd-call-history [part="item missed unseen"]');
      await missed.locator('[part="outcome"]', { hasText: 'Missed call' }).waitFor({ timeout: 10_000 });
      await screenshot(bob.page, 'demo-bob-history');
      await missed.getByRole('button', { name: `Call back ${a}` }).click();
      await alice.page.getByRole('alertdialog').waitFor({ timeout: 15_000 });
      assert.match((await alice.page.getByRole('alertdialog').textContent()) ?? '', new RegExp(`${b} is calling`));
      await alice.page.getByRole('button', { name: 'Decline' }).click();
      await bob.page.locator('wd-call#call [part="status"]', { hasText: 'Call declined' }).waitFor({ timeout: 10_000 });
      assert.deepEqual([...alice.errors, ...bob.errors], []);
    } finally {
      await alice.close();
      await bob.close();
    }
  });

  it('Simplified Chinese from the language switch', async () => {
    const alice = await person(browser, '/demo/');
    try {
      await alice.page.getByLabel('Language').selectOption('zh-CN');
      await signIn(alice, uniqueUid('alice'));
      await alice.page.getByLabel('Call uid').fill('bob');
      await alice.page.locator('wd-call#call [part="status"]', { hasText: '就绪' }).waitFor();
      assert.equal(await alice.page.locator('wd-call#call [part~="mute-button"]').getAttribute('aria-label'), '关闭麦克风');
    } finally {
      await alice.close();
    }
  });
});
