// Credentials running out: the NATS JWT is refreshed before it expires without
// dropping the call; bad TURN credentials end a relay call with ice_failed
// (no candidates ever appear, so only the SDK's own ICE timeout can end it).
import { executeServerCommand } from '@web/test-runner-commands';
import { expect } from '@open-wc/testing';
import type { Conversation } from 'wd-video';
import { camera, cleanup, client, framesArrive, next, uniqueUid, until } from './helpers.js';

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
    const b = await client(uniqueUid('bob'), { authUrl });
    const statuses: string[] = [];
    a.on('status', (s) => statuses.push(s));
    const called = next<Conversation>(b, 'called');
    const conv = a.call(b.uid!, await camera());
    const incoming = await called;
    const remote = next<{ stream: MediaStream }>(incoming, 'stream_received');
    await incoming.accept(await camera());
    await until(() => conv.state === 'connected', 15_000, 'connected');
    // Three lifetimes: without refresh the server would have closed both connections.
    await new Promise((r) => setTimeout(r, 16_000));
    expect(statuses.filter((s) => s === 'reconnecting').length).to.be.greaterThan(0, 'the client re-connected with fresh JWTs');
    expect(a.status).to.equal('connected');
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
