// <wd-device-check>: the pre-call panel with attributes only, against the real
// stack: camera preview, microphone level, speaker test, network verdicts;
// broken setups (a relay that refuses its credentials, camera refused or busy:
// getUserMedia stubbed, as fake devices never refuse), accessibility, labels,
// and the devices chosen here being the ones the next call uses.
import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
import { expect, fixture, html } from '@open-wc/testing';
import { waitUntil } from '../wait.js';
import { setPreferredDevices, type DeviceCheckResults, type WdDeviceCheck } from 'wd-video/elements';
import { uniqueUid } from '../../shared/ids.js';
import { onCleanup, runCleanups } from '../cleanup.js';
import { authUrl } from '../env.js';
import { cornerHue, showsYellowCamera } from '../frames.js';
import { inCall, nextEvent, pair, part, type WdVideoClient } from './helpers.js';
import { has, needs } from '../engine.js';

const verdict = (el: WdDeviceCheck, item: keyof DeviceCheckResults) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="verdict"][data-item="${item}"]`)!;
const text = (el: WdDeviceCheck, item: keyof DeviceCheckResults) => verdict(el, item).querySelector('[part~="verdict-text"]')!.textContent!.trim();
const status = (el: WdDeviceCheck, item: keyof DeviceCheckResults) => verdict(el, item).dataset.status;
const done = (el: WdDeviceCheck) => waitUntil(() => el.getAttribute('state') === 'done', `the check completes (state ${el.state})`, { timeout: 25_000 });

/** A zero-JavaScript panel: markup only, inside a signed-in <wd-video-client>. */
async function panelInClient(attrs = 'autostart') {
  const uid = uniqueUid('alice');
  const root = await fixture<WdVideoClient>(html`<wd-video-client auth-url=${authUrl()} anonymous uid=${uid}></wd-video-client>`);
  root.innerHTML = `<wd-device-check ${attrs}></wd-device-check>`;
  return root.querySelector('wd-device-check')!;
}

/** Replaces getUserMedia with `fake` for this test. */
function stubCamera(fake: (c: MediaStreamConstraints | undefined, real: (c?: MediaStreamConstraints) => Promise<MediaStream>) => Promise<MediaStream>) {
  const original = navigator.mediaDevices.getUserMedia;
  const real = (c?: MediaStreamConstraints) => original.call(navigator.mediaDevices, c);
  const calls: (MediaStreamConstraints | undefined)[] = [];
  navigator.mediaDevices.getUserMedia = (c) => (calls.push(c), fake(c, real));
  onCleanup(() => (navigator.mediaDevices.getUserMedia = original));
  return calls;
}

describe('<wd-device-check>', function () {
  this.timeout(45_000);
  afterEach(async () => {
    await runCleanups();
    setPreferredDevices({});
  });

  it('zero JavaScript, a working setup: preview plays, the meter hears the microphone, sign-in/server/relay ok with round trips; wd-check-complete', async function () {
    needs(this, 'fakeDevices');
    const el = await panelInClient();
    const complete = nextEvent(el, 'wd-check-complete', 25_000);
    await done(el);
    const results = (await complete).detail.results;
    expect(results.camera).to.include({ status: 'ok', label: 'fake_device_0' });
    expect(results.microphone.status).to.equal('ok');
    expect(results.speaker.status, 'a speaker needs a person').to.equal('untested');
    for (const n of ['signIn', 'signaling', 'relay'] as const) expect(results[n].status, `${n}: ${JSON.stringify(results[n])}`).to.equal('ok');
    expect(results.relay.ms).to.be.a('number');
    await el.updateComplete;
    const preview = part<HTMLVideoElement>(el, 'preview');
    expect(preview.videoWidth, 'the preview plays').to.be.greaterThan(0);
    // Chromium's fake microphone beeps about once a second: the meter shows each beep.
    await waitUntil(() => part<HTMLMeterElement>(el, 'level').value >= 0.33, 'the meter shows the microphone\'s beep', { timeout: 5000 });
    expect(text(el, 'camera')).to.equal('Working: fake_device_0.');
    expect(text(el, 'relay')).to.match(/^Works: \d+ ms round trip through the relay\.$/);
    expect(text(el, 'signaling')).to.match(/^Reachable: \d+ ms round trip\.$/);
    expect(text(el, 'speaker')).to.equal('Play the test sound, then say whether you heard it.');
    expect(part(el, 'summary').textContent).to.equal('Check complete: 5 of 6 fine.');
    expect(part(el, 'summary').getAttribute('role')).to.equal('status');
    await expect(el).to.be.accessible();
  });

  it('speaker test: Play, "Did you hear it?", I heard it -> OK; I heard nothing -> what to do', async function () {
    needs(this, 'fakeDevices');
    const el = await panelInClient();
    await done(el);
    part<HTMLButtonElement>(el, 'sound-button').click();
    await waitUntil(() => !part(el, 'heard').hidden, 'asks whether it was heard', { timeout: 10_000 });
    expect(part(el, 'heard').getAttribute('role')).to.equal('group');
    expect(el.shadowRoot!.getElementById('heard-question')!.textContent).to.equal('Did you hear the test sound?');
    part<HTMLButtonElement>(el, 'not-heard-button').click();
    await el.updateComplete;
    expect(status(el, 'speaker')).to.equal('warn');
    expect(text(el, 'speaker')).to.match(/^Turn the volume up/);
    part<HTMLButtonElement>(el, 'heard-button').click();
    await el.updateComplete;
    expect(status(el, 'speaker')).to.equal('ok');
    expect(el.results!.speaker.status).to.equal('ok');
  });

  it('a relay that refuses its credentials (token service with a wrong TURN secret): relay fails with what to do, the rest ok', async function () {
    needs(this, 'fakeDevices');
    const { authUrl: broken } = (await executeServerCommand('wd-stack', { action: 'token-service', turnSecret: 'not-what-coturn-has' })) as { authUrl: string };
    const el = await fixture<WdDeviceCheck>(html`<wd-device-check auth-url=${broken} anonymous autostart></wd-device-check>`);
    await done(el);
    expect(el.results!.relay).to.include({ status: 'fail', code: 'refused' });
    expect(status(el, 'relay')).to.equal('fail');
    expect(verdict(el, 'relay').querySelector('[part~="verdict-status"]')!.textContent).to.equal('Problem');
    expect(text(el, 'relay')).to.match(/^The relay refused its credentials: a problem on the service’s side, not yours\./);
    expect(el.results!.signIn.status).to.equal('ok');
    expect(el.results!.signaling.status).to.equal('ok');
    expect(el.results!.camera.status).to.equal('ok');
    expect(part(el, 'summary').textContent).to.equal('Check complete: 4 of 6 fine.');
  });

  it('the call service is down (nothing listens at auth-url): sign-in fails with what to do, the server and relay are not checked', async () => {
    const el = await fixture<WdDeviceCheck>(html`<wd-device-check auth-url="http://127.0.0.1:1/v1/session" anonymous autostart></wd-device-check>`);
    await done(el);
    expect(el.results!.signIn).to.include({ status: 'fail', code: 'connect_failed' });
    expect(text(el, 'signIn')).to.equal('Cannot reach the call service. Check your internet connection.');
    expect(el.results!.signaling).to.include({ status: 'untested', code: 'skipped' });
    expect(text(el, 'relay')).to.equal('Not checked: the sign-in failed.');
  });

  it('camera and microphone refused (getUserMedia stubbed to NotAllowedError): both fail with how to allow them, asked once', async () => {
    const calls = stubCamera(() => Promise.reject(new DOMException('simulated', 'NotAllowedError')));
    const el = await panelInClient();
    await done(el);
    expect(el.results!.camera).to.include({ status: 'fail', code: 'device_permission_denied' });
    expect(el.results!.microphone).to.include({ status: 'fail', code: 'device_permission_denied' });
    expect(text(el, 'camera')).to.match(/^Camera or microphone access is blocked\. Allow it in the browser’s address bar/);
    expect(calls, 'one request: no second prompt after a refusal').to.have.length(1);
    expect(el.results!.signaling.status, 'the network is checked all the same').to.equal('ok');
    // The relay too, where the browser has WebRTC; where it has none the panel says it cannot call.
    if (has('webrtc')) expect(el.results!.relay.status).to.equal('ok');
    else expect(text(el, 'relay')).to.match(/^This browser cannot make video calls \(it has no WebRTC\)/);
  });

  it('the camera busy in another app, the microphone fine (stubbed NotReadableError for video): camera fails with what to do, microphone ok', async () => {
    stubCamera((c, real) => (c?.video ? Promise.reject(new DOMException('simulated', 'NotReadableError')) : real(c)));
    const el = await panelInClient();
    await done(el);
    expect(el.results!.camera).to.include({ status: 'fail', code: 'device_busy' });
    expect(text(el, 'camera')).to.equal('The camera or microphone is in use by another app or tab. Close that, then try again.');
    expect(el.results!.microphone.status).to.not.equal('fail');
  });

  it('keyboard and screen readers: a labelled region, labelled selects and meter, Start operable with Enter', async function () {
    needs(this, 'fakeDevices');
    const el = await panelInClient('');
    await waitUntil(() => el.shadowRoot!.querySelector('[part~="start-button"]'), 'panel loaded');
    await expect(el).to.be.accessible();
    const section = part(el, 'base');
    expect(section.getAttribute('aria-labelledby')).to.equal('title');
    expect(part(el, 'title').textContent).to.equal('Before your call');
    const start = part<HTMLButtonElement>(el, 'start-button');
    expect(start.textContent!.trim()).to.equal('Check camera, microphone and network');
    start.focus();
    await sendKeys({ press: 'Enter' });
    await done(el);
    expect(start.textContent!.trim()).to.equal('Check again');
    for (const sel of ['camera-select', 'microphone-select', 'speaker-select']) {
      const s = part<HTMLSelectElement>(el, sel);
      expect(s.closest('label')!.textContent!.trim(), sel).to.match(/^(Camera|Microphone|Speaker)/);
    }
    expect(part(el, 'level').id).to.equal('level');
    expect(el.shadowRoot!.querySelector('label[for="level"]')!.textContent).to.equal('Microphone level');
    expect(part(el, 'verdicts').getAttribute('aria-label')).to.equal('Results');
    await expect(el).to.be.accessible();
  });

  it('labels follow lang (Simplified Chinese)', async () => {
    const holder = await fixture<HTMLDivElement>(html`<div lang="zh-CN"><wd-device-check></wd-device-check></div>`);
    const el = holder.querySelector('wd-device-check')!;
    await waitUntil(() => el.shadowRoot!.querySelector('[part~="title"]'), 'panel loaded');
    expect(part(el, 'title').textContent).to.equal('通话前检查');
    expect(part(el, 'start-button').textContent!.trim()).to.equal('检查摄像头、麦克风和网络');
  });

  it('a Chinese page, camera refused (getUserMedia stubbed): verdict and advice in Chinese; a French page falls back to English', async () => {
    stubCamera(() => Promise.reject(new DOMException('simulated', 'NotAllowedError')));
    const holder = await fixture<HTMLDivElement>(html`<div lang="zh-CN"><wd-device-check autostart></wd-device-check></div>`);
    const el = holder.querySelector('wd-device-check')!;
    await done(el);
    await waitUntil(() => text(el, 'camera').startsWith('摄像头或麦克风的访问被阻止'), `Chinese advice (got "${text(el, 'camera')}")`);
    expect(verdict(el, 'camera').querySelector('[part~="verdict-status"]')!.textContent).to.equal('有问题');
    holder.lang = 'fr';
    await waitUntil(() => text(el, 'camera').startsWith('Camera or microphone access is blocked'), 'English for a language without labels');
  });

  it('the camera chosen in the panel is the one the next <wd-call> sends (bob sees it); the call starting releases the panel\'s camera', async function () {
    needs(this, 'fakeDevices');
    const p = await pair();
    const el = document.createElement('wd-device-check');
    p.alice.prepend(el);
    onCleanup(() => el.remove());
    await el.start();
    await done(el);
    const select = part<HTMLSelectElement>(el, 'camera-select');
    const yellow = [...select.options].find((o) => o.textContent === 'fake_device_2')!.value;
    select.value = yellow;
    select.dispatchEvent(new Event('change'));
    await waitUntil(() => el.run!.cameraId === yellow && el.results!.camera.status === 'ok', 'the preview shows the chosen camera');
    const panelTracks = [...el.run!.camera!.getTracks()];
    const callee = await inCall(p);
    expect(panelTracks.map((t) => t.readyState), 'the call starting took the camera from the panel').to.deep.equal(['ended']);
    expect(el.results!.camera.status, 'the verdicts stay').to.equal('ok');
    expect(p.call.conversation!.localStream!.cameraId).to.equal(yellow);
    const bobSees = part<HTMLVideoElement>(callee, 'remote-video');
    await waitUntil(() => showsYellowCamera(bobSees), 'bob sees the yellow camera', { timeout: 10_000 }).catch((e: Error) => {
      throw new Error(`${e.message} (corner hue ${cornerHue(bobSees).toFixed(2)})`);
    });
    p.call.hangup();
  });

  it('removed from the page: camera and microphone are released', async () => {
    const el = await panelInClient();
    await done(el);
    const tracks = [...el.run!.camera!.getTracks()];
    el.remove();
    expect(tracks.every((t) => t.readyState === 'ended')).to.equal(true);
    expect(el.state).to.equal('idle');
  });
});
