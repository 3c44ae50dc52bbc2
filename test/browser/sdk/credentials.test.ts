// Credentials running out: the NATS JWT is refreshed before it expires without
// dropping the call; bad TURN credentials end a relay call with ice_failed
// (no candidates ever appear, so only the SDK's own ICE timeout can end it).
import { executeServerCommand } from '@web/test-runner-commands';
import { expect } from '@open-wc/testing';
import type { Conversation } from 'wd-video';
import { next } from '../../shared/events.js';
import { uniqueUid } from '../../shared/ids.js';
import { until } from '../../shared/wait.js';
import { framesArrive } from '../frames.js';
import { onCleanup } from '../cleanup.js';
import { camera, cleanup, client } from './helpers.js';
import { suiteNeeds } from '../engine.js';

async function tokenService(options: { credentialTtl?: number; turnSecret?: string }): Promise<string> {
  const r = (await executeServerCommand('wd-stack', { action: 'token-service', ...options })) as { authUrl: string };
  return r.authUrl;
}

/** Counts the page's sign-ins (POST /v1/session) for `uid` until the test ends. */
function countSignIns(uid: string): () => number {
  let n = 0;
  const realFetch = window.fetch;
  window.fetch = (input, init) => {
    if (String(input instanceof Request ? input.url : input).endsWith('/v1/session') && String(init?.body).includes(uid)) n++;
    return realFetch(input, init);
  };
  onCleanup(() => (window.fetch = realFetch));
  return () => n;
}

describe('credentials', () => {
  suiteNeeds('webrtc');
  afterEach(cleanup);

  it('refreshes an expiring NATS JWT during a call make-before-break: no outage at all, the call and signaling survive', async function () {
    this.timeout(60_000);
    const authUrl = await tokenService({ credentialTtl: 6 });
    // Sign-ins this page makes (the refreshes among them).
    const alice = uniqueUid('alice');
    const signIns = countSignIns(alice);
    const a = await client(alice, { authUrl });
    // Signed in by now, so the first JWT expires at the latest 6 s from here.
    const twoLifetimes = Date.now() + 12_000;
    const b = await client(uniqueUid('bob'), { authUrl });
    const statuses: string[] = [];
    a.on('status', (s) => statuses.push(s));
    const called = next<Conversation>(b, 'called');
    const conv = a.call(b.uid!, await camera());
    const incoming = await called;
    const remote = next<{ stream: MediaStream }>(incoming, 'stream_received');
    await incoming.accept(await camera());
    await until(() => conv.state === 'connected', 15_000, 'connected');
    // Past two lifetimes: without a refresh the server would have closed alice's
    // connection at the first expiry. Each refresh opens the new connection before
    // it lets the old one go, so her status never even says `reconnecting`.
    await until(() => Date.now() > twoLifetimes, 20_000, 'two credential lifetimes');
    expect(signIns(), `alice's sign-ins: refreshes every 3 s, not a loop (${signIns()})`).to.be.within(4, 9);
    expect(statuses, 'no outage').to.deep.equal([]);
    expect(a.status).to.equal('connected');
    expect(conv.state).to.equal('connected');
    await framesArrive((await remote).stream);
    const closed = next<string>(incoming, 'closed');
    conv.close();
    expect(await closed).to.equal('hangup');
  });

  for (const [name, skewMs] of [
    ['2 h fast', 2 * 3600_000],
    ['5 min slow', -5 * 60_000],
  ] as const) {
    it(`a client clock ${name}: refreshes once per lifetime (no sign-in loop) and stays connected past the first expiry`, async function () {
      this.timeout(60_000);
      const authUrl = await tokenService({ credentialTtl: 6 });
      // The page's clock is off; the token service's (the server's) is right.
      const realNow = Date.now;
      Date.now = () => realNow() + skewMs;
      onCleanup(() => (Date.now = realNow));
      const alice = uniqueUid('alice');
      const signIns = countSignIns(alice);
      const a = await client(alice, { authUrl });
      const b = await client(uniqueUid('bob'), { authUrl });
      const statuses: string[] = [];
      a.on('status', (s) => statuses.push(s));
      const twoLifetimes = realNow() + 12_000;
      await until(() => realNow() > twoLifetimes, 20_000, 'two credential lifetimes');
      // A lifetime of 6 s (5 whole seconds left when issued) is refreshed 2 s before
      // its end: every 3 s, 4 refreshes in 12 s. Reading the server's expiresAt against
      // a clock 2 h fast refreshed every second; against one 5 min slow, not before
      // the server closed the connection.
      expect(signIns(), `alice's sign-ins in two lifetimes (${signIns()})`).to.be.within(4, 7);
      expect(statuses, 'no outage').to.deep.equal([]);
      // Still reachable with fresh credentials.
      const called = next<Conversation>(a, 'called', 10_000);
      const conv = b.call(a.uid!, await camera());
      await called;
      conv.close();
    });
  }

  it('wrong TURN credentials on a relay call end it with ice_failed', async function () {
    this.timeout(30_000);
    const authUrl = await tokenService({ turnSecret: 'not-the-secret' });
    const a = await client(uniqueUid('alice'), { authUrl, iceTimeout: 3000 });
    const b = await client(uniqueUid('bob'), { authUrl, iceTimeout: 3000 });
    const called = next<Conversation>(b, 'called');
    const conv = a.call(b.uid!, await camera(), { iceTransportPolicy: 'relay' });
    const incoming = await called;
    // Whichever side's ICE timer fires first reports the error and tells the other.
    const errors: string[] = [];
    const messages: string[] = [];
    for (const c of [conv, incoming]) c.on('error', (e) => (errors.push(e.code), messages.push(e.message)));
    const closed = next<string>(conv, 'closed', 15_000);
    const calleeClosed = next<string>(incoming, 'closed', 15_000);
    await incoming.accept(await camera());
    expect(await closed).to.equal('ice_failed');
    expect(await calleeClosed).to.equal('ice_failed');
    expect(errors).to.include('ice_failed');
    // The error says why: TURN refused the credentials, so nothing was gathered.
    expect(messages.join(' | ')).to.match(/no relay candidate was gathered/);
  });
});
