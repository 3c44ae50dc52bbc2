// The browsers the browser tests run in, all Debian packages (no downloads):
// Chromium (/usr/bin/chromium), Firefox ESR (firefox-esr, driven over WebDriver
// BiDi by the puppeteer-core that @web/test-runner-chrome bundles) and WebKit
// (webkit2gtk-driver's MiniBrowser under Xvfb, see webkit-launcher.mjs).
// `WD_TEST_BROWSERS=chromium,firefox` picks some; the default is all three.
// docs/testing.md has the facts these settings rest on.
import { createRequire } from 'node:module';
import { chromeLauncher } from '@web/test-runner';
import { webkitLauncher } from './webkit-launcher.mjs';

/** Flags WebRTC needs in Chromium on this machine: see docs/testing.md. */
export const chromiumArgs = [
  '--use-fake-ui-for-media-stream',
  // Three fake cameras: 0 and 2 look different (green / yellow corner squares),
  // so a camera switch shows on the other side of a call. docs/testing.md.
  '--use-fake-device-for-media-stream=device-count=3',
  '--allow-loopback-in-peer-connection',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-gpu',
  '--autoplay-policy=no-user-gesture-required',
];

/** Debian's firefox-esr program (the /usr/bin/firefox-esr wrapper script execs it). */
export const firefoxPath = '/usr/lib/firefox-esr/firefox-esr';

/**
 * Prefs WebRTC needs in Firefox: a fake camera and microphone without a
 * permission prompt, autoplay with sound, real host addresses in ICE
 * candidates (with obfuscation Firefox offers `<uuid>.local` names, which
 * nothing resolves here: no mDNS on these machines), and loopback for ICE:
 * without `media.peerconnection.ice.loopback` Firefox skips every STUN/TURN
 * server on a loopback address ("Skipping STUN server because it is on a
 * loopback address" in MOZ_LOG=nicer:5), so the test stack's coturn on
 * 127.0.0.1 gives no relay candidate and relay calls fail (the counterpart of
 * Chromium's --allow-loopback-in-peer-connection). docs/testing.md.
 */
export const firefoxPrefs = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  'media.autoplay.default': 0,
  'media.autoplay.blocking_policy': 0,
  'media.peerconnection.ice.obfuscate_host_addresses': false,
  'media.peerconnection.ice.loopback': true,
  // No background traffic to Mozilla (there is no internet here), no first-run pages.
  'app.update.enabled': false,
  'browser.shell.checkDefaultBrowser': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.enabled': false,
};

/** puppeteer-core as @web/test-runner-chrome has it (not a dependency of ours). */
export function puppeteerCore() {
  const require = createRequire(createRequire(import.meta.url).resolve('@web/test-runner'));
  return require('@web/test-runner-chrome').puppeteerCore;
}

const launchers = {
  // Named as what it is (chromeLauncher says "Chrome").
  chromium: () => Object.assign(chromeLauncher({ launchOptions: { executablePath: '/usr/bin/chromium', headless: true, args: chromiumArgs } }), { name: 'Chromium' }),
  firefox: () =>
    chromeLauncher({
      puppeteer: puppeteerCore(),
      launchOptions: { browser: 'firefox', executablePath: firefoxPath, headless: true, extraPrefsFirefox: firefoxPrefs },
    }),
  webkit: () => webkitLauncher(),
};

/** The engines `WD_TEST_BROWSERS` names (comma-separated), else all. */
export function engines(env = process.env) {
  const names = (env.WD_TEST_BROWSERS ?? Object.keys(launchers).join(',')).split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(n in launchers));
  if (unknown.length) throw new Error(`WD_TEST_BROWSERS: unknown ${unknown.join(', ')} (known: ${Object.keys(launchers).join(', ')})`);
  return names;
}

/** A web-test-runner launcher per engine, in the order named. */
export const browsers = (env = process.env) => engines(env).map((name) => launchers[name]());
