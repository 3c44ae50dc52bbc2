// A stand-in for a captured screen, for the screen-sharing tests of the SDK and
// the elements: headless browsers have no screen to capture, and a script
// cannot press the browser's own "Stop sharing".
//
// The picture is a painted canvas. It reaches the page as the remote track of
// a loopback RTCPeerConnection pair, so the browser itself can end it (stop
// the sending transceiver and renegotiate): a trusted `ended` event, as the
// real "Stop sharing" gives. A script-dispatched `new Event('ended')` is not
// the same: Firefox delivers it to `onended` but to no addEventListener()
// listener on a MediaStreamTrack (measured on Firefox 153).

export interface FakeScreen {
  /** The "screen" track, live and moving. */
  track: MediaStreamTrack;
  /** What the browser's "Stop sharing" does: the track ends, with a trusted `ended` event. */
  stopSharingInBrowser(): Promise<void>;
  /** Ends everything this screen runs (peer connections, painting). */
  dispose(): void;
}

export type Paint = 'magenta' | 'moving';

function paintedCanvasTrack(paint: Paint): { track: MediaStreamTrack; stop(): void } {
  const canvas = document.createElement('canvas');
  canvas.width = 320;
  canvas.height = 240;
  const g = canvas.getContext('2d')!;
  // A canvas track only produces frames when the canvas is drawn on.
  const timer = setInterval(() => {
    g.fillStyle = paint === 'magenta' ? '#ff00ff' : `hsl(${Date.now() % 360} 80% 50%)`;
    g.fillRect(0, 0, 320, 240);
  }, 50);
  const track = canvas.captureStream(15).getVideoTracks()[0]!;
  return {
    track,
    stop() {
      clearInterval(timer);
      track.stop();
    },
  };
}

async function negotiate(from: RTCPeerConnection, to: RTCPeerConnection) {
  await from.setLocalDescription();
  await to.setRemoteDescription(from.localDescription!);
  await to.setLocalDescription();
  await from.setRemoteDescription(to.localDescription!);
}

/** A live "screen" track of `paint`; dispose() it (or let the caller's cleanup do it). */
export async function fakeScreen(paint: Paint = 'moving'): Promise<FakeScreen> {
  const source = paintedCanvasTrack(paint);
  const sender = new RTCPeerConnection();
  const receiver = new RTCPeerConnection();
  sender.onicecandidate = (e) => void receiver.addIceCandidate(e.candidate ?? undefined).catch(() => {});
  receiver.onicecandidate = (e) => void sender.addIceCandidate(e.candidate ?? undefined).catch(() => {});
  const transceiver = sender.addTransceiver(source.track, { direction: 'sendonly' });
  const received = new Promise<MediaStreamTrack>((ok) => (receiver.ontrack = (e) => ok(e.track)));
  await negotiate(sender, receiver);
  const track = await received;
  return {
    track,
    async stopSharingInBrowser() {
      const ended = new Promise((ok) => track.addEventListener('ended', ok, { once: true }));
      transceiver.stop();
      await negotiate(sender, receiver);
      await ended;
    },
    dispose() {
      source.stop();
      sender.close();
      receiver.close();
    },
  };
}

/**
 * navigator.mediaDevices.getDisplayMedia answers with a new fakeScreen(paint)
 * each time, until restore(); `screens` lists them in order.
 */
export function stubDisplayMedia(paint: Paint = 'moving') {
  const original = navigator.mediaDevices.getDisplayMedia;
  const screens: FakeScreen[] = [];
  navigator.mediaDevices.getDisplayMedia = async () => {
    const s = await fakeScreen(paint);
    screens.push(s);
    return new MediaStream([s.track]);
  };
  return {
    screens,
    restore() {
      navigator.mediaDevices.getDisplayMedia = original;
      for (const s of screens.splice(0)) s.dispose();
    },
  };
}
