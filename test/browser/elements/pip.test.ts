// <wd-call>'s picture-in-picture: Document Picture-in-Picture with the video and
// the mute, camera and hang-up buttons; the video element's own PiP where the
// browser has no Document PiP (simulated by hiding it), with Media Session actions.
import { expect } from '@open-wc/testing';
import { waitUntil } from '../wait.js';
import { sendKeys } from '@web/test-runner-commands';
import { onCleanup, runCleanups } from '../cleanup.js';
import { inCall, nextEvent, pair, part, type WdCall } from './helpers.js';
import { suiteNeeds } from '../engine.js';

interface DocumentPip {
  window: Window | null;
}
const documentPip = () => (window as unknown as { documentPictureInPicture: DocumentPip }).documentPictureInPicture;

/** Presses the PiP button with a real key press: browsers open PiP only on a user gesture. */
async function pressPip(call: WdCall) {
  await call.updateComplete;
  const b = part<HTMLButtonElement>(call, 'pip-button');
  expect(b.hidden, 'the PiP button shows during the call').to.equal(false);
  b.focus();
  await sendKeys({ press: 'Enter' });
}

describe('<wd-call> picture-in-picture', function () {
  suiteNeeds('webrtc');
  this.timeout(45_000);
  afterEach(runCleanups);

  it('Document PiP: a window with the remote video and mute, camera and hang-up buttons that act on the call; hang-up there ends the call and closes it', async () => {
    const p = await pair();
    const callee = await inCall(p);
    await pressPip(p.call);
    await waitUntil(() => documentPip().window && p.call.hasAttribute('pip'), 'the PiP window is open');
    const win = documentPip().window!;
    const doc = win.document;
    await waitUntil(() => doc.querySelector('video.remote'), 'the PiP window shows the call');
    expect(part(p.call, 'pip-button').getAttribute('aria-pressed')).to.equal('true');
    const remote = doc.querySelector<HTMLVideoElement>('video.remote')!;
    expect(remote.srcObject, 'the other side\'s video').to.equal(p.call.conversation!.remoteStream!.stream);
    expect(remote.muted, 'muted: the page keeps playing the sound').to.equal(true);
    await waitUntil(() => remote.videoWidth > 0, 'the remote video plays in the window');
    const buttons = [...doc.querySelectorAll<HTMLButtonElement>('[role="toolbar"] button')];
    expect(buttons.map((b) => b.getAttribute('aria-label'))).to.deep.equal(['Mute microphone', 'Turn camera off', 'Hang up']);

    buttons[0]!.click();
    await waitUntil(() => p.call.muted, 'muted from the PiP window');
    expect(p.call.conversation!.localStream!.stream.getAudioTracks()[0]!.enabled).to.equal(false);
    await waitUntil(() => doc.querySelector('[role="toolbar"] button')!.getAttribute('aria-pressed') === 'true', 'the window shows it');
    buttons[1]!.click();
    await waitUntil(() => p.call.cameraOff, 'camera off from the PiP window');

    const closed = nextEvent(callee, 'wd-closed');
    doc.querySelector<HTMLButtonElement>('[aria-label="Hang up"]')!.click();
    expect((await closed).detail.reason).to.equal('hangup');
    await waitUntil(() => !documentPip().window && !p.call.hasAttribute('pip'), 'the PiP window closed with the call');
    expect(p.call.state).to.equal('idle');
  });

  it('closing the PiP window (as the person would) unpresses the button; the call goes on', async () => {
    const p = await pair();
    await inCall(p);
    await pressPip(p.call);
    await waitUntil(() => documentPip().window, 'open');
    documentPip().window!.close();
    await waitUntil(() => !p.call.hasAttribute('pip'), 'pip attribute gone');
    await p.call.updateComplete;
    expect(part(p.call, 'pip-button').getAttribute('aria-pressed')).to.equal('false');
    expect(p.call.state).to.equal('connected');
    p.call.hangup();
  });

  it('without Document PiP (hidden to simulate such a browser): the remote video goes picture-in-picture; the browser\'s hang-up action (its registered Media Session handler, invoked) ends the call', async () => {
    const saved = Object.getOwnPropertyDescriptor(window, 'documentPictureInPicture');
    Object.defineProperty(window, 'documentPictureInPicture', { value: undefined, configurable: true });
    const handlers = new Map<string, (() => void) | null>();
    const originalSet = navigator.mediaSession.setActionHandler.bind(navigator.mediaSession);
    navigator.mediaSession.setActionHandler = (action: MediaSessionAction, h: MediaSessionActionHandler | null) => {
      handlers.set(action, h ? () => h({ action }) : null);
      try {
        originalSet(action as MediaSessionAction, h);
      } catch {
        // actions this Chromium does not know
      }
    };
    onCleanup(() => {
      if (saved) Object.defineProperty(window, 'documentPictureInPicture', saved);
      navigator.mediaSession.setActionHandler = originalSet;
      if (document.pictureInPictureElement) return document.exitPictureInPicture();
    });
    const p = await pair();
    const callee = await inCall(p);
    const video = part<HTMLVideoElement>(p.call, 'remote-video');
    await waitUntil(() => video.videoWidth > 0, 'remote video playing');
    await pressPip(p.call);
    await waitUntil(() => p.call.shadowRoot!.pictureInPictureElement === video, 'the remote video is in picture-in-picture');
    expect(p.call.hasAttribute('pip')).to.equal(true);
    expect([...handlers.keys()]).to.include.members(['hangup', 'togglemicrophone', 'togglecamera']);
    handlers.get('togglemicrophone')!();
    await waitUntil(() => p.call.muted, 'muted from the PiP window\'s action');
    const closed = nextEvent(callee, 'wd-closed');
    handlers.get('hangup')!();
    expect((await closed).detail.reason).to.equal('hangup');
    await waitUntil(() => !document.pictureInPictureElement && !p.call.hasAttribute('pip'), 'picture-in-picture left with the call');
    expect(handlers.get('hangup'), 'actions removed after the call').to.equal(null);
  });
});
