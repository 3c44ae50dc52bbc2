// Pre-warmed accept: while the call rings, the callee applies the offer,
// makes its answer and gathers candidates (TURN allocations included), and
// sends none of it, so a caller it has not accepted learns no address of its.
// accept() then only attaches the tracks and sends. The caller, too, keeps its
// candidates until an answer names the device that took the call.
import { expect } from '@open-wc/testing';
import type { Conversation } from 'wd-video';
import { next } from '../../shared/events.js';
import { uniqueUid } from '../../shared/ids.js';
import { until } from '../../shared/wait.js';
import { framesArrive } from '../frames.js';
import { camera, cleanup, client, collect, rawNats, reach } from './helpers.js';
import { suiteNeeds } from '../engine.js';

/** Types of the candidates `pc` knows of the given side ('local-candidate' or 'remote-candidate'). */
async function candidateTypes(pc: RTCPeerConnection, side: 'local-candidate' | 'remote-candidate'): Promise<string[]> {
  const out: string[] = [];
  (await pc.getStats()).forEach((r) => r.type === side && out.push(r.candidateType));
  return out;
}

describe('pre-warmed accept', function () {
  suiteNeeds('webrtc');
  this.timeout(30_000);
  afterEach(cleanup);

  it("while it rings, no device of the callee learns the caller's addresses; after the answer only the device that took it does", async () => {
    const a = await client(uniqueUid('alice'));
    const b = await client(uniqueUid('bob'));
    // Another device of bob's, as raw NATS: it sees everything sent to bob's uid.
    const other = await rawNats(b.uid!);
    const seen = collect(other.nc, `wd.u.${b.uid}.>`);
    await other.nc.flush();
    const called = next<Conversation>(b, 'called');
    const conv = a.call(b.uid!, await camera());
    const incoming = await called;
    await reach(conv, 'ringing', 5000);
    await until(() => conv.peerConnection?.iceGatheringState === 'complete', 10_000, "alice's gathering complete");
    await incoming.accept(await camera());
    await reach(conv, 'connected');
    const types = () => seen.msgs.map((m) => m.subject.split('.').pop());
    await until(() => types().includes('cand') && types().includes('taken'), 5000, () => `alice's messages: ${types()}`);
    // One connection's messages arrive in order: had alice sent candidates while
    // it rang, they would stand before \`taken\`, which she sends when the answer arrives.
    expect(types().indexOf('cand'), `order: ${types()}`).to.be.greaterThan(types().indexOf('taken'));
    const targets = seen.msgs.filter((m) => m.subject.endsWith('.cand')).map((m) => JSON.parse(new TextDecoder().decode(m.data)).to as unknown);
    expect(new Set(targets).size, `every candidate names one device: ${targets}`).to.equal(1);
    expect(typeof targets[0], 'addressed to a device').to.equal('string');
  });

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
      // What bob gathered while it rang travels inside the answer, after accept() only.
      const answerSdp = conv.peerConnection!.remoteDescription!.sdp;
      expect(answerSdp, 'the answer carries the candidates gathered while it rang').to.match(/a=candidate:/);
      if (relay) expect(answerSdp, 'relay only: no address of bob in the answer').to.not.match(/typ (host|srflx|prflx)/);
      await framesArrive((await aliceGets).stream);
      await framesArrive((await bobGets).stream);
      const tracks = (await aliceGets).stream.getTracks().map((t) => t.kind).sort();
      expect(tracks, "alice receives bob's audio and video in one stream").to.deep.equal(['audio', 'video']);
    });
  }
});
