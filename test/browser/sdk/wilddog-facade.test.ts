// The module object works as Wilddog's did: initialize() configures it, then
// wdVideo.call() / setToken() act on that client; one client per initialize().
import { expect } from '@open-wc/testing';
import { wdVideo, type WdVideoError } from 'wd-video';
import { uniqueUid } from '../../shared/ids.js';
import { until } from '../../shared/wait.js';
import { authUrl } from '../env.js';
import { adopt, cleanup } from './helpers.js';

describe('wdVideo, the Wilddog-style module object', function () {
  this.timeout(30_000);
  afterEach(cleanup);

  it('call() and setToken() before initialize() throw invalid_state', async () => {
    expect(() => wdVideo.call()).to.throw().with.property('code', 'invalid_state');
    let err: WdVideoError | undefined;
    try {
      await wdVideo.setToken('x');
    } catch (e) {
      err = e as WdVideoError;
    }
    expect(err?.code).to.equal('invalid_state');
  });

  it('after initialize(), wdVideo.call() is the instance\'s client, connected, the same on every call', async () => {
    const uid = uniqueUid('porter');
    const instance = wdVideo.initialize({ authUrl: authUrl(), anonymous: { uid } });
    const videoInstance = adopt(wdVideo.call());
    expect(videoInstance).to.equal(instance.call());
    expect(wdVideo.call()).to.equal(videoInstance);
    await until(() => videoInstance.status === 'connected', 10_000, 'connected');
    expect(videoInstance.uid).to.equal(uid);
  });

  it('initialize() again with the same settings keeps the client; with another identity it signs the first out', async () => {
    const first = uniqueUid('first');
    const settings = { authUrl: authUrl(), anonymous: { uid: first } };
    const a = wdVideo.initialize(settings);
    const clientA = adopt(wdVideo.call());
    await until(() => clientA.status === 'connected', 10_000, 'first connected');
    expect(wdVideo.initialize({ ...settings, anonymous: { uid: first } }), 'same settings, same instance').to.equal(a);
    expect(wdVideo.call()).to.equal(clientA);

    const second = uniqueUid('second');
    wdVideo.initialize({ authUrl: authUrl(), anonymous: { uid: second } });
    const clientB = adopt(wdVideo.call());
    expect(clientB).to.not.equal(clientA);
    await until(() => clientA.status === 'disconnected', 10_000, 'the first client signed out');
    await until(() => clientB.status === 'connected', 10_000, 'the second connected');
    expect(clientB.uid).to.equal(second);
  });
});
