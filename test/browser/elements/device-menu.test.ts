// <wd-call>'s device menu: a menu button with camera, microphone and speaker
// groups of radio items, operated with real key presses; what a choice does to
// the live call (bob sees the other camera), speakers, errors and unplugging
// (simulated), labels in Chinese.
import { expect } from '@open-wc/testing';
import { waitUntil } from '../wait.js';
import { sendKeys } from '@web/test-runner-commands';
import { setPreferredDevices, type WdDeviceMenu } from 'wd-video/elements';
import { onCleanup, runCleanups } from '../cleanup.js';
import { simulateUnplug } from '../fake-devices.js';
import { cornerHue, showsGreenCamera, showsYellowCamera } from '../frames.js';
import { inCall, nextEvent, pair, part, videoMoves, type Pair, type WdCall } from './helpers.js';
import { needs } from '../engine.js';

/** alice's device menu, once its chunk has loaded and rendered. */
async function menuOf(call: WdCall): Promise<WdDeviceMenu> {
  await waitUntil(() => call.shadowRoot!.querySelector('wd-device-menu')?.shadowRoot?.querySelector('button'), 'the device menu is there');
  return call.shadowRoot!.querySelector('wd-device-menu') as WdDeviceMenu;
}
const button = (m: WdDeviceMenu) => m.shadowRoot!.querySelector<HTMLButtonElement>('[part~="devices-button"]')!;
const menu = (m: WdDeviceMenu) => m.shadowRoot!.querySelector<HTMLElement>('[role="menu"]')!;
const items = (m: WdDeviceMenu) => [...m.shadowRoot!.querySelectorAll<HTMLElement>('[role="menuitemradio"]')];
const focused = (m: WdDeviceMenu) => m.shadowRoot!.activeElement as HTMLElement | null;
const checkedIn = (m: WdDeviceMenu, group: string) =>
  [...m.shadowRoot!.querySelectorAll(`[role="group"][aria-label="${group}"] [role="menuitemradio"][aria-checked="true"]`)].map((i) => i.textContent!.trim());

/** alice in a call with bob; her menu, bob's view of her. */
async function callWithMenu(opts: Parameters<typeof pair>[0] = {}) {
  const p: Pair = await pair(opts);
  const callee = await inCall(p);
  const m = await menuOf(p.call);
  const bobSees = part<HTMLVideoElement>(callee, 'remote-video');
  return { p, callee, m, bobSees };
}

describe('<wd-call> device menu', function () {
  this.timeout(45_000);
  afterEach(async () => {
    await runCleanups();
    setPreferredDevices({}); // a choice in one test must not pick the next test's camera
  });

  it('a Devices menu button; open, a menu of camera, microphone and speaker groups with the devices in use checked; accessible', async function () {
    needs(this, 'fakeDevices');
    const { p, m } = await callWithMenu();
    const b = button(m);
    expect(b.getAttribute('aria-label')).to.equal('Devices');
    expect(b.getAttribute('aria-haspopup')).to.equal('menu');
    expect(b.getAttribute('aria-expanded')).to.equal('false');
    b.click();
    await waitUntil(() => m.open && items(m).length > 0, 'open');
    expect(b.getAttribute('aria-expanded')).to.equal('true');
    expect(menu(m).getAttribute('aria-label')).to.equal('Devices');
    const groups = [...menu(m).querySelectorAll('[role="group"]')].map((g) => g.getAttribute('aria-label'));
    expect(groups).to.deep.equal(['Camera', 'Microphone', 'Speaker']);
    expect(checkedIn(m, 'Camera')).to.deep.equal(['fake_device_0']);
    expect(checkedIn(m, 'Microphone')).to.have.length(1);
    expect(checkedIn(m, 'Speaker')).to.have.length(1);
    expect(items(m).filter((i) => i.closest('[aria-label="Camera"]')).map((i) => i.textContent!.trim())).to.deep.equal(['fake_device_0', 'fake_device_1', 'fake_device_2']);
    await expect(m).to.be.accessible();
    await expect(p.call).to.be.accessible();
    p.call.hangup();
  });

  it('keyboard: ArrowDown opens on the camera in use, arrows move and wrap, Enter picks the yellow camera: bob sees it, focus back on the button', async function () {
    needs(this, 'fakeDevices');
    const { p, m, bobSees } = await callWithMenu();
    await waitUntil(() => showsGreenCamera(bobSees), `bob sees the green camera (corner hue ${cornerHue(bobSees).toFixed(2)})`, { timeout: 10_000 });
    button(m).focus();
    await sendKeys({ press: 'ArrowDown' });
    await waitUntil(() => focused(m)?.getAttribute('role') === 'menuitemradio', 'focus in the menu');
    expect(focused(m)!.textContent!.trim(), 'on the camera in use').to.equal('fake_device_0');
    await sendKeys({ press: 'ArrowUp' });
    await waitUntil(() => focused(m) === items(m).at(-1), 'ArrowUp from the first wraps to the last item');
    await sendKeys({ press: 'Home' });
    await waitUntil(() => focused(m) === items(m)[0], 'Home: the first item');
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    await waitUntil(() => focused(m)?.textContent!.trim() === 'fake_device_2', 'two down: fake_device_2');
    const changed = nextEvent(p.call, 'wd-device-change');
    await sendKeys({ press: 'Enter' });
    expect((await changed).detail).to.include({ kind: 'camera', label: 'fake_device_2', reason: 'chosen' });
    expect(m.open).to.equal(false);
    expect(focused(m), 'focus back on the button').to.equal(button(m));
    await waitUntil(() => showsYellowCamera(bobSees), `bob sees the yellow camera (corner hue ${cornerHue(bobSees).toFixed(2)})`, { timeout: 10_000 });
    expect(p.call.conversation!.localStream!.cameraId).to.equal(p.call.conversation!.peerConnection!.getSenders().find((s) => s.track?.kind === 'video')!.track!.getSettings().deviceId);

    // Space opens too (a button's own key); Escape closes without a change, focus back on the button.
    await sendKeys({ press: 'Space' });
    await waitUntil(() => m.open && focused(m)?.getAttribute('role') === 'menuitemradio', 'open again');
    expect(focused(m)!.textContent!.trim()).to.equal('fake_device_2');
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !m.open, 'closed');
    expect(focused(m)).to.equal(button(m));
    p.call.hangup();
  });

  it('choosing a speaker plays the call on it (the remote video\'s sinkId); the next call on the page starts on it', async function () {
    needs(this, 'fakeDevices');
    const { p, m } = await callWithMenu();
    await m.show();
    const speaker = items(m).find((i) => i.dataset.kind === 'speaker' && i.getAttribute('aria-checked') === 'false')!;
    const label = speaker.textContent!.trim();
    const changed = nextEvent(p.call, 'wd-device-change');
    speaker.click();
    expect((await changed).detail).to.include({ kind: 'speaker', reason: 'chosen' });
    const video = part<HTMLVideoElement>(p.call, 'remote-video');
    const id = p.call.conversation!.remoteStream!.speakerId!;
    expect(video.sinkId).to.equal(id);
    await m.show();
    expect(checkedIn(m, 'Speaker')).to.deep.equal([label]);
    m.close(false);
    p.call.hangup();
    await waitUntil(() => p.call.state === 'idle', 'idle');
    const again = await inCall(p);
    expect(again).to.exist;
    await waitUntil(() => part<HTMLVideoElement>(p.call, 'remote-video').sinkId === id, 'the next call plays on the chosen speaker');
    p.call.hangup();
  });

  it('the chosen camera is busy in another app (getUserMedia stubbed to NotReadableError for it): wd-error device_busy, the advice shown, the call keeps sending the camera it had', async function () {
    needs(this, 'fakeDevices');
    const { p, m, bobSees } = await callWithMenu();
    const sender = p.call.conversation!.peerConnection!.getSenders().find((s) => s.track?.kind === 'video')!;
    const before = sender.track!.getSettings().deviceId;
    await m.show();
    const busy = items(m).find((i) => i.textContent!.trim() === 'fake_device_2')!;
    const original = navigator.mediaDevices.getUserMedia;
    const busyId = (await navigator.mediaDevices.enumerateDevices()).find((d) => d.label === 'fake_device_2')!.deviceId;
    navigator.mediaDevices.getUserMedia = (c) =>
      ((c?.video as MediaTrackConstraints | undefined)?.deviceId as { exact?: string } | undefined)?.exact === busyId
        ? Promise.reject(new DOMException('simulated: in use by another app', 'NotReadableError'))
        : original.call(navigator.mediaDevices, c);
    onCleanup(() => (navigator.mediaDevices.getUserMedia = original));
    const err = nextEvent(p.call, 'wd-error');
    busy.click();
    expect((await err).detail.error).to.include({ code: 'device_busy' });
    await waitUntil(() => part(p.call, 'device-error').textContent, 'the advice shows');
    expect(part(p.call, 'device-error').textContent).to.equal('The camera or microphone is in use by another app or tab. Close that, then try again.');
    expect(sender.track!.readyState).to.equal('live');
    expect(sender.track!.getSettings().deviceId, 'the camera it had').to.equal(before);
    await videoMoves(bobSees, 3);
    await waitUntil(() => showsGreenCamera(bobSees), 'bob still sees the green camera', { timeout: 10_000 });
    p.call.hangup();
  });

  it('the camera in use is unplugged (simulated: stubbed enumerateDevices): back to the default, "Camera disconnected" shown and announced, wd-device-change lost', async function () {
    needs(this, 'fakeDevices');
    const { p, m, bobSees } = await callWithMenu();
    await m.show();
    items(m).find((i) => i.textContent!.trim() === 'fake_device_2')!.click();
    await waitUntil(() => showsYellowCamera(bobSees), 'bob sees the yellow camera', { timeout: 10_000 });
    const yellow = p.call.conversation!.localStream!.cameraId!;
    const lost = nextEvent(p.call, 'wd-device-change');
    await simulateUnplug((d) => d.deviceId === yellow);
    expect((await lost).detail).to.include({ kind: 'camera', label: 'fake_device_0', previous: yellow, reason: 'lost' });
    await p.call.updateComplete;
    const notice = part(p.call, 'device-notice');
    expect(notice.getAttribute('role')).to.equal('status');
    expect(notice.textContent).to.equal('Camera disconnected. Now using fake_device_0.');
    await waitUntil(() => showsGreenCamera(bobSees), 'bob sees the default (green) camera', { timeout: 10_000 });
    await m.show();
    expect(items(m).map((i) => i.textContent!.trim()), 'the unplugged camera is no longer listed').to.not.include('fake_device_2');
    m.close(false);
    p.call.hangup();
  });

  it('labels follow lang: Chinese menu and groups', async function () {
    needs(this, 'fakeDevices');
    const { p, m } = await callWithMenu();
    p.root.setAttribute('lang', 'zh-CN');
    await waitUntil(() => button(m).getAttribute('aria-label') === '设备', 'Chinese button label');
    await m.show();
    expect([...menu(m).querySelectorAll('[role="group"]')].map((g) => g.getAttribute('aria-label'))).to.deep.equal(['摄像头', '麦克风', '扬声器']);
    m.close(false);
    p.call.hangup();
  });
});
