// <wd-incoming-call>: ringing, showing the caller as text, focus and keyboard,
// hand-over to a <wd-call>, and going away when the call does.
import { expect, fixture, html } from '@open-wc/testing';
import { waitUntil } from '../wait.js';
import { sendKeys } from '@web/test-runner-commands';
import type { WdCall } from 'wd-video/elements';
import { uniqueUid } from '../../shared/ids.js';
import { sleep } from '../../shared/wait.js';
import { authUrl } from '../env.js';
import { connected, inCall, nextEvent, pair, part, recordEvents, ringing, type WdIncomingCall, type WdVideoClient } from './helpers.js';
import { needs } from '../engine.js';

/** A short silent WAV as a data: URL, so the ringtone test needs no file. */
function silentWav(): string {
  const samples = 8000;
  const buf = new ArrayBuffer(44 + samples);
  const v = new DataView(buf);
  const str = (o: number, s: string) => [...s].forEach((c, i) => v.setUint8(o + i, c.charCodeAt(0)));
  str(0, 'RIFF');
  v.setUint32(4, 36 + samples, true);
  str(8, 'WAVEfmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, 1, true);
  v.setUint32(24, 8000, true);
  v.setUint32(28, 8000, true);
  v.setUint16(32, 1, true);
  v.setUint16(34, 8, true);
  str(36, 'data');
  v.setUint32(40, samples, true);
  for (let i = 0; i < samples; i++) v.setUint8(44 + i, 128);
  let bin = '';
  new Uint8Array(buf).forEach((b) => (bin += String.fromCharCode(b)));
  return `data:audio/wav;base64,${btoa(bin)}`;
}

describe('<wd-incoming-call>', () => {
  it('is hidden and accessible while idle', async () => {
    const el = await fixture<WdIncomingCall>(html`<wd-incoming-call></wd-incoming-call>`);
    expect(el.state).to.equal('idle');
    expect(el.getAttribute('state')).to.equal('idle');
    expect(getComputedStyle(el).display).to.equal('none');
    await expect(el).to.be.accessible();
  });

  describe('ringing', () => {
    it('an alertdialog with the caller, focus moved into it, accessible', async function () {
      needs(this, 'webrtc');
      const p = await pair();
      const button = document.createElement('button');
      button.textContent = 'page button';
      p.root.append(button);
      button.focus();
      const ring = nextEvent(p.incoming, 'wd-ring');
      await p.call.start();
      const ev = await ring;
      expect(ev.bubbles && ev.composed).to.equal(true);
      expect(ev.detail.conversation.remoteUid).to.equal(p.aliceUid);
      await p.incoming.updateComplete;
      const dialog = part(p.incoming, 'dialog');
      expect(dialog.getAttribute('role')).to.equal('alertdialog');
      expect(dialog.hidden).to.equal(false);
      expect(p.incoming.getAttribute('state')).to.equal('ringing');
      await waitUntil(() => p.incoming.shadowRoot!.activeElement === dialog, 'focus in the dialog');
      expect(part(p.incoming, 'caller').textContent).to.equal(`${p.aliceUid} is calling`);
      expect(part(p.incoming, 'title').textContent).to.equal('Incoming call');
      await expect(p.incoming).to.be.accessible();
      // Going away gives focus back where it was.
      part(p.incoming, 'decline-button').click();
      await waitUntil(() => document.activeElement === button, 'focus returned');
    });

    it('shows user data as text: <img src=x onerror=…> stays characters', async function () {
      needs(this, 'webrtc');
      const payload = '<img src=x onerror=alert(1)>';
      const p = await pair({ callAttrs: { data: payload } });
      const alerts: unknown[] = [];
      const original = window.alert;
      window.alert = (m?: unknown) => void alerts.push(m);
      try {
        await ringing(p);
        const data = part(p.incoming, 'data');
        expect(data.hidden).to.equal(false);
        expect(data.textContent).to.contain(payload);
        expect(p.incoming.shadowRoot!.querySelector('img')).to.equal(null);
        expect(document.querySelector('img')).to.equal(null);
        // Quiet window: an injected <img onerror> fires only after its load fails, and
        // nothing marks that it did not; the checks above already found no <img>.
        await sleep(300);
        expect(alerts).to.have.length(0);
        await expect(p.incoming).to.be.accessible();
      } finally {
        window.alert = original;
        p.call.hangup();
      }
    });

    it('shows object data as JSON text, and a uid-like caller name as text', async function () {
      needs(this, 'webrtc');
      const p = await pair();
      p.call.data = { order: 42, note: '<b>bold</b>' };
      await ringing(p);
      expect(part(p.incoming, 'data').textContent).to.contain('{"order":42,"note":"<b>bold</b>"}');
      expect(p.incoming.shadowRoot!.querySelector('b')).to.equal(null);
      p.call.hangup();
    });

    it('hides the data line when the caller sent none', async function () {
      needs(this, 'webrtc');
      const p = await pair();
      await ringing(p);
      expect(part(p.incoming, 'data').hidden).to.equal(true);
      p.call.hangup();
    });

    it('plays the ringtone attribute while ringing and stops after', async function () {
      needs(this, 'webrtc');
      const p = await pair({ incomingAttrs: { ringtone: silentWav() } });
      await ringing(p);
      const audio = part<HTMLAudioElement>(p.incoming, 'ringtone');
      expect(audio.src).to.match(/^data:audio\/wav/);
      expect(audio.loop).to.equal(true);
      await waitUntil(() => !audio.paused, 'ringtone playing');
      p.call.hangup();
      await waitUntil(() => audio.paused, 'ringtone stopped');
    });
  });

  describe('answering', () => {
    it('Accept without `for`: its own <wd-call> takes the call; idle again after hang-up', async function () {
      needs(this, 'webrtc');
      const p = await pair();
      const log = recordEvents(p.incoming, ['wd-accept']);
      const callee = await inCall(p);
      expect(log).to.have.length(1);
      expect(callee.parentNode).to.equal(p.incoming.shadowRoot);
      expect(p.incoming.getAttribute('state')).to.equal('in-call');
      expect(part(p.incoming, 'dialog').hidden).to.equal(true);
      await expect(p.incoming).to.be.accessible();
      const closed = nextEvent(p.call, 'wd-closed');
      callee.hangup();
      await closed;
      await waitUntil(() => p.incoming.state === 'idle', 'incoming idle');
      expect(p.incoming.shadowRoot!.querySelector('wd-call')).to.equal(null);
    });

    it('Accept with `for`: the named <wd-call> takes the call', async function () {
      needs(this, 'webrtc');
      const aliceUid = uniqueUid('alice');
      const bobUid = uniqueUid('bob');
      const root = await fixture<HTMLElement>(html`<div>
        <wd-video-client id="a" auth-url=${authUrl()} anonymous uid=${aliceUid}><wd-call remote-uid=${bobUid}></wd-call></wd-video-client>
        <wd-video-client id="b" auth-url=${authUrl()} anonymous uid=${bobUid}>
          <wd-call id="bob-call"></wd-call>
          <wd-incoming-call for="bob-call"></wd-incoming-call>
        </wd-video-client>
      </div>`);
      const [a, b] = [root.querySelector<WdVideoClient>('#a')!, root.querySelector<WdVideoClient>('#b')!];
      await Promise.all([connected(a), connected(b)]);
      const caller = a.querySelector('wd-call')!;
      const target = root.querySelector<WdCall>('#bob-call')!;
      const incoming = b.querySelector('wd-incoming-call')!;
      await waitUntil(() => caller.activeClient && incoming.activeClient);
      const ring = nextEvent(incoming, 'wd-ring');
      await caller.start();
      await ring;
      const accepted = nextEvent(incoming, 'wd-accept');
      part(incoming, 'accept-button').click();
      expect((await accepted).detail.call).to.equal(target);
      await waitUntil(() => target.state === 'connected' && caller.state === 'connected', 'connected');
      expect(incoming.shadowRoot!.querySelector('wd-call')).to.equal(null);
      expect(incoming.state).to.equal('idle');
      target.hangup();
      await waitUntil(() => caller.state === 'idle' && target.state === 'idle');
    });

    it('Escape declines; the caller hears REJECTED', async function () {
      needs(this, 'webrtc');
      const p = await pair();
      await ringing(p);
      await waitUntil(() => p.incoming.shadowRoot!.activeElement === part(p.incoming, 'dialog'));
      const declined = nextEvent(p.incoming, 'wd-decline');
      const response = nextEvent(p.call, 'wd-response');
      await sendKeys({ press: 'Escape' });
      await declined;
      expect((await response).detail.status).to.equal('REJECTED');
      expect(p.incoming.state).to.equal('idle');
    });

    /** What the service worker posts to the page when Accept or Decline is chosen on the call's notification (Web Push). */
    const notificationChoice = (action: 'accept' | 'decline', callId: string, caller: string) =>
      navigator.serviceWorker.dispatchEvent(new MessageEvent('message', { data: { type: 'wd-push-action', action, callId, caller } }));

    it('Accept chosen on the call notification answers through the dialog', async function () {
      needs(this, 'webrtc');
      if (!navigator.serviceWorker) this.skip();
      const p = await pair();
      await ringing(p);
      const accepted = nextEvent(p.incoming, 'wd-accept');
      notificationChoice('accept', p.incoming.conversation!.callId, p.aliceUid);
      const { detail } = await accepted;
      await waitUntil(() => detail.call.state === 'connected' && p.call.state === 'connected', 'connected', { timeout: 15_000 });
      p.call.hangup();
    });

    it('Decline chosen on the call notification declines: the caller hears REJECTED; a choice for another call does nothing', async function () {
      needs(this, 'webrtc');
      if (!navigator.serviceWorker) this.skip();
      const p = await pair();
      await ringing(p);
      const response = nextEvent(p.call, 'wd-response');
      notificationChoice('accept', 'someOtherCall1', p.aliceUid);
      expect(p.incoming.state).to.equal('ringing');
      notificationChoice('decline', p.incoming.conversation!.callId, p.aliceUid);
      expect((await response).detail.status).to.equal('REJECTED');
      await waitUntil(() => p.incoming.state === 'idle', 'idle after the decline');
    });

    it('Tab reaches Accept, Enter accepts', async function () {
      needs(this, 'webrtc');
      const p = await pair();
      await ringing(p);
      await waitUntil(() => p.incoming.shadowRoot!.activeElement === part(p.incoming, 'dialog'));
      await sendKeys({ press: 'Tab' });
      expect(p.incoming.shadowRoot!.activeElement).to.equal(part(p.incoming, 'accept-button'));
      const accepted = nextEvent(p.incoming, 'wd-accept');
      await sendKeys({ press: 'Enter' });
      const { detail } = await accepted;
      await waitUntil(() => detail.call.state === 'connected' && p.call.state === 'connected', 'connected', { timeout: 15_000 });
      p.call.hangup();
    });
  });

  describe('going away by itself', () => {
    it('when the caller cancels', async function () {
      needs(this, 'webrtc');
      const p = await pair();
      await ringing(p);
      const closed = nextEvent(p.incoming, 'wd-closed');
      p.call.hangup();
      expect((await closed).detail.reason).to.equal('cancelled');
      await p.incoming.updateComplete;
      expect(part(p.incoming, 'dialog').hidden).to.equal(true);
      expect(getComputedStyle(p.incoming).display).to.equal('none');
    });

    it('when the call times out', async function () {
      needs(this, 'webrtc');
      const p = await pair({ callAttrs: { timeout: '1' } });
      await ringing(p);
      const closed = nextEvent(p.incoming, 'wd-closed', 6000);
      expect((await closed).detail.reason).to.equal('timeout');
      expect(p.incoming.state).to.equal('idle');
    });

    it('when another device of the same uid answers', async function () {
      needs(this, 'webrtc');
      const aliceUid = uniqueUid('alice');
      const bobUid = uniqueUid('bob');
      const root = await fixture<HTMLElement>(html`<div>
        <wd-video-client id="a" auth-url=${authUrl()} anonymous uid=${aliceUid}><wd-call remote-uid=${bobUid}></wd-call></wd-video-client>
        <wd-video-client id="b1" auth-url=${authUrl()} anonymous uid=${bobUid}><wd-incoming-call></wd-incoming-call></wd-video-client>
        <wd-video-client id="b2" auth-url=${authUrl()} anonymous uid=${bobUid}><wd-incoming-call></wd-incoming-call></wd-video-client>
      </div>`);
      const clients = [...root.querySelectorAll<WdVideoClient>('wd-video-client')];
      await Promise.all(clients.map((c) => connected(c)));
      const caller = root.querySelector('wd-call')!;
      const [one, two] = [...root.querySelectorAll<WdIncomingCall>('wd-incoming-call')] as [WdIncomingCall, WdIncomingCall];
      await waitUntil(() => caller.activeClient && one.activeClient && two.activeClient);
      const rings = Promise.all([nextEvent(one, 'wd-ring'), nextEvent(two, 'wd-ring')]);
      await caller.start();
      await rings;
      const gone = nextEvent(two, 'wd-closed');
      await one.accept();
      expect((await gone).detail.reason).to.equal('answered_elsewhere');
      expect(two.state).to.equal('idle');
      await waitUntil(() => caller.state === 'connected', 'connected to the first device');
      caller.hangup();
    });
  });

  describe('labels and styling', () => {
    it('Simplified Chinese labels from lang', async function () {
      needs(this, 'webrtc');
      const p = await pair();
      p.bob.lang = 'zh-CN';
      await ringing(p);
      expect(part(p.incoming, 'accept-button').textContent!.trim()).to.equal('接听');
      expect(part(p.incoming, 'decline-button').textContent!.trim()).to.equal('拒绝');
      expect(part(p.incoming, 'title').textContent).to.equal('来电');
      expect(part(p.incoming, 'caller').textContent).to.equal(`${p.aliceUid} 来电`);
      await expect(p.incoming).to.be.accessible();
      p.call.hangup();
    });

    it('English labels, overridable', async () => {
      const el = await fixture<WdIncomingCall>(html`<wd-incoming-call lang="en" strings='{"accept": "Pick up"}'></wd-incoming-call>`);
      expect(part(el, 'accept-button').textContent!.trim()).to.equal('Pick up');
      expect(part(el, 'decline-button').textContent!.trim()).to.equal('Decline');
    });

    it('has its parts and slots', async () => {
      const el = await fixture<WdIncomingCall>(html`<wd-incoming-call></wd-incoming-call>`);
      for (const p of ['dialog', 'avatar', 'title', 'caller', 'data', 'actions', 'accept-button', 'decline-button', 'ringtone']) part(el, p);
      expect(el.shadowRoot!.querySelector('slot[name=avatar]')).to.exist;
      expect(el.shadowRoot!.querySelector('slot[name=actions]')).to.exist;
    });
  });
});
