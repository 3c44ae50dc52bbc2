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
import { camera, cleanup, client } from './helpers.js';

async function tokenService(options: { credentialTtl?: number; turnSecret?: string }): Promise<string> {
  const r = (await executeServerCommand('wd-stack', { action: 'token-service', ...options })) as { authUrl: string };
  return r.authUrl;
}

describe('credentials', () => {
  afterEach(cleanup);

  it('refreshes an expiring NATS JWT during a call: the call and signaling survive', async function () {
    this.timeout(60_000);
    const authUrl = await tokenService({ credentialTtl: 6 });
    const a = await client(uniqueUid('alice'), { authUrl });
    // Signed in by now, so the first JWT expires at the latest 6 s from here.
    const firstExpired = Date.now() + 6000;
    const b = await client(uniqueUid('bob'), { authUrl });
    const statuses: string[] = [];
    a.on('status', (s) => statuses.push(s));
    const called = next<Conversation>(b, 'called');
    const conv = a.call(b.uid!, await camera());
    const incoming = await called;
    const remote = next<{ stream: MediaStream }>(incoming, 'stream_received');
    await incoming.accept(await camera());
    await until(() => conv.state === 'connected', 15_000, 'connected');
    // Two refreshes (reconnecting -> connected with a fresh JWT) and past the first JWT's
    // expiry: without the refresh the server would have closed the connection by then.
    const refreshes = () => statuses.filter((s, i) => s === 'connected' && statuses[i - 1] === 'reconnecting').length;
    await until(() => refreshes() >= 2 && Date.now() > firstExpired && a.status === 'connected', 30_000, () => `two refreshes past the first expiry (statuses ${statuses})`);
    expect(conv.state).to.equal('connected');
    await framesArrive((await remote).stream);
    const closed = next<string>(incoming, 'closed');
    conv.close();
    expect(await closed).to.equal('hangup');
  });

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
    conv.on('error', (e) => errors.push(e.code));
    incoming.on('error', (e) => errors.push(e.code));
    const closed = next<string>(conv, 'closed', 15_000);
    const calleeClosed = next<string>(incoming, 'closed', 15_000);
    await incoming.accept(await camera());
    expect(await closed).to.equal('ice_failed');
    expect(await calleeClosed).to.equal('ice_failed');
    expect(errors).to.include('ice_failed');
  });
});
