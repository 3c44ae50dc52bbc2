// The seed code (../shared/seed, docs/architecture.md), as a Wilddog Video app writes it: wdVideo.initialize ->
// video.call() -> createLocalStream -> videoInstance.call(...) / on('called') -> accept().then(...).
import { expect } from '@open-wc/testing';
import { VideoClient, wdVideo } from 'wd-video';
import { uniqueUid } from '../../shared/ids.js';
import { until } from '../../shared/wait.js';
import { onCleanup } from '../cleanup.js';
import { authUrl } from '../env.js';
import { frameCounter } from '../frames.js';
import { adopt, cleanup, diag } from './helpers.js';
import { suiteNeeds } from '../engine.js';

function videoElement() {
  const v = document.createElement('video');
  v.muted = true;
  document.body.append(v);
  onCleanup(() => v.remove());
  return v;
}

describe('the seed API works as written', function () {
  suiteNeeds('webrtc');
  this.timeout(45_000);
  afterEach(cleanup);

  it('initialize, call(), createLocalStream, call with relay + data, accept().then, stream_received, response, close', async () => {
    const aliceUid = uniqueUid('alice');
    const bobUid = uniqueUid('bob');
    const events: string[] = [];
    const responses: string[] = [];
    const aliceVideoEl = videoElement();
    const bobVideoEl = videoElement();

    // ---- bob's page: another page, so a client of its own (wdVideo keeps one client per page) ----
    const bobInstance = adopt(new VideoClient({ authUrl: authUrl(), anonymous: { uid: bobUid } }));
    void bobInstance.start();
    const bobStream = await wdVideo.createLocalStream({ captureAudio: true, captureVideo: true, dimension: '480p', maxFPS: 15 });
    onCleanup(() => bobStream.close());
    let bobConv: ReturnType<typeof bobInstance.call> | undefined;
    let bobData: unknown;
    bobInstance.on('called', (incoming) => {
      bobData = incoming.data;
      events.push(`bob called by ${incoming.remoteUid}`);
      incoming.accept(bobStream).then((c) => {
        bobConv = c;
        events.push('bob accepted');
        c.on('stream_received', (stream) => {
          events.push('bob stream_received');
          stream.attach(bobVideoEl);
        });
        c.on('closed', () => {
          events.push('bob closed');
          c.close();
        });
      });
    });
    await until(() => bobInstance.status === 'connected', 10_000, 'bob connected');

    // ---- alice's page: the seed, unchanged apart from initialize's arguments ----
    const video = wdVideo.initialize({ authUrl: authUrl(), anonymous: { uid: aliceUid } });
    const videoInstance = adopt(video.call());
    expect(video.call(), 'the same instance on every call()').to.equal(videoInstance);
    const localStream = await video.createLocalStream({ captureAudio: true, captureVideo: true, dimension: '480p', maxFPS: 15 });
    onCleanup(() => localStream.close());
    const conv = videoInstance.call(bobUid, localStream, { iceTransportPolicy: 'relay', data: 'userData' });
    conv.on('stream_received', (stream) => {
      events.push('alice stream_received');
      stream.attach(aliceVideoEl);
    });
    conv.on('response', (status) => {
      responses.push(status);
      switch (status) {
        case 'ACCEPTED':
          events.push('alice ACCEPTED');
          break;
        case 'REJECTED':
        case 'BUSY':
        case 'TIMEOUT':
        default:
          events.push(`alice ${status}`);
      }
    });
    conv.on('error', (e) => events.push(`alice error ${e.code} ${e.message}`));
    conv.on('state', (s) => events.push(`alice state ${s}`));
    conv.on('closed', () => {
      events.push('alice closed');
      conv.close();
    });

    expect(conv.remoteUid).to.equal(bobUid);
    await until(() => events.includes('alice ACCEPTED') && !!bobConv, 15_000, `accepted (${events.join(', ')})`);
    expect(bobData).to.equal('userData');
    await until(() => aliceVideoEl.srcObject !== null && aliceVideoEl.videoWidth > 0, 15_000, `alice's <video> plays (${events.join(', ')})`).catch(async (e) => {
      throw new Error(`${e.message}: alice ${await diag(conv)} | bob ${await diag(bobConv)} | paused ${aliceVideoEl.paused} rs ${aliceVideoEl.readyState}`);
    });
    const aliceFrames = frameCounter(aliceVideoEl);
    onCleanup(aliceFrames.stop);
    await until(() => aliceFrames.count() >= 5, 10_000, 'frames in alice\'s <video>').catch(async (e) => {
      const st: string[] = [];
      (await conv.peerConnection!.getStats()).forEach((r) => r.type === 'inbound-rtp' && st.push(`${r.kind}: decoded ${r.framesDecoded} recv ${r.bytesReceived}`));
      throw new Error(`${e.message}: frames ${aliceFrames.count()} paused ${aliceVideoEl.paused} readyState ${aliceVideoEl.readyState} t ${aliceVideoEl.currentTime} conv ${conv.state} ${conv.closeReason} events ${events.join(', ')} ${st.join('; ')} tracks ${(aliceVideoEl.srcObject as MediaStream).getTracks().map((t) => `${t.kind}:${t.readyState}:${t.muted}`)}`);
    });
    // bob attached in accept().then(c => c.on('stream_received', ...)), as Wilddog apps do
    await until(() => bobVideoEl.srcObject !== null && bobVideoEl.videoWidth > 0, 10_000, `bob's <video> plays (${events.join(', ')})`);
    const bobFrames = frameCounter(bobVideoEl);
    onCleanup(bobFrames.stop);
    await until(() => bobFrames.count() >= 5, 10_000, 'frames in bob\'s <video>');
    expect(aliceVideoEl.paused).to.equal(false);

    conv.close();
    await until(() => events.includes('bob closed'), 5000, `bob closed (${events.join(', ')})`);
    expect(events.filter((e) => e === 'alice closed')).to.have.length(1);
    expect(events.filter((e) => e === 'bob closed')).to.have.length(1);
    expect(responses).to.deep.equal(['ACCEPTED']);
  });

  it('the seed\'s reject path: incoming.reject() -> REJECTED', async () => {
    const bobUid = uniqueUid('bob');
    const bobInstance = adopt(new VideoClient({ authUrl: authUrl(), anonymous: { uid: bobUid } }));
    void bobInstance.start();
    bobInstance.on('called', (incoming) => incoming.reject());
    await until(() => bobInstance.status === 'connected', 10_000, 'bob connected');
    const video = wdVideo.initialize({ authUrl: authUrl(), anonymous: { uid: uniqueUid('alice') } });
    const videoInstance = adopt(video.call());
    const localStream = await video.createLocalStream({ captureAudio: true, captureVideo: true, dimension: '480p', maxFPS: 15 });
    onCleanup(() => localStream.close());
    const statuses: string[] = [];
    let closed = 0;
    const conv = videoInstance.call(bobUid, localStream, { iceTransportPolicy: 'relay', data: 'userData' });
    conv.on('response', (status) => statuses.push(status));
    conv.on('closed', () => {
      closed++;
      conv.close();
    });
    await until(() => closed > 0, 8000, 'closed');
    expect(statuses).to.deep.equal(['REJECTED']);
    expect(closed).to.equal(1);
  });
});
