// checkNetwork(): the network half of the pre-call check against the real
// stack: sign-in, a NATS round trip, a TURN allocation and a round trip through
// the relay; and what it says when the relay refuses or the service is down.
import { executeServerCommand } from '@web/test-runner-commands';
import { expect } from '@open-wc/testing';
import { checkNetwork, wdVideo, type WdVideoError } from 'wd-video';
import { uniqueUid } from '../../shared/ids.js';
import { authUrl } from '../env.js';
import { needs } from '../engine.js';

async function tokenService(options: { turnSecret?: string }): Promise<string> {
  const r = (await executeServerCommand('wd-stack', { action: 'token-service', ...options })) as { authUrl: string };
  return r.authUrl;
}

describe('checkNetwork()', function () {
  this.timeout(40_000);

  it('a working stack: sign-in, signaling and relay all ok, each with its round trip', async function () {
    needs(this, 'webrtc');
    const report = await wdVideo.checkNetwork({ authUrl: authUrl(), anonymous: { uid: uniqueUid('check') } });
    expect(report.signIn.ok, JSON.stringify(report.signIn)).to.equal(true);
    expect(report.signaling.ok, JSON.stringify(report.signaling)).to.equal(true);
    expect(report.relay.ok, JSON.stringify(report.relay)).to.equal(true);
    for (const r of [report.signIn, report.signaling, report.relay]) expect(r.ms).to.be.a('number').and.at.least(0);
    expect(report.relay.allocationMs).to.be.a('number');
  });

  it('a token service with the wrong TURN secret: the relay is refused (401), sign-in and signaling still ok', async function () {
    needs(this, 'webrtc');
    const broken = await tokenService({ turnSecret: 'not-the-secret-coturn-knows' });
    const report = await checkNetwork({ authUrl: broken, anonymous: { uid: uniqueUid('check') } });
    expect(report.signIn.ok).to.equal(true);
    expect(report.signaling.ok).to.equal(true);
    expect(report.relay).to.include({ ok: false, reason: 'refused' });
    expect(report.relay.ms).to.equal(undefined);
  });

  it('an unreachable token service: sign-in connect_failed, the other steps skipped, nothing thrown', async () => {
    // Port 1 on loopback: nothing listens there.
    const report = await checkNetwork({ authUrl: 'http://127.0.0.1:1/v1/session', anonymous: { uid: uniqueUid('check') } });
    expect(report.signIn).to.include({ ok: false, reason: 'connect_failed' });
    expect(report.signaling).to.include({ ok: false, reason: 'skipped' });
    expect(report.relay).to.include({ ok: false, reason: 'skipped' });
  });

  it('bad input is a clear error: no authUrl, no sign-in', async () => {
    for (const bad of [{}, { authUrl: authUrl() }]) {
      const e = await checkNetwork(bad as never).catch((x: WdVideoError) => x);
      expect((e as WdVideoError).code).to.equal('invalid_argument');
    }
  });
});
