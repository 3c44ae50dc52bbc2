// Chromium and Firefox for the cross-engine end-to-end tests, both driven by
// the puppeteer-core that @web/test-runner-chrome bundles (CDP for Chromium,
// WebDriver BiDi for Firefox): playwright-core cannot drive Debian's Firefox.
// Flags and prefs are the browser tests' own (test/browser/launchers.mjs).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { baseUrl } from './helpers.js';
import { tenFrames, type FramesSeen } from './video-frames.js';

/** The few puppeteer calls these tests make (puppeteer-core is not a dependency of ours: no types). */
export interface EnginePage {
  goto(url: string): Promise<unknown>;
  type(selector: string, text: string): Promise<void>;
  click(selector: string): Promise<void>;
  waitForSelector(selector: string, options?: { timeout?: number; hidden?: boolean }): Promise<unknown>;
  evaluate<A extends unknown[], R>(fn: (...args: A) => R | Promise<R>, ...args: A): Promise<R>;
  waitForFunction<A extends unknown[]>(fn: (...args: A) => unknown, options: { timeout?: number; polling?: number }, ...args: A): Promise<unknown>;
  $(selector: string): Promise<{ evaluate<R>(fn: (el: never) => R | Promise<R>): Promise<R> } | null>;
  on(event: 'pageerror', listener: (e: Error) => void): void;
  close(): Promise<void>;
}
export interface EngineBrowser {
  newPage(): Promise<EnginePage>;
  close(): Promise<void>;
}

export type EngineName = 'chromium' | 'firefox';

interface Launchers {
  puppeteerCore(): { launch(options: Record<string, unknown>): Promise<EngineBrowser> };
  chromiumArgs: string[];
  firefoxPath: string;
  firefoxPrefs: Record<string, unknown>;
}
const launchers = (): Promise<Launchers> => import(pathToFileURL(resolve('test/browser/launchers.mjs')).href) as Promise<Launchers>;

/**
 * Launches `engine`. `prefs` change Firefox prefs of the test set-up (a
 * `null` value removes one: Firefox as a user has it).
 */
export async function launchEngine(engine: EngineName, prefs: Record<string, unknown> = {}): Promise<EngineBrowser> {
  const l = await launchers();
  if (engine === 'chromium') return l.puppeteerCore().launch({ executablePath: '/usr/bin/chromium', headless: true, args: l.chromiumArgs });
  const merged = Object.fromEntries(Object.entries({ ...l.firefoxPrefs, ...prefs }).filter(([, v]) => v !== null));
  return l.puppeteerCore().launch({ browser: 'firefox', executablePath: l.firefoxPath, headless: true, extraPrefsFirefox: merged });
}

export interface DemoUser {
  engine: EngineName;
  page: EnginePage;
  uid: string;
  /** Uncaught page errors: a test fails if any appear. */
  errors: string[];
  /** `wd-error` events the page saw, as "code: message". */
  wdErrors(): Promise<string[]>;
  close(): Promise<void>;
}

/** A page of `browser` on the demo (/demo/), signed in as `uid`. */
export async function demoUser(browser: EngineBrowser, engine: EngineName, uid: string): Promise<DemoUser> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e?.stack ?? e)));
  await page.goto(new URL('/demo/', baseUrl()).href);
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { wdErrors: string[] }).wdErrors = seen;
    document.addEventListener('wd-error', (e) => {
      const err = (e as CustomEvent<{ error: { code?: string; message: string } }>).detail.error;
      seen.push(`${err.code ?? 'error'}: ${err.message}`);
    });
  });
  await page.type('#name', uid);
  await page.click('#signin-form button[type="submit"]');
  await page.waitForSelector('wd-video-client[status="connected"]', { timeout: 15_000 });
  return {
    engine,
    page,
    uid,
    errors,
    wdErrors: () => page.evaluate(() => [...(window as unknown as { wdErrors: string[] }).wdErrors]),
    close: () => page.close(),
  };
}

/** Calls `remote` from the demo's call form, relay-only when asked. */
export async function placeCall(u: DemoUser, remote: string, relay = false) {
  await u.page.type('#remote', remote);
  if (relay) await u.page.click('#relay');
  await u.page.click('#call-button');
}

/** Waits for the demo's <wd-call> to reach `state`. */
export const callState = (u: DemoUser, state: string, timeout = 20_000) => u.page.waitForSelector(`wd-call#call[state="${state}"]`, { timeout });

/** Clicks a part of an element's shadow DOM (`wd-incoming-call`, `accept-button`). */
export const clickPart = (u: DemoUser, host: string, part: string) => u.page.click(`${host} >>> [part~="${part}"]`);

/** The remote <video> of the demo's call presents 10 new frames and its time advances. */
export async function remoteVideoMoves(u: DemoUser): Promise<FramesSeen> {
  const video = await u.page.$('wd-call#call >>> video[part~="remote-video"]');
  if (!video) throw new Error(`${u.engine}: no remote video`);
  return video.evaluate(tenFrames as (el: never) => Promise<FramesSeen>);
}

/** The demo's stats line once it names the media path ("peer to peer" or "relayed (TURN)", from the SDK's stats). */
export async function shownPath(u: DemoUser, path: 'peer to peer' | 'relayed (TURN)', timeout = 15_000): Promise<string> {
  await u.page.waitForFunction((p: string) => document.getElementById('stats')?.textContent?.includes(p), { timeout, polling: 100 }, path);
  return u.page.evaluate(() => document.getElementById('stats')!.textContent ?? '');
}

/** The codecs of what the demo's call receives (`audio/opus`, `video/VP8`, ...). */
export function receivedCodecs(u: DemoUser): Promise<string[]> {
  return u.page.evaluate(async () => {
    const call = document.querySelector('wd-call#call') as HTMLElement & { conversation?: { peerConnection?: RTCPeerConnection } };
    const stats = await call.conversation?.peerConnection?.getStats();
    const all: Record<string, unknown>[] = [];
    stats?.forEach((r) => all.push(r));
    const codec = (id: unknown) => all.find((r) => r.id === id)?.mimeType as string | undefined;
    return all.filter((r) => r.type === 'inbound-rtp').map((r) => codec(r.codecId) ?? '?').sort();
  });
}
