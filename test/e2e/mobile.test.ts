// Phones, portrait (Chromium's device emulation: viewport, touch, mobile
// meta viewport): the demo and the zero-JS elements page at 375x667 (iPhone
// SE) and 390x844 (iPhone 12-15), signed in, ringing and in a call. Nothing
// may scroll sideways, every control is at least 44x44 CSS px (WCAG 2.5.5,
// Apple's HIG), and the incoming-call dialog's buttons sit where one thumb
// reaches them. Screenshots go to test-artifacts/.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { uniqueUid } from '../shared/ids.js';
import { baseUrl, launch, screenshot } from './helpers.js';

const PHONES = [
  { name: 'iphone-se', width: 375, height: 667 },
  { name: 'iphone-14', width: 390, height: 844 },
] as const;
type Phone = (typeof PHONES)[number];

const MIN_TARGET = 44;

/** A phone-sized touch context with one page at `path`. */
async function phone(browser: Browser, p: Phone, path: string) {
  const context = await browser.newContext({ viewport: { width: p.width, height: p.height }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, permissions: ['camera', 'microphone'] });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e?.stack ?? e)));
  await page.goto(new URL(path, baseUrl()).href);
  return { page, errors, close: () => context.close() };
}

/** What a user can tap that is smaller than 44x44 CSS px, and anything wider than the screen; shadow DOM included. */
async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate((min) => {
    const problems: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth) problems.push(`page scrolls sideways: ${doc.scrollWidth} > ${doc.clientWidth} px`);
    const name = (el: Element) => `${el.localName}${el.id ? `#${el.id}` : ''}${el.getAttribute('part') ? `[part=${el.getAttribute('part')}]` : ''}${el.textContent?.trim() ? ` "${el.textContent.trim().slice(0, 30)}"` : ''}`;
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
    };
    const walk = (root: Document | ShadowRoot) => {
      for (const el of root.querySelectorAll('*')) {
        if (el.shadowRoot) walk(el.shadowRoot);
        if (!visible(el)) continue;
        const r = el.getBoundingClientRect();
        if (r.right > doc.clientWidth + 0.5 && getComputedStyle(el).position !== 'fixed') problems.push(`${name(el)} ends at x=${Math.round(r.right)}, past the ${doc.clientWidth} px screen`);
        const tappable = el.matches('button, select, input:not([type=checkbox]):not([type=radio]), a[href], [role=button]');
        // A checkbox is tapped through its label.
        const target = el.matches('input[type=checkbox], input[type=radio]') ? el.closest('label') : tappable ? el : null;
        if (!target) continue;
        const t = target.getBoundingClientRect();
        if (t.width < min - 0.5 || t.height < min - 0.5) problems.push(`${name(el)} is ${Math.round(t.width)}x${Math.round(t.height)} px`);
      }
    };
    walk(document);
    return problems;
  }, MIN_TARGET);
}

async function signIn(page: Page, uid: string) {
  await page.getByLabel('Your name').fill(uid);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('wd-video-client[status="connected"]').waitFor({ timeout: 15_000 });
}

describe('phones, portrait: no sideways scrolling, 44 px touch targets, one-thumb incoming call', () => {
  let browser: Browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  for (const p of PHONES) {
    it(`demo at ${p.width}x${p.height}: signed out, signed in, ringing, in a call`, async () => {
      const alice = await phone(browser, p, '/demo/');
      const bob = await phone(browser, p, '/demo/');
      try {
        assert.deepEqual(await layoutProblems(alice.page), [], 'sign-in screen');
        await screenshot(alice.page, `mobile-${p.name}-demo-signin`);
        const [a, b] = [uniqueUid('alice'), uniqueUid('bob')];
        await signIn(alice.page, a);
        await signIn(bob.page, b);
        await alice.page.getByLabel('Call uid').fill(b);
        assert.deepEqual(await layoutProblems(alice.page), [], 'signed in, idle');
        await screenshot(alice.page, `mobile-${p.name}-demo-idle`);

        await alice.page.locator('#call-button').tap();
        const dialog = bob.page.getByRole('alertdialog');
        await dialog.waitFor({ timeout: 15_000 });
        await bob.page.waitForFunction(() => document.querySelector('wd-incoming-call')!.shadowRoot!.querySelector('[part~="dialog"]')!.getAnimations().length === 0);
        assert.deepEqual(await layoutProblems(bob.page), [], 'ringing');
        // One thumb: Accept and Decline on screen without scrolling, in the lower part of it.
        for (const name of ['Accept', 'Decline']) {
          const box = (await bob.page.getByRole('button', { name }).boundingBox())!;
          assert.ok(box.y + box.height <= p.height, `${name} is on screen: ${JSON.stringify(box)}`);
          assert.ok(box.y >= p.height / 3, `${name} is in the thumb's reach (lower two thirds): ${JSON.stringify(box)}`);
        }
        await screenshot(bob.page, `mobile-${p.name}-demo-ringing`);
        await bob.page.getByRole('button', { name: 'Accept' }).tap();

        await alice.page.locator('wd-call#call[state="connected"]').waitFor({ timeout: 20_000 });
        await bob.page.locator('wd-call#call[state="connected"]').waitFor({ timeout: 20_000 });
        for (const u of [alice, bob]) assert.deepEqual(await layoutProblems(u.page), [], 'in a call');
        await screenshot(alice.page, `mobile-${p.name}-demo-in-call`);
        await alice.page.getByRole('button', { name: 'Hang up' }).tap();
        await bob.page.locator('wd-call#call[state="idle"]').waitFor({ timeout: 15_000 });
        assert.deepEqual([...alice.errors, ...bob.errors], []);
      } finally {
        await alice.close();
        await bob.close();
      }
    });

    it(`elements alone (zero-JS page) at ${p.width}x${p.height}: idle and in a call`, async () => {
      const alice = await phone(browser, p, '/examples/zero-js.html');
      const bob = await phone(browser, p, '/examples/zero-js-bob.html');
      try {
        for (const u of [alice, bob]) await u.page.locator('wd-video-client[status="connected"]').waitFor({ timeout: 15_000 });
        assert.deepEqual(await layoutProblems(alice.page), [], 'idle');
        await screenshot(alice.page, `mobile-${p.name}-elements-idle`);
        await alice.page.getByRole('button', { name: 'Call bob' }).tap();
        await bob.page.getByRole('alertdialog').waitFor({ timeout: 15_000 });
        await bob.page.getByRole('button', { name: 'Accept' }).tap();
        await alice.page.locator('wd-call[state="connected"]').waitFor({ timeout: 20_000 });
        for (const u of [alice, bob]) assert.deepEqual(await layoutProblems(u.page), [], 'in a call');
        await screenshot(bob.page, `mobile-${p.name}-elements-in-call`);
        await alice.page.getByRole('button', { name: 'Hang up' }).tap();
        await bob.page.locator('wd-incoming-call[state="idle"]').waitFor({ state: 'attached', timeout: 15_000 });
        assert.deepEqual([...alice.errors, ...bob.errors], []);
      } finally {
        await alice.close();
        await bob.close();
      }
    });
  }
});
