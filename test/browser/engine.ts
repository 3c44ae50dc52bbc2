// Which engine runs this test file, and what it (or its driver here) cannot
// do. A test that needs one of these says so with needs(); where it is
// missing the test is skipped and the reason is logged as "not applicable",
// never to hide a failure: everything else runs in every engine
// (test/browser/launchers.mjs lists them, docs/testing.md has the facts).

export type Engine = 'chromium' | 'firefox' | 'webkit';

const ua = navigator.userAgent;
export const engine: Engine = /Firefox\//.test(ua) ? 'firefox' : /Chrom(e|ium)\//.test(ua) ? 'chromium' : 'webkit';

const capabilities = {
  /** RTCPeerConnection: the call itself. */
  webrtc: {
    has: () => typeof globalThis.RTCPeerConnection === 'function',
    why: 'this WebKitGTK build has no WebRTC (built without GStreamer WebRTC: RTCPeerConnection is undefined)',
  },
  /** Chromium's fake devices (launchers.mjs): three cameras told apart by colour, three microphones, speakers to choose. */
  fakeDevices: {
    has: () => engine === 'chromium',
    why: "it needs Chromium's fake devices (--use-fake-device-for-media-stream=device-count=3: fake_device_0..2, cameras told apart by colour, and speakers); Firefox's fake media is one camera and one microphone and lists no speaker, WebKit's mock devices are two cameras under other names",
  },
  /** Switching prefers-color-scheme while the page runs (@web/test-runner-commands emulateMedia). */
  colorSchemeEmulation: {
    has: () => engine === 'chromium',
    why: "the driver cannot switch prefers-color-scheme at run time (Firefox 153's WebDriver BiDi has no emulation.setMediaFeaturesOverride, which came in 159; WebKitWebDriver has no such command)",
  },
} as const;

export type Capability = keyof typeof capabilities;

/** Whether this engine has `what`. */
export const has = (what: Capability) => capabilities[what].has();

function notApplicable(what: Capability, title: string) {
  console.info(`not applicable in ${engine}: ${title}: ${capabilities[what].why}`);
}

/**
 * In a describe() callback: every test of the suite needs `what`; where it is
 * missing they are skipped (pending) with the reason in the browser log.
 */
export function suiteNeeds(what: Capability) {
  if (has(what)) return;
  before(function () {
    notApplicable(what, this.test?.parent?.fullTitle() ?? 'suite');
    this.skip();
  });
}

/** At the start of an it() callback (`function`, not arrow): this test needs `what`. */
export function needs(test: Mocha.Context, what: Capability) {
  if (has(what)) return;
  notApplicable(what, test.test?.fullTitle() ?? 'test');
  test.skip();
}
