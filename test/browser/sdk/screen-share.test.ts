// LocalStream.shareScreen(): the peer sees the screen, the camera keeps running
// meanwhile, and going back to it is a track swap, not a new getUserMedia.
import { expect } from '@open-wc/testing';
import { createLocalStream, type LocalStream } from 'wd-video';
import { next } from '../../shared/events.js';
import { until } from '../../shared/wait.js';
import { onCleanup } from '../cleanup.js';
import { stubDisplayMedia } from '../fake-screen.js';
import { frameCounter, playing } from '../frames.js';
import { cleanup, sendingPair } from './helpers.js';
import { suiteNeeds } from '../engine.js';

/**
 * getDisplayMedia answers with a fake screen painted solid magenta
 * (test/browser/fake-screen.ts), so the peer's picture tells screen from camera.
 */
function offerScreens() {
  const display = stubDisplayMedia('magenta');
  onCleanup(display.restore);
  return display;
}

/** Counts getUserMedia calls from now on. */
function countCameraRequests() {
  const original = navigator.mediaDevices.getUserMedia;
  const counter = { calls: 0 };
  navigator.mediaDevices.getUserMedia = (c) => {
    counter.calls++;
    return original.call(navigator.mediaDevices, c);
  };
  onCleanup(() => (navigator.mediaDevices.getUserMedia = original));
  return counter;
}

/** The colour in the middle of what `video` shows now. */
function magentaShown(video: HTMLVideoElement): boolean {
  const c = document.createElement('canvas');
  c.width = c.height = 8;
  const g = c.getContext('2d', { willReadFrequently: true })!;
  g.drawImage(video, 0, 0, 8, 8);
  const [r, gr, b] = g.getImageData(4, 4, 1, 1).data;
  return r! > 180 && gr! < 90 && b! > 180;
}

/** alice sends `stream` to bob; resolves with alice's conversation and a frame counter on bob's side. */
async function sendTo(stream: LocalStream) {
  const { conv, incoming } = await sendingPair(stream);
  const video = playing(incoming.remoteStream!.stream);
  const frames = frameCounter(video);
  onCleanup(frames.stop);
  const seen = { video, more: frames.more };
  const sender = conv.peerConnection!.getSenders().find((s) => s.track?.kind === 'video')!;
  return { conv, sender, seen };
}

async function cameraStream() {
  const s = await createLocalStream({ dimension: '240p' });
  onCleanup(() => s.close());
  return s;
}

describe('LocalStream screen sharing', function () {
  suiteNeeds('webrtc');
  this.timeout(40_000);
  afterEach(cleanup);

  it('the peer gets the screen, the camera stays live, and stopScreenShare() sends the same camera track again', async () => {
    const local = await cameraStream();
    const cam = local.stream.getVideoTracks()[0]!;
    const { conv, sender, seen } = await sendTo(local);
    let negotiations = 0;
    conv.peerConnection!.addEventListener('negotiationneeded', () => negotiations++);
    const display = offerScreens();
    const requests = countCameraRequests();

    const started = next<boolean>(local, 'sharing');
    await local.shareScreen();
    const screen = display.screens[0]!.track;
    expect(await started).to.equal(true);
    expect(local.sharing).to.equal(true);
    expect(sender.track).to.equal(screen);
    expect(local.screenStream!.getVideoTracks()).to.deep.equal([screen]);
    await until(() => magentaShown(seen.video), 10_000, 'bob sees the screen');
    await seen.more(3);
    expect(cam.readyState, 'camera kept running while sharing').to.equal('live');
    expect(local.stream.getVideoTracks()).to.deep.equal([cam]);

    const stopped = next<boolean>(local, 'sharing');
    await local.stopScreenShare();
    expect(await stopped).to.equal(false);
    expect(local.sharing).to.equal(false);
    expect(local.screenStream).to.equal(undefined);
    expect(sender.track).to.equal(cam);
    expect(screen.readyState).to.equal('ended');
    await until(() => !magentaShown(seen.video), 10_000, 'bob sees the camera again');
    await seen.more(3);
    expect(requests.calls, 'no new getUserMedia').to.equal(0);
    expect(negotiations).to.equal(0);
  });

  it('the browser\'s own "Stop sharing" (the screen track ends) returns to the camera and says so', async () => {
    const local = await cameraStream();
    const cam = local.stream.getVideoTracks()[0]!;
    const { sender, seen } = await sendTo(local);
    const display = offerScreens();
    const requests = countCameraRequests();
    await local.shareScreen();
    const screen = display.screens[0]!;
    await until(() => magentaShown(seen.video), 10_000, 'bob sees the screen');

    const stopped = next<boolean>(local, 'sharing');
    await screen.stopSharingInBrowser();
    expect(await stopped).to.equal(false);
    expect(local.sharing).to.equal(false);
    expect(sender.track).to.equal(cam);
    expect(screen.track.readyState).to.equal('ended');
    await until(() => !magentaShown(seen.video), 10_000, 'bob sees the camera again');
    expect(requests.calls).to.equal(0);
  });

  it('sharing before the call: the call starts with the screen', async () => {
    const local = await cameraStream();
    const display = offerScreens();
    await local.shareScreen();
    const { sender, seen } = await sendTo(local);
    expect(sender.track).to.equal(display.screens[0]!.track);
    await until(() => magentaShown(seen.video), 10_000, 'bob sees the screen');
    await local.stopScreenShare();
    expect(sender.track).to.equal(local.stream.getVideoTracks()[0]);
  });

  it('close() while sharing stops the screen capture too', async () => {
    const local = await createLocalStream({ dimension: '240p' });
    const display = offerScreens();
    await local.shareScreen();
    local.close();
    expect(display.screens[0]!.track.readyState).to.equal('ended');
    expect(local.stream.getTracks().every((t) => t.readyState === 'ended')).to.equal(true);
  });
});
