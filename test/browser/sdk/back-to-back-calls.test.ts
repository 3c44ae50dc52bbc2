// Twenty calls in a row between the same two clients, streams reused, the
// callee accepting at once: every call rings, is ACCEPTED, connects and shows
// remote video, in that order, and ends cleanly before the next one starts.
// How long each step takes is measured by `npm run bench` (bench/setup.mjs),
// not asserted here.
import { expect } from '@open-wc/testing';
import type { Conversation, RemoteStream } from 'wd-video';
import { uniqueUid } from '../../shared/ids.js';
import { until } from '../../shared/wait.js';
import { countFrames, playing } from '../frames.js';
import { camera, cleanup, client } from './helpers.js';
import { suiteNeeds } from '../engine.js';

const ROUNDS = 20;

describe('back-to-back calls', function () {
  suiteNeeds('webrtc');
  this.timeout(120_000);
  afterEach(cleanup);

  it(`${ROUNDS} calls in a row: each rings, is ACCEPTED, connects and shows video, in that order, then ends`, async () => {
    const a = await client(uniqueUid('alice'));
    const b = await client(uniqueUid('bob'));
    const sa = await camera();
    const sb = await camera();
    let steps: string[] = [];
    b.on('called', (c: Conversation) => {
      steps.push('called');
      void c.accept(sb);
    });
    for (let round = 0; round < ROUNDS; round++) {
      steps = [];
      const conv = a.call(b.uid!, sa);
      conv.on('response', (r) => steps.push(r));
      conv.on('state', (s) => s === 'connected' && steps.push('connected'));
      conv.on('stream_received', (rs: RemoteStream) => {
        countFrames(playing(rs.stream), 1, 15_000).then(() => steps.push('frame'), () => {});
      });
      const what = () => `round ${round}: ${steps.join(' -> ')} (call ${conv.state})`;
      await until(() => steps.includes('connected') && steps.includes('frame'), 15_000, what);
      expect(steps.slice(0, 2), what()).to.deep.equal(['called', 'ACCEPTED']);
      expect(steps.filter((s) => s === 'ACCEPTED'), what()).to.have.length(1);
      const bobConv = b.conversation;
      conv.close();
      await until(() => b.conversation === undefined && bobConv?.state === 'closed', 5000, () => `${what()}: bob's side closed`);
      expect(bobConv?.closeReason, what()).to.equal('hangup');
    }
  });
});
