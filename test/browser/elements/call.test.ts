// <wd-call>: placing, taking and ending calls with real media between two clients on one page.
import { expect, fixture, html } from '@open-wc/testing';
import { waitUntil } from '../wait.js';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import { uniqueUid } from '../../shared/ids.js';
import { needs } from '../engine.js';
import { authUrl } from '../env.js';
import { stubDisplayMedia } from '../fake-screen.js';
import { connected, inCall, nextEvent, pair, part, recordEvents, ringing, videoMoves, type WdCall, type WdVideoClient } from './helpers.js';

describe('<wd-call>', () => {
  describe('idle', () => {
    it('shows a Call button for remote-uid, enabled once connected', async () => {
      const uid = uniqueUid();
      const el = await fixture<WdVideoClient>(html`<wd-video-client auth-url=${authUrl()} anonymous uid=${uid}><wd-call remote-uid="bob-idle"></wd-call></wd-video-client>`);
      const call = el.querySelector('wd-call')!;
      const button = part<HTMLButtonElement>(call, 'call-button');
      expect(button.textContent!.trim()).to.equal('Call bob-idle');
      await connected(el);
      await call.updateComplete;
      expect(button.disabled).to.equal(false);
      expect(call.state).to.equal('idle');
      expect(call.getAttribute('state')).to.equal('idle');
      for (const p of ['hangup-button', 'mute-button', 'camera-button', 'share-button', 'accept-button', 'decline-button']) {
        expect(part(call, p).hidden, `${p} hidden while idle`).to.equal(true);
      }
      await expect(call).to.be.accessible();
    });

    it('without a client or remote-uid, start() reports wd-error and stays idle', async () => {
      const el = await fixture<WdCall>(html`<wd-call></wd-call>`);
      expect(part(el, 'status').textContent).to.equal('No one to call: set remote-uid');
      const err = nextEvent(el, 'wd-error');
      await el.start();
      expect((await err).detail.error.message).to.match(/no client/);
      expect(el.state).to.equal('idle');
    });

    it('an invalid remote-uid is refused by the SDK as wd-error', async () => {
      const el = await fixture<WdVideoClient>(html`<wd-video-client auth-url=${authUrl()} anonymous uid=${uniqueUid()}><wd-call remote-uid="no spaces allowed"></wd-call></wd-video-client>`);
      await connected(el);
      const call = el.querySelector('wd-call')!;
      await waitUntil(() => call.activeClient);
      const err = nextEvent(call, 'wd-error');
      await call.start();
      expect((await err).detail.error).to.have.property('code', 'invalid_argument');
      expect(call.state).to.equal('idle');
    });

    it('an offline callee: wd-response UNAVAILABLE, wd-closed unavailable', async function () {
      needs(this, 'webrtc');
      const el = await fixture<WdVideoClient>(html`<wd-video-client auth-url=${authUrl()} anonymous uid=${uniqueUid()}><wd-call remote-uid=${uniqueUid('nobody')}></wd-call></wd-video-client>`);
      await connected(el);
      const call = el.querySelector('wd-call')!;
      await waitUntil(() => call.activeClient);
      const response = nextEvent(call, 'wd-response');
      const closed = nextEvent(call, 'wd-closed');
      await call.start();
      expect((await response).detail.status).to.equal('UNAVAILABLE');
      expect((await closed).detail.reason).to.equal('unavailable');
      expect(call.state).to.equal('idle');
      expect(part(call, 'status').textContent).to.equal('Not available');
    });
  });

  describe('failures and wiring', () => {
    it('camera refused (getUserMedia stubbed: fake devices never refuse): wd-error device_permission_denied, what to do shown as an alert, back to idle, no call placed', async function () {
      needs(this, 'webrtc');
      const p = await pair();
      const original = navigator.mediaDevices.getUserMedia;
      navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
      const rings = recordEvents(p.incoming, ['wd-ring']);
      try {
        const err = nextEvent(p.call, 'wd-error');
        await p.call.start();
        expect((await err).detail.error).to.include({ code: 'device_permission_denied', errorCode: 41005 });
        expect(p.call.state).to.equal('idle');
        expect(p.call.conversation).to.equal(undefined);
        await waitUntil(() => part(p.call, 'device-error').textContent, 'the advice shows');
        expect(part(p.call, 'device-error').getAttribute('role')).to.equal('alert');
        expect(part(p.call, 'device-error').textContent).to.match(/^Camera or microphone access is blocked\. Allow it in the browser’s address bar/);
      } finally {
        navigator.mediaDevices.getUserMedia = original;
      }
      // With the camera back, calling works; alice's messages reach bob in order, so when
      // this call rings, anything the refused attempt had sent would have arrived first.
      const ring = nextEvent(p.incoming, 'wd-ring');
      await p.call.start();
      await ring;
      expect(rings, 'bob rang once, for the second attempt').to.have.length(1);
      expect(part(p.call, 'device-error').textContent, 'the advice went with the new attempt').to.equal('');
      p.call.hangup();
    });

    it('the client property works without an enclosing <wd-video-client>', async function () {
      needs(this, 'webrtc');
      const p = await pair();
      const loose = await fixture<WdCall>(html`<wd-call></wd-call>`);
      loose.client = p.alice.client;
      loose.remoteUid = p.bobUid;
      await loose.updateComplete;
      expect(part<HTMLButtonElement>(loose, 'call-button').disabled).to.equal(false);
      const ring = nextEvent(p.incoming, 'wd-ring');
      await loose.start();
      await ring;
      loose.hangup();
      await waitUntil(() => loose.state === 'idle');
    });
  });

  describe('a full call', () => {
    it('calls, connects with moving video both ways, mutes, hangs up; every event on the way', async function () {
      needs(this, 'webrtc');
      const p = await pair({ callAttrs: { data: 'order #42' } });
      const log = recordEvents(p.call, ['wd-state-change', 'wd-response', 'wd-stream-received', 'wd-stats', 'wd-closed']);
      await ringing(p);
      expect(['calling', 'ringing']).to.include(p.call.state);
      await waitUntil(() => p.call.state === 'ringing', 'ringing');
      expect(part(p.call, 'hangup-button').textContent!.trim()).to.equal('Cancel');
      await expect(p.call).to.be.accessible();

      const callee = await inCall(p);
      expect(callee.conversation!.data).to.equal('order #42');
      expect(p.call.getAttribute('state')).to.equal('connected');
      const states = log.filter((l) => l.type === 'wd-state-change').map((l) => (l.detail as { state: string }).state);
      expect(states).to.include.members(['calling', 'ringing', 'connecting', 'connected']);
      expect(log.find((l) => l.type === 'wd-response')!.detail).to.deep.equal({ status: 'ACCEPTED' });
      // On loopback ICE may report connected just before the answer's tracks surface.
      await waitUntil(() => log.some((l) => l.type === 'wd-stream-received'), 'wd-stream-received');
      for (const l of log) expect(l.event.bubbles && l.event.composed, l.type).to.equal(true);

      // Both sides show moving remote video and a local preview.
      await videoMoves(part<HTMLVideoElement>(p.call, 'remote-video'));
      await videoMoves(part<HTMLVideoElement>(callee, 'remote-video'));
      expect(part(p.call, 'remote-video').hidden).to.equal(false);
      expect(part(p.call, 'local-video').hidden).to.equal(false);
      expect(part(p.call, 'hangup-button').textContent!.trim()).to.equal('Hang up');

      // Duration and network quality from the stats.
      const stats = await nextEvent(p.call, 'wd-stats', 6000);
      expect(stats.detail.stats).to.include.keys('width', 'height', 'fps', 'bitrate', 'delay', 'path');
      await waitUntil(() => p.call.quality > 0, 'quality known', { timeout: 8000 });
      await p.call.updateComplete;
      expect(part(p.call, 'quality').getAttribute('data-level')).to.equal(String(p.call.quality));
      expect(part(p.call, 'quality').getAttribute('aria-label')).to.match(/^Network quality: (poor|fair|good|excellent)$/);
      expect(part(p.call, 'duration').textContent).to.match(/^\d+:\d\d$/);
      expect(part(p.call, 'duration').hidden).to.equal(false);
      await expect(p.call).to.be.accessible();
      await expect(callee).to.be.accessible();

      // Mute: the button, the attribute and the sent track agree.
      const audio = () => p.call.conversation!.localStream!.stream.getAudioTracks()[0]!;
      part(p.call, 'mute-button').click();
      await p.call.updateComplete;
      expect(p.call.muted).to.equal(true);
      expect(p.call.hasAttribute('muted')).to.equal(true);
      expect(part(p.call, 'mute-button').getAttribute('aria-pressed')).to.equal('true');
      expect(audio().enabled).to.equal(false);
      part(p.call, 'mute-button').click();
      await p.call.updateComplete;
      expect(audio().enabled).to.equal(true);

      // Camera off and on.
      part(p.call, 'camera-button').click();
      await p.call.updateComplete;
      expect(p.call.hasAttribute('camera-off')).to.equal(true);
      expect(p.call.conversation!.localStream!.stream.getVideoTracks()[0]!.enabled).to.equal(false);
      expect(part(p.call, 'local-video').hidden).to.equal(true);
      p.call.cameraOff = false;
      await p.call.updateComplete;
      expect(p.call.conversation!.localStream!.stream.getVideoTracks()[0]!.enabled).to.equal(true);

      // Hang up: both back to idle, with reasons.
      const callerClosed = nextEvent(p.call, 'wd-closed');
      const calleeClosed = nextEvent(callee, 'wd-closed');
      const ownStream = p.call.conversation!.localStream!.stream;
      part(p.call, 'hangup-button').click();
      expect((await callerClosed).detail.reason).to.equal('hangup');
      expect((await calleeClosed).detail.reason).to.equal('hangup');
      await waitUntil(() => p.call.state === 'idle' && p.incoming.state === 'idle', 'both idle');
      expect(p.call.conversation).to.equal(undefined);
      expect(ownStream.getTracks().every((t) => t.readyState === 'ended'), 'own camera released').to.equal(true);
      expect(part(p.call, 'status').textContent).to.equal('Call ended');
      expect(part(p.call, 'duration').hidden).to.equal(true);
      await expect(p.call).to.be.accessible();
    });

    it('relay: media goes through TURN', async function () {
      needs(this, 'webrtc');
      const p = await pair({ callAttrs: { relay: '' } });
      expect(p.call.relay).to.equal(true);
      await inCall(p);
      expect(p.call.conversation!.relay).to.equal(true);
      const ev = await nextEvent(p.call, 'wd-stats', 6000);
      expect(ev.detail.stats.path).to.equal('relay');
      p.call.hangup();
    });

    it('timeout attribute (seconds): unanswered, wd-response TIMEOUT and wd-closed timeout', async function () {
      needs(this, 'webrtc');
      const p = await pair({ callAttrs: { timeout: '1' } });
      p.bob.addEventListener('wd-incoming', (e) => e.preventDefault()); // nobody answers
      const response = nextEvent(p.call, 'wd-response', 6000);
      const closed = nextEvent(p.call, 'wd-closed', 6000);
      await p.call.start();
      expect((await response).detail.status).to.equal('TIMEOUT');
      expect((await closed).detail.reason).to.equal('timeout');
      expect(part(p.call, 'status').textContent).to.equal('No answer');
    });

    it('audio-only: no camera, no video controls', async function () {
      needs(this, 'webrtc');
      const p = await pair({ callAttrs: { 'audio-only': '' } });
      const callee = await inCall(p);
      expect(p.call.conversation!.localStream!.stream.getVideoTracks()).to.have.length(0);
      expect(part(p.call, 'camera-button').hidden).to.equal(true);
      expect(part(p.call, 'share-button').hidden).to.equal(true);
      expect(part(p.call, 'local-video').hidden).to.equal(true);
      expect(part(p.call, 'mute-button').hidden).to.equal(false);
      await expect(p.call).to.be.accessible();
      callee.hangup();
      await waitUntil(() => p.call.state === 'idle');
    });

    it('muted and camera-off set before the call apply from the first frame', async function () {
      needs(this, 'webrtc');
      const p = await pair({ callAttrs: { muted: '', 'camera-off': '' } });
      await inCall(p);
      const s = p.call.conversation!.localStream!.stream;
      expect(s.getAudioTracks()[0]!.enabled).to.equal(false);
      expect(s.getVideoTracks()[0]!.enabled).to.equal(false);
      p.call.hangup();
    });

    it('localStream property: the page stream is used and not closed after the call', async function () {
      needs(this, 'webrtc');
      const p = await pair();
      const mine = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
      p.call.localStream = mine;
      try {
        await inCall(p);
        expect(p.call.conversation!.localStream!.stream).to.equal(mine);
        p.call.hangup();
        await waitUntil(() => p.call.state === 'idle');
        expect(mine.getTracks().every((t) => t.readyState === 'live')).to.equal(true);
      } finally {
        mine.getTracks().forEach((t) => t.stop());
      }
    });

    it('declined: wd-response REJECTED, wd-closed rejected', async function () {
      needs(this, 'webrtc');
      const p = await pair();
      await ringing(p);
      const response = nextEvent(p.call, 'wd-response');
      const closed = nextEvent(p.call, 'wd-closed');
      part(p.incoming, 'decline-button').click();
      expect((await response).detail.status).to.equal('REJECTED');
      expect((await closed).detail.reason).to.equal('rejected');
      expect(part(p.call, 'status').textContent).to.equal('Call declined');
    });

    it('cancelled by the caller: the callee dialog goes away', async function () {
      needs(this, 'webrtc');
      const p = await pair();
      await ringing(p);
      const gone = nextEvent(p.incoming, 'wd-closed');
      const closed = nextEvent(p.call, 'wd-closed');
      part(p.call, 'hangup-button').click();
      expect((await closed).detail.reason).to.equal('cancelled');
      expect((await gone).detail.reason).to.equal('cancelled');
      expect(p.incoming.state).to.equal('idle');
    });

    it('removed from the page mid-call: the call ends', async function () {
      needs(this, 'webrtc');
      const p = await pair();
      const callee = await inCall(p);
      const closed = nextEvent(callee, 'wd-closed');
      p.call.remove();
      expect((await closed).detail.reason).to.equal('hangup');
    });
  });

  describe('screen sharing', () => {
    it('swaps the sent video track for the screen and back, without renegotiation', async function () {
      needs(this, 'webrtc');
      const p = await pair();
      const callee = await inCall(p);
      const display = stubDisplayMedia();
      try {
        const pc = p.call.conversation!.peerConnection!;
        const sender = pc.getSenders().find((s) => s.track?.kind === 'video')!;
        let negotiations = 0;
        pc.addEventListener('negotiationneeded', () => negotiations++);
        part(p.call, 'share-button').click();
        await waitUntil(() => p.call.sharing, 'sharing');
        await p.call.updateComplete;
        expect(p.call.hasAttribute('sharing')).to.equal(true);
        expect(sender.track).to.equal(display.screens[0]!.track);
        expect(part(p.call, 'share-button').getAttribute('aria-pressed')).to.equal('true');
        await videoMoves(part<HTMLVideoElement>(callee, 'remote-video'), 3);

        part(p.call, 'share-button').click();
        await waitUntil(() => !p.call.sharing, 'stopped sharing');
        expect(sender.track!.kind).to.equal('video');
        expect(sender.track!.readyState).to.equal('live');
        expect(sender.track).to.not.equal(display.screens[0]!.track);
        expect(negotiations).to.equal(0);
        await videoMoves(part<HTMLVideoElement>(callee, 'remote-video'), 3);
      } finally {
        display.restore();
        p.call.hangup();
      }
    });
  });

  describe('keyboard', () => {
    it('controls are buttons reachable with Tab and operable with Enter', async function () {
      needs(this, 'webrtc');
      const p = await pair();
      await inCall(p);
      part(p.call, 'mute-button').focus();
      await sendKeys({ press: 'Enter' });
      await p.call.updateComplete;
      expect(p.call.muted).to.equal(true);
      // ' ' (not 'Space'): the one name for the space bar every driver here knows.
      await sendKeys({ press: ' ' });
      await p.call.updateComplete;
      expect(p.call.muted).to.equal(false);
      p.call.hangup();
    });
  });

  describe('labels', () => {
    it('English by default', async () => {
      const el = await fixture<WdCall>(html`<wd-call lang="en" remote-uid="bob"></wd-call>`);
      expect(part(el, 'call-button').textContent!.trim()).to.equal('Call bob');
      expect(part(el, 'mute-button').getAttribute('aria-label')).to.equal('Mute microphone');
      expect(part(el, 'controls').getAttribute('aria-label')).to.equal('Call controls');
    });

    it('Simplified Chinese from the lang of an ancestor, switching live', async () => {
      const holder = await fixture<HTMLDivElement>(html`<div lang="zh-CN"><wd-call remote-uid="bob"></wd-call></div>`);
      const el = holder.querySelector('wd-call')!;
      expect(part(el, 'call-button').textContent!.trim()).to.equal('呼叫 bob');
      expect(part(el, 'hangup-button').textContent!.trim()).to.equal('挂断');
      expect(part(el, 'mute-button').getAttribute('aria-label')).to.equal('关闭麦克风');
      holder.lang = 'en';
      await waitUntil(() => part(el, 'call-button').textContent!.trim() === 'Call bob', 'back to English');
      await expect(el).to.be.accessible();
    });

    it('every label can be overridden with the strings attribute or property', async () => {
      const el = await fixture<WdCall>(html`<wd-call lang="en" remote-uid="bob" strings='{"callUid": "Ring {uid} now", "hangup": "End"}'></wd-call>`);
      expect(part(el, 'call-button').textContent!.trim()).to.equal('Ring bob now');
      expect(part(el, 'hangup-button').textContent!.trim()).to.equal('End');
      el.strings = { mute: 'Silence' };
      await el.updateComplete;
      expect(part(el, 'mute-button').getAttribute('aria-label')).to.equal('Silence');
    });
  });

  describe('styling', () => {
    it('has every documented part and slot', async () => {
      const el = await fixture<WdCall>(html`<wd-call remote-uid="bob"></wd-call>`);
      for (const p of ['base', 'stage', 'remote-video', 'local-video', 'placeholder', 'avatar', 'remote-uid', 'status-bar', 'status', 'duration', 'quality', 'quality-bar', 'controls', 'control', 'call-button', 'accept-button', 'decline-button', 'mute-button', 'camera-button', 'switch-camera-button', 'share-button', 'hangup-button', 'pip-button', 'device-error', 'device-notice']) {
        part(el, p);
      }
      expect(el.shadowRoot!.querySelector('slot[name=avatar]')).to.exist;
      expect(el.shadowRoot!.querySelector('slot[name=actions]')).to.exist;
    });

    it('follows --wd-* custom properties', async () => {
      const el = await fixture<WdCall>(html`<wd-call remote-uid="bob" style="--wd-color-accent: rgb(1, 2, 3)"></wd-call>`);
      expect(getComputedStyle(part(el, 'call-button')).backgroundColor).to.equal('rgb(1, 2, 3)');
    });

    it('follows the dark colour scheme', async function () {
      needs(this, 'colorSchemeEmulation');
      const el = await fixture<WdCall>(html`<wd-call remote-uid="bob"></wd-call>`);
      await emulateMedia({ colorScheme: 'light' });
      const light = getComputedStyle(part(el, 'base')).backgroundColor;
      await emulateMedia({ colorScheme: 'dark' });
      try {
        const dark = getComputedStyle(part(el, 'base')).backgroundColor;
        expect(dark).to.not.equal(light);
        await expect(el).to.be.accessible();
      } finally {
        await emulateMedia({ colorScheme: 'light' });
      }
    });
  });
});
