// Pre-warmed accept: while the call rings, the callee applies the offer,
// makes its answer and gathers candidates (TURN allocations included), and
// sends none of it, so a caller it has not accepted learns no address of its.
// accept() then only attaches the tracks and sends.
import { expect } from '@open-wc/testing';
import type { Conversation } from 'wd-video';
import { next } from '../../shared/events.js';
import { uniqueUid } from '../../shared/ids.js';
import { until } from '../../shared/wait.js';
import { framesArrive } from '../frames.js';
import { camera, cleanup, client, reach } from './helpers.js';

/** Types of the candidates `pc` knows of the given side ('local-candidate' or 'remote-candidate'). */
async function candidateTypes(pc: RTCPeerConnection, side: 'local-candidate' | 'remote-candidate'): Promise<string[]> {
  const out: string[] = [];
  (await pc.getStats()).forEach((r) => r.type === side && out.push(r.candidateType));
  return out;
}

describe('pre-warmed accept', function () {
  this.timeout(30_000);
  afterEach(cleanup);

  for (const relay of [false, true]) {
    it(`while it rings the callee gathers${relay ? ' relay candidates (TURN allocated)' : ''} and sends nothing; accept() connects`, async () => {
      const a = await client(uniqueUid('alice'));
      const b = await client(uniqueUid('bob'));
      const called = next<Conversation>(b, 'called');
      const conv = a.call(b.uid!, await camera(), { iceTransportPolicy: relay ? 'relay' : 'all' });
      const incoming = await called;
      await reach(conv, 'ringing', 5000);

      // Gathering finishes while it still rings.
      await until(() => incoming.peerConnection?.iceGatheringState === 'complete', 10_000, () => `callee gathering complete (is ${incoming.peerConnection?.iceGatheringState})`);
      const gathered = await candidateTypes(incoming.peerConnection!, 'local-candidate');
      expect(gathered.length, 'candidates gathered before accept').to.be.greaterThan(0);
      if (relay) expect(gathered.every((t) => t === 'relay'), `relay only: ${gathered}`).to.equal(true);
      expect(incoming.state).to.equal('incoming');

      // Nothing of it reached alice: no answer, no candidate of bob's.
      expect(conv.peerConnection!.remoteDescription == null, 'alice has no answer yet').to.equal(true);
      expect(await candidateTypes(conv.peerConnection!, 'remote-candidate'), "alice knows none of bob's candidates").to.deep.equal([]);

      const aliceGets = next<{ stream: MediaStream }>(conv, 'stream_received');
      await incoming.accept(await camera());
      const bobGets = next<{ stream: MediaStream }>(incoming, 'stream_received');
      await reach(conv, 'connected');
      await reach(incoming, 'connected');
      await framesArrive((await aliceGets).stream);
      await framesArrive((await bobGets).stream);
      const tracks = (await aliceGets).stream.getTracks().map((t) => t.kind).sort();
      expect(tracks, "alice receives bob's audio and video in one stream").to.deep.equal(['audio', 'video']);
    });
  }
});
