// End-to-end helpers: Debian's Chromium through playwright-core, one browser
// context per person, pages served by the token service of the test stack.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { tenFrames, type FramesSeen } from './video-frames.js';

export const baseUrl = (): string => {
  const url = process.env.WD_TEST_HTTP_URL;
  if (!url) throw new Error('WD_TEST_HTTP_URL is not set: run through `npm test -- e2e`');
  return url;
};

/** Chromium with the WebRTC flags of web-test-runner.config.mjs (fake camera, loopback ICE). */
export async function launch(): Promise<Browser> {
  const config = pathToFileURL(resolve('web-test-runner.config.mjs')).href;
  const { chromiumArgs } = (await import(config)) as { chromiumArgs: string[] };
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: chromiumArgs });
}

export interface Person {
  page: Page;
  /** Uncaught page errors: a test fails if any appear. */
  errors: string[];
  close(): Promise<void>;
}

/** A separate browser context (own storage, own connection) with one page at `path`. */
export async function person(browser: Browser, path: string): Promise<Person> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 1000 }, permissions: ['camera', 'microphone'] });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e?.stack ?? e)));
  await page.goto(new URL(path, baseUrl()).href);
  return { page, errors, close: () => context.close() };
}

/** Saves a PNG under test-artifacts/ (gitignored). */
export async function screenshot(page: Page, name: string) {
  mkdirSync('test-artifacts', { recursive: true });
  await page.screenshot({ path: join('test-artifacts', `${name}.png`), fullPage: true });
}

/** Waits until a <video> presents 10 new frames and its media time advances (video-frames.ts). */
export async function videoMoves(video: Locator): Promise<FramesSeen> {
  return video.evaluate(tenFrames);
}

/** The enabled flag of the microphone track the <wd-call> matching `selector` sends. */
export function micEnabled(page: Page, selector: string): Promise<boolean | undefined> {
  return page.locator(selector).evaluate((el) => {
    const call = el as HTMLElement & { conversation?: { localStream?: { stream: MediaStream } } };
    return call.conversation?.localStream?.stream.getAudioTracks()[0]?.enabled;
  });
}
