// A browser without WebRTC (Debian's WebKitGTK; elsewhere RTCPeerConnection
// is hidden for the test): sign-in and signaling work, and call() and accept()
// fail with the SDK's own `webrtc_unsupported` before anything changes, not
// with a ReferenceError from inside. An incoming call still rings (another
// device of the user may take it) and can be declined.
import { expect } from '@open-wc/testing';
import { checkNetwork, WdVideoError, webRtcSupported, type Conversation } from 'wd-video';
import { authUrl } from '../env.js';
import { next } from '../../shared/events.js';
import { uniqueUid } from '../../shared/ids.js';
import { withoutWebRtc } from '../no-webrtc.js';
import { rawCaller } from '../raw-caller.js';
import { catchPageErrors, cleanup, client } from './helpers.js';

/** The error `fn` throws (or rejects with), or undefined. */
async function errorOf(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('a browser without WebRTC', function () {
  this.timeout(30_000);
  afterEach(cleanup);

  it('signs in; call() throws webrtc_unsupported and nothing changes; bad arguments are still invalid_argument', async () => {
    withoutWebRtc();
    const errors = catchPageErrors();
    expect(webRtcSupported()).to.equal(false);
    const a = await client(uniqueUid('alice'));
    expect(a.status).to.equal('connected');
    const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
    try {
      const err = await errorOf(() => a.call(uniqueUid('bob'), stream));
      expect(err).to.be.instanceOf(WdVideoError);
      expect(err).to.have.property('code', 'webrtc_unsupported');
      expect((err as Error).message).to.match(/RTCPeerConnection/);
      expect(a.conversation, 'no call placed').to.equal(undefined);
      expect(a.status).to.equal('connected');
      // A wrong argument is the caller's mistake whatever the browser: that error comes first.
      expect(await errorOf(() => a.call('no spaces', stream))).to.have.property('code', 'invalid_argument');
      expect(stream.getTracks().every((t) => t.readyState === 'live'), "the page's camera is untouched").to.equal(true);
      expect(errors, 'no page errors').to.deep.equal([]);
    } finally {
      stream.getTracks().forEach((t) => t.stop());
    }
  });

  it('an incoming call rings; accept() rejects with webrtc_unsupported and it still rings; reject() declines it', async () => {
    withoutWebRtc();
    const errors = catchPageErrors();
    const bob = await client(uniqueUid('bob'));
    const carol = await rawCaller();
    const called = next<Conversation>(bob, 'called');
    expect(await carol.invite(bob.uid!, { topic: 'hello' })).to.equal('ringing');
    const incoming = await called;
    expect(incoming.remoteUid).to.equal(carol.uid);
    expect(incoming.data).to.deep.equal({ topic: 'hello' });

    const err = await errorOf(() => incoming.accept(new MediaStream()));
    expect(err).to.have.property('code', 'webrtc_unsupported');
    expect(incoming.state, 'still ringing').to.equal('incoming');
    expect(bob.conversation).to.equal(incoming);

    incoming.reject();
    await carol.heard('reject');
    expect(incoming.state).to.equal('closed');
    expect(incoming.closeReason).to.equal('rejected');
    expect(errors, 'no page errors (no ReferenceError from a pre-warm)').to.deep.equal([]);
  });

  it('checkNetwork(): sign-in and signaling ok, the relay step says webrtc_unsupported, nothing thrown', async () => {
    withoutWebRtc();
    const report = await checkNetwork({ authUrl: authUrl(), anonymous: { uid: uniqueUid('check') } });
    expect(report.signIn.ok, JSON.stringify(report.signIn)).to.equal(true);
    expect(report.signaling.ok, JSON.stringify(report.signaling)).to.equal(true);
    expect(report.relay).to.include({ ok: false, reason: 'webrtc_unsupported' });
  });
});
