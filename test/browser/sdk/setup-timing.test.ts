// Measurement, not a timed assertion: time from call() to `connected` and to the first remote
// video frame on the caller (auto-accepting callee, streams reused), median of 20, next to two
// RTCPeerConnections in the same page exchanging SDP and candidates in memory.
import { expect } from '@open-wc/testing';
import type { Conversation, RemoteStream } from 'wd-video';
import { uniqueUid } from '../../shared/ids.js';
import { until } from '../../shared/wait.js';
import { onCleanup } from '../cleanup.js';
import { camera, cleanup, client, signIn } from './helpers.js';

const ROUNDS = 20;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (xs: number[]) => `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}, n=${xs.length})`;

function videoEl() {
  const v = document.createElement('video');
  v.muted = true;
  v.playsInline = true;
  v.width = 160;
  document.body.append(v);
  onCleanup(() => v.remove());
  return v;
}

/** performance.now() of the first frame `v` presents from `stream`. */
function firstFrame(v: HTMLVideoElement, stream: MediaStream, out: (t: number) => void) {
  v.srcObject = stream;
  v.requestVideoFrameCallback(() => out(performance.now()));
  void v.play().catch(() => {});
}

async function inMemory(sa: MediaStream, sb: MediaStream, iceServers: RTCIceServer[], v: HTMLVideoElement) {
  const pc1 = new RTCPeerConnection({ iceServers, bundlePolicy: 'max-bundle' });
  const pc2 = new RTCPeerConnection({ iceServers, bundlePolicy: 'max-bundle' });
  try {
    let tConn = 0;
    let tFrame = 0;
    const t0 = performance.now();
    pc1.onicecandidate = (e) => e.candidate && void pc2.addIceCandidate(e.candidate).catch(() => {});
    pc2.onicecandidate = (e) => e.candidate && void pc1.addIceCandidate(e.candidate).catch(() => {});
    pc1.oniceconnectionstatechange = () => {
      if (!tConn && (pc1.iceConnectionState === 'connected' || pc1.iceConnectionState === 'completed')) tConn = performance.now();
    };
    pc1.ontrack = (e) => {
      if (e.track.kind === 'video') firstFrame(v, e.streams[0] ?? new MediaStream([e.track]), (t) => (tFrame ||= t));
    };
    for (const t of sa.getTracks()) pc1.addTrack(t, sa);
    for (const t of sb.getTracks()) pc2.addTrack(t, sb);
    const offer = await pc1.createOffer();
    await pc1.setLocalDescription(offer);
    await pc2.setRemoteDescription(offer);
    const answer = await pc2.createAnswer();
    await pc2.setLocalDescription(answer);
    await pc1.setRemoteDescription(answer);
    await until(() => tConn > 0 && tFrame > 0, 10_000, 'in-memory pair connected with a frame');
    return { connected: tConn - t0, frame: tFrame - t0 };
  } finally {
    pc1.close();
    pc2.close();
    v.srcObject = null;
  }
}

describe('call set-up time (measurement)', function () {
  this.timeout(90_000);
  afterEach(cleanup);

  it(`call() -> connected and -> first remote frame, median of ${ROUNDS}, vs in-memory RTCPeerConnections`, async () => {
    const started = performance.now();
    const a = await client(uniqueUid('alice'));
    const b = await client(uniqueUid('bob'));
    const sa = await camera();
    const sb = await camera();
    let tCalled = 0;
    b.on('called', (c: Conversation) => {
      tCalled = performance.now();
      void c.accept(sb);
    });
    const v = videoEl();
    const sdk = { called: [] as number[], accepted: [] as number[], connected: [] as number[], frame: [] as number[] };
    for (let i = -1; i < ROUNDS; i++) {
      let tConn = 0;
      let tFrame = 0;
      let tAccepted = 0;
      tCalled = 0;
      const t0 = performance.now();
      const conv = a.call(b.uid!, sa);
      conv.on('response', (s) => s === 'ACCEPTED' && (tAccepted = performance.now()));
      conv.on('state', (s) => s === 'connected' && (tConn ||= performance.now()));
      conv.on('stream_received', (rs: RemoteStream) => firstFrame(v, rs.stream, (t) => (tFrame ||= t)));
      await until(() => tConn > 0 && tFrame > 0, 15_000, `round ${i}: connected (${conv.state}) with a first frame`);
      if (i >= 0) {
        // round -1 warms up (first sign-in paths, codecs)
        sdk.called.push(tCalled - t0);
        sdk.accepted.push(tAccepted - t0);
        sdk.connected.push(tConn - t0);
        sdk.frame.push(tFrame - t0);
      }
      const bobConv = b.conversation;
      conv.close();
      await until(() => b.conversation === undefined && bobConv?.state === 'closed', 5000, 'bob closed');
      v.srcObject = null;
    }

    const turn = (await signIn(uniqueUid('timing'))).iceServers;
    const mem = { connected: [] as number[], frame: [] as number[] };
    const memTurn = { connected: [] as number[], frame: [] as number[] };
    for (let i = -1; i < ROUNDS; i++) {
      const r = await inMemory(sa, sb, [], v);
      const rt = await inMemory(sa, sb, turn, v);
      if (i < 0) continue;
      mem.connected.push(r.connected);
      mem.frame.push(r.frame);
      memTurn.connected.push(rt.connected);
      memTurn.frame.push(rt.frame);
    }

    console.log(
      [
        `call set-up on this machine (Chromium, loopback, ${ROUNDS} rounds each, streams reused, auto-accept):`,
        `  SDK  call() -> callee 'called'       ${fmt(sdk.called)}`,
        `  SDK  call() -> response ACCEPTED     ${fmt(sdk.accepted)}`,
        `  SDK  call() -> connected             ${fmt(sdk.connected)}`,
        `  SDK  call() -> first remote frame    ${fmt(sdk.frame)}`,
        `  in-memory pair, no ICE servers: connected ${fmt(mem.connected)}; first frame ${fmt(mem.frame)}`,
        `  in-memory pair, same TURN server: connected ${fmt(memTurn.connected)}; first frame ${fmt(memTurn.frame)}`,
        `  (file ran ${((performance.now() - started) / 1000).toFixed(1)} s)`,
      ].join('\n'),
    );
    // Sanity only: the numbers were really measured.
    for (const xs of [sdk.connected, sdk.frame, mem.connected, mem.frame]) {
      expect(xs).to.have.length(ROUNDS);
      xs.forEach((x) => expect(x).to.be.above(0));
    }
  });
});
