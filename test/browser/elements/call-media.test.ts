// <wd-call> and the camera: `preparing` while it opens, nothing left running when
// the call is off before it opened, screen sharing through the SDK's LocalStream.
import { expect } from '@open-wc/testing';
import { waitUntil } from '../wait.js';
import { stubDisplayMedia } from '../fake-screen.js';
import { inCall, nextEvent, pair, part, recordEvents, type Pair, type WdCall } from './helpers.js';
import { suiteNeeds } from '../engine.js';

/**
 * Holds every getUserMedia call until the test releases it, as an open
 * permission prompt does, and keeps what the released calls return.
 */
function holdCamera() {
  const original = navigator.mediaDevices.getUserMedia;
  const waiting: (() => void)[] = [];
  const streams: MediaStream[] = [];
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    await new Promise<void>((release) => waiting.push(release));
    const s = await original.call(navigator.mediaDevices, constraints);
    streams.push(s);
    return s;
  };
  return {
    streams,
    /** Resolves once a request waits for its "prompt". */
    asked: () => waitUntil(() => waiting.length > 0, 'getUserMedia called'),
    /** Answers the oldest waiting request; resolves once its stream is out. */
    async grant() {
      const n = streams.length + 1;
      waiting.shift()!();
      await waitUntil(() => streams.length === n, 'camera opened');
    },
    restore() {
      navigator.mediaDevices.getUserMedia = original;
      waiting.splice(0).forEach((release) => release());
      streams.forEach((s) => s.getTracks().forEach((t) => t.stop()));
    },
  };
}

const ended = (s: MediaStream) => s.getTracks().every((t) => t.readyState === 'ended');
const states = (log: { detail: unknown }[]) => log.map((l) => (l.detail as { state: string }).state);

/** bob accepts in the dialog; resolves with his <wd-call> and its state changes from the start. */
async function acceptInDialog(p: Pair) {
  const accepted = nextEvent(p.incoming, 'wd-accept');
  let log: ReturnType<typeof recordEvents> = [];
  p.incoming.addEventListener('wd-accept', (e) => (log = recordEvents(e.detail.call, ['wd-state-change'])), { once: true });
  part(p.incoming, 'accept-button').click();
  const callee = (await accepted).detail.call;
  return { callee, log: () => log };
}

describe('<wd-call> and the camera', function () {
  suiteNeeds('webrtc');
  this.timeout(40_000);
  let camera: ReturnType<typeof holdCamera> | undefined;
  afterEach(() => camera?.restore());

  it('shows preparing while the camera opens, then the conversation\'s states (answering as connecting)', async () => {
    const p = await pair();
    camera = holdCamera();
    const log = recordEvents(p.call, ['wd-state-change']);
    const ring = nextEvent(p.incoming, 'wd-ring');
    const started = p.call.start();
    await camera.asked();
    await p.call.updateComplete;
    expect(p.call.getAttribute('state')).to.equal('preparing');
    expect(part(p.call, 'status').textContent).to.equal('Starting camera and microphone…');
    expect(part(p.call, 'hangup-button').textContent!.trim()).to.equal('Cancel');
    expect(p.call.conversation).to.equal(undefined);
    await camera.grant();
    await started;
    expect(p.call.conversation).to.not.equal(undefined);
    expect(['calling', 'ringing']).to.include(p.call.state);
    await ring;
    await waitUntil(() => p.call.state === 'ringing', 'caller ringing');

    const { callee, log: calleeLog } = await acceptInDialog(p);
    await camera.asked();
    await callee.updateComplete;
    expect(callee.state).to.equal('preparing');
    expect(callee.conversation!.state).to.equal('incoming');
    expect(part(callee, 'hangup-button').textContent!.trim()).to.equal('Hang up');
    await camera.grant();
    await waitUntil(() => p.call.state === 'connected' && callee.state === 'connected', 'both connected', { timeout: 15_000 });
    expect(states(log)).to.deep.equal(['preparing', 'calling', 'ringing', 'connecting', 'connected']);
    expect(states(calleeLog())).to.deep.equal(['incoming', 'preparing', 'connecting', 'connected']);
    p.call.hangup();
  });

  it('hang-up while the camera prompt is open: idle at once, and the camera opened afterwards is stopped', async () => {
    const p = await pair();
    camera = holdCamera();
    const started = p.call.start();
    await camera.asked();
    part(p.call, 'hangup-button').click();
    expect(p.call.state).to.equal('idle');
    await camera.grant();
    await started;
    await waitUntil(() => ended(camera!.streams[0]!), 'the late camera is stopped');
    expect(p.call.state).to.equal('idle');
    expect(p.call.conversation).to.equal(undefined);
  });

  for (const [who, act, reason] of [
    ['the caller cancels', (p: Pair) => p.call.hangup(), 'cancelled'],
    ['the callee declines', (_p: Pair, callee: WdCall) => part(callee, 'hangup-button').click(), 'rejected'],
  ] as const) {
    it(`${who} while the callee's camera prompt is open: the callee's late camera is stopped, its <wd-call> idle`, async () => {
      const p = await pair();
      camera = holdCamera();
      const ring = nextEvent(p.incoming, 'wd-ring');
      const started = p.call.start();
      await camera.asked();
      await camera.grant();
      await started;
      await ring;
      const { callee } = await acceptInDialog(p);
      await camera.asked();
      const closed = nextEvent(callee, 'wd-closed');
      act(p, callee);
      expect((await closed).detail.reason).to.equal(reason);
      expect(callee.state).to.equal('idle');
      await camera.grant();
      await waitUntil(() => ended(camera!.streams[1]!), 'the callee\'s late camera is stopped');
      await waitUntil(() => p.call.state === 'idle' && p.incoming.state === 'idle', 'both idle');
      expect(ended(camera.streams[0]!), 'the caller\'s camera is released').to.equal(true);
      expect(callee.state).to.equal('idle');
    });
  }
});

describe('<wd-call> screen sharing through LocalStream', function () {
  suiteNeeds('webrtc');
  this.timeout(40_000);

  it('on a page-given MediaStream: the browser\'s own "Stop sharing" returns to the same camera track; the page\'s tracks stay live', async () => {
    const p = await pair();
    const mine = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 320, height: 240 } });
    const cam = mine.getVideoTracks()[0]!;
    const display = stubDisplayMedia();
    const screens = display.screens;
    const originalCamera = navigator.mediaDevices.getUserMedia;
    let cameraRequests = 0;
    p.call.localStream = mine;
    try {
      await inCall(p);
      navigator.mediaDevices.getUserMedia = (c) => (cameraRequests++, originalCamera.call(navigator.mediaDevices, c));
      const sender = p.call.conversation!.peerConnection!.getSenders().find((s) => s.track?.kind === 'video')!;
      const preview = part<HTMLVideoElement>(p.call, 'local-video');
      part(p.call, 'share-button').click();
      await waitUntil(() => p.call.sharing, 'sharing');
      await p.call.updateComplete;
      expect(sender.track).to.equal(screens[0]!.track);
      expect((preview.srcObject as MediaStream).getVideoTracks()).to.deep.equal([screens[0]!.track]);
      expect(cam.readyState).to.equal('live');

      await screens[0]!.stopSharingInBrowser();
      await waitUntil(() => !p.call.hasAttribute('sharing'), 'sharing attribute gone');
      await p.call.updateComplete;
      expect(part(p.call, 'share-button').getAttribute('aria-pressed')).to.equal('false');
      expect(sender.track).to.equal(cam);
      expect(preview.srcObject).to.equal(mine);

      // Ending the call while sharing ends the capture, never the page's camera.
      part(p.call, 'share-button').click();
      await waitUntil(() => p.call.sharing, 'sharing again');
      p.call.hangup();
      await waitUntil(() => p.call.state === 'idle', 'idle');
      await waitUntil(() => screens.every((s) => s.track.readyState === 'ended'), 'screen capture stopped');
      expect(mine.getTracks().map((t) => t.readyState)).to.deep.equal(['live', 'live']);
      expect(cameraRequests, 'no new getUserMedia').to.equal(0);
    } finally {
      display.restore();
      navigator.mediaDevices.getUserMedia = originalCamera;
      mine.getTracks().forEach((t) => t.stop());
    }
  });
});
