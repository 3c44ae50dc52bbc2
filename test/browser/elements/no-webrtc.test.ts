// The elements in a browser without WebRTC (Debian's WebKitGTK; elsewhere
// RTCPeerConnection is hidden for the test): the page still signs in, a call
// still rings in <wd-incoming-call> (its caller and data shown as text), and
// Call or Accept end in wd-error `webrtc_unsupported` with the camera closed,
// not in a ReferenceError or a camera light for a call that cannot happen.
import { expect, fixture, html } from '@open-wc/testing';
import { waitUntil } from '../wait.js';
import 'wd-video/elements';
import type { WdCall, WdIncomingCall, WdVideoClient } from 'wd-video/elements';
import { uniqueUid } from '../../shared/ids.js';
import { runCleanups } from '../cleanup.js';
import { authUrl } from '../env.js';
import { withoutWebRtc } from '../no-webrtc.js';
import { rawCaller } from '../raw-caller.js';
import { connected, nextEvent, part } from './helpers.js';

/** Every camera the page opens from now on (to see they are closed again). */
function watchCameras() {
  const original = navigator.mediaDevices.getUserMedia;
  const opened: MediaStream[] = [];
  navigator.mediaDevices.getUserMedia = async (c) => {
    const s = await original.call(navigator.mediaDevices, c);
    opened.push(s);
    return s;
  };
  return {
    opened,
    allClosed: () => opened.every((s) => s.getTracks().every((t) => t.readyState === 'ended')),
    restore: () => (navigator.mediaDevices.getUserMedia = original),
  };
}

describe('elements in a browser without WebRTC', function () {
  this.timeout(30_000);
  afterEach(runCleanups);

  it('<wd-call>: Call gives wd-error webrtc_unsupported, back to idle, the camera it opened closed again', async () => {
    withoutWebRtc();
    const cameras = watchCameras();
    try {
      const el = await fixture<WdVideoClient>(html`<wd-video-client auth-url=${authUrl()} anonymous uid=${uniqueUid()}><wd-call remote-uid=${uniqueUid('bob')}></wd-call></wd-video-client>`);
      await connected(el);
      const call = el.querySelector<WdCall>('wd-call')!;
      await waitUntil(() => call.activeClient);
      const err = nextEvent(call, 'wd-error');
      part(call, 'call-button').click();
      expect((await err).detail.error).to.have.property('code', 'webrtc_unsupported');
      await waitUntil(() => call.state === 'idle', 'idle', { timeout: 10_000 });
      expect(call.conversation).to.equal(undefined);
      expect(cameras.allClosed(), 'camera closed').to.equal(true);
    } finally {
      cameras.restore();
    }
  });

  it('<wd-incoming-call> rings with the caller and data as text; Accept gives wd-error webrtc_unsupported and closes the camera; Decline declines', async () => {
    withoutWebRtc();
    const cameras = watchCameras();
    try {
      const bobUid = uniqueUid('bob');
      const el = await fixture<WdVideoClient>(html`<wd-video-client auth-url=${authUrl()} anonymous uid=${bobUid}><wd-incoming-call></wd-incoming-call></wd-video-client>`);
      await connected(el);
      const incoming = el.querySelector<WdIncomingCall>('wd-incoming-call')!;
      const carol = await rawCaller();
      const ring = nextEvent(incoming, 'wd-ring');
      expect(await carol.invite(bobUid, '<img src=x onerror=alert(1)>')).to.equal('ringing');
      await ring;
      await incoming.updateComplete;
      expect(part(incoming, 'dialog').getAttribute('role')).to.equal('alertdialog');
      expect(part(incoming, 'caller').textContent).to.equal(`${carol.uid} is calling`);
      expect(part(incoming, 'data').textContent).to.contain('<img src=x onerror=alert(1)>');
      expect(part(incoming, 'data').querySelector('img')).to.equal(null);
      // Checked once faded in: mid-animation the colours are not the dialog's.
      await Promise.all(part(incoming, 'dialog').getAnimations().map((a) => a.finished));
      await expect(incoming).to.be.accessible();

      // Accept: its own <wd-call> takes the call, fails, and the call still rings there.
      const err = nextEvent(incoming, 'wd-error');
      part(incoming, 'accept-button').click();
      expect((await err).detail.error).to.have.property('code', 'webrtc_unsupported');
      await waitUntil(() => cameras.opened.length > 0 && cameras.allClosed(), 'the camera opened for Accept is closed', { timeout: 10_000 });
      const own = incoming.shadowRoot!.querySelector<WdCall>('wd-call')!;
      expect(own.conversation?.state).to.equal('incoming');

      // Declining from there reaches the caller.
      part(own, 'decline-button').click();
      await carol.heard('reject');
      await waitUntil(() => incoming.state === 'idle', 'idle after decline', { timeout: 10_000 });
    } finally {
      cameras.restore();
    }
  });
});
