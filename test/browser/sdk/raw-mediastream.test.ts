// A raw MediaStream works wherever a LocalStream does, and the SDK leaves the app's tracks alone.
import { expect } from '@open-wc/testing';
import { createLocalStream, LocalStream, type Conversation, type RemoteStream } from 'wd-video';
import { next } from '../../shared/events.js';
import { uniqueUid } from '../../shared/ids.js';
import { onCleanup } from '../cleanup.js';
import { framesArrive } from '../frames.js';
import { cleanup, client, reach } from './helpers.js';
import { suiteNeeds } from '../engine.js';

async function rawStream() {
  const s = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 320, height: 240 } });
  onCleanup(() => s.getTracks().forEach((t) => t.stop()));
  return s;
}
async function localStream() {
  const s = await createLocalStream({ captureAudio: true, captureVideo: true, dimension: '240p' });
  onCleanup(() => s.close());
  return s;
}

async function call(callerStream: MediaStream | LocalStream, calleeStream: MediaStream | LocalStream) {
  const a = await client(uniqueUid('alice'));
  const b = await client(uniqueUid('bob'));
  const called = next<Conversation>(b, 'called');
  const conv = a.call(b.uid!, callerStream);
  const toAlice = next<RemoteStream>(conv, 'stream_received');
  const incoming = await called;
  const toBob = next<RemoteStream>(incoming, 'stream_received');
  await incoming.accept(calleeStream);
  await reach(conv, 'connected');
  await reach(incoming, 'connected');
  await framesArrive((await toAlice).stream);
  await framesArrive((await toBob).stream);
  return { a, b, conv, incoming };
}

const sentTracks = (c: Conversation) => c.peerConnection!.getSenders().map((s) => s.track).filter(Boolean);
const raw = (s: MediaStream | LocalStream) => (s instanceof LocalStream ? s.stream : s);

describe('raw MediaStream instead of a LocalStream', function () {
  suiteNeeds('webrtc');
  this.timeout(40_000);
  afterEach(cleanup);

  for (const [name, caller, callee] of [
    ['call(raw) + accept(LocalStream)', rawStream, localStream],
    ['call(LocalStream) + accept(raw)', localStream, rawStream],
    ['call(raw) + accept(raw)', rawStream, rawStream],
  ] as const) {
    it(`${name}: media both ways, the given tracks are the ones sent`, async () => {
      const sa = await caller();
      const sb = await callee();
      const { conv, incoming } = await call(sa, sb);
      const tracksA = raw(sa).getTracks();
      const tracksB = raw(sb).getTracks();
      expect(sentTracks(conv)).to.have.members(tracksA);
      expect(sentTracks(incoming)).to.have.members(tracksB);
      expect(conv.localStream!.stream).to.equal(raw(sa));
      expect(incoming.localStream!.stream).to.equal(raw(sb));
    });
  }

  it('the app\'s raw tracks stay live after the call, and the same stream serves a second call', async () => {
    const sa = await rawStream();
    const sb = await rawStream();
    const first = await call(sa, sb);
    const closed = next<string>(first.incoming, 'closed', 5000);
    first.conv.close();
    await closed;
    for (const t of [...sa.getTracks(), ...sb.getTracks()]) expect(t.readyState, `${t.kind} track still live`).to.equal('live');
    const called = next<Conversation>(first.b, 'called');
    const again = first.a.call(first.b.uid!, sa);
    const stream = next<RemoteStream>(again, 'stream_received');
    await (await called).accept(sb);
    await reach(again, 'connected');
    await framesArrive((await stream).stream);
  });
});
