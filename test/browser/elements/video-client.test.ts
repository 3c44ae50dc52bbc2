// <wd-video-client>: sign-in attributes, status, context and its events, against the real stack.
import { expect, fixture, html } from '@open-wc/testing';
import { waitUntil } from '../wait.js';
import { uniqueUid } from '../../shared/ids.js';
import { sleep } from '../../shared/wait.js';
import { authUrl } from '../env.js';
import { connected, nextEvent, pair, recordEvents, type WdCall, type WdVideoClient } from './helpers.js';
import { needs } from '../engine.js';

describe('<wd-video-client>', () => {
  describe('attributes and properties', () => {
    it('signs in anonymously with auth-url + anonymous + uid and reflects status', async () => {
      const uid = uniqueUid();
      const el = await fixture<WdVideoClient>(html`<wd-video-client auth-url=${authUrl()} anonymous uid=${uid}></wd-video-client>`);
      const log = recordEvents(el, ['wd-status-change']);
      const ev = await nextEvent(el, 'wd-connected');
      expect(ev.detail.uid).to.equal(uid);
      expect(el.status).to.equal('connected');
      expect(el.getAttribute('status')).to.equal('connected');
      expect(el.client?.uid).to.equal(uid);
      expect(log.map((l) => (l.detail as { status: string }).status)).to.include('connected');
      expect(ev.bubbles && ev.composed).to.equal(true);
    });

    it('resolves a relative auth-url against the page', async () => {
      const url = new URL(authUrl());
      // The test page is served by web-test-runner, not the token service: a path-absolute
      // URL would miss it, so prove resolution with a protocol-relative one.
      const rel = `//${url.host}${url.pathname}`;
      const el = await fixture<WdVideoClient>(html`<wd-video-client auth-url=${rel} anonymous uid=${uniqueUid()}></wd-video-client>`);
      await connected(el);
    });

    it('gives a random guest uid to anonymous without uid', async () => {
      const el = await fixture<WdVideoClient>(html`<wd-video-client auth-url=${authUrl()} anonymous></wd-video-client>`);
      const ev = await nextEvent(el, 'wd-connected');
      expect(ev.detail.uid).to.match(/^guest-[a-z0-9]+$/);
    });

    it('stays idle without credentials, then signs in when they arrive', async () => {
      const el = await fixture<WdVideoClient>(html`<wd-video-client auth-url=${authUrl()}></wd-video-client>`);
      expect(el.status).to.equal('idle');
      expect(el.client).to.equal(undefined);
      el.uid = uniqueUid();
      el.anonymous = true;
      await connected(el);
    });

    it('signs in again under a new uid when the uid attribute changes', async () => {
      const el = await fixture<WdVideoClient>(html`<wd-video-client auth-url=${authUrl()} anonymous uid=${uniqueUid()}></wd-video-client>`);
      await connected(el);
      const first = el.client;
      const next = uniqueUid();
      const again = nextEvent(el, 'wd-connected');
      el.setAttribute('uid', next);
      expect((await again).detail.uid).to.equal(next);
      expect(el.client).to.not.equal(first);
      expect(first!.status).to.equal('disconnected');
    });

    it('token attribute: a refused token gives wd-token-error and status error', async () => {
      const el = await fixture<WdVideoClient>(html`<wd-video-client auth-url=${authUrl()} token="not-a-valid-token"></wd-video-client>`);
      const ev = await nextEvent(el, 'wd-token-error');
      expect(ev.detail.error).to.have.property('code', 'token_invalid');
      await waitUntil(() => el.status === 'error', 'status error');
      expect(el.getAttribute('status')).to.equal('error');
    });

    it('token property: setting one on a live client re-signs in through setToken', async () => {
      const el = await fixture<WdVideoClient>(html`<wd-video-client auth-url=${authUrl()} anonymous uid=${uniqueUid()}></wd-video-client>`);
      await connected(el);
      const client = el.client!;
      const err = nextEvent(el, 'wd-token-error');
      el.token = 'another-invalid-token';
      expect((await err).detail.error).to.have.property('code', 'token_invalid');
      expect(el.client, 'same client, new token').to.equal(client);
    });

    it('an unreachable auth-url gives wd-error and status error', async () => {
      const el = await fixture<WdVideoClient>(html`<wd-video-client auth-url="http://127.0.0.1:9/v1/session" anonymous uid=${uniqueUid()}></wd-video-client>`);
      const ev = await nextEvent(el, 'wd-error');
      expect(ev.detail.error).to.have.property('code', 'connect_failed');
      expect(el.status).to.equal('error');
    });

    it('timeout (seconds) bounds how long outgoing calls ring', async function () {
      needs(this, 'webrtc');
      const p = await pair();
      const old = p.alice.client;
      p.alice.timeout = 1; // a new client with the new ring timeout
      await waitUntil(() => p.alice.client !== old && p.alice.status === 'connected', 'signed in again');
      await waitUntil(() => p.call.activeClient === p.alice.client, 'call sees the new client');
      p.bob.addEventListener('wd-incoming', (e) => e.preventDefault()); // nobody answers
      // 8 s, against the 30 s default: only the 1 s attribute can time out within it.
      const response = nextEvent(p.call, 'wd-response', 8000);
      await p.call.start();
      expect((await response).detail.status).to.equal('TIMEOUT');
    });
  });

  describe('events', () => {
    it('wd-disconnected when the connection is gone for good', async () => {
      const el = await fixture<WdVideoClient>(html`<wd-video-client auth-url=${authUrl()} anonymous uid=${uniqueUid()}></wd-video-client>`);
      await connected(el);
      const ev = nextEvent(el, 'wd-disconnected');
      await el.client!.stop();
      expect((await ev).detail).to.deep.include({ status: 'disconnected', previous: 'connected' });
      expect(el.getAttribute('status')).to.equal('disconnected');
      const back = nextEvent(el, 'wd-connected');
      await el.reconnect();
      await back;
    });

    it('wd-incoming: bubbles, composed, cancelable; cancelled, the page answers and the dialog stays quiet', async function () {
      needs(this, 'webrtc');
      const p = await pair();
      const rings = recordEvents(p.incoming, ['wd-ring']);
      const seen = nextEvent(p.root, 'wd-incoming');
      p.bob.addEventListener('wd-incoming', (e) => e.preventDefault());
      await p.call.start();
      const ev = await seen;
      expect(ev.bubbles && ev.composed && ev.cancelable).to.equal(true);
      expect(ev.target).to.equal(p.bob);
      expect(ev.detail.conversation.remoteUid).to.equal(p.aliceUid);
      await p.incoming.updateComplete;
      expect(rings).to.have.length(0);
      expect(p.incoming.state).to.equal('idle');
      // The page takes the call itself.
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
      try {
        await ev.detail.conversation.accept(stream);
        await waitUntil(() => p.call.state === 'connected', 'caller connected', { timeout: 15_000 });
      } finally {
        ev.detail.conversation.close();
        stream.getTracks().forEach((t) => t.stop());
      }
    });

    it('not cancelled, <wd-incoming-call> rings', async function () {
      needs(this, 'webrtc');
      const p = await pair();
      const seen = nextEvent(p.bob, 'wd-incoming');
      const ring = nextEvent(p.incoming, 'wd-ring');
      await p.call.start();
      await seen;
      await ring;
      expect(p.incoming.state).to.equal('ringing');
      p.call.hangup();
    });
  });

  describe('context', () => {
    it('provides its client to descendants, also inside other elements', async () => {
      const el = await fixture<WdVideoClient>(html`<wd-video-client auth-url=${authUrl()} anonymous uid=${uniqueUid()}>
        <section><wd-call remote-uid="x"></wd-call></section>
      </wd-video-client>`);
      await connected(el);
      const call = el.querySelector<WdCall>('wd-call')!;
      await waitUntil(() => call.activeClient === el.client, 'context delivered');
    });

    it('closes its client when removed from the page, not when moved', async () => {
      const holder = await fixture<HTMLDivElement>(html`<div><wd-video-client auth-url=${authUrl()} anonymous uid=${uniqueUid()}></wd-video-client></div>`);
      const el = holder.firstElementChild as WdVideoClient;
      await connected(el);
      const client = el.client!;
      const other = document.createElement('div');
      holder.append(other);
      other.append(el); // a move
      // Quiet window: the element decides in a microtask after the move, and nothing marks
      // that it kept its client; a close would show within a few microtasks.
      await sleep(50);
      expect(client.status).to.equal('connected');
      el.remove();
      await waitUntil(() => client.status === 'disconnected', 'client closed on removal');
    });
  });

  describe('accessibility', () => {
    it('is accessible while connecting and connected', async () => {
      const el = await fixture<WdVideoClient>(html`<wd-video-client auth-url=${authUrl()} anonymous uid=${uniqueUid()}><p>content</p></wd-video-client>`);
      await expect(el).to.be.accessible();
      await connected(el);
      await expect(el).to.be.accessible();
    });
  });
});
