// The camera preview before any call, which every engine can do (WebKit too,
// without WebRTC): createLocalStream() opens camera and microphone, attach()
// shows them in a <video> that plays inline and moves, enableVideo/Audio turn
// the tracks off and on, close() ends them.
import { expect } from '@open-wc/testing';
import { createLocalStream, type LocalStream } from 'wd-video';
import { onCleanup, runCleanups } from '../cleanup.js';
import { countFrames } from '../frames.js';

async function preview(): Promise<{ local: LocalStream; video: HTMLVideoElement }> {
  const local = await createLocalStream({ dimension: '240p', maxFPS: 15 });
  const video = document.createElement('video');
  video.muted = true;
  document.body.append(video);
  onCleanup(() => {
    local.close();
    video.remove();
  });
  local.attach(video);
  return { local, video };
}

describe('camera preview with createLocalStream()', function () {
  this.timeout(30_000);
  afterEach(runCleanups);

  it('attach() shows the camera inline and it moves; close() ends every track and the <video> keeps nothing', async () => {
    const { local, video } = await preview();
    expect(local.stream.getVideoTracks()).to.have.length(1);
    expect(local.stream.getAudioTracks()).to.have.length(1);
    expect(video.hasAttribute('playsinline'), 'inline on iOS Safari, not fullscreen').to.equal(true);
    expect(video.autoplay).to.equal(true);
    await countFrames(video, 5, 15_000);
    expect(video.videoWidth).to.be.greaterThan(0);
    local.detach(video);
    expect(video.srcObject).to.equal(null);
    local.close();
    expect(local.stream.getTracks().map((t) => t.readyState)).to.deep.equal(['ended', 'ended']);
  });

  it('enableVideo(false) / enableAudio(false) turn the tracks off and on without ending them', async () => {
    const { local } = await preview();
    local.enableVideo(false);
    local.enableAudio(false);
    expect(local.videoEnabled).to.equal(false);
    expect(local.audioEnabled).to.equal(false);
    expect(local.stream.getTracks().every((t) => t.readyState === 'live')).to.equal(true);
    local.enableVideo(true);
    local.enableAudio(true);
    expect(local.videoEnabled && local.audioEnabled).to.equal(true);
  });

  it('a bad dimension is invalid_argument, and no camera is opened', async () => {
    let opened = 0;
    const original = navigator.mediaDevices.getUserMedia;
    navigator.mediaDevices.getUserMedia = (c) => (opened++, original.call(navigator.mediaDevices, c));
    onCleanup(() => (navigator.mediaDevices.getUserMedia = original));
    const err = await createLocalStream({ dimension: '4k' as '480p' }).catch((e: unknown) => e);
    expect(err).to.have.property('code', 'invalid_argument');
    expect(opened).to.equal(0);
  });
});
